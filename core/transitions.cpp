// SPDX-License-Identifier: Apache-2.0
#include "core/transitions.h"

#include <utility>

namespace certvigil {
namespace {

AlertEvent eventAbout(EventKind kind, const FindingRecord& f, TimePoint now) {
  AlertEvent e;
  e.created_at = now;
  e.kind = kind;
  e.finding_id = f.id;
  e.target = f.place.target;
  e.unit = f.place.unit;
  e.target_kind = f.place.target_kind;
  e.code = f.code;
  e.severity = f.severity;
  e.fingerprint = f.certificate.fingerprint;
  e.position = f.position;
  e.message = f.message;
  e.remedy = f.remedy;
  e.cause = f.cause;
  e.first_seen = f.first_seen;
  e.subject = f.certificate.subject;
  e.issuer = f.certificate.issuer;
  e.serial = f.certificate.serial;
  e.not_after = f.certificate.not_after;
  return e;
}

AlertEvent eventAbout(EventKind kind, const FindingRecord& f, TimePoint now, UuidGenerator& ids) {
  AlertEvent e = eventAbout(kind, f, now);
  e.uid = ids.next();
  return e;
}

std::optional<EventKind> findingTransition(const FindingChange& change) {
  if (!change.severity_before)
    return change.after.resolved_at ? std::nullopt : std::optional(EventKind::Firing);
  if (change.after.resolved_at) return EventKind::Resolved;
  if (*change.severity_before != change.after.severity) return EventKind::SeverityChanged;
  return std::nullopt;  // only the wording changed
}

std::string describe(const CertificateSummary& c) {
  const std::string not_after = c.not_after ? formatRfc3339(*c.not_after) : std::string("?");
  return c.subject + " (serial " + c.serial + ", not after " + not_after + ")";
}

std::string fill(std::string_view text, std::string_view placeholder, const std::string& value) {
  std::string out(text);
  if (auto at = out.find(placeholder); at != std::string::npos) {
    out.replace(at, placeholder.size(), value);
  }
  return out;
}

AlertEvent leafEvent(const LeafChange& change, TimePoint now, UuidGenerator& ids) {
  constexpr EventKind kind = EventKind::CertificateChanged;
  AlertEvent e;
  e.uid = ids.next();
  e.created_at = now;
  e.kind = kind;
  e.target = change.place.target;
  e.unit = change.place.unit;
  e.target_kind = change.place.target_kind;
  e.code = eventCode(kind);
  e.severity = eventSeverity(kind);
  e.fingerprint = change.after.fingerprint;
  e.previous_fingerprint = change.before.fingerprint;
  e.position = 0;
  e.message = fill(fill(eventMessageTemplate(kind), "{current}", describe(change.after)),
                   "{previous}", describe(change.before));
  e.remedy = eventRemedy(kind);
  e.first_seen = change.since;
  e.subject = change.after.subject;
  e.issuer = change.after.issuer;
  e.serial = change.after.serial;
  e.not_after = change.after.not_after;
  return e;
}

}  // namespace

std::vector<AlertEvent> transitions(std::span<const Change> changes, TimePoint now,
                                    UuidGenerator& ids) {
  std::vector<AlertEvent> events;
  for (const Change& change : changes) {
    if (const auto* leaf = std::get_if<LeafChange>(&change)) {
      if (leaf->before.fingerprint != leaf->after.fingerprint) {
        events.push_back(leafEvent(*leaf, now, ids));
      }
      continue;
    }
    const auto& finding = std::get<FindingChange>(change);
    const std::optional<EventKind> kind = findingTransition(finding);
    if (!kind) continue;
    AlertEvent e = eventAbout(*kind, finding.after, now, ids);
    if (*kind == EventKind::SeverityChanged) e.previous_severity = *finding.severity_before;
    if (*kind == EventKind::Resolved) e.resolved_at = finding.after.resolved_at;
    events.push_back(std::move(e));
  }
  return events;
}

AlertEvent stateEvent(const FindingRecord& finding, TimePoint now) {
  AlertEvent e =
      eventAbout(finding.resolved_at ? EventKind::Resolved : EventKind::Firing, finding, now);
  e.resolved_at = finding.resolved_at;
  return e;
}

AlertEvent repeatEvent(const FindingRecord& finding, const std::string& notifier, TimePoint now,
                       UuidGenerator& ids) {
  AlertEvent e = eventAbout(EventKind::Repeat, finding, now, ids);
  e.notifier = notifier;
  return e;
}

}  // namespace certvigil
