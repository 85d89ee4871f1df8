// SPDX-License-Identifier: Apache-2.0
#include "alerts/dispatcher.h"

#include <algorithm>
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

// The same notifier, reading the same secrets: its worker keeps running across a reload, so a
// SIGHUP neither aborts a delivery in flight nor resets its backoff. Where it was written in
// the file does not matter.
bool sameSettings(const NotifierSettings& a, const NotifierSettings& b) {
  config::NotifierConfig x = a.config, y = b.config;
  x.line = y.line = 0;
  return x == y && a.url == b.url && a.secret == b.secret;
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
    : context_{std::move(database), clock, options.poll, options.timing} {}

Dispatcher::~Dispatcher() { stop(); }

void Dispatcher::configure(const std::vector<config::NotifierConfig>& notifiers) {
  std::lock_guard lock(configure_mutex_);
  if (stopped_) return;
  if (!started_) {
    pending_config_ = notifiers;
    return;
  }
  apply(notifiers);
}

Status Dispatcher::start() {
  auto outbox = storage::Outbox::open(context_.database);
  if (!outbox) return outbox.error();
  {
    std::lock_guard outbox_lock(outbox_mutex_);
    outbox_ = std::move(*outbox);
  }
  std::lock_guard lock(configure_mutex_);
  started_ = true;
  if (pending_config_) apply(*pending_config_);
  pending_config_.reset();
  return Ok{};
}

void Dispatcher::stop() {
  std::lock_guard lock(configure_mutex_);
  stopped_ = true;
  std::vector<WorkerPtr> all;
  {
    std::lock_guard workers_lock(workers_mutex_);
    all.swap(workers_);
  }
  stopAll(all);
}

void Dispatcher::wake() {
  for (const WorkerPtr& worker : workers()) worker->wake();
}

std::vector<NotifierStats> Dispatcher::stats() const {
  std::vector<NotifierStats> out;
  for (const WorkerPtr& worker : workers()) out.push_back(worker->stats());
  std::lock_guard lock(outbox_mutex_);
  if (!outbox_) return out;
  for (NotifierStats& s : out) {
    if (!s.cursor) continue;
    if (auto pending = outbox_->pending(s.name, *s.cursor)) {
      s.pending = pending->count;
      s.oldest_pending = pending->oldest;
    }
  }
  return out;
}

std::vector<Dispatcher::WorkerPtr> Dispatcher::workers() const {
  std::lock_guard lock(workers_mutex_);
  return workers_;
}

void Dispatcher::apply(const std::vector<config::NotifierConfig>& notifiers) {
  std::vector<WorkerPtr> running = workers();
  std::vector<WorkerPtr> next;
  std::vector<NotifierSettings> to_start;
  for (const config::NotifierConfig& config : notifiers) {
    auto settings = loadNotifierSettings(config);
    if (!settings) {
      log::error("notifier " + config.name + " disabled: " + settings.error().describe());
      continue;
    }
    next.push_back(takeUnchanged(running, *settings));
    if (!next.back()) to_start.push_back(std::move(*settings));
  }
  // The replaced workers stop before their successors start: two workers on one notifier's
  // cursor would deliver its events twice.
  stopAll(running);
  auto settings = to_start.begin();
  for (WorkerPtr& worker : next) {
    if (worker) continue;
    const auto carried = carried_.find(settings->config.name);
    worker = std::make_shared<NotifierWorker>(
        std::move(*settings), context_,
        carried == carried_.end() ? ChannelCounters{} : carried->second);
    worker->start();
    ++settings;
  }
  {
    std::lock_guard lock(workers_mutex_);
    workers_ = next;
  }
  log::info("alerts: " + std::to_string(next.size()) + " notifiers active");
}

Dispatcher::WorkerPtr Dispatcher::takeUnchanged(std::vector<WorkerPtr>& running,
                                                const NotifierSettings& s) {
  const auto it = std::find_if(running.begin(), running.end(), [&s](const WorkerPtr& w) {
    return w && sameSettings(w->settings(), s);
  });
  if (it == running.end()) return nullptr;
  WorkerPtr kept = std::move(*it);
  running.erase(it);
  return kept;
}

// All at once, then join: each aborts its request in flight, so stopping takes about one
// libcurl progress tick, not one per notifier.
void Dispatcher::stopAll(std::vector<WorkerPtr>& workers) {
  for (const WorkerPtr& worker : workers) worker->requestStop();
  for (const WorkerPtr& worker : workers) {
    worker->join();
    carried_[worker->settings().config.name] = worker->stats().counters;
  }
  workers.clear();
}

}  // namespace certvigil::alerts
