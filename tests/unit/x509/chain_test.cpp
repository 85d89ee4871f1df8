// SPDX-License-Identifier: Apache-2.0
// chain.h: trust stores and the mapping of OpenSSL's verifier onto ChainStatus.
#include "x509/chain.h"

#include <doctest/doctest.h>

#include <algorithm>

#include "tests/unit/x509/x509_test_util.h"

namespace certvigil::x509 {
namespace {
using test::fingerprintOfPki;
using test::parsePki;
using test::raw;
using testing::pki;

TrustStore trustOf(const std::vector<std::string>& files) {
  std::vector<std::filesystem::path> paths;
  for (const std::string& f : files) paths.push_back(pki(f));
  Result<TrustStore> trust = TrustStore::load(false, paths);
  REQUIRE_MESSAGE(trust.ok(), (trust.ok() ? "" : trust.error().describe()));
  return *trust;
}

ChainVerdict verify(const std::string& presented, const std::vector<std::string>& anchors,
                    const std::string& extra = {}) {
  const auto certs = parsePki(presented);
  std::vector<ParsedCertificate> extras;
  if (!extra.empty()) extras = parsePki(extra);
  return buildChain(raw(certs), raw(extras), trustOf(anchors));
}

/// The fingerprints of a verdict's path, leaf first.
std::vector<std::string> fingerprints(const CertificatePath& path) {
  std::vector<std::string> out;
  for (size_t i = 0; i < path.size(); ++i) out.push_back(path.fingerprint(i));
  return out;
}

TEST_CASE("valid: leaf + intermediate against the root") {
  const ChainVerdict v = verify("leaf-server-fullchain.pem", {"ec-root.crt"});
  CHECK(v.status == ChainStatus::Valid);
  CHECK(v.position == -1);
  CHECK(fingerprints(v.path) == std::vector<std::string>{fingerprintOfPki("leaf-server.crt"),
                                                         fingerprintOfPki("ec-int.crt"),
                                                         fingerprintOfPki("ec-root.crt")});
  // Where each came from: the file, the file, the trust store.
  REQUIRE(v.path.size() == 3);
  CHECK(v.path[0].source == CertSource::Presented);
  CHECK(v.path[1].source == CertSource::Presented);
  CHECK(v.path[1].position == 1);
  CHECK(v.path[2].source == CertSource::TrustStore);
  CHECK(v.path[2].position == -1);
}

TEST_CASE("path: an intermediate from --chain is marked as the chain file's") {
  const ChainVerdict v = verify("leaf-server.crt", {"ec-root.crt"}, "ec-int.crt");
  REQUIRE(v.path.size() == 3);
  CHECK(v.path[1].source == CertSource::ChainFile);
  CHECK(v.path[1].facts->fingerprint_sha256 == fingerprintOfPki("ec-int.crt"));
}

TEST_CASE("valid: extras that are not on the path are left out of it") {
  const ChainVerdict v = verify("leaf-client-extra-int.pem", {"ec-root.crt"});
  CHECK(v.status == ChainStatus::Valid);
  CHECK(v.path.size() == 3);
  CHECK_FALSE(v.path.contains(fingerprintOfPki("other-int.crt")));
  CHECK(verify("leaf-server-fullchain-root.pem", {"ec-root.crt"}).status == ChainStatus::Valid);
}

TEST_CASE("valid: intermediates from --chain, the RSA chain, MD5 and expiry do not matter") {
  CHECK(verify("leaf-server.crt", {"ec-root.crt"}, "ec-int.crt").status == ChainStatus::Valid);
  CHECK(verify("leaf-md5-fullchain.pem", {"rsa-root.crt"}).status == ChainStatus::Valid);
  CHECK(verify("leaf-expired-fullchain.pem", {"ec-root.crt"}).status == ChainStatus::Valid);
  CHECK(verify("leaf-notyet-fullchain.pem", {"ec-root.crt"}).status == ChainStatus::Valid);
  CHECK(verify("leaf-ed25519-fullchain.pem", {"ca-all.pem"}).status == ChainStatus::Valid);
}

TEST_CASE("incomplete: the leaf alone, issued by an intermediate") {
  const ChainVerdict v = verify("leaf-server.crt", {"ec-root.crt"});
  CHECK(v.status == ChainStatus::Incomplete);
  CHECK(v.position == 0);
  CHECK(v.words().fingerprint == fingerprintOfPki("leaf-server.crt"));
  CHECK(v.words().missing_issuer == "CN=certvigil EC Intermediate,O=certvigil test");
  CHECK(v.words().detail == "unable to get local issuer certificate");
  // The path as far as the verifier got: the leaf alone.
  CHECK(fingerprints(v.path) == std::vector<std::string>{fingerprintOfPki("leaf-server.crt")});
}

TEST_CASE("incomplete: --chain helped but the top is still missing") {
  // The other org's leaf with its intermediate; its root is neither sent nor trusted.
  const ChainVerdict v = verify("leaf-other-client-fullchain.pem", {"ec-root.crt"});
  CHECK(v.status == ChainStatus::Incomplete);
  CHECK(v.position == 1);
  CHECK(v.words().fingerprint == fingerprintOfPki("other-int.crt"));
  CHECK(v.words().missing_issuer == "CN=Other Root,O=other org");
  const ChainVerdict extra = verify("leaf-other-client.crt", {"ec-root.crt"}, "other-int.crt");
  CHECK(extra.status == ChainStatus::Incomplete);
  CHECK(extra.position == 0);  // other-int came from --chain, not presented
  CHECK(extra.words().missing_issuer == "CN=Other Root,O=other org");
}

TEST_CASE("untrusted root: the presented chain ends at a root the store does not hold") {
  const ChainVerdict v = verify("leaf-other-client-fullchain-root.pem", {"ec-root.crt"});
  CHECK(v.status == ChainStatus::UntrustedRoot);
  CHECK(v.position == 2);
  CHECK(v.words().fingerprint == fingerprintOfPki("other-root.crt"));
  CHECK(v.words().detail == "self-signed certificate in certificate chain");
}

TEST_CASE("untrusted root: a self-signed leaf") {
  const ChainVerdict v = verify("leaf-selfsigned.crt", {"ec-root.crt"});
  CHECK(v.status == ChainStatus::UntrustedRoot);
  CHECK(v.position == 0);
  CHECK(v.words().fingerprint == fingerprintOfPki("leaf-selfsigned.crt"));
}

TEST_CASE("not a CA: an issuer without CA:TRUE") {
  const ChainVerdict v = verify("leaf-under-non-ca-fullchain.pem", {"ec-root.crt"});
  CHECK(v.status == ChainStatus::NotACa);
  CHECK(v.position == 1);
  CHECK(v.words().fingerprint == fingerprintOfPki("non-ca-issuer.crt"));
  CHECK(v.words().detail == "invalid CA certificate");
}

TEST_CASE("a leaf that is itself in the trust store is valid") {
  const ChainVerdict self = verify("leaf-selfsigned.crt", {"leaf-selfsigned.crt"});
  CHECK(self.status == ChainStatus::Valid);
  CHECK(fingerprints(self.path) ==
        std::vector<std::string>{fingerprintOfPki("leaf-selfsigned.crt")});
  CHECK(verify("ec-root.crt", {"ec-root.crt"}).status == ChainStatus::Valid);
  CHECK(verify("leaf-server.crt", {"leaf-server.crt"}).status == ChainStatus::Valid);
}

TEST_CASE("an intermediate in the trust store is an anchor (partial chain)") {
  const ChainVerdict v = verify("leaf-server.crt", {"ec-int.crt"});
  CHECK(v.status == ChainStatus::Valid);
  CHECK(v.path.size() == 2);
}

TEST_CASE("nothing presented: not built") {
  CHECK(buildChain({}, {}, trustOf({"ec-root.crt"})).status == ChainStatus::NotBuilt);
}

TEST_CASE("TrustStore::load: system store, errors, identity") {
  Result<TrustStore> system = TrustStore::load(true, {});
  REQUIRE(system.ok());
  CHECK(system->identity() == "system=1;");
  const auto ec_chain = parsePki("leaf-server-fullchain.pem");
  const ChainVerdict against_system = buildChain(raw(ec_chain), {}, *system);
  CHECK(against_system.status == ChainStatus::Incomplete);
  CHECK(against_system.position == 1);
  CHECK(against_system.words().missing_issuer == "CN=certvigil EC Root,O=certvigil test");

  Result<TrustStore> missing = TrustStore::load(false, {pki("ec-root.crt").parent_path() / "no"});
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == ErrorCode::NotFound);
  Result<TrustStore> garbage = TrustStore::load(false, {pki("garbage.bin")});
  REQUIRE_FALSE(garbage.ok());
  CHECK(garbage.error().message.starts_with("no certificate in CA file"));

  const std::string root = fingerprintOfPki("ec-root.crt");
  const std::string rsa = fingerprintOfPki("rsa-root.crt");
  const std::string expected = "system=0;" + std::min(root, rsa) + ";" + std::max(root, rsa) + ";";
  CHECK(trustOf({"ec-root.crt", "rsa-root.crt"}).identity() == expected);
  CHECK(trustOf({"rsa-root.crt", "ec-root.crt"}).identity() == expected);
  CHECK(TrustStore::fromCertificates({test::certOf("ec-root.crt").cert}).identity() ==
        "system=0;" + root + ";");
}

TEST_CASE("TrustStore::fromCertificates verifies like a loaded store") {
  const TrustStore trust = TrustStore::fromCertificates({test::certOf("ec-root.crt").cert});
  const auto certs = parsePki("leaf-client-fullchain.pem");
  CHECK(buildChain(raw(certs), {}, trust).status == ChainStatus::Valid);
}

}  // namespace
}  // namespace certvigil::x509
