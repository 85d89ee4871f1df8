// SPDX-License-Identifier: Apache-2.0
// `certvigil check`: builds scan units from the command line, runs the same scanner and checks
// the daemon runs, and reports. Nothing is stored.
#include <filesystem>
#include <iostream>

#include "cli/commands.h"
#include "cli/plugin_output.h"
#include "cli/progress.h"
#include "cli/report.h"
#include "cli/target_options.h"
#include "core/log.h"
#include "scheduler/monitor.h"
#include "x509/reader.h"

namespace certvigil::cli {
namespace {

/// A TARGET that names a file holding private keys and no certificate: a usage mistake (the key
/// belongs in --key), not a target that is OK. The message, or "" when no target is one.
std::string keyOnlyTarget(const TargetOptions& o) {
  for (const std::string& target : o.targets) {
    std::error_code ec;
    if (looksLikeEndpoint(target) || !std::filesystem::is_regular_file(target, ec)) continue;
    Result<std::string> bytes = x509::readFileCapped(target);
    if (!bytes) continue;
    const x509::Material material = x509::readMaterial(*bytes);
    if (material.certificate_ders.empty() && material.private_key_blocks > 0) {
      return target +
             " holds a private key and no certificate: pass it with --key, beside the "
             "certificate it belongs to";
    }
  }
  return {};
}

int runCheck(const TargetOptions& o) {
  std::string problem = optionProblem(o);
  if (problem.empty() && o.targets.empty() && o.kubeconfigs.empty()) {
    problem = "nothing to check: give a TARGET or --kubeconfig FILE";
  }
  if (!problem.empty()) {
    std::cerr << "certvigil: " << problem << "\n";
    return static_cast<int>(ExitCode::Unknown);
  }
  if (problem = keyOnlyTarget(o); !problem.empty()) {
    std::cout << "CERTVIGIL UNKNOWN - " << problem << "\n";
    return static_cast<int>(ExitCode::Unknown);
  }
  const std::unique_ptr<Clock> judging = judgingClock(o);
  const Clock& clock = *judging;
  scheduler::Monitor monitor(nullptr, clock);
  if (Status st = monitor.configure(configFrom(o)); !st) {
    std::cerr << "certvigil: " << st.error().describe() << "\n";
    return static_cast<int>(ExitCode::Unknown);
  }
  {
    ProgressLine progress(std::cerr, progressWanted(), o.targets.size(),
                          [&monitor] { return static_cast<size_t>(monitor.scansCompleted()); });
    monitor.scanAll();
  }
  const SnapshotPtr snapshot = monitor.latest();
  if (o.json) {
    writeResultsJson(std::cout, snapshot->targets, clock.now());
    std::cout << "\n";
  } else {
    printPluginStatus(std::cout, snapshot->targets, clock.now(), configFrom(o).thresholds);
    printReport(std::cout, snapshot->targets, colorWanted(), clock.now());
  }
  return static_cast<int>(exitCodeFor(snapshot->targets));
}

}  // namespace

bool colorWanted() { return ::isatty(1) == 1 && std::getenv("NO_COLOR") == nullptr; }

void addCheckCommand(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<TargetOptions>();
  CLI::App* cmd = app.add_subcommand(
      "check",
      "Check endpoints, certificate files, globs, directories or CA bundles once "
      "(Nagios exit codes)");
  cmd->add_option("TARGET", options->targets, "host:port, [v6]:port, file, glob or directory");
  addTargetOptions(*cmd, *options);
  CLI::Option* kubeconfig =
      cmd->add_option("--kubeconfig", options->kubeconfigs,
                      "a kubeconfig: its users' client certificates and its clusters' CAs")
          ->check(CLI::ExistingFile)
          ->allow_extra_args(false);  // one file per flag: TARGETs may follow
  cmd->add_flag("--probe-servers", options->probe_servers,
                "also probe each --kubeconfig context's API server (mTLS with its user's "
                "client certificate)")
      ->needs(kubeconfig);
  cmd->callback([options, &exit_code] { exit_code = runCheck(*options); });
}

}  // namespace certvigil::cli
