// SPDX-License-Identifier: Apache-2.0
// tests/unit/exporters/snapshot_fixtures.cpp: synthetic snapshots (see the header).
#include "tests/unit/exporters/snapshot_fixtures.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace certvigil::testing {
namespace {

constexpr int64_t kDay = 86400;

std::string hexSeed(int seed, size_t width) {
  char buf[17];
  (void)std::snprintf(buf, sizeof buf, "%016x", static_cast<unsigned>(seed) * 2654435761U);
  std::string out;
  while (out.size() < width) out += buf;
  out.resize(width);
  return out;
}

}  // namespace

CertificateFactsPtr makeFacts(const std::string& subject, const std::string& issuer, int seed,
                              int64_t not_before, int64_t not_after) {
  auto facts = std::make_shared<CertificateFacts>();
  facts->subject = subject;
  facts->issuer = issuer;
  facts->fingerprint_sha256 = hexSeed(seed, 64);
  std::string serial = hexSeed(seed + 7, 16);
  std::transform(serial.begin(), serial.end(), serial.begin(), ::toupper);
  facts->serial = serial;
  facts->not_before = fromUnix(not_before);
  facts->not_after = fromUnix(not_after);
  facts->key_type = KeyType::Ec;
  facts->key_bits = 256;
  facts->signature_algorithm = "ecdsa-with-SHA256";
  facts->signature_digest = "sha256";
  facts->has_eku = true;
  facts->eku_server_auth = true;
  return facts;
}

TargetResultPtr makeTarget(const std::string& name, TargetKind kind,
                           std::vector<CertificateFactsPtr> certificates,
                           std::vector<ResolvedRole> roles, std::vector<Finding> findings,
                           bool success, double duration) {
  auto result = std::make_shared<TargetResult>();
  result->unit = name;
  result->observation.target = name;
  result->observation.kind = kind;
  for (size_t i = 0; i < certificates.size(); ++i) {
    result->observation.certificates.push_back({certificates[i], static_cast<int>(i)});
  }
  result->observation.success = success;
  result->observation.duration_seconds = duration;
  result->observation.collected_at = fromUnix(kFixtureNow);
  result->roles = std::move(roles);
  result->findings = std::move(findings);
  return result;
}

SnapshotPtr makeSnapshot(std::vector<TargetResultPtr> targets, std::vector<UnitScan> scans) {
  auto snapshot = std::make_shared<Snapshot>();
  snapshot->targets = std::move(targets);
  snapshot->scans = std::move(scans);
  snapshot->generated_at = fromUnix(kFixtureNow);
  return snapshot;
}

// An mTLS endpoint that asked for a client certificate from two CAs.
TargetResultPtr mtlsEndpoint(const CertificateFactsPtr& leaf, const CertificateFactsPtr& issuer) {
  auto target = std::const_pointer_cast<TargetResult>(
      makeTarget("mtls.internal:8443", TargetKind::Endpoint, {leaf, issuer},
                 {ResolvedRole::Server, ResolvedRole::Ca}, {}, true, 0.05));
  auto facts = std::make_shared<EndpointFacts>();
  facts->address = "mtls.internal:8443";
  facts->ip = "10.0.0.8";
  facts->tls_version = "TLSv1.3";
  facts->cipher = "TLS_AES_128_GCM_SHA256";
  facts->client.edit().expected = MtlsExpectation::Required;
  facts->client.edit().certificate_requested = true;
  facts->client.edit().acceptable_ca_names = {"CN=Example Root CA,O=Example", "CN=Partner \"CA\""};
  target->observation.endpoint = std::move(facts);
  return target;
}

