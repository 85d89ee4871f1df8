// SPDX-License-Identifier: Apache-2.0
#include "tests/unit/alerts/alerts_fixtures.h"

#include <doctest/doctest.h>

#include "storage/history_reader.h"

namespace certvigil::testing {

std::unique_ptr<storage::Outbox> AlertDb::openOutbox() const {
  auto opened = storage::Outbox::open(path);
  if (!opened) FAIL(opened.error().describe());
  return std::move(*opened);
}

void AlertDb::scanWithFindings(int count, Severity severity, int64_t offset) {
  std::vector<TargetResultPtr> results;
  for (int i = 0; i < count; ++i) {
    const auto cert = fakeCertificate(i + 1);
    results.push_back(fakeResult("files", "/certs/" + std::to_string(i) + ".pem", {cert},
                                 {fakeFinding(FindingCode::ExpiresSoon, cert, 0, severity)}));
  }
  const Status status = store->recordScan(fakeScan("files", at(offset)), results);
  REQUIRE_MESSAGE(status.ok(), (status.ok() ? "" : status.error().describe()));
}

std::vector<AlertEvent> AlertDb::events() const {
  auto reader = storage::HistoryReader::open(path);
  REQUIRE(reader.ok());
  auto rows = (*reader)->events(storage::kHistoryMaxLimit, std::nullopt);
  REQUIRE(rows.ok());
  std::vector<AlertEvent> out;
  for (auto row = rows->rbegin(); row != rows->rend(); ++row) out.push_back(row->event);
  return out;
}

alerts::Delivery ScriptedNotifier::deliver(std::span<const alerts::AlertEvent> events,
                                           TimePoint /*now*/) {
  std::vector<std::string> uids;
  for (const auto& e : events) uids.push_back(e.uid);
  log_->calls.push_back(uids);
  if (script_.empty()) return {alerts::Outcome::Delivered, "HTTP 200", {}};
  const alerts::Outcome outcome = script_.front();
  script_.pop_front();
  return {outcome, outcome == alerts::Outcome::Reject ? "HTTP 400" : "HTTP 503", {}};
}

alerts::NotifierSettings settingsNamed(const std::string& name, Seconds max_age) {
  alerts::NotifierSettings settings;
  settings.config.name = name;
  settings.config.max_age = max_age;
  settings.url = "http://127.0.0.1:9/";
  return settings;
}

}  // namespace certvigil::testing
