// exporters/prometheus/daemon_status.h: what the daemon tells exporters about itself besides the
// snapshot: versions for certvigil_build_info, the outcome of the last configuration (re)load,
// and readiness for /healthz. Exporters ask through StatusProvider at scrape time, so they never
// hold daemon state of their own.
#pragma once

#include <string>

#include "core/time.h"

namespace certvigil::exporters {

/// The daemon's self-description at one moment.
struct DaemonStatus {
  std::string version;           ///< certvigil version, e.g. "0.1.0"
  std::string openssl_version;   ///< OpenSSL_version(OPENSSL_VERSION), e.g. "OpenSSL 3.0.11 ..."
  bool config_reload_ok = true;  ///< the last (re)load succeeded; a failed one keeps the old config
  TimePoint
      config_reload_at{};  ///< last successful (re)load; the epoch means unknown (not exported)
  bool ready = false;      ///< config valid, database open, listener bound, first scan done
};

/// Where exporters read the DaemonStatus from. Must be thread-safe: HTTP workers call it.
class StatusProvider {
 public:
  virtual ~StatusProvider() = default;
  virtual DaemonStatus status() const = 0;
};

}  // namespace certvigil::exporters
