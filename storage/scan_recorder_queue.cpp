// SPDX-License-Identifier: Apache-2.0
// storage/scan_recorder_queue.cpp: the rows a recording batches (new targets, observations and
// findings, with the ids they will get) and their flush, many rows per statement.
#include "storage/scan_recorder.h"

namespace certvigil::storage {

namespace {

// Queued rows are flushed in large batches: a first scan of 10^5 files writes ~1,600 statements
// instead of 2 * 10^5.
constexpr size_t kFlushRows = 8 * BatchInsert::kMaxRows;

}  // namespace

Result<int64_t> ScanRecorder::queueTarget(int64_t unit_row, const Observation& observation) {
  if (pending_.next_target == 0) {
    auto next = repos_.targets.nextId();
    if (!next) return next.error();
    pending_.next_target = *next;
  }
  const int64_t row = pending_.next_target++;
  pending_.targets.push_back({row, unit_row, observation.target, observation.kind, now_});
  if (pending_.targets.size() >= kFlushRows) {
    if (auto status = flushPending(); !status) return status.error();
  }
  return row;
}

Result<int64_t> ScanRecorder::queueObservation(int64_t target_row, int64_t certificate_row,
                                               int position, ResolvedRole role) {
  if (pending_.next_observation == 0) {
    auto next = repos_.observations.nextId();
    if (!next) return next.error();
    pending_.next_observation = *next;
  }
  const int64_t row = pending_.next_observation++;
  pending_.observations.push_back({row, target_row, certificate_row, position, role, now_});
  if (pending_.observations.size() >= kFlushRows) {
    if (auto status = flushPending(); !status) return status.error();
  }
  return row;
}

// `finding` belongs to a result of the scan being recorded: it outlives the queue, which is
// flushed before record() returns.
Result<int64_t> ScanRecorder::queueFinding(int64_t target_row, const Finding& finding) {
  if (pending_.next_finding == 0) {
    auto next = repos_.findings.nextId();
    if (!next) return next.error();
    pending_.next_finding = *next;
  }
  const int64_t row = pending_.next_finding++;
  pending_.findings.push_back({row, target_row, &finding, now_});
  if (pending_.findings.size() >= kFlushRows) {
    if (auto status = flushPending(); !status) return status.error();
  }
  return row;
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
