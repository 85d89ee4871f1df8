// SPDX-License-Identifier: Apache-2.0
// core/certificate.h: the facts we read off one X.509 certificate. Std-only, so checks,
// storage and exporters never touch OpenSSL; x509/ fills it in.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/time.h"

namespace certvigil {

enum class KeyType { Unknown, Rsa, Ec, Ed25519, Ed448, Dsa, Other };

/// "RSA", "EC", "Ed25519", ...
std::string_view toString(KeyType type);

/// Everything the checks, storage and exporters need about a certificate.
struct CertificateFacts {
  std::string fingerprint_sha256;  ///< lowercase hex SHA-256 of the DER, 64 chars
  std::string subject;             ///< RFC 2253 one line, e.g. "CN=api,O=Example"
  std::string issuer;              ///< RFC 2253 one line
  std::string common_name;         ///< first CN of the subject, may be empty
  std::string serial;              ///< upper-case hex, no separators
  TimePoint not_before{};
  TimePoint not_after{};
  bool is_ca = false;            ///< basicConstraints CA:TRUE
  bool self_issued = false;      ///< subject == issuer
  bool self_signed = false;      ///< self-issued and its signature verifies with its own key
  bool has_eku = false;          ///< an extendedKeyUsage extension is present
  bool eku_server_auth = false;  ///< serverAuth 1.3.6.1.5.5.7.3.1
  bool eku_client_auth = false;  ///< clientAuth 1.3.6.1.5.5.7.3.2
  bool eku_any = false;          ///< anyExtendedKeyUsage
  bool eku_sgc = false;          ///< Netscape or Microsoft Server Gated Crypto
  KeyType key_type = KeyType::Unknown;
  int key_bits = 0;                       ///< RSA modulus bits, EC field bits, 255 for Ed25519
  std::string key_curve;                  ///< e.g. "prime256v1" (EC only)
  std::string signature_algorithm;        ///< e.g. "sha256WithRSAEncryption"
  std::string signature_digest;           ///< "sha256", "sha1", "md5", "" for Ed25519 and unknown
  std::vector<std::string> dns_names;     ///< subjectAltName DNS entries
  std::vector<std::string> ip_addresses;  ///< subjectAltName IP entries, textual
  // What strict clients check against RFC 5280 (checks/conformance.cpp).
  int version = 3;                          ///< X.509 version, 1..3
  bool has_basic_constraints = false;       ///< a basicConstraints extension is present
  bool basic_constraints_critical = false;  ///< ... and marked critical
  bool has_key_usage = false;               ///< a keyUsage extension is present
  bool key_usage_cert_sign = false;         ///< keyUsage keyCertSign
  bool key_usage_crl_sign = false;          ///< keyUsage cRLSign
  /// keyUsage digitalSignature, keyEncipherment or keyAgreement: a TLS peer may use the key.
  bool key_usage_tls = false;
  bool has_path_len = false;               ///< basicConstraints carries pathLenConstraint
  bool subject_empty = false;              ///< the subject is an empty name
  bool issuer_empty = false;               ///< the issuer is an empty name
  bool subject_alt_name_critical = false;  ///< subjectAltName is marked critical
  /// Extensions present but not decodable ("authorityInfoAccess"), or present twice.
  std::vector<std::string> malformed_extensions;
  bool has_subject_key_id = false;    ///< subjectKeyIdentifier present
  bool has_authority_key_id = false;  ///< authorityKeyIdentifier present
  int serial_sign = 1;                ///< -1 negative, 0 zero, 1 positive
  int serial_bytes = 0;               ///< octets of the DER INTEGER's content
  bool has_subject_alt_name = false;  ///< a subjectAltName extension is present
  std::string der;                    ///< the certificate itself (bytes)
  /// URIs of the CRL distribution points (fullName URIs, any scheme), in certificate order.
  std::vector<std::string> crl_urls;
  /// URIs of the OCSP responders in authorityInfoAccess, in certificate order.
  std::vector<std::string> ocsp_urls;

  /// Comma-separated EKU names for display and labels: "serverAuth,clientAuth" or "".
  std::string ekuText() const;
  /// "RSA-2048", "EC-256", "Ed25519".
  std::string keyText() const;
};

using CertificateFactsPtr = std::shared_ptr<const CertificateFacts>;

}  // namespace certvigil
