// SPDX-License-Identifier: Apache-2.0
#include "alerts/notifiers/payloads.h"

#include <nlohmann/json.hpp>

namespace certvigil::alerts {
namespace {

using Json = nlohmann::ordered_json;

Json orNull(const std::string& text) { return text.empty() ? Json() : Json(text); }
Json orNull(const std::optional<TimePoint>& t) { return t ? Json(formatRfc3339(*t)) : Json(); }

Json certificateJson(const AlertEvent& e) {
  if (e.fingerprint.empty()) return Json();
  Json cert = {{"fingerprint_sha256", e.fingerprint},
               {"subject", orNull(e.subject)},
               {"issuer", orNull(e.issuer)},
               {"serial", orNull(e.serial)},
               {"not_after", orNull(e.not_after)}};
  const auto days = daysLeft(e);
  cert["days_left"] = days ? Json(*days) : Json();
  return cert;
}

// Invalid UTF-8 (an odd file name) must not make dump() throw: replace it.
std::string dump(const Json& json) {
  return json.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

// Slack mrkdwn: &, < and > are control characters and must be escaped.
std::string slackEscape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '&') {
      out += "&amp;";
    } else if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else {
      out += c;
    }
  }
  return out;
}

std::string truncated(std::string text, size_t limit) {
  if (text.size() <= limit) return text;
  text.resize(limit - 3);
  return text + "...";
}

Json section(const std::string& mrkdwn) {
  return {{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", truncated(mrkdwn, 2900)}}}};
}

std::string slackSection(const AlertEvent& e) {
  std::string text = "*" + slackEscape(summaryLine(e)) + "*";
  if (!e.subject.empty()) {
    text += "\n" + slackEscape(e.subject);
    if (e.not_after) text += ", not after " + formatRfc3339(*e.not_after);
  }
  if (e.firing() && !e.remedy.empty()) text += "\nFix: " + slackEscape(e.remedy);
  return text;
}

Json alertmanagerAlert(const AlertEvent& e, const std::string& severity, TimePoint ends_at) {
  Json labels = {{"alertname", std::string(alertName(e.code))},
                 {"code", e.code},
                 {"severity", severity},
                 {"target", e.target}};
  if (!e.fingerprint.empty()) labels["fingerprint"] = e.fingerprint;
  Json alert = {{"labels", labels},
                {"annotations", {{"summary", e.message}, {"remedy", e.remedy}}},
                {"endsAt", formatRfc3339(ends_at)}};
  if (e.first_seen) alert["startsAt"] = formatRfc3339(*e.first_seen);
  return alert;
}

}  // namespace

std::string webhookBody(const AlertEvent& e) {
  const Json body = {{"id", e.uid},
                     {"status", e.firing() ? "firing" : "resolved"},
                     {"transition", std::string(transitionName(e.kind))},
                     {"timestamp", formatRfc3339(e.created_at)},
                     {"code", e.code},
                     {"severity", e.severity},
                     {"previous_severity", orNull(e.previous_severity)},
                     {"target", e.target},
                     {"target_kind", e.target_kind},
                     {"unit", e.unit},
                     {"position", e.position >= 0 ? Json(e.position) : Json()},
                     {"message", e.message},
                     {"remedy", e.remedy},
                     {"cause", orNull(e.cause)},
                     {"first_seen", orNull(e.first_seen)},
                     {"resolved_at", orNull(e.resolved_at)},
                     {"certificate", certificateJson(e)},
                     {"previous_fingerprint_sha256", orNull(e.previous_fingerprint)},
                     {"summary", summaryLine(e)}};
  return dump(body);
}

std::string slackMessage(std::span<const AlertEvent> events) {
  std::string text;
  Json blocks = Json::array();
  const std::string header =
      events.size() == 1 ? "certvigil: 1 certificate alert"
                         : "certvigil: " + std::to_string(events.size()) + " certificate alerts";
  blocks.push_back(section("*" + header + "*"));
  for (const AlertEvent& e : events) {
    if (!text.empty()) text += "\n";
    text += summaryLine(e);
    blocks.push_back(section(slackSection(e)));
  }
  return dump(Json{{"text", truncated(text, 3000)}, {"blocks", blocks}});
}

std::string alertmanagerAlerts(std::span<const AlertEvent> events, TimePoint now,
                               std::chrono::milliseconds ends_in) {
  const TimePoint ahead = now + std::chrono::ceil<Seconds>(ends_in);
  Json alerts = Json::array();
  for (const AlertEvent& e : events) {
    if (!e.firing()) {
      alerts.push_back(alertmanagerAlert(e, e.severity, e.resolved_at.value_or(now)));
      continue;
    }
    // The old severity is another label set, so another alert: end it now.
    if (e.kind == EventKind::SeverityChanged && !e.previous_severity.empty()) {
      alerts.push_back(alertmanagerAlert(e, e.previous_severity, now));
    }
    alerts.push_back(alertmanagerAlert(e, e.severity, ahead));
  }
  return dump(alerts);
}

}  // namespace certvigil::alerts
