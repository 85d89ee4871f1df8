// SPDX-License-Identifier: Apache-2.0
// config/load_kubeconfig.cpp and kubeconfig_file.cpp: the `kubeconfig:` list of the config, and
// the certificate-bearing parts of a kubeconfig file as kubectl writes it.
#include <doctest/doctest.h>

#include "config/config.h"
#include "config/kubeconfig_file.h"
#include "tests/unit/config/config_test_util.h"

namespace certvigil::config::test {
namespace {

using std::filesystem::path;

TEST_CASE("kubeconfig: entries are paths or mappings, relative to the config's directory") {
  const Config c = loadValid(R"(
kubeconfig:
  - /etc/kubernetes/admin.conf
  - path: kube/ci.yaml
    interval: 10m
    clients: [go]
)");
  REQUIRE(c.kubeconfigs.size() == 2);
  CHECK(c.kubeconfigs[0].path == path("/etc/kubernetes/admin.conf"));
  CHECK_FALSE(c.kubeconfigs[0].interval.has_value());
  CHECK(c.kubeconfigs[1].path == path("/etc/certvigil/kube/ci.yaml"));
  CHECK(c.kubeconfigs[1].interval == Seconds{600});
  CHECK(c.kubeconfigs[1].clients.has_value());
  CHECK(c.kubeconfigs[1].line == 4);
  CHECK_FALSE(c.kubeconfigs[0].probe_servers);  // network traffic only when asked for
  CHECK_FALSE(c.kubeconfigs[1].probe_servers);
}

TEST_CASE("kubeconfig: probe_servers is a boolean, off by default") {
  const Config c = loadValid("kubeconfig:\n  - path: /k.yaml\n    probe_servers: true\n");
  REQUIRE(c.kubeconfigs.size() == 1);
  CHECK(c.kubeconfigs[0].probe_servers);
  expectOneProblem("kubeconfig:\n  - path: /k.yaml\n    probe_servers: maybe\n",
                   "kubeconfig[0].probe_servers", 3, "");
}

TEST_CASE("kubeconfig: mistakes are problems with their line") {
  expectOneProblem("kubeconfig:\n  - path: a.yaml\n    probe: true\n", "kubeconfig[0].probe", 3,
                   "unknown key");
  expectOneProblem("kubeconfig:\n  - interval: 1h\n", "kubeconfig[0]", 2, "path is required");
  expectOneProblem("kubeconfig:\n  - a.yaml\n  - path: a.yaml\n", "kubeconfig[1]", 3,
                   "same as kubeconfig[0] (line 2)");
  expectOneProblem("kubeconfig: /a.yaml\n", "kubeconfig", 1, "expected a list");
}

constexpr const char* kKubeconfig = R"(
apiVersion: v1
kind: Config
clusters:
- name: prod
  cluster:
    server: https://10.0.0.1:6443
    certificate-authority-data: TUlJQg==
    tls-server-name: kubernetes
- name: dev
  cluster: {server: "https://dev:6443", certificate-authority: ../pki/ca.crt}
- name: public
  cluster: {server: "https://k8s.example.com"}
users:
- name: alice
  user: {client-certificate-data: Q0VSVA==, client-key-data: S0VZ}
- name: bob
  user: {client-certificate: bob.crt, client-key: /keys/bob.key}
- name: token
  user: {token: secret}
contexts:
- name: alice@prod
  context: {cluster: prod, user: alice}
current-context: alice@prod
preferences: {}
)";

TEST_CASE("a kubeconfig: clusters, users with certificates, contexts; files resolved") {
  Result<Kubeconfig> k = parseKubeconfig(kKubeconfig, "/home/ops/.kube");
  REQUIRE(k.ok());
  CHECK(k->problems.empty());
  REQUIRE(k->clusters.size() == 3);
  CHECK(k->clusters[0].server == "https://10.0.0.1:6443");
  CHECK(k->clusters[0].ca_data == "TUlJQg==");
  CHECK(k->clusters[0].tls_server_name == "kubernetes");
  CHECK(k->clusters[1].ca_file == path("/home/ops/pki/ca.crt"));
  CHECK(k->clusters[2].ca_file.empty());
  REQUIRE(k->users.size() == 3);
  CHECK(k->users[0].certificate_data == "Q0VSVA==");
  CHECK(k->users[0].key_data == "S0VZ");
  CHECK(k->users[1].certificate_file == path("/home/ops/.kube/bob.crt"));
  CHECK(k->users[1].key_file == path("/keys/bob.key"));
  CHECK_FALSE(k->users[2].hasCertificate());
  REQUIRE(k->contexts.size() == 1);
  CHECK(k->contexts[0].cluster == "prod");
  CHECK(k->contexts[0].user == "alice");
}

TEST_CASE("a damaged kubeconfig: entry problems, or an error when it is not one at all") {
  Result<Kubeconfig> k = parseKubeconfig(
      "users:\n- user: {client-certificate: a.crt}\n- name: x\n  user: 3\nclusters: 7\n", "/");
  REQUIRE(k.ok());
  CHECK(k->problems == std::vector<std::string>{"clusters: not a list",
                                                "users[0]: an entry without a name",
                                                "users[1] (x): no 'user' mapping"});
  CHECK_FALSE(parseKubeconfig("- a\n- b\n", "/").ok());
  CHECK_FALSE(parseKubeconfig("users: [\n", "/").ok());
  CHECK_FALSE(parseKubeconfig(",", "/").ok());  // the yaml-cpp 0.7 hang (config/yaml_guard.h)
}

}  // namespace
}  // namespace certvigil::config::test
