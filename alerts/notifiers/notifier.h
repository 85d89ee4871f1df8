// SPDX-License-Identifier: Apache-2.0
// alerts/notifiers/notifier.h: how an event leaves certvigil. A Notifier tries once and says
// what happened; the outbox and the Channel own retries, backoff, age limits and logging
// (docs/ALERTS.md). deliver() takes a batch because some receivers are better served with several
// events per message (one Slack message for a scan's worth of findings instead of a flood;
// one Alertmanager POST); the webhook notifier takes one event per message, since its id and
// signature are per event.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "alerts/event.h"
#include "config/config.h"
#include "core/result.h"

namespace certvigil::alerts {

/// The outcome of one attempt.
enum class Outcome {
  Delivered,  ///< the receiver has it
  Retry,      ///< network error, timeout, 5xx, 429: try again later
  Reject,     ///< any other answer (4xx): final, trying again would not help
};

struct Delivery {
  Outcome outcome = Outcome::Delivered;
  std::string detail;  ///< "HTTP 503", "Couldn't connect to server"; never a URL or secret
  std::optional<std::chrono::seconds> retry_after;  ///< the receiver's wish, for Retry
};

/// A notifier's settings with its secrets read from their files. Never logged.
struct NotifierSettings {
  config::NotifierConfig config;
  std::string url;     ///< from url or url_file
  std::string secret;  ///< webhook signing key (raw bytes), from secret_file
};

class Notifier {
 public:
  virtual ~Notifier() = default;
  /// The most events one deliver() call takes.
  virtual size_t maxBatch() const = 0;
  /// Whether this kind of receiver wants an event at all (Alertmanager ignores
  /// certificate_changed, which is not an alert state). Unwanted events count as filtered.
  virtual bool wants(const AlertEvent& event) const {
    (void)event;
    return true;
  }
  /// Tries once to deliver every event of the batch (all or nothing). `now` stamps the
  /// message (webhook-timestamp, Alertmanager endsAt).
  virtual Delivery deliver(std::span<const AlertEvent> events, TimePoint now) = 0;
  /// Receivers that want the whole alert state again and again (Alertmanager) return the
  /// interval; the Channel then calls resend() with every active and recently resolved alert.
  virtual std::optional<std::chrono::milliseconds> resendInterval() const { return std::nullopt; }
  virtual Delivery resend(std::span<const AlertEvent> state, TimePoint now) {
    (void)state;
    (void)now;
    return {};
  }
};
using NotifierPtr = std::unique_ptr<Notifier>;

/// What every HTTP notifier shares: where, how long, and the shutdown flag.
struct HttpTarget {
  std::string url;
  std::chrono::milliseconds timeout{10000};
  const std::atomic<bool>* cancel = nullptr;
};

/// Reads url_file and secret_file of `config` ("whsec_" secrets are base64-decoded, as the
/// Standard Webhooks spec says; a trailing newline is dropped). The error names the notifier
/// and the file, never the content.
Result<NotifierSettings> loadNotifierSettings(const config::NotifierConfig& config);

/// The notifier for `settings.config.type`. `resend_interval`: how often Alertmanager gets the
/// whole state (1 min; scaled down only by tests).
NotifierPtr makeNotifier(const NotifierSettings& settings, const std::atomic<bool>* cancel,
                         std::chrono::milliseconds resend_interval);

NotifierPtr makeWebhookNotifier(HttpTarget target, std::string secret);
NotifierPtr makeSlackNotifier(HttpTarget target);
NotifierPtr makeAlertmanagerNotifier(HttpTarget target, std::chrono::milliseconds resend_interval);

/// The outcome of an HTTP answer: 2xx Delivered; no answer, 408, 429 and 5xx Retry; else Reject.
Delivery classifyHttp(long status, const std::string& error,
                      std::optional<std::chrono::seconds> retry_after);

}  // namespace certvigil::alerts
