// SPDX-License-Identifier: Apache-2.0
// tests/unit/web/web_fixtures.h: a small real database for the history reader and API tests,
// written through StateStore exactly as the daemon writes it.
//
// Scans (t = kT0 + offset):
//   t=0   unit "glob":   /srv/a.pem presents cert 4 (server) + cert 2 (ca)
//                        /srv/b.pem presents cert 3, findings weak_key (warning), expired
//                        (critical)
//   t=0   unit "bundle": /srv/a.pem presents cert 2 (the same name in another unit)
//   t=0   unit "api:443" (endpoint): no certificate, finding connect_failed (position -1)
//   t=100 unit "glob":   /srv/a.pem now presents cert 1 + cert 2, finding expires_soon on cert 1
//                        /srv/b.pem unchanged but weak_key resolved
#pragma once

#include <filesystem>
#include <memory>

#include "core/snapshot.h"
#include "tests/support/test_support.h"
#include "tests/unit/storage/storage_fixtures.h"

namespace certvigil::testing {

struct WebFixture {
  TempDir dir;
  std::filesystem::path db;
  SnapshotPtr snapshot;  ///< the latest results (what the Monitor would publish)
  WebFixture();
};

/// A SnapshotSource over a fixed snapshot.
class FixedSnapshots final : public SnapshotSource {
 public:
  explicit FixedSnapshots(SnapshotPtr snapshot) : snapshot_(std::move(snapshot)) {}
  SnapshotPtr latest() const override { return snapshot_; }

 private:
  SnapshotPtr snapshot_;
};

}  // namespace certvigil::testing
