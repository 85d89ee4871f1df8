// SPDX-License-Identifier: Apache-2.0
// core/time.h: one time type for the whole model (whole seconds since the Unix epoch, UTC), an
// injectable clock, and RFC 3339 formatting.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace certvigil {

using TimePoint = std::chrono::sys_seconds;
using Seconds = std::chrono::seconds;

/// Seconds since the epoch, for storage and metrics.
inline int64_t toUnix(TimePoint t) { return t.time_since_epoch().count(); }
inline TimePoint fromUnix(int64_t s) { return TimePoint{Seconds{s}}; }

/// "2026-11-22T14:41:39Z".
std::string formatRfc3339(TimePoint t);

/// An RFC 3339 date-time ("2027-01-01T00:00:00Z", "2027-01-01T09:30:00+02:00", fractions of a
/// second dropped) or a full date ("2027-01-01", midnight UTC); nullopt for anything else.
std::optional<TimePoint> parseRfc3339(std::string_view text);

/// The only source of "now" outside tests; checks take `now` as an argument instead.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
};

/// The wall clock.
class SystemClock final : public Clock {
 public:
  TimePoint now() const override;
};

/// A clock that always says the same instant: `check --at` judges as of another instant.
class FixedClock final : public Clock {
 public:
  explicit FixedClock(TimePoint t) : now_(t) {}
  TimePoint now() const override { return now_; }

 private:
  TimePoint now_;
};

/// A clock tests set by hand.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimePoint t) : now_(t) {}
  TimePoint now() const override { return now_; }
  void set(TimePoint t) { now_ = t; }
  void advance(Seconds d) { now_ += d; }

 private:
  TimePoint now_;
};

}  // namespace certvigil
