// SPDX-License-Identifier: Apache-2.0
// scheduler/UnitScanner on a fake clock over copies of the test PKI: an unchanged file is not
// read again, and its result object is reused while nothing can have changed; a changed file
// is read again alone; time passing re-judges without reading.
#include <doctest/doctest.h>

#include <sys/stat.h>

#include <chrono>
#include <string>
#include <vector>

#include "scheduler/unit_scanner.h"
#include "tests/support/test_support.h"
#include "tests/unit/scheduler/time_string.h"
#include "x509/chain.h"

namespace certvigil::scheduler {
namespace {

namespace fs = std::filesystem;
using testing::pki;
using testing::TempDir;

constexpr Seconds kHour{3600};
constexpr Seconds kDay{86400};

// The test PKI is dated relative to the wall clock: the fake clock starts there.
TimePoint wallNow() { return std::chrono::floor<Seconds>(std::chrono::system_clock::now()); }

struct Fixture {
  TempDir dir;
  x509::CertificateCache certificates;
  probers::ChainVerdictCache verdicts;
  x509::TrustStore trust = loadTrust();
  Policy policy;
  FakeClock clock{wallNow()};

  static x509::TrustStore loadTrust() {
    Result<x509::TrustStore> t = x509::TrustStore::load(false, {pki("ec-root.crt")});
    REQUIRE(t.ok());
    return std::move(*t);
  }
  ScanContext context() { return {certificates, verdicts, trust, policy, clock}; }
  fs::path copy(const std::string& name, const std::string& as = {}) {
    const fs::path to = dir / (as.empty() ? name : as);
    fs::copy_file(pki(name), to, fs::copy_options::overwrite_existing);
    return to;
  }
  ScanUnit unit(TargetKind kind = TargetKind::File) const {
    ScanUnit u;
    u.name = dir.path().string();
    u.kind = kind;
    u.role = kind == TargetKind::Bundle ? Role::CaBundle : Role::Auto;
    return u;
  }
};

std::vector<std::string> targets(const UnitOutcome& out) {
  std::vector<std::string> names;
  for (const auto& r : out.results) names.push_back(fs::path(r->observation.target).filename());
  return names;
}

const TargetResult& resultFor(const UnitOutcome& out, const std::string& file) {
  for (const auto& r : out.results) {
    if (fs::path(r->observation.target).filename() == file) return *r;
  }
  FAIL("no result for " << file);
  throw std::logic_error("unreachable");
}

std::optional<Severity> severityOf(const TargetResult& r, FindingCode code) {
  for (const auto& f : r.findings) {
    if (f.code == code) return f.severity;
  }
  return std::nullopt;
}

// Gives a file another mtime, as a rewrite would (without depending on timestamp granularity).
void touch(const fs::path& path, int seconds) {
  fs::last_write_time(path, fs::last_write_time(path) + std::chrono::seconds(seconds));
}

}  // namespace

TEST_CASE("UnitScanner: a second scan of unchanged files reads nothing and reuses the results") {
  Fixture fx;
  fx.copy("leaf-server-fullchain.pem");
  fx.copy("leaf-client-fullchain.pem");
  fx.copy("ec-int.crt", "ca.crt");
  UnitScanner scanner(fx.unit());

  const UnitOutcome first = scanner.scan(fx.context());
  CHECK(first.files_read == 3);
  CHECK(targets(first) == std::vector<std::string>{"ca.crt", "leaf-client-fullchain.pem",
                                                   "leaf-server-fullchain.pem"});
  CHECK(first.scan.unit == fx.dir.path().string());
  CHECK(first.scan.targets == 3);
  CHECK(first.scan.success);
  CHECK(first.scan.started_at == fx.clock.now());
  for (const auto& r : first.results) {
    CHECK(r->unit == fx.dir.path().string());
    // One copy of the unit's name for all its results, not one each.
    CHECK(r->unit.c_str() == first.results.front()->unit.c_str());
    CHECK(r->findings.empty());
  }

  fx.clock.advance(Seconds{59 * 60});  // still before the one-hour horizon
  const UnitOutcome second = scanner.scan(fx.context());
  CHECK(second.files_read == 0);
  REQUIRE(second.results.size() == first.results.size());
  for (size_t i = 0; i < first.results.size(); ++i) {
    CAPTURE(i);
    CHECK(second.results[i].get() == first.results[i].get());  // the same objects
  }
}

TEST_CASE("UnitScanner: a clock stepped back judges again, for the wall clock's time") {
  Fixture fx;
  fx.copy("leaf-server-fullchain.pem", "a.pem");
  UnitScanner scanner(fx.unit());
  const UnitOutcome first = scanner.scan(fx.context());
  fx.clock.advance(Seconds{-60});  // back a minute: before the judgement, inside its horizon
  const UnitOutcome second = scanner.scan(fx.context());
  REQUIRE(second.results.size() == 1);
  CHECK(second.files_read == 0);                             // not read again: unchanged
  CHECK(second.results[0].get() != first.results[0].get());  // but judged again
  const UnitOutcome third = scanner.scan(fx.context());      // the clock stays: reused again
  CHECK(third.results[0].get() == second.results[0].get());
}

TEST_CASE("UnitScanner: a rewritten file is read again, and only it") {
  Fixture fx;
  const fs::path a = fx.copy("leaf-server-fullchain.pem", "a.pem");
  fx.copy("leaf-client-fullchain.pem", "b.pem");
  UnitScanner scanner(fx.unit());
  const UnitOutcome first = scanner.scan(fx.context());
  REQUIRE(first.files_read == 2);

  SUBCASE("same content, new mtime") { touch(a, 1); }
  SUBCASE("new content, same size class") { fx.copy("leaf-both-fullchain.pem", "a.pem"); }
  SUBCASE("a new mode") { fs::permissions(a, fs::perms::owner_read | fs::perms::owner_write); }

  const UnitOutcome second = scanner.scan(fx.context());
  CHECK(second.files_read == 1);
  REQUIRE(second.results.size() == 2);
  CHECK(second.results[0].get() != first.results[0].get());  // a.pem: read again
  CHECK(second.results[1].get() == first.results[1].get());  // b.pem: untouched
  CHECK(scanner.scan(fx.context()).files_read == 0);         // and then cached again
}

TEST_CASE("UnitScanner: a rewritten file shows its new content") {
  Fixture fx;
  const fs::path a = fx.copy("leaf-server-fullchain.pem", "a.pem");
  UnitScanner scanner(fx.unit());
  const UnitOutcome first = scanner.scan(fx.context());
  REQUIRE(first.results.size() == 1);
  CHECK(first.results[0]->findings.empty());

  fx.copy("leaf-expired-fullchain.pem", "a.pem");
  touch(a, 2);
  const UnitOutcome second = scanner.scan(fx.context());
  CHECK(second.files_read == 1);
  REQUIRE(second.results.size() == 1);
  CHECK(severityOf(*second.results[0], FindingCode::Expired) == Severity::Critical);
}

TEST_CASE("UnitScanner: a deleted file's target goes away; a new one appears") {
  Fixture fx;
  const fs::path a = fx.copy("leaf-server-fullchain.pem", "a.pem");
  fx.copy("leaf-client-fullchain.pem", "b.pem");
  UnitScanner scanner(fx.unit());
  REQUIRE(scanner.scan(fx.context()).results.size() == 2);

  fs::remove(a);
  const UnitOutcome second = scanner.scan(fx.context());
  CHECK(targets(second) == std::vector<std::string>{"b.pem"});
  CHECK(second.scan.targets == 1);
  CHECK(second.files_read == 0);

  fx.copy("leaf-server-fullchain.pem", "a.pem");  // back: read as new
  const UnitOutcome third = scanner.scan(fx.context());
  CHECK(targets(third) == std::vector<std::string>{"a.pem", "b.pem"});
  CHECK(third.files_read == 1);
}

TEST_CASE("UnitScanner: time passing re-judges from the cache without reading") {
  Fixture fx;
  fx.copy("leaf-20d-fullchain.pem");
  UnitScanner scanner(fx.unit());
  const UnitOutcome first = scanner.scan(fx.context());
  REQUIRE(first.results.size() == 1);
  CHECK(severityOf(*first.results[0], FindingCode::ExpiresSoon) == Severity::Warning);

  SUBCASE("past the critical threshold: 20 days left - 14 = 6 < 7") {
    fx.clock.advance(14 * kDay);
    const UnitOutcome later = scanner.scan(fx.context());
    CHECK(later.files_read == 0);
    REQUIRE(later.results.size() == 1);
    CHECK(later.results[0].get() != first.results[0].get());
    CHECK(severityOf(*later.results[0], FindingCode::ExpiresSoon) == Severity::Critical);
    // The observation is the one read 14 days ago.
    CHECK(later.results[0]->observation.collected_at == first.results[0]->observation.collected_at);
  }
  SUBCASE("past notAfter") {
    fx.clock.advance(21 * kDay);
    const UnitOutcome later = scanner.scan(fx.context());
    CHECK(later.files_read == 0);
    REQUIRE(later.results.size() == 1);
    CHECK(severityOf(*later.results[0], FindingCode::Expired) == Severity::Critical);
    CHECK_FALSE(severityOf(*later.results[0], FindingCode::ExpiresSoon).has_value());
  }
  SUBCASE("at the one-hour horizon the result is judged again (messages quote time left)") {
    fx.clock.advance(kHour);
    const UnitOutcome later = scanner.scan(fx.context());
    CHECK(later.files_read == 0);
    REQUIRE(later.results.size() == 1);
    CHECK(later.results[0].get() != first.results[0].get());
    CHECK(severityOf(*later.results[0], FindingCode::ExpiresSoon) == Severity::Warning);
  }
}

TEST_CASE("UnitScanner: a file holding only a private key is not a target, scan after scan") {
  Fixture fx;
  fx.copy("leaf-server-fullchain.pem", "server.pem");
  fx.copy("leaf-server.key", "server-key.pem");
  UnitScanner scanner(fx.unit());
  const UnitOutcome first = scanner.scan(fx.context());
  CHECK(targets(first) == std::vector<std::string>{"server.pem"});
  CHECK(first.files_read == 2);
  CHECK(first.scan.targets == 1);

  const UnitOutcome cached = scanner.scan(fx.context());  // from the cache, before the horizon
  CHECK(cached.files_read == 0);
  CHECK(targets(cached) == std::vector<std::string>{"server.pem"});
  CHECK(cached.scan.targets == 1);

  fx.clock.advance(2 * kHour);  // re-judged from the cache
  const UnitOutcome rejudged = scanner.scan(fx.context());
  CHECK(rejudged.files_read == 0);
  CHECK(targets(rejudged) == std::vector<std::string>{"server.pem"});
}

TEST_CASE("UnitScanner: problems of the expansion are targets with parse_error") {
  Fixture fx;
  fs::create_symlink(fx.dir / "nowhere.pem", fx.dir / "gone.pem");
  UnitScanner scanner(fx.unit());
  const UnitOutcome out = scanner.scan(fx.context());
  REQUIRE(out.results.size() == 1);
  const Observation& obs = out.results[0]->observation;
  CHECK(obs.target == (fx.dir / "gone.pem").string());
  CHECK_FALSE(obs.success);
  REQUIRE(out.results[0]->findings.size() == 1);
  CHECK(out.results[0]->findings[0].code == FindingCode::ParseError);
  CHECK_FALSE(out.scan.success);  // nothing in the unit could be read
}

TEST_CASE("UnitScanner: a leaf completed by an intermediate in a sibling file") {
  Fixture fx;
  fx.copy("leaf-server.crt");
  const fs::path intermediate = fx.copy("ec-int.crt");
  UnitScanner scanner(fx.unit());
  const UnitOutcome first = scanner.scan(fx.context());
  CHECK(resultFor(first, "leaf-server.crt").observation.chain.status == ChainStatus::Valid);
  CHECK(resultFor(first, "leaf-server.crt").findings.empty());

  // The sibling goes away: the leaf is incomplete again, though the leaf file did not change.
  fs::remove(intermediate);
  const UnitOutcome second = scanner.scan(fx.context());
  CHECK(targets(second) == std::vector<std::string>{"leaf-server.crt"});
  CHECK(resultFor(second, "leaf-server.crt").observation.chain.status == ChainStatus::Incomplete);
  CHECK(severityOf(resultFor(second, "leaf-server.crt"), FindingCode::ChainIncomplete).has_value());
}

TEST_CASE("UnitScanner: an intermediate added beside a cached incomplete leaf completes it") {
  Fixture fx;
  fx.copy("leaf-server.crt");
  fx.copy("ec-root.crt");  // a trusted root: complete, and no intermediate
  UnitScanner scanner(fx.unit());
  const UnitOutcome first = scanner.scan(fx.context());
  CHECK(severityOf(resultFor(first, "leaf-server.crt"), FindingCode::ChainIncomplete).has_value());
  CHECK(scanner.scan(fx.context()).files_read == 0);  // nothing changed: nothing read

  fx.copy("ec-int.crt");
  const UnitOutcome second = scanner.scan(fx.context());
  CHECK(second.files_read == 2);  // the new file, and the leaf that depends on it
  CHECK(resultFor(second, "leaf-server.crt").observation.chain.status == ChainStatus::Valid);
  CHECK(resultFor(second, "leaf-server.crt").findings.empty());
  // The complete one did not depend on it.
  CHECK(&resultFor(second, "ec-root.crt") == &resultFor(first, "ec-root.crt"));
}

TEST_CASE("UnitScanner: with an explicit role a leaf is not completed from siblings") {
  Fixture fx;
  fx.copy("leaf-server.crt");
  fx.copy("ec-int.crt");
  ScanUnit unit = fx.unit();
  unit.role = Role::Server;
  UnitScanner scanner(unit);
  const UnitOutcome out = scanner.scan(fx.context());
  CHECK(resultFor(out, "leaf-server.crt").observation.chain.status == ChainStatus::Incomplete);
}

TEST_CASE("UnitScanner: a bundle unit judges the bundle as a bundle") {
  Fixture fx;
  fx.copy("bundle-multiple-roots.pem");
  UnitScanner scanner(fx.unit(TargetKind::Bundle));
  const UnitOutcome out = scanner.scan(fx.context());
  REQUIRE(out.results.size() == 1);
  CHECK(out.results[0]->observation.kind == TargetKind::Bundle);
  CHECK(severityOf(*out.results[0], FindingCode::BundleMultipleRoots) == Severity::Critical);
}

}  // namespace certvigil::scheduler
