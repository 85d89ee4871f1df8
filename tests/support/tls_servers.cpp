// SPDX-License-Identifier: Apache-2.0
#include "tests/support/tls_servers.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "x509/handles.h"
#include "x509/openssl_util.h"

namespace certvigil::testing {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

constexpr auto kStartLimit = 10s;  // a server that does not listen by then has failed
constexpr auto kPoll = 20ms;
constexpr auto kStopGrace = 3s;

// Polls `ready` until it holds, the child exits, or kStartLimit passes.
template <typename Ready>
bool waitUntil(ChildProcess& child, Ready ready) {
  const auto give_up = std::chrono::steady_clock::now() + kStartLimit;
  while (std::chrono::steady_clock::now() < give_up) {
    if (ready()) return true;
    if (!child.running()) return false;
    std::this_thread::sleep_for(kPoll);
  }
  return false;
}

// The port s_server printed on its "ACCEPT 127.0.0.1:PORT" line, 0 if not yet.
int acceptedPort(const std::string& log) {
  const std::size_t at = log.find("ACCEPT ");
  if (at == std::string::npos) return 0;
  const std::size_t end = log.find('\n', at);
  if (end == std::string::npos) return 0;
  const std::size_t colon = log.rfind(':', end);
  return std::atoi(log.substr(colon + 1, end - colon - 1).c_str());
}

int bindLoopback(int backlog) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      (backlog > 0 && listen(fd, backlog) != 0)) {
    if (fd >= 0) close(fd);
    throw std::runtime_error("cannot bind a loopback socket");
  }
  return fd;
}

int portOf(int fd) {
  sockaddr_in address{};
  socklen_t size = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  return ntohs(address.sin_port);
}

std::string nginxConfig(const NginxOptions& o, const fs::path& dir, int port) {
  const std::string d = dir.string();
  std::ostringstream conf;
  conf << "worker_processes 1;\nerror_log " << d << "/error.log info;\npid " << d
       << "/nginx.pid;\nevents { worker_connections 64; }\nhttp {\n  access_log off;\n"
       << "  client_body_temp_path " << d << "/body;\n  proxy_temp_path " << d << "/proxy;\n"
       << "  fastcgi_temp_path " << d << "/fastcgi;\n  uwsgi_temp_path " << d << "/uwsgi;\n"
       << "  scgi_temp_path " << d << "/scgi;\n  server {\n    listen 127.0.0.1:" << port
       << " ssl;\n    ssl_certificate " << o.cert.string() << ";\n    ssl_certificate_key "
       << o.key.string() << ";\n    ssl_protocols TLSv1.2 TLSv1.3;\n    ssl_verify_client "
       << o.verify_client << ";\n";
  if (!o.client_ca.empty()) conf << "    ssl_client_certificate " << o.client_ca.string() << ";\n";
  conf << "    location / { return 200 \"hello\\n\"; }\n  }\n}\n";
  return conf.str();
}

x509::X509Ptr chainCertificate(EVP_PKEY* key, int index, bool self_signed) {
  x509::X509Ptr cert(X509_new());
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), index + 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -86400);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 86400);
  auto name = [](int i) {
    X509_NAME* n = X509_NAME_new();
    const std::string cn = "chain-" + std::to_string(i);
    X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
    return n;
  };
  X509_NAME* subject = name(index);
  X509_NAME* issuer = self_signed ? X509_NAME_dup(subject) : name(index + 1);
  X509_set_subject_name(cert.get(), subject);
  X509_set_issuer_name(cert.get(), issuer);
  X509_NAME_free(subject);
  X509_NAME_free(issuer);
  X509_set_pubkey(cert.get(), key);
  if (index > 0) {
    X509_EXTENSION* ca =
        X509V3_EXT_conf_nid(nullptr, nullptr, NID_basic_constraints, "critical,CA:TRUE");
    X509_add_ext(cert.get(), ca, -1);
    X509_EXTENSION_free(ca);
  }
  X509_sign(cert.get(), key, EVP_sha256());
  return cert;
}

void appendPem(const fs::path& path, X509* cert) {
  x509::BioPtr bio(BIO_new_file(path.c_str(), "a"));
  if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1)
    throw std::runtime_error("cannot write PEM");
}

}  // namespace

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const fs::path& log) : log_(log) {
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  const pid_t parent = getpid();
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("cannot start " + argv[0]);
  if (pid_ == 0) {
    // Dies with the test even if the test crashes before its destructors run.
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) _exit(127);
    const int in = open("/dev/null", O_RDONLY);
    const int out = open(log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in < 0 || out < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0) _exit(127);
    close_range(3, ~0U, 0);  // the test's sockets stay the test's
    execvp(args[0], args.data());
    _exit(127);
  }
}

ChildProcess::~ChildProcess() { stop(); }

bool ChildProcess::running() {
  if (pid_ <= 0) return false;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == 0) return true;
  pid_ = -1;
  return false;
}

void ChildProcess::stop() {
  if (!running()) return;
  kill(pid_, SIGTERM);
  const auto give_up = std::chrono::steady_clock::now() + kStopGrace;
  while (running() && std::chrono::steady_clock::now() < give_up)
    std::this_thread::sleep_for(kPoll);
  if (running()) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
}

