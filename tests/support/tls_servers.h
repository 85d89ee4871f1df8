// SPDX-License-Identifier: Apache-2.0
// tests/support/tls_servers.h: real servers for tests that probe TLS endpoints, all on 127.0.0.1
// (or ::1) on a free port, each stopped by its PID when the object goes away (also when a test
// fails): `openssl s_server`, nginx with a generated config, hostile servers (tarpit, closed port,
// plain HTTP, garbage, slow drip), STARTTLS servers, and a generated 100-certificate chain.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/test_support.h"

namespace certvigil::testing {

/// A process a test started, with stdin from /dev/null and stdout+stderr to `log`. Stopped with
/// SIGTERM (SIGKILL after 3 s) and reaped when destroyed; sent SIGTERM by the kernel if the test
/// process dies first (PR_SET_PDEATHSIG).
class ChildProcess {
 public:
  ChildProcess(const std::vector<std::string>& argv, const std::filesystem::path& log);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  bool running();  ///< false once it exited (then reaped)
  void stop();
  std::string log() const;  ///< what it printed so far

 private:
  pid_t pid_ = -1;
  std::filesystem::path log_;
};

/// Whether something listens on TCP `port` (IPv4 or IPv6), per /proc/net/tcp{,6}: checking
/// there does not disturb servers that handle one connection at a time.
bool isListening(int port);

/// A TCP port on 127.0.0.1 that nothing listens on (bound, then released).
int unusedPort();

/// The number of open file descriptors of this process.
int openFileDescriptors();

/// `openssl s_server -www` with the given material.
struct SServerOptions {
  std::filesystem::path cert;
  std::filesystem::path key;
  std::filesystem::path chain;        ///< -cert_chain: intermediates sent after the leaf
  std::filesystem::path ca_file;      ///< -CAfile: trusted client CAs, also the names it sends
  bool request_client_cert = false;   ///< -verify 1: ask, accept none
  bool require_client_cert = false;   ///< -Verify 1 -verify_return_error
  std::string version_flag;           ///< "", "-tls1_2" or "-tls1_3"
  std::filesystem::path status_file;  ///< a DER OCSP response to staple
  bool ipv6 = false;                  ///< listen on [::1] instead of 127.0.0.1
};

class OpensslServer {
 public:
  explicit OpensslServer(const SServerOptions& options);
  int port() const { return port_; }
  std::string log() const { return process_->log(); }

 private:
  TempDir dir_;
  std::unique_ptr<ChildProcess> process_;
  int port_ = 0;
};

/// nginx serving `return 200 "hello"` over TLS on 127.0.0.1, its config, logs and pid in a
/// temporary directory.
struct NginxOptions {
  std::filesystem::path cert;  ///< what it serves (only the leaf if that is all the file holds)
  std::filesystem::path key;
  std::string verify_client = "off";  ///< ssl_verify_client: off | on | optional
  std::filesystem::path client_ca;    ///< ssl_client_certificate
};

class NginxServer {
 public:
  explicit NginxServer(const NginxOptions& options);
  int port() const { return port_; }
  std::string errorLog() const;

 private:
  TempDir dir_;
  std::unique_ptr<ChildProcess> process_;
  int port_ = 0;
};

/// Listens on 127.0.0.1 and never accepts: connections complete in the kernel's backlog and
/// then hear nothing.
class Tarpit {
 public:
  Tarpit();
  ~Tarpit();
  Tarpit(const Tarpit&) = delete;
  Tarpit& operator=(const Tarpit&) = delete;
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

/// `python3 tests/support/<script> ARGS --port-file F`; waits until it listens.
class ScriptServer {
 public:
  ScriptServer(const std::string& script, const std::vector<std::string>& args);
  int port() const { return port_; }

 private:
  TempDir dir_;
  std::unique_ptr<ChildProcess> process_;
  int port_ = 0;
};

/// hostile_server.py: mode "http", "garbage", "drip", "close", "reset" or "reset-at-once".
ScriptServer hostileServer(const std::string& mode);
/// starttls_server.py for one protocol ("smtp", ... "xmpp"), serving leaf-server + ec-int;
/// with `record`, it appends what each client said inside TLS, and how it ended, to that file.
ScriptServer startTlsServer(const std::string& protocol, bool refuse = false,
                            const std::filesystem::path& record = {});

/// A chain of `length` certificates, each issued by the next, the last self-signed, all with
/// one EC key: written as leaf.pem, rest.pem (certificates 2..length) and key.pem in `dir`.
struct GeneratedChain {
  std::filesystem::path leaf;
  std::filesystem::path rest;
  std::filesystem::path key;
  std::vector<std::string> ders;  ///< leaf first
};
GeneratedChain generateChain(const std::filesystem::path& dir, int length);

}  // namespace certvigil::testing
