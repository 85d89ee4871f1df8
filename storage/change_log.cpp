// SPDX-License-Identifier: Apache-2.0
#include "storage/change_log.h"

#include <string>
#include <utility>

#include "core/transitions.h"

namespace certvigil::storage {

void ChangeLog::noteFinding(int64_t row, std::optional<Severity> before) {
  notes_.push_back(Note{row, before, 0, 0});
}

void ChangeLog::noteLeaf(int64_t target_row, int64_t before_row, int64_t after_row) {
  notes_.push_back(Note{target_row, std::nullopt, before_row, after_row});
}

Result<Change> ChangeLog::read(EventRepository& events, const Note& note, TimePoint now) const {
  if (note.before_certificate == 0) {
    auto after = events.finding(note.row);
    if (!after) return after.error();
    std::optional<std::string> before;
    if (note.before) before = std::string(toString(*note.before));
    return Change{FindingChange{std::move(before), std::move(*after)}};
  }
  auto place = events.place(note.row);
  if (!place) return place.error();
  auto before = events.certificate(note.before_certificate);
  if (!before) return before.error();
  auto after = events.certificate(note.after_certificate);
  if (!after) return after.error();
  return Change{LeafChange{std::move(*place), std::move(*before), std::move(*after), now}};
}

Status ChangeLog::writeEvents(EventRepository& events, TimePoint now, UuidGenerator& ids) {
  if (notes_.empty()) return Ok{};  // an unchanged rescan reads and writes nothing here
  std::vector<Change> changes;
  changes.reserve(notes_.size());
  for (const Note& note : notes_) {
    auto change = read(events, note, now);
    if (!change) return change.error();
    changes.push_back(std::move(*change));
  }
  notes_.clear();
  return events.append(transitions(changes, now, ids));
}

}  // namespace certvigil::storage
