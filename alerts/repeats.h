// SPDX-License-Identifier: Apache-2.0
// alerts/repeats.h: the repeat policy. A finding still active `repeat_interval` after the last
// event about it meant for a notifier is announced to that notifier again (kind Repeat), if it
// passes the notifier's filters. A finding active before any event (a database upgraded from
// before the outbox, or a notifier added later) is announced at the first check.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "alerts/event.h"
#include "core/result.h"
#include "core/uuid.h"
#include "storage/outbox_repository.h"

namespace certvigil::alerts {

/// The repeat events due at `now` for `notifier`, among the active findings `candidates`.
std::vector<AlertEvent> repeatsDue(std::span<const storage::RepeatCandidate> candidates,
                                   const std::string& notifier, const EventFilter& filter,
                                   Seconds interval, TimePoint now, UuidGenerator& ids);

/// Appends the repeats due at `now` to the outbox (one transaction); returns how many.
Result<size_t> enqueueRepeats(storage::Outbox& outbox, const std::string& notifier,
                              const EventFilter& filter, Seconds interval, TimePoint now);

}  // namespace certvigil::alerts
