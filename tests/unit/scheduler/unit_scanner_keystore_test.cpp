// SPDX-License-Identifier: Apache-2.0
// scheduler/UnitScanner over a Java keystore (tests/pki/make_keystores.sh): one file, several
// targets, cached and re-judged together like any other file.
#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <vector>

#include "scheduler/unit_scanner.h"
#include "tests/support/test_support.h"
#include "x509/chain.h"

namespace certvigil::scheduler {
namespace {

namespace fs = std::filesystem;
using testing::keystore;
using testing::pki;

constexpr Seconds kDay{86400};

struct Fixture {
  testing::TempDir dir;
  x509::CertificateCache certificates;
  probers::ChainVerdictCache verdicts;
  x509::TrustStore trust = loadTrust();
  Policy policy;
  FakeClock clock{std::chrono::floor<Seconds>(std::chrono::system_clock::now())};

  static x509::TrustStore loadTrust() {
    Result<x509::TrustStore> t = x509::TrustStore::load(false, {pki("ec-root.crt")});
    REQUIRE(t.ok());
    return std::move(*t);
  }
  ScanContext context() { return {certificates, verdicts, trust, policy, clock}; }
  ScanUnit unit() {
    fs::copy_file(keystore("ks.jceks"), dir / "app.keystore");
    ScanUnit u;
    u.name = dir.path().string();
    u.files.edit().password_file = keystore("store.pass");
    return u;
  }
};

std::vector<std::string> targets(const UnitOutcome& out) {
  std::vector<std::string> names;
  for (const auto& r : out.results) names.push_back(fs::path(r->observation.target).filename());
  return names;
}

bool has(const TargetResult& r, FindingCode code) {
  for (const auto& f : r.findings) {
    if (f.code == code) return true;
  }
  return false;
}

TEST_CASE("a keystore found by a directory walk is its entries, cached as one file") {
  Fixture fx;
  UnitScanner scanner(fx.unit());
  const UnitOutcome first = scanner.scan(fx.context());
  REQUIRE(targets(first) == std::vector<std::string>{"app.keystore", "app.keystore#leaf-expired",
                                                     "app.keystore#leaf-server"});
  CHECK(first.files_read == 1);
  CHECK(first.results[0]->findings.empty());
  CHECK(has(*first.results[1], FindingCode::Expired));
  CHECK(first.results[2]->findings.empty());

  const UnitOutcome again = scanner.scan(fx.context());
  CHECK(again.files_read == 0);
  REQUIRE(again.results.size() == 3);
  for (size_t i = 0; i < 3; ++i) CHECK(again.results[i].get() == first.results[i].get());

  // leaf-server has 364 days left: 340 days on, it expires soon; judged from the cache.
  fx.clock.advance(340 * kDay);
  const UnitOutcome later = scanner.scan(fx.context());
  CHECK(later.files_read == 0);
  REQUIRE(later.results.size() == 3);
  CHECK(has(*later.results[2], FindingCode::ExpiresSoon));
}

}  // namespace
}  // namespace certvigil::scheduler
