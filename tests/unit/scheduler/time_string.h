// SPDX-License-Identifier: Apache-2.0
// tests/unit/scheduler/time_string.h: doctest prints TimePoints as RFC 3339 in failures.
#pragma once

#include <doctest/doctest.h>

#include "core/time.h"

namespace doctest {
template <>
struct StringMaker<certvigil::TimePoint> {
  static String convert(const certvigil::TimePoint& t) {
    return certvigil::formatRfc3339(t).c_str();
  }
};
}  // namespace doctest
