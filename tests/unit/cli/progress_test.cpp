// SPDX-License-Identifier: Apache-2.0
// cli/progress: the progress line of `check` appears only when enabled (a terminal) and worth it
// (many targets, or a slow run), counts finished targets, and erases itself at the end.
#include <doctest/doctest.h>

#include <atomic>
#include <sstream>
#include <thread>

#include "cli/progress.h"

namespace certvigil::cli {
namespace {

using std::chrono::milliseconds;

constexpr ProgressPolicy kFast{
    .many_targets = 8, .slow = milliseconds{30}, .refresh = milliseconds{5}};

// Runs a ProgressLine for `run_for` while `done` counts up to `finished`; returns the output.
std::string showFor(bool enabled, size_t total, size_t finished, milliseconds run_for,
                    ProgressPolicy policy = kFast) {
  std::ostringstream out;
  std::atomic<size_t> done{0};
  {
    ProgressLine line(
        out, enabled, total, [&done] { return done.load(); }, policy);
    done = finished;
    std::this_thread::sleep_for(run_for);
  }
  return out.str();
}

}  // namespace

TEST_CASE("progress: many targets on a terminal show a counting line, erased at the end") {
  const std::string text = showFor(true, 40, 12, milliseconds{60});
  CHECK(text.find("certvigil: checked 12 of 40 targets (0 s)") != std::string::npos);
  CHECK(text.rfind("\r\033[K") == text.size() - 4);  // ends by erasing the line
}

TEST_CASE("progress: nothing when not a terminal") {
  CHECK(showFor(false, 40, 12, milliseconds{60}).empty());
}

TEST_CASE("progress: few targets only once the run is slow") {
  CHECK(showFor(true, 2, 1, milliseconds{10},
                {.many_targets = 8, .slow = milliseconds{1000}, .refresh = milliseconds{5}})
            .empty());
  const std::string slow = showFor(true, 1, 0, milliseconds{200});
  CHECK(slow.find("checked 0 of 1 target (0 s)") != std::string::npos);
}

TEST_CASE("progress: the count never exceeds the total, and stop() is idempotent") {
  std::ostringstream out;
  ProgressLine line(
      out, true, 9, [] { return size_t{50}; }, kFast);
  std::this_thread::sleep_for(milliseconds{30});
  line.stop();
  line.stop();
  CHECK(out.str().find("checked 9 of 9 targets") != std::string::npos);
  CHECK(out.str().find("checked 50") == std::string::npos);
}

}  // namespace certvigil::cli
