// SPDX-License-Identifier: Apache-2.0
// tests/unit/alerts/alerts_fixtures.h: a database with findings recorded through the real
// StateStore (so the real triggers write the events), and a scripted Notifier for the channel
// state machine.
#pragma once

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "alerts/notifiers/notifier.h"
#include "storage/outbox_repository.h"
#include "storage/state_store.h"
#include "tests/support/test_support.h"
#include "tests/unit/storage/storage_fixtures.h"

namespace certvigil::testing {

/// A state database in a temp dir, its StateStore and a second connection (the Outbox).
struct AlertDb {
  TempDir dir;
  std::filesystem::path path = dir / "certvigil.db";
  std::unique_ptr<storage::StateStore> store = openStore(path);
  std::unique_ptr<storage::Outbox> outbox = openOutbox();

  std::unique_ptr<storage::Outbox> openOutbox() const;
  /// Records one scan of unit "files" with `count` targets, each with one expires_soon finding
  /// of `severity`; returns the events written.
  void scanWithFindings(int count, Severity severity, int64_t offset = 0);
  /// Every event, oldest first.
  std::vector<AlertEvent> events() const;
};

/// Answers deliver() from a script (then Delivered), and remembers what it was given.
class ScriptedNotifier final : public alerts::Notifier {
 public:
  struct Log {
    std::vector<std::vector<std::string>> calls;  ///< the uids of each deliver() call
  };
  ScriptedNotifier(std::shared_ptr<Log> log, std::deque<alerts::Outcome> script, size_t batch = 1)
      : log_(std::move(log)), script_(std::move(script)), batch_(batch) {}

  size_t maxBatch() const override { return batch_; }
  alerts::Delivery deliver(std::span<const alerts::AlertEvent> events, TimePoint now) override;

 private:
  std::shared_ptr<Log> log_;
  std::deque<alerts::Outcome> script_;
  size_t batch_;
};

/// Settings of a webhook notifier named `name` with the given max_age.
alerts::NotifierSettings settingsNamed(const std::string& name, Seconds max_age = Seconds(86400));

}  // namespace certvigil::testing
