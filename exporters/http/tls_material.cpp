// SPDX-License-Identifier: Apache-2.0
// exporters/http/tls_material.cpp: see the header. Why per connection and not one SSL_CTX: a
// connection picks up a renewed certificate without a restart (exporter-toolkit reads its files
// on every connection too), and cpp-httplib 0.11 owns its one SSL_CTX. The material travels with
// the connection in SSL ex_data, so a reload during a handshake cannot free what it uses.
#include "exporters/http/tls_material.h"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

namespace certvigil::exporters {
namespace {

using BioPtr = std::unique_ptr<BIO, decltype(&BIO_free)>;

Error opensslError(const std::string& where, const std::string& what) {
  std::array<char, 256> reason{};
  const unsigned long code = ERR_peek_last_error();
  if (code != 0) ERR_error_string_n(code, reason.data(), reason.size());
  ERR_clear_error();
  return Error{ErrorCode::Config, what + (code != 0 ? std::string(" (") + reason.data() + ")" : ""),
               where};
}

// "tls_server_config.cert_file /etc/x.pem", or "tls_server_config.cert" for inline PEM.
std::string where(const std::filesystem::path& file, const char* key) {
  const std::string name = std::string("tls_server_config.") + key;
  return file.empty() ? name : name + "_file " + file.string();
}

// A file, or inline PEM text (named by its key in messages).
Result<BioPtr> openPem(const std::filesystem::path& file, const std::string& text,
                       const char* key) {
  errno = 0;
  BioPtr bio(file.empty() ? BIO_new_mem_buf(text.data(), static_cast<int>(text.size()))
                          : BIO_new_file(file.c_str(), "r"),
             BIO_free);
  if (!bio) {
    const int error = errno;
    ERR_clear_error();
    return makeError(ErrorCode::Io,
                     std::string("cannot read: ") + (error != 0 ? std::strerror(error) : "?"),
                     where(file, key));
  }
  return bio;
}

int tlsVersion(config::TlsVersion version) {
  switch (version) {
    case config::TlsVersion::Tls10:
      return TLS1_VERSION;
    case config::TlsVersion::Tls11:
      return TLS1_1_VERSION;
    case config::TlsVersion::Tls12:
      return TLS1_2_VERSION;
    case config::TlsVersion::Tls13:
      return TLS1_3_VERSION;
  }
  return TLS1_2_VERSION;
}

std::string joinMapped(const std::vector<std::string>& names,
                       std::optional<std::string_view> (*map)(std::string_view)) {
  std::string out;
  for (const std::string& name : names) {
    const std::string_view mapped = map(name).value_or("");
    if (!mapped.empty()) out += (out.empty() ? "" : ":") + std::string(mapped);
  }
  return out;
}

int exDataIndex();

// Verification as the client-auth policy says, then client_allowed_sans on the leaf.
int verifyClient(int preverify_ok, X509_STORE_CTX* store) {
  auto* ssl =
      static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
  const auto* held =
      static_cast<std::shared_ptr<const TlsMaterial>*>(SSL_get_ex_data(ssl, exDataIndex()));
  if (held == nullptr) return 0;
  if ((*held)->acceptsAnyClientCert()) preverify_ok = 1;
  if (preverify_ok == 0) return 0;
  if (X509_STORE_CTX_get_error_depth(store) != 0) return 1;
  if ((*held)->allowsClient(X509_STORE_CTX_get_current_cert(store))) return 1;
  X509_STORE_CTX_set_error(store, X509_V_ERR_APPLICATION_VERIFICATION);
  return 0;
}

void freeHeld(void*, void* ptr, CRYPTO_EX_DATA*, int, long, void*) {
  delete static_cast<std::shared_ptr<const TlsMaterial>*>(ptr);
}

int exDataIndex() {
  static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, freeHeld);
  return index;
}

std::vector<std::string> sanTexts(X509* cert) {
  std::vector<std::string> out;
  auto* names =
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  if (names == nullptr) return out;
  for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, i);
    if (name->type == GEN_DNS || name->type == GEN_EMAIL || name->type == GEN_URI) {
      const ASN1_STRING* s = name->d.ia5;
      out.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                       static_cast<size_t>(ASN1_STRING_length(s)));
    } else if (name->type == GEN_IPADD) {
      const ASN1_OCTET_STRING* ip = name->d.ip;
      std::array<char, INET6_ADDRSTRLEN> text{};
      const int family = ASN1_STRING_length(ip) == 4 ? AF_INET : AF_INET6;
      if (inet_ntop(family, ASN1_STRING_get0_data(ip), text.data(), text.size()) != nullptr)
        out.emplace_back(text.data());
    }
  }
  GENERAL_NAMES_free(names);
  return out;
}

}  // namespace

TlsMaterial::~TlsMaterial() {
  X509_free(cert_);
  sk_X509_pop_free(chain_, X509_free);
  EVP_PKEY_free(key_);
  X509_STORE_free(client_cas_);
  sk_X509_NAME_pop_free(client_ca_names_, X509_NAME_free);
}

