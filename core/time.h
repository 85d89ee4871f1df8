// core/time.h: one time type for the whole model (whole seconds since the Unix epoch, UTC), an
// injectable clock, and RFC 3339 formatting.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace certvigil {

using TimePoint = std::chrono::sys_seconds;
using Seconds = std::chrono::seconds;

/// Seconds since the epoch, for storage and metrics.
inline int64_t toUnix(TimePoint t) { return t.time_since_epoch().count(); }
inline TimePoint fromUnix(int64_t s) { return TimePoint{Seconds{s}}; }

/// "2026-11-22T14:41:39Z".
std::string formatRfc3339(TimePoint t);

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
