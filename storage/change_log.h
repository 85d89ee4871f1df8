// SPDX-License-Identifier: Apache-2.0
// storage/change_log.h: what a recording wrote that the alert rules care about: every finding
// row inserted, updated or resolved, and every leaf (position 0) that another certificate
// replaced, in write order. At the end of the recording, inside its transaction, the rows are
// read back as the rules need them, core's transitions() turns them into events, and the
// events are appended to the outbox: no scan without its events, no event without its scan.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/finding.h"
#include "core/result.h"
#include "core/uuid.h"
#include "storage/event_repository.h"

namespace certvigil::storage {

class ChangeLog {
 public:
  /// Finding `row` was written: inserted (`before` nullopt), or updated / resolved while it had
  /// severity `before`.
  void noteFinding(int64_t row, std::optional<Severity> before);
  /// Target `target_row` now presents certificate `after_row` first instead of `before_row`.
  void noteLeaf(int64_t target_row, int64_t before_row, int64_t after_row);
  /// Turns what was noted into events created at `now`, appends them, and forgets the notes.
  Status writeEvents(EventRepository& events, TimePoint now, UuidGenerator& ids);

 private:
  struct Note {
    int64_t row = 0;  ///< the finding, or the target of a leaf change
    std::optional<Severity> before;
    int64_t before_certificate = 0;  ///< leaf changes only (non-zero)
    int64_t after_certificate = 0;
  };
  Result<Change> read(EventRepository& events, const Note& note, TimePoint now) const;

  std::vector<Note> notes_;
};

}  // namespace certvigil::storage
