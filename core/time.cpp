#include "core/time.h"

#include <ctime>

namespace certvigil {

std::string formatRfc3339(TimePoint t) {
  const std::time_t secs = static_cast<std::time_t>(toUnix(t));
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  const size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return std::string(buf, n);
}

TimePoint SystemClock::now() const {
  return std::chrono::time_point_cast<Seconds>(std::chrono::system_clock::now());
}

}  // namespace certvigil
