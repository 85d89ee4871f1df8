// SPDX-License-Identifier: Apache-2.0
// checks/eku.cpp: eku_client_auth_missing, eku_server_auth_missing, down the whole path.
//
// Only for a leaf with a role: an explicit --role client / server, or an endpoint's leaf (a
// server certificate). Auto role states no purpose, so there is nothing to miss.
//
// Decisions (docs/FINDINGS.md, "EKU"):
// - A certificate without an extendedKeyUsage extension allows every purpose: all clients
//   accept it, so it never fires.
// - The leaf's EKU lacks the role's purpose: every client rejects it ("unsupported certificate
//   purpose"). With anyExtendedKeyUsage instead, clients split: OpenSSL and rustls reject it,
//   Go and Chromium accept it; the finding names them and follows `clients:`.
// - EKU chains: a CA on the path whose EKU lacks the purpose constrains everything below it.
//   An intermediate: every client rejects the path (anyExtendedKeyUsage: OpenSSL and rustls).
//   The trust anchor: OpenSSL and Go enforce it, Chromium and rustls do not look at an
//   anchor's extensions.
// - The leaf's keyUsage: when present it must allow a TLS use of the key (digitalSignature,
//   keyEncipherment or keyAgreement). OpenSSL checks it with the purpose, and BoringSSL (in
//   Chromium) in the handshake; Go and rustls ignore a leaf's keyUsage. Same code: the
//   certificate is not fit for the role.
#include "checks/check.h"
#include "checks/common.h"

namespace certvigil::checks {
namespace {

struct Purpose {
  FindingCode code;
  const char* eku;   ///< "clientAuth"
  const char* used;  ///< "a client certificate"
};

constexpr Purpose kClient{FindingCode::EkuClientAuthMissing, "clientAuth", "a client certificate"};
constexpr Purpose kServer{FindingCode::EkuServerAuthMissing, "serverAuth", "a server certificate"};

constexpr ClientSet kEveryClient = ClientSet::all();
constexpr ClientSet kRejectAnyEku{Client::OpenSsl, Client::Rustls};
constexpr ClientSet kRejectAnchorEku{Client::OpenSsl, Client::Go};

bool hasPurpose(const CertificateFacts& facts, const Purpose& purpose) {
  if (!facts.has_eku) return true;
  return purpose.code == FindingCode::EkuClientAuthMissing ? facts.eku_client_auth
                                                           : facts.eku_server_auth;
}

/// Who rejects a certificate at this place of the path whose EKU lacks the purpose. A CA with
/// Server Gated Crypto instead of serverAuth: OpenSSL and Go take SGC as serverAuth on a CA
/// (old COMODO chains), Chromium and rustls do not.
ClientSet rejectingClients(const JudgedCertificate& cert, const Purpose& purpose) {
  if (cert.position != 0 && purpose.code == FindingCode::EkuServerAuthMissing &&
      cert.facts->eku_sgc) {
    return {Client::Chromium, Client::Rustls};
  }
  if (cert.anchor) {
    return cert.facts->eku_any ? ClientSet{Client::OpenSsl} : kRejectAnchorEku;
  }
  return cert.facts->eku_any ? kRejectAnyEku : kEveryClient;
}

std::string ekuText(const CertificateFacts& facts) {
  const std::string text = facts.ekuText();
  if (facts.eku_any && text.find("anyExtendedKeyUsage") == std::string::npos) {
    return text.empty() ? "anyExtendedKeyUsage" : text + ",anyExtendedKeyUsage";
  }
  return text.empty() ? "other purposes only" : text;
}

std::string reissueRemedy(const JudgedCertificate& cert, const Purpose& p) {
  if (cert.position == 0) {
    return std::string("reissue with extendedKeyUsage=") + p.eku +
           ": openssl x509 -req -in leaf.csr -CA ca.crt -CAkey ca.key -out leaf.crt "
           "-extfile <(printf \"extendedKeyUsage=" +
           p.eku + "\")";
  }
  return "issue the certificate from a CA whose extendedKeyUsage allows " + std::string(p.eku) +
         " (or has none), not under " + certificateName(*cert.facts);
}

Finding missing(const JudgedCertificate& cert, const Purpose& p, const Policy& policy) {
  const ClientSet rejecting = rejectingClients(cert, p);
  const std::string what = cert.position == 0
                               ? " is used as " + std::string(p.used)
                               : " is on the path of " + std::string(p.used) + " and constrains it";
  Finding f = certificateFinding(p.code, cert,
                                 describeCertificate(cert) + what + ", but its extendedKeyUsage (" +
                                     ekuText(*cert.facts) + ") lacks " + p.eku + ": " +
                                     whoRejects(rejecting) + " (unsupported certificate purpose)");
  f.severity = severityFor(rejecting, policy);
  f.remedy = reissueRemedy(cert, p);
  return f;
}

constexpr ClientSet kRejectLeafKeyUsage{Client::OpenSsl, Client::Chromium};

Finding keyUsageUnfit(const JudgedCertificate& cert, const Purpose& p, const Policy& policy) {
  Finding f = certificateFinding(
      p.code, cert,
      describeCertificate(cert) + " is used as " + p.used +
          ", but its keyUsage has none of digitalSignature, keyEncipherment, keyAgreement: " +
          whoRejects(kRejectLeafKeyUsage) + " (unsupported certificate purpose)");
  f.severity = severityFor(kRejectLeafKeyUsage, policy);
  f.remedy = "reissue with keyUsage=critical,digitalSignature (plus keyEncipherment for RSA)";
  return f;
}

}  // namespace

std::vector<Finding> checkEku(const Observation& obs, const Policy& policy, TimePoint /*now*/) {
  if (findPosition(obs, 0) == nullptr || isBundle(obs)) return {};
  const Role role = leafRole(obs);
  if (role != Role::Client && role != Role::Server) return {};
  const Purpose& purpose = role == Role::Client ? kClient : kServer;
  std::vector<Finding> findings;
  for (const JudgedCertificate& cert : judgedCertificates(obs)) {
    if (hasPurpose(*cert.facts, purpose)) {
      const CertificateFacts& f = *cert.facts;
      if (cert.position == 0 && f.has_key_usage && !f.key_usage_tls) {
        findings.push_back(keyUsageUnfit(cert, purpose, policy));
      }
      continue;
    }
    if (cert.position != 0 && !cert.facts->is_ca) continue;  // not on the path: not_a_ca's case
    findings.push_back(missing(cert, purpose, policy));
  }
  return findings;
}

}  // namespace certvigil::checks
