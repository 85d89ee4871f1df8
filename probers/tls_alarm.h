// SPDX-License-Identifier: Apache-2.0
// probers/tls_alarm.h (internal to the TLS prober): a re-armable one-shot timer whose callback
// never runs after the alarm is destroyed. A probe's deadline and its post-handshake grace
// window are Alarms whose callbacks close or cancel the socket; the pending operation then
// completes with an error and the probe's coroutine decides what it meant.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <utility>

#include <asio/any_io_executor.hpp>
#include <asio/steady_timer.hpp>

namespace certvigil::probers {

using SteadyClock = std::chrono::steady_clock;

class Alarm {
 public:
  Alarm(const asio::any_io_executor& executor, std::function<void()> on_ring)
      : state_(std::make_shared<State>()), timer_(executor) {
    state_->on_ring = std::move(on_ring);
  }
  ~Alarm() { disarm(); }
  Alarm(const Alarm&) = delete;
  Alarm& operator=(const Alarm&) = delete;

  /// (Re)arms the alarm for `when`; a previous arming is forgotten.
  void ringAt(SteadyClock::time_point when) {
    const unsigned generation = ++state_->generation;
    timer_.expires_at(when);
    // The handler holds the state, not the Alarm: a wake-up already queued when the Alarm is
    // re-armed or destroyed finds a newer generation and does nothing.
    timer_.async_wait([state = state_, generation](const std::error_code& ec) {
      if (ec || generation != state->generation) return;
      state->rang = true;
      if (state->on_ring) state->on_ring();
    });
  }

  /// Forgets the arming: the callback will not run for it.
  void disarm() {
    ++state_->generation;
    timer_.cancel();
  }

  /// Whether the alarm has rung since it was made.
  bool rang() const { return state_->rang; }

 private:
  struct State {
    std::function<void()> on_ring;
    unsigned generation = 0;
    bool rang = false;
  };
  std::shared_ptr<State> state_;
  asio::steady_timer timer_;
};

}  // namespace certvigil::probers
