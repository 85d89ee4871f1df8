// SPDX-License-Identifier: Apache-2.0
// The user's certificate and key travel as PEM in memory (ClientCredentialFiles::inline_pem),
// whether the kubeconfig holds them inline or names files: nothing is written to disk, and the
// files are read at every scan like the kubeconfig itself. The client certificate is not a
// target of its own here: the kubeconfig's "#user/<name>" target judges it already.
#include "probers/kubeconfig_servers.h"

#include <cctype>
#include <set>

#include "config/kubeconfig_file.h"
#include "probers/kubeconfig_prober.h"
#include "x509/facts.h"
#include "x509/reader.h"

namespace certvigil::probers {
namespace {

const config::KubeCluster* findCluster(const config::Kubeconfig& kube, const std::string& name) {
  for (const config::KubeCluster& c : kube.clusters) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

const config::KubeUser* findUser(const config::Kubeconfig& kube, const std::string& name) {
  for (const config::KubeUser& u : kube.users) {
    if (u.name == name) return &u;
  }
  return nullptr;
}

/// The address dialled and the name verified, from the cluster; `why` when it has no https URL.
bool serverOf(const config::KubeCluster& cluster, EndpointSpec& spec, std::string& why) {
  std::string host;
  int port = 0;
  if (!parseServerUrl(cluster.server, host, port, why)) return false;
  spec.host = config::toALabel(host).value_or(host);
  spec.port = port;
  const bool v6 = host.find(':') != std::string::npos;
  spec.address = (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
  // kubectl sends tls-server-name as SNI and verifies the certificate against it.
  spec.servername = config::toALabel(cluster.tls_server_name).value_or(cluster.tls_server_name);
  return true;
}

/// The anchors of the cluster (its CA) or why they cannot be read; none: the trust store.
bool trustOf(const config::KubeCluster& cluster, EndpointSpec& spec, std::string& why) {
  if (cluster.insecure_skip_tls_verify) {
    spec.server_chain.edit().trust_not_judged =
        "the kubeconfig sets insecure-skip-tls-verify for cluster " + cluster.name +
        ", so clients do not verify the server";
    return true;
  }
  if (cluster.ca_file.empty() && cluster.ca_data.empty()) return true;
  spec.server_chain.edit().trust_pem =
      materialOf(cluster.ca_file, cluster.ca_data, "certificate-authority", why);
  return why.empty();
}

/// The user's certificate and key, in memory; mTLS required when there is a certificate.
bool clientOf(const std::filesystem::path& file, const config::KubeUser& user, EndpointSpec& spec,
              std::string& why) {
  if (!user.hasCertificate()) return true;  // a token or exec user: the server's side only
  std::string pem =
      materialOf(user.certificate_file, user.certificate_data, "client-certificate", why);
  if (!why.empty()) return false;
  if (!user.key_file.empty() || !user.key_data.empty()) {
    pem += "\n" + materialOf(user.key_file, user.key_data, "client-key", why);
    if (!why.empty()) return false;
  }
  spec.client.edit().certificate =
      user.certificate_data.empty()
          ? user.certificate_file
          : std::filesystem::path(kubeconfigTargetName(file) + "#user/" + user.name);
  spec.client.edit().inline_pem = std::move(pem);
  spec.client_target = false;
  spec.mtls = MtlsExpectation::Required;
  return true;
}

/// One context's server, or why it cannot be probed.
bool contextServer(const std::filesystem::path& file, const config::Kubeconfig& kube,
                   const config::KubeContext& context, EndpointSpec& spec, std::string& why) {
  const config::KubeCluster* cluster = findCluster(kube, context.cluster);
  const config::KubeUser* user = findUser(kube, context.user);
  if (cluster == nullptr) why = "context names cluster '" + context.cluster + "', not in the file";
  if (user == nullptr && why.empty()) {
    why = "context names user '" + context.user + "', not in the file";
  }
  if (!why.empty()) return false;
  spec.name = kubeconfigTargetName(file) + "#context/" + context.name;
  return serverOf(*cluster, spec, why) && trustOf(*cluster, spec, why) &&
         clientOf(file, *user, spec, why);
}

/// What makes two contexts the same probe: the server dialled the same way, the same user.
std::string probeKey(const EndpointSpec& spec, const std::string& user) {
  const ServerChainRules& rules = spec.server_chain.get();
  return spec.address + "|" + spec.servername + "|" + x509::sha256Hex(rules.trust_pem) + "|" +
         rules.trust_not_judged + "|" + user;
}

}  // namespace

bool parseServerUrl(const std::string& url, std::string& host, int& port, std::string& why) {
  constexpr std::string_view kScheme = "https://";
  std::string scheme = url.substr(0, kScheme.size());
  for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (scheme != kScheme) {
    why = "server '" + url + "' is not an https URL: not probed";
    return false;
  }
  std::string authority = url.substr(kScheme.size());
  authority = authority.substr(0, authority.find_first_of("/?#"));
  // "host" and "[v6]" without a port: https's 443, as kubectl dials them.
  const size_t bracket = authority.rfind(']');
  const size_t colon = authority.rfind(':');
  const bool has_port =
      colon != std::string::npos && (bracket == std::string::npos || colon > bracket);
  std::string problem;
  const std::optional<config::HostPort> hp =
      config::parseHostPort(has_port ? authority : authority + ":443", false, &problem);
  if (!hp || hp->host.empty()) {
    why = "server '" + url + "': " + (problem.empty() ? "no host" : problem);
    return false;
  }
  host = hp->host;
  port = hp->port;
  return true;
}

KubeServers kubeconfigServers(const std::filesystem::path& file, std::chrono::milliseconds timeout,
                              const Clock& clock) {
  KubeServers out;
  Result<std::string> text = x509::readFileCapped(file);
  if (!text) return out;
  Result<config::Kubeconfig> kube = config::parseKubeconfig(*text, file.parent_path());
  if (!kube) return out;
  std::set<std::string> seen;
  for (const config::KubeContext& context : kube->contexts) {
    KubeServer server;
    server.spec.timeout = timeout;
    std::string why;
    if (!contextServer(file, *kube, context, server.spec, why)) {
      out.problems.push_back(
          kubeconfigProblem(kubeconfigTargetName(file) + "#context/" + context.name,
                            TargetKind::Endpoint, Role::Server, why, clock));
      continue;
    }
    if (!seen.insert(probeKey(server.spec, context.user)).second) continue;
    server.origin = file.string() + " context " + context.name + " (cluster " + context.cluster +
                    ", user " + context.user + ")";
    out.servers.push_back(std::move(server));
  }
  return out;
}

}  // namespace certvigil::probers
