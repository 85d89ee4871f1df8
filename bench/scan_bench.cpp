// SPDX-License-Identifier: Apache-2.0
// bench/scan_bench: certvigil's file pipeline on one tree, as the daemon runs it (Monitor:
// expand, read, decode once per fingerprint, build chains, judge, record in SQLite), a warm
// rescan, then /metrics streamed from the resulting snapshot as a scrape gets it. Prints one
// "key value" line per figure.
// Usage: scan_bench TREE CA_FILE DB_FILE
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>

#include "daemon/malloc_tuning.h"
#include "exporters/prometheus/metrics_renderer.h"
#include "scheduler/monitor.h"
#include "storage/state_store.h"

namespace {

using Steady = std::chrono::steady_clock;

double secondsSince(Steady::time_point start) {
  return std::chrono::duration<double>(Steady::now() - start).count();
}

// CPU seconds (user + system) of every thread of this process so far: beside wall time, the
// figure that does not depend on how much of the machine other jobs take.
double cpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// Peak (VmHWM) or current (VmRSS) resident set size of this process in MB.
double rssMb(const std::string& which = "VmHWM:") {
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

}  // namespace

int main(int argc, char** argv) {
  using namespace certvigil;
  if (argc != 4) {
    (void)std::fprintf(stderr, "usage: scan_bench TREE CA_FILE DB_FILE\n");
    return 2;
  }
  daemon::tuneMalloc();  // as `certvigil run` does before its threads start
  config::Config cfg;
  cfg.trust.system = false;
  cfg.trust.ca_files = {argv[2]};
  config::FileConfig files;
  files.path = argv[1];
  cfg.files.push_back(files);

  auto store = storage::StateStore::open(argv[3]);
  if (!store) {
    (void)std::fprintf(stderr, "%s\n", store.error().describe().c_str());
    return 1;
  }
  SystemClock clock;
  scheduler::Monitor monitor(store->get(), clock);
  if (!monitor.configure(cfg).ok()) return 1;

  auto start = Steady::now();
  double cpu_start = cpuSeconds();
  monitor.scanAll();
  const double cold = secondsSince(start);
  const double cold_cpu = cpuSeconds() - cpu_start;
  const SnapshotPtr first = monitor.latest();
  const double cold_scan_only = first->scans.front().duration_seconds;
  const double rss_after_scan = rssMb("VmRSS:");
  const double peak_after_scan = rssMb();

  start = Steady::now();
  cpu_start = cpuSeconds();
  monitor.scanAll();
  const double warm = secondsSince(start);
  const double warm_cpu = cpuSeconds() - cpu_start;
  const double peak_after_rescan = rssMb();
  const SnapshotPtr snapshot = monitor.latest();

  exporters::MetricsRenderer renderer;
  exporters::DaemonStatus status;
  status.version = "bench";
  status.openssl_version = "OpenSSL";
  status.ready = true;
  // A scrape as /metrics serves it: the exposition streamed piece by piece, each piece sent
  // (here: dropped) before the next is written, so it never stays resident as a whole.
  std::string piece;
  const auto scrape = [&] {
    size_t bytes = 0;
    const auto stream = renderer.stream(*snapshot, status);
    for (piece.clear(); stream->next(piece); piece.clear()) bytes += piece.size();
    return bytes;
  };
  start = Steady::now();
  const size_t metrics_bytes = scrape();
  const double render_cold = secondsSince(start);
  double render_warm = 1e9;
  for (int i = 0; i < 5; ++i) {  // best of five: the figure is the steady-state scrape
    start = Steady::now();
    (void)scrape();
    render_warm = std::min(render_warm, secondsSince(start));
  }
  size_t certificates = 0;
  for (const auto& t : snapshot->targets) certificates += t->observation.certificates.size();

  std::printf("targets %zu\n", snapshot->targets.size());
  std::printf("certificates %zu\n", certificates);
  std::printf("cold_scan_seconds %.4f\n", cold);
  std::printf("cold_scan_without_store_seconds %.4f\n", cold_scan_only);
  std::printf("cold_scan_cpu_seconds %.4f\n", cold_cpu);
  std::printf("warm_rescan_seconds %.4f\n", warm);
  std::printf("warm_rescan_cpu_seconds %.4f\n", warm_cpu);
  std::printf("metrics_bytes %zu\n", metrics_bytes);
  std::printf("metrics_first_render_ms %.2f\n", render_cold * 1000);
  std::printf("metrics_render_ms %.2f\n", render_warm * 1000);
  std::printf("rss_after_cold_scan_mb %.1f\n", rss_after_scan);
  std::printf("peak_rss_after_cold_scan_mb %.1f\n", peak_after_scan);
  std::printf("peak_rss_after_warm_rescan_mb %.1f\n", peak_after_rescan);
  std::printf("peak_rss_mb %.1f\n", rssMb());
  return 0;
}
