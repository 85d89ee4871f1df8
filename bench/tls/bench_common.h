// SPDX-License-Identifier: Apache-2.0
// bench/tls/bench_common.h: what the TLS benchmark's programs share: reading the target list,
// this process's CPU time and peak RSS, and printing "key value" figures for run.sh.
#pragma once

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

namespace bench {

struct Target {
  std::string host;
  int port = 0;
};

/// One "HOST:PORT" per line (IPv4 or a name; the benchmark only uses 127.0.0.1).
inline std::vector<Target> readTargets(const char* path) {
  std::vector<Target> targets;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    const auto colon = line.rfind(':');
    if (colon == std::string::npos) continue;
    targets.push_back({line.substr(0, colon), std::stoi(line.substr(colon + 1))});
  }
  return targets;
}

/// CPU seconds this process has used so far (every thread), in user space and in the kernel.
struct CpuTime {
  double user = 0;
  double system = 0;
  double total() const { return user + system; }
};

inline CpuTime cpuTime() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& tv) {
    return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
  };
  return {seconds(usage.ru_utime), seconds(usage.ru_stime)};
}

/// A /proc/self/status size in MB: "VmHWM:" (peak RSS) or "VmRSS:".
inline double statusMb(const std::string& which = "VmHWM:") {
  std::ifstream status("/proc/self/status");
  std::string key;
  while (status >> key) {
    if (key == which) {
      double kb = 0;
      status >> kb;
      return kb / 1024.0;
    }
  }
  return 0;
}

/// Wall and CPU time of one measured section.
class Stopwatch {
 public:
  Stopwatch() : wall_start_(std::chrono::steady_clock::now()), cpu_start_(cpuTime()) {}
  double wallSeconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start_).count();
  }
  CpuTime cpuUsed() const {
    const CpuTime now = cpuTime();
    return {now.user - cpu_start_.user, now.system - cpu_start_.system};
  }

 private:
  std::chrono::steady_clock::time_point wall_start_;
  CpuTime cpu_start_;
};

/// Prints the figures every prober reports, one "key value" line each.
inline void printFigures(size_t endpoints, size_t ok, const Stopwatch& watch) {
  const double wall = watch.wallSeconds();
  const CpuTime used = watch.cpuUsed();
  const double cpu = used.total();
  std::printf("endpoints %zu\nok %zu\nwall_seconds %.3f\ncpu_seconds %.3f\n", endpoints, ok, wall,
              cpu);
  std::printf("user_seconds %.3f\nsystem_seconds %.3f\n", used.user, used.system);
  std::printf("eps_per_cpu %.1f\npeak_rss_mb %.1f\n", static_cast<double>(endpoints) / cpu,
              statusMb());
}

}  // namespace bench
