// SPDX-License-Identifier: Apache-2.0
// exporters/prometheus/process_stats.h: the standard process_* metrics, read from /proc/self
// the way the Go and Python client libraries do, so dashboards built for them work unchanged.
#pragma once

#include <optional>
#include <string_view>

namespace certvigil::exporters {

/// One reading of the process; a value that could not be read is nullopt and not exported.
struct ProcessStats {
  std::optional<double> cpu_seconds;         ///< utime + stime
  std::optional<double> resident_bytes;      ///< rss pages x page size
  std::optional<double> virtual_bytes;       ///< vsize
  std::optional<double> start_time_seconds;  ///< boot time + starttime ticks / CLK_TCK
  std::optional<double> open_fds;            ///< entries of /proc/self/fd
  std::optional<double> max_fds;             ///< RLIMIT_NOFILE soft limit
};

/// System constants needed to interpret /proc/<pid>/stat.
struct ProcConstants {
  double ticks_per_second = 100;  ///< sysconf(_SC_CLK_TCK)
  double page_size = 4096;        ///< sysconf(_SC_PAGESIZE)
  double boot_time = 0;           ///< "btime" of /proc/stat, seconds since the epoch
};

/// Fills cpu, resident, virtual and start time from the text of /proc/<pid>/stat. Returns false
/// (and fills nothing) when the text does not have the expected fields.
bool parseProcStat(std::string_view stat, const ProcConstants& constants, ProcessStats& out);

/// The "btime" value of /proc/stat text, or nullopt.
std::optional<double> parseBootTime(std::string_view proc_stat);

/// The boot time as CLOCK_REALTIME - CLOCK_BOOTTIME, seconds since the epoch: for when
/// /proc/stat is hidden (systemd's ProcSubset=pid in certvigil.service).
std::optional<double> bootTimeFromClocks();

/// Reads everything from /proc/self and getrlimit.
ProcessStats readProcessStats();

}  // namespace certvigil::exporters
