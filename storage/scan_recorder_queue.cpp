// SPDX-License-Identifier: Apache-2.0
// storage/scan_recorder_queue.cpp: the rows a recording batches (new targets, observations and
// findings, with the ids they will get) and their flush, many rows per statement.
#include "storage/scan_recorder.h"

#include <string>

namespace certvigil::storage {

namespace {

// Queued rows are flushed in large batches: a first scan of 10^5 files writes ~1,600 statements
// instead of 2 * 10^5.
constexpr size_t kFlushRows = 8 * BatchInsert::kMaxRows;

// The id the next queued row of `table` gets: one past the table's largest (what SQLite would
// choose), asked once per recording (`next` 0), then counted on.
Result<int64_t> takeId(int64_t& next, Database& db, const char* table) {
  if (next == 0) {
    auto first = db.queryInt(std::string("SELECT coalesce(max(id), 0) + 1 FROM ") + table);
    if (!first) return first.error();
    next = *first;
  }
  return next++;
}

}  // namespace

// `row`, once the queue it joined is flushed if that made it full.
Result<int64_t> ScanRecorder::queued(size_t queue_size, int64_t row) {
  if (queue_size >= kFlushRows) {
    if (auto status = flushPending(); !status) return status.error();
  }
  return row;
}

Result<int64_t> ScanRecorder::queueTarget(int64_t unit_row, const Observation& observation) {
  auto row = takeId(pending_.next_target, *repos_.db, "targets");
  if (!row) return row;
  pending_.targets.push_back({*row, unit_row, observation.target, observation.kind, now_});
  return queued(pending_.targets.size(), *row);
}

Result<int64_t> ScanRecorder::queueObservation(int64_t target_row, int64_t certificate_row,
                                               int position, ResolvedRole role) {
  auto row = takeId(pending_.next_observation, *repos_.db, "observations");
  if (!row) return row;
  pending_.observations.push_back({*row, target_row, certificate_row, position, role, now_});
  return queued(pending_.observations.size(), *row);
}

// `finding` belongs to a result of the scan being recorded: it outlives the queue, which is
// flushed before record() returns.
Result<int64_t> ScanRecorder::queueFinding(int64_t target_row, const Finding& finding) {
  auto row = takeId(pending_.next_finding, *repos_.db, "findings");
  if (!row) return row;
  pending_.findings.push_back({*row, target_row, &finding, now_});
  return queued(pending_.findings.size(), *row);
}

// Targets first: the observations and findings refer to them.
Status ScanRecorder::flushPending() {
  if (!pending_.targets.empty()) {
    if (auto status = repos_.targets.insertMany(pending_.targets); !status) return status;
    pending_.targets.clear();
  }
  if (!pending_.observations.empty()) {
    if (auto status = repos_.observations.insertMany(pending_.observations); !status) {
      return status;
    }
    pending_.observations.clear();
  }
  if (!pending_.findings.empty()) {
    if (auto status = repos_.findings.insertMany(pending_.findings); !status) return status;
    pending_.findings.clear();
  }
  return Ok{};
}

}  // namespace certvigil::storage
