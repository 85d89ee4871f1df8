// SPDX-License-Identifier: Apache-2.0
// checks/read_problems.cpp: parse_error and pem_empty, one finding per read problem, and
// parse_error for a file or bundle that holds nothing we recognise.
//
// A file holding only private keys is a key file, not an error (a bundle must hold
// certificates, so there it is one). An endpoint with no
// certificate is the handshake's business (handshake_failed), not a parse error. A problem
// whose code is not a read code is reported as parse_error.
#include <string>

#include "checks/check.h"
#include "checks/common.h"

namespace certvigil::checks {
namespace {

Finding problemFinding(const Observation& obs, const ReadProblem& problem) {
  const bool empty = problem.code == FindingCode::PemEmpty;
  const std::string detail = problem.detail.empty() ? "unreadable" : problem.detail;
  if (empty) return makeFinding(FindingCode::PemEmpty, obs.target + ": " + detail);
  Finding f = makeFinding(FindingCode::ParseError, obs.target + ": " + detail);
  if (!problem.denied_to.empty()) {  // an access problem, not a format problem
    f.message += " (certvigil reads as " + problem.denied_to + ")";
    f.remedy =
        "let certvigil read it: chgrp certvigil FILE && chmod g+r FILE (directories: g+rx), "
        "or add certvigil to the group that may read it; for private keys keep other at 0";
    return f;
  }
  // A PKCS#12 file or an encrypted key we could not open: the password is the likely cause.
  const bool keystore = detail.rfind("JKS: ", 0) == 0 || detail.rfind("JCEKS: ", 0) == 0;
  if (keystore && detail.find("password") != std::string::npos) {
    f.remedy =
        "put the keystore's password in the password_file (--password-file) of this entry, "
        "and check it with: keytool -list -keystore FILE -storepass:file PASSWORD_FILE";
  } else if (detail.find("password") != std::string::npos) {
    f.remedy =
        "put the right password in the password_file (--password-file) of this entry, "
        "and check it with: openssl pkcs12 -in FILE -noout -passin file:PASSWORD_FILE";
  }
  return f;
}

/// A file that yielded no certificate, no key, no CRL and no problem; a bundle without a
/// certificate.
bool holdsNothing(const Observation& obs) {
  if (obs.kind == TargetKind::Endpoint || obs.crl_file) return false;
  if (!obs.certificates.empty() || !obs.problems.empty()) return false;
  return isBundle(obs) || obs.private_key_blocks == 0;
}

}  // namespace

std::vector<Finding> checkReadProblems(const Observation& obs, const Policy& /*policy*/,
                                       TimePoint /*now*/) {
  std::vector<Finding> findings;
  for (const ReadProblem& problem : obs.problems) {
    findings.push_back(problemFinding(obs, problem));
  }
  if (holdsNothing(obs)) {
    findings.push_back(makeFinding(FindingCode::ParseError,
                                   obs.target + " holds no certificate (no PEM block, DER or "
                                                "PKCS#12 content found)"));
  }
  return findings;
}

}  // namespace certvigil::checks
