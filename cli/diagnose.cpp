// SPDX-License-Identifier: Apache-2.0
// `certvigil diagnose HOST:PORT`: the mTLS doctor. Probes one endpoint the way `check` does
// (same options, same checks) and walks the result step by step to a verdict: which side
// rejects, the cause, and the fix.
#include <iostream>

#include "cli/commands.h"
#include "cli/diagnosis.h"
#include "cli/report.h"
#include "cli/target_options.h"
#include "probers/endpoint_prober.h"
#include "scheduler/monitor.h"

namespace certvigil::cli {
namespace {

constexpr const char* kReset = "\033[0m";

const char* colourOf(StepStatus status) {
  switch (status) {
    case StepStatus::Fail:
      return "\033[31m";
    case StepStatus::Warn:
      return "\033[33m";
    case StepStatus::Skipped:
      return "\033[2m";
    case StepStatus::Ok:
      break;
  }
  return "\033[32m";
}

void printDiagnosis(std::ostream& out, const Diagnosis& d, bool color) {
  out << "certvigil diagnose " << d.target << "\n\n";
  int number = 1;
  for (const DiagnosisStep& step : d.steps) {
    const std::string mark = "[" + std::string(toString(step.status)) + "]";
    out << number++ << ". " << step.title << "\n   " << (color ? colourOf(step.status) : "") << mark
        << (color ? kReset : "") << " " << step.summary << "\n";
    for (const auto& detail : step.details) out << "        " << detail << "\n";
  }
  const Verdict& v = d.verdict;
  out << "\nVerdict: ";
  if (v.rejecting_side == "none") {
    out << v.explanation << "\n";
    return;
  }
  out << "rejected by the " << v.rejecting_side << " side (" << v.cause << ")\n  " << v.explanation
      << "\nFix: " << v.fix << "\n";
}

nlohmann::ordered_json diagnosisToJson(const Diagnosis& d, const TargetResult& server) {
  nlohmann::ordered_json steps = nlohmann::ordered_json::array();
  for (const DiagnosisStep& s : d.steps) {
    steps.push_back({{"step", s.name},
                     {"title", s.title},
                     {"status", toString(s.status)},
                     {"summary", s.summary},
                     {"details", s.details}});
  }
  nlohmann::ordered_json j = {{"target", d.target}, {"steps", std::move(steps)}};
  j["verdict"] = {{"rejecting_side", d.verdict.rejecting_side},
                  {"cause", d.verdict.cause},
                  {"explanation", d.verdict.explanation},
                  {"fix", d.verdict.fix}};
  if (server.observation.endpoint) j["endpoint"] = endpointToJson(*server.observation.endpoint);
  return j;
}

int runDiagnose(const TargetOptions& o) {
  if (const std::string problem = optionProblem(o); !problem.empty()) {
    std::cerr << "certvigil: " << problem << "\n";
    return static_cast<int>(ExitCode::Unknown);
  }
  const config::Config config = configFrom(o);
  if (config.endpoints.size() != 1 || !config.files.empty()) {
    std::cerr << "certvigil: diagnose takes one HOST:PORT\n";
    return static_cast<int>(ExitCode::Unknown);
  }
  const std::unique_ptr<Clock> judging = judgingClock(o);
  const Clock& clock = *judging;
  scheduler::Monitor monitor(nullptr, clock);
  if (Status st = monitor.configure(config); !st) {
    std::cerr << "certvigil: " << st.error().describe() << "\n";
    return static_cast<int>(ExitCode::Unknown);
  }
  monitor.scanAll();
  const SnapshotPtr snapshot = monitor.latest();
  const std::string name = scheduler::endpointTargetName(config.endpoints.front());
  const TargetResultPtr server = findTarget(*snapshot, name);
  if (server == nullptr) {
    std::cerr << "certvigil: no result for " << name << "\n";
    return static_cast<int>(ExitCode::Unknown);
  }
  const TargetResultPtr client = findTarget(*snapshot, probers::clientTargetName(name));
  const Diagnosis d = diagnose(*server, client.get(), clock.now());
  if (o.json) {
    std::cout << diagnosisToJson(d, *server).dump(2) << "\n";
  } else {
    printDiagnosis(std::cout, d, colorWanted());
  }
  return static_cast<int>(exitCodeFor(snapshot->targets));
}

}  // namespace

void addDiagnoseCommand(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<TargetOptions>();
  CLI::App* cmd = app.add_subcommand(
      "diagnose", "mTLS doctor: probe one endpoint and say which side rejects, why, and the fix");
  cmd->add_option("HOST:PORT", options->targets, "the endpoint (host:port or [v6]:port)")
      ->required()
      ->expected(1);
  addTargetOptions(*cmd, *options);
  cmd->callback([options, &exit_code] { exit_code = runDiagnose(*options); });
}

}  // namespace certvigil::cli
