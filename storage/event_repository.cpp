// SPDX-License-Identifier: Apache-2.0
#include "storage/event_repository.h"

#include <string>

#include "storage/event_sql.h"

namespace certvigil::storage {
namespace {

constexpr std::string_view kPlace =
    "SELECT t.name, u.name, t.kind FROM targets t JOIN units u ON u.id = t.unit_id"
    " WHERE t.id = ?1";

constexpr std::string_view kCertificate =
    "SELECT fingerprint, subject, issuer, serial, not_after FROM certificates WHERE id = ?1";

Status missing(std::string_view what, int64_t row) {
  return makeError(ErrorCode::Database, std::string(what) + " row missing", std::to_string(row));
}

}  // namespace

Result<EventRepository> EventRepository::create(Database& db) {
  EventRepository repo;
  const std::string finding = std::string(kSelectFindingRecordsSql) + " WHERE f.id = ?1";
  auto status = prepareAll(db, {{&repo.insert_, kInsertEventSql},
                                {&repo.finding_, finding},
                                {&repo.place_, kPlace},
                                {&repo.certificate_, kCertificate}});
  if (!status) return status.error();
  return repo;
}

Result<FindingRecord> EventRepository::finding(int64_t row) {
  ScopedReset reset(finding_);
  auto found = finding_.bind(1, row).step();
  if (!found) return found.error();
  if (!*found) return missing("finding", row).error();
  return readFindingRecord(finding_);
}

Result<EventPlace> EventRepository::place(int64_t target_row) {
  ScopedReset reset(place_);
  auto found = place_.bind(1, target_row).step();
  if (!found) return found.error();
  if (!*found) return missing("target", target_row).error();
  return EventPlace{place_.columnString(0), place_.columnString(1), place_.columnString(2)};
}

Result<CertificateSummary> EventRepository::certificate(int64_t row) {
  ScopedReset reset(certificate_);
  auto found = certificate_.bind(1, row).step();
  if (!found) return found.error();
  if (!*found) return missing("certificate", row).error();
  return CertificateSummary{certificate_.columnString(0), certificate_.columnString(1),
                            certificate_.columnString(2), certificate_.columnString(3),
                            optionalTime(certificate_, 4)};
}

Status EventRepository::append(std::span<const AlertEvent> events) {
  for (const AlertEvent& event : events) {
    bindEvent(insert_, event);
    if (auto status = insert_.run(); !status) return status;
  }
  return Ok{};
}

}  // namespace certvigil::storage
