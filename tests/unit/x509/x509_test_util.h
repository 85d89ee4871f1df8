// SPDX-License-Identifier: Apache-2.0
// tests/unit/x509/x509_test_util.h: loading test-PKI files into the x509 module's types.
#pragma once

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/time.h"
#include "tests/support/test_support.h"
#include "x509/facts.h"
#include "x509/reader.h"

namespace certvigil::x509::test {

/// The material of one test-PKI file.
inline Material readPki(const std::string& name, const std::string& password = {}) {
  Result<std::string> bytes = readFileCapped(testing::pki(name));
  REQUIRE_MESSAGE(bytes.ok(), name);
  return readMaterial(*bytes, ReadOptions{password});
}

/// Every certificate of a test-PKI file, decoded, in file order.
inline std::vector<ParsedCertificate> parsePki(const std::string& name) {
  std::vector<ParsedCertificate> out;
  for (const std::string& der : readPki(name).certificate_ders) {
    Result<ParsedCertificate> parsed = parseCertificate(der);
    REQUIRE_MESSAGE(parsed.ok(), name);
    out.push_back(*parsed);
  }
  REQUIRE_MESSAGE(!out.empty(), name);
  return out;
}

/// The first certificate of a test-PKI file.
inline ParsedCertificate certOf(const std::string& name) { return parsePki(name).front(); }

/// Borrowed pointers, as buildChain and CrlSet::check take them.
inline std::vector<X509*> raw(const std::vector<ParsedCertificate>& certs) {
  std::vector<X509*> out;
  for (const ParsedCertificate& c : certs) out.push_back(c.cert.get());
  return out;
}

/// The fingerprint of a test-PKI file's first certificate.
inline std::string fingerprintOfPki(const std::string& name) {
  return certOf(name).facts->fingerprint_sha256;
}

/// The finding code of a read problem as its stable string (doctest prints it on failure).
inline std::string codeOf(const ReadProblem& problem) {
  return std::string(toString(problem.code));
}

/// Wall-clock now: the PKI is generated relative to it (at most an hour before the test).
inline TimePoint now() { return SystemClock().now(); }

}  // namespace certvigil::x509::test
