// SPDX-License-Identifier: Apache-2.0
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

std::string ServerAnswer::describe() const {
  if (alert) {
    std::string text = "TLS alert " + std::to_string(*alert);
    if (!alert_text.empty()) text += " (" + alert_text + ")";
    return text + (alert_after_handshake ? " after the handshake" : " during the handshake");
  }
  if (http_status) {
    const std::string code = std::to_string(*http_status);
    // "400 Bad Request ..." already says the status: "HTTP 400 Bad Request ...", said once.
    if (http_excerpt.rfind(code + " ", 0) == 0) return "HTTP " + http_excerpt;
    return "HTTP " + code + (http_excerpt.empty() ? "" : ": " + http_excerpt);
  }
  if (!failure_detail.empty()) return failure_detail;
  return handshake_completed ? "served the request" : "no answer";
}

std::string_view toString(MtlsExpectation expectation) {
  switch (expectation) {
    case MtlsExpectation::Optional:
      return "optional";
    case MtlsExpectation::Required:
      return "required";
    case MtlsExpectation::None:
      break;
  }
  return "none";
}

std::string_view toString(ProbeFailureKind failure) {
  switch (failure) {
    case ProbeFailureKind::Connect:
      return "connect_failed";
    case ProbeFailureKind::Handshake:
      return "handshake_failed";
    case ProbeFailureKind::Timeout:
      return "timeout";
    case ProbeFailureKind::None:
      break;
  }
  return "";
}

}  // namespace certvigil
