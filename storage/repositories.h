// SPDX-License-Identifier: Apache-2.0
// storage/repositories.h: the repositories of one connection, prepared together, and the
// loading of the in-memory state from them.
#pragma once

#include "core/result.h"
#include "storage/certificate_repository.h"
#include "storage/database.h"
#include "storage/endpoint_repository.h"
#include "storage/event_repository.h"
#include "storage/finding_repository.h"
#include "storage/observation_repository.h"
#include "storage/scan_repository.h"
#include "storage/state_cache.h"
#include "storage/target_repository.h"
#include "storage/unit_repository.h"

namespace certvigil::storage {

struct Repositories {
  UnitRepository units;
  CertificateRepository certificates;
  TargetRepository targets;
  ObservationRepository observations;
  FindingRepository findings;
  ScanRepository scans;
  EndpointRepository endpoints;
  EventRepository events;
  Database* db = nullptr;  ///< the connection they were prepared on

  /// Rows inserted, updated or deleted on the connection so far (how a recording tells whether
  /// it changed anything).
  int64_t rowsWritten() const { return db->totalChanges(); }

  /// After a write transaction: the batch inserts' large statements are prepared again by the
  /// next recording that needs them (storage/batch_insert.h).
  void releaseBatchStatements() {
    targets.releaseBatchStatements();
    observations.releaseBatchStatements();
    findings.releaseBatchStatements();
  }

  /// Prepares every statement; `db` must outlive the result.
  static Result<Repositories> create(Database& db);
  /// Replaces `cache` with the current state in the database.
  Status load(StateCache& cache);
};

}  // namespace certvigil::storage
