// SPDX-License-Identifier: Apache-2.0
// cli/endpoint_json.cpp: an endpoint's handshake and mTLS facts as JSON (check --json,
// diagnose --json).
#include "cli/report.h"

namespace certvigil::cli {

nlohmann::ordered_json answerToJson(const ServerAnswer& a) {
  nlohmann::ordered_json j = {{"handshake_completed", a.handshake_completed},
                              {"served", a.served()},
                              {"refused", a.refused()}};
  if (a.alert) {
    j["alert"] = {{"code", *a.alert},
                  {"description", a.alert_text},
                  {"after_handshake", a.alert_after_handshake}};
  }
  if (a.http_status) j["http"] = {{"status", *a.http_status}, {"excerpt", a.http_excerpt}};
  if (!a.failure_detail.empty()) j["detail"] = a.failure_detail;
  return j;
}

nlohmann::ordered_json endpointToJson(const EndpointFacts& e) {
  nlohmann::ordered_json j = {{"address", e.address},
                              {"ip", e.ip},
                              {"servername", e.servername},
                              {"probe_failure", toString(e.failure)},
                              {"tls_version", e.tls_version.str()},
                              {"cipher", e.cipher.str()},
                              {"ocsp_stapled", e.ocsp_stapled}};
  if (const ProbeFailureWords& failed = e.failure_words.get(); !failed.detail.empty()) {
    j["failure_stage"] = failed.stage;
    j["failure_detail"] = failed.detail;
  }
  if (e.ocsp_stapled) j["ocsp_status"] = e.ocsp_status.str();
  if (!e.trust_not_judged.empty()) j["trust_not_judged"] = e.trust_not_judged.str();
  if (!e.expected_leaf->file.empty()) {
    j["expect_file"] = e.expected_leaf->file;
    j["expected_fingerprint_sha256"] = e.expected_leaf->fingerprint;
  }
  const ClientAuthFacts& c = e.client;
  nlohmann::ordered_json mtls = {{"expected", toString(c.expected)},
                                 {"certificate_requested", c.certificate_requested},
                                 {"acceptable_ca_names", c.acceptable_ca_names},
                                 {"client_certificate_sent", c.certificate_sent}};
  if (!c.client_source.empty()) mtls["client_certificate_file"] = c.client_source;
  if (!c.client_problem.empty()) mtls["client_certificate_problem"] = c.client_problem;
  mtls["answer"] = answerToJson(c.answer);
  if (c.anonymous) mtls["anonymous_answer"] = answerToJson(*c.anonymous);
  j["mtls"] = std::move(mtls);
  return j;
}

}  // namespace certvigil::cli
