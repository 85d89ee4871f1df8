// SPDX-License-Identifier: Apache-2.0
// x509/pem.h: finds PEM blocks in text by scanning for the delimiters ourselves, then lets
// OpenSSL decode one block at a time. Scanning first is what makes hostile files precise:
// OpenSSL's PEM_read_bio returns NULL for a BEGIN/END pair with nothing between them without
// queuing any error, and after a broken block it cannot tell which block number failed.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace certvigil::x509 {

/// One "-----BEGIN LABEL-----" ... "-----END LABEL-----" region of a file.
struct PemBlock {
  int index = 0;           ///< 1-based, file order (the "block N" of problem details)
  std::string label;       ///< "CERTIFICATE", "PRIVATE KEY", "TRUSTED CERTIFICATE", ...
  std::string_view text;   ///< the BEGIN line through the END line (into the scanned bytes)
  bool truncated = false;  ///< BEGIN without a matching END (text runs to the next BEGIN/EOF)
  bool empty = false;      ///< only whitespace between the delimiters
};

/// The label and decoded bytes of one PEM block.
struct PemData {
  std::string label;
  std::string der;
};

/// True when the bytes contain a PEM BEGIN delimiter (text around blocks is allowed).
bool looksLikePem(std::string_view bytes);

/// Every BEGIN/END region, in file order; text between blocks is skipped. LF or CRLF.
std::vector<PemBlock> splitPem(std::string_view bytes);

/// Base64-decodes one block's text with OpenSSL; the error carries OpenSSL's reason
/// ("bad base64 decode").
Result<PemData> decodePemBlock(std::string_view block_text);

/// "block 2 (CERTIFICATE): <what>", the prefix of every per-block problem detail.
std::string describeBlock(const PemBlock& block, std::string_view what);

}  // namespace certvigil::x509
