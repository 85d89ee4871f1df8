// SPDX-License-Identifier: Apache-2.0
// daemon/build_overrides.h: the one seam between the certvigil binary and the system tests'
// build of the same main.cpp. The certvigil binary links build_overrides.cpp, which changes
// nothing, so it reads no test-only switch; tests/system/ links its own definition into
// certvigil_time_scaled, which scales alert delivery down (tests/system/040-alerts.sh).
#pragma once

#include "daemon/app.h"

namespace certvigil::daemon {

/// Adjusts the options of `certvigil run` once the command line is parsed.
void applyBuildOverrides(RunOptions& options);

}  // namespace certvigil::daemon
