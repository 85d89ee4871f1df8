// SPDX-License-Identifier: Apache-2.0
// core/log.h: leveled logging to stderr. Under systemd (JOURNAL_STREAM set) each line starts
// with an sd-daemon priority prefix ("<3>") so journald records the level; on a terminal or in a
// pipe, lines read "certvigil: warning: ...". Thread-safe; one line per call.
#pragma once

#include <string_view>

namespace certvigil::log {

enum class Level { Debug = 7, Info = 6, Notice = 5, Warning = 4, Error = 3 };

/// Lines below this level are dropped (default Info).
void setThreshold(Level level);
/// Parses "debug" | "info" | "notice" | "warning" | "error".
bool setThreshold(std::string_view name);

void write(Level level, std::string_view message);

inline void debug(std::string_view m) { write(Level::Debug, m); }
inline void info(std::string_view m) { write(Level::Info, m); }
inline void notice(std::string_view m) { write(Level::Notice, m); }
inline void warning(std::string_view m) { write(Level::Warning, m); }
inline void error(std::string_view m) { write(Level::Error, m); }

}  // namespace certvigil::log
