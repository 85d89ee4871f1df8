// SPDX-License-Identifier: Apache-2.0
#include "alerts/dispatcher.h"

#include <cstdlib>
#include <random>
#include <string>

#include "alerts/http_client.h"
#include "core/log.h"

namespace certvigil::alerts {
namespace {

template <typename D>
D scale(D value, double factor) {
  const auto scaled = static_cast<typename D::rep>(static_cast<double>(value.count()) * factor);
  return D(std::max<typename D::rep>(scaled, 1));
}

std::function<double()> makeRandom() {
  auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
  return [engine] { return std::uniform_real_distribution<double>(0.0, 1.0)(*engine); };
}

}  // namespace

DispatcherOptions DispatcherOptions::scaled(double factor) const {
  DispatcherOptions out = *this;
  out.poll = scale(poll, factor);
  out.timing.backoff.first = scale(timing.backoff.first, factor);
  out.timing.backoff.cap = scale(timing.backoff.cap, factor);
  out.timing.repeat_check = scale(timing.repeat_check, factor);
  out.timing.state_resend = scale(timing.state_resend, factor);
  out.timing.keep_resolved = scale(timing.keep_resolved, factor);
  return out;
}

Dispatcher::Dispatcher(std::filesystem::path database, const Clock& clock,
                       DispatcherOptions options)
    : database_(std::move(database)), clock_(clock), options_(options) {
  initHttpClient();  // before any thread: curl_global_init is not thread-safe everywhere
}

Dispatcher::~Dispatcher() { stop(); }

void Dispatcher::configure(const std::vector<config::NotifierConfig>& notifiers) {
  {
    std::lock_guard lock(mutex_);
    pending_config_ = notifiers;
  }
  wake_.notify_all();
}

Status Dispatcher::start() {
  auto outbox = storage::Outbox::open(database_);
  if (!outbox) return outbox.error();
  outbox_ = std::move(*outbox);
  thread_ = std::thread([this] { run(); });
  return Ok{};
}

void Dispatcher::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::vector<NotifierStats> Dispatcher::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

void Dispatcher::run() {
  while (!stopping_) {
    applyConfiguration();
    runRound();
    publishStats();
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, options_.poll,
                   [this] { return stopping_ || pending_config_.has_value(); });
  }
}

void Dispatcher::applyConfiguration() {
  std::optional<std::vector<config::NotifierConfig>> notifiers;
  {
    std::lock_guard lock(mutex_);
    notifiers.swap(pending_config_);
  }
  if (!notifiers) return;
  for (const auto& channel : channels_) carried_[channel->name()] = channel->counters();
  channels_.clear();
  for (const config::NotifierConfig& config : *notifiers) {
    auto settings = loadNotifierSettings(config);
    if (!settings) {
      log::error("notifier " + config.name + " disabled: " + settings.error().describe());
      continue;
    }
    auto notifier = makeNotifier(*settings, &stopping_, options_.timing.state_resend);
    auto channel = std::make_unique<Channel>(std::move(*settings), std::move(notifier),
                                             options_.timing, makeRandom());
    if (auto it = carried_.find(config.name); it != carried_.end()) {
      channel->carryOver(it->second);
    }
    channels_.push_back(std::move(channel));
  }
  log::info("alerts: " + std::to_string(channels_.size()) + " notifiers active");
}

void Dispatcher::runRound() {
  for (const auto& channel : channels_) {
    if (stopping_) return;
    const Status status =
        channel->runOnce(*outbox_, clock_.now(), std::chrono::steady_clock::now());
    // A database error (say, the write lock held past the busy timeout, a full disk) is retried
    // next round; it is counted and shown (/healthz degraded), and logged once per change.
    auto& [errors, failing] = outbox_health_[channel->name()];
    if (status) {
      if (!failing.empty()) log::notice("notifier " + channel->name() + ": outbox works again");
      failing.clear();
      continue;
    }
    ++errors;
    const std::string why = status.error().describe();
    if (failing.empty()) log::warning("notifier " + channel->name() + ": " + why);
    failing = why;
  }
}

void Dispatcher::publishStats() {
  std::vector<NotifierStats> stats;
  for (const auto& channel : channels_) {
    NotifierStats s{channel->name(),
                    std::string(config::toString(channel->config().type)),
                    channel->counters(),
                    0,
                    std::nullopt,
                    0,
                    {}};
    if (auto pending = outbox_->pending(channel->name(), channel->cursor())) {
      s.pending = pending->count;
      s.oldest_pending = pending->oldest;
    }
    if (auto it = outbox_health_.find(channel->name()); it != outbox_health_.end()) {
      s.outbox_errors = it->second.first;
      s.failing = it->second.second;
    }
    stats.push_back(std::move(s));
  }
  std::lock_guard lock(mutex_);
  stats_ = std::move(stats);
}

}  // namespace certvigil::alerts
