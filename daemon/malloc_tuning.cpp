// SPDX-License-Identifier: Apache-2.0
// Why: glibc gives each thread that allocates its own arena (up to 8 per CPU), and an arena's
// freed memory stays resident. The daemon runs a TLS event loop per CPU, HTTP workers, the
// dispatcher and file workers; measured with 2,000 loopback endpoints (bench/README.md, "Daemon
// memory"), RSS rose from 37 MB after the first sweep to 69 MB after the fifth and stayed
// there, of which ~24 MB were arenas holding freed memory. Two arenas (one per CPU of the
// target machine; tcache keeps small allocations off the arena locks) and a 128 KiB trim
// threshold (free memory at the top of the heap goes back at once) keep it flat: 46 MB after 15
// and after 50 sweeps. An operator's MALLOC_ARENA_MAX / GLIBC_TUNABLES still wins: we only set
// what the environment did not.
//
// No fastbins either (M_MXFAST 0). Why: malloc_trim, which the monitor calls after a sweep,
// first merges the fastbins' chunks into their neighbours, and when they border the top of a
// thread's arena that top grows; malloc_trim then releases free chunks inside the arena but
// never the top of an arena other than the main one, and a free that would (one that ends in a
// chunk of 64 KiB or more) may not come before the next sweep. So the second arena kept the
// peak of a sweep's probes resident: 1.5-2.3 MB of its 2.5 MB at 2,000 endpoints, ~150 KB
// without fastbins (small blocks beyond the thread cache are then merged as they are freed).
#include "daemon/malloc_tuning.h"

#include <cstdlib>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace certvigil::daemon {

void tuneMalloc() {
#if defined(__GLIBC__)
  constexpr int kArenas = 2;
  constexpr int kTrimThreshold = 128 * 1024;
  const bool tuned = std::getenv("GLIBC_TUNABLES") != nullptr;
  if (!tuned && std::getenv("MALLOC_ARENA_MAX") == nullptr) mallopt(M_ARENA_MAX, kArenas);
  if (!tuned) mallopt(M_MXFAST, 0);
  if (!tuned && std::getenv("MALLOC_TRIM_THRESHOLD_") == nullptr) {
    mallopt(M_TRIM_THRESHOLD, kTrimThreshold);
  }
#endif
}

}  // namespace certvigil::daemon
