// SPDX-License-Identifier: Apache-2.0
// probers/file_prober: what one file holds, collected (never judged) from the test PKI —
// certificates in position order, the chain verdict, key facts, and read problems for files
// that are not regular or too large.
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "probers/file_prober.h"
#include "tests/support/test_support.h"
#include "x509/chain.h"
#include "x509/crl.h"
#include "x509/reader.h"

namespace certvigil::probers {
namespace {

namespace fs = std::filesystem;
using testing::pki;
using testing::TempDir;

constexpr TimePoint kNow{Seconds{1795348800}};  // 2026-11-22T12:00:00Z

struct Fixture {
  x509::CertificateCache certificates;
  ChainVerdictCache verdicts;
  x509::TrustStore trust = load();
  FakeClock clock{kNow};

  static x509::TrustStore load() {
    Result<x509::TrustStore> t = x509::TrustStore::load(false, {pki("ec-root.crt")});
    REQUIRE(t.ok());
    return std::move(*t);
  }

  Observation probe(const FileSpec& spec) {
    const FileProber prober(certificates, verdicts, trust);
    return prober.probe(spec, clock);
  }
  Observation probe(const fs::path& path, TargetKind kind = TargetKind::File) {
    FileSpec spec;
    spec.path = path;
    spec.kind = kind;
    return probe(spec);
  }
};

std::string problemsOf(const Observation& obs) {
  std::string s;
  for (const auto& p : obs.problems) s += std::string(toString(p.code)) + ": " + p.detail + "\n";
  return s;
}

unsigned modeOf(const fs::path& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return static_cast<unsigned>(st.st_mode & 07777);
}

}  // namespace

TEST_CASE("FileProber: a full chain — certificates in order, a valid chain, no key") {
  Fixture fx;
  const fs::path path = pki("leaf-server-fullchain.pem");
  const Observation obs = fx.probe(path);
  CHECK(problemsOf(obs) == "");
  CHECK(obs.success);
  CHECK(obs.target == path.string());
  CHECK(obs.kind == TargetKind::File);
  CHECK(obs.collected_at == kNow);
  CHECK(obs.duration_seconds >= 0);
  REQUIRE(obs.certificates.size() == 2);
  CHECK(obs.certificates[0].position == 0);
  CHECK(obs.certificates[0].facts->subject == "CN=server.test,O=certvigil test");
  CHECK(obs.certificates[0].facts->issuer == "CN=certvigil EC Intermediate,O=certvigil test");
  CHECK(obs.certificates[0].facts->serial == "01A2B3C4D5E6F7");
  CHECK(obs.certificates[1].position == 1);
  CHECK(obs.certificates[1].facts->subject == "CN=certvigil EC Intermediate,O=certvigil test");
  CHECK(obs.certificates[1].facts->is_ca);
  CHECK(obs.chain.status == ChainStatus::Valid);
  REQUIRE(obs.chain.path.size() == 3);  // leaf, intermediate, root
  CHECK(obs.chain.path.fingerprint(0) == obs.certificates[0].facts->fingerprint_sha256);
  CHECK(obs.chain.path.fingerprint(1) == obs.certificates[1].facts->fingerprint_sha256);
  CHECK_FALSE(obs.key.has_value());
  CHECK(obs.private_key_blocks == 0);
  CHECK(obs.revocation.empty());
}

TEST_CASE("FileProber: chain verdicts") {
  Fixture fx;
  SUBCASE("the leaf alone is incomplete, and names the missing issuer") {
    const Observation obs = fx.probe(pki("leaf-server.crt"));
    CHECK(obs.chain.status == ChainStatus::Incomplete);
    CHECK(obs.chain.position == 0);
    CHECK(obs.chain.words().missing_issuer.find("certvigil EC Intermediate") != std::string::npos);
  }
  SUBCASE("--chain completes it") {
    FileSpec spec;
    spec.path = pki("leaf-server.crt");
    Result<x509::ParsedCertificate> intermediate = fx.certificates.get(
        x509::readMaterial(testing::readFile(pki("ec-int.crt"))).certificate_ders.at(0));
    REQUIRE(intermediate.ok());
    spec.chain = {intermediate->cert};
    spec.chain_identity = intermediate->facts->fingerprint_sha256;
    CHECK(fx.probe(spec).chain.status == ChainStatus::Valid);
  }
  SUBCASE("a chain to another root is untrusted") {
    const Observation obs = fx.probe(pki("leaf-other-client-fullchain-root.pem"));
    CHECK(obs.chain.status == ChainStatus::UntrustedRoot);
    CHECK(obs.chain.position == 2);
  }
  SUBCASE("a non-CA issuer") {
    const Observation obs = fx.probe(pki("leaf-under-non-ca-fullchain.pem"));
    CHECK(obs.chain.status == ChainStatus::NotACa);
    CHECK(obs.chain.position == 1);
  }
}

TEST_CASE("FileProber: the verdict cache is keyed by what was presented") {
  Fixture fx;
  CHECK(fx.probe(pki("leaf-server-fullchain.pem")).chain.status == ChainStatus::Valid);
  // Same leaf, different presentation: a verdict cached for the full chain must not leak.
  CHECK(fx.probe(pki("leaf-server.crt")).chain.status == ChainStatus::Incomplete);
  CHECK(fx.probe(pki("leaf-server-fullchain.pem")).chain.status == ChainStatus::Valid);
}

TEST_CASE("FileProber: a key in the same file is the file's key, with the file's mode") {
  Fixture fx;
  const fs::path path = pki("leaf-server-with-key.pem");
  const Observation obs = fx.probe(path);
  CHECK(problemsOf(obs) == "");
  CHECK(obs.private_key_blocks == 1);
  CHECK(obs.certificates.size() == 2);
  REQUIRE(obs.key.has_value());
  CHECK(obs.key->matches);
  CHECK(obs.key->readable);
  CHECK(obs.key->path.empty());
  CHECK(obs.key->mode == modeOf(path));
  CHECK(obs.key->group_or_other_readable == ((modeOf(path) & 077) != 0));
}

TEST_CASE("FileProber: a separate key file — matching, mismatched, group-readable, missing") {
  Fixture fx;
  FileSpec spec;
  spec.path = pki("leaf-server-fullchain.pem");
  SUBCASE("its own key, mode 0600") {
    spec.key = pki("leaf-server.key");
    const Observation obs = fx.probe(spec);
    REQUIRE(obs.key.has_value());
    CHECK(obs.key->path == spec.key.string());
    CHECK(obs.key->readable);
    CHECK(obs.key->matches);
    CHECK(obs.key->mode == 0600);
    CHECK_FALSE(obs.key->group_or_other_readable);
  }
  SUBCASE("another certificate's key") {
    spec.key = pki("leaf-server-mismatched.key");
    const Observation obs = fx.probe(spec);
    REQUIRE(obs.key.has_value());
    CHECK(obs.key->readable);
    CHECK_FALSE(obs.key->matches);
  }
  SUBCASE("mode 0644") {
    spec.key = pki("leaf-server-0644.key");
    const Observation obs = fx.probe(spec);
    REQUIRE(obs.key.has_value());
    CHECK(obs.key->matches);
    CHECK(obs.key->mode == 0644);
    CHECK(obs.key->group_or_other_readable);
  }
  SUBCASE("a key file that is not there is unreadable, not a mismatch") {
    TempDir t;
    spec.key = t / "missing.key";
    const Observation obs = fx.probe(spec);
    REQUIRE(obs.key.has_value());
    CHECK_FALSE(obs.key->readable);
    CHECK(obs.key->matches);
    CHECK_FALSE(obs.key->problem.empty());
  }
}

TEST_CASE("FileProber: a bundle is read but builds no chain and looks for no key") {
  Fixture fx;
  const Observation good = fx.probe(pki("bundle-good.pem"), TargetKind::Bundle);
  CHECK(problemsOf(good) == "");
  CHECK(good.kind == TargetKind::Bundle);
  CHECK(good.certificates.size() == 2);
  CHECK(good.chain.status == ChainStatus::NotBuilt);
  CHECK_FALSE(good.key.has_value());

  const Observation with_key = fx.probe(pki("bundle-private-key.pem"), TargetKind::Bundle);
  CHECK(with_key.private_key_blocks == 1);
  CHECK_FALSE(with_key.key.has_value());
  CHECK(with_key.chain.status == ChainStatus::NotBuilt);
}

TEST_CASE("FileProber: CRLs give revocation facts") {
  Fixture fx;
  Result<x509::CrlSet> crls = x509::CrlSet::load({pki("ec-int.crl")});
  REQUIRE(crls.ok());
  FileSpec spec;
  spec.path = pki("leaf-revoked-fullchain.pem");
  spec.crls = std::make_shared<const x509::CrlSet>(std::move(*crls));
  const Observation obs = fx.probe(spec);
  REQUIRE_FALSE(obs.revocation.empty());
  CHECK(obs.revocation[0].position == 0);
  CHECK(obs.revocation[0].covered);
  CHECK(obs.revocation[0].revoked);
  CHECK(obs.revocation[0].reason == "keyCompromise");
}

TEST_CASE("FileProber: files that cannot be read are problems and an unsuccessful probe") {
  Fixture fx;
  TempDir t;
  SUBCASE("a directory") {
    const Observation obs = fx.probe(t.path());
    CHECK_FALSE(obs.success);
    CHECK(obs.certificates.empty());
    REQUIRE(obs.problems.size() == 1);
    CHECK(obs.problems[0].code == FindingCode::ParseError);
    CHECK(obs.problems[0].detail == "cannot read: not a regular file (a directory)");
  }
  SUBCASE("a FIFO, without waiting for a writer") {
    const fs::path fifo = t / "cert.pem";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    const Observation obs = fx.probe(fifo);
    CHECK_FALSE(obs.success);
    REQUIRE(obs.problems.size() == 1);
    CHECK(obs.problems[0].detail == "cannot read: not a regular file (a FIFO)");
  }
  SUBCASE("a file that does not exist") {
    const Observation obs = fx.probe(t / "missing.pem");
    CHECK_FALSE(obs.success);
    REQUIRE(obs.problems.size() == 1);
    CHECK(obs.problems[0].detail == "cannot read: no such file or directory");
  }
  SUBCASE("a 5 MB file: refused, saying how large it is") {
    const fs::path big = testing::writeFile(t / "big.pem", std::string(5 * 1024 * 1024, 'A'));
    const Observation obs = fx.probe(big);
    CHECK_FALSE(obs.success);
    CHECK(obs.certificates.empty());
    REQUIRE(obs.problems.size() == 1);
    CHECK(obs.problems[0].code == FindingCode::ParseError);
    CHECK(obs.problems[0].detail.find("too large") != std::string::npos);
    CHECK(obs.problems[0].detail.find("5242880 bytes") != std::string::npos);
  }
  CHECK(fx.probe(t / "missing.pem").collected_at == kNow);
}

TEST_CASE("FileProber: content that is not a certificate is a read problem of a successful probe") {
  Fixture fx;
  for (const char* name : {"garbage.bin", "empty.pem", "truncated.pem"}) {
    CAPTURE(name);
    const Observation obs = fx.probe(pki(name));
    CHECK(obs.success);  // the file was read; what it holds is judged by the checks
    CHECK(obs.certificates.empty());
    CHECK_FALSE(obs.problems.empty());
    CHECK(obs.chain.status == ChainStatus::NotBuilt);
  }
}

}  // namespace certvigil::probers
