// SPDX-License-Identifier: Apache-2.0
// alerts/event.h: an alert event as notifiers see it (core/alert_event.h, read from the outbox)
// and the wording shared by every notifier: the Alertmanager alertname of each code, a one-line
// summary, days left; and a notifier's filters.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/alert_event.h"

namespace certvigil::alerts {

using certvigil::AlertEvent;
using certvigil::EventKind;
using certvigil::transitionName;

/// A notifier's filters (config `severities`, `codes`); empty lists let everything through.
struct EventFilter {
  std::vector<std::string> severities;
  std::vector<std::string> codes;

  bool matches(std::string_view severity, std::string_view code) const;
  bool matches(const AlertEvent& event) const { return matches(event.severity, event.code); }
};

/// The alertname of a code ("expires_soon" -> "CertificateExpiringSoon"); every finding code
/// and "certificate_changed" has one (docs/ALERTS.md lists them). "CertvigilFinding" for a code
/// this build does not know.
std::string_view alertName(std::string_view code);
/// Every code that has an alertname, in table order.
std::vector<std::string_view> alertNameCodes();

/// Whole days from the event's creation to the certificate's notAfter (negative once expired);
/// nullopt when the event concerns no certificate.
std::optional<long> daysLeft(const AlertEvent& event);

/// One line for a person: "RESOLVED critical expired at /etc/ssl/a.pem: <message>".
std::string summaryLine(const AlertEvent& event);

}  // namespace certvigil::alerts
