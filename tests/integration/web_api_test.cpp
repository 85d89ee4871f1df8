// SPDX-License-Identifier: Apache-2.0
// The listener with the JSON API on 127.0.0.1: every route documented in docs/API.md answers,
// the POST routes need the token, limits hold, and the TLS listener (with and without required
// client certificates) works with the test PKI.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <utility>

#include "exporters/http/api_routes.h"
#include "exporters/http/http_server.h"
#include "tests/support/test_support.h"
#include "tests/unit/web/web_fixtures.h"

namespace certvigil::exporters {
namespace {

using Json = nlohmann::json;
constexpr const char* kToken = "integration-token-0123456789";

class ReadyStatus final : public StatusProvider {
 public:
  DaemonStatus status() const override {
    DaemonStatus status;
    status.version = "0.0.0-test";
    status.ready = true;
    return status;
  }
};

// A listening server with the API over the web fixture database.
struct Listener {
  testing::WebFixture fixture;
  std::unique_ptr<storage::HistoryReader> reader;
  testing::FixedSnapshots snapshots{fixture.snapshot};
  ReadyStatus status;
  BearerToken token;
  SystemClock clock;
  int scans = 0;
  HttpServer server;
  int port = -1;

  explicit Listener(HttpServerOptions options = {"127.0.0.1:0"})
      : reader(std::move(storage::HistoryReader::open(fixture.db).value())),
        server(std::move(options), snapshots, status) {
    token.set(kToken);
    ApiActions actions{[this] { ++scans; }, [] { return Status(Ok{}); }};
    for (HttpRoute& route : apiRoutes({*reader, snapshots, status, token, clock, actions})) {
      server.addRoute(std::move(route));
    }
  }
  Status start() {
    auto bound = server.bind();
    if (!bound) return bound.error();
    port = *bound;
    return server.start();
  }
};

// A raw connection, to send exactly the bytes a client such as curl sends.
class RawConnection {
 public:
  explicit RawConnection(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    REQUIRE(fd_ >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    timeval timeout{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  }
  ~RawConnection() { ::close(fd_); }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  void send(const std::string& bytes) {
    REQUIRE(::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
            static_cast<ssize_t>(bytes.size()));
  }
  // One response: the head, then as many body bytes as its Content-Length says.
  std::string response() {
    size_t end;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos && fill()) {
    }
    if (end == std::string::npos) return std::exchange(buffer_, {});
    std::smatch length;
    const std::string head = buffer_.substr(0, end + 4);
    static const std::regex kLength(R"(\r\nContent-Length: (\d+)\r\n)", std::regex::icase);
    const size_t total =
        head.size() + (std::regex_search(head, length, kLength) ? std::stoul(length[1]) : 0);
    while (buffer_.size() < total && fill()) {
    }
    std::string out = buffer_.substr(0, total);
    buffer_.erase(0, total);
    return out;
  }
  // Whether the server closed the connection (reads until EOF or the 5 s timeout).
  bool closedByServer() {
    while (fill()) {
    }
    return eof_;
  }

 private:
  bool fill() {
    char chunk[4096];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n > 0) buffer_.append(chunk, static_cast<size_t>(n));
    eof_ = n == 0;
    return n > 0;
  }
  int fd_;
  std::string buffer_;
  bool eof_ = false;
};

// Sends `request` on a fresh connection and reads one answer.
std::string rawExchange(int port, const std::string& request) {
  RawConnection connection(port);
  connection.send(request);
  return connection.response();
}

// What `curl -X POST [-H "Authorization: Bearer TOKEN"] http://127.0.0.1:PORT/PATH` sends.
std::string curlPost(int port, const std::string& path, const std::string& token) {
  std::string request = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                        "\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n";
  if (!token.empty()) request += "Authorization: Bearer " + token + "\r\n";
  return request + "\r\n";
}

// "### GET /api/v1/..." and "### POST /api/v1/..." headings of docs/API.md.
std::vector<std::pair<std::string, std::string>> documentedRoutes() {
  std::ifstream in(testing::sourceDir() / "docs/API.md");
  REQUIRE(in);
  static const std::regex heading(R"(^### (GET|POST) (/.*)$)");
  std::vector<std::pair<std::string, std::string>> routes;
  for (std::string line; std::getline(in, line);) {
    std::smatch match;
    if (std::regex_match(line, match, heading)) routes.emplace_back(match[1], match[2]);
  }
  return routes;
}

TEST_CASE("every route documented in docs/API.md answers as documented") {
  Listener listener;
  REQUIRE(listener.start().ok());
  httplib::Client client("127.0.0.1", listener.port);
  const auto routes = documentedRoutes();
  REQUIRE(routes.size() >= 9);
  for (const std::string& path : apiGetPaths()) {
    const bool documented = std::find(routes.begin(), routes.end(),
                                      std::make_pair(std::string("GET"), path)) != routes.end();
    CHECK_MESSAGE(documented, path << " is served but not documented");
  }
  const httplib::Headers auth{{"Authorization", std::string("Bearer ") + kToken}};
  for (const auto& [method, documented_path] : routes) {
    const std::string path =
        std::regex_replace(documented_path, std::regex(R"(\{id or name\})"), "api:443");
    INFO(method << " " << path);
    if (method == "GET") {
      auto res = client.Get(path);
      REQUIRE(res);
      CHECK(res->status == 200);
      CHECK(res->get_header_value("Content-Type") == "application/json");
      CHECK(Json::accept(res->body));
    } else {
      auto refused = client.Post(path, "", "application/json");
      REQUIRE(refused);
      CHECK(refused->status == 401);
      auto accepted = client.Post(path, auth, "", "application/json");
      REQUIRE(accepted);
      CHECK(accepted->status == 202);
    }
  }
  CHECK(listener.scans == 1);
}

TEST_CASE("the page and the request size limit") {
  Listener listener;
  REQUIRE(listener.start().ok());
  httplib::Client client("127.0.0.1", listener.port);
  auto page = client.Get("/");
  REQUIRE(page);
  CHECK(page->status == 200);
  const std::string policy = page->get_header_value("Content-Security-Policy");
  CHECK(policy.rfind("default-src 'none'; script-src 'sha256-", 0) == 0);
  const httplib::Headers auth{{"Authorization", std::string("Bearer ") + kToken}};
  auto big = client.Post("/api/v1/scan", auth, std::string(128 * 1024, 'x'), "text/plain");
  REQUIRE(big);
  CHECK(big->status == 413);
  CHECK(listener.scans == 0);
}

TEST_CASE("a body-less POST without Content-Length, as curl -X POST sends it, is accepted") {
  Listener listener;
  REQUIRE(listener.start().ok());
  const auto started = std::chrono::steady_clock::now();
  RawConnection connection(listener.port);
  connection.send(curlPost(listener.port, "/api/v1/reload", kToken));
  const std::string reload = connection.response();
  CHECK(reload.rfind("HTTP/1.1 202", 0) == 0);
  CHECK(reload.find(R"("action":"reload")") != std::string::npos);
  // The connection stays usable: the next request on it is read as a request, not as a body.
  connection.send(curlPost(listener.port, "/api/v1/scan", kToken));
  CHECK(connection.response().rfind("HTTP/1.1 202", 0) == 0);
  connection.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(connection.response().find("\r\n\r\nok\n") != std::string::npos);
  CHECK(listener.scans == 1);
  // Answered at once, not after the 5 s read timeout.
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(2));

