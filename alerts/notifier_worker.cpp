// SPDX-License-Identifier: Apache-2.0
#include "alerts/notifier_worker.h"

#include <random>

#include "core/log.h"

namespace certvigil::alerts {
namespace {

std::function<double()> makeRandom() {
  auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
  return [engine] { return std::uniform_real_distribution<double>(0.0, 1.0)(*engine); };
}

}  // namespace

NotifierWorker::NotifierWorker(NotifierSettings settings, WorkerContext context,
                               ChannelCounters carried)
    : settings_(std::move(settings)), context_(std::move(context)) {
  auto notifier = makeNotifier(settings_, &stopping_, context_.timing.state_resend);
  channel_ =
      std::make_unique<Channel>(settings_, std::move(notifier), context_.timing, makeRandom());
  channel_->carryOver(carried);
  stats_.name = settings_.config.name;
  stats_.type = std::string(config::toString(settings_.config.type));
  stats_.counters = carried;
}

NotifierWorker::~NotifierWorker() {
  requestStop();
  join();
}

void NotifierWorker::start() {
  thread_ = std::thread([this] { run(); });
}

void NotifierWorker::requestStop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
}

void NotifierWorker::join() {
  if (thread_.joinable()) thread_.join();
}

void NotifierWorker::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wake_.notify_all();
}

NotifierStats NotifierWorker::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

void NotifierWorker::run() {
  while (!stopping_) {
    runRound();
    publishStats();
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, context_.poll, [this] { return stopping_ || woken_; });
    woken_ = false;
  }
}

// A database error (the write lock held past the busy timeout, a full disk) is retried next
// round; it is counted and shown (/healthz degraded), and logged once per change of state.
void NotifierWorker::runRound() {
  Status status = Ok{};
  if (!outbox_) {
    auto outbox = storage::Outbox::open(context_.database);
    if (outbox) outbox_ = std::move(*outbox);
    if (!outbox) status = outbox.error();
  }
  if (outbox_) {
    status = channel_->runOnce(*outbox_, context_.clock.now(), std::chrono::steady_clock::now());
  }
  const std::string& name = settings_.config.name;
  if (status) {
    if (!failing_.empty()) log::notice("notifier " + name + ": outbox works again");
    failing_.clear();
    return;
  }
  ++outbox_errors_;
  const std::string why = status.error().describe();
  if (failing_.empty()) log::warning("notifier " + name + ": " + why);
  failing_ = why;
}

void NotifierWorker::publishStats() {
  std::optional<storage::PendingEvents> pending;
  if (outbox_) {
    if (auto p = outbox_->pending(settings_.config.name, channel_->cursor())) pending = *p;
  }
  std::lock_guard lock(mutex_);
  stats_.counters = channel_->counters();
  if (pending) {
    stats_.pending = pending->count;
    stats_.oldest_pending = pending->oldest;
  }
  stats_.cursor = channel_->knownCursor();
  stats_.outbox_errors = outbox_errors_;
  stats_.failing = failing_;
}

}  // namespace certvigil::alerts
