// SPDX-License-Identifier: Apache-2.0
// tests/unit/storage/storage_fixtures.h: synthetic certificates, scan results and a raw SQLite
// view of the database file, for the storage tests.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/snapshot.h"
#include "storage/state_store.h"

struct sqlite3;

namespace certvigil::testing {

/// A fixed "now" for storage tests: 2026-01-01T00:00:00Z.
constexpr int64_t kT0 = 1767225600;
inline TimePoint at(int64_t offset_seconds) { return fromUnix(kT0 + offset_seconds); }

/// A certificate whose fingerprint is `n` as 64 hex digits; CN=cert-<n>.
CertificateFactsPtr fakeCertificate(int n);

/// One target's result with the given certificates (positions 0..) and findings.
TargetResultPtr fakeResult(const std::string& unit, const std::string& target,
                           const std::vector<CertificateFactsPtr>& certificates,
                           std::vector<Finding> findings = {}, TargetKind kind = TargetKind::File);

/// A finding about the certificate at `position` of `certificates`.
Finding fakeFinding(FindingCode code, const CertificateFactsPtr& certificate, int position,
                    Severity severity, const std::string& message = "message");

UnitScan fakeScan(const std::string& unit, TimePoint started_at,
                  TargetKind kind = TargetKind::File);

/// A second, raw connection to a database file, for checking what was written.
class RawDb {
 public:
  explicit RawDb(const std::filesystem::path& path);
  ~RawDb();
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  /// The first column of the first row as an integer (-1 for NULL or no row).
  int64_t integer(const std::string& sql) const;
  /// The first column of the first row as text ("" for NULL or no row).
  std::string text(const std::string& sql) const;
  /// Runs statements; fails the test on error.
  void exec(const std::string& sql) const;

 private:
  ::sqlite3* db_ = nullptr;
};

/// Opens a store, failing the test with the error's description if it cannot.
std::unique_ptr<storage::StateStore> openStore(const std::filesystem::path& path);

}  // namespace certvigil::testing
