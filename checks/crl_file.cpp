// SPDX-License-Identifier: Apache-2.0
// checks/crl_file.cpp: a CRL file that a server checks its peers against (nginx `ssl_crl`,
// HAProxy `crl-file`, Apache `SSLCARevocationFile`), judged the way that server uses it.
//
// OpenSSL's CRL check, as these servers set it (X509_V_FLAG_CRL_CHECK_ALL), wants for every CA of
// a peer's path a CRL of that CA's name, signed by its key and current. Otherwise it fails the
// peer's verification: "CRL has expired", "CRL is not yet valid", "CRL signature failure",
// "unable to get certificate CRL" (a real nginx answers 400 to every such client). So whatever
// breaks one CRL rejects every certificate issued by its CA, and every finding is critical but
// the early warning:
//   - nextUpdate passed: expired; within the thresholds: expires_soon, with the thresholds of a
//     certificate and nextUpdate - thisUpdate as the lifetime (a weekly CRL warns ~2 days ahead);
//   - thisUpdate in the future: not_yet_valid;
//   - a CRL the server cannot use (signature, cRLSign, critical extension), or a CA of the
//     issuers bundle without a CRL in the file: revocation_unknown, critical, because the server
//     cannot know revocation and refuses (unlike certvigil's own CRL use, never soft).
// A CRL another CRL of the same CA outranks, or one from no CA of the issuers, is never consulted:
// its dates do not matter. CRL findings concern no certificate: their position is the CRL's
// place in the file, which keeps two CRLs' findings apart; a gap carries the CA's fingerprint.
#include <string>

#include "checks/check.h"
#include "checks/common.h"
#include "checks/expiry.h"

