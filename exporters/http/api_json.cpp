// SPDX-License-Identifier: Apache-2.0
// exporters/http/api_json.cpp: storage rows -> JSON objects for the API.
#include "exporters/http/api_json.h"

#include <string_view>

namespace certvigil::exporters::api {
namespace {

constexpr int64_t kSecondsPerDay = 86400;

Json timeOrNull(const std::optional<TimePoint>& t) {
  return t ? Json(formatRfc3339(*t)) : Json(nullptr);
}

Json ekuList(std::string_view eku) {
  Json list = Json::array();
  while (!eku.empty()) {
    const size_t comma = eku.find(',');
    list.push_back(std::string(eku.substr(0, comma)));
    if (comma == std::string_view::npos) break;
    eku.remove_prefix(comma + 1);
  }
  return list;
}

// Whole days left, rounded toward minus infinity (one second after expiry is day -1).
int64_t floorDays(int64_t seconds) {
  return seconds >= 0 ? seconds / kSecondsPerDay
                      : -((-seconds + kSecondsPerDay - 1) / kSecondsPerDay);
}

std::string_view chainStatusText(ChainStatus status) {
  switch (status) {
    case ChainStatus::NotBuilt:
      return "not_built";
    case ChainStatus::Valid:
      return "valid";
    case ChainStatus::Incomplete:
      return "incomplete";
    case ChainStatus::UntrustedRoot:
      return "untrusted_root";
    case ChainStatus::NotACa:
      return "not_a_ca";
    case ChainStatus::Other:
      break;
  }
  return "other";
}

// What the endpoint prober saw (nothing about our own client credentials).
Json endpointJson(const EndpointFacts& e) {
  return {{"address", e.address},
          {"ip", e.ip},
          {"servername", e.servername},
          {"tls_version", e.tls_version.str()},
          {"cipher", e.cipher.str()},
          {"failure_stage", e.failure_words->stage},
          {"failure_detail", e.failure_words->detail},
          {"ocsp_status", e.ocsp_status.str()},
          {"client_certificate_requested", e.client->certificate_requested},
          {"client_certificate_sent", e.client->certificate_sent}};
}

}  // namespace

Json toJson(const storage::TargetSummary& t) {
  return {{"id", t.id},
          {"name", t.name},
          {"unit", t.unit},
          {"kind", toString(t.kind)},
          {"present", !t.gone_at.has_value()},
          {"first_seen", formatRfc3339(t.first_seen)},
          {"last_seen", timeOrNull(t.last_seen)},
          {"gone_at", timeOrNull(t.gone_at)},
          {"certificates", t.certificates},
          {"soonest_not_after", timeOrNull(t.soonest_not_after)},
          {"active_findings", t.active_findings},
          {"worst_severity", t.worst_severity.empty() ? Json(nullptr) : Json(t.worst_severity)},
          {"source", t.source.empty() ? std::string(toString(t.kind)) : t.source},
          {"origin", t.origin.empty() ? Json(nullptr) : Json(t.origin)}};
}

Json toJson(const storage::PresentedRow& row, TimePoint now) {
  const storage::CertificateInfo& c = row.certificate;
  const int64_t left = toUnix(c.not_after) - toUnix(now);
  return {
      {"target_id", row.target_id},
      {"target", row.target},
      {"unit", row.unit},
      {"kind", toString(row.kind)},
      {"position", row.position},
      {"role", row.role},
      {"fingerprint_sha256", c.fingerprint},
      {"subject", c.subject},
      {"issuer", c.issuer},
      {"serial", c.serial},
      {"not_before", formatRfc3339(c.not_before)},
      {"not_after", formatRfc3339(c.not_after)},
      {"seconds_left", left},
      {"days_left", floorDays(left)},
      {"key", c.key},
      {"signature_algorithm", c.signature_algorithm},
      {"is_ca", c.is_ca},
      {"eku", ekuList(c.eku)},
      {"first_seen", formatRfc3339(row.first_seen)},
      {"last_seen", formatRfc3339(row.last_seen)},
      {"ended_at", timeOrNull(row.ended_at)},
      {"findings", row.finding_codes},
      {"worst_severity", row.worst_severity.empty() ? Json(nullptr) : Json(row.worst_severity)}};
}

Json toJson(const storage::FindingRow& f) {
  Json j = {{"id", f.id},
            {"target_id", f.target_id},
            {"target", f.target},
            {"unit", f.unit},
            {"code", f.code},
            {"severity", f.severity},
            {"fingerprint_sha256", f.fingerprint},
            {"position", f.position},
            {"message", f.message},
            {"remedy", f.remedy},
            {"active", !f.resolved_at.has_value()},
            {"first_seen", formatRfc3339(f.first_seen)},
            {"last_seen", formatRfc3339(f.last_seen)},
            {"resolved_at", timeOrNull(f.resolved_at)}};
  if (!f.cause.empty()) j["cause"] = f.cause;
  return j;
}

Json toJson(const storage::ScanSummary& s) {
  return {{"id", s.id},
          {"unit", s.unit},
          {"kind", toString(s.kind)},
          {"started_at", formatRfc3339(s.started_at)},
          {"last_started_at", formatRfc3339(s.last_started_at)},
          {"count", s.count},
          {"duration_seconds", s.duration_seconds},
          {"outcome", s.outcome},
          {"targets", s.targets},
          {"findings", s.findings}};
}

namespace {

Json textOrNull(const std::string& text) { return text.empty() ? Json() : Json(text); }

void putTime(Json& j, const std::string& name, const std::optional<TimePoint>& t) {
  j[name] = t ? Json(toUnix(*t)) : Json();
  j[name + "_rfc3339"] = t ? Json(formatRfc3339(*t)) : Json();
}

}  // namespace

Json toJson(const storage::EventRow& row) {
  const AlertEvent& e = row.event;
  Json j = {{"id", e.id}, {"uid", e.uid}};
  putTime(j, "created_at", e.created_at);
  j["kind"] = std::string(toString(e.kind));
  j["notifier"] = textOrNull(e.notifier);
  j["finding_id"] = e.finding_id != 0 ? Json(e.finding_id) : Json();
  j["target"] = e.target;
  j["unit"] = e.unit;
  j["target_kind"] = e.target_kind;
  j["code"] = e.code;
  j["severity"] = e.severity;
  j["previous_severity"] = textOrNull(e.previous_severity);
  j["fingerprint"] = textOrNull(e.fingerprint);
  j["previous_fingerprint"] = textOrNull(e.previous_fingerprint);
  j["position"] = e.position;
  j["message"] = e.message;
  j["remedy"] = e.remedy;
  j["cause"] = textOrNull(e.cause);
  putTime(j, "first_seen", e.first_seen);
  putTime(j, "resolved_at", e.resolved_at);
  j["subject"] = textOrNull(e.subject);
  j["issuer"] = textOrNull(e.issuer);
  j["serial"] = textOrNull(e.serial);
  putTime(j, "not_after", e.not_after);
  Json notifiers = Json::object();
  for (const auto& [name, state] : row.delivery) notifiers[name] = state;
  j["notifiers"] = std::move(notifiers);
  return j;
}

Json revocationJson(const Observation& obs, const std::string& fingerprint) {
  for (const RevocationFacts& r : obs.revocation) {
    if (r.fingerprint != fingerprint) continue;
    Json j = {{"status", statusText(r)}, {"source", toString(r.source)}};
    if (!r.url.empty()) j["url"] = r.url;
    if (r.next_update) j["next_update"] = formatRfc3339(*r.next_update);
    return j;
  }
  return nullptr;
}

Json renewalJson(const Observation& obs, const std::string& fingerprint) {
  for (const RenewalFacts& r : obs.renewal) {
    if (r.fingerprint != fingerprint) continue;
    Json j = {{"cert_id", r.cert_id}};
    if (r.window_start) j["window_start"] = formatRfc3339(*r.window_start);
    if (r.window_end) j["window_end"] = formatRfc3339(*r.window_end);
    if (!r.explanation_url.empty()) j["explanation_url"] = r.explanation_url;
    if (!r.url.empty()) j["url"] = r.url;
    if (!r.problem.empty()) j["problem"] = r.problem;
    return j;
  }
  return nullptr;
}

Json liveDetail(const TargetResult& result) {
  const Observation& o = result.observation;
  Json names = Json::array();
  for (const PresentedCertificate& c : o.certificates) {
    if (!c.facts) continue;
    Json entry = {{"position", c.position},
                  {"fingerprint_sha256", c.facts->fingerprint_sha256},
                  {"dns_names", c.facts->dns_names},
                  {"ip_addresses", c.facts->ip_addresses},
                  {"self_signed", c.facts->self_signed}};
    if (Json r = revocationJson(o, c.facts->fingerprint_sha256); !r.is_null()) {
      entry["revocation"] = std::move(r);
    }
    if (Json r = renewalJson(o, c.facts->fingerprint_sha256); !r.is_null()) {
      entry["renewal"] = std::move(r);
    }
    names.push_back(std::move(entry));
  }
  Json live = {
      {"collected_at", formatRfc3339(o.collected_at)},    {"probe_success", o.success},
      {"chain_status", chainStatusText(o.chain.status)},  {"chain_detail", o.chain.words().detail},
      {"missing_issuer", o.chain.words().missing_issuer}, {"certificates", std::move(names)}};
  if (o.endpoint) live["endpoint"] = endpointJson(*o.endpoint);
  return live;
}

HttpResponse jsonResponse(const Json& body, int status) {
  HttpResponse response;
  response.status = status;
  response.content_type = "application/json";
  response.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
  response.body += '\n';
  response.headers.emplace("Cache-Control", "no-store");
  return response;
}

HttpResponse errorResponse(int status, const std::string& message) {
  return jsonResponse(Json{{"error", message}}, status);
}

}  // namespace certvigil::exporters::api
