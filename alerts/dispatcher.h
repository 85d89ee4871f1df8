// SPDX-License-Identifier: Apache-2.0
// alerts/dispatcher.h: delivery beside the scheduler. Every notifier runs on its own thread with
// its own connection to the database (alerts/notifier_worker.h): scans never wait for a
// receiver, a receiver never waits for a scan longer than a SQLite write lock, and a slow or
// hung receiver delays no other notifier. configure() (at start and at every successful reload)
// reads the notifiers' secrets, keeps the workers whose settings are unchanged and replaces the
// others; counters carry over by notifier name.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "alerts/channel.h"
#include "alerts/notifier_worker.h"
#include "config/config.h"
#include "core/result.h"
#include "core/time.h"

namespace certvigil::alerts {

/// Intervals of the dispatcher; defaults are the product's. Tests shrink them with scaled() (the
/// system tests through a test build of the daemon, tests/system/time_scale_overrides.cpp).
struct DispatcherOptions {
  Millis poll{1000};  ///< how often each notifier looks at the outbox without a wake()
  ChannelTiming timing;

  /// Every interval multiplied by `factor` (at least 1 unit each); 0.01 turns the 5 min backoff
  /// cap into 3 s.
  DispatcherOptions scaled(double factor) const;
};

class Dispatcher {
 public:
  Dispatcher(std::filesystem::path database, const Clock& clock, DispatcherOptions options);
  ~Dispatcher();  ///< stops every worker
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  /// The notifiers to run from now on: applied at once once started (on the caller's thread,
  /// which reads the secrets and may wait about a second for a replaced worker to stop).
  void configure(const std::vector<config::NotifierConfig>& notifiers);
  /// Checks that the outbox opens (the database must be migrated already) and starts the
  /// configured notifiers.
  Status start();
  /// Stops every worker, aborting HTTP requests in flight. Idempotent.
  void stop();
  /// New events may be in the outbox: every notifier looks now. Thread-safe, cheap.
  void wake();
  /// Figures as of each notifier's last round, in configuration order, with what each has yet
  /// to deliver counted now (a notifier stuck in a slow attempt does not publish until it
  /// ends, and its backlog must not look smaller meanwhile); thread-safe.
  std::vector<NotifierStats> stats() const;

 private:
  using WorkerPtr = std::shared_ptr<NotifierWorker>;
  void apply(const std::vector<config::NotifierConfig>& notifiers);
  /// The running worker with exactly these settings, taken out of `running`; null if none.
  static WorkerPtr takeUnchanged(std::vector<WorkerPtr>& running, const NotifierSettings& s);
  void stopAll(std::vector<WorkerPtr>& workers);
  std::vector<WorkerPtr> workers() const;

  WorkerContext context_;

  std::mutex configure_mutex_;  // serialises configure(), start() and stop(); guards what follows
  bool started_ = false;
  bool stopped_ = false;
  std::optional<std::vector<config::NotifierConfig>> pending_config_;
  std::map<std::string, ChannelCounters> carried_;  // counters of stopped workers, by name

  mutable std::mutex outbox_mutex_;  // guards outbox_: counts pending events for stats()
  std::unique_ptr<storage::Outbox> outbox_;

  mutable std::mutex workers_mutex_;  // guards workers_ (held only to copy or swap it)
  std::vector<WorkerPtr> workers_;
};

}  // namespace certvigil::alerts
