// SPDX-License-Identifier: Apache-2.0
// The layout (sun.security.provider.JavaKeyStore, com.sun.crypto.provider.JceKeyStore), all
// integers big-endian:
//   magic u4, version u4 (1 or 2), count u4, then per entry:
//     tag u4 (1 private key, 2 trusted certificate, 3 secret key: JCEKS only),
//     alias (u2 length + modified UTF-8), creation time u8 (ms since the epoch), and
//     1: protected key (u4 length + bytes), chain length u4, certificates;
//     2: one certificate; 3: a serialized Java object (SealedObject).
//   A certificate is (version 2 only: its type, u2 length + "X.509") u4 length + DER.
//   Last, 20 bytes: SHA-1(password as UTF-16BE || "Mighty Aphrodite" || everything before).
// Lengths are never trusted: each is checked against the bytes left, nothing is reserved from
// a count, and every loop consumes bytes or stops.
#include "x509/java_keystore.h"

#include <openssl/evp.h>

#include "x509/openssl_util.h"

namespace certvigil::x509 {
namespace {

constexpr uint32_t kJksMagic = 0xFEEDFEEDU;
constexpr uint32_t kJceksMagic = 0xCECECECEU;
constexpr size_t kDigestBytes = 20;
constexpr std::string_view kWhitener = "Mighty Aphrodite";

/// Reads big-endian integers and length-prefixed fields, never past the end.
class Cursor {
 public:
  explicit Cursor(std::string_view bytes) : bytes_(bytes) {}

  size_t remaining() const { return bytes_.size() - pos_; }

  bool take(size_t n, std::string_view& out) {
    if (n > remaining()) return false;
    out = bytes_.substr(pos_, n);
    pos_ += n;
    return true;
  }

  bool u16(uint32_t& out) { return integer(2, out); }
  bool u32(uint32_t& out) { return integer(4, out); }
  bool skip(size_t n) {
    std::string_view ignored;
    return take(n, ignored);
  }

 private:
  bool integer(size_t n, uint32_t& out) {
    std::string_view raw;
    if (!take(n, raw)) return false;
    out = 0;
    for (char c : raw) out = (out << 8U) | static_cast<unsigned char>(c);
    return true;
  }

