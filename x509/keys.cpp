// SPDX-License-Identifier: Apache-2.0
#include "x509/keys.h"

#include <sys/stat.h>

#include <cerrno>

#include <openssl/err.h>

#include "x509/openssl_util.h"
#include "x509/reader.h"

namespace certvigil::x509 {
namespace {

/// Any permission bit for group or other. Stricter than "readable" (mode & 0044) on purpose,
/// like OpenSSH's UNPROTECTED PRIVATE KEY FILE rule: a key others may write or replace is as
/// much a problem as one they may read. core/observation.h documents the same mask.
constexpr unsigned kGroupOtherBits = 0077;

/// Key files are small; a megabyte is far past any real one.
constexpr size_t kMaxKeyFileBytes = size_t{1024} * 1024;

void markUnreadable(KeyFacts& facts, std::string problem) {
  facts.readable = false;
  facts.problem = std::move(problem);
}

}  // namespace

bool keyMatchesCertificate(EVP_PKEY* key, X509* cert) {
  if (key == nullptr || cert == nullptr) return false;
  EVP_PKEY* public_key = X509_get0_pubkey(cert);
  const bool matches = public_key != nullptr && EVP_PKEY_eq(key, public_key) == 1;
  ERR_clear_error();
  return matches;
}

KeyFacts inspectKeyFile(const std::filesystem::path& path, const std::string& password,
                        X509* cert) {
  KeyFacts facts;
  facts.path = path.string();
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    markUnreadable(facts, errnoText(errno));
    return facts;
  }
  facts.mode = static_cast<unsigned>(st.st_mode) & 07777;
  facts.group_or_other_readable = (facts.mode & kGroupOtherBits) != 0;
  Result<std::string> bytes = readFileCapped(path, kMaxKeyFileBytes);
  if (!bytes) {
    markUnreadable(facts, bytes.error().message);
    return facts;
  }
  Result<PkeyPtr> key = readPrivateKey(*bytes, password);
  if (!key) {
    // matches stays true: a key we cannot read is reported as unreadable, never as a mismatch.
    markUnreadable(facts, key.error().message);
    return facts;
  }
  if (cert != nullptr) facts.matches = keyMatchesCertificate(key->get(), cert);
  return facts;
}

}  // namespace certvigil::x509
