// SPDX-License-Identifier: Apache-2.0
// bench/revocation/revocation_sweep: the daemon's endpoint sweep (Monitor::scanAll over COUNT
// endpoints, no database) with revocation off and on, alternately in one process, ROUNDS times.
// Each mode has its own Monitor, so "on" keeps its CRL and OCSP caches from sweep to sweep as the
// daemon does: the first "on" sweep fetches (cold), the later ones find the answers at hand.
// Usage: revocation_sweep BASE_PORT COUNT ROOT_PEM [ROUNDS=3]
// Prints one line per sweep: "sweep MODE ROUND cpu_seconds wall_seconds crl_fetches
// ocsp_requests revocation_findings", then the CPU ratio on/off (medians, warm sweeps).
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "bench/tls/bench_common.h"
#include "scheduler/monitor.h"

namespace {

using namespace certvigil;

config::Config farmConfig(int base, int count, const std::string& root, bool revocation) {
  config::Config c;
  c.trust.system = false;
  c.trust.ca_files = {root};
  c.timeout = Seconds{5};
  c.revocation.timeout = Seconds{5};
  if (!revocation) {
    c.revocation.crl = config::RevocationMode::Off;
    c.revocation.ocsp = config::RevocationMode::Off;
  }
  for (int p = base; p < base + count; ++p) {
    config::EndpointConfig e;
    e.address = "127.0.0.1:" + std::to_string(p);
    e.servername = "localhost";
    c.endpoints.push_back(std::move(e));
  }
  return c;
}

uint64_t fetches(const Snapshot& snapshot, const std::string& kind) {
  uint64_t total = 0;
  for (const RevocationFetchCount& f : snapshot.revocation_fetches) {
    if (f.kind == kind) total += f.count;
  }
  return total;
}

size_t revocationFindings(const Snapshot& snapshot) {
  size_t n = 0;
  for (const auto& target : snapshot.targets) {
    for (const Finding& f : target->findings) {
      n += f.code == FindingCode::Revoked || f.code == FindingCode::RevocationUnknown ? 1 : 0;
    }
  }
  return n;
}

struct Sweep {
  double cpu = 0;
  uint64_t crl = 0;
  uint64_t ocsp = 0;
};

Sweep sweep(scheduler::Monitor& monitor, const char* mode, int round, Sweep before) {
  const bench::Stopwatch watch;
  monitor.scanAll();
  const double wall = watch.wallSeconds();
  const SnapshotPtr snapshot = monitor.latest();
  Sweep now{watch.cpuUsed().total(), fetches(*snapshot, "crl"), fetches(*snapshot, "ocsp")};
  std::printf(
      "sweep %s %d cpu_seconds %.3f wall_seconds %.3f crl_fetches %llu "
      "ocsp_requests %llu revocation_findings %zu targets %zu\n",
      mode, round, now.cpu, wall, static_cast<unsigned long long>(now.crl - before.crl),
      static_cast<unsigned long long>(now.ocsp - before.ocsp), revocationFindings(*snapshot),
      snapshot->targets.size());
  return now;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: revocation_sweep BASE_PORT COUNT ROOT_PEM [ROUNDS=3]\n");
    return 2;
  }
  const int base = std::stoi(argv[1]);
  const int count = std::stoi(argv[2]);
  const int rounds = argc > 4 ? std::stoi(argv[4]) : 3;
  const SystemClock clock;
  scheduler::Monitor off(nullptr, clock);
  scheduler::Monitor on(nullptr, clock);
  if (!off.configure(farmConfig(base, count, argv[3], false)) ||
      !on.configure(farmConfig(base, count, argv[3], true))) {
    std::fprintf(stderr, "revocation_sweep: cannot load %s\n", argv[3]);
    return 1;
  }
  std::vector<double> cpu_off;
  std::vector<double> cpu_on;
  Sweep last_on;
  for (int round = 0; round <= rounds; ++round) {  // round 0: the cold "on" sweep
    cpu_off.push_back(sweep(off, "off", round, {}).cpu);
    last_on = sweep(on, round == 0 ? "on-cold" : "on", round, last_on);
    if (round > 0) cpu_on.push_back(last_on.cpu);
  }
  cpu_off.erase(cpu_off.begin());
  std::printf("cpu_ratio_on_off %.3f (median of %d warm sweeps each: on %.3f s, off %.3f s)\n",
              median(cpu_on) / median(cpu_off), rounds, median(cpu_on), median(cpu_off));
  return 0;
}
