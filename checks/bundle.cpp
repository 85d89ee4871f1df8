// SPDX-License-Identifier: Apache-2.0
// checks/bundle.cpp: what a CA bundle used to verify clients must be (nginx
// ssl_client_certificate, a gateway's trusted client CA upload): at least one CA:TRUE
// certificate, exactly one self-signed root, no private key. Empty blocks and unreadable ones
// are checks/read_problems.cpp's.
//
// Decisions: a root is a self-signed certificate (a v1 root has no basicConstraints but is a
// root all the same); the same certificate twice counts once. A bundle without any
// certificate gets parse_error only (read_problems), not bundle_no_ca / bundle_no_root too.
// bundle_no_root fires only when the bundle holds a CA: without one, bundle_no_ca already says
// what is wrong. These findings concern the bundle, not one certificate: no fingerprint.
#include <algorithm>
#include <set>
#include <string>

#include "checks/check.h"
#include "checks/common.h"

namespace certvigil::checks {
namespace {

/// Each distinct presented certificate once, in position order.
std::vector<const CertificateFacts*> distinctCertificates(const Observation& obs) {
  std::vector<const CertificateFacts*> out;
  std::set<std::string> seen;
  for (const auto& cert : obs.certificates) {
    if (cert.facts && seen.insert(cert.facts->fingerprint_sha256).second) {
      out.push_back(cert.facts.get());
    }
  }
  return out;
}

std::vector<std::string> namesOf(const std::vector<const CertificateFacts*>& certs) {
  std::vector<std::string> names;
  names.reserve(certs.size());
  for (const CertificateFacts* c : certs) names.push_back(certificateName(*c));
  return names;
}

/// Issuers named by the bundle's certificates that the bundle does not hold.
std::vector<std::string> missingIssuers(const std::vector<const CertificateFacts*>& certs) {
  std::set<std::string> subjects;
  for (const CertificateFacts* c : certs) subjects.insert(c->subject);
  std::vector<std::string> missing;
  for (const CertificateFacts* c : certs) {
    if (subjects.count(c->issuer) == 0 &&
        std::count(missing.begin(), missing.end(), c->issuer) == 0) {
      missing.push_back(c->issuer);
    }
  }
  return missing;
}

Finding noCa(const Observation& obs, const std::vector<const CertificateFacts*>& certs) {
  return makeFinding(
      FindingCode::BundleNoCa,
      "bundle " + obs.target + " holds " + std::to_string(certs.size()) +
          " certificate(s) and none is a CA (CA:TRUE): " + joinNames(namesOf(certs)));
}

Finding multipleRoots(const Observation& obs, const std::vector<const CertificateFacts*>& roots) {
  return makeFinding(FindingCode::BundleMultipleRoots,
                     "bundle " + obs.target + " holds " + std::to_string(roots.size()) +
                         " self-signed roots (" + joinNames(namesOf(roots)) +
                         "): certificates from any of them are accepted");
}

Finding noRoot(const Observation& obs, const std::vector<const CertificateFacts*>& certs) {
  const std::vector<std::string> missing = missingIssuers(certs);
  Finding f =
      makeFinding(FindingCode::BundleNoRoot,
                  "bundle " + obs.target + " holds no self-signed root (only " +
                      joinNames(namesOf(certs)) + "): verifiers need the path to end at a root");
  if (!missing.empty()) {
    f.remedy = "add the root CA certificate of " + joinNames(missing) + " to the bundle: cat " +
               obs.target + " root.crt > bundle.pem";
  }
  return f;
}

Finding containsKey(const Observation& obs) {
  return makeFinding(FindingCode::BundleContainsPrivateKey,
                     "bundle " + obs.target + " contains " +
                         std::to_string(obs.private_key_blocks) +
                         " private key block(s), readable by everything that reads the bundle");
}

/// The certificate-content findings of a bundle that holds certificates.
void judgeContent(const Observation& obs, std::vector<Finding>& findings) {
  const auto certs = distinctCertificates(obs);
  if (certs.empty()) return;
  std::vector<const CertificateFacts*> roots;
  bool anyCa = false;
  for (const CertificateFacts* c : certs) {
    if (c->self_signed) roots.push_back(c);
    anyCa = anyCa || c->is_ca;
  }
  if (!anyCa) findings.push_back(noCa(obs, certs));
  if (roots.size() > 1) findings.push_back(multipleRoots(obs, roots));
  if (roots.empty() && anyCa) findings.push_back(noRoot(obs, certs));
}

}  // namespace

std::vector<Finding> checkBundle(const Observation& obs, const Policy& /*policy*/,
                                 TimePoint /*now*/) {
  if (!isBundle(obs)) return {};
  std::vector<Finding> findings;
  if (obs.private_key_blocks > 0) findings.push_back(containsKey(obs));
  judgeContent(obs, findings);
  return findings;
}

}  // namespace certvigil::checks
