// SPDX-License-Identifier: Apache-2.0
// core/transitions.h: the alert rules. What a write changed (a finding row before and after,
// the certificate a target presents first before and after) -> the events it stands for.
// Pure but for the ids: `now` and the UUID source are arguments. Storage calls it inside the
// transaction that records a scan (or retires targets) and writes its result there, so no
// scan is recorded without its events; alerts/ delivers them. Pruning history changes no
// finding's state and produces nothing.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "core/alert_event.h"
#include "core/uuid.h"

namespace certvigil {

/// Where a finding or a certificate was seen.
struct EventPlace {
  std::string target;
  std::string unit;
  std::string target_kind;  ///< "file" | "bundle" | "endpoint"
};

/// A finding row as events carry it.
struct FindingRecord {
  int64_t id = 0;
  EventPlace place;
  std::string code;
  std::string severity;
  int position = -1;
  std::string message;
  std::string remedy;
  std::string cause;
  std::optional<TimePoint> first_seen;
  std::optional<TimePoint> resolved_at;  ///< set once it cleared
  CertificateSummary certificate;        ///< fingerprint "" when it concerns none
};

/// One finding row written by a scan. `severity_before`: nullopt when the row is new (the
/// finding appeared), else its severity before the write. `after`: the row as written.
struct FindingChange {
  std::optional<std::string> severity_before;
  FindingRecord after;
};

/// The certificate a target presents first (position 0), before and after a scan.
struct LeafChange {
  EventPlace place;
  CertificateSummary before;
  CertificateSummary after;
  TimePoint since{};  ///< when the new one was first presented
};

using Change = std::variant<FindingChange, LeafChange>;

/// The events `changes` stand for, in order, each created at `now`:
///   a new finding row                          -> Firing
///   an active row whose severity changed       -> SeverityChanged (a message-only change is
///                                                 no transition: nothing)
///   a row that cleared (resolved_at set)       -> Resolved, with the severity it had
///   a leaf replaced by another certificate     -> CertificateChanged (event_kinds.def's text)
std::vector<AlertEvent> transitions(std::span<const Change> changes, TimePoint now,
                                    UuidGenerator& ids);

/// A finding's alert state, for receivers that want it whole: Firing while active, Resolved
/// (with resolved_at) once it cleared. No uid; created_at is `now`.
AlertEvent stateEvent(const FindingRecord& finding, TimePoint now);

/// A Repeat event for `notifier` about an active finding.
AlertEvent repeatEvent(const FindingRecord& finding, const std::string& notifier, TimePoint now,
                       UuidGenerator& ids);

}  // namespace certvigil
