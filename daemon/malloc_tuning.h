// SPDX-License-Identifier: Apache-2.0
// daemon/malloc_tuning.h: glibc malloc settings for the long-running daemon, applied before any
// thread starts.
#pragma once

namespace certvigil::daemon {

/// Caps glibc's malloc arenas, turns its fastbins off and lowers its trim threshold, so that
/// the daemon's resident memory stays flat over sweeps instead of growing with every thread
/// that ever allocated.
/// A no-op with any other C library.
void tuneMalloc();

}  // namespace certvigil::daemon
