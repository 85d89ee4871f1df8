// SPDX-License-Identifier: Apache-2.0
// tests/integration/alerts_delivery_test.cpp: the dispatcher against real HTTP receivers on
// 127.0.0.1 (cpp-httplib servers in this process): every webhook signature verified
// independently (OpenSSL HMAC here, not the code under test), every id counted; a receiver
// down for a while then up gets every event; a receiver answering 400 is not retried; Slack
// receives its documented shape. Intervals are scaled down (DispatcherOptions::scaled).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "alerts/dispatcher.h"
#include "tests/unit/alerts/alerts_fixtures.h"

namespace certvigil::testing {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kSecret = "integration-secret";

std::string expectedSignature(const std::string& id, const std::string& timestamp,
                              const std::string& body) {
  const std::string content = id + "." + timestamp + "." + body;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), kSecret.data(), static_cast<int>(kSecret.size()),
       reinterpret_cast<const unsigned char*>(content.data()), content.size(), mac, &size);
  unsigned char b64[128];
  const int n = EVP_EncodeBlock(b64, mac, static_cast<int>(size));
  return "v1," + std::string(reinterpret_cast<const char*>(b64), static_cast<size_t>(n));
}

/// A receiver on 127.0.0.1: answers `status`, checks signatures, counts ids per request.
class Receiver {
 public:
  explicit Receiver(int status, int port = 0) : status_(status) {
    server_.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mutex_);
      const std::string id = req.get_header_value("webhook-id");
      const bool valid = req.get_header_value("webhook-signature") ==
                         expectedSignature(id, req.get_header_value("webhook-timestamp"), req.body);
      if (!valid) ++bad_signatures_;
      ++ids_[id];
      bodies_.push_back(req.body);
      res.status = status_;
    });
    port_ = port == 0 ? server_.bind_to_any_port("127.0.0.1") : port;
    if (port != 0) REQUIRE(server_.bind_to_port("127.0.0.1", port));
    REQUIRE(port_ > 0);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    for (int i = 0; i < 500 && !server_.is_running(); ++i) std::this_thread::sleep_for(1ms);
    REQUIRE(server_.is_running());
  }
  ~Receiver() {
    server_.stop();
    thread_.join();
  }
  int port() const { return port_; }
  std::map<std::string, int> ids() {
    std::lock_guard lock(mutex_);
    return ids_;
  }
  std::vector<std::string> bodies() {
    std::lock_guard lock(mutex_);
    return bodies_;
  }
  int badSignatures() {
    std::lock_guard lock(mutex_);
    return bad_signatures_;
  }

 private:
  httplib::Server server_;
  std::thread thread_;
  int status_;
  int port_ = 0;
  std::mutex mutex_;
  std::map<std::string, int> ids_;
  std::vector<std::string> bodies_;
  int bad_signatures_ = 0;
};

/// A port nothing listens on: bound by a plain socket, then closed.
int unusedPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof addr;
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), size) == 0);
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &size) == 0);
  ::close(fd);
  return ntohs(addr.sin_port);
}

config::NotifierConfig notifierFor(config::NotifierType type, int port, const TempDir& dir) {
  config::NotifierConfig n;
  n.type = type;
  n.name = std::string(config::toString(type)) + "-test";
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/hook";
  if (type == config::NotifierType::Slack) {
    n.url_file = writeFile(dir / "slack.url", url + "\n");
  } else {
    n.url = url;
    n.secret_file = writeFile(dir / "secret", std::string(kSecret) + "\n");
  }
  n.timeout = Seconds(2);
  return n;
}

alerts::DispatcherOptions fastOptions() { return alerts::DispatcherOptions().scaled(0.02); }

/// Polls `done` every 20 ms for at most `limit`.
template <typename F>
bool waitFor(F done, std::chrono::milliseconds limit = 10s) {
  for (auto waited = 0ms; waited < limit; waited += 20ms) {
    if (done()) return true;
    std::this_thread::sleep_for(20ms);
  }
  return done();
}

std::set<std::string> uidsOf(const std::vector<AlertEvent>& events) {
  std::set<std::string> out;
  for (const auto& e : events) out.insert(e.uid);
  return out;
}

