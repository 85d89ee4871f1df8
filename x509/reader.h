// SPDX-License-Identifier: Apache-2.0
// x509/reader.h: turns the bytes of one file into DER certificate blocks, private keys and read
// problems. No parsing of certificates here (that is facts.h, once per fingerprint): splitting
// and base64-decoding is cheap, a full X.509 decode is not.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/observation.h"
#include "core/result.h"
#include "x509/handles.h"

namespace certvigil::x509 {

/// Files larger than this are not read whole: parse_error "file too large".
constexpr size_t kDefaultMaxFileBytes = size_t{4} * 1024 * 1024;

enum class FileFormat { Unknown, Pem, Der, Pkcs12, Jks, Jceks };

/// A private-key entry of a Java keystore: a target of its own, "<file>#<alias>".
struct KeyEntry {
  std::string alias;
  std::vector<std::string> certificate_ders;  ///< the key's chain, leaf first
};

/// What one file holds.
struct Material {
  FileFormat format = FileFormat::Unknown;
  std::vector<std::string> certificate_ders;  ///< DER bytes of each certificate, file order
  std::vector<PkeyPtr> private_keys;          ///< private keys found in the file
  int private_key_blocks = 0;         ///< PRIVATE KEY blocks seen, even ones we could not decrypt
  std::vector<ReadProblem> problems;  ///< parse_error / pem_empty, one per bad block
  /// The certificates are trust material (a Java keystore's trusted-certificate entries, a
  /// PKCS#12 file without a key): judged as a CA bundle.
  bool trust_store = false;
  /// Java keystores: the private-key entries, each judged on its own (not in certificate_ders).
  std::vector<KeyEntry> key_entries;
};

struct ReadOptions {
  std::string password;  ///< for PKCS#12 and encrypted keys; empty: none
};

/// Reads a file, refusing more than max_bytes (the error says so). Io errors carry errno text.
Result<std::string> readFileCapped(const std::filesystem::path& path,
                                   size_t max_bytes = kDefaultMaxFileBytes);

/// Splits PEM (many blocks, CRLF, text around blocks, CERTIFICATE / TRUSTED CERTIFICATE /
/// X509 CERTIFICATE, PRIVATE KEY / RSA / EC / ENCRYPTED PRIVATE KEY), or recognises DER
/// (a certificate, or a private key), PKCS#12 or a Java keystore (JKS / JCEKS, by its magic
/// number). Never throws; hostile input becomes problems.
Material readMaterial(std::string_view bytes, const ReadOptions& options = {});

/// Loads a private key file's bytes: PEM or DER, PKCS#1 or PKCS#8, RSA/EC/Ed25519, encrypted
/// with `password` when needed.
Result<PkeyPtr> readPrivateKey(std::string_view bytes, const std::string& password);

/// Reads a password file: its first line, without the line ending.
Result<std::string> readPasswordFile(const std::filesystem::path& path);

/// Loads OpenSSL 3's legacy provider (RC2/3DES PKCS#12) beside the default one. Idempotent.
void enableLegacyAlgorithms();

}  // namespace certvigil::x509