Result<std::shared_ptr<const TlsMaterial>> TlsMaterial::load(const config::WebTlsConfig& tls) {
  ERR_clear_error();
  std::shared_ptr<TlsMaterial> m(new TlsMaterial());
  m->settings_ = tls;
  m->settings_.key.clear();
  auto certs = openPem(tls.cert_file, tls.cert, "cert");
  if (!certs) return certs.error();
  m->cert_ = PEM_read_bio_X509_AUX(certs->get(), nullptr, nullptr, nullptr);
  if (m->cert_ == nullptr)
    return opensslError(where(tls.cert_file, "cert"), "no PEM certificate found");
  m->chain_ = sk_X509_new_null();
  while (X509* extra = PEM_read_bio_X509(certs->get(), nullptr, nullptr, nullptr))
    sk_X509_push(m->chain_, extra);
  ERR_clear_error();  // the end of the file
  auto key = openPem(tls.key_file, tls.key, "key");
  if (!key) return key.error();
  m->key_ = PEM_read_bio_PrivateKey(key->get(), nullptr, nullptr, nullptr);
  if (m->key_ == nullptr)
    return opensslError(where(tls.key_file, "key"), "no PEM private key found (unencrypted)");
  if (X509_check_private_key(m->cert_, m->key_) != 1)
    return opensslError(where(tls.key_file, "key"), "the key does not belong to the certificate");
  if (!tls.client_ca_file.empty() || !tls.client_ca.empty()) {
    auto cas = openPem(tls.client_ca_file, tls.client_ca, "client_ca");
    if (!cas) return cas.error();
    m->client_cas_ = X509_STORE_new();
    m->client_ca_names_ = sk_X509_NAME_new_null();
    while (X509* ca = PEM_read_bio_X509(cas->get(), nullptr, nullptr, nullptr)) {
      X509_STORE_add_cert(m->client_cas_, ca);
      sk_X509_NAME_push(m->client_ca_names_, X509_NAME_dup(X509_get_subject_name(ca)));
      X509_free(ca);
    }
    ERR_clear_error();
    if (sk_X509_NAME_num(m->client_ca_names_) == 0)
      return opensslError(where(tls.client_ca_file, "client_ca"), "no CA certificate found");
  }
  m->ciphers_ = joinMapped(tls.cipher_suites, config::openSslCipherName);
  m->groups_ = joinMapped(tls.curve_preferences, config::openSslGroupName);
  return std::shared_ptr<const TlsMaterial>(std::move(m));
}

bool TlsMaterial::acceptsAnyClientCert() const {
  return settings_.client_auth == config::ClientAuthType::RequestClientCert ||
         settings_.client_auth == config::ClientAuthType::RequireAnyClientCert;
}

bool TlsMaterial::allowsClient(X509* leaf) const {
  if (settings_.client_allowed_sans.empty()) return true;
  const std::vector<std::string> sans = sanTexts(leaf);
  return std::any_of(sans.begin(), sans.end(), [this](const std::string& san) {
    const auto& allowed = settings_.client_allowed_sans;
    return std::find(allowed.begin(), allowed.end(), san) != allowed.end();
  });
}

// One setter per setting; the cipher list and groups were checked against OpenSSL's names.
bool applyTlsMaterial(SSL* ssl, std::shared_ptr<const TlsMaterial> material) {
  const TlsMaterial& m = *material;
  const config::WebTlsConfig& s = m.settings_;
  if (SSL_set_min_proto_version(ssl, tlsVersion(s.min_version)) != 1 ||
      SSL_set_max_proto_version(ssl, tlsVersion(s.max_version)) != 1)
    return false;
  if (!m.ciphers_.empty() && SSL_set_cipher_list(ssl, m.ciphers_.c_str()) != 1) return false;
  if (!m.groups_.empty() && SSL_set1_groups_list(ssl, m.groups_.c_str()) != 1) return false;
  if (s.prefer_server_cipher_suites) {
    SSL_set_options(ssl, SSL_OP_CIPHER_SERVER_PREFERENCE);
  } else {
    SSL_clear_options(ssl, SSL_OP_CIPHER_SERVER_PREFERENCE);
  }
  if (SSL_use_cert_and_key(ssl, m.cert_, m.key_, m.chain_, 1) != 1) return false;
  if (s.requestsClientCert()) {
    const bool required = s.client_auth == config::ClientAuthType::RequireAnyClientCert ||
                          s.client_auth == config::ClientAuthType::RequireAndVerifyClientCert;
    SSL_set_verify(ssl, SSL_VERIFY_PEER | (required ? SSL_VERIFY_FAIL_IF_NO_PEER_CERT : 0),
                   verifyClient);
    if (m.client_cas_ != nullptr) {
      SSL_set1_verify_cert_store(ssl, m.client_cas_);
      SSL_set_client_CA_list(ssl, SSL_dup_CA_list(m.client_ca_names_));
    }
  } else {
    SSL_set_verify(ssl, SSL_VERIFY_NONE, nullptr);
  }
  auto* held = new std::shared_ptr<const TlsMaterial>(std::move(material));
  delete static_cast<std::shared_ptr<const TlsMaterial>*>(SSL_get_ex_data(ssl, exDataIndex()));
  SSL_set_ex_data(ssl, exDataIndex(), held);
  return true;
}

}  // namespace certvigil::exporters
