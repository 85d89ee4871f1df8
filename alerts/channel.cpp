// SPDX-License-Identifier: Apache-2.0
#include "alerts/channel.h"

#include <map>
#include <tuple>

#include "alerts/repeats.h"
#include "core/log.h"

namespace certvigil::alerts {
namespace {

constexpr size_t kReadAhead = 200;  // events read from the outbox at a time

using LabelKey = std::tuple<std::string, std::string, std::string, std::string>;

LabelKey labelKey(const AlertEvent& e) { return {e.code, e.target, e.fingerprint, e.severity}; }

}  // namespace

Channel::Channel(NotifierSettings settings, NotifierPtr notifier, ChannelTiming timing,
                 std::function<double()> random)
    : settings_(std::move(settings)),
      notifier_(std::move(notifier)),
      timing_(timing),
      random_(std::move(random)),
      filter_{settings_.config.severities, settings_.config.codes} {}

Status Channel::runOnce(storage::Outbox& outbox, TimePoint wall_now, SteadyTime now) {
  if (!cursor_) {
    auto cursor = outbox.cursor(name(), wall_now - settings_.config.max_age, wall_now);
    if (!cursor) return cursor.error();
    cursor_ = *cursor;
  }
  if (auto status = enqueueRepeats(outbox, wall_now, now); !status) return status;
  if (auto status = resendState(outbox, wall_now, now); !status) return status;
  if (now < next_attempt_) return Ok{};
  return deliverPending(outbox, wall_now, now);
}

// Alertmanager repeats on its own (repeat_interval in its route), from the state it is re-sent.
Status Channel::enqueueRepeats(storage::Outbox& outbox, TimePoint wall_now, SteadyTime now) {
  if (notifier_->resendInterval() || now < next_repeat_check_) return Ok{};
  next_repeat_check_ = now + timing_.repeat_check;
  auto added =
      alerts::enqueueRepeats(outbox, name(), filter_, settings_.config.repeat_interval, wall_now);
  if (!added) return added.error();
  if (*added > 0) {
    log::debug("notifier " + name() + ": " + std::to_string(*added) +
               " still-active findings to notify again");
  }
  return Ok{};
}

Status Channel::resendState(storage::Outbox& outbox, TimePoint wall_now, SteadyTime now) {
  const auto interval = notifier_->resendInterval();
  if (!interval || now < next_resend_) return Ok{};
  next_resend_ = now + *interval;
  auto state = outbox.alertState(wall_now - timing_.keep_resolved);
  if (!state) return state.error();
  // One alert per label set: an active one wins over a resolved one (it fired again), the
  // latest resolution over older ones.
  std::map<LabelKey, AlertEvent> alerts;
  for (AlertEvent& e : *state) {
    if (!wanted(e)) continue;
    auto [it, inserted] = alerts.try_emplace(labelKey(e), e);
    if (inserted || !it->second.firing()) continue;
    if (e.firing() || (it->second.resolved_at < e.resolved_at)) it->second = std::move(e);
  }
  if (alerts.empty()) return Ok{};
  std::vector<AlertEvent> all;
  all.reserve(alerts.size());
  for (auto& [key, e] : alerts) all.push_back(std::move(e));
  const Delivery delivery = notifier_->resend(all, wall_now);
  if (delivery.outcome == Outcome::Delivered) {
    if (failing_) next_attempt_ = now;  // the receiver is back: pending events need not wait
    onDelivered();
  } else {
    noteFailure("re-sending the alert state failed", delivery);
  }
  return Ok{};
}

Status Channel::deliverPending(storage::Outbox& outbox, TimePoint wall_now, SteadyTime now) {
  const int64_t start = *cursor_;
  dropped_this_run_ = 0;
  bool retry = false;
  for (size_t handled = 0; !retry && handled < timing_.max_events_per_run;) {
    auto events = outbox.eventsAfter(name(), *cursor_, kReadAhead);
    if (!events) return events.error();
    if (events->empty()) break;
    for (size_t i = 0; i < events->size() && !retry;) {
      i = handleFrom(*events, i, wall_now, now, retry);
    }
    handled += events->size();
  }
  if (dropped_this_run_ > 0) {
    log::warning("notifier " + name() + ": dropped " + std::to_string(dropped_this_run_) +
                 " undelivered events older than max_age");
  }
  // One write per round, not per event: a crash in between re-sends at most this round's
  // events, with the same ids.
  if (*cursor_ != start) return outbox.advance(name(), *cursor_, wall_now);
  return Ok{};
}

size_t Channel::handleFrom(const std::vector<AlertEvent>& events, size_t i, TimePoint wall_now,
                           SteadyTime now, bool& retry) {
  const AlertEvent& head = events[i];
  if (expired(head, wall_now)) {
    ++counters_.dropped;
    ++dropped_this_run_;
    cursor_ = head.id;
    return i + 1;
  }
  if (!wanted(head)) {
    ++counters_.filtered;
    cursor_ = head.id;
    return i + 1;
  }
  // A batch: consecutive wanted, unexpired events.
  size_t end = i + 1;
  while (end < events.size() && end - i < notifier_->maxBatch() && wanted(events[end]) &&
         !expired(events[end], wall_now)) {
    ++end;
  }
  const std::span<const AlertEvent> batch(events.data() + i, end - i);
  const Delivery delivery = notifier_->deliver(batch, wall_now);
  switch (delivery.outcome) {
    case Outcome::Delivered:
      counters_.delivered += batch.size();
      onDelivered();
      break;
    case Outcome::Reject:
      counters_.rejected += batch.size();
      onRejected(delivery, head);
      break;
    case Outcome::Retry:
      counters_.retried += batch.size();
      onRetry(delivery, now);
      retry = true;
      return i;
  }
  cursor_ = batch.back().id;
  return end;
}

bool Channel::expired(const AlertEvent& event, TimePoint wall_now) const {
  return event.created_at + settings_.config.max_age < wall_now;
}

bool Channel::wanted(const AlertEvent& event) const {
  return filter_.matches(event) && notifier_->wants(event);
}

void Channel::onDelivered() {
  if (failing_) {
    log::notice("notifier " + name() + ": delivering again after " + std::to_string(failures_) +
                " failed attempts");
  }
  failing_ = false;
  failures_ = 0;
  last_reject_.clear();
}

void Channel::onRejected(const Delivery& delivery, const AlertEvent& first) {
  // The receiver answered: whatever was failing before is over.
  failing_ = false;
  failures_ = 0;
  if (delivery.detail == last_reject_) return;
  last_reject_ = delivery.detail;
  log::warning("notifier " + name() + ": the receiver rejected event " + first.uid + " (" +
               delivery.detail + "); not retried, as with every rejection until one succeeds");
}

void Channel::onRetry(const Delivery& delivery, SteadyTime now) {
  ++failures_;
  noteFailure("delivery failed", delivery);
  next_attempt_ =
      now +
      timing_.backoff.delay(
          failures_, random_(),
          delivery.retry_after
              ? std::optional<Millis>(std::chrono::duration_cast<Millis>(*delivery.retry_after))
              : std::nullopt);
}

void Channel::noteFailure(const std::string& what, const Delivery& delivery) {
  if (failing_) return;
  failing_ = true;
  log::warning("notifier " + name() + ": " + what + " (" + delivery.detail +
               "); retrying with backoff, logged again when it recovers");
}

}  // namespace certvigil::alerts