TEST_CASE("a receiver down for a while, then up, gets every event, each signature valid") {
  AlertDb db;
  db.scanWithFindings(5, Severity::Critical);
  const int port = unusedPort();
  FakeClock clock(at(0));  // the scans' time, as the events' created_at
  alerts::Dispatcher dispatcher(db.path, clock, fastOptions());
  dispatcher.configure({notifierFor(config::NotifierType::Webhook, port, db.dir)});
  REQUIRE(dispatcher.start().ok());
  REQUIRE(waitFor([&] {
    const auto stats = dispatcher.stats();
    return !stats.empty() && stats[0].counters.retried >= 3;
  }));
  CHECK(dispatcher.stats()[0].pending == 5);
  db.scanWithFindings(5, Severity::Warning, 60);  // more events while it is down
  Receiver receiver(200, port);
  const auto expected = uidsOf(db.events());
  REQUIRE(expected.size() == 10);
  REQUIRE(waitFor([&] { return receiver.ids().size() == expected.size(); }));
  std::set<std::string> received;
  for (const auto& [id, count] : receiver.ids()) received.insert(id);
  CHECK(received == expected);
  CHECK(receiver.badSignatures() == 0);
  REQUIRE(waitFor([&] { return dispatcher.stats()[0].pending == 0; }));
  CHECK(dispatcher.stats()[0].counters.delivered == 10);
  dispatcher.stop();
  // The body names the event as the header does.
  const auto body = nlohmann::json::parse(receiver.bodies().front());
  CHECK(receiver.ids().contains(body["id"].get<std::string>()));
}

TEST_CASE("an outbox whose cursor cannot be written is counted and shown, then recovers") {
  AlertDb db;
  db.scanWithFindings(2, Severity::Critical);
  Receiver receiver(200);
  // As a full disk would: every cursor write of this notifier fails (another connection adds
  // the trigger; SQLite is the one who refuses).
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open(db.path.c_str(), &raw) == SQLITE_OK);
  // The dispatcher's connection may hold the write lock when a trigger is added or dropped:
  // wait for it as the product's connections do, rather than fail on SQLITE_BUSY at once.
  sqlite3_busy_timeout(raw, 5000);
  const auto exec = [raw](const char* sql) {
    return sqlite3_exec(raw, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
  };
  REQUIRE(
      exec("CREATE TRIGGER cv_cursor_fail BEFORE INSERT ON notifier_cursors BEGIN "
           "SELECT RAISE(ABORT, 'simulated disk full'); END; "
           "CREATE TRIGGER cv_cursor_fail_update BEFORE UPDATE ON notifier_cursors BEGIN "
           "SELECT RAISE(ABORT, 'simulated disk full'); END;"));
  FakeClock clock(at(0));
  alerts::Dispatcher dispatcher(db.path, clock, fastOptions());
  dispatcher.configure({notifierFor(config::NotifierType::Webhook, receiver.port(), db.dir)});
  REQUIRE(dispatcher.start().ok());
  REQUIRE(waitFor([&] {
    const auto stats = dispatcher.stats();
    return !stats.empty() && stats[0].outbox_errors >= 2;
  }));
  CHECK(dispatcher.stats()[0].failing.find("simulated disk full") != std::string::npos);
  REQUIRE(exec("DROP TRIGGER cv_cursor_fail; DROP TRIGGER cv_cursor_fail_update;"));
  REQUIRE(waitFor([&] { return dispatcher.stats()[0].failing.empty(); }));
  REQUIRE(waitFor([&] { return dispatcher.stats()[0].pending == 0; }));
  dispatcher.stop();
  sqlite3_close(raw);
  // At least once: nothing lost, whatever was sent before the cursor could be written.
  CHECK(receiver.ids().size() == 2);
}

/// A tarpit: a socket that listens and never accepts. The kernel completes the handshake and
/// takes the request; no answer ever comes, so every attempt takes its whole timeout.
class Tarpit {
 public:
  Tarpit() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd_ >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof addr;
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), size) == 0);
    REQUIRE(::listen(fd_, 64) == 0);
    REQUIRE(::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &size) == 0);
    port_ = ntohs(addr.sin_port);
  }
  ~Tarpit() { ::close(fd_); }
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

