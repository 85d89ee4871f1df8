// SPDX-License-Identifier: Apache-2.0
// fuzz/fuzz_server_answer.cpp: the server-answer classifier. The first byte is a TLS alert code
// (0xff: no alert); the rest is what the server sent after the handshake, read as the prober
// reads it (probers/tls_text.h: HTTP status and body excerpt, "does not speak TLS" detail),
// then judged as core/endpoint.h judges it (nginx's 400 page, an alert: refused or served).
#include <cstddef>
#include <cstdint>

#include "core/endpoint.h"
#include "fuzz/fuzz_input.h"
#include "probers/tls_text.h"

namespace probers = certvigil::probers;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view raw = certvigil::fuzz::asText(data, size);
  const unsigned char alert = certvigil::fuzz::takeSelector(raw);
  (void)probers::httpAnswerComplete(raw);
  (void)probers::looksLikeTlsRecord(raw.substr(0, 5));
  (void)probers::notTlsDetail(raw.substr(0, 16), "");
  const probers::HttpAnswer http = probers::parseHttpAnswer(raw);
  if (http.excerpt.size() > probers::kHttpExcerptMax) __builtin_trap();
  certvigil::ServerAnswer answer;
  answer.handshake_completed = (alert & 1) == 0;
  if (alert != 0xff) answer.alert = alert;
  answer.http_status = http.status;
  answer.http_excerpt = http.excerpt;
  if (answer.served() && answer.refused()) __builtin_trap();
  (void)answer.describe();
  return 0;
}
