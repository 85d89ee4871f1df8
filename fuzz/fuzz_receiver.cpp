// SPDX-License-Identifier: Apache-2.0
// fuzz/fuzz_receiver.cpp: what the notifiers make of a receiver's answer. The first line is
// the HTTP status (0: no answer), every further line a response header as libcurl hands it
// over; Retry-After is read (alerts/http_client.h), the answer classified (notifier.h), and the
// next attempt scheduled exactly as alerts::Channel::onRetry does it.
#include <charconv>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "alerts/backoff.h"
#include "alerts/http_client.h"
#include "alerts/notifiers/notifier.h"
#include "fuzz/fuzz_input.h"

namespace alerts = certvigil::alerts;

namespace {

std::string_view takeLine(std::string_view& input) {
  const size_t end = input.find('\n');
  const std::string_view line = input.substr(0, end == input.npos ? input.size() : end + 1);
  input.remove_prefix(line.size());
  return line;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input = certvigil::fuzz::asText(data, size);
  const std::string_view status_line = takeLine(input);
  long status = 0;
  (void)std::from_chars(status_line.data(), status_line.data() + status_line.size(), status);
  std::optional<std::chrono::seconds> retry_after;
  while (!input.empty()) {
    if (auto seconds = alerts::parseRetryAfter(takeLine(input))) retry_after = seconds;
  }
  const alerts::Delivery delivery = alerts::classifyHttp(status, "", retry_after);
  if (delivery.outcome != alerts::Outcome::Retry) return 0;
  const alerts::BackoffPolicy backoff;
  const std::optional<alerts::Millis> wish =
      delivery.retry_after ? std::optional<alerts::Millis>(
                                 std::chrono::duration_cast<alerts::Millis>(*delivery.retry_after))
                           : std::nullopt;
  const alerts::Millis wait = backoff.delay(static_cast<int>(size % 40) + 1, 0.5, wish);
  if (wait < alerts::Millis(1) || wait > backoff.cap) __builtin_trap();
  return 0;
}
