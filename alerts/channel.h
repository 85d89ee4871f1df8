// SPDX-License-Identifier: Apache-2.0
// alerts/channel.h: one notifier's delivery loop state. A Channel walks the outbox in event id
// order behind its own cursor: it drops events older than max_age (logged and counted), skips
// the ones its filters or its receiver do not want, hands the rest to its Notifier in batches,
// and moves the cursor past what was delivered or rejected. A Retry stops the walk until the
// backoff has passed; the cursor stays, so the same events (same ids) are tried again:
// at-least-once, in order, across restarts (the cursor is stored). Errors are logged once per
// change of state (failing, delivering again, a new rejection), never once per retry.
// It also writes the repeat events of its notifier, and for Alertmanager re-sends the whole
// alert state at a fixed cadence. Used by one thread (the dispatcher's).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "alerts/backoff.h"
#include "alerts/notifiers/notifier.h"
#include "storage/outbox_repository.h"

namespace certvigil::alerts {

using SteadyTime = std::chrono::steady_clock::time_point;

/// What happened to events, per notifier, since the daemon started (certvigil_notifications_total).
struct ChannelCounters {
  uint64_t delivered = 0;  ///< events the receiver accepted
  uint64_t retried = 0;    ///< events in attempts that will be retried
  uint64_t rejected = 0;   ///< events the receiver refused for good (4xx)
  uint64_t dropped = 0;    ///< events older than max_age, given up
  uint64_t filtered = 0;   ///< events the notifier's filters (or receiver kind) left out
};

/// The cadences a Channel runs on (DispatcherOptions; tests scale them down).
struct ChannelTiming {
  BackoffPolicy backoff;
  Millis repeat_check{60000};           ///< how often repeats are looked for
  Millis state_resend{60000};           ///< Alertmanager: how often the whole state is sent
  Seconds keep_resolved{Seconds(360)};  ///< Alertmanager: resolved alerts sent this long
  size_t max_events_per_run = 500;      ///< then yield to the other notifiers
};

class Channel {
 public:
  /// `random`: uniform in [0, 1), for backoff jitter.
  Channel(NotifierSettings settings, NotifierPtr notifier, ChannelTiming timing,
          std::function<double()> random);

  const std::string& name() const { return settings_.config.name; }
  const config::NotifierConfig& config() const { return settings_.config; }
  /// One round: repeats, state resend, then pending events (if the backoff allows).
  /// `wall_now` dates events and messages; `now` paces retries.
  Status runOnce(storage::Outbox& outbox, TimePoint wall_now, SteadyTime now);

  const ChannelCounters& counters() const { return counters_; }
  /// Counters carried over from the channel this one replaces at a reload.
  void carryOver(const ChannelCounters& counters) { counters_ = counters; }
  /// The id of the last event handled (0 before the first round).
  int64_t cursor() const { return cursor_.value_or(0); }
  /// The cursor once it has been read from the outbox; nullopt before.
  std::optional<int64_t> knownCursor() const { return cursor_; }
  /// When the next delivery attempt may happen (after a Retry).
  SteadyTime nextAttempt() const { return next_attempt_; }
  /// Whether the last attempt failed and is waiting to be retried.
  bool failing() const { return failing_; }
  int consecutiveFailures() const { return failures_; }

 private:
  Status enqueueRepeats(storage::Outbox& outbox, TimePoint wall_now, SteadyTime now);
  Status resendState(storage::Outbox& outbox, TimePoint wall_now, SteadyTime now);
  /// Delivers pending events; sets *retry when an attempt must be retried later.
  Status deliverPending(storage::Outbox& outbox, TimePoint wall_now, SteadyTime now);
  /// Handles events[i..] up to one batch; returns the index after what it handled.
  size_t handleFrom(const std::vector<AlertEvent>& events, size_t i, TimePoint wall_now,
                    SteadyTime now, bool& retry);
  bool expired(const AlertEvent& event, TimePoint wall_now) const;
  bool wanted(const AlertEvent& event) const;
  void onDelivered();
  void onRejected(const Delivery& delivery, const AlertEvent& first);
  void onRetry(const Delivery& delivery, SteadyTime now);
  void noteFailure(const std::string& what, const Delivery& delivery);

  NotifierSettings settings_;
  NotifierPtr notifier_;
  ChannelTiming timing_;
  std::function<double()> random_;
  EventFilter filter_;
  std::optional<int64_t> cursor_;
  ChannelCounters counters_;
  SteadyTime next_attempt_{};
  SteadyTime next_repeat_check_{};
  SteadyTime next_resend_{};
  int failures_ = 0;
  bool failing_ = false;
  std::string last_reject_;
  uint64_t dropped_this_run_ = 0;
};

}  // namespace certvigil::alerts
