// SPDX-License-Identifier: Apache-2.0
// daemon/sd_notify.h: no-ops without NOTIFY_SOCKET; with it, each notification arrives as one
// datagram on the socket systemd would listen on (here a unix socket in a temporary directory:
// no network).
#include "daemon/sd_notify.h"

#include <doctest/doctest.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>

#include "tests/support/test_support.h"

namespace certvigil::daemon {
namespace {

/// A bound unix datagram socket that NOTIFY_SOCKET names while the object lives.
class NotifySocket {
 public:
  explicit NotifySocket(const std::string& path) : path_(path) {
    fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    REQUIRE(fd_ >= 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    REQUIRE(path.size() < sizeof addr.sun_path);
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    REQUIRE(bind(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(setenv("NOTIFY_SOCKET", path.c_str(), 1) == 0);
  }
  ~NotifySocket() {
    unsetenv("NOTIFY_SOCKET");
    close(fd_);
  }
  NotifySocket(const NotifySocket&) = delete;
  NotifySocket& operator=(const NotifySocket&) = delete;

  /// The next datagram, or nullopt when none arrives within `timeout_ms`.
  std::optional<std::string> receive(int timeout_ms = 500) const {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, timeout_ms) != 1) return std::nullopt;
    char buf[512];
    const ssize_t n = recv(fd_, buf, sizeof buf, 0);
    if (n < 0) return std::nullopt;
    return std::string(buf, static_cast<size_t>(n));
  }

 private:
  std::string path_;
  int fd_ = -1;
};

TEST_CASE("without NOTIFY_SOCKET every notification is a harmless no-op") {
  unsetenv("NOTIFY_SOCKET");
  notifyReady();
  notifyReloading();
  notifyStopping();
  notifyWatchdog();
  notifyStatus("scanning");
  notifyStatus("");
  CHECK(std::getenv("NOTIFY_SOCKET") == nullptr);
}

TEST_CASE("with NOTIFY_SOCKET each notification arrives as one datagram, in order") {
  testing::TempDir dir;
  NotifySocket sock((dir / "notify").string());
  notifyReady();
  CHECK(sock.receive() == "READY=1");
  notifyReloading();
  CHECK(sock.receive() == "RELOADING=1");
  notifyStatus("3 targets, 1 critical");
  CHECK(sock.receive() == "STATUS=3 targets, 1 critical");
  notifyStopping();
  CHECK(sock.receive() == "STOPPING=1");
  // NOTIFY_SOCKET stays set for later notifications (sd_notify(0, ...) does not unset it).
  CHECK(std::getenv("NOTIFY_SOCKET") != nullptr);
  CHECK_FALSE(sock.receive(20).has_value());
}

TEST_CASE("WATCHDOG=1 is sent only when systemd asked for a watchdog") {
  testing::TempDir dir;
  unsetenv("WATCHDOG_USEC");
  unsetenv("WATCHDOG_PID");
  NotifySocket sock((dir / "notify").string());
  notifyWatchdog();
  notifyStatus("after the watchdog");
  // The first datagram is the status: no WATCHDOG=1 went before it.
  CHECK(sock.receive() == "STATUS=after the watchdog");
}

TEST_CASE("a NOTIFY_SOCKET nobody listens on does not fail the daemon") {
  testing::TempDir dir;
  REQUIRE(setenv("NOTIFY_SOCKET", (dir / "absent").c_str(), 1) == 0);
  notifyReady();
  notifyStatus("nobody listens");
  unsetenv("NOTIFY_SOCKET");
  CHECK(std::getenv("NOTIFY_SOCKET") == nullptr);
}

}  // namespace
}  // namespace certvigil::daemon
