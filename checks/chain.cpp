// SPDX-License-Identifier: Apache-2.0
// checks/chain.cpp: chain_incomplete, untrusted_root, not_a_ca from the verifier's verdict.
//
// Decisions (docs/FINDINGS.md):
// - Bundles have no chain: they are judged by checks/bundle.cpp.
// - A CA certificate on disk in auto role (a root or intermediate file, e.g. /etc/ssl/certs/*)
//   is trust material, not a presented chain: no chain finding, trusted or not.
// - A self-signed leaf that is not trusted is reported as self_signed (info) on a file in auto
//   role, and as untrusted_root (critical) when peers must accept it: on an endpoint, or with
//   an explicit client / server role (checks/common.cpp selfSignedLeafMustBeTrusted).
// - ChainStatus::Other (any other verifier failure: bad signature, path length, key usage,
//   name constraints) is chain_incomplete with the verifier's own words: a peer will reject
//   the chain, and staying silent is the one wrong answer.
// - A path whose certificate policies fail (requireExplicitPolicy without a policy below) is
//   chain_incomplete too, naming Go and Chromium, the clients that process policies.
#include <optional>

#include "checks/check.h"
#include "checks/common.h"

namespace certvigil::checks {
namespace {

/// A finding about the certificate the verdict names, or about the leaf when it names none.
Finding verdictFinding(const Observation& obs, FindingCode code, std::string message) {
  const ChainVerdict& v = obs.chain;
  if (const PresentedCertificate* cert = findPosition(obs, v.position)) {
    return certificateFinding(code, *cert, std::move(message));
  }
  const std::string& fingerprint = v.words().fingerprint;
  if (!fingerprint.empty()) return makeFinding(code, std::move(message), fingerprint, -1);
  if (const PresentedCertificate* leaf = findPosition(obs, 0)) {
    return certificateFinding(code, *leaf, std::move(message));
  }
  return makeFinding(code, std::move(message));
}

/// The presented certificate the verdict names, described; "the chain" if none.
std::string verdictSubject(const Observation& obs) {
  const PresentedCertificate* cert = findPosition(obs, obs.chain.position);
  return cert ? describeCertificate(*cert) : "the chain";
}

/// The files of the cat remedy, by role: "client.crt" -> "client-fullchain.pem".
struct ChainFiles {
  std::string leaf;
  std::string fullchain;
};

ChainFiles chainFiles(const Observation& obs) {
  switch (leafRole(obs)) {
    case Role::Client:
      return {"client.crt", "client-fullchain.pem"};
    case Role::Server:
      return {"server.crt", "server-fullchain.pem"};
    default:
      return {"leaf.crt", "fullchain.pem"};
  }
}

/// The issuer was there but unusable: say why, not that it is missing.
Finding issuerRefused(const Observation& obs) {
  const ChainVerdict& v = obs.chain;
  Finding f = verdictFinding(obs, FindingCode::ChainIncomplete,
                             "no valid path to a trust anchor: " + verdictSubject(obs) +
                                 " names \"" + v.words().missing_issuer +
                                 "\" as its issuer, and a certificate of that name is here, but " +
                                 v.words().issuer_refused);
  f.remedy = "reissue the CA certificate \"" + v.words().missing_issuer +
             "\" as a CA (basicConstraints=critical,CA:TRUE, keyUsage=critical,keyCertSign,"
             "cRLSign, one of each extension), or send the issuer the certificate was signed by";
  return f;
}

Finding incomplete(const Observation& obs) {
  const ChainVerdict& v = obs.chain;
  if (!v.words().issuer_refused.empty()) return issuerRefused(obs);
  const std::string issuer =
      v.words().missing_issuer.empty() ? "its issuer" : "\"" + v.words().missing_issuer + "\"";
  Finding f = verdictFinding(obs, FindingCode::ChainIncomplete,
                             "incomplete chain: " + verdictSubject(obs) + " was issued by " +
                                 issuer + ", which was not presented and is not a trust anchor");
  const ChainFiles files = chainFiles(obs);
  if (v.position <= 0) {
    f.remedy = "send leaf + intermediate: cat " + files.leaf + " intermediate.crt > " +
               files.fullchain + " (the intermediate is the certificate of " + issuer + ")";
  } else {
    f.remedy = "append the certificate of " + issuer + " to what is sent (cat " + files.leaf +
               " intermediate.crt issuer.crt > " + files.fullchain +
               "), or trust it if it is your root (--ca, trust.ca_files)";
  }
  return f;
}

Finding otherFailure(const Observation& obs) {
  const std::string words =
      obs.chain.words().detail.empty() ? "verification failed" : obs.chain.words().detail;
  const std::string at = findPosition(obs, obs.chain.position) ? verdictSubject(obs) + ": " : "";
  Finding f = verdictFinding(obs, FindingCode::ChainIncomplete,
                             "no valid path to a trust anchor: " + at + words);
  f.remedy =
      "inspect the chain: openssl verify -CAfile ca.pem -untrusted chain.pem leaf.pem, and "
      "fix what it names";
  return f;
}

/// The certificate of the path the verdict names (it may come from the chain file or the store,
/// where it has no presented position), as a judged certificate; nullopt if none.
std::optional<JudgedCertificate> verdictOnPath(const Observation& obs) {
  const CertificatePath& path = obs.chain.path;
  for (size_t i = 0; i < path.size(); ++i) {
    const PathCertificate& c = path[i];
    if (!c.facts || c.facts->fingerprint_sha256 != obs.chain.words().fingerprint) continue;
    const bool anchor = c.source == CertSource::TrustStore && i + 1 == path.size();
    return JudgedCertificate{c.facts, c.position >= 0 ? c.position : static_cast<int>(i), c.source,
                             anchor};
  }
  return std::nullopt;
}

Finding untrustedRoot(const Observation& obs) {
  const PresentedCertificate* root = findPosition(obs, obs.chain.position);
  const std::optional<JudgedCertificate> on_path = verdictOnPath(obs);
  const std::string name = root      ? certificateName(*root->facts)
                           : on_path ? certificateName(*on_path->facts)
                                     : "root";
  const std::string message =
      root && root->position == 0
          ? describeCertificate(*root) + " is self-signed and not trusted here: peers reject it"
          : "the chain ends at self-signed " + name + ", which is not trusted here (wrong CA)";
  Finding f = verdictFinding(obs, FindingCode::UntrustedRoot, message);
  if (leafRole(obs) == Role::Client) {
    f.remedy = "issue the client certificate from a CA the server accepts, or add " + name +
               " to the server's client CA bundle (and to --ca)";
  } else {
    f.remedy = "use a certificate from a CA the peers trust, or add " + name +
               " to their trust anchors (here: --ca, trust.ca_files)";
  }
  return f;
}

// Who refuses a CA that may not issue: OpenSSL enforces it everywhere, the trust anchor
// included; Go checks basicConstraints on intermediates only and ignores keyUsage; Chromium and
// rustls check intermediates (keyUsage too) but take an anchor as it is.
Finding notACa(const Observation& obs, const Policy& policy) {
  const std::optional<JudgedCertificate> cert = verdictOnPath(obs);
  const bool anchor = cert && cert->anchor;
  const bool lacks_cert_sign =
      cert && cert->facts->is_ca && cert->facts->has_key_usage && !cert->facts->key_usage_cert_sign;
  const ClientSet rejecting = anchor ? ClientSet{Client::OpenSsl}
                              : lacks_cert_sign
                                  ? ClientSet{Client::OpenSsl, Client::Chromium, Client::Rustls}
                                  : ClientSet::defaults();
  const std::string subject = cert ? describeCertificate(*cert) : verdictSubject(obs);
  const std::string reason =
      lacks_cert_sign ? "its keyUsage lacks keyCertSign" : "it lacks basicConstraints CA:TRUE";
  Finding f = verdictFinding(
      obs, FindingCode::NotACa,
      subject + " is in an issuer position, but " + reason + ": " + whoRejects(rejecting));
  f.severity = severityFor(rejecting, policy);
  if (lacks_cert_sign) {
    f.remedy = "reissue the CA certificate with keyUsage=critical,keyCertSign,cRLSign";
  }
  return f;
}

/// A path OpenSSL and rustls take but whose certificate policies Go and Chromium refuse.
Finding policyFailure(const Observation& obs, const Policy& policy) {
  constexpr ClientSet kPolicyCheckers{Client::Go, Client::Chromium};
  Finding f =
      verdictFinding(obs, FindingCode::ChainIncomplete,
                     "no valid path under its certificate policies (RFC 5280 6.1): " +
                         obs.chain.words().policy_problem + ": " + whoRejects(kPolicyCheckers));
  f.severity = severityFor(kPolicyCheckers, policy);
  f.remedy =
      "issue the leaf with a policy the CA above requires (certificatePolicies), or reissue that "
      "CA without requireExplicitPolicy (openssl verify -policy_check shows the failure)";
  return f;
}

/// Whether the verdict is worth a finding at all (see the decisions above).
bool chainMatters(const Observation& obs) {
  if (isBundle(obs)) return false;
  const PresentedCertificate* leaf = findPosition(obs, 0);
  if (leaf == nullptr) return false;
  const bool caFile = obs.kind == TargetKind::File && obs.role == Role::Auto && leaf->facts->is_ca;
  return !caFile;
}

}  // namespace

std::vector<Finding> checkChain(const Observation& obs, const Policy& policy, TimePoint /*now*/) {
  if (!chainMatters(obs)) return {};
  if (obs.chain.status == ChainStatus::Valid && !obs.chain.words().policy_problem.empty()) {
    return {policyFailure(obs, policy)};
  }
  switch (obs.chain.status) {
    case ChainStatus::Incomplete:
      return {incomplete(obs)};
    case ChainStatus::UntrustedRoot:
      if (isSelfSignedLeaf(obs) && !selfSignedLeafMustBeTrusted(obs)) return {};
      return {untrustedRoot(obs)};
    case ChainStatus::NotACa:
      return {notACa(obs, policy)};
    case ChainStatus::Other:
      return {otherFailure(obs)};
    case ChainStatus::NotBuilt:
    case ChainStatus::Valid:
      break;
  }
  return {};
}

}  // namespace certvigil::checks
