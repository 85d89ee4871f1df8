// SPDX-License-Identifier: Apache-2.0
// Inline `-data` is base64 of PEM (kubectl writes it so); it is decoded in memory and read like
// a file's content, never written anywhere. An inline key's mode is the kubeconfig's own: that
// file is where the key is exposed.
#include "probers/kubeconfig_prober.h"

#include "config/kubeconfig_file.h"
#include "probers/file_expander.h"
#include "x509/pem.h"
#include "x509/reader.h"

namespace certvigil::probers {
namespace {

/// Base64 (one line or many) to bytes, through OpenSSL's PEM decoder.
Result<std::string> decodeBase64(const std::string& text) {
  std::string pem = "-----BEGIN DATA-----\n";
  std::string compact;
  for (char c : text) {
    if (c != '\n' && c != '\r' && c != ' ' && c != '\t') compact += c;
  }
  for (size_t i = 0; i < compact.size(); i += 64) pem += compact.substr(i, 64) + "\n";
  pem += "-----END DATA-----\n";
  Result<x509::PemData> data = x509::decodePemBlock(pem);
  if (!data) return makeError(ErrorCode::Parse, "not base64");
  return std::move(data->der);
}

}  // namespace

Observation kubeconfigProblem(const std::string& name, TargetKind kind, Role role, std::string why,
                              const Clock& clock) {
  Observation obs;
  obs.target = name;
  obs.kind = kind;
  obs.role = role;
  obs.problems.push_back(readProblem(std::move(why)));
  obs.success = false;
  obs.collected_at = clock.now();
  return obs;
}

namespace {

Observation userTarget(const std::filesystem::path& file, const config::KubeUser& user,
                       const FileProber& files, const Clock& clock) {
  const std::string name = kubeconfigTargetName(file) + "#user/" + user.name;
  std::string problem;
  std::string bytes =
      materialOf(user.certificate_file, user.certificate_data, "client-certificate", problem);
  FileSpec spec;
  spec.path = name;
  spec.role = Role::Client;
  spec.key = user.key_file;
  // Where an inline key is exposed: the kubeconfig for -data, else the certificate file.
  spec.holder = user.key_data.empty() ? user.certificate_file : file;
  if (problem.empty() && !user.key_data.empty()) {
    // The key rides along with the certificate, as in a cert+key PEM file.
    bytes += "\n" + materialOf({}, user.key_data, "client-key", problem);
    spec.key.clear();
  }
  if (!problem.empty())
    return kubeconfigProblem(name, TargetKind::File, Role::Client, problem, clock);
  return files.probeBytes(spec, bytes, clock).front();
}

Observation clusterTarget(const std::filesystem::path& file, const config::KubeCluster& cluster,
                          const FileProber& files, const Clock& clock) {
  const std::string name = kubeconfigTargetName(file) + "#cluster/" + cluster.name;
  std::string problem;
  const std::string bytes =
      materialOf(cluster.ca_file, cluster.ca_data, "certificate-authority", problem);
  if (!problem.empty()) {
    return kubeconfigProblem(name, TargetKind::Bundle, Role::CaBundle, problem, clock);
  }
  FileSpec spec;
  spec.path = name;
  spec.kind = TargetKind::Bundle;
  spec.role = Role::CaBundle;
  return files.probeBytes(spec, bytes, clock).front();
}

}  // namespace

std::string materialOf(const std::filesystem::path& file, const std::string& data, const char* what,
                       std::string& problem) {
  if (!data.empty()) {
    Result<std::string> bytes = decodeBase64(data);
    if (!bytes) problem = std::string(what) + "-data: " + bytes.error().message;
    return bytes ? std::move(*bytes) : std::string();
  }
  Result<std::string> bytes = x509::readFileCapped(file);
  if (!bytes) problem = std::string(what) + " " + file.string() + ": " + bytes.error().message;
  return bytes ? std::move(*bytes) : std::string();
}

std::string kubeconfigTargetName(const std::filesystem::path& file) {
  return "kubeconfig:" + file.string();
}

std::vector<Observation> probeKubeconfig(const std::filesystem::path& file, const FileProber& files,
                                         const Clock& clock) {
  const std::string name = kubeconfigTargetName(file);
  Result<std::string> text = x509::readFileCapped(file);
  if (!text) {
    return {kubeconfigProblem(name, TargetKind::File, Role::Auto,
                              "cannot read: " + text.error().message, clock)};
  }
  Result<config::Kubeconfig> kube = config::parseKubeconfig(*text, file.parent_path());
  if (!kube)
    return {kubeconfigProblem(name, TargetKind::File, Role::Auto, kube.error().message, clock)};
  std::vector<Observation> out;
  for (const std::string& problem : kube->problems) {
    out.push_back(kubeconfigProblem(name, TargetKind::File, Role::Auto, problem, clock));
  }
  for (const config::KubeUser& user : kube->users) {
    if (user.hasCertificate()) out.push_back(userTarget(file, user, files, clock));
  }
  for (const config::KubeCluster& cluster : kube->clusters) {
    if (!cluster.ca_file.empty() || !cluster.ca_data.empty()) {
      out.push_back(clusterTarget(file, cluster, files, clock));
    }
  }
  return out;
}

}  // namespace certvigil::probers
