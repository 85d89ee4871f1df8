// SPDX-License-Identifier: Apache-2.0
// alerts/status_view.h: the daemon's StatusProvider plus the dispatcher's per-notifier figures,
// so /metrics shows certvigil_notifications_total and the outbox gauges without the exporters
// knowing about alerts. Thread-safe as both sources are.
#pragma once

#include "alerts/dispatcher.h"
#include "exporters/prometheus/daemon_status.h"

namespace certvigil::alerts {

class StatusWithNotifiers final : public exporters::StatusProvider {
 public:
  StatusWithNotifiers(const exporters::StatusProvider& base, const Dispatcher& dispatcher,
                      const Clock& clock)
      : base_(base), dispatcher_(dispatcher), clock_(clock) {}

  exporters::DaemonStatus status() const override {
    exporters::DaemonStatus status = base_.status();
    const TimePoint now = clock_.now();
    for (const NotifierStats& s : dispatcher_.stats()) {
      exporters::NotifierStatus n;
      n.name = s.name;
      n.delivered = s.counters.delivered;
      n.retried = s.counters.retried;
      n.rejected = s.counters.rejected;
      n.dropped = s.counters.dropped;
      n.filtered = s.counters.filtered;
      n.pending = s.pending;
      if (s.pending > 0 && s.oldest_pending && *s.oldest_pending < now) {
        n.oldest_pending_age_seconds = static_cast<double>((now - *s.oldest_pending).count());
      }
      status.notifiers.push_back(std::move(n));
      // The outbox is the database too: its failures count with the scans' and degrade.
      status.storage_errors_total += s.outbox_errors;
      if (!s.failing.empty()) {
        status.degraded.push_back("notifier " + s.name + ": outbox: " + s.failing);
      }
    }
    return status;
  }

 private:
  const exporters::StatusProvider& base_;
  const Dispatcher& dispatcher_;
  const Clock& clock_;
};

}  // namespace certvigil::alerts
