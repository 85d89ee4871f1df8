// SPDX-License-Identifier: Apache-2.0
// probers/file_prober: Java keystores and PKCS#12 trust stores made by keytool
// (tests/pki/make_keystores.sh) as the targets they hold — one per private-key entry, the file
// itself for its trusted certificates (a bundle) and the store's problems.
#include <doctest/doctest.h>

#include <string>

#include "probers/file_prober.h"
#include "tests/support/test_support.h"
#include "x509/chain.h"
#include "x509/java_keystore.h"

namespace certvigil::probers {
namespace {

using testing::keystore;
using testing::pki;

const std::string kPassword = "certvigil-test";

struct Fixture {
  x509::CertificateCache certificates;
  ChainVerdictCache verdicts;
  x509::TrustStore trust = load();
  SystemClock clock;

  static x509::TrustStore load() {
    Result<x509::TrustStore> t = x509::TrustStore::load(false, {pki("ec-root.crt")});
    REQUIRE(t.ok());
    return std::move(*t);
  }

  std::vector<Observation> probeAll(const std::string& name, const std::string& password,
                                    Role role = Role::Auto) {
    FileSpec spec;
    spec.path = keystore(name);
    spec.password = password;
    spec.role = role;
    return FileProber(certificates, verdicts, trust).probeAll(spec, clock);
  }
};

std::vector<std::string> targetsOf(const std::vector<Observation>& all) {
  std::vector<std::string> out;
  for (const Observation& obs : all) out.push_back(obs.target);
  return out;
}

TEST_CASE("a JKS or JCEKS key store: the trusted certificates as a bundle, each key entry") {
  Fixture fx;
  for (const std::string name : {"ks.jks", "ks.jceks"}) {
    CAPTURE(name);
    const std::string file = keystore(name).string();
    const std::vector<Observation> all = fx.probeAll(name, kPassword);
    REQUIRE(targetsOf(all) ==
            std::vector<std::string>{file, file + "#leaf-expired", file + "#leaf-server"});
    CHECK(all[0].kind == TargetKind::Bundle);
    CHECK(all[0].role == Role::CaBundle);
    CHECK(all[0].certificates.size() == 1);
    CHECK(all[0].problems.empty());
    CHECK(all[0].private_key_blocks == 0);
    const Observation& server = all[2];
    CHECK(server.kind == TargetKind::File);
    CHECK(server.role == Role::Auto);
    REQUIRE(server.certificates.size() == 2);
    CHECK(server.certificates[0].facts->subject == "CN=server.test,O=certvigil test");
    CHECK(server.chain.status == ChainStatus::Valid);
    REQUIRE(server.key);
    CHECK(server.key->path == file);
    CHECK(server.key->mode == 0600);
    CHECK_FALSE(server.key->group_or_other_readable);
  }
}

TEST_CASE("a wrong password is the store's problem, on the file target; entries still read") {
  Fixture fx;
  const std::vector<Observation> all = fx.probeAll("ks.jks", "wrong-password");
  REQUIRE(all.size() == 3);
  REQUIRE(all[0].problems.size() == 1);
  CHECK(all[0].problems[0].detail == "JKS: " + std::string(x509::kKeystoreBadPassword));
  CHECK(all[1].problems.empty());
  CHECK(all[2].certificates.size() == 2);
}

TEST_CASE("a store of key entries only is its entries; without a password, unchecked") {
  Fixture fx;
  const std::vector<Observation> all = fx.probeAll("client.jks", "");
  REQUIRE(targetsOf(all) ==
          std::vector<std::string>{keystore("client.jks").string() + "#leaf-client"});
  CHECK(all[0].problems.empty());
}

TEST_CASE("PKCS#12 trust stores (keytool -storetype PKCS12) are bundles, not key stores") {
  Fixture fx;
  const std::vector<Observation> all = fx.probeAll("truststore.p12", kPassword);
  REQUIRE(all.size() == 1);
  CHECK(all[0].kind == TargetKind::Bundle);
  CHECK(all[0].certificates.size() == 2);
  CHECK(all[0].problems.empty());
  CHECK_FALSE(all[0].key);
  SUBCASE("an explicit client or server role keeps it a file") {
    const std::vector<Observation> as_client =
        fx.probeAll("truststore.p12", kPassword, Role::Client);
    CHECK(as_client[0].kind == TargetKind::File);
  }
  SUBCASE("a PKCS#12 key store stays one file target with its key") {
    FileSpec spec;
    spec.path = pki("leaf-client.p12");
    spec.password = kPassword;
    const std::vector<Observation> p12 =
        FileProber(fx.certificates, fx.verdicts, fx.trust).probeAll(spec, fx.clock);
    REQUIRE(p12.size() == 1);
    CHECK(p12[0].kind == TargetKind::File);
    CHECK(p12[0].key);
  }
}

}  // namespace
}  // namespace certvigil::probers
