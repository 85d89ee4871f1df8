// SPDX-License-Identifier: Apache-2.0
// probers/file_prober: a file of CRLs is a CRL file target (its CRLs collected, read against the
// CAs it was given, never "holds no certificate"); a file named as a CRL that holds none is a
// read problem that says so; key files and certificate files stay what they were.
#include <doctest/doctest.h>

#include <string>

#include "probers/file_inputs.h"
#include "probers/file_prober.h"
#include "tests/support/test_support.h"
#include "x509/chain.h"

namespace certvigil::probers {
namespace {

using testing::pki;
using testing::TempDir;

struct Fixture {
  x509::CertificateCache certificates;
  ChainVerdictCache verdicts;
  x509::TrustStore trust = load();
  FakeClock clock{SystemClock().now()};

  static x509::TrustStore load() {
    Result<x509::TrustStore> t = x509::TrustStore::load(false, {pki("ec-root.crt")});
    REQUIRE(t.ok());
    return std::move(*t);
  }

  /// Probes `path` with the inputs a unit of those sources reads.
  Observation probe(const std::filesystem::path& path, FileInputSources sources = {}) {
    FileInputs in = loadFileInputs(sources, certificates, trust);
    in.spec.path = path;
    const FileProber prober(certificates, verdicts, trust);
    Observation obs = prober.probe(in.spec, clock);
    obs.problems.insert(obs.problems.end(), in.problems.begin(), in.problems.end());
    return obs;
  }
};

TEST_CASE("a PEM file of CRLs, found by its content, judged on its dates alone") {
  Fixture fx;
  const Observation obs = fx.probe(pki("crls-all.pem"));
  REQUIRE(obs.crl_file);
  CHECK(obs.kind == TargetKind::File);
  CHECK(obs.certificates.empty());
  CHECK(obs.problems.empty());
  CHECK(obs.crl_file->crls.size() == 2);
  CHECK_FALSE(obs.crl_file->issuers_given);
  CHECK(obs.crl_file->used_by.empty());
}

TEST_CASE("a DER CRL; a discovered CRL against its server's client-CA bundle") {
  Fixture fx;
  FileInputSources sources;
  sources.issuers = {pki("ec-int.crt"), pki("ec-root.crt")};
  sources.used_by = "nginx (ssl_crl at /etc/nginx/x.conf:3)";
  const Observation obs = fx.probe(pki("ec-int-crl.der"), sources);
  REQUIRE(obs.crl_file);
  CHECK(obs.problems.empty());
  CHECK(obs.crl_file->issuers_given);
  CHECK(obs.crl_file->used_by == sources.used_by);
  REQUIRE(obs.crl_file->gaps.size() == 1);  // ec-root has no CRL in the file
}

TEST_CASE("named as a CRL but holds none: a read problem that says so") {
  Fixture fx;
  TempDir dir;
  const auto path = testing::writeFile(dir / "clients.crl", "not a CRL at all\n");
  FileInputSources sources;
  sources.used_by = "haproxy (crl-file at /etc/haproxy/haproxy.cfg:9)";
  const Observation obs = fx.probe(path, sources);
  CHECK_FALSE(obs.crl_file);
  REQUIRE(obs.problems.size() == 1);
  CHECK(obs.problems[0].code == FindingCode::ParseError);
  CHECK(obs.problems[0].detail.find("not a CRL") != std::string::npos);
}

TEST_CASE("an unreadable issuers bundle is a problem, and the CRLs are judged on dates only") {
  Fixture fx;
  FileInputSources sources;
  sources.issuers = {"/nonexistent/clients-ca.pem"};
  const Observation obs = fx.probe(pki("ec-int.crl"), sources);
  REQUIRE(obs.crl_file);
  CHECK_FALSE(obs.crl_file->issuers_given);
  REQUIRE(obs.problems.size() == 1);
  CHECK(obs.problems[0].detail.find("cannot read issuers file") != std::string::npos);
}

TEST_CASE("certificate files and key files are not CRL targets") {
  Fixture fx;
  CHECK_FALSE(fx.probe(pki("leaf-server-fullchain.pem")).crl_file);
  const Observation key = fx.probe(pki("leaf-server.key"));
  CHECK_FALSE(key.crl_file);
  CHECK(key.private_key_blocks > 0);
}

}  // namespace
}  // namespace certvigil::probers
