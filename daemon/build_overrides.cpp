// SPDX-License-Identifier: Apache-2.0
// daemon/build_overrides.cpp: the certvigil binary's definition: the options stay as parsed.
#include "daemon/build_overrides.h"

namespace certvigil::daemon {

void applyBuildOverrides(RunOptions& /*options*/) {}

}  // namespace certvigil::daemon
