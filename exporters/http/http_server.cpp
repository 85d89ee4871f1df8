// SPDX-License-Identifier: Apache-2.0
// exporters/http/http_server.cpp: listener lifecycle on cpp-httplib 0.11.4.
// Two departures from cpp-httplib's defaults, both deliberate:
//  - Socket options: 0.11.4 sets SO_REUSEPORT, which lets a second daemon bind the same port
//    silently and steal half the scrapes. We set SO_REUSEADDR only (a restart may still rebind
//    while old connections sit in TIME_WAIT), so "address in use" is reported by bind().
//  - Shutdown: httplib::Server::stop() does nothing unless the accept loop already runs, so
//    start() waits for it, and a server that was bound but never started closes its socket
//    itself (ListeningServer::closeUnstarted).
#include "exporters/http/http_server.h"

#include <fcntl.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/log.h"
#include "exporters/http/routes.h"

namespace certvigil::exporters {

/// httplib::Server or SSLServer, with access to its listening socket for closing it when never
/// started.
class ListeningServer {
 public:
  virtual ~ListeningServer() = default;
  virtual httplib::Server& http() = 0;
  virtual void closeUnstarted() = 0;
};

namespace {

template <typename Base>
class Listening final : public ListeningServer, public Base {
 public:
  using Base::Base;
  httplib::Server& http() override { return *this; }
  void closeUnstarted() override {
    const socket_t sock = this->svr_sock_.exchange(INVALID_SOCKET);
    if (sock != INVALID_SOCKET) ::close(sock);
  }
};

std::unique_ptr<ListeningServer> makeServer(WebConfigSource& web, std::string* tls_error) {
  if (!web.tlsEnabled()) return std::make_unique<Listening<httplib::Server>>();
  return std::make_unique<Listening<httplib::SSLServer>>(
      [&web, tls_error](SSL_CTX& ctx) { return configureListenerTls(ctx, web, tls_error); });
}

WebConfigLoader loaderOf(const HttpServerOptions& options) {
  if (options.web_config) return options.web_config;
  config::WebTlsConfig tls;
  tls.cert_file = options.tls.cert_file;
  tls.key_file = options.tls.key_file;
  tls.client_ca_file = options.tls.client_ca_file;
  if (!tls.client_ca_file.empty())
    tls.client_auth = config::ClientAuthType::RequireAndVerifyClientCert;
  return shortFormLoader(tls);
}

}  // namespace

namespace {

constexpr auto kStartPoll = std::chrono::milliseconds(1);

void setSocketOptions(socket_t sock) {
  const int yes = 1;
  setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  fcntl(sock, F_SETFD, FD_CLOEXEC);
}

// Resolves `host` the way the listener will, so a bad name is reported as such and not as a
// stale errno from deep inside the resolver.
Status checkResolvable(const ListenAddress& address) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* result = nullptr;
  const int rc = getaddrinfo(address.host.c_str(), nullptr, &hints, &result);
  if (rc != 0) {
    return makeError(ErrorCode::Config, std::string("cannot resolve host: ") + gai_strerror(rc),
                     "listen " + address.toString());
  }
  freeaddrinfo(result);
  return Ok{};
}

std::string describeBindErrno(int error) {
  switch (error) {
    case EADDRINUSE:
      return "address already in use (is another certvigil or another service listening?)";
    case EADDRNOTAVAIL:
      return "address not available on this host";
    case EACCES:
      return "permission denied (ports below 1024 need CAP_NET_BIND_SERVICE)";
    case 0:
      return "cannot bind or listen";
    default:
      return std::strerror(error);
  }
}

}  // namespace

HttpServer::HttpServer(HttpServerOptions options, const SnapshotSource& snapshots,
                       const StatusProvider& status)
    : options_(std::move(options)),
      snapshots_(snapshots),
      status_(status),
      state_routes_(std::make_unique<StateRoutes>()),
      web_(std::make_unique<WebConfigSource>(loaderOf(options_))),
      server_(makeServer(*web_, &tls_error_)) {
  configure();
  registerRoutes();
}

HttpServer::~HttpServer() { stop(); }

void HttpServer::configure() {
  const size_t threads = options_.threads > 0 ? options_.threads : 1;
  server_->http().new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server_->http().set_socket_options(setSocketOptions);
  server_->http().set_payload_max_length(options_.payload_max_length);
  server_->http().set_read_timeout(options_.read_timeout);
  server_->http().set_write_timeout(options_.write_timeout);
  server_->http().set_keep_alive_timeout(options_.keep_alive_timeout.count());
}

void HttpServer::registerRoutes() {
  exporters::registerRoutes(server_->http(), RouteContext{snapshots_, status_, renderer_, *web_},
                            *state_routes_);
}

void HttpServer::addRoute(HttpRoute route) {
  registerExtraRoute(server_->http(), *state_routes_, std::move(route));
}

Result<int> HttpServer::bind() {
  if (port_ >= 0)
    return makeError(ErrorCode::Invalid, "already bound", "listen " + options_.listen);
  if (const Status& web = web_->initialStatus(); !web) return web.error();
  if (web_->tlsEnabled() && !server_->http().is_valid()) {
    return makeError(ErrorCode::Config,
                     tls_error_.empty() ? "cannot set up TLS" : "cannot set up TLS: " + tls_error_,
                     "tls");
  }
  Result<ListenAddress> address = parseListenAddress(options_.listen);
  if (!address) return address.error();
  if (Status resolved = checkResolvable(*address); !resolved) return resolved.error();
  errno = 0;
  const int port =
      address->port == 0
          ? server_->http().bind_to_any_port(address->host)
          : (server_->http().bind_to_port(address->host, address->port) ? address->port : -1);
  if (port < 0) {
    return makeError(ErrorCode::Io, describeBindErrno(errno), "listen " + address->toString());
  }
  port_ = port;
  return port;
}

Status HttpServer::start() {
  if (port_ < 0) return makeError(ErrorCode::Invalid, "start() before a successful bind()");
  if (thread_.joinable()) return Ok{};
  thread_ = std::thread([this] {
    if (!server_->http().listen_after_bind())
      log::error("http: the accept loop stopped with an error");
    loop_exited_ = true;
  });
  while (!server_->http().is_running() && !loop_exited_) std::this_thread::sleep_for(kStartPoll);
  return Ok{};
}

void HttpServer::stop() {
  if (thread_.joinable()) {
    server_->http().stop();
    thread_.join();
  } else {
    server_->closeUnstarted();
  }
}

}  // namespace certvigil::exporters
