// SPDX-License-Identifier: Apache-2.0
#include "daemon/sd_notify.h"

#include <systemd/sd-daemon.h>
#include <string>

namespace certvigil::daemon {

void notifyReady() { sd_notify(0, "READY=1"); }
void notifyReloading() { sd_notify(0, "RELOADING=1"); }
void notifyStopping() { sd_notify(0, "STOPPING=1"); }

void notifyWatchdog() {
  static const bool enabled = sd_watchdog_enabled(0, nullptr) > 0;
  if (enabled) sd_notify(0, "WATCHDOG=1");
}

void notifyStatus(const char* status) {
  const std::string line = std::string("STATUS=") + status;
  sd_notify(0, line.c_str());
}

}  // namespace certvigil::daemon
