// SPDX-License-Identifier: Apache-2.0
// The notification protocol spoken directly (one datagram to $NOTIFY_SOCKET, as sd_notify(3)
// describes it; systemd documents it as a stable interface to reimplement) instead of through
// libsystemd: linking libsystemd mapped it and its own dependencies (libgcrypt, liblzma, libzstd,
// liblz4, libcap, libgpg-error) into the daemon for five lines of work, about 1 MB of resident
// file-backed pages (bench/README.md, "Daemon memory with 2,000 endpoints").
#include "daemon/sd_notify.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

namespace certvigil::daemon {
namespace {

// Sends `message` to the socket $NOTIFY_SOCKET names: a path, or "@name" in the abstract
// namespace. Best effort, like sd_notify: a missing or unreachable socket is ignored.
void send(std::string_view message) {
  const char* path = std::getenv("NOTIFY_SOCKET");
  if (path == nullptr || (path[0] != '/' && path[0] != '@')) return;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  const size_t length = std::strlen(path);
  if (length >= sizeof addr.sun_path) return;
  std::memcpy(addr.sun_path, path, length);
  if (path[0] == '@') addr.sun_path[0] = '\0';
  const int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return;
  const auto size = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + length);
  (void)sendto(fd, message.data(), message.size(), MSG_NOSIGNAL,
               reinterpret_cast<const sockaddr*>(&addr), size);
  close(fd);
}

// sd_watchdog_enabled(): WATCHDOG_USEC set and positive, and WATCHDOG_PID (if set) is us.
bool watchdogEnabled() {
  const char* usec = std::getenv("WATCHDOG_USEC");
  if (usec == nullptr || std::strtoull(usec, nullptr, 10) == 0) return false;
  const char* pid = std::getenv("WATCHDOG_PID");
  return pid == nullptr || std::strtol(pid, nullptr, 10) == getpid();
}

}  // namespace

void notifyReady() { send("READY=1"); }
void notifyReloading() { send("RELOADING=1"); }
void notifyStopping() { send("STOPPING=1"); }

void notifyWatchdog() {
  static const bool enabled = watchdogEnabled();
  if (enabled) send("WATCHDOG=1");
}

void notifyStatus(const char* status) { send(std::string("STATUS=") + status); }

}  // namespace certvigil::daemon
