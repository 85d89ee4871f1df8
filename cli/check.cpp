// `certvigil check`: builds scan units from the command line, runs the same scanner and checks
// the daemon runs, and reports. Nothing is stored.
#include <iostream>
#include <regex>

#include "cli/commands.h"
#include "cli/report.h"
#include "core/log.h"
#include "scheduler/monitor.h"

namespace certvigil::cli {
namespace {

struct CheckOptions {
  std::vector<std::string> targets;
  bool json = false;
  std::string role = "auto";
  std::string ca;
  std::string chain;
  std::string key;
  std::string password_file;
  std::vector<std::string> crl;
  std::string hostname;
  std::optional<int> warn_days;
  std::optional<int> crit_days;
};

// host:port or [v6]:port that is not an existing file: an endpoint (probed from issue 3 on).
bool looksLikeEndpoint(const std::string& target) {
  static const std::regex endpoint(R"(^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+):[0-9]{1,5}$)");
  std::error_code ec;
  return std::regex_match(target, endpoint) && !std::filesystem::exists(target, ec);
}

config::Config configFrom(const CheckOptions& o, const std::vector<std::string>& files) {
  config::Config c;
  c.trust.system = o.ca.empty();
  if (!o.ca.empty()) c.trust.ca_files = {o.ca};
  if (o.warn_days) c.thresholds.warning = Seconds{int64_t{*o.warn_days} * 86400};
  if (o.crit_days) c.thresholds.critical = Seconds{int64_t{*o.crit_days} * 86400};
  const Role role = roleFromString(o.role).value_or(Role::Auto);
  for (const auto& target : files) {
    config::FileConfig f;
    f.path = target;
    f.role = role;
    f.key = o.key;
    f.password_file = o.password_file;
    f.chain = o.chain;
    for (const auto& crl : o.crl) f.crl_files.emplace_back(crl);
    f.hostname = o.hostname;
    c.files.push_back(std::move(f));
  }
  return c;
}

int runCheck(const CheckOptions& o) {
  std::vector<std::string> files;
  for (const auto& t : o.targets) {
    if (looksLikeEndpoint(t)) {
      std::cerr << "certvigil: " << t
                << ": endpoint targets are not supported by this build yet; give files, "
                   "globs or directories\n";
      return static_cast<int>(ExitCode::Unknown);
    }
    files.push_back(t);
  }
  if (o.warn_days && o.crit_days && *o.crit_days > *o.warn_days) {
    std::cerr << "certvigil: --crit-days must not exceed --warn-days\n";
    return static_cast<int>(ExitCode::Unknown);
  }
  SystemClock clock;
  scheduler::Monitor monitor(nullptr, clock);
  if (Status st = monitor.configure(configFrom(o, files)); !st) {
    std::cerr << "certvigil: " << st.error().describe() << "\n";
    return static_cast<int>(ExitCode::Unknown);
  }
  monitor.scanAll();
  const SnapshotPtr snapshot = monitor.latest();
  if (o.json) {
    std::cout << resultsToJson(snapshot->targets).dump(2) << "\n";
  } else {
    printReport(std::cout, snapshot->targets, colorWanted(), clock.now());
  }
  return static_cast<int>(exitCodeFor(snapshot->targets));
}

}  // namespace

bool colorWanted() { return ::isatty(1) == 1 && std::getenv("NO_COLOR") == nullptr; }

void addCheckCommand(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<CheckOptions>();
  CLI::App* cmd = app.add_subcommand(
      "check",
      "Check certificate files, globs, directories or CA bundles once (Nagios exit codes)");
  cmd->add_option("TARGET", options->targets, "file, glob or directory")->required();
  cmd->add_flag("--json", options->json, "print one JSON document");
  cmd->add_option("--role", options->role, "what the certificate must be fit for")
      ->check(CLI::IsMember({"auto", "client", "server", "ca-bundle"}));
  cmd->add_option("--ca", options->ca, "trust anchors (default: the system store)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--chain", options->chain, "intermediates presented with the certificate")
      ->check(CLI::ExistingFile);
  cmd->add_option("--key", options->key, "the private key of the certificate")
      ->check(CLI::ExistingFile);
  cmd->add_option("--password-file", options->password_file,
                  "password of a PKCS#12 file or an encrypted key")
      ->check(CLI::ExistingFile);
  cmd->add_option("--crl", options->crl, "CRL file(s) to check revocation against")
      ->check(CLI::ExistingFile);
  cmd->add_option("--hostname", options->hostname, "a name the certificate must cover");
  cmd->add_option("--warn-days", options->warn_days, "warning threshold in days (default 28)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--crit-days", options->crit_days, "critical threshold in days (default 7)")
      ->check(CLI::NonNegativeNumber);
  cmd->callback([options, &exit_code] { exit_code = runCheck(*options); });
}

}  // namespace certvigil::cli
