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

/// IDN2_OK when every "xn--" label of an ASCII name decodes to a valid U-label (the other labels
/// are not IDNA's business: they may hold '_' or '*'); otherwise libidn2's error.
int checkALabels(std::string_view name) {
  size_t start = 0;
  while (start <= name.size()) {
    const size_t dot = std::min(name.find('.', start), name.size());
    const std::string label(name.substr(start, dot - start));
    if (isALabel(label)) {
      char* output = nullptr;
      const int rc =
          idn2_to_ascii_8z(label.c_str(), &output, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
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
