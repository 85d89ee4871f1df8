// SPDX-License-Identifier: Apache-2.0
// alerts/notifiers/slack.cpp: Slack incoming webhooks. Up to 20 events per message (a header
// section plus one section each stays well under Slack's 50 blocks), so a scan that finds many
// problems posts a few messages, not one per finding. The URL holds a token: it lives in
// url_file and nothing here ever prints it.
#include "alerts/http_client.h"
#include "alerts/notifiers/notifier.h"
#include "alerts/notifiers/payloads.h"

namespace certvigil::alerts {
namespace {

class SlackNotifier final : public Notifier {
 public:
  explicit SlackNotifier(HttpTarget target) : target_(std::move(target)) {}

  size_t maxBatch() const override { return 20; }

  Delivery deliver(std::span<const AlertEvent> events, TimePoint /*now*/) override {
    const HttpRequest request{
        target_.url, {"Content-Type: application/json"}, slackMessage(events), target_.timeout};
    const HttpResponse response = httpPost(request, target_.cancel);
    return classifyHttp(response.status, response.error, response.retry_after);
  }

 private:
  HttpTarget target_;
};

}  // namespace

NotifierPtr makeSlackNotifier(HttpTarget target) {
  return std::make_unique<SlackNotifier>(std::move(target));
}

}  // namespace certvigil::alerts
