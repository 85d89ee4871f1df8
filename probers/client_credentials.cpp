// SPDX-License-Identifier: Apache-2.0
#include "probers/client_credentials.h"

#include "x509/keys.h"
#include "x509/reader.h"
#include "x509/tls_material.h"

namespace certvigil::probers {
namespace {

LoadedClient failure(std::string why) {
  LoadedClient out;
  out.problem = std::move(why);
  return out;
}

Result<std::string> passwordOf(const ClientCredentialFiles& files) {
  if (files.password_file.empty()) return std::string();
  return x509::readPasswordFile(files.password_file);
}

}  // namespace

LoadedClient loadClientCredentials(const ClientCredentialFiles& files,
                                   x509::CertificateCache& certificates,
                                   const x509::TrustStore& trust) {
  const std::filesystem::path& source = files.source();
  Result<std::string> password = passwordOf(files);
  if (!password) return failure("password file: " + password.error().message);
  Result<std::string> bytes = files.inline_pem.empty() ? x509::readFileCapped(source)
                                                       : Result<std::string>(files.inline_pem);
  if (!bytes) return failure(source.string() + ": " + bytes.error().message);
  x509::Material material = x509::readMaterial(*bytes, {*password});
  if (material.certificate_ders.empty()) return failure(source.string() + ": no certificate in it");

  auto credentials = std::make_shared<ClientCredentials>();
  LoadedClient out;
  std::vector<X509*> handles;
  for (const std::string& der : material.certificate_ders) {
    Result<x509::ParsedCertificate> parsed = certificates.get(der);
    if (!parsed) return failure(source.string() + ": " + parsed.error().message);
    (handles.empty() ? credentials->certificate : credentials->chain.emplace_back()) = parsed->cert;
    handles.push_back(parsed->cert.get());
    out.chain.push_back(parsed->facts);
  }
  if (!files.key.empty()) {
    Result<std::string> key_bytes = x509::readFileCapped(files.key);
    if (!key_bytes) return failure(files.key.string() + ": " + key_bytes.error().message);
    Result<x509::PkeyPtr> key = x509::readPrivateKey(*key_bytes, *password);
    if (!key) return failure(files.key.string() + ": " + key.error().message);
    credentials->key.reset(key->release(), EVP_PKEY_free);
  } else if (!material.private_keys.empty()) {
    credentials->key.reset(material.private_keys.front().release(), EVP_PKEY_free);
  } else {
    return failure(source.string() + ": no private key (set client_key)");
  }
  if (!x509::keyMatchesCertificate(credentials->key.get(), handles.front())) {
    return failure("the client key does not belong to the certificate in " + source.string());
  }
  out.root = x509::anchorSubject(handles, trust);
  out.credentials = std::move(credentials);
  return out;
}

}  // namespace certvigil::probers
