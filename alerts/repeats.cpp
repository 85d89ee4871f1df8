// SPDX-License-Identifier: Apache-2.0
#include "alerts/repeats.h"

#include "core/transitions.h"

namespace certvigil::alerts {

std::vector<AlertEvent> repeatsDue(std::span<const storage::RepeatCandidate> candidates,
                                   const std::string& notifier, const EventFilter& filter,
                                   Seconds interval, TimePoint now, UuidGenerator& ids) {
  std::vector<AlertEvent> due;
  for (const auto& [finding, last_event] : candidates) {
    if (!filter.matches(finding.severity, finding.code)) continue;
    if (last_event && *last_event > now - interval) continue;  // mentioned recently enough
    due.push_back(repeatEvent(finding, notifier, now, ids));
  }
  return due;
}

Result<size_t> enqueueRepeats(storage::Outbox& outbox, const std::string& notifier,
                              const EventFilter& filter, Seconds interval, TimePoint now) {
  thread_local UuidGenerator ids;  // the dispatcher's thread, or a test's
  return outbox.appendRepeats(notifier, [&](std::span<const storage::RepeatCandidate> found) {
    return repeatsDue(found, notifier, filter, interval, now, ids);
  });
}

}  // namespace certvigil::alerts