  // With Content-Length: 0 or a chunked empty body, as other clients send it.
  const std::string zero =
      rawExchange(listener.port,
                  "POST /api/v1/scan HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
                  "Authorization: Bearer " +
                      std::string(kToken) + "\r\n\r\n");
  CHECK(zero.rfind("HTTP/1.1 202", 0) == 0);
  const std::string chunked =
      rawExchange(listener.port,
                  "POST /api/v1/scan HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                  "Authorization: Bearer " +
                      std::string(kToken) + "\r\n\r\n0\r\n\r\n");
  CHECK(chunked.rfind("HTTP/1.1 202", 0) == 0);
  CHECK(listener.scans == 3);
}

TEST_CASE("authentication comes first: 401 with WWW-Authenticate, never 400 or 413") {
  Listener listener;
  REQUIRE(listener.start().ok());
  for (const std::string path : {"/api/v1/reload", "/api/v1/scan"}) {
    INFO(path);
    const std::string missing = rawExchange(listener.port, curlPost(listener.port, path, ""));
    CHECK(missing.rfind("HTTP/1.1 401", 0) == 0);
    CHECK(missing.find("\r\nWWW-Authenticate: Bearer realm=\"certvigil\"\r\n") !=
          std::string::npos);
    const std::string wrong =
        rawExchange(listener.port, curlPost(listener.port, path, "wrong-token-0123456789"));
    CHECK(wrong.rfind("HTTP/1.1 401", 0) == 0);
    CHECK(wrong.find("error=\"invalid_token\"") != std::string::npos);
    // Not the query string (400) first.
    const std::string query =
        rawExchange(listener.port, curlPost(listener.port, path + "?x=1", ""));
    CHECK(query.rfind("HTTP/1.1 401", 0) == 0);
  }
  // Not the size limit (413) first; the unread body ends the connection.
  RawConnection big(listener.port);
  big.send("POST /api/v1/scan HTTP/1.1\r\nHost: x\r\nContent-Length: 131072\r\n\r\n");
  const std::string answer = big.response();
  CHECK(answer.rfind("HTTP/1.1 401", 0) == 0);
  CHECK(answer.find("WWW-Authenticate: Bearer") != std::string::npos);
  CHECK(answer.find("Connection: close") != std::string::npos);
  // A real client with a small body: still 401.
  httplib::Client client("127.0.0.1", listener.port);
  auto refused = client.Post("/api/v1/scan", "{}", "application/json");
  REQUIRE(refused);
  CHECK(refused->status == 401);
  CHECK(refused->get_header_value("WWW-Authenticate").rfind("Bearer", 0) == 0);
  CHECK(listener.scans == 0);
}

TEST_CASE("a state-changing request to an unknown path is answered 404 at once") {
  Listener listener;
  REQUIRE(listener.start().ok());
  for (const char* method : {"POST", "PUT", "DELETE"}) {
    INFO(method);
    const std::string answer =
        rawExchange(listener.port, std::string(method) + " /nowhere HTTP/1.1\r\nHost: x\r\n\r\n");
    CHECK(answer.rfind("HTTP/1.1 404", 0) == 0);
  }
}

HttpServerOptions tlsOptions(const std::filesystem::path& client_ca = {}) {
  HttpServerOptions options{"127.0.0.1:0"};
  options.tls.cert_file = testing::pki("leaf-server-fullchain.pem");
  options.tls.key_file = testing::pki("leaf-server.key");
  options.tls.client_ca_file = client_ca;
  return options;
}

// A client that verifies the listener against the test root, optionally with a certificate.
std::unique_ptr<httplib::SSLClient> tlsClient(int port, const std::string& name = {}) {
  auto client = name.empty() ? std::make_unique<httplib::SSLClient>("localhost", port)
                             : std::make_unique<httplib::SSLClient>(
                                   "localhost", port, testing::pki(name + ".crt").string(),
                                   testing::pki(name + ".key").string());
  client->set_ca_cert_path(testing::pki("ec-root.crt").c_str());
  client->enable_server_certificate_verification(true);
  client->set_connection_timeout(std::chrono::seconds(5));
  client->set_read_timeout(std::chrono::seconds(5));
  return client;
}

TEST_CASE("TLS listener: HTTPS only, the chain verifies against the root") {
  Listener listener(tlsOptions());
  REQUIRE(listener.start().ok());
  auto res = tlsClient(listener.port)->Get("/api/v1/status");
  REQUIRE_MESSAGE(res, httplib::to_string(res.error()));
  CHECK(res->status == 200);
  CHECK(Json::parse(res->body)["version"] == "0.0.0-test");
  httplib::Client plain("127.0.0.1", listener.port);
  plain.set_read_timeout(std::chrono::seconds(3));
  CHECK_FALSE(plain.Get("/api/v1/status"));
}

TEST_CASE("TLS listener with client_ca_file: only clients with a certificate from those CAs") {
  testing::TempDir dir;
  const auto cas =
      testing::writeFile(dir / "clients.pem", testing::readFile(testing::pki("ec-root.crt")) +
                                                  testing::readFile(testing::pki("ec-int.crt")));
  Listener listener(tlsOptions(cas));
  REQUIRE(listener.start().ok());

  CHECK_FALSE(tlsClient(listener.port)->Get("/api/v1/status"));
  auto res = tlsClient(listener.port, "leaf-client")->Get("/api/v1/status");
  REQUIRE_MESSAGE(res, httplib::to_string(res.error()));
  CHECK(res->status == 200);
  CHECK_FALSE(tlsClient(listener.port, "leaf-other-client")->Get("/api/v1/status"));
}

TEST_CASE("TLS files that cannot be used are reported by bind(), naming the file") {
  testing::FixedSnapshots snapshots(std::make_shared<Snapshot>());
  ReadyStatus status;
  HttpServerOptions missing = tlsOptions();
  missing.tls.cert_file = "/nonexistent/listener.pem";
  HttpServer a(missing, snapshots, status);
  auto bound = a.bind();
  REQUIRE_FALSE(bound.ok());
  CHECK(bound.error().describe().find("/nonexistent/listener.pem") != std::string::npos);

  HttpServerOptions mismatch = tlsOptions();
  mismatch.tls.key_file = testing::pki("leaf-client.key");
  HttpServer b(mismatch, snapshots, status);
  bound = b.bind();
  REQUIRE_FALSE(bound.ok());
  CHECK(bound.error().describe().find("leaf-client.key") != std::string::npos);
}

}  // namespace
}  // namespace certvigil::exporters
