#include "core/endpoint.h"

namespace certvigil {
namespace {

// nginx refuses a missing or bad client certificate with an HTTP 400 page ("No required SSL
// certificate was sent", "The SSL certificate error"); internally it logs 496 / 495.
bool isCertificateRefusalPage(int status, const std::string& excerpt) {
  if (status == 495 || status == 496) return true;
  return status == 400 && excerpt.find("SSL certificate") != std::string::npos;
}

}  // namespace

bool ServerAnswer::refused() const {
  if (alert.has_value()) return true;
  return http_status.has_value() && isCertificateRefusalPage(*http_status, http_excerpt);
}

bool ServerAnswer::served() const { return handshake_completed && !refused(); }

}  // namespace certvigil
