// SPDX-License-Identifier: Apache-2.0
#include "daemon/signals.h"

#include <pthread.h>
#include <csignal>

namespace certvigil::daemon {
namespace {

sigset_t watchedSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  sigaddset(&set, SIGUSR2);  // internal: wakes the watcher when the daemon stops on its own
  return set;
}

}  // namespace

void blockSignals() {
  const sigset_t set = watchedSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

SignalWatcher::SignalWatcher(std::function<void()> on_reload, std::function<void()> on_terminate)
    : on_reload_(std::move(on_reload)),
      on_terminate_(std::move(on_terminate)),
      thread_([this] { loop(); }) {}

SignalWatcher::~SignalWatcher() {
  pthread_kill(thread_.native_handle(), SIGUSR2);
  thread_.join();
}

void SignalWatcher::loop() {
  const sigset_t set = watchedSignals();
  while (true) {
    int sig = 0;
    if (sigwait(&set, &sig) != 0) continue;
    if (sig == SIGHUP) {
      on_reload_();
    } else if (sig == SIGUSR2) {
      return;
    } else {
      on_terminate_();
      return;
    }
  }
}

}  // namespace certvigil::daemon
