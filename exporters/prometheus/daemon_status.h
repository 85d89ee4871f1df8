// SPDX-License-Identifier: Apache-2.0
// exporters/prometheus/daemon_status.h: what the daemon tells exporters about itself besides the
// snapshot: versions for certvigil_build_info, the outcome of the last configuration (re)load,
// and readiness for /healthz. Exporters ask through StatusProvider at scrape time, so they never
// hold daemon state of their own.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/time.h"

namespace certvigil::exporters {

/// One notifier's delivery figures (alerts/), for certvigil_notifications_total and the
/// outbox gauges.
struct NotifierStatus {
  std::string name;
  uint64_t delivered = 0;                 ///< events the receiver accepted
  uint64_t retried = 0;                   ///< events in attempts that failed and will be retried
  uint64_t rejected = 0;                  ///< events refused for good (4xx)
  uint64_t dropped = 0;                   ///< events given up after max_age
  uint64_t filtered = 0;                  ///< events the notifier's filters left out
  size_t pending = 0;                     ///< events not yet handled
  double oldest_pending_age_seconds = 0;  ///< 0 when nothing is pending
};

/// The daemon's self-description at one moment.
struct DaemonStatus {
  std::string version;           ///< certvigil version, e.g. "0.1.0"
  std::string openssl_version;   ///< OpenSSL_version(OPENSSL_VERSION), e.g. "OpenSSL 3.0.11 ..."
  bool config_reload_ok = true;  ///< the last (re)load succeeded; a failed one keeps the old config
  TimePoint
      config_reload_at{};  ///< last successful (re)load; the epoch means unknown (not exported)
  bool ready = false;      ///< config valid, database open, listener bound, first scan done
  std::vector<NotifierStatus> notifiers{};  ///< one per configured notifier
  uint64_t storage_errors_total = 0;        ///< failed database writes since start
  /// Why the daemon is degraded (a failing database, a refused reload); empty: it is not.
  std::vector<std::string> degraded{};
};

/// Where exporters read the DaemonStatus from. Must be thread-safe: HTTP workers call it.
class StatusProvider {
 public:
  virtual ~StatusProvider() = default;
  virtual DaemonStatus status() const = 0;
};

}  // namespace certvigil::exporters
