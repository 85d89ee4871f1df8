// SPDX-License-Identifier: Apache-2.0
#include "tests/unit/storage/storage_fixtures.h"

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <cstdio>
#include <memory>

namespace certvigil::testing {

CertificateFactsPtr fakeCertificate(int n) {
  auto facts = std::make_shared<CertificateFacts>();
  char hex[65];
  std::snprintf(hex, sizeof(hex), "%064x", n);
  facts->fingerprint_sha256 = hex;
  facts->subject = "CN=cert-" + std::to_string(n);
  facts->issuer = "CN=Test CA";
  facts->common_name = "cert-" + std::to_string(n);
  facts->serial = std::to_string(1000 + n);
  facts->not_before = at(-86400);
  facts->not_after = at(86400 * (30 + n % 365));
  facts->key_type = KeyType::Ec;
  facts->key_bits = 256;
  facts->signature_algorithm = "ecdsa-with-SHA256";
  facts->has_eku = true;
  facts->eku_server_auth = true;
  facts->der = std::string("\x30\x82\x01\x00", 4) + hex;
  return facts;
}

TargetResultPtr fakeResult(const std::string& unit, const std::string& target,
                           const std::vector<CertificateFactsPtr>& certificates,
                           std::vector<Finding> findings, TargetKind kind) {
  auto result = std::make_shared<TargetResult>();
  result->unit = unit;
  result->observation.target = target;
  result->observation.kind = kind;
  for (size_t i = 0; i < certificates.size(); ++i) {
    result->observation.certificates.push_back({certificates[i], static_cast<int>(i)});
    result->roles.push_back(i == 0 ? ResolvedRole::Server : ResolvedRole::Ca);
  }
  result->findings = std::move(findings);
  return result;
}

Finding fakeFinding(FindingCode code, const CertificateFactsPtr& certificate, int position,
                    Severity severity, const std::string& message) {
  Finding finding = makeFinding(code, message, certificate ? certificate->fingerprint_sha256 : "",
                                certificate ? position : -1);
  finding.severity = severity;
  return finding;
}

UnitScan fakeScan(const std::string& unit, TimePoint started_at, TargetKind kind) {
  UnitScan scan;
  scan.unit = unit;
  scan.kind = kind;
  scan.started_at = started_at;
  scan.duration_seconds = 0.25;
  return scan;
}

RawDb::RawDb(const std::filesystem::path& path) {
  REQUIRE(sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
}

RawDb::~RawDb() { sqlite3_close_v2(db_); }

int64_t RawDb::integer(const std::string& sql) const {
  sqlite3_stmt* stmt = nullptr;
  REQUIRE_MESSAGE(sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK,
                  sqlite3_errmsg(db_));
  int64_t value = -1;
  if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_type(stmt, 0) != SQLITE_NULL) {
    value = sqlite3_column_int64(stmt, 0);
  }
  sqlite3_finalize(stmt);
  return value;
}

std::string RawDb::text(const std::string& sql) const {
  sqlite3_stmt* stmt = nullptr;
  REQUIRE_MESSAGE(sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK,
                  sqlite3_errmsg(db_));
  std::string value;
  if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_type(stmt, 0) != SQLITE_NULL) {
    value = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  }
  sqlite3_finalize(stmt);
  return value;
}

void RawDb::exec(const std::string& sql) const {
  char* error = nullptr;
  const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error);
  const std::string message = error != nullptr ? error : "";
  sqlite3_free(error);
  REQUIRE_MESSAGE(rc == SQLITE_OK, message);
}

std::unique_ptr<storage::StateStore> openStore(const std::filesystem::path& path) {
  auto store = storage::StateStore::open(path);
  REQUIRE_MESSAGE(store.ok(), (store.ok() ? "" : store.error().describe()));
  return std::move(*store);
}

}  // namespace certvigil::testing
