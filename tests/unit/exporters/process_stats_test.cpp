// SPDX-License-Identifier: Apache-2.0
// tests/unit/exporters/process_stats_test.cpp: /proc/<pid>/stat parsing and the live reading.
#include "exporters/prometheus/process_stats.h"

#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <string>

namespace certvigil::exporters {
namespace {

// A command name with spaces and parentheses, as a process may name itself.
constexpr std::string_view kStat =
    "4242 (cert (vigil) d) S 1 4242 4242 0 -1 4194560 1000 0 0 0 250 50 0 0 20 0 5 0 "
    "123400 104857600 2560 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";

TEST_CASE("parseProcStat reads CPU, memory and start time after the command name") {
  ProcConstants constants;
  constants.ticks_per_second = 100;
  constants.page_size = 4096;
  constants.boot_time = 1767225600;
  ProcessStats stats;
  REQUIRE(parseProcStat(kStat, constants, stats));
  CHECK(*stats.cpu_seconds == doctest::Approx(3.0));
  CHECK(*stats.virtual_bytes == 104857600);
  CHECK(*stats.resident_bytes == 2560.0 * 4096);
  CHECK(*stats.start_time_seconds == doctest::Approx(1767225600 + 1234.0));
}

TEST_CASE("parseProcStat refuses text without the fields") {
  ProcessStats stats;
  CHECK_FALSE(parseProcStat("", {}, stats));
  CHECK_FALSE(parseProcStat("1 (x) S 1 2 3", {}, stats));
  CHECK_FALSE(stats.cpu_seconds);
}

TEST_CASE("parseBootTime finds btime") {
  CHECK(*parseBootTime("cpu 1 2 3\nintr 5\nbtime 1767225600\nprocesses 9\n") == 1767225600);
  CHECK_FALSE(parseBootTime("cpu 1 2 3\n"));
}

TEST_CASE("bootTimeFromClocks agrees with /proc/stat's btime") {
  // The daemon's unit hides /proc/stat (ProcSubset=pid); the clocks must give the same boot time.
  std::ifstream in("/proc/stat");
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::optional<double> btime = parseBootTime(text);
  const std::optional<double> clocks = bootTimeFromClocks();
  REQUIRE(btime);
  REQUIRE(clocks);
  CHECK(*clocks > *btime - 2);
  CHECK(*clocks < *btime + 2);
}

TEST_CASE("readProcessStats reads this process") {
  const ProcessStats stats = readProcessStats();
  REQUIRE(stats.resident_bytes);
  CHECK(*stats.resident_bytes > 0);
  CHECK(*stats.virtual_bytes >= *stats.resident_bytes);
  CHECK(*stats.open_fds >= 3);
  CHECK(*stats.max_fds >= *stats.open_fds);
  CHECK(*stats.cpu_seconds >= 0);
  CHECK(*stats.start_time_seconds > 1.5e9);
}

}  // namespace
}  // namespace certvigil::exporters