namespace certvigil::checks {
namespace {

/// Who checks peers against the file: "nginx (ssl_crl at FILE:LINE)" or a description.
std::string whoUses(const CrlFileFacts& file) {
  return file.used_by.empty() ? "a server that checks client certificates against this file"
                              : file.used_by;
}

/// The server to reload: the first word of used_by ("nginx"), or "the server".
std::string serverName(const CrlFileFacts& file) {
  return file.used_by.empty() ? "the server" : file.used_by.substr(0, file.used_by.find(' '));
}

/// Whose certificates it rejects: nginx's proxy_ssl_crl checks upstream servers, every other
/// directive clients.
std::string peers(const CrlFileFacts& file) {
  return file.used_by.find("proxy_ssl_crl") != std::string::npos ? "upstream server certificate"
                                                                 : "client certificate";
}

/// "... rejects every client certificate issued by CN=X".
std::string rejection(const CrlFileFacts& file, const CrlFacts& crl) {
  return whoUses(file) + " rejects every " + peers(file) + " issued by " + crl.issuer;
}

Finding crlFinding(FindingCode code, size_t index, std::string message, std::string remedy) {
  Finding f = makeFinding(code, std::move(message), {}, static_cast<int>(index));
  f.severity = Severity::Critical;
  f.remedy = std::move(remedy);
  return f;
}

std::string publishRemedy(const Observation& obs, const CrlFileFacts& file, const CrlFacts& crl) {
  return "publish a fresh CRL of " + crl.issuer + " (openssl ca -gencrl -out " + obs.target +
         ") and reload " + serverName(file) + "; keep the CRL job running before each nextUpdate";
}

/// OpenSSL's words for why a CRL cannot be used (x509/crl.h crlUnusableBecause).
std::string opensslWords(const std::string& problem) {
  if (problem.find("signature") != std::string::npos) return "CRL signature failure";
  if (problem.find("cRLSign") != std::string::npos) return "key usage does not include CRL signing";
  return "unhandled critical CRL extension";
}

Finding unusable(const Observation& obs, const CrlFileFacts& file, const CrlFacts& crl,
                 size_t index) {
  return crlFinding(FindingCode::RevocationUnknown, index,
                    "the CRL of " + crl.issuer + " cannot be used: " + crl.problem + "; so " +
                        rejection(file, crl) + " (" + opensslWords(crl.problem) + ")",
                    "replace " + obs.target + " with the current CRL of " + crl.issuer +
                        ", signed by its key (openssl crl -in " + obs.target +
                        " -noout -verify -CAfile CA.pem), and reload " + serverName(file));
}

Finding notYetValid(const CrlFileFacts& file, const CrlFacts& crl, size_t index, TimePoint now) {
  return crlFinding(
      FindingCode::NotYetValid, index,
      "the CRL of " + crl.issuer + " is not valid until " + formatRfc3339(crl.this_update) +
          " (in " + formatDuration(crl.this_update - now) + "): until then " +
          rejection(file, crl) + " (CRL is not yet valid); is this host's clock right?",
      "check the clocks of this host and of the CA (timedatectl), or publish a CRL "
      "whose thisUpdate has passed");
}

Finding expired(const Observation& obs, const CrlFileFacts& file, const CrlFacts& crl, size_t index,
                TimePoint now) {
  const TimePoint next = *crl.next_update;
  return crlFinding(FindingCode::Expired, index,
                    "the CRL of " + crl.issuer + " expired " + formatDuration(now - next) +
                        " ago (nextUpdate " + formatRfc3339(next) + "): " + rejection(file, crl) +
                        " (CRL has expired)",
                    publishRemedy(obs, file, crl));
}

std::optional<Finding> expiresSoon(const Observation& obs, const Policy& policy,
                                   const CrlFileFacts& file, const CrlFacts& crl, size_t index,
                                   TimePoint now) {
  const TimePoint next = *crl.next_update;
  const Seconds left = next - now;
  const ExpiryLevels levels = expiryLevels(next - crl.this_update, policy.thresholds);
  const bool critical = left <= levels.critical;
  if (!critical && left > levels.warning) return std::nullopt;
  const std::string when = left.count() == 0 ? "now" : "in " + formatDuration(left);
  Finding f =
      crlFinding(FindingCode::ExpiresSoon, index,
                 "the CRL of " + crl.issuer + " expires " + when + " (nextUpdate " +
                     formatRfc3339(next) + "): then " + rejection(file, crl) + " (CRL has expired)",
                 publishRemedy(obs, file, crl));
  if (!critical) f.severity = Severity::Warning;
  return f;
}

/// Whether the server consults this CRL at all.
bool consulted(const CrlFacts& crl) { return !crl.foreign && !crl.superseded; }

std::optional<Finding> judgeCrl(const Observation& obs, const Policy& policy,
                                const CrlFileFacts& file, size_t index, TimePoint now) {
  const CrlFacts& crl = file.crls[index];
  if (!crl.problem.empty()) return unusable(obs, file, crl, index);
  if (now < crl.this_update) return notYetValid(file, crl, index, now);
  if (!crl.next_update) return std::nullopt;
  if (now > *crl.next_update) return expired(obs, file, crl, index, now);
  return expiresSoon(obs, policy, file, crl, index, now);
}

Finding gap(const Observation& obs, const CrlFileFacts& file, const CrlGap& ca) {
  Finding f = makeFinding(FindingCode::RevocationUnknown,
                          obs.target + " holds no CRL of CA " + ca.subject + ": " + whoUses(file) +
                              " rejects every " + peers(file) + " whose path goes through " +
                              ca.subject + " (unable to get certificate CRL)",
                          ca.fingerprint);
  f.severity = Severity::Critical;
  f.remedy = "append the current CRL of " + ca.subject + " to " + obs.target +
             " (cat ca.crl.pem >> " + obs.target + ") and reload " + serverName(file);
  return f;
}

}  // namespace

std::vector<Finding> checkCrlFile(const Observation& obs, const Policy& policy, TimePoint now) {
  std::vector<Finding> findings;
  if (!obs.crl_file) return findings;
  const CrlFileFacts& file = *obs.crl_file;
  for (size_t i = 0; i < file.crls.size(); ++i) {
    if (!consulted(file.crls[i])) continue;
    if (auto f = judgeCrl(obs, policy, file, i, now)) findings.push_back(std::move(*f));
  }
  for (const CrlGap& ca : file.gaps) findings.push_back(gap(obs, file, ca));
  return findings;
}

TimePoint crlFileHorizon(const Observation& obs, const Policy& policy, TimePoint now) {
  TimePoint earliest = TimePoint::max();
  if (!obs.crl_file) return earliest;
  const auto consider = [&](TimePoint t) {
    if (t > now && t < earliest) earliest = t;
  };
  for (const CrlFacts& crl : obs.crl_file->crls) {
    if (!consulted(crl) || !crl.problem.empty()) continue;
    consider(crl.this_update);
    if (!crl.next_update) continue;
    const ExpiryLevels levels = expiryLevels(*crl.next_update - crl.this_update, policy.thresholds);
    consider(*crl.next_update - levels.warning);
    consider(*crl.next_update - levels.critical);
    consider(*crl.next_update + Seconds{1});  // nextUpdate itself is still current
  }
  return earliest;
}

}  // namespace certvigil::checks
