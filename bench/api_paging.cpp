// SPDX-License-Identifier: Apache-2.0
// bench/api_paging: how long an API page takes at 100,000 rows, first page against a deep one,
// through storage::HistoryReader (what /api/v1/{targets,certificates,findings,scans} run).
// Writes the database through StateStore first: COUNT file targets (100 distinct certificates,
// leaf + intermediate), a warning finding on each, and COUNT runs of scans. Then, per list,
// the median of 3 of: the first page, the page at offset total - limit, and (unless built with
// CERTVIGIL_OFFSET_ONLY, for builds without cursors) the same deep page reached by cursor.
// CPU time (this thread) is printed beside wall time: on a loaded machine only CPU is stable.
// Usage: api_paging DB_FILE [COUNT] [LIMIT]
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "storage/history_reader.h"
#include "storage/state_store.h"

namespace {

using namespace certvigil;
constexpr int64_t kT0 = 1767225600;

CertificateFactsPtr fakeCertificate(int n) {
  auto facts = std::make_shared<CertificateFacts>();
  char hex[65];
  (void)std::snprintf(hex, sizeof(hex), "%064x", n);
  facts->fingerprint_sha256 = hex;
  facts->subject = "CN=cert-" + std::to_string(n);
  facts->issuer = "CN=Bench CA";
  facts->serial = std::to_string(1000 + n);
  facts->not_before = fromUnix(kT0 - 86400);
  facts->not_after = fromUnix(kT0 + 86400 * (20 + n % 100));
  facts->key_type = KeyType::Ec;
  facts->key_bits = 256;
  facts->signature_algorithm = "ecdsa-with-SHA256";
  facts->der = hex;
  return facts;
}

bool writeDatabase(const std::string& path, int count) {
  auto store = storage::StateStore::open(path);
  if (!store) return false;
  const auto intermediate = fakeCertificate(100000);
  std::vector<TargetResultPtr> results;
  for (int i = 0; i < count; ++i) {
    auto result = std::make_shared<TargetResult>();
    const auto leaf = fakeCertificate(i % 100);
    result->unit = "/srv";
    result->observation.target = "/srv/" + std::to_string(i) + ".pem";
    result->observation.certificates = {{leaf, 0}, {intermediate, 1}};
    result->roles = {ResolvedRole::Server, ResolvedRole::Ca};
    Finding finding =
        makeFinding(FindingCode::ExpiresSoon, "expires soon", leaf->fingerprint_sha256, 0);
    finding.severity = Severity::Warning;
    result->findings = {finding};
    results.push_back(result);
  }
  UnitScan scan;
  scan.unit = "/srv";
  scan.started_at = fromUnix(kT0);
  if (!(*store)->recordScan(scan, results).ok()) return false;
  // Runs of scans: a unit whose outcome flips every scan starts a run each time.
  for (int i = 1; i < count; ++i) {
    UnitScan flip;
    flip.unit = "flip-" + std::to_string(i % 10);
    flip.started_at = fromUnix(kT0 + i);
    flip.success = (i / 10) % 2 == 0;
    if (!(*store)->recordScan(flip, {}).ok()) return false;
  }
  return true;
}

double threadCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_THREAD, &usage);
  auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

struct Timing {
  double wall_ms = 0;
  double cpu_ms = 0;
};

// Median of 3 runs of `run` (which returns false on error).
Timing measure(const std::function<bool()>& run) {
  std::vector<double> walls, cpus;
  for (int k = 0; k < 3; ++k) {
    const auto start = std::chrono::steady_clock::now();
    const double cpu = threadCpuSeconds();
    if (!run()) std::exit(1);
    cpus.push_back((threadCpuSeconds() - cpu) * 1e3);
    walls.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
            .count());
  }
  std::sort(walls.begin(), walls.end());
  std::sort(cpus.begin(), cpus.end());
  return {walls[1], cpus[1]};
}

void report(const char* list, const char* page, Timing t) {
  std::printf("%s %s wall_ms %.1f cpu_ms %.1f\n", list, page, t.wall_ms, t.cpu_ms);
}

// First page, the deepest page by offset, and (with cursors) the same page after a cursor.
template <typename Query, typename Fetch>
void benchList(const char* name, Query query, size_t limit, Fetch fetch) {
  query.limit = limit;
  auto first = fetch(query);
  if (!first) std::exit(1);
  const size_t total = first->total;
  report(name, "first", measure([&] { return fetch(query).ok(); }));
  Query deep = query;
  deep.offset = total > limit ? total - limit : 0;
  auto deep_page = fetch(deep);
  if (!deep_page) std::exit(1);
  report(name, "deep_offset", measure([&] { return fetch(deep).ok(); }));
#ifndef CERTVIGIL_OFFSET_ONLY
  // The cursor of the row just before the deep page: the page before it, by offset, gives it.
  Query before = query;
  before.offset = deep.offset - limit;
  auto previous = fetch(before);
  if (!previous || previous->next.empty()) std::exit(1);
  Query by_cursor = query;
  by_cursor.after = previous->next;
  report(name, "deep_cursor", measure([&] { return fetch(by_cursor).ok(); }));
#endif
  std::printf("%s total %zu\n", name, total);
}

struct ScanQuery {
  size_t limit = 100;
  size_t offset = 0;
  std::string after;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 4) {
    (void)std::fprintf(stderr, "usage: api_paging DB_FILE [COUNT] [LIMIT]\n");
    return 2;
  }
  const std::string path = argv[1];
  const int count = argc > 2 ? std::atoi(argv[2]) : 100000;
  const size_t limit = argc > 3 ? static_cast<size_t>(std::atoi(argv[3])) : 1000;
  if (!writeDatabase(path, count)) return 1;
  auto opened = storage::HistoryReader::open(path);
  if (!opened) return 1;
  const storage::HistoryReader& reader = **opened;
  benchList("targets", storage::TargetQuery{}, limit,
            [&](const storage::TargetQuery& q) { return reader.targets(q); });
  benchList("certificates", storage::CertificateQuery{}, limit,
            [&](const storage::CertificateQuery& q) { return reader.certificates(q); });
  benchList("findings", storage::FindingQuery{}, limit,
            [&](const storage::FindingQuery& q) { return reader.findings(q); });
#ifdef CERTVIGIL_OFFSET_ONLY
  benchList("scans", ScanQuery{}, limit,
            [&](const ScanQuery& q) { return reader.scans("", q.limit, q.offset); });
#else
  benchList("scans", ScanQuery{}, limit,
            [&](const ScanQuery& q) { return reader.scans("", q.limit, q.offset, q.after); });
#endif
  return 0;
}