TEST_CASE("a tarpit receiver delays no other notifier, and stopping does not wait for it") {
  AlertDb db;
  db.scanWithFindings(5, Severity::Critical);
  Tarpit tarpit;
  Receiver good(200);
  FakeClock clock(at(0));
  alerts::Dispatcher dispatcher(db.path, clock, fastOptions());
  config::NotifierConfig slow = notifierFor(config::NotifierType::Webhook, tarpit.port(), db.dir);
  slow.name = "slow";
  slow.timeout = Seconds(5);
  dispatcher.configure({slow, notifierFor(config::NotifierType::Webhook, good.port(), db.dir)});
  const auto started = std::chrono::steady_clock::now();
  REQUIRE(dispatcher.start().ok());
  REQUIRE(waitFor([&] { return good.ids().size() == 5; }, 2s));
  CHECK(std::chrono::steady_clock::now() - started < 1s);  // not behind the tarpit's 5 s
  db.scanWithFindings(5, Severity::Warning, 60);           // more while the tarpit holds one
  const auto written = std::chrono::steady_clock::now();
  dispatcher.wake();
  REQUIRE(waitFor([&] { return good.ids().size() == 10; }, 2s));
  CHECK(std::chrono::steady_clock::now() - written < 1s);
  const auto stats = dispatcher.stats();
  REQUIRE(stats.size() == 2);
  CHECK(stats[0].name == "slow");
  CHECK(stats[0].counters.delivered == 0);
  const auto stopping = std::chrono::steady_clock::now();
  dispatcher.stop();  // the tarpit's request is in flight: aborted, not waited for
  CHECK(std::chrono::steady_clock::now() - stopping < 2500ms);
  for (const auto& [id, count] : good.ids()) CHECK(count == 1);
}

TEST_CASE("a receiver answering 400 is not retried") {
  AlertDb db;
  db.scanWithFindings(3, Severity::Critical);
  Receiver receiver(400);
  FakeClock clock(at(0));  // the scans' time, as the events' created_at
  alerts::Dispatcher dispatcher(db.path, clock, fastOptions());
  dispatcher.configure({notifierFor(config::NotifierType::Webhook, receiver.port(), db.dir)});
  REQUIRE(dispatcher.start().ok());
  REQUIRE(waitFor(
      [&] { return !dispatcher.stats().empty() && dispatcher.stats()[0].counters.rejected == 3; }));
  std::this_thread::sleep_for(300ms);  // many backoff periods at this scale
  for (const auto& [id, count] : receiver.ids()) CHECK(count == 1);
  CHECK(receiver.ids().size() == 3);
  CHECK(dispatcher.stats()[0].counters.retried == 0);
  CHECK(dispatcher.stats()[0].pending == 0);
}

TEST_CASE("Slack gets text plus section blocks with mrkdwn text, several events per message") {
  AlertDb db;
  db.scanWithFindings(3, Severity::Critical);
  Receiver receiver(200);
  FakeClock clock(at(0));  // the scans' time, as the events' created_at
  alerts::Dispatcher dispatcher(db.path, clock, fastOptions());
  dispatcher.configure({notifierFor(config::NotifierType::Slack, receiver.port(), db.dir)});
  REQUIRE(dispatcher.start().ok());
  REQUIRE(waitFor([&] { return !receiver.bodies().empty(); }));
  dispatcher.stop();
  REQUIRE(receiver.bodies().size() == 1);
  const auto message = nlohmann::json::parse(receiver.bodies()[0]);
  REQUIRE(message["text"].is_string());
  REQUIRE(message["blocks"].is_array());
  CHECK(message["blocks"].size() == 4);
  for (const auto& block : message["blocks"]) {
    CHECK(block["type"] == "section");
    CHECK(block["text"]["type"] == "mrkdwn");
    CHECK(block["text"]["text"].is_string());
  }
  CHECK(receiver.badSignatures() == 1);  // Slack requests carry no signature: counted as such
}

}  // namespace
}  // namespace certvigil::testing
