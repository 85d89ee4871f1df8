// SPDX-License-Identifier: Apache-2.0
// daemon/signals.h: SIGHUP reloads (as often as it comes), SIGTERM and SIGINT terminate once,
// and the watcher stops cleanly when it goes away without a signal. The signals are sent to this
// process with kill() after blockSignals(), as systemd sends them; doctest runs no other thread,
// so the watcher's sigwait() is the only taker. A handler is installed too, so that a signal
// that reached a thread with them unblocked would be counted as missed, not end the run.
#include "daemon/signals.h"

#include <doctest/doctest.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

namespace certvigil::daemon {
namespace {

std::atomic<int> stray_signals{0};

void strayHandler(int /*sig*/) { stray_signals.fetch_add(1); }

/// Blocks the signals in this (the only) thread, with a counting handler as a safety net.
void prepare() {
  struct sigaction action {};
  action.sa_handler = strayHandler;
  sigemptyset(&action.sa_mask);
  for (int sig : {SIGHUP, SIGTERM, SIGINT, SIGUSR2}) sigaction(sig, &action, nullptr);
  blockSignals();
}

/// Counts callbacks and lets the test wait for them (the watcher runs on its own thread).
class Calls {
 public:
  void reload() { bump(reloads_); }
  void terminate() { bump(terminations_); }
  /// Waits up to 2 s for the counters to reach at least the given values.
  bool waitFor(int reloads, int terminations) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(2),
                             [&] { return reloads_ >= reloads && terminations_ >= terminations; });
  }
  int reloads() {
    std::lock_guard lock(mutex_);
    return reloads_;
  }
  int terminations() {
    std::lock_guard lock(mutex_);
    return terminations_;
  }

 private:
  void bump(int& counter) {
    {
      std::lock_guard lock(mutex_);
      ++counter;
    }
    changed_.notify_all();
  }
  std::mutex mutex_;
  std::condition_variable changed_;
  int reloads_ = 0;
  int terminations_ = 0;
};

TEST_CASE("blockSignals blocks SIGTERM, SIGINT and SIGHUP in the calling thread") {
  prepare();
  sigset_t current;
  sigemptyset(&current);
  REQUIRE(pthread_sigmask(SIG_BLOCK, nullptr, &current) == 0);
  CHECK(sigismember(&current, SIGTERM) == 1);
  CHECK(sigismember(&current, SIGINT) == 1);
  CHECK(sigismember(&current, SIGHUP) == 1);
}

TEST_CASE("SIGHUP reloads each time; SIGTERM terminates once") {
  prepare();
  Calls calls;
  {
    SignalWatcher watcher([&] { calls.reload(); }, [&] { calls.terminate(); });
    REQUIRE(kill(getpid(), SIGHUP) == 0);
    REQUIRE(calls.waitFor(1, 0));
    REQUIRE(kill(getpid(), SIGHUP) == 0);  // after the first was taken: not merged with it
    REQUIRE(calls.waitFor(2, 0));
    CHECK(calls.terminations() == 0);
    REQUIRE(kill(getpid(), SIGTERM) == 0);
    REQUIRE(calls.waitFor(2, 1));
  }  // the destructor joins a watcher that has already returned
  CHECK(calls.reloads() == 2);
  CHECK(calls.terminations() == 1);
  CHECK(stray_signals.load() == 0);
}

TEST_CASE("SIGINT terminates like SIGTERM") {
  prepare();
  Calls calls;
  {
    SignalWatcher watcher([&] { calls.reload(); }, [&] { calls.terminate(); });
    REQUIRE(kill(getpid(), SIGINT) == 0);
    REQUIRE(calls.waitFor(0, 1));
  }
  CHECK(calls.reloads() == 0);
  CHECK(calls.terminations() == 1);
  CHECK(stray_signals.load() == 0);
}

TEST_CASE("a watcher that saw no signal stops when it goes away, calling nothing") {
  prepare();
  Calls calls;
  {
    SignalWatcher watcher([&] { calls.reload(); }, [&] { calls.terminate(); });
  }
  CHECK(calls.reloads() == 0);
  CHECK(calls.terminations() == 0);
  CHECK(stray_signals.load() == 0);
}

}  // namespace
}  // namespace certvigil::daemon
