// SPDX-License-Identifier: Apache-2.0
#include "storage/endpoint_repository.h"

#include <cstdio>

namespace certvigil::storage {
namespace {

// The columns that make a change (everything but changed_at).
constexpr const char* kUpsert =
    "INSERT INTO endpoint_facts (target_id, ip, servername, probe_failure, failure_detail, "
    "tls_version, cipher, ocsp_status, mtls_expected, certificate_requested, "
    "acceptable_ca_names, client_certificate_sent, server_answer, changed_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) "
    "ON CONFLICT (target_id) DO UPDATE SET ip = excluded.ip, servername = excluded.servername, "
    "probe_failure = excluded.probe_failure, failure_detail = excluded.failure_detail, "
    "tls_version = excluded.tls_version, cipher = excluded.cipher, "
    "ocsp_status = excluded.ocsp_status, mtls_expected = excluded.mtls_expected, "
    "certificate_requested = excluded.certificate_requested, "
    "acceptable_ca_names = excluded.acceptable_ca_names, "
    "client_certificate_sent = excluded.client_certificate_sent, "
    "server_answer = excluded.server_answer, changed_at = excluded.changed_at "
    "WHERE (ip, servername, probe_failure, failure_detail, tls_version, cipher, ocsp_status, "
    "mtls_expected, certificate_requested, acceptable_ca_names, client_certificate_sent, "
    "server_answer) IS NOT (excluded.ip, excluded.servername, excluded.probe_failure, "
    "excluded.failure_detail, excluded.tls_version, excluded.cipher, excluded.ocsp_status, "
    "excluded.mtls_expected, excluded.certificate_requested, excluded.acceptable_ca_names, "
    "excluded.client_certificate_sent, excluded.server_answer)";

}  // namespace

std::string jsonStringArray(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ",";
    out += '"';
    for (const unsigned char c : items[i]) {
      if (c == '"' || c == '\\') {
        out += '\\';
        out += static_cast<char>(c);
      } else if (c < 0x20) {
        char escaped[8];
        std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
        out += escaped;
      } else {
        out += static_cast<char>(c);
      }
    }
    out += '"';
  }
  return out + "]";
}

Result<EndpointRepository> EndpointRepository::create(Database& db) {
  EndpointRepository repo;
  auto upsert = db.prepare(kUpsert);
  if (!upsert) return upsert.error();
  repo.upsert_ = std::move(*upsert);
  return repo;
}

Status EndpointRepository::upsert(int64_t target_row, const EndpointFacts& f, int64_t now) {
  // Bound text is not copied: these must outlive run().
  const std::string names = jsonStringArray(f.client->acceptable_ca_names);
  const std::string answer = f.client->answer.describe();
  upsert_.bind(1, target_row)
      .bind(2, f.ip)
      .bind(3, f.servername)
      .bind(4, toString(f.failure))
      .bind(5, f.failure_words->detail)
      .bind(6, f.tls_version.str())
      .bind(7, f.cipher.str())
      .bind(8, f.ocsp_status.str())
      .bind(9, toString(f.client->expected))
      .bind(10, f.client->certificate_requested ? 1 : 0)
      .bind(11, names)
      .bind(12, f.client->certificate_sent ? 1 : 0)
      .bind(13, answer)
      .bind(14, now);
  return upsert_.run();
}

}  // namespace certvigil::storage
