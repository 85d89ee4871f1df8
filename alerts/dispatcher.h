// SPDX-License-Identifier: Apache-2.0
// alerts/dispatcher.h: delivery beside the scheduler. One thread with its own connection to the
// database (storage::Outbox) runs every notifier's Channel in turn, then sleeps for the poll
// interval: scans never wait for a receiver, and a receiver never waits for a scan longer than
// a SQLite write lock. configure() (at start and at every successful reload) swaps the
// notifiers; secrets are read from their files then, on the dispatcher thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "alerts/channel.h"
#include "config/config.h"
#include "core/result.h"
#include "core/time.h"

namespace certvigil::alerts {

/// Intervals of the dispatcher; defaults are the product's. Tests shrink them with scaled() (the
/// system tests through a test build of the daemon, tests/system/time_scale_overrides.cpp).
struct DispatcherOptions {
  Millis poll{1000};  ///< how often the outbox is looked at for new events
  ChannelTiming timing;

  /// Every interval multiplied by `factor` (at least 1 unit each); 0.01 turns the 5 min backoff
  /// cap into 3 s.
  DispatcherOptions scaled(double factor) const;
};

/// One notifier's figures for /metrics.
struct NotifierStats {
  std::string name;
  std::string type;
  ChannelCounters counters;
  size_t pending = 0;                       ///< events it has yet to handle
  std::optional<TimePoint> oldest_pending;  ///< created_at of the oldest of them
  uint64_t outbox_errors = 0;               ///< rounds whose outbox read or cursor write failed
  std::string failing;  ///< the last such failure while it lasts; empty once one works
};

class Dispatcher {
 public:
  Dispatcher(std::filesystem::path database, const Clock& clock, DispatcherOptions options);
  ~Dispatcher();  ///< stops the thread
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  /// The notifiers to run from now on (applied by the thread at its next round).
  void configure(const std::vector<config::NotifierConfig>& notifiers);
  /// Opens the outbox connection (the database must be migrated already) and starts the thread.
  Status start();
  /// Stops the thread, aborting an HTTP request in flight. Idempotent.
  void stop();
  /// Figures as of the last round; thread-safe.
  std::vector<NotifierStats> stats() const;

 private:
  void run();
  void applyConfiguration();
  void runRound();
  void publishStats();

  std::filesystem::path database_;
  const Clock& clock_;
  DispatcherOptions options_;
  std::unique_ptr<storage::Outbox> outbox_;         // the thread's own connection
  std::vector<std::unique_ptr<Channel>> channels_;  // thread only
  /// Per notifier name: outbox failures so far and the current one (thread only).
  std::map<std::string, std::pair<uint64_t, std::string>> outbox_health_;
  std::map<std::string, ChannelCounters> carried_;  // thread only: counters across reloads
  std::atomic<bool> stopping_{false};
  std::thread thread_;

  mutable std::mutex mutex_;  // guards what follows
  std::condition_variable wake_;
  std::optional<std::vector<config::NotifierConfig>> pending_config_;
  std::vector<NotifierStats> stats_;
};

}  // namespace certvigil::alerts
