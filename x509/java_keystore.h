// SPDX-License-Identifier: Apache-2.0
// x509/java_keystore.h: Java keystores (JKS, magic 0xFEEDFEED, and JCEKS, 0xCECECECE), read
// without a JVM: the certificates of every entry and the keystore's keyed SHA-1 integrity
// digest. Hostile input safe: every length is checked against what is left of the file before
// anything is read or allocated. Private keys are not decrypted: their certificate chains are
// what certvigil judges, and the store's integrity digest already proves the password.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "x509/reader.h"

namespace certvigil::x509 {

enum class KeystoreType { Jks, Jceks };

/// What users see when the integrity digest does not match (after "JKS: " / "JCEKS: ").
inline constexpr std::string_view kKeystoreBadPassword =
    "integrity check failed: wrong password (password_file), or the file was altered";

/// What a keystore entry holds (the tag in the file: 1, 2, 3).
enum class KeystoreEntryKind { PrivateKey, TrustedCertificate, SecretKey };

/// One entry: its alias and certificates (a private key's chain, leaf first; a trusted
/// certificate; none for a secret key).
struct KeystoreEntry {
  KeystoreEntryKind kind = KeystoreEntryKind::TrustedCertificate;
  std::string alias;
  std::vector<std::string> certificate_ders;
};

/// The outcome of the integrity check.
enum class KeystoreIntegrity {
  NotChecked,  ///< no password given: read like `keytool -list` without -storepass
  Verified,    ///< the digest matches the password and the content
  Failed,      ///< wrong password, or the file was altered after it was written
};

/// A keystore as read.
struct JavaKeystore {
  KeystoreType type = KeystoreType::Jks;
  std::vector<KeystoreEntry> entries;  ///< file order
  KeystoreIntegrity integrity = KeystoreIntegrity::NotChecked;
  /// Set when reading stopped early (a JCEKS secret-key entry, whose serialized Java object
  /// cannot be measured): how many entries were not read.
  size_t entries_not_read = 0;
  /// Why reading stopped before the end (truncated, a length past the end of the file), empty
  /// when the whole file was read: the entries before the damage are kept.
  std::string damage;
};

/// JKS or JCEKS when `bytes` start with a keystore's magic number, whatever the file is called.
std::optional<KeystoreType> javaKeystoreType(std::string_view bytes);

/// "JKS" | "JCEKS".
std::string_view toString(KeystoreType type);

/// Parses a keystore; with a non-empty `password`, checks its integrity digest (SHA-1 over the
/// password as UTF-16BE, "Mighty Aphrodite" and every byte before the digest). Errors: not a
/// keystore, an unknown version (Parse); a damaged file is a keystore with `damage` set.
Result<JavaKeystore> parseJavaKeystore(std::string_view bytes, const std::string& password);

/// True when `digest` (20 bytes) is the keyed SHA-1 of `content` under `password`.
bool keystoreDigestMatches(std::string_view content, std::string_view digest,
                           const std::string& password);

/// False when `bytes` is not a Java keystore (nothing is added). Otherwise fills `out`: format
/// Jks or Jceks; the trusted certificates as `certificate_ders` (trust material, so
/// `trust_store`), each private-key entry in `key_entries`, and a parse_error problem for a
/// failed integrity check or a damaged file (what could be read before the damage is kept).
bool readJavaKeystore(std::string_view bytes, const std::string& password, Material& out);

}  // namespace certvigil::x509
