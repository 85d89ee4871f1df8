// SPDX-License-Identifier: Apache-2.0
#include "x509/pem.h"

#include <algorithm>
#include <cctype>

#include <openssl/err.h>
#include <openssl/pem.h>

#include "x509/openssl_util.h"

namespace certvigil::x509 {
namespace {

constexpr std::string_view kBegin = "-----BEGIN ";
constexpr std::string_view kDashes = "-----";
/// Labels are short ("ENCRYPTED PRIVATE KEY" is the longest we know); anything longer is noise.
constexpr size_t kMaxLabel = 64;

bool isBlank(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; });
}

/// The label of a BEGIN delimiter at `begin`, or "" if the line is not a well-formed one.
std::string_view labelAt(std::string_view bytes, size_t begin) {
  const size_t start = begin + kBegin.size();
  const size_t end = bytes.find(kDashes, start);
  if (end == std::string_view::npos || end - start > kMaxLabel) return {};
  const std::string_view label = bytes.substr(start, end - start);
  const bool printable =
      std::all_of(label.begin(), label.end(), [](char c) { return c >= ' ' && c <= '~'; });
  return printable ? label : std::string_view{};
}

}  // namespace

bool looksLikePem(std::string_view bytes) { return bytes.find(kBegin) != std::string_view::npos; }

std::vector<PemBlock> splitPem(std::string_view bytes) {
  std::vector<PemBlock> blocks;
  size_t pos = 0;
  while ((pos = bytes.find(kBegin, pos)) != std::string_view::npos) {
    const std::string_view label = labelAt(bytes, pos);
    if (label.empty()) {
      pos += kBegin.size();
      continue;
    }
    const size_t body = pos + kBegin.size() + label.size() + kDashes.size();
    const std::string end_line = "-----END " + std::string(label) + "-----";
    const size_t end = bytes.find(end_line, body);
    const size_t next = bytes.find(kBegin, body);
    PemBlock block;
    block.index = static_cast<int>(blocks.size()) + 1;
    block.label = std::string(label);
    if (end == std::string_view::npos || (next != std::string_view::npos && next < end)) {
      const size_t stop = next == std::string_view::npos ? bytes.size() : next;
      block.text = bytes.substr(pos, stop - pos);
      block.truncated = true;
      pos = stop;
    } else {
      block.text = bytes.substr(pos, end + end_line.size() - pos);
      block.empty = isBlank(bytes.substr(body, end - body));
      pos = end + end_line.size();
    }
    blocks.push_back(std::move(block));
  }
  return blocks;
}

Result<PemData> decodePemBlock(std::string_view block_text) {
  ERR_clear_error();
  BioPtr bio = memoryBio(block_text);
  char* name = nullptr;
  char* header = nullptr;
  unsigned char* data = nullptr;
  long size = 0;
  if (!bio || PEM_read_bio(bio.get(), &name, &header, &data, &size) != 1) {
    return makeError(ErrorCode::Parse, withOpensslReason("cannot decode PEM block"));
  }
  PemData out{name, std::string(reinterpret_cast<const char*>(data), static_cast<size_t>(size))};
  OPENSSL_free(name);
  OPENSSL_free(header);
  OPENSSL_free(data);
  return out;
}

std::string describeBlock(const PemBlock& block, std::string_view what) {
  return "block " + std::to_string(block.index) + " (" + block.label + "): " + std::string(what);
}

}  // namespace certvigil::x509
