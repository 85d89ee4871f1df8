// exporters/http/status_page.cpp: the placeholder status page. Rows are sorted with
// partial_sort so a snapshot of 10^5 certificates costs one pass plus the rows shown.
#include "exporters/http/status_page.h"

#include <algorithm>
#include <vector>

namespace certvigil::exporters {
namespace {

constexpr int64_t kSecondsPerDay = 86400;

struct CertificateRow {
  const TargetResult* result;
  const PresentedCertificate* certificate;
  size_t index;
};

constexpr std::string_view kHead =
    "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>certvigil</title>\n"
    "<style>body{font-family:sans-serif}table{border-collapse:collapse}"
    "td,th{border:1px solid #ccc;padding:2px 6px;text-align:left}.expired{color:#b00}"
    "</style></head><body>\n<h1>certvigil</h1>\n";

// Space-separated codes of the findings about one certificate, or of the target itself
// (position -1) when `position` is -1.
std::string findingCodes(const TargetResult& result, int position, std::string_view fingerprint) {
  std::string codes;
  for (const Finding& finding : result.findings) {
    const bool about =
        finding.position == position &&
        (position < 0 || finding.fingerprint.empty() || finding.fingerprint == fingerprint);
    if (!about) continue;
    if (!codes.empty()) codes += ' ';
    codes += toString(finding.code);
  }
  return codes;
}

void appendCell(std::string& out, std::string_view text) {
  out += "<td>";
  appendHtmlEscaped(out, text);
  out += "</td>";
}

void appendCertificateRow(std::string& out, const CertificateRow& row, TimePoint now) {
  const CertificateFacts& facts = *row.certificate->facts;
  const int64_t days = daysLeft(facts.not_after, now);
  out += days < 0 ? "<tr class=\"expired\">" : "<tr>";
  appendCell(out, std::to_string(days));
  appendCell(out, formatRfc3339(facts.not_after));
  appendCell(out, facts.subject);
  appendCell(out, row.result->observation.target);
  appendCell(out, toString(row.result->observation.kind));
  appendCell(out, row.index < row.result->roles.size() ? toString(row.result->roles[row.index])
                                                       : toString(ResolvedRole::Any));
  appendCell(out, std::to_string(row.certificate->position));
  appendCell(out, findingCodes(*row.result, row.certificate->position, facts.fingerprint_sha256));
  out += "</tr>\n";
}

std::vector<CertificateRow> collectCertificates(const Snapshot& snapshot) {
  std::vector<CertificateRow> rows;
  for (const TargetResultPtr& result : snapshot.targets) {
    if (!result) continue;
    const auto& certificates = result->observation.certificates;
    for (size_t i = 0; i < certificates.size(); ++i) {
      if (certificates[i].facts) rows.push_back({result.get(), &certificates[i], i});
    }
  }
  return rows;
}

void appendOmitted(std::string& out, size_t shown, size_t total) {
  if (shown == total) return;
  out += "<p>Showing " + std::to_string(shown) + " of " + std::to_string(total) + ".</p>\n";
}

void appendCertificateTable(std::string& out, const Snapshot& snapshot, TimePoint now,
                            size_t max_rows) {
  std::vector<CertificateRow> rows = collectCertificates(snapshot);
  const size_t shown = std::min(rows.size(), max_rows);
  const auto soonest = [](const CertificateRow& a, const CertificateRow& b) {
    return a.certificate->facts->not_after < b.certificate->facts->not_after;
  };
  std::partial_sort(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(shown), rows.end(),
                    soonest);
  out +=
      "<h2>Certificates by days left</h2>\n<table>\n<tr><th>days left</th><th>not after</th>"
      "<th>subject</th><th>target</th><th>source</th><th>role</th><th>position</th>"
      "<th>findings</th></tr>\n";
  for (size_t i = 0; i < shown; ++i) appendCertificateRow(out, rows[i], now);
  out += "</table>\n";
  appendOmitted(out, shown, rows.size());
}

void appendEmptyTargets(std::string& out, const Snapshot& snapshot, size_t max_rows) {
  std::vector<const TargetResult*> empty;
  for (const TargetResultPtr& result : snapshot.targets) {
    if (result && result->observation.certificates.empty()) empty.push_back(result.get());
  }
  if (empty.empty()) return;
  out +=
      "<h2>Targets without certificates</h2>\n<table>\n<tr><th>target</th><th>source</th>"
      "<th>findings</th></tr>\n";
  const size_t shown = std::min(empty.size(), max_rows);
  for (size_t i = 0; i < shown; ++i) {
    out += "<tr>";
    appendCell(out, empty[i]->observation.target);
    appendCell(out, toString(empty[i]->observation.kind));
    appendCell(out, findingCodes(*empty[i], -1, {}));
    out += "</tr>\n";
  }
  out += "</table>\n";
  appendOmitted(out, shown, empty.size());
}

}  // namespace

void appendHtmlEscaped(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
}

int64_t daysLeft(TimePoint not_after, TimePoint now) {
  const int64_t seconds = toUnix(not_after) - toUnix(now);
  // Round toward minus infinity: one second after expiry is day -1, not day 0.
  return seconds >= 0 ? seconds / kSecondsPerDay
                      : -((-seconds + kSecondsPerDay - 1) / kSecondsPerDay);
}

std::string renderStatusPage(const Snapshot& snapshot, TimePoint now, size_t max_rows) {
  std::string out(kHead);
  out += "<p>Snapshot of " + formatRfc3339(snapshot.generated_at) + ", now " + formatRfc3339(now) +
         ". Metrics: <a href=\"/metrics\">/metrics</a></p>\n";
  appendCertificateTable(out, snapshot, now, max_rows);
  appendEmptyTargets(out, snapshot, max_rows);
  out += "</body></html>\n";
  return out;
}

}  // namespace certvigil::exporters
