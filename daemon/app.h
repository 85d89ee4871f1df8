// SPDX-License-Identifier: Apache-2.0
// daemon/app.h: `certvigil run`. Builds the modules in dependency order (config, state dir,
// database, monitor, HTTP listener), tells systemd READY=1 only once all of them work, then runs
// the scheduler until SIGTERM/SIGINT. RAII tears them down in reverse.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "alerts/dispatcher.h"
#include "scheduler/shard.h"

namespace certvigil::daemon {

struct RunOptions {
  std::filesystem::path config = "/etc/certvigil/certvigil.yaml";
  std::string log_level = "info";
  /// --shard I/N: scan only the endpoints this shard owns (at start and on every reload).
  std::optional<scheduler::ShardSpec> shard;
  /// --web.config.file: the exporter-toolkit web config, in place of the config's
  /// `web_config_file` (at start and on every reload).
  std::filesystem::path web_config_file;
  /// Alert delivery cadences: the product's. No option or variable of the certvigil binary
  /// changes them; the system tests' build of the daemon scales them down (build_overrides.h).
  alerts::DispatcherOptions alert_delivery;
};

/// Runs the daemon; returns the process exit code (0 on a clean stop, 78 on a bad config,
/// 1 when the database or the listener cannot be set up).
int runDaemon(const RunOptions& options);

}  // namespace certvigil::daemon
