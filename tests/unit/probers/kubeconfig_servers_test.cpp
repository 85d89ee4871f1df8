// SPDX-License-Identifier: Apache-2.0
// probers/kubeconfig_servers: a kubeconfig's contexts as the endpoints `probe_servers` probes
// (no sockets here: the specs only; tests/system/121-kubeconfig-servers.sh probes them).
#include "probers/kubeconfig_servers.h"

#include <doctest/doctest.h>

#include <string>

#include "tests/support/test_support.h"

namespace certvigil::probers {
namespace {

namespace fs = std::filesystem;
using testing::pki;
using testing::readFile;
using testing::writeFile;

TEST_CASE("server URLs: https only, port 443 by default, IPv6 in brackets, a path ignored") {
  std::string host, why;
  int port = 0;
  CHECK(parseServerUrl("https://10.0.0.1:6443", host, port, why));
  CHECK((host == "10.0.0.1" && port == 6443));
  CHECK(parseServerUrl("HTTPS://k8s.example.com/api?x=1", host, port, why));
  CHECK((host == "k8s.example.com" && port == 443));
  CHECK(parseServerUrl("https://[::1]:8443/", host, port, why));
  CHECK((host == "::1" && port == 8443));
  CHECK(parseServerUrl("https://[fd00::1]", host, port, why));
  CHECK((host == "fd00::1" && port == 443));
  CHECK_FALSE(parseServerUrl("http://10.0.0.1:8080", host, port, why));
  CHECK(why.find("not an https URL") != std::string::npos);
  CHECK_FALSE(parseServerUrl("https://", host, port, why));
  CHECK_FALSE(parseServerUrl("https://h:99999", host, port, why));
}

TEST_CASE("contexts: SNI, anchors, the user's credentials in memory, duplicates once") {
  testing::TempDir dir;
  fs::copy_file(pki("ec-root.crt"), dir / "ca.crt");
  fs::copy_file(pki("leaf-client-fullchain.pem"), dir / "alice.crt");
  fs::copy_file(pki("leaf-client.key"), dir / "alice.key");
  const fs::path file = dir / "config";
  writeFile(file, R"(
clusters:
- {name: prod, cluster: {server: "https://127.0.0.1:6443", certificate-authority: ca.crt,
                         tls-server-name: api.prod}}
- {name: open, cluster: {server: "https://k8s.test", insecure-skip-tls-verify: true}}
users:
- {name: alice, user: {client-certificate: alice.crt, client-key: alice.key}}
- {name: robot, user: {token: abc}}
contexts:
- {name: a, context: {cluster: prod, user: alice}}
- {name: b, context: {cluster: prod, user: alice}}
- {name: c, context: {cluster: open, user: robot}}
- {name: d, context: {cluster: gone, user: alice}}
)");
  SystemClock clock;
  const KubeServers found = kubeconfigServers(file, std::chrono::milliseconds(2500), clock);
  REQUIRE(found.servers.size() == 2);  // b is a's server and user again
  const EndpointSpec& a = found.servers[0].spec;
  CHECK(a.name == "kubeconfig:" + file.string() + "#context/a");
  CHECK(a.address == "127.0.0.1:6443");
  CHECK(a.servername == "api.prod");
  CHECK(a.server_chain->trust_pem == readFile(pki("ec-root.crt")));
  CHECK(a.server_chain->trust_not_judged.empty());
  CHECK(a.mtls == MtlsExpectation::Required);
  CHECK(a.client->inline_pem.find("PRIVATE KEY") != std::string::npos);
  CHECK(a.client->certificate == dir / "alice.crt");
  CHECK_FALSE(a.client_target);
  CHECK(a.timeout == std::chrono::milliseconds(2500));
  CHECK(found.servers[0].origin == file.string() + " context a (cluster prod, user alice)");
  const EndpointSpec& c = found.servers[1].spec;
  CHECK(c.address == "k8s.test:443");
  CHECK(c.servername.empty());  // the host
  CHECK(c.server_chain->trust_pem.empty());
  CHECK(c.server_chain->trust_not_judged.find("insecure-skip-tls-verify") != std::string::npos);
  CHECK(c.mtls == MtlsExpectation::None);
  CHECK_FALSE(c.client->configured());
  REQUIRE(found.problems.size() == 1);
  CHECK(found.problems[0].target == "kubeconfig:" + file.string() + "#context/d");
  REQUIRE(found.problems[0].problems.size() == 1);
  CHECK(found.problems[0].problems[0].detail.find("'gone'") != std::string::npos);
}

}  // namespace
}  // namespace certvigil::probers
