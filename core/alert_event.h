// SPDX-License-Identifier: Apache-2.0
// core/alert_event.h: an alert event: a transition of a finding (it appeared, changed
// severity, cleared), a reminder about a finding still active, or a change of the certificate
// a target presents first. Storage writes and reads them (the outbox), alerts/ delivers them.
// The kinds and the wording of events that are not findings are in event_kinds.def.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/time.h"

namespace certvigil {

/// What happened. Repeat: a still-active finding re-notified after repeat_interval.
enum class EventKind {
#define CERTVIGIL_EVENT_KIND(name, stored, transition, code, severity, message, remedy) name,
#include "core/event_kinds.def"
#undef CERTVIGIL_EVENT_KIND
};

/// The stored name: "firing" | "severity_changed" | "resolved" | "repeat" |
/// "certificate_changed".
std::string_view toString(EventKind kind);
std::optional<EventKind> eventKindFromString(std::string_view text);
/// What receivers see: "new" for Firing, else the stored name.
std::string_view transitionName(EventKind kind);
/// The finding code, severity, message template and remedy of a kind that is not about a
/// finding ("" for the others, whose events carry their finding's).
std::string_view eventCode(EventKind kind);
std::string_view eventSeverity(EventKind kind);
std::string_view eventMessageTemplate(EventKind kind);
std::string_view eventRemedy(EventKind kind);

/// The facts of the certificate an event concerns.
struct CertificateSummary {
  std::string fingerprint;  ///< lowercase hex SHA-256, "" when none
  std::string subject;
  std::string issuer;
  std::string serial;
  std::optional<TimePoint> not_after;
};

/// One event: immutable once written. `id` is the outbox's delivery order (0 before it is
/// written).
struct AlertEvent {
  int64_t id = 0;
  std::string uid;  ///< stable id (UUID v4) receivers deduplicate on
  TimePoint created_at{};
  EventKind kind = EventKind::Firing;
  std::string notifier;    ///< "" for every notifier (repeats are for one)
  int64_t finding_id = 0;  ///< the finding row it is about, 0 for none
  std::string target;
  std::string unit;
  std::string target_kind;           ///< "file" | "bundle" | "endpoint"
  std::string code;                  ///< a finding code, or "certificate_changed"
  std::string severity;              ///< for Resolved: the severity it had
  std::string previous_severity;     ///< SeverityChanged only
  std::string fingerprint;           ///< SHA-256 of the certificate concerned, "" if none
  std::string previous_fingerprint;  ///< CertificateChanged only
  int position = -1;
  std::string message;
  std::string remedy;
  std::string cause;
  std::optional<TimePoint> first_seen;   ///< when the finding became active
  std::optional<TimePoint> resolved_at;  ///< Resolved only
  std::string subject;                   ///< the certificate, when there is one
  std::string issuer;
  std::string serial;
  std::optional<TimePoint> not_after;

  /// Every kind but Resolved announces something active.
  bool firing() const { return kind != EventKind::Resolved; }
};

}  // namespace certvigil
