// SPDX-License-Identifier: Apache-2.0
// bench/tls/reference_probe: the plain-OpenSSL floor certvigil's TLS sweep is measured against.
// THREADS threads take targets from a shared index; each does a blocking connect and
// SSL_connect with SNI, reads the leaf's notAfter, sends close_notify and closes. Two modes:
//   handshake  SSL_VERIFY_PEER against the bench root, hostname checked, in every handshake
//   once       SSL_VERIFY_NONE in the handshake, then X509_verify_cert (and the hostname check)
//              only for a leaf fingerprint not seen before: what a monitor that collects first
//              and judges second must do at least
// Usage: reference_probe TARGETS ROOT_PEM handshake|once THREADS SERVERNAME
// Prints "key value" lines (bench_common.h) plus verifications.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "bench_common.h"

namespace {

struct Shared {
  std::vector<bench::Target> targets;
  SSL_CTX* ctx = nullptr;
  X509_STORE* store = nullptr;  // the bench root, for "once"
  std::string servername;
  bool verify_in_handshake = true;
  std::atomic<size_t> next{0};
  std::atomic<size_t> ok{0};
  std::atomic<size_t> verifications{0};
  std::atomic<long> checksum{0};  // days to notAfter, summed: keeps the read from being elided
  std::mutex seen_mutex;
  std::set<std::string> seen;  // leaf fingerprints already verified
};

// A connected blocking socket with 3 s send/receive timeouts, or -1.
int connectTo(const bench::Target& target) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  timeval timeout{3, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(target.port));
  inet_pton(AF_INET, target.host.c_str(), &addr.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

std::string fingerprint(X509* cert) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  X509_digest(cert, EVP_sha256(), md, &len);
  return std::string(reinterpret_cast<char*>(md), len);
}

// "once" mode: verifies the presented chain only the first time this leaf is seen.
bool verifyOnce(Shared& shared, SSL* ssl, X509* leaf) {
  {
    std::lock_guard lock(shared.seen_mutex);
    if (!shared.seen.insert(fingerprint(leaf)).second) return true;
  }
  ++shared.verifications;
  X509_STORE_CTX* ctx = X509_STORE_CTX_new();
  X509_STORE_CTX_init(ctx, shared.store, leaf, SSL_get_peer_cert_chain(ssl));
  const bool chain_ok = X509_verify_cert(ctx) == 1;
  X509_STORE_CTX_free(ctx);
  return chain_ok && X509_check_host(leaf, shared.servername.c_str(), 0, 0, nullptr) == 1;
}

// One probe: connect, handshake, read notAfter. True when it got a (verified) leaf.
bool probe(Shared& shared, const bench::Target& target) {
  const int fd = connectTo(target);
  if (fd < 0) return false;
  SSL* ssl = SSL_new(shared.ctx);
  SSL_set_fd(ssl, fd);
  // SSL_set_tlsext_host_name, without the macro's old-style cast.
  SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
           const_cast<char*>(shared.servername.c_str()));
  if (shared.verify_in_handshake) SSL_set1_host(ssl, shared.servername.c_str());
  bool ok = false;
  if (SSL_connect(ssl) == 1) {
    X509* leaf = SSL_get0_peer_certificate(ssl);
    if (leaf != nullptr) {
      int days = 0, secs = 0;
      ASN1_TIME_diff(&days, &secs, nullptr, X509_get0_notAfter(leaf));
      shared.checksum += days;
      ok = shared.verify_in_handshake || verifyOnce(shared, ssl, leaf);
    }
    SSL_shutdown(ssl);  // close_notify, as a polite client sends; no wait for the reply
  }
  ERR_clear_error();
  SSL_free(ssl);
  close(fd);
  return ok;
}

void worker(Shared& shared) {
  for (size_t i = shared.next++; i < shared.targets.size(); i = shared.next++) {
    if (probe(shared, shared.targets[i])) ++shared.ok;
  }
}

X509* readCertificate(const char* path) {
  FILE* f = std::fopen(path, "r");
  if (f == nullptr) return nullptr;
  X509* cert = PEM_read_X509(f, nullptr, nullptr, nullptr);
  (void)std::fclose(f);  // opened for reading: nothing to lose
  return cert;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 6) {
    (void)std::fprintf(stderr,
                       "usage: reference_probe TARGETS ROOT_PEM handshake|once THREADS SNI\n");
    return 2;
  }
  Shared shared;
  shared.targets = bench::readTargets(argv[1]);
  shared.verify_in_handshake = std::strcmp(argv[3], "handshake") == 0;
  shared.servername = argv[5];
  X509* root = readCertificate(argv[2]);
  if (root == nullptr || shared.targets.empty()) return 1;
  shared.store = X509_STORE_new();
  X509_STORE_add_cert(shared.store, root);
  shared.ctx = SSL_CTX_new(TLS_client_method());
  if (shared.verify_in_handshake) {
    X509_STORE_add_cert(SSL_CTX_get_cert_store(shared.ctx), root);
    SSL_CTX_set_verify(shared.ctx, SSL_VERIFY_PEER, nullptr);
  }
  const bench::Stopwatch watch;
  std::vector<std::thread> threads;
  for (int i = 0; i < std::stoi(argv[4]); ++i) threads.emplace_back(worker, std::ref(shared));
  for (auto& t : threads) t.join();
  bench::printFigures(shared.targets.size(), shared.ok, watch);
  std::printf("verifications %zu\nchecksum %ld\n", shared.verifications.load(),
              shared.checksum.load());
  SSL_CTX_free(shared.ctx);
  X509_STORE_free(shared.store);
  X509_free(root);
  return shared.ok == shared.targets.size() ? 0 : 1;
}
