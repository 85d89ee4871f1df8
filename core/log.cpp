// SPDX-License-Identifier: Apache-2.0
#include "core/log.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>

namespace certvigil::log {
namespace {

std::atomic<int> threshold{static_cast<int>(Level::Info)};
std::mutex write_mutex;

std::string_view levelName(Level level) {
  switch (level) {
    case Level::Debug:
      return "debug";
    case Level::Info:
      return "info";
    case Level::Notice:
      return "notice";
    case Level::Warning:
      return "warning";
    case Level::Error:
      return "error";
  }
  return "info";
}

bool underJournal() {
  static const bool journal = std::getenv("JOURNAL_STREAM") != nullptr;
  return journal;
}

}  // namespace

void setThreshold(Level level) { threshold = static_cast<int>(level); }

bool setThreshold(std::string_view name) {
  for (Level l : {Level::Debug, Level::Info, Level::Notice, Level::Warning, Level::Error}) {
    if (levelName(l) == name) {
      setThreshold(l);
      return true;
    }
  }
  return false;
}

void write(Level level, std::string_view message) {
  if (static_cast<int>(level) > threshold) return;
  std::string line;
  if (underJournal()) {
    line = "<" + std::to_string(static_cast<int>(level)) + ">";
  } else {
    line = "certvigil: ";
    line += levelName(level);
    line += ": ";
  }
  // One record per line: a newline inside a message would forge a second record.
  for (char c : message) line += (c == '\n' || c == '\r') ? ' ' : c;
  line += '\n';
  std::lock_guard lock(write_mutex);
  // A short write to stderr (a closed journal pipe) has nowhere better to be reported.
  (void)std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace certvigil::log
