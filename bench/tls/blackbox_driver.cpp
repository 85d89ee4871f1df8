// SPDX-License-Identifier: Apache-2.0
// bench/tls/blackbox_driver: drives blackbox_exporter's /probe over every target, INFLIGHT
// requests at a time on keep-alive connections (as Prometheus scrapes it), and measures the
// exporter process: CPU seconds (utime + stime from /proc/PID/stat, before and after) and RSS
// (VmHWM and VmRSS from /proc/PID/status). A probe counts as ok when it answers probe_success 1.
// Usage: blackbox_driver TARGETS EXPORTER_PORT EXPORTER_PID MODULE INFLIGHT
#include <httplib.h>
#include <unistd.h>

#include <atomic>
#include <sstream>
#include <string>
#include <thread>

#include "bench_common.h"

namespace {

// utime and stime of a process in seconds (fields 14 and 15 of /proc/PID/stat).
bench::CpuTime processCpuTime(const std::string& pid) {
  std::ifstream in("/proc/" + pid + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::istringstream fields(stat.substr(stat.rfind(')') + 2));  // after "(comm) "
  std::string field;
  double ticks[2] = {0, 0};
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i >= 14) ticks[i - 14] = std::stod(field);
  }
  const auto hz = static_cast<double>(sysconf(_SC_CLK_TCK));
  return {ticks[0] / hz, ticks[1] / hz};
}

double processStatusMb(const std::string& pid, const std::string& which) {
  std::ifstream status("/proc/" + pid + "/status");
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

struct Drive {
  std::vector<bench::Target> targets;
  int port = 0;
  std::string module;
  std::atomic<size_t> next{0};
  std::atomic<size_t> ok{0};
};

void worker(Drive& drive) {
  httplib::Client client("127.0.0.1", drive.port);
  client.set_keep_alive(true);
  client.set_read_timeout(30, 0);
  for (size_t i = drive.next++; i < drive.targets.size(); i = drive.next++) {
    const auto& t = drive.targets[i];
    const std::string path =
        "/probe?module=" + drive.module + "&target=" + t.host + ":" + std::to_string(t.port);
    const auto response = client.Get(path);
    if (response && response->status == 200 &&
        response->body.find("\nprobe_success 1") != std::string::npos) {
      ++drive.ok;
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 6) {
    (void)std::fprintf(stderr, "usage: blackbox_driver TARGETS PORT PID MODULE INFLIGHT\n");
    return 2;
  }
  Drive drive;
  drive.targets = bench::readTargets(argv[1]);
  drive.port = std::stoi(argv[2]);
  const std::string pid = argv[3];
  drive.module = argv[4];
  const bench::CpuTime exporter_start = processCpuTime(pid);
  const bench::Stopwatch watch;
  std::vector<std::thread> threads;
  for (int i = 0; i < std::stoi(argv[5]); ++i) threads.emplace_back(worker, std::ref(drive));
  for (auto& t : threads) t.join();
  const double wall = watch.wallSeconds();
  const bench::CpuTime exporter_end = processCpuTime(pid);
  const double user = exporter_end.user - exporter_start.user;
  const double system = exporter_end.system - exporter_start.system;
  const double cpu = user + system;
  std::printf("endpoints %zu\nok %zu\nwall_seconds %.3f\ncpu_seconds %.3f\n", drive.targets.size(),
              drive.ok.load(), wall, cpu);
  std::printf("user_seconds %.3f\nsystem_seconds %.3f\n", user, system);
  std::printf("eps_per_cpu %.1f\npeak_rss_mb %.1f\nrss_mb %.1f\ndriver_cpu_seconds %.3f\n",
              static_cast<double>(drive.targets.size()) / cpu, processStatusMb(pid, "VmHWM:"),
              processStatusMb(pid, "VmRSS:"), watch.cpuUsed().total());
  return drive.ok == drive.targets.size() ? 0 : 1;
}
