// alerts/event.h: an alert event as notifiers see it (the outbox row, see
// storage/outbox_repository.h) and the wording shared by every notifier: the Alertmanager
// alertname of each code, a one-line summary, days left.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/outbox_repository.h"

namespace certvigil::alerts {

using AlertEvent = storage::OutboxEvent;
using storage::EventKind;

/// The alertname of a code ("expires_soon" -> "CertificateExpiringSoon"); every finding code
/// and "certificate_changed" has one (docs/ALERTS.md lists them). "CertvigilFinding" for a code
/// this build does not know.
std::string_view alertName(std::string_view code);
/// Every code that has an alertname, in table order.
std::vector<std::string_view> alertNameCodes();

/// Whole days from the event's creation to the certificate's notAfter (negative once expired);
/// nullopt when the event concerns no certificate.
std::optional<long> daysLeft(const AlertEvent& event);

/// "new" | "severity_changed" | "repeat" | "resolved" | "certificate_changed".
std::string_view transitionName(EventKind kind);

/// One line for a person: "RESOLVED critical expired at /etc/ssl/a.pem: <message>".
std::string summaryLine(const AlertEvent& event);

}  // namespace certvigil::alerts
