// SPDX-License-Identifier: Apache-2.0
// alerts/notifier_worker.h: one notifier's delivery thread. Each notifier runs its Channel on a
// thread of its own with its own connection to the outbox, so a receiver that takes its whole
// timeout on every attempt (a tarpit) delays only its own events: the others go on delivering
// at their own pace. The worker's stop flag is also the cancel flag of its HTTP requests, so
// stopping it aborts a request in flight (within libcurl's progress tick, about a second).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "alerts/channel.h"
#include "core/time.h"

namespace certvigil::alerts {

/// One notifier's figures for /metrics.
struct NotifierStats {
  std::string name;
  std::string type;
  ChannelCounters counters;
  size_t pending = 0;                       ///< events it has yet to handle
  std::optional<TimePoint> oldest_pending;  ///< created_at of the oldest of them
  std::optional<int64_t> cursor;            ///< the last event it handled, once known
  uint64_t outbox_errors = 0;               ///< rounds whose outbox read or cursor write failed
  std::string failing;  ///< the last such failure while it lasts; empty once one works
};

/// Where a worker's outbox is and how it paces itself.
struct WorkerContext {
  std::filesystem::path database;  ///< the daemon's database, already migrated
  const Clock& clock;              ///< wall time: dates events and messages
  Millis poll{1000};               ///< how often the outbox is looked at without a wake()
  ChannelTiming timing;
};

class NotifierWorker {
 public:
  /// `carried`: the counters of the worker this one replaces (same notifier name).
  NotifierWorker(NotifierSettings settings, WorkerContext context, ChannelCounters carried);
  ~NotifierWorker();  ///< stops and joins the thread
  NotifierWorker(const NotifierWorker&) = delete;
  NotifierWorker& operator=(const NotifierWorker&) = delete;

  /// Starts the thread; it opens its outbox connection itself (and retries if that fails).
  void start();
  /// Asks the thread to stop and aborts its request in flight; does not wait.
  void requestStop();
  /// Waits for the thread to end (after requestStop()).
  void join();
  /// Looks at the outbox now rather than at the next poll (new events were written).
  void wake();

  /// The settings it was built with (compared at a reload: unchanged notifiers keep running).
  const NotifierSettings& settings() const { return settings_; }
  /// Figures as of its last round; thread-safe.
  NotifierStats stats() const;

 private:
  void run();
  void runRound();
  void publishStats();

  const NotifierSettings settings_;
  WorkerContext context_;
  std::atomic<bool> stopping_{false};        // also the HTTP cancel flag
  std::unique_ptr<Channel> channel_;         // thread only
  std::unique_ptr<storage::Outbox> outbox_;  // thread only: its own connection
  uint64_t outbox_errors_ = 0;               // thread only
  std::string failing_;                      // thread only
  std::thread thread_;

  mutable std::mutex mutex_;  // guards what follows
  std::condition_variable wake_;
  bool woken_ = false;
  NotifierStats stats_;
};

}  // namespace certvigil::alerts
