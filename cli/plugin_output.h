// SPDX-License-Identifier: Apache-2.0
// cli/plugin_output.h: the first line of `certvigil check`'s text output, a Nagios/Icinga plugin
// status line (Nagios plugin guidelines, "Plugin Output" and "Performance Data"):
//   CERTVIGIL CRITICAL - 1 critical, 0 warning, 3 ok | 'api.internal:443'=12;28;7;0 ...
// The state is the exit code's (exitCodeFor); the counts are the report's summary. One perfdata
// value per target: the whole days left (floor, negative once expired) of the soonest-expiring
// certificate that matters (the verified path when there is one, else every certificate presented),
// "U" when there is none; warn;crit are the --warn-days/--crit-days thresholds, min 0. No unit:
// the guidelines' units have no "days" (check_ssl_cert does the same). The human report follows as
// the plugin's long output.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/policy.h"
#include "core/snapshot.h"

namespace certvigil::cli {

/// The status line, without the final newline.
std::string pluginStatusLine(const std::vector<TargetResultPtr>& results, TimePoint now,
                             const Thresholds& thresholds);

/// Writes pluginStatusLine and a newline.
void printPluginStatus(std::ostream& out, const std::vector<TargetResultPtr>& results,
                       TimePoint now, const Thresholds& thresholds);

/// A perfdata label: single-quoted, a quote inside doubled; '=' (which the grammar forbids), '|'
/// (which ends the plugin text) and control characters become '_'.
std::string perfdataLabel(std::string_view target);

/// Whole days (floor) until the soonest-expiring certificate that matters for `result` expires,
/// or nullopt when it holds no certificate.
std::optional<long> daysLeft(const TargetResult& result, TimePoint now);

}  // namespace certvigil::cli
