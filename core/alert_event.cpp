// SPDX-License-Identifier: Apache-2.0
#include "core/alert_event.h"

#include <array>

namespace certvigil {
namespace {

struct KindRow {
  EventKind kind;
  std::string_view stored, transition, code, severity, message, remedy;
};

constexpr std::array kKinds{
#define CERTVIGIL_EVENT_KIND(name, stored, transition, code, severity, message, remedy) \
  KindRow{EventKind::name, stored, transition, code, severity, message, remedy},
#include "core/event_kinds.def"
#undef CERTVIGIL_EVENT_KIND
};

const KindRow& rowOf(EventKind kind) { return kKinds[static_cast<size_t>(kind)]; }

}  // namespace

std::string_view toString(EventKind kind) { return rowOf(kind).stored; }

std::optional<EventKind> eventKindFromString(std::string_view text) {
  for (const auto& row : kKinds) {
    if (row.stored == text) return row.kind;
  }
  return std::nullopt;
}

std::string_view transitionName(EventKind kind) { return rowOf(kind).transition; }
std::string_view eventCode(EventKind kind) { return rowOf(kind).code; }
std::string_view eventSeverity(EventKind kind) { return rowOf(kind).severity; }
std::string_view eventMessageTemplate(EventKind kind) { return rowOf(kind).message; }
std::string_view eventRemedy(EventKind kind) { return rowOf(kind).remedy; }

}  // namespace certvigil
