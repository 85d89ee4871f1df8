// SPDX-License-Identifier: Apache-2.0
#include "x509/openssl_util.h"

#include <cctype>
#include <chrono>
#include <climits>
#include <cstring>
#include <ctime>

#include <openssl/err.h>

#include "x509/facts.h"

namespace certvigil::x509 {

std::string takeOpensslErrors() {
  std::string out;
  const char* data = nullptr;
  int flags = 0;
  while (unsigned long code = ERR_get_error_all(nullptr, nullptr, nullptr, &data, &flags)) {
    const char* reason = ERR_reason_error_string(code);
    std::string item = reason != nullptr ? reason : "error " + std::to_string(ERR_GET_REASON(code));
    if ((flags & ERR_TXT_STRING) != 0 && data != nullptr && *data != '\0') {
      item += std::string(" (") + data + ")";
    }
    // The same reason is often queued once per decoder tried; say it once.
    if (out.find(item) == std::string::npos) out += (out.empty() ? "" : "; ") + item;
  }
  return out;
}

std::string withOpensslReason(std::string message) {
  const std::string reason = takeOpensslErrors();
  if (!reason.empty()) message += ": " + reason;
  return message;
}

BioPtr memoryBio(std::string_view bytes) {
  // Files are capped far below INT_MAX before they reach here.
  const int size = bytes.size() > INT_MAX ? INT_MAX : static_cast<int>(bytes.size());
  return BioPtr(BIO_new_mem_buf(bytes.data(), size));
}

std::optional<TimePoint> toTimePoint(const ASN1_TIME* time) {
  std::tm tm{};
  if (time == nullptr || ASN1_TIME_to_tm(time, &tm) != 1) {
    ERR_clear_error();
    return std::nullopt;
  }
  // std::chrono's civil calendar instead of timegm: no time zone, no time_t range questions
  // (1950 UTCTime and 9999 GeneralizedTime both occur in real certificates).
  using namespace std::chrono;
  const year_month_day date{year{tm.tm_year + 1900}, month{static_cast<unsigned>(tm.tm_mon + 1)},
                            day{static_cast<unsigned>(tm.tm_mday)}};
  if (!date.ok()) return std::nullopt;
  return sys_days{date} + hours{tm.tm_hour} + minutes{tm.tm_min} + seconds{tm.tm_sec};
}

std::string nameText(const X509_NAME* name) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (name == nullptr || !bio) return {};
  // XN_FLAG_RFC2253 escapes every byte >= 0x80 as \XX; dropping ESC_MSB keeps UTF-8 readable.
  const unsigned long flags = XN_FLAG_RFC2253 & ~static_cast<unsigned long>(ASN1_STRFLGS_ESC_MSB);
  if (X509_NAME_print_ex(bio.get(), name, 0, flags) < 0) {
    ERR_clear_error();
    return {};
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return size > 0 ? std::string(data, static_cast<size_t>(size)) : std::string();
}

std::string derOf(X509* cert) {
  unsigned char* buffer = nullptr;
  const int size = i2d_X509(cert, &buffer);
  if (size <= 0) {
    ERR_clear_error();
    return {};
  }
  std::string der(reinterpret_cast<const char*>(buffer), static_cast<size_t>(size));
  OPENSSL_free(buffer);
  return der;
}

std::string fingerprintOf(X509* cert) { return sha256Hex(derOf(cert)); }

std::string errnoText(int error) {
  char buffer[256] = {};
  // GNU strerror_r may return a static string instead of filling the buffer.
  std::string text = strerror_r(error, buffer, sizeof buffer);
  if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  return text;
}

}  // namespace certvigil::x509
