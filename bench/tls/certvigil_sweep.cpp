// SPDX-License-Identifier: Apache-2.0
// bench/tls/certvigil_sweep: certvigil's TLS sweep as the daemon runs it: TlsProber::probeAll
// over every target (at most CONCURRENCY in flight, one deadline each), then each presented
// certificate decoded to facts once per fingerprint (x509::CertificateCache) and the chain
// built once per distinct presented chain (x509::buildChain). The figures cover both steps.
// Usage: certvigil_sweep TARGETS ROOT_PEM SERVERNAME [CONCURRENCY=64] [TIMEOUT_MS=3000] [THREADS=1]
// THREADS > 1 splits the requests over that many TlsProbers, one event loop per thread, with
// CONCURRENCY shared among them (what a multi-threaded sweep would cost and gain).
// Prints "key value" lines (bench_common.h) plus failures by kind and the slowest probe.
#include <map>
#include <string>
#include <thread>
#include <unordered_map>

#include "bench_common.h"
#include "probers/tls_probe.h"
#include "x509/chain.h"
#include "x509/facts.h"

namespace {

using namespace certvigil;

struct Judged {
  size_t ok = 0;  // got a leaf, and its chain leads to the bench root
  size_t chains_built = 0;
  std::map<std::string, size_t> failures;  // by ProbeFailure name
  double slowest_probe_seconds = 0;
  long checksum = 0;  // notAfter summed, so the facts are read
};

std::vector<probers::TlsProbeRequest> makeRequests(const std::vector<bench::Target>& targets,
                                                   const std::string& servername,
                                                   std::chrono::milliseconds timeout) {
  std::vector<probers::TlsProbeRequest> requests(targets.size());
  for (size_t i = 0; i < targets.size(); ++i) {
    requests[i].host = targets[i].host;
    requests[i].port = targets[i].port;
    requests[i].servername = servername;
    requests[i].timeout = timeout;
  }
  return requests;
}

// Facts for each presented certificate (cached by fingerprint) and the chain verdict, built
// only for a presented chain not seen before. True when the chain is valid.
bool judge(const probers::TlsProbeOutcome& outcome, x509::CertificateCache& cache,
           std::unordered_map<std::string, ChainStatus>& verdicts, const x509::TrustStore& trust,
           Judged& judged) {
  std::vector<x509::ParsedCertificate> presented;
  std::string chain_key;
  for (const auto& der : outcome.presented_der) {
    auto parsed = cache.get(*der);
    if (!parsed) return false;
    chain_key += parsed->facts->fingerprint_sha256;
    presented.push_back(std::move(*parsed));
  }
  if (presented.empty()) return false;
  judged.checksum += std::chrono::duration_cast<std::chrono::hours>(
                         presented.front().facts->not_after.time_since_epoch())
                         .count();
  auto [it, is_new] = verdicts.try_emplace(chain_key, ChainStatus::NotBuilt);
  if (is_new) {
    std::vector<X509*> certs;
    for (const auto& p : presented) certs.push_back(p.cert.get());
    it->second = x509::buildChain(certs, {}, trust).status;
    ++judged.chains_built;
  }
  return it->second == ChainStatus::Valid;
}

Judged judgeAll(const std::vector<std::vector<probers::TlsProbeOutcome>>& results,
                const x509::TrustStore& trust) {
  Judged judged;
  x509::CertificateCache cache;
  std::unordered_map<std::string, ChainStatus> verdicts;
  for (const auto& outcomes : results) {
    for (const auto& outcome : outcomes) {
      judged.slowest_probe_seconds =
          std::max(judged.slowest_probe_seconds, outcome.duration_seconds);
      if (outcome.failure != probers::ProbeFailure::None) {
        ++judged.failures[std::string(probers::toString(outcome.failure))];
      } else if (judge(outcome, cache, verdicts, trust, judged)) {
        ++judged.ok;
      }
    }
  }
  return judged;
}

// Every request probed: on this thread with one TlsProber, or split into `threads` contiguous
// shards, each probed by its own TlsProber on its own thread.
std::vector<std::vector<probers::TlsProbeOutcome>> probeAll(
    const std::vector<probers::TlsProbeRequest>& requests, int concurrency, int threads) {
  if (threads <= 1) return probers::TlsProber({.in_flight = concurrency}).probeAll(requests);
  const auto shards = static_cast<size_t>(threads);
  std::vector<std::vector<std::vector<probers::TlsProbeOutcome>>> parts(shards);
  std::vector<std::thread> workers;
  for (size_t k = 0; k < shards; ++k) {
    workers.emplace_back([&, k] {
      const size_t begin = requests.size() * k / shards;
      const size_t end = requests.size() * (k + 1) / shards;
      const std::vector<probers::TlsProbeRequest> shard(requests.begin() + static_cast<long>(begin),
                                                        requests.begin() + static_cast<long>(end));
      parts[k] =
          probers::TlsProber({.in_flight = std::max(1, concurrency / threads)}).probeAll(shard);
    });
  }
  for (auto& w : workers) w.join();
  std::vector<std::vector<probers::TlsProbeOutcome>> results;
  for (auto& part : parts) std::move(part.begin(), part.end(), std::back_inserter(results));
  return results;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4 || argc > 7) {
    (void)std::fprintf(
        stderr,
        "usage: certvigil_sweep TARGETS ROOT_PEM SERVERNAME [CONCURRENCY] [TIMEOUT_MS] "
        "[THREADS]\n");
    return 2;
  }
  const auto targets = bench::readTargets(argv[1]);
  auto trust = x509::TrustStore::load(false, {argv[2]});
  if (!trust || targets.empty()) {
    (void)std::fprintf(stderr, "certvigil_sweep: no targets or unreadable %s\n", argv[2]);
    return 1;
  }
  const int concurrency = argc > 4 ? std::stoi(argv[4]) : 64;
  const std::chrono::milliseconds timeout(argc > 5 ? std::stoi(argv[5]) : 3000);
  const int threads = argc > 6 ? std::stoi(argv[6]) : 1;
  const auto requests = makeRequests(targets, argv[3], timeout);

  const bench::Stopwatch watch;
  const auto results = probeAll(requests, concurrency, threads);
  const double probe_wall = watch.wallSeconds();
  const Judged judged = judgeAll(results, *trust);

  bench::printFigures(targets.size(), judged.ok, watch);
  std::printf("probe_wall_seconds %.3f\nchains_built %zu\nslowest_probe_seconds %.3f\n", probe_wall,
              judged.chains_built, judged.slowest_probe_seconds);
  for (const auto& [kind, count] : judged.failures)
    std::printf("failed_%s %zu\n", kind.c_str(), count);
  std::printf("checksum %ld\n", judged.checksum);
  return judged.ok == targets.size() ? 0 : 1;
}