std::string ChildProcess::log() const { return readFile(log_); }

bool isListening(int port) {
  char hex_port[8];
  std::snprintf(hex_port, sizeof hex_port, ":%04X", port);
  for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::ifstream in(table);
    std::string line;
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string slot, local, remote, state;
      fields >> slot >> local >> remote >> state;
      if (state == "0A" && local.ends_with(hex_port)) return true;
    }
  }
  return false;
}

int unusedPort() {
  const int fd = bindLoopback(0);
  const int port = portOf(fd);
  close(fd);
  return port;
}

int openFileDescriptors() {
  int count = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator("/proc/self/fd")) ++count;
  return count;
}

OpensslServer::OpensslServer(const SServerOptions& o) {
  std::vector<std::string> argv = {
      "openssl", "s_server",      "-www", "-accept",     o.ipv6 ? "[::1]:0" : "127.0.0.1:0",
      "-cert",   o.cert.string(), "-key", o.key.string()};
  auto add = [&argv](std::initializer_list<std::string> more) {
    argv.insert(argv.end(), more.begin(), more.end());
  };
  if (!o.chain.empty()) add({"-cert_chain", o.chain.string()});
  if (!o.ca_file.empty()) add({"-CAfile", o.ca_file.string()});
  if (o.require_client_cert)
    add({"-Verify", "1", "-verify_return_error"});
  else if (o.request_client_cert)
    add({"-verify", "1"});
  if (!o.version_flag.empty()) add({o.version_flag});
  if (!o.status_file.empty()) add({"-status_file", o.status_file.string()});
  process_ = std::make_unique<ChildProcess>(argv, dir_ / "s_server.log");
  const bool up = waitUntil(*process_, [this] {
    port_ = acceptedPort(process_->log());
    return port_ != 0 && isListening(port_);
  });
  if (!up) throw std::runtime_error("openssl s_server did not start: " + process_->log());
}

NginxServer::NginxServer(const NginxOptions& options) {
  for (int attempt = 0; attempt < 3; ++attempt) {  // the chosen port may be taken meanwhile
    port_ = unusedPort();
    writeFile(dir_ / "nginx.conf", nginxConfig(options, dir_.path(), port_));
    process_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{"nginx", "-p", dir_.path().string(), "-c",
                                 (dir_ / "nginx.conf").string(), "-e",
                                 (dir_ / "error.log").string(), "-g", "daemon off;"},
        dir_ / "nginx.out");
    if (waitUntil(*process_, [this] { return isListening(port_); })) return;
    process_->stop();
  }
  throw std::runtime_error("nginx did not start: " + errorLog());
}

std::string NginxServer::errorLog() const { return readFile(dir_ / "error.log"); }

Tarpit::Tarpit() : fd_(bindLoopback(128)), port_(portOf(fd_)) {}
Tarpit::~Tarpit() { close(fd_); }

ScriptServer::ScriptServer(const std::string& script, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"python3", "-u",
                                   (sourceDir() / "tests/support" / script).string()};
  argv.insert(argv.end(), args.begin(), args.end());
  const fs::path port_file = dir_ / "port";
  argv.insert(argv.end(), {"--port-file", port_file.string()});
  process_ = std::make_unique<ChildProcess>(argv, dir_ / "server.log");
  const bool up = waitUntil(*process_, [&] {
    if (!fs::exists(port_file)) return false;
    port_ = std::atoi(readFile(port_file).c_str());
    return port_ != 0 && isListening(port_);
  });
  if (!up) throw std::runtime_error(script + " did not start: " + process_->log());
}

ScriptServer hostileServer(const std::string& mode) {
  return ScriptServer("hostile_server.py", {"--mode", mode});
}

ScriptServer startTlsServer(const std::string& protocol, bool refuse, const fs::path& record) {
  std::vector<std::string> args = {"--protocol", protocol,
                                   "--cert",     pki("leaf-server-fullchain.pem").string(),
                                   "--key",      pki("leaf-server.key").string()};
  if (refuse) args.push_back("--refuse");
  if (!record.empty()) args.insert(args.end(), {"--record", record.string()});
  return ScriptServer("starttls_server.py", args);
}

GeneratedChain generateChain(const fs::path& dir, int length) {
  GeneratedChain chain{dir / "leaf.pem", dir / "rest.pem", dir / "key.pem", {}};
  x509::PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  x509::BioPtr key_out(BIO_new_file(chain.key.c_str(), "w"));
  if (!key || !key_out ||
      PEM_write_bio_PrivateKey(key_out.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) !=
          1) {
    throw std::runtime_error("cannot write the chain key");
  }
  for (int i = 0; i < length; ++i) {
    x509::X509Ptr cert = chainCertificate(key.get(), i, i == length - 1);
    appendPem(i == 0 ? chain.leaf : chain.rest, cert.get());
    chain.ders.push_back(x509::derOf(cert.get()));
  }
  return chain;
}

}  // namespace certvigil::testing
