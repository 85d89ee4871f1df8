// SPDX-License-Identifier: Apache-2.0
// cli/plugin_output.cpp: see the header. Which certificates matter: with a verified path, the
// ones on it, wherever they came from (a needlessly sent old cross-sign that expires first does
// not shorten the target's life, an intermediate from the chain file does); without one, every
// certificate presented, since none of them can be ruled out.
#include "cli/plugin_output.h"

#include <algorithm>
#include <chrono>
#include <cstdint>

#include "cli/report.h"

namespace certvigil::cli {
namespace {

constexpr int64_t kSecondsPerDay = 86400;

const char* stateName(ExitCode code) {
  switch (code) {
    case ExitCode::Ok:
      return "OK";
    case ExitCode::Warning:
      return "WARNING";
    case ExitCode::Critical:
      return "CRITICAL";
    case ExitCode::Unknown:
      return "UNKNOWN";
  }
  return "UNKNOWN";
}

long wholeDays(Seconds threshold) { return static_cast<long>(threshold.count() / kSecondsPerDay); }

std::string perfdata(const TargetResult& result, TimePoint now, const Thresholds& thresholds) {
  const std::optional<long> days = daysLeft(result, now);
  return perfdataLabel(result.observation.target) + "=" +
         (days ? std::to_string(*days) : std::string("U")) + ";" +
         std::to_string(wholeDays(thresholds.warning)) + ";" +
         std::to_string(wholeDays(thresholds.critical)) + ";0";
}

}  // namespace

std::string perfdataLabel(std::string_view target) {
  std::string label = "'";
  for (const char c : target) {
    if (c == '\'') {
      label += "''";
    } else if (c == '=' || c == '|' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      label += '_';
    } else {
      label += c;
    }
  }
  return label + "'";
}

std::optional<long> daysLeft(const TargetResult& result, TimePoint now) {
  const Observation& obs = result.observation;
  std::optional<TimePoint> soonest;
  const auto consider = [&soonest](const CertificateFactsPtr& facts) {
    if (facts && (!soonest || facts->not_after < *soonest)) soonest = facts->not_after;
  };
  // A verified path holds every certificate clients judge (chain file and anchor included).
  if (obs.chain.status == ChainStatus::Valid && !obs.chain.path.empty()) {
    for (const PathCertificate& c : obs.chain.path) consider(c.facts);
  } else {
    for (const PresentedCertificate& c : obs.certificates) consider(c.facts);
  }
  // A CRL file a server checks: the CRLs it consults expire at their nextUpdate.
  if (obs.crl_file) {
    for (const CrlFacts& crl : obs.crl_file->crls) {
      if (crl.foreign || crl.superseded || !crl.next_update) continue;
      if (!soonest || *crl.next_update < *soonest) soonest = crl.next_update;
    }
  }
  if (!soonest) return std::nullopt;
  // Floor, so that one second past expiry is day -1 and not day 0.
  return static_cast<long>(std::chrono::floor<std::chrono::days>(*soonest - now).count());
}

std::string pluginStatusLine(const std::vector<TargetResultPtr>& results, TimePoint now,
                             const Thresholds& thresholds) {
  size_t critical = 0;
  size_t warning = 0;
  std::string perf;
  for (const auto& r : results) {
    const std::optional<Severity> worst = worstSeverity(r->findings);
    if (worst == Severity::Critical) ++critical;
    if (worst == Severity::Warning) ++warning;
    perf += (perf.empty() ? "" : " ") + perfdata(*r, now, thresholds);
  }
  std::string line = std::string("CERTVIGIL ") + stateName(exitCodeFor(results)) + " - " +
                     std::to_string(critical) + " critical, " + std::to_string(warning) +
                     " warning, " + std::to_string(results.size() - critical - warning) + " ok";
  if (!perf.empty()) line += " | " + perf;
  return line;
}

void printPluginStatus(std::ostream& out, const std::vector<TargetResultPtr>& results,
                       TimePoint now, const Thresholds& thresholds) {
  out << pluginStatusLine(results, now, thresholds) << "\n";
}

}  // namespace certvigil::cli
