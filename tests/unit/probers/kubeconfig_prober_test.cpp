// SPDX-License-Identifier: Apache-2.0
// probers/kubeconfig_prober: kubeconfigs written here from the test PKI — inline base64 data and
// file paths relative to the kubeconfig — as the targets they hold.
#include "probers/kubeconfig_prober.h"

#include <doctest/doctest.h>

#include <sys/stat.h>

#include <openssl/evp.h>

#include <string>

#include "tests/support/test_support.h"
#include "x509/chain.h"

namespace certvigil::probers {
namespace {

namespace fs = std::filesystem;
using testing::pki;
using testing::readFile;
using testing::writeFile;

std::string base64Of(const std::string& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

struct Fixture {
  testing::TempDir dir;
  x509::CertificateCache certificates;
  ChainVerdictCache verdicts;
  x509::TrustStore trust = load();
  SystemClock clock;

  static x509::TrustStore load() {
    Result<x509::TrustStore> t = x509::TrustStore::load(false, {pki("ec-root.crt")});
    REQUIRE(t.ok());
    return std::move(*t);
  }
  std::vector<Observation> probe(const fs::path& file) {
    return probeKubeconfig(file, FileProber(certificates, verdicts, trust), clock);
  }
};

TEST_CASE("inline data: the user is a client target with its key, the cluster CA a bundle") {
  Fixture fx;
  const fs::path file = fx.dir / "inline.yaml";
  writeFile(file,
            "clusters:\n- name: prod\n  cluster:\n    server: https://127.0.0.1:6443\n"
            "    certificate-authority-data: " +
                base64Of(readFile(pki("ec-root.crt"))) +
                "\nusers:\n- name: alice\n  user:\n    client-certificate-data: " +
                base64Of(readFile(pki("leaf-client-fullchain.pem"))) +
                "\n    client-key-data: " + base64Of(readFile(pki("leaf-client.key"))) +
                "\n- name: token\n  user: {token: abc}\n");
  ::chmod(file.c_str(), 0644);
  const std::vector<Observation> all = fx.probe(file);
  REQUIRE(all.size() == 2);
  const Observation& user = all[0];
  CHECK(user.target == "kubeconfig:" + file.string() + "#user/alice");
  CHECK(user.role == Role::Client);
  CHECK(user.problems.empty());
  REQUIRE(user.certificates.size() == 2);
  CHECK(user.chain.status == ChainStatus::Valid);
  REQUIRE(user.key);
  CHECK(user.key->matches);
  CHECK(user.key->path == file.string());  // the kubeconfig holds the key: its mode counts
  CHECK(user.key->group_or_other_readable);
  const Observation& cluster = all[1];
  CHECK(cluster.target == "kubeconfig:" + file.string() + "#cluster/prod");
  CHECK(cluster.kind == TargetKind::Bundle);
  CHECK(cluster.certificates.size() == 1);
}

TEST_CASE("file paths relative to the kubeconfig; a key that is not the certificate's") {
  Fixture fx;
  fs::create_directories(fx.dir / "pki");
  fs::copy_file(pki("leaf-client.crt"), fx.dir / "pki/client.crt");
  fs::copy_file(pki("leaf-server.key"), fx.dir / "pki/client.key");
  const fs::path file = fx.dir / "files.yaml";
  writeFile(file,
            "users:\n- name: bob\n  user: {client-certificate: pki/client.crt, client-key: "
            "pki/client.key}\nclusters:\n- name: dev\n  cluster: {certificate-authority: "
            "missing.crt}\n");
  const std::vector<Observation> all = fx.probe(file);
  REQUIRE(all.size() == 2);
  REQUIRE(all[0].key);
  CHECK(all[0].key->path == (fx.dir / "pki/client.key").string());
  CHECK_FALSE(all[0].key->matches);
  CHECK(all[1].target == "kubeconfig:" + file.string() + "#cluster/dev");
  REQUIRE(all[1].problems.size() == 1);
  CHECK(all[1].problems[0].detail.find("certificate-authority " +
                                       (fx.dir / "missing.crt").string()) == 0);
}

TEST_CASE("a kubeconfig that cannot be read or parsed is a target with the problem") {
  Fixture fx;
  const std::vector<Observation> missing = fx.probe(fx.dir / "none.yaml");
  REQUIRE(missing.size() == 1);
  CHECK(missing[0].target == "kubeconfig:" + (fx.dir / "none.yaml").string());
  CHECK_FALSE(missing[0].success);
  writeFile(fx.dir / "bad.yaml", "users:\n- name: x\n  user: {client-certificate-data: '%%%'}\n");
  const std::vector<Observation> bad = fx.probe(fx.dir / "bad.yaml");
  REQUIRE(bad.size() == 1);
  REQUIRE(bad[0].problems.size() == 1);
  CHECK(bad[0].problems[0].detail == "client-certificate-data: not base64");
}

}  // namespace
}  // namespace certvigil::probers
