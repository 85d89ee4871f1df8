// SPDX-License-Identifier: Apache-2.0
// exporters/prometheus/process_stats.cpp: /proc/self readers. A failed read leaves the value
// empty so the metric is simply absent, rather than failing the scrape.
#include "exporters/prometheus/process_stats.h"

#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace certvigil::exporters {
namespace {

// Fields of /proc/<pid>/stat (proc(5), 1-based), counted after the ")" that ends the command
// name, which itself may contain spaces and parentheses.
constexpr size_t kFirstFieldAfterComm = 3;
constexpr size_t kUtime = 14;
constexpr size_t kStime = 15;
constexpr size_t kStartTime = 22;
constexpr size_t kVsize = 23;
constexpr size_t kRss = 24;

std::optional<double> toNumber(std::string_view text) {
  double value = 0;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  if (result.ec != std::errc() || result.ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

std::vector<std::string_view> splitSpaces(std::string_view text) {
  std::vector<std::string_view> fields;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t start = text.find_first_not_of(" \n", pos);
    if (start == std::string_view::npos) break;
    const size_t end = std::min(text.find_first_of(" \n", start), text.size());
    fields.push_back(text.substr(start, end - start));
    pos = end;
  }
  return fields;
}

std::string readSmallFile(const char* path) {
  std::ifstream in(path, std::ios::binary);
  std::string text(std::istreambuf_iterator<char>(in), {});
  return text;
}

std::optional<double> countOpenFds() {
  std::error_code ec;
  double count = 0;
  for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    ++count;
  }
  if (ec) return std::nullopt;
  return count;
}

std::optional<double> maxFds() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return std::nullopt;
  return static_cast<double>(limit.rlim_cur);
}

}  // namespace

bool parseProcStat(std::string_view stat, const ProcConstants& constants, ProcessStats& out) {
  const size_t close = stat.rfind(')');
  if (close == std::string_view::npos) return false;
  const auto fields = splitSpaces(stat.substr(close + 1));
  auto field = [&fields](size_t number) -> std::optional<double> {
    const size_t index = number - kFirstFieldAfterComm;
    return index < fields.size() ? toNumber(fields[index]) : std::nullopt;
  };
  const auto utime = field(kUtime);
  const auto stime = field(kStime);
  const auto start = field(kStartTime);
  const auto vsize = field(kVsize);
  const auto rss = field(kRss);
  if (!utime || !stime || !start || !vsize || !rss) return false;
  out.cpu_seconds = (*utime + *stime) / constants.ticks_per_second;
  out.start_time_seconds = constants.boot_time + *start / constants.ticks_per_second;
  out.virtual_bytes = *vsize;
  out.resident_bytes = *rss * constants.page_size;
  return true;
}

std::optional<double> parseBootTime(std::string_view proc_stat) {
  const auto fields = splitSpaces(proc_stat);
  for (size_t i = 0; i + 1 < fields.size(); ++i) {
    if (fields[i] == "btime") return toNumber(fields[i + 1]);
  }
  return std::nullopt;
}

std::optional<double> bootTimeFromClocks() {
  timespec realtime{};
  timespec since_boot{};
  if (clock_gettime(CLOCK_REALTIME, &realtime) != 0) return std::nullopt;
  if (clock_gettime(CLOCK_BOOTTIME, &since_boot) != 0) return std::nullopt;
  const auto seconds = [](const timespec& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
  };
  return seconds(realtime) - seconds(since_boot);
}

ProcessStats readProcessStats() {
  ProcessStats stats;
  ProcConstants constants;
  constants.ticks_per_second = static_cast<double>(sysconf(_SC_CLK_TCK));
  constants.page_size = static_cast<double>(sysconf(_SC_PAGESIZE));
  // Boot time never changes while we run: read /proc/stat (a large file) once. The systemd unit
  // hides /proc/stat (ProcSubset=pid); the clocks give the same instant then.
  static const std::optional<double> boot_time = [] {
    const std::optional<double> from_proc = parseBootTime(readSmallFile("/proc/stat"));
    return from_proc ? from_proc : bootTimeFromClocks();
  }();
  constants.boot_time = boot_time.value_or(0);
  if (parseProcStat(readSmallFile("/proc/self/stat"), constants, stats) && !boot_time) {
    stats.start_time_seconds.reset();
  }
  stats.open_fds = countOpenFds();
  stats.max_fds = maxFds();
  return stats;
}

}  // namespace certvigil::exporters
