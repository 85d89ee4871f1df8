// SPDX-License-Identifier: Apache-2.0
// cli/progress.h: "checked 12 of 40 targets (3 s)" on standard error while `certvigil check`
// runs, for a person watching a terminal. Only on a terminal (never in pipes, logs or Nagios
// output) and only when there is something to wait for: many targets, or a run that takes more
// than a moment. The line is rewritten in place and erased at the end, so the report that
// follows on stdout stays clean.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <ostream>
#include <thread>

namespace certvigil::cli {

/// When a progress line is worth showing.
struct ProgressPolicy {
  size_t many_targets = 8;                 ///< from this many targets, show at once
  std::chrono::milliseconds slow{1000};    ///< otherwise once the run takes this long
  std::chrono::milliseconds refresh{200};  ///< how often the line is rewritten
};

/// Whether standard error is a terminal that can rewrite a line (TERM is not "dumb").
bool progressWanted();

/// Shows progress from a background thread until stop() or destruction.
class ProgressLine {
 public:
  /// `done` reports how many of `total` targets are finished; it is called from the
  /// progress thread and must be thread-safe. Nothing is shown when `enabled` is false.
  ProgressLine(std::ostream& out, bool enabled, size_t total, std::function<size_t()> done,
               ProgressPolicy policy = {});
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  /// Stops the thread and erases the line (idempotent).
  void stop();

 private:
  void run();
  void draw(std::chrono::steady_clock::duration elapsed);

  std::ostream& out_;
  size_t total_;
  std::function<size_t()> done_;
  ProgressPolicy policy_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool drawn_ = false;
  std::thread thread_;
};

}  // namespace certvigil::cli
