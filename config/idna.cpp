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

std::optional<std::string> toALabel(std::string_view name, std::string* why) {
  const bool ascii = std::all_of(name.begin(), name.end(),
                                 [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (ascii) return std::string(name);
  const std::string input(name);
  char* output = nullptr;
  const int rc = idn2_to_ascii_8z(input.c_str(), &output, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
  if (rc != IDN2_OK) {
    if (why != nullptr)
      *why = std::string("not a valid internationalised name: ") + idn2_strerror(rc);
    return std::nullopt;
  }
  std::string out(output);
  idn2_free(output);
  return out;
}

}  // namespace certvigil::config