  std::string_view bytes_;
  size_t pos_ = 0;
};

/// The Java password bytes: each UTF-16 code unit of the UTF-8 password, big-endian. Bytes
/// that are not UTF-8 count as Latin-1 characters.
std::string utf16be(std::string_view utf8) {
  std::string out;
  auto unit = [&out](uint32_t u) {
    out += static_cast<char>((u >> 8U) & 0xFFU);
    out += static_cast<char>(u & 0xFFU);
  };
  for (size_t i = 0; i < utf8.size();) {
    const auto b = static_cast<unsigned char>(utf8[i]);
    const size_t n = b < 0x80          ? 1
                     : (b >> 5U) == 6  ? 2
                     : (b >> 4U) == 14 ? 3
                     : (b >> 3U) == 30 ? 4
                                       : 0;
    uint32_t cp = n == 1 ? b : n == 2 ? (b & 0x1FU) : n == 3 ? (b & 0x0FU) : (b & 0x07U);
    bool valid = n > 0 && i + n <= utf8.size();
    for (size_t k = 1; valid && k < n; ++k) {
      const auto c = static_cast<unsigned char>(utf8[i + k]);
      valid = (c >> 6U) == 2;
      cp = (cp << 6U) | (c & 0x3FU);
    }
    if (!valid) {
      unit(b);
      i += 1;
      continue;
    }
    if (cp >= 0x10000) {
      unit(0xD800U + ((cp - 0x10000) >> 10U));
      unit(0xDC00U + ((cp - 0x10000) & 0x3FFU));
    } else {
      unit(cp);
    }
    i += n;
  }
  return out;
}

/// The alias: u2 length + modified UTF-8 (kept as bytes: aliases are names, not text to fix).
bool readAlias(Cursor& c, std::string& alias) {
  uint32_t length = 0;
  std::string_view raw;
  if (!c.u16(length) || !c.take(length, raw)) return false;
  alias.assign(raw);
  return true;
}

/// One certificate; `der` is left empty for a certificate type other than X.509.
bool readCertificate(Cursor& c, uint32_t version, std::string& der) {
  std::string type = "X.509";
  if (version == 2 && !readAlias(c, type)) return false;
  uint32_t length = 0;
  std::string_view raw;
  if (!c.u32(length) || !c.take(length, raw)) return false;
  if (type == "X.509") der.assign(raw);
  return true;
}

void keepCertificate(std::string der, KeystoreEntry& entry) {
  if (!der.empty()) entry.certificate_ders.push_back(std::move(der));
}

bool readKeyEntry(Cursor& c, uint32_t version, KeystoreEntry& entry) {
  uint32_t length = 0;
  uint32_t chain = 0;
  if (!c.u32(length) || !c.skip(length) || !c.u32(chain)) return false;
  for (uint32_t i = 0; i < chain; ++i) {
    std::string der;
    if (!readCertificate(c, version, der)) return false;
    keepCertificate(std::move(der), entry);
  }
  return true;
}

enum class EntryOutcome { Read, Damaged, Stop };

/// Reads entry `index`; on Damaged, `ks.damage` says why.
EntryOutcome readEntry(Cursor& c, uint32_t version, uint32_t index, uint32_t count,
                       JavaKeystore& ks) {
  const std::string where = "entry " + std::to_string(index + 1) + " of " + std::to_string(count);
  uint32_t tag = 0;
  KeystoreEntry entry;
  if (!c.u32(tag) || !readAlias(c, entry.alias) || !c.skip(8)) {
    ks.damage = where + ": truncated";
    return EntryOutcome::Damaged;
  }
  bool ok = true;
  std::string der;
  if (tag == 1) {
    entry.kind = KeystoreEntryKind::PrivateKey;
    ok = readKeyEntry(c, version, entry);
  } else if (tag == 2) {
    ok = readCertificate(c, version, der);
    keepCertificate(std::move(der), entry);
  } else if (tag == 3 && ks.type == KeystoreType::Jceks) {
    // A serialized SealedObject: its length is nowhere, so the entries after it are not read.
    entry.kind = KeystoreEntryKind::SecretKey;
    ks.entries.push_back(std::move(entry));
    ks.entries_not_read = count - index - 1;
    return EntryOutcome::Stop;
  } else {
    ks.damage = where + ": unknown entry type " + std::to_string(tag);
    return EntryOutcome::Damaged;
  }
  if (!ok) {
    ks.damage = where + " ('" + entry.alias + "'): truncated";
    return EntryOutcome::Damaged;
  }
  ks.entries.push_back(std::move(entry));
  return EntryOutcome::Read;
}

/// Reads the entries of `body` (the file without its digest) into `ks`.
Status readEntries(std::string_view body, JavaKeystore& ks) {
  Cursor c(body);
  uint32_t magic = 0;
  uint32_t version = 0;
  uint32_t count = 0;
  if (!c.u32(magic) || !c.u32(version) || !c.u32(count)) {
    ks.damage = "truncated header";
    return Ok{};
  }
  if (version != 1 && version != 2) {
    return makeError(ErrorCode::Unsupported, "unknown " + std::string(toString(ks.type)) +
                                                 " version " + std::to_string(version));
  }
  for (uint32_t i = 0; i < count; ++i) {
    const EntryOutcome outcome = readEntry(c, version, i, count, ks);
    if (outcome != EntryOutcome::Read) return Ok{};
  }
  if (c.remaining() != 0) {
    ks.damage = std::to_string(c.remaining()) + " unexpected bytes after the last entry";
  }
  return Ok{};
}

}  // namespace

std::optional<KeystoreType> javaKeystoreType(std::string_view bytes) {
  if (bytes.size() < 4) return std::nullopt;
  uint32_t magic = 0;
  for (size_t i = 0; i < 4; ++i) magic = (magic << 8U) | static_cast<unsigned char>(bytes[i]);
  if (magic == kJksMagic) return KeystoreType::Jks;
  if (magic == kJceksMagic) return KeystoreType::Jceks;
  return std::nullopt;
}

std::string_view toString(KeystoreType type) { return type == KeystoreType::Jks ? "JKS" : "JCEKS"; }

bool keystoreDigestMatches(std::string_view content, std::string_view digest,
                           const std::string& password) {
  if (digest.size() != kDigestBytes) return false;
  const std::string key = utf16be(password);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const bool ok = ctx != nullptr && EVP_DigestInit_ex(ctx, EVP_sha1(), nullptr) == 1 &&
                  EVP_DigestUpdate(ctx, key.data(), key.size()) == 1 &&
                  EVP_DigestUpdate(ctx, kWhitener.data(), kWhitener.size()) == 1 &&
                  EVP_DigestUpdate(ctx, content.data(), content.size()) == 1 &&
                  EVP_DigestFinal_ex(ctx, md, &md_len) == 1;
  EVP_MD_CTX_free(ctx);
  takeOpensslErrors();
  return ok && md_len == kDigestBytes &&
         std::string_view(reinterpret_cast<const char*>(md), md_len) == digest;
}

Result<JavaKeystore> parseJavaKeystore(std::string_view bytes, const std::string& password) {
  const std::optional<KeystoreType> type = javaKeystoreType(bytes);
  if (!type) return makeError(ErrorCode::Parse, "not a Java keystore (no JKS or JCEKS magic)");
  JavaKeystore ks;
  ks.type = *type;
  if (bytes.size() < 12 + kDigestBytes) {
    ks.damage = "truncated (" + std::to_string(bytes.size()) + " bytes)";
    return ks;
  }
  const std::string_view body = bytes.substr(0, bytes.size() - kDigestBytes);
  if (Status read = readEntries(body, ks); !read) return read.error();
  if (!password.empty()) {
    ks.integrity = keystoreDigestMatches(body, bytes.substr(body.size()), password)
                       ? KeystoreIntegrity::Verified
                       : KeystoreIntegrity::Failed;
  }
  return ks;
}

namespace {

void addStoreProblem(Material& out, KeystoreType type, const std::string& detail) {
  out.problems.emplace_back(FindingCode::ParseError, std::string(toString(type)) + ": " + detail);
}

/// The trusted certificates become the file's certificates; each private-key entry a target.
void addEntries(const JavaKeystore& ks, Material& out) {
  for (const KeystoreEntry& entry : ks.entries) {
    if (entry.kind == KeystoreEntryKind::PrivateKey) {
      out.key_entries.push_back({entry.alias, entry.certificate_ders});
    } else if (entry.kind == KeystoreEntryKind::TrustedCertificate) {
      out.certificate_ders.insert(out.certificate_ders.end(), entry.certificate_ders.begin(),
                                  entry.certificate_ders.end());
    }
  }
}

}  // namespace

bool readJavaKeystore(std::string_view bytes, const std::string& password, Material& out) {
  const std::optional<KeystoreType> type = javaKeystoreType(bytes);
  if (!type) return false;
  out.format = *type == KeystoreType::Jks ? FileFormat::Jks : FileFormat::Jceks;
  out.trust_store = true;
  Result<JavaKeystore> ks = parseJavaKeystore(bytes, password);
  if (!ks) {
    addStoreProblem(out, *type, ks.error().message);
    return true;
  }
  addEntries(*ks, out);
  if (ks->integrity == KeystoreIntegrity::Failed) {
    addStoreProblem(out, *type, std::string(kKeystoreBadPassword));
  }
  if (!ks->damage.empty()) addStoreProblem(out, *type, "damaged: " + ks->damage);
  if (ks->entries_not_read > 0) {
    addStoreProblem(out, *type,
                    std::to_string(ks->entries_not_read) +
                        " entries after a secret-key entry were not read (certvigil cannot "
                        "measure a serialized secret key)");
  }
  return true;
}

}  // namespace certvigil::x509
