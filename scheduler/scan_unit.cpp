// SPDX-License-Identifier: Apache-2.0
#include "scheduler/scan_unit.h"

namespace certvigil::scheduler {

std::vector<ScanUnit> unitsFromConfig(const config::Config& config) {
  std::vector<ScanUnit> units;
  for (const auto& f : config.files) {
    ScanUnit u;
    u.name = f.path;
    u.kind = f.role == Role::CaBundle ? TargetKind::Bundle : TargetKind::File;
    u.interval = f.interval.value_or(config.interval);
    u.role = f.role;
    FileUnitInputs& in = u.files.edit();
    in.key = f.key;
    in.password_file = f.password_file;
    in.chain = f.chain;
    in.crl_files = f.crl_files;
    in.issuers = f.issuers;
    in.hostname = config::toALabel(f.hostname).value_or(f.hostname);
    u.clients = f.clients.value_or(config.clients);
    u.revocation = f.revocation.value_or(config.revocation);
    units.push_back(std::move(u));
  }
  for (const auto& b : config.bundles) {
    ScanUnit u;
    u.name = b.path;
    u.kind = TargetKind::Bundle;
    u.role = Role::CaBundle;
    u.interval = b.interval.value_or(config.interval);
    u.clients = b.clients.value_or(config.clients);
    u.revocation = config.revocation;
    units.push_back(std::move(u));
  }
  for (const auto& e : config.endpoints) {
    ScanUnit u;
    u.endpoint = endpointSpecFrom(e, config);
    u.name = u.endpoint->name;  // one allocation for both
    u.kind = TargetKind::Endpoint;
    u.role = Role::Server;
    u.interval = e.interval.value_or(config.interval);
    u.clients = e.clients.value_or(config.clients);
    u.revocation = e.revocation.value_or(config.revocation);
    units.push_back(std::move(u));
  }
  for (const auto& k : config.kubeconfigs) {
    ScanUnit u;
    u.name = "kubeconfig:" + k.path.string();
    u.files.edit().kubeconfig = k.path;
    u.interval = k.interval.value_or(config.interval);
    u.clients = k.clients.value_or(config.clients);
    u.revocation = config.revocation;
    if (k.probe_servers) {
      u.files.edit().probe_servers =
          KubeServerProbe{std::chrono::duration_cast<std::chrono::milliseconds>(config.timeout)};
    }
    units.push_back(std::move(u));
  }
  for (ScanUnit& u : discoverUnitsFromConfig(config)) units.push_back(std::move(u));
  return units;
}

bool sameScan(const ScanUnit& a, const ScanUnit& b) {
  if (a.name != b.name) return false;  // the cheap test first: most pairs differ by name
  ScanUnit x = a;
  x.interval = b.interval;
  x.clients = b.clients;
  return x == b;
}

Policy unitPolicy(const ScanUnit& unit, const Policy& base) {
  Policy policy = base;
  policy.clients = unit.clients;
  return policy;
}

std::string endpointTargetName(const config::EndpointConfig& endpoint) {
  const auto parsed = config::parseHostPort(endpoint.address);
  const bool other_name =
      !endpoint.servername.empty() && parsed && endpoint.servername != parsed->host;
  return other_name ? endpoint.address + "/" + endpoint.servername : endpoint.address;
}

bool configuresEndpoint(const ScanUnit& unit, std::string_view address,
                        std::string_view servername) {
  if (unit.kind != TargetKind::Endpoint || !unit.endpoint || unit.endpoint->address != address) {
    return false;
  }
  if (servername.empty()) return true;
  return unit.endpoint->servername ==
         config::toALabel(servername).value_or(std::string(servername));
}

probers::EndpointSpec endpointSpecFrom(const config::EndpointConfig& e,
                                       const config::Config& config) {
  probers::EndpointSpec spec;
  spec.name = endpointTargetName(e);
  spec.address = e.address;
  if (auto parsed = config::parseHostPort(e.address)) {
    spec.host = config::toALabel(parsed->host).value_or(parsed->host);
    spec.port = parsed->port;
  }
  // SNI, DNS and the subjectAltName comparison all take A-labels.
  spec.servername = config::toALabel(e.servername).value_or(e.servername);
  switch (e.mtls) {
    case config::MtlsMode::None:
      spec.mtls = MtlsExpectation::None;
      break;
    case config::MtlsMode::Optional:
      spec.mtls = MtlsExpectation::Optional;
      break;
    case config::MtlsMode::Required:
      spec.mtls = MtlsExpectation::Required;
      break;
  }
  if (!e.client_cert.empty() || !e.client_pkcs12.empty()) {
    probers::ClientCredentialFiles& client = spec.client.edit();
    client.certificate = e.client_cert;
    client.key = e.client_key;
    client.pkcs12 = e.client_pkcs12;
    client.password_file = e.password_file;
  }
  if (!e.expect_file.empty()) spec.server_chain.edit().expect_file = e.expect_file;
  spec.starttls = e.starttls;
  spec.all_addresses = e.all_addresses;
  spec.timeout =
      std::chrono::duration_cast<std::chrono::milliseconds>(e.timeout.value_or(config.timeout));
  return spec;
}

}  // namespace certvigil::scheduler
