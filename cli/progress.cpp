// SPDX-License-Identifier: Apache-2.0
#include "cli/progress.h"

#include <unistd.h>
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>

namespace certvigil::cli {

bool progressWanted() {
  if (::isatty(STDERR_FILENO) != 1) return false;
  const char* term = std::getenv("TERM");
  return term == nullptr || std::strcmp(term, "dumb") != 0;
}

ProgressLine::ProgressLine(std::ostream& out, bool enabled, size_t total,
                           std::function<size_t()> done, ProgressPolicy policy)
    : out_(out), total_(total), done_(std::move(done)), policy_(policy) {
  if (!enabled) return;
  // Many targets: show the line at once, so even a quick run is seen to start.
  if (total_ >= policy_.many_targets) draw(std::chrono::steady_clock::duration::zero());
  thread_ = std::thread([this] { run(); });
}

ProgressLine::~ProgressLine() { stop(); }

void ProgressLine::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (drawn_) {
    out_ << "\r\033[K" << std::flush;  // erase the line: the report starts on a clean one
    drawn_ = false;
  }
}

void ProgressLine::run() {
  const auto start = std::chrono::steady_clock::now();
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    const auto elapsed = std::chrono::steady_clock::now() - start;
    if (total_ >= policy_.many_targets || elapsed >= policy_.slow) draw(elapsed);
    wake_.wait_for(lock, policy_.refresh, [this] { return stopping_; });
  }
}

void ProgressLine::draw(std::chrono::steady_clock::duration elapsed) {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(elapsed).count();
  const size_t done = std::min(done_(), total_);
  out_ << "\r\033[Kcertvigil: checked " << done << " of " << total_
       << (total_ == 1 ? " target" : " targets") << " (" << seconds << " s)" << std::flush;
  drawn_ = true;
}

}  // namespace certvigil::cli
