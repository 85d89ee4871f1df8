// SPDX-License-Identifier: Apache-2.0
// tests/unit/alerts/payloads_test.cpp: the bodies receivers get — the documented webhook JSON,
// Slack's documented message shape (text + section blocks with mrkdwn text objects), and
// Alertmanager postable alerts — plus the alertname table against the codes and docs/ALERTS.md.
#include "alerts/notifiers/payloads.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "alerts/notifiers/notifier.h"
#include "core/finding.h"
#include "tests/support/test_support.h"

namespace certvigil::alerts {
namespace {

using nlohmann::json;

AlertEvent sampleEvent(EventKind kind = EventKind::Firing) {
  AlertEvent e;
  e.id = 7;
  e.uid = "0b6f2e0e-8f0a-4c1e-9a53-0f6a4b1f7d21";
  e.created_at = fromUnix(1767225600);  // 2026-01-01T00:00:00Z
  e.kind = kind;
  e.target = "/etc/ssl/<svc>&a.pem";
  e.unit = "/etc/ssl/*.pem";
  e.target_kind = "file";
  e.code = "expires_soon";
  e.severity = "critical";
  e.fingerprint = std::string(64, 'a');
  e.position = 0;
  e.message = "leaf CN=service-a expires in 6 days";
  e.remedy = "renew it";
  e.first_seen = fromUnix(1767225600 - 3600);
  e.subject = "CN=service-a";
  e.issuer = "CN=Issuing CA";
  e.serial = "0A1B";
  e.not_after = fromUnix(1767225600 + 6 * 86400 + 100);
  return e;
}

TEST_CASE("the webhook body carries the documented fields") {
  const json body = json::parse(webhookBody(sampleEvent()));
  CHECK(body["id"] == "0b6f2e0e-8f0a-4c1e-9a53-0f6a4b1f7d21");
  CHECK(body["status"] == "firing");
  CHECK(body["transition"] == "new");
  CHECK(body["timestamp"] == "2026-01-01T00:00:00Z");
  CHECK(body["code"] == "expires_soon");
  CHECK(body["severity"] == "critical");
  CHECK(body["previous_severity"].is_null());
  CHECK(body["target"] == "/etc/ssl/<svc>&a.pem");
  CHECK(body["message"] == "leaf CN=service-a expires in 6 days");
  CHECK(body["remedy"] == "renew it");
  CHECK(body["certificate"]["subject"] == "CN=service-a");
  CHECK(body["certificate"]["issuer"] == "CN=Issuing CA");
  CHECK(body["certificate"]["serial"] == "0A1B");
  CHECK(body["certificate"]["fingerprint_sha256"] == std::string(64, 'a'));
  CHECK(body["certificate"]["not_after"] == "2026-01-07T00:01:40Z");
  CHECK(body["certificate"]["days_left"] == 6);
  const json resolved = json::parse(webhookBody(sampleEvent(EventKind::Resolved)));
  CHECK(resolved["status"] == "resolved");
  CHECK(resolved["transition"] == "resolved");
  AlertEvent no_cert = sampleEvent();
  no_cert.fingerprint.clear();
  CHECK(json::parse(webhookBody(no_cert))["certificate"].is_null());
}

TEST_CASE("Slack messages have the shape Slack documents") {
  std::vector<AlertEvent> events(25, sampleEvent());
  events[1].kind = EventKind::Resolved;
  const json message = json::parse(slackMessage(std::span(events).first(20)));
  REQUIRE(message["text"].is_string());
  CHECK_FALSE(message["text"].get<std::string>().empty());
  REQUIRE(message["blocks"].is_array());
  CHECK(message["blocks"].size() == 21);
  CHECK(message["blocks"].size() <= 50);
  for (const json& block : message["blocks"]) {
    CHECK(block["type"] == "section");
    CHECK(block["text"]["type"] == "mrkdwn");
    REQUIRE(block["text"]["text"].is_string());
    CHECK(block["text"]["text"].get<std::string>().size() <= 3000);
  }
  const std::string first = message["blocks"][1]["text"]["text"];
  CHECK(first.find("&lt;svc&gt;&amp;a.pem") != std::string::npos);  // mrkdwn control chars
  CHECK(first.find("<svc>") == std::string::npos);
  CHECK(message["blocks"][2]["text"]["text"].get<std::string>().find("RESOLVED") !=
        std::string::npos);
}

TEST_CASE("Alertmanager alerts: labels, annotations, endsAt ahead or at resolution") {
  const TimePoint now = fromUnix(1767225600);
  std::vector<AlertEvent> events = {sampleEvent(), sampleEvent(EventKind::Resolved)};
  events[1].resolved_at = now - Seconds(30);
  const json alerts = json::parse(alertmanagerAlerts(events, now, std::chrono::minutes(4)));
  REQUIRE(alerts.size() == 2);
  const json& firing = alerts[0];
  CHECK(firing["labels"]["alertname"] == "CertificateExpiringSoon");
  CHECK(firing["labels"]["code"] == "expires_soon");
  CHECK(firing["labels"]["severity"] == "critical");
  CHECK(firing["labels"]["target"] == "/etc/ssl/<svc>&a.pem");
  CHECK(firing["labels"]["fingerprint"] == std::string(64, 'a'));
  CHECK(firing["annotations"]["summary"] == "leaf CN=service-a expires in 6 days");
  CHECK(firing["annotations"]["remedy"] == "renew it");
  CHECK(firing["startsAt"] == "2025-12-31T23:00:00Z");
  CHECK(firing["endsAt"] == "2026-01-01T00:04:00Z");
  CHECK(alerts[1]["endsAt"] == "2025-12-31T23:59:30Z");
}

TEST_CASE("a severity change ends the alert under its old severity label") {
  AlertEvent changed = sampleEvent(EventKind::SeverityChanged);
  changed.previous_severity = "warning";
  const TimePoint now = fromUnix(1767225600);
  const json alerts = json::parse(alertmanagerAlerts({&changed, 1}, now, std::chrono::minutes(4)));
  REQUIRE(alerts.size() == 2);
  CHECK(alerts[0]["labels"]["severity"] == "warning");
  CHECK(alerts[0]["endsAt"] == "2026-01-01T00:00:00Z");
  CHECK(alerts[1]["labels"]["severity"] == "critical");
}

TEST_CASE("Alertmanager does not want certificate_changed, which is not an alert state") {
  const auto notifier = makeAlertmanagerNotifier({"http://127.0.0.1:9"}, std::chrono::minutes(1));
  CHECK_FALSE(notifier->wants(sampleEvent(EventKind::CertificateChanged)));
  CHECK(notifier->wants(sampleEvent(EventKind::Repeat)));
}

TEST_CASE("every finding code has its own alertname, and docs/ALERTS.md lists them") {
  const std::string doc = testing::readFile(testing::sourceDir() / "docs/ALERTS.md");
  std::set<std::string_view> names;
  for (FindingCode code : allFindingCodes()) {
    CAPTURE(toString(code));
    const std::string_view name = alertName(toString(code));
    CHECK(name != "CertvigilFinding");
    CHECK(names.insert(name).second);
    CHECK(doc.find("| `" + std::string(toString(code)) + "` | `" + std::string(name) + "` |") !=
          std::string::npos);
  }
  CHECK(alertName("certificate_changed") == "CertificateChanged");
  CHECK(alertNameCodes().size() == allFindingCodes().size() + 1);
}

TEST_CASE("HTTP answers: 2xx delivered; no answer, 408, 429, 5xx retried; other 4xx final") {
  CHECK(classifyHttp(200, "", {}).outcome == Outcome::Delivered);
  CHECK(classifyHttp(204, "", {}).outcome == Outcome::Delivered);
  CHECK(classifyHttp(0, "Couldn't connect to server", {}).outcome == Outcome::Retry);
  CHECK(classifyHttp(429, "", std::chrono::seconds(7)).retry_after == std::chrono::seconds(7));
  CHECK(classifyHttp(503, "", {}).outcome == Outcome::Retry);
  CHECK(classifyHttp(408, "", {}).outcome == Outcome::Retry);
  CHECK(classifyHttp(400, "", {}).outcome == Outcome::Reject);
  CHECK(classifyHttp(404, "", {}).outcome == Outcome::Reject);
  CHECK(classifyHttp(301, "", {}).outcome == Outcome::Reject);
}

}  // namespace
}  // namespace certvigil::alerts
