// SPDX-License-Identifier: Apache-2.0
#include "cli/report.h"

#include <ostream>

#include "exporters/http/api_json.h"

namespace certvigil::cli {

nlohmann::ordered_json certificateToJson(const CertificateFacts& f, int position,
                                         ResolvedRole role) {
  return {
      {"fingerprint_sha256", f.fingerprint_sha256},
      {"subject", f.subject},
      {"issuer", f.issuer},
      {"serial", f.serial},
      {"not_before", formatRfc3339(f.not_before)},
      {"not_after", formatRfc3339(f.not_after)},
      {"position", position},
      {"role", toString(role)},
      {"is_ca", f.is_ca},
      {"self_signed", f.self_signed},
      {"key", f.keyText()},
      {"signature_algorithm", f.signature_algorithm},
      {"eku", f.ekuText()},
      {"dns_names", f.dns_names},
      {"ip_addresses", f.ip_addresses},
  };
}

nlohmann::ordered_json findingToJson(const Finding& finding) {
  nlohmann::ordered_json j = {
      {"code", toString(finding.code)},
      {"severity", toString(finding.severity)},
      {"fingerprint_sha256", finding.fingerprint},
      {"position", finding.position},
      {"message", finding.message},
      {"remedy", finding.remedy},
  };
  if (finding.cause) j["cause"] = toString(*finding.cause);
  return j;
}

namespace {

/// The path a client builds: leaf..anchor, each certificate with where it came from and, when
/// it was asked, its revocation status.
nlohmann::ordered_json pathToJson(const Observation& obs) {
  nlohmann::ordered_json path = nlohmann::ordered_json::array();
  for (size_t i = 0; i < obs.chain.path.size(); ++i) {
    const PathCertificate& c = obs.chain.path[i];
    if (!c.facts) continue;
    nlohmann::ordered_json entry = {{"fingerprint_sha256", c.facts->fingerprint_sha256},
                                    {"subject", c.facts->subject},
                                    {"not_after", formatRfc3339(c.facts->not_after)},
                                    {"source", toString(c.source, obs.kind)},
                                    {"position", c.position}};
    nlohmann::ordered_json revocation =
        exporters::api::revocationJson(obs, c.facts->fingerprint_sha256);
    if (!revocation.is_null()) entry["revocation"] = std::move(revocation);
    path.push_back(std::move(entry));
  }
  return path;
}

/// The CRLs of a CRL file target, in file order (`position` of their findings).
nlohmann::ordered_json crlsToJson(const CrlFileFacts& file) {
  nlohmann::ordered_json crls = nlohmann::ordered_json::array();
  for (size_t i = 0; i < file.crls.size(); ++i) {
    const CrlFacts& c = file.crls[i];
    crls.push_back({{"position", i},
                    {"issuer", c.issuer},
                    {"this_update", formatRfc3339(c.this_update)},
                    {"next_update", c.next_update ? formatRfc3339(*c.next_update) : ""},
                    {"entries", c.entries},
                    {"consulted", !c.foreign && !c.superseded}});
  }
  return crls;
}

}  // namespace

nlohmann::ordered_json resultToJson(const TargetResult& r) {
  nlohmann::ordered_json certs = nlohmann::ordered_json::array();
  for (size_t i = 0; i < r.observation.certificates.size(); ++i) {
    const auto& c = r.observation.certificates[i];
    const ResolvedRole role = i < r.roles.size() ? r.roles[i] : ResolvedRole::Any;
    nlohmann::ordered_json cert = certificateToJson(*c.facts, c.position, role);
    nlohmann::ordered_json renewal =
        exporters::api::renewalJson(r.observation, c.facts->fingerprint_sha256);
    if (!renewal.is_null()) cert["renewal"] = std::move(renewal);
    certs.push_back(std::move(cert));
  }
  nlohmann::ordered_json findings = nlohmann::ordered_json::array();
  for (const auto& f : r.findings) findings.push_back(findingToJson(f));
  nlohmann::ordered_json result = {{"target", r.observation.target},
                                   {"kind", toString(r.observation.kind)},
                                   {"certificates", std::move(certs)}};
  if (!r.observation.chain.path.empty()) result["path"] = pathToJson(r.observation);
  if (r.observation.crl_file) result["crls"] = crlsToJson(*r.observation.crl_file);
  result["findings"] = std::move(findings);
  if (r.observation.endpoint) result["endpoint"] = endpointToJson(*r.observation.endpoint);
  return result;
}

nlohmann::ordered_json resultsToJson(const std::vector<TargetResultPtr>& results,
                                     std::optional<TimePoint> evaluated_at) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& r : results) list.push_back(resultToJson(*r));
  if (!evaluated_at) return {{"results", std::move(list)}};
  return {{"evaluated_at", formatRfc3339(*evaluated_at)}, {"results", std::move(list)}};
}

// The document resultsToJson gives, as `std::setw(2) << document` prints it, one result at a
// time: the whole document of 2,000 endpoints held ~11 MB at once (about 6 KB of JSON nodes per
// result), more than everything else `check` holds. Each result is printed at depth 2, so its
// lines are indented by four more spaces; JSON text has no raw newline inside a string.
void writeResultsJson(std::ostream& out, const std::vector<TargetResultPtr>& results,
                      std::optional<TimePoint> evaluated_at) {
  constexpr int kIndent = 2;
  out << "{\n";
  if (evaluated_at) {
    out << "  \"evaluated_at\": " << nlohmann::ordered_json(formatRfc3339(*evaluated_at)).dump()
        << ",\n";
  }
  out << "  \"results\": [";
  if (results.empty()) {
    out << "]\n}";
    return;
  }
  for (size_t i = 0; i < results.size(); ++i) {
    const std::string text = resultToJson(*results[i]).dump(kIndent);
    out << (i == 0 ? "\n    " : ",\n    ");
    size_t from = 0;
    for (size_t nl = text.find('\n'); nl != std::string::npos; nl = text.find('\n', from)) {
      out.write(text.data() + from, static_cast<std::streamsize>(nl + 1 - from)) << "    ";
      from = nl + 1;
    }
    out.write(text.data() + from, static_cast<std::streamsize>(text.size() - from));
  }
  out << "\n  ]\n}";
}

ExitCode exitCodeFor(const std::vector<TargetResultPtr>& results) {
  std::optional<Severity> worst;
  for (const auto& r : results) {
    if (auto s = worstSeverity(r->findings); s && (!worst || *s > *worst)) worst = s;
  }
  if (!worst || *worst == Severity::Info) return ExitCode::Ok;
  return *worst == Severity::Critical ? ExitCode::Critical : ExitCode::Warning;
}

}  // namespace certvigil::cli
