// SPDX-License-Identifier: Apache-2.0
// alerts/notifiers/webhook.cpp: the generic webhook. One event per POST, so that webhook-id is
// the event's stable id (receivers deduplicate on it) and the signature covers one event.
#include "alerts/http_client.h"
#include "alerts/notifiers/notifier.h"
#include "alerts/notifiers/payloads.h"
#include "alerts/notifiers/signing.h"

namespace certvigil::alerts {
namespace {

class WebhookNotifier final : public Notifier {
 public:
  WebhookNotifier(HttpTarget target, std::string secret)
      : target_(std::move(target)), secret_(std::move(secret)) {}

  size_t maxBatch() const override { return 1; }

  Delivery deliver(std::span<const AlertEvent> events, TimePoint now) override {
    const AlertEvent& event = events.front();
    HttpRequest request{
        target_.url, {"Content-Type: application/json"}, webhookBody(event), target_.timeout};
    const long timestamp = static_cast<long>(toUnix(now));
    request.headers.push_back("webhook-id: " + event.uid);
    request.headers.push_back("webhook-timestamp: " + std::to_string(timestamp));
    if (!secret_.empty()) {
      request.headers.push_back("webhook-signature: " +
                                signWebhook(secret_, event.uid, timestamp, request.body));
    }
    const HttpResponse response = httpPost(request, target_.cancel);
    return classifyHttp(response.status, response.error, response.retry_after);
  }

 private:
  HttpTarget target_;
  std::string secret_;
};

}  // namespace

NotifierPtr makeWebhookNotifier(HttpTarget target, std::string secret) {
  return std::make_unique<WebhookNotifier>(std::move(target), std::move(secret));
}

}  // namespace certvigil::alerts
