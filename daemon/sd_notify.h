// SPDX-License-Identifier: Apache-2.0
// daemon/sd_notify.h: the systemd notification protocol (Type=notify). No-ops when not run by
// systemd (NOTIFY_SOCKET unset).
#pragma once

namespace certvigil::daemon {

void notifyReady();      ///< READY=1: config valid, database open, listener bound
void notifyReloading();  ///< RELOADING=1
void notifyStopping();   ///< STOPPING=1
void notifyWatchdog();   ///< WATCHDOG=1 (only when systemd asked for a watchdog)
/// STATUS=... shown by `systemctl status`.
void notifyStatus(const char* status);

}  // namespace certvigil::daemon
