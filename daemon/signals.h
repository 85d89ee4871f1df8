// SPDX-License-Identifier: Apache-2.0
// daemon/signals.h: SIGTERM, SIGINT and SIGHUP are blocked in every thread and received by one
// thread with sigwait(), so no work ever runs in a signal handler.
#pragma once

#include <functional>
#include <thread>

namespace certvigil::daemon {

/// Blocks SIGTERM/SIGINT/SIGHUP in the calling thread; call before starting other threads so
/// they inherit the mask.
void blockSignals();

/// Runs on its own thread until a termination signal arrives (or stop() is called).
class SignalWatcher {
 public:
  /// `on_reload` runs for each SIGHUP; `on_terminate` once for SIGTERM or SIGINT.
  SignalWatcher(std::function<void()> on_reload, std::function<void()> on_terminate);
  ~SignalWatcher();
  SignalWatcher(const SignalWatcher&) = delete;
  SignalWatcher& operator=(const SignalWatcher&) = delete;

 private:
  void loop();
  std::function<void()> on_reload_;
  std::function<void()> on_terminate_;
  std::thread thread_;
};

}  // namespace certvigil::daemon
