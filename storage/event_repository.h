// SPDX-License-Identifier: Apache-2.0
// storage/event_repository.h: the alert events a scan writes, on the scheduler's connection.
// The recorder notes which finding rows and leaf observations it changed; this repository
// reads those rows back as the alert rules need them (core/transitions.h) and appends the
// resulting events to the outbox, inside the scan's transaction.
#pragma once

#include <span>

#include "core/alert_event.h"
#include "core/result.h"
#include "core/transitions.h"
#include "storage/database.h"

namespace certvigil::storage {

class EventRepository {
 public:
  static Result<EventRepository> create(Database& db);

  /// A finding row with its target, unit and certificate.
  Result<FindingRecord> finding(int64_t row);
  /// Where target `row` is.
  Result<EventPlace> place(int64_t target_row);
  /// The stored facts of certificate `row`.
  Result<CertificateSummary> certificate(int64_t row);
  /// Appends `events` to the outbox, in order.
  Status append(std::span<const AlertEvent> events);

 private:
  EventRepository() = default;

  Statement insert_;
  Statement finding_;
  Statement place_;
  Statement certificate_;
};

}  // namespace certvigil::storage
