// SPDX-License-Identifier: Apache-2.0
// exporters/http/web_config_source.h: the listener's live web configuration (config/web_config.h
// turned into OpenSSL material and basic-auth users). Like exporter-toolkit, which re-reads its
// file on every request and connection, it looks at the web-config file and the certificate, key
// and client-CA files it names on every request and connection (a stat() each) and loads them
// again when one changed, so a renewed certificate is served from the next connection on,
// without a restart. A change that does not load (a key that does not match yet, a typo) keeps
// the last good configuration, is logged once and reported by problem(). Whether the listener
// speaks TLS at all is fixed when it starts.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "config/web_config.h"
#include "core/result.h"
#include "exporters/http/basic_auth.h"

namespace certvigil::exporters {

class TlsMaterial;

/// Produces the web configuration to use (re-reading its file); set by the daemon.
using WebConfigLoader = std::function<config::WebConfigOutcome()>;

/// One loaded web configuration.
struct WebState {
  config::WebConfig config;
  std::shared_ptr<const TlsMaterial> tls;       ///< null when TLS is off
  std::shared_ptr<const BasicAuthUsers> users;  ///< no hashes: no basic auth
};

/// The current WebState, reloaded when its files change. Thread-safe.
class WebConfigSource {
 public:
  /// Loads once; initialStatus() says whether that worked.
  explicit WebConfigSource(WebConfigLoader loader);
  ~WebConfigSource();

  /// The result of the first load (the listener refuses to start on an error).
  const Status& initialStatus() const { return initial_; }
  /// Whether the listener speaks TLS (decided by the first load).
  bool tlsEnabled() const { return tls_enabled_; }
  /// The configuration to apply now; reloads first when a file changed. Null only when the
  /// first load failed.
  std::shared_ptr<const WebState> current();
  /// Replaces the loader (a reloaded main config) and loads at once. An error keeps the
  /// running web configuration and is returned.
  Status reset(WebConfigLoader loader);
  /// Why the last change was refused, or "" when the files in force are the ones on disk.
  std::string problem() const;
  /// Checks basic auth for a request; true when the web config has no users.
  bool authorize(const WebState& state, const std::string& authorization);

 private:
  struct Stamp {
    std::filesystem::path path;
    dev_t device = 0;
    ino_t inode = 0;
    off_t size = -1;
    long long mtime_ns = 0;
    long long ctime_ns = 0;
    bool operator==(const Stamp&) const = default;
  };
  static std::vector<Stamp> stampsOf(const config::WebConfig& config);
  static Stamp stampOf(const std::filesystem::path& path);
  Result<std::shared_ptr<const WebState>> load(std::vector<Stamp>& stamps) const;
  bool changed() const;
  Status reloadLocked();

  WebConfigLoader loader_;
  Status initial_{Ok{}};
  bool tls_enabled_ = false;
  mutable std::mutex mutex_;
  std::shared_ptr<const WebState> state_;
  std::vector<Stamp> stamps_;  ///< of the files behind state_ (or of the last refused attempt)
  std::string problem_;
  BasicAuthenticator authenticator_;
};

/// A loader for the `tls:` short form alone (tests and embedders without a web-config file).
WebConfigLoader shortFormLoader(const config::WebTlsConfig& tls);

}  // namespace certvigil::exporters
