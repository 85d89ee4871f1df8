// SPDX-License-Identifier: Apache-2.0
// tests/unit/cli/synthetic.h: a hand-made set of target results at a fixed `now`, for the
// renderers. Every field the reports print is set to a known value.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/snapshot.h"

namespace certvigil::cli::testing {

/// 2026-11-22T12:00:00Z.
constexpr TimePoint kNow{Seconds{1795348800}};
constexpr Seconds kDay{86400};

/// 64 lowercase hex digits derived from `name` (its bytes in hex, repeated).
inline std::string fakeFingerprint(const std::string& name) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char c : name) {
    hex += kHex[c >> 4];
    hex += kHex[c & 0xf];
  }
  std::string out;
  while (out.size() < 64) out += hex;
  return out.substr(0, 64);
}

enum class Use { Server, Client, Ca, SelfSigned };

inline CertificateFactsPtr facts(const std::string& cn, const std::string& issuer_cn,
                                 TimePoint not_before, TimePoint not_after, Use use = Use::Server) {
  const bool ca = use == Use::Ca;
  auto f = std::make_shared<CertificateFacts>();
  f->fingerprint_sha256 = fakeFingerprint(cn);
  f->subject = "CN=" + cn + ",O=Example";
  f->issuer = "CN=" + issuer_cn + ",O=Example";
  f->common_name = cn;
  f->serial = "0A1B2C";
  f->not_before = not_before;
  f->not_after = not_after;
  f->is_ca = ca;
  f->self_issued = use == Use::SelfSigned;
  f->self_signed = use == Use::SelfSigned;
  f->has_eku = !ca;
  f->eku_server_auth = use == Use::Server || use == Use::SelfSigned;
  f->eku_client_auth = use == Use::Client;
  f->key_type = KeyType::Ec;
  f->key_bits = 256;
  f->key_curve = "prime256v1";
  f->signature_algorithm = "ecdsa-with-SHA256";
  f->signature_digest = "sha256";
  if (!ca) f->dns_names = {cn};
  return f;
}

inline Finding finding(FindingCode code, Severity severity, const CertificateFactsPtr& cert,
                       int position, const std::string& message, const std::string& remedy) {
  Finding f;
  f.code = code;
  f.severity = severity;
  f.fingerprint = cert ? cert->fingerprint_sha256 : "";
  f.position = cert ? position : -1;
  f.message = message;
  f.remedy = remedy;
  return f;
}

struct Target {
  std::string name;
  TargetKind kind = TargetKind::File;
  std::vector<CertificateFactsPtr> certs;
  std::vector<ResolvedRole> roles;
  std::vector<Finding> findings;
};

inline TargetResultPtr result(Target t) {
  auto r = std::make_shared<TargetResult>();
  r->unit = t.name;
  r->observation.target = t.name;
  r->observation.kind = t.kind;
  int position = 0;
  for (auto& c : t.certs) r->observation.certificates.push_back({std::move(c), position++});
  r->roles = std::move(t.roles);
  r->findings = std::move(t.findings);
  return r;
}

// Targets name only the fields they set (designated initializers).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

/// Five targets, in name order: a healthy file, an expired file, a self-signed (info only)
/// file, a file that expires in 12 days, and an endpoint whose server rejected our client
/// certificate (with a cause).
inline std::vector<TargetResultPtr> syntheticResults() {
  const auto intermediate =
      facts("Example Int", "Example Root", kNow - 400 * kDay, kNow + 3000 * kDay, Use::Ca);
  const auto good = facts("good.example", "Example Int", kNow - 30 * kDay, kNow + 60 * kDay);
  const auto client =
      facts("client.example", "Example Int", kNow - 10 * kDay, kNow + 80 * kDay, Use::Client);
  const auto expired = facts("old.example", "Example Int", kNow - 93 * kDay, kNow - 3 * kDay);
  const auto self =
      facts("self.example", "self.example", kNow - 5 * kDay, kNow + 360 * kDay, Use::SelfSigned);
  const auto soon = facts("soon.example", "Example Int", kNow - 78 * kDay, kNow + 12 * kDay);

  Finding rejected = finding(FindingCode::ClientCertRejected, Severity::Critical, client, 0,
                             "the server refused client certificate CN=client.example",
                             "add the issuing CA of the client certificate to the server's "
                             "client CA bundle");
  rejected.cause = RejectCause::UnknownCa;

  return {
      result({.name = "/etc/ssl/good.pem",
              .certs = {good, intermediate},
              .roles = {ResolvedRole::Server, ResolvedRole::Ca}}),
      result({.name = "/etc/ssl/old.pem",
              .certs = {expired, intermediate},
              .roles = {ResolvedRole::Server, ResolvedRole::Ca},
              .findings = {finding(FindingCode::Expired, Severity::Critical, expired, 0,
                                   "CN=old.example expired 3 days ago (2026-11-19T12:00:00Z)",
                                   "renew CN=old.example and deploy it (then reload the service "
                                   "that uses it)")}}),
      result({.name = "/etc/ssl/self.pem",
              .certs = {self},
              .roles = {ResolvedRole::Server},
              .findings = {finding(FindingCode::SelfSigned, Severity::Info, self, 0,
                                   "CN=self.example is self-signed",
                                   "use a certificate issued by your CA if other parties must "
                                   "verify it")}}),
      result({.name = "/etc/ssl/soon.pem",
              .certs = {soon, intermediate},
              .roles = {ResolvedRole::Server, ResolvedRole::Ca},
              .findings = {finding(FindingCode::ExpiresSoon, Severity::Warning, soon, 0,
                                   "CN=soon.example expires in 12 days (2026-12-04T12:00:00Z)",
                                   "renew CN=soon.example and deploy it (then reload the service "
                                   "that uses it)")}}),
      result({.name = "mtls.example:443",
              .kind = TargetKind::Endpoint,
              .certs = {client},
              .roles = {ResolvedRole::Client},
              .findings = {rejected}}),
  };
}

#pragma GCC diagnostic pop

}  // namespace certvigil::cli::testing
