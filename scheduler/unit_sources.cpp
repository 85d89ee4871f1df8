// SPDX-License-Identifier: Apache-2.0
// scheduler/unit_sources.cpp: the sources of scan units, one per kind, and the table that maps a
// kind to its source. Explicit and greppable (no self-registration): a new kind of target is
// one UnitSource and one line in kUnitSources.
#include <algorithm>
#include <string>
#include <unordered_map>

#include "core/log.h"
#include "scheduler/discover_source.h"
#include "scheduler/endpoint_scanner.h"
#include "scheduler/kubeconfig_scanner.h"
#include "scheduler/unit_source.h"

namespace certvigil::scheduler {
namespace {

/// Scans the units one after the other with `scan_one`, with a heartbeat after each.
template <typename ScanOne>
std::vector<UnitOutcome> scanEach(const std::vector<const ScanUnit*>& units,
                                  const std::function<void()>& heartbeat, ScanOne scan_one) {
  std::vector<UnitOutcome> outcomes;
  outcomes.reserve(units.size());
  for (const ScanUnit* unit : units) {
    outcomes.push_back(scan_one(*unit));
    if (heartbeat) heartbeat();
  }
  return outcomes;
}

/// Files and bundles: each unit is expanded, read when it changed and judged on its own, one
/// unit after the other (reading fans out over threads inside a unit).
class FileSource final : public UnitSource {
 public:
  explicit FileSource(const SourceDeps&) {}

  std::vector<UnitOutcome> scan(const std::vector<const ScanUnit*>& units,
                                const ScanContext& context,
                                const std::function<void()>& heartbeat) override {
    return scanEach(units, heartbeat,
                    [&](const ScanUnit& unit) { return scannerFor(unit).scan(context); });
  }

  void configure(const std::vector<const ScanUnit*>& units, const x509::TrustStore&,
                 const probers::ProbeLimits&) override {
    Scanners kept;
    for (const ScanUnit* unit : units) kept[unit->name].push_back(takeScanner(*unit));
    scanners_ = std::move(kept);
  }

 private:
  /// Scanners by unit name: discovery can configure thousands of file units, and a lookup per
  /// unit per scan must not walk them all. Rarely more than one per name (the same pattern
  /// configured twice with other options).
  using Scanners = std::unordered_map<std::string, std::vector<std::unique_ptr<UnitScanner>>>;

  /// The scanner of a unit that scans the same way, keeping its caches; a new one otherwise.
  std::unique_ptr<UnitScanner> takeScanner(const ScanUnit& unit) {
    for (auto& scanner : namesake(unit)) {
      if (scanner && sameScan(scanner->unit(), unit)) {
        scanner->setUnit(unit);  // a new interval or clients list keeps the caches
        return std::move(scanner);
      }
    }
    return std::make_unique<UnitScanner>(unit);
  }

  UnitScanner& scannerFor(const ScanUnit& unit) {
    auto& same_name = namesake(unit);
    for (auto& scanner : same_name) {
      if (scanner && sameScan(scanner->unit(), unit)) return *scanner;
    }
    return *same_name.emplace_back(std::make_unique<UnitScanner>(unit));
  }

  std::vector<std::unique_ptr<UnitScanner>>& namesake(const ScanUnit& unit) {
    return scanners_[unit.name];
  }

  Scanners scanners_;
};

/// Endpoints: every due unit probed in one concurrent batch by one long-lived prober (its TLS
/// contexts are kept across scans), then each judged like a file.
class EndpointSource final : public UnitSource {
 public:
  explicit EndpointSource(const SourceDeps& deps) : deps_(deps) {}

  std::vector<UnitOutcome> scan(const std::vector<const ScanUnit*>& units,
                                const ScanContext& context,
                                const std::function<void()>& heartbeat) override {
    if (units.empty() || !prober_) return std::vector<UnitOutcome>(units.size());
    return scanEndpointUnits(units, context, *prober_, heartbeat);
  }

  void configure(const std::vector<const ScanUnit*>&, const x509::TrustStore& trust,
                 const probers::ProbeLimits& limits) override {
    prober_ = std::make_unique<probers::EndpointProber>(deps_.certificates, deps_.verdicts, trust,
                                                        limits);
  }

 private:
  SourceDeps deps_;
  std::unique_ptr<probers::EndpointProber> prober_;
};

/// Kubeconfigs: each read at every scan (they are small, and credentials are rotated in
/// place), its users' and clusters' certificates judged like files and bundles; with
/// probe_servers, its API servers probed by a long-lived prober of its own.
class KubeconfigSource final : public UnitSource {
 public:
  explicit KubeconfigSource(const SourceDeps& deps) : deps_(deps) {}

  std::vector<UnitOutcome> scan(const std::vector<const ScanUnit*>& units,
                                const ScanContext& context,
                                const std::function<void()>& heartbeat) override {
    return scanEach(units, heartbeat, [&](const ScanUnit& unit) {
      return scanKubeconfigUnit(unit, context, prober_.get(), heartbeat);
    });
  }

  void configure(const std::vector<const ScanUnit*>& units, const x509::TrustStore& trust,
                 const probers::ProbeLimits& limits) override {
    const bool probes = std::any_of(units.begin(), units.end(), [](const ScanUnit* u) {
      return u->files->probe_servers.has_value();
    });
    prober_.reset();  // never one holding the old trust store
    if (probes) {
      prober_ = std::make_unique<probers::EndpointProber>(deps_.certificates, deps_.verdicts, trust,
                                                          limits);
    }
  }

 private:
  SourceDeps deps_;
  std::unique_ptr<probers::EndpointProber> prober_;
};

template <typename Source>
UnitSourcePtr make(const SourceDeps& deps) {
  return std::make_unique<Source>(deps);
}

struct SourceEntry {
  SourceKind kind;
  UnitSourcePtr (*make)(const SourceDeps&);
};

constexpr SourceEntry kUnitSources[] = {
    {SourceKind::File, &make<FileSource>},
    {SourceKind::Bundle, &make<FileSource>},
    {SourceKind::Endpoint, &make<EndpointSource>},
    {SourceKind::Kubeconfig, &make<KubeconfigSource>},
    {SourceKind::Discover, &make<DiscoverSource>},
};

}  // namespace

SourceKind sourceKindOf(const ScanUnit& unit) {
  if (!unit.files->kubeconfig.empty()) return SourceKind::Kubeconfig;
  switch (unit.kind) {
    case TargetKind::Endpoint:
      return SourceKind::Endpoint;
    case TargetKind::Bundle:
      return SourceKind::Bundle;
    case TargetKind::Discover:
      return SourceKind::Discover;
    case TargetKind::File:
      break;
  }
  return SourceKind::File;
}

UnitSourcePtr makeUnitSource(SourceKind kind, const SourceDeps& deps) {
  for (const SourceEntry& entry : kUnitSources) {
    if (entry.kind == kind) return entry.make(deps);
  }
  return nullptr;
}

const std::vector<SourceKind>& sourceKinds() {
  static const std::vector<SourceKind> kinds = [] {
    std::vector<SourceKind> out;
    for (const SourceEntry& entry : kUnitSources) out.push_back(entry.kind);
    return out;
  }();
  return kinds;
}

}  // namespace certvigil::scheduler
