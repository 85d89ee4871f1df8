// SPDX-License-Identifier: Apache-2.0
// config/idna.cpp: host names as clients put them on the wire. A name with non-ASCII characters
// is converted to its A-label form (IDNA 2008 with UTS #46 non-transitional mapping, as
// browsers do) by libidn2, so that SNI, DNS and the subjectAltName comparison (which holds
// A-labels) all see the same name. ASCII names pass unchanged (they may hold '_' or '*',
// which IDNA would refuse).
#include <idn2.h>

#include <algorithm>
#include <cstdlib>

#include "config/config.h"

namespace certvigil::config {
namespace {

bool isALabel(std::string_view label) {
  return label.size() >= 4 && (label[0] == 'x' || label[0] == 'X') &&
         (label[1] == 'n' || label[1] == 'N') && label[2] == '-' && label[3] == '-';
}

/// Whether decoded UTF-8 holds a name's characters: something beyond ASCII (an A-label of plain
/// ASCII is a forgery), and no control character (C0, DEL, or C1: 0xC2 0x80-0x9F).
bool printableUnicode(std::string_view utf8) {
  bool beyond_ascii = false;
  for (size_t i = 0; i < utf8.size(); ++i) {
    const auto byte = static_cast<unsigned char>(utf8[i]);
    if (byte < 0x20 || byte == 0x7f) return false;
    if (byte == 0xc2 && i + 1 < utf8.size() && static_cast<unsigned char>(utf8[i + 1]) < 0xa0) {
      return false;
    }
    beyond_ascii = beyond_ascii || byte >= 0x80;
  }
  return beyond_ascii;
}

/// IDN2_OK when every "xn--" label of an ASCII name is Punycode that decodes to printable
/// characters beyond ASCII (the other labels are not IDNA's business: they may hold '_' or '*').
/// Only decoding is required, not IDNA 2008's code point rules: a verifier compares A-labels as
/// they are, and a name it may be asked about (one a certificate can hold) is not a usage error.
int checkALabels(std::string_view name) {
  size_t start = 0;
  while (start <= name.size()) {
    const size_t dot = std::min(name.find('.', start), name.size());
    const std::string label(name.substr(start, dot - start));
    if (isALabel(label)) {
      char* output = nullptr;
      int rc = idn2_to_unicode_8z8z(label.c_str(), &output, 0);
      if (rc == IDN2_OK && (output == nullptr || !printableUnicode(output)))
        rc = IDN2_PUNYCODE_BAD_INPUT;
      idn2_free(output);
      if (rc != IDN2_OK) return rc;
    }
    start = dot + 1;
  }
  return IDN2_OK;
}

}  // namespace

std::optional<std::string> toALabel(std::string_view name, std::string* why) {
  const bool ascii = std::all_of(name.begin(), name.end(),
                                 [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  // An ASCII name passes unchanged, but its A-labels ("xn--") must decode to valid U-labels, or
  // "xn--a.b" would pass as a name although no client accepts it.
  const std::string input(name);
  char* output = nullptr;
  const int rc =
      ascii ? checkALabels(name)
            : idn2_to_ascii_8z(input.c_str(), &output, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
  if (rc != IDN2_OK) {
    if (why != nullptr)
      *why = std::string("not a valid internationalised name: ") + idn2_strerror(rc);
    return std::nullopt;
  }
  if (ascii) return input;
  std::string out(output);
  idn2_free(output);
  return out;
}

}  // namespace certvigil::config
