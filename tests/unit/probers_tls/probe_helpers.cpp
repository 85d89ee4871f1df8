// SPDX-License-Identifier: Apache-2.0
#include "tests/unit/probers_tls/probe_helpers.h"

#include <doctest/doctest.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include "tests/support/test_support.h"
#include "x509/openssl_util.h"

namespace certvigil::probers::test {

TlsProbeRequest localRequest(int port, std::chrono::milliseconds timeout) {
  TlsProbeRequest request;
  request.host = "127.0.0.1";
  request.port = port;
  request.servername = "localhost";
  request.timeout = timeout;
  return request;
}

TlsProbeOutcome probeOne(const TlsProbeRequest& request) {
  TlsProber prober({.in_flight = 1});
  auto results = prober.probeAll({request});
  REQUIRE(results.size() == 1);
  REQUIRE(results[0].size() == 1);
  return results[0][0];
}

namespace {
x509::BioPtr openPki(const std::string& name) {
  x509::BioPtr bio(BIO_new_file(testing::pki(name).c_str(), "r"));
  REQUIRE(bio);
  return bio;
}
x509::X509Shared readCert(BIO* bio) {
  return x509::X509Shared(PEM_read_bio_X509(bio, nullptr, nullptr, nullptr), X509_free);
}
}  // namespace

std::shared_ptr<const ClientCredentials> credentials(const std::string& cert_file,
                                                     const std::string& key_file) {
  auto creds = std::make_shared<ClientCredentials>();
  x509::BioPtr certs = openPki(cert_file);
  creds->certificate = readCert(certs.get());
  REQUIRE(creds->certificate);
  while (x509::X509Shared more = readCert(certs.get())) creds->chain.push_back(more);
  ERR_clear_error();  // the end of the file
  x509::BioPtr key = openPki(key_file);
  creds->key.reset(PEM_read_bio_PrivateKey(key.get(), nullptr, nullptr, nullptr), EVP_PKEY_free);
  REQUIRE(creds->key);
  return creds;
}

std::string derOfPki(const std::string& name) {
  x509::BioPtr bio = openPki(name);
  x509::X509Shared cert = readCert(bio.get());
  REQUIRE(cert);
  return x509::derOf(cert.get());
}

std::string subjectOfPki(const std::string& name) {
  x509::BioPtr bio = openPki(name);
  x509::X509Shared cert = readCert(bio.get());
  REQUIRE(cert);
  return x509::nameText(X509_get_subject_name(cert.get()));
}

}  // namespace certvigil::probers::test
