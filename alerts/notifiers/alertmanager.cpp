// SPDX-License-Identifier: Apache-2.0
// alerts/notifiers/alertmanager.cpp: Alertmanager API v2 (POST <url>/api/v2/alerts). Like
// Prometheus, certvigil re-sends every active alert about once a minute with endsAt four
// intervals ahead, so Alertmanager resolves them by itself if certvigil disappears; a resolved
// alert is sent with its endsAt for a while longer (the Channel keeps it in the state for
// kResolvedResendFor), so an Alertmanager that missed the first one still learns it.
#include <string_view>

#include "alerts/http_client.h"
#include "alerts/notifiers/notifier.h"
#include "alerts/notifiers/payloads.h"

namespace certvigil::alerts {
namespace {

constexpr int kEndsInIntervals = 4;
constexpr size_t kMaxAlertsPerPost = 500;

class AlertmanagerNotifier final : public Notifier {
 public:
  AlertmanagerNotifier(HttpTarget target, std::chrono::milliseconds resend_interval)
      : target_(std::move(target)), resend_interval_(resend_interval) {
    while (!target_.url.empty() && target_.url.back() == '/') target_.url.pop_back();
    target_.url += "/api/v2/alerts";
  }

  size_t maxBatch() const override { return 100; }

  bool wants(const AlertEvent& event) const override {
    return event.kind != EventKind::CertificateChanged;
  }

  Delivery deliver(std::span<const AlertEvent> events, TimePoint now) override {
    return post(events, now);
  }

  std::optional<std::chrono::milliseconds> resendInterval() const override {
    return resend_interval_;
  }

  Delivery resend(std::span<const AlertEvent> state, TimePoint now) override {
    for (size_t at = 0; at < state.size(); at += kMaxAlertsPerPost) {
      const size_t n = std::min(kMaxAlertsPerPost, state.size() - at);
      Delivery delivery = post(state.subspan(at, n), now);
      if (delivery.outcome != Outcome::Delivered) return delivery;
    }
    return {};
  }

 private:
  Delivery post(std::span<const AlertEvent> events, TimePoint now) {
    const HttpRequest request{target_.url,
                              {"Content-Type: application/json"},
                              alertmanagerAlerts(events, now, resend_interval_ * kEndsInIntervals),
                              target_.timeout};
    const HttpResponse response = httpPost(request, target_.cancel);
    return classifyHttp(response.status, response.error, response.retry_after);
  }

  HttpTarget target_;
  std::chrono::milliseconds resend_interval_;
};

}  // namespace

NotifierPtr makeAlertmanagerNotifier(HttpTarget target, std::chrono::milliseconds resend_interval) {
  return std::make_unique<AlertmanagerNotifier>(std::move(target), resend_interval);
}

}  // namespace certvigil::alerts