SnapshotPtr smallSnapshot() {
  const auto leaf = makeFacts("CN=api.internal,O=Example", "CN=Example Issuing CA,O=Example", 1,
                              kFixtureNow - 60 * kDay, kFixtureNow + 20 * kDay);
  const auto intermediate =
      makeFacts("CN=Example Issuing CA,O=Example", "CN=Example Root CA,O=Example", 2,
                kFixtureNow - 400 * kDay, kFixtureNow + 1000 * kDay);
  const auto root = makeFacts("CN=Example Root CA,O=Example", "CN=Example Root CA,O=Example", 3,
                              kFixtureNow - 800 * kDay, kFixtureNow + 3000 * kDay);
  Finding soon =
      makeFinding(FindingCode::ExpiresSoon, "expires in 20 days", leaf->fingerprint_sha256, 0);
  soon.severity = Severity::Warning;
  Finding refused = makeFinding(FindingCode::ConnectFailed, "connection refused");
  auto api_file = std::const_pointer_cast<TargetResult>(
      makeTarget("/etc/ssl/api.pem", TargetKind::File, {leaf, intermediate},
                 {ResolvedRole::Server, ResolvedRole::Ca}, {soon}, true, 0.002));
  // Its ACME CA suggests renewing from 10 days before expiry (RFC 9773 renewal information).
  RenewalFacts renewal;
  renewal.fingerprint = leaf->fingerprint_sha256;
  renewal.window_start = fromUnix(kFixtureNow + 10 * kDay);
  renewal.window_end = fromUnix(kFixtureNow + 12 * kDay);
  api_file->observation.renewal.push_back(renewal);
  std::vector<TargetResultPtr> targets = {
      makeTarget("/etc/nginx/client_ca.pem", TargetKind::Bundle, {root}, {ResolvedRole::Ca}, {},
                 true, 0.0015),
      api_file,
      makeTarget("api.internal:443", TargetKind::Endpoint, {}, {}, {refused}, false, 10),
      mtlsEndpoint(leaf, intermediate),
  };
  std::vector<UnitScan> scans = {
      {"/etc/ssl/*.pem", TargetKind::File, fromUnix(kFixtureNow - 30), 0.5, true, 1},
      {"api.internal:443", TargetKind::Endpoint, fromUnix(kFixtureNow - 20), 10, false, 1},
  };
  auto snapshot =
      std::const_pointer_cast<Snapshot>(makeSnapshot(std::move(targets), std::move(scans)));
  // One CRL fetched, one failing; requests to CAs by kind and result.
  snapshot->crls = {{"http://crl.example/issuing.crl", fromUnix(kFixtureNow + 6 * kDay), true},
                    {"http://crl.example/down.crl", std::nullopt, false}};
  snapshot->revocation_fetches = {
      {"ari", "ok", 1}, {"crl", "error", 1}, {"crl", "ok", 2}, {"ocsp", "ok", 0}};
  return snapshot;
}

std::vector<TargetResultPtr> manyTargets(size_t count) {
  std::vector<TargetResultPtr> targets;
  targets.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    char name[64];
    (void)std::snprintf(name, sizeof name, "/etc/ssl/clients/service-%06zu.pem", i);
    const int seed = static_cast<int>(i) + 100;
    const auto facts =
        makeFacts(std::string("CN=service-") + std::to_string(i) + ",OU=Clients,O=Example",
                  "CN=Example Issuing CA,O=Example", seed, kFixtureNow - 90 * kDay,
                  kFixtureNow + static_cast<int64_t>(i % 400) * kDay);
    targets.push_back(makeTarget(name, TargetKind::File, {facts}, {ResolvedRole::Client}, {}, true,
                                 0.0001 * static_cast<double>(i % 50)));
  }
  return targets;
}

exporters::DaemonStatus fixedStatus() {
  exporters::DaemonStatus status;
  status.version = "0.1.0";
  status.openssl_version = "OpenSSL 3.0.11 19 Sep 2023";
  status.config_reload_ok = true;
  status.config_reload_at = fromUnix(kFixtureNow - 3600);
  status.ready = false;
  exporters::NotifierStatus webhook;
  webhook.name = "ops-webhook";
  webhook.delivered = 12;
  webhook.retried = 3;
  webhook.rejected = 1;
  webhook.pending = 2;
  webhook.oldest_pending_age_seconds = 42;
  status.notifiers.push_back(webhook);
  return status;
}

exporters::ProcessStats fixedProcess() {
  exporters::ProcessStats process;
  process.cpu_seconds = 1.25;
  process.resident_bytes = 10485760;
  process.virtual_bytes = 104857600;
  process.start_time_seconds = static_cast<double>(kFixtureNow - 7200);
  process.open_fds = 12;
  process.max_fds = 1024;
  return process;
}

SnapshotPtr FakeSnapshotSource::latest() const {
  std::lock_guard lock(mutex_);
  return snapshot_;
}

void FakeSnapshotSource::set(SnapshotPtr snapshot) {
  std::lock_guard lock(mutex_);
  snapshot_ = std::move(snapshot);
}

exporters::DaemonStatus FakeStatusProvider::status() const {
  std::lock_guard lock(mutex_);
  return status_;
}

void FakeStatusProvider::setReady(bool ready) {
  std::lock_guard lock(mutex_);
  status_.ready = ready;
}

std::vector<std::string> sampleLines(const std::string& exposition) {
  std::vector<std::string> lines;
  std::istringstream in(exposition);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line[0] != '#') lines.push_back(line);
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

std::vector<std::pair<std::string, double>> parsedSamples(const std::string& exposition) {
  std::vector<std::pair<std::string, double>> samples;
  for (const std::string& line : sampleLines(exposition)) {
    const size_t space = line.rfind(' ');
    // 12 significant digits: TextSerializer prints 16, the fast path the shortest exact form.
    char rounded[32];
    (void)std::snprintf(rounded, sizeof rounded, "%.12g", std::stod(line.substr(space + 1)));
    samples.emplace_back(line.substr(0, space), std::stod(rounded));
  }
  std::sort(samples.begin(), samples.end());
  return samples;
}

}  // namespace certvigil::testing
