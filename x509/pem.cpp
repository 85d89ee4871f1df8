// SPDX-License-Identifier: Apache-2.0
#include "x509/pem.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <optional>

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

/// The base64 alphabet's value of each byte, or -1.
constexpr std::array<int8_t, 256> kBase64 = [] {
  std::array<int8_t, 256> table{};
  table.fill(-1);
  constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (size_t i = 0; i < kAlphabet.size(); ++i) {
    table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<int8_t>(i);
  }
  return table;
}();

/// The block's last quantum, "xx==" or "xxx=": its one or two bytes end `out` at `at`.
bool decodePadded(const unsigned char* in, std::string& out, size_t at) {
  const int a = kBase64[in[0]], b = kBase64[in[1]], c = kBase64[in[2]];
  if ((a | b) < 0 || in[3] != '=') return false;
  if (in[2] == '=') {
    out.resize(at + 1);
    out[at] = static_cast<char>((a << 2 | b >> 4) & 0xff);
    return true;
  }
  if (c < 0) return false;
  out.resize(at + 2);
  out[at] = static_cast<char>((a << 2 | b >> 4) & 0xff);
  out[at + 1] = static_cast<char>((b << 4 | c >> 2) & 0xff);
  return true;
}

/// Appends the bytes of `line`: whole base64 quanta, the last one of the block (`last`) possibly
/// padded ("xx==", "xxx="); false for anything else.
bool decodeLine(std::string_view line, bool last, std::string& out) {
  if (line.size() % 4 != 0) return false;
  const auto* in = reinterpret_cast<const unsigned char*>(line.data());
  const size_t quanta = line.size() / 4;
  const size_t start = out.size();
  out.resize(start + quanta * 3);
  char* dst = out.data() + start;
  for (size_t q = 0; q < quanta; ++q, in += 4) {
    const int a = kBase64[in[0]], b = kBase64[in[1]], c = kBase64[in[2]], d = kBase64[in[3]];
    if ((a | b | c | d) < 0) {
      if (!last || q + 1 != quanta) return false;
      return decodePadded(in, out, start + q * 3);
    }
    const uint32_t bits = static_cast<uint32_t>(a << 18 | b << 12 | c << 6 | d);
    *dst++ = static_cast<char>(bits >> 16);
    *dst++ = static_cast<char>(bits >> 8);
    *dst++ = static_cast<char>(bits);
  }
  return true;
}

/// A plain block (the BEGIN line, base64 lines of at most 64 characters ending in LF or CRLF,
/// the END line; no RFC 1421 headers) decoded without OpenSSL's BIO machinery: the form nearly
/// every file holds, read for every file of a tree. nullopt for any other shape (headers, blank
/// or long lines, stray characters, padding before the end): the caller hands those to
/// PEM_read_bio, which decodes them or names the problem exactly as before.
std::optional<PemData> decodePlainBlock(std::string_view block) {
  constexpr size_t kMaxLine = 64;
  const std::string_view label = labelAt(block, 0);
  size_t pos = block.find('\n');
  if (label.empty() || pos == std::string_view::npos) return std::nullopt;
  // Nothing after the BEGIN line's dashes but the line end, as OpenSSL insists.
  const size_t begin_line = kBegin.size() + label.size() + kDashes.size();
  if (pos != begin_line && !(pos == begin_line + 1 && block[begin_line] == '\r')) {
    return std::nullopt;
  }
  PemData out{std::string(label), {}};
  out.der.reserve(block.size() / 4 * 3);
  for (++pos; pos < block.size();) {
    const size_t eol = block.find('\n', pos);
    if (eol == std::string_view::npos) return std::nullopt;  // the END line comes last
    std::string_view line = block.substr(pos, eol - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (block.substr(eol + 1).starts_with("-----END ")) {
      if (line.empty() || line.size() > kMaxLine || !decodeLine(line, true, out.der)) {
        return std::nullopt;
      }
      return out.der.empty() ? std::nullopt : std::optional<PemData>(std::move(out));
    }
    if (line.size() != kMaxLine || !decodeLine(line, false, out.der)) return std::nullopt;
    pos = eol + 1;
  }
  return std::nullopt;
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
  if (std::optional<PemData> plain = decodePlainBlock(block_text)) return std::move(*plain);
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
