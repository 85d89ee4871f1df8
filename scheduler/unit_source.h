// SPDX-License-Identifier: Apache-2.0
// scheduler/unit_source.h: the one contract every kind of scan unit meets, and the table that
// maps each kind to its implementation (unit_sources.cpp). The Monitor only groups the due
// units by kind and hands each group to its source: it never branches on a kind, so a new
// source of targets is one class and one line in kUnitSources.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "probers/tls_probe.h"
#include "scheduler/scan_unit.h"
#include "scheduler/unit_scanner.h"

namespace certvigil::scheduler {

/// The key of the source table: files, bundles, endpoints and discover units by their target
/// kind; kubeconfig units, whose targets are files and bundles, by their own.
enum class SourceKind { File, Bundle, Endpoint, Kubeconfig, Discover };

/// Which source scans `unit` (the one place that looks at what a unit is).
SourceKind sourceKindOf(const ScanUnit& unit);

/// What every source shares with the Monitor, fixed for the Monitor's life.
struct SourceDeps {
  x509::CertificateCache& certificates;
  probers::ChainVerdictCache& verdicts;
};

/// Scans (collects, then judges) the units of one kind. Long-lived: the Monitor keeps one per
/// kind across scans and reloads, and a source keeps what it learnt about a unit (stat caches,
/// TLS contexts) for as long as a unit that scans the same way (sameScan) is configured.
class UnitSource {
 public:
  virtual ~UnitSource() = default;

  /// Scans `units` (all of this source's kind) now; result[i] belongs to units[i]. Never throws:
  /// failures are findings. A source that probes concurrently does the whole batch at once;
  /// `heartbeat` is called at least every few seconds while it runs.
  virtual std::vector<UnitOutcome> scan(const std::vector<const ScanUnit*>& units,
                                        const ScanContext& context,
                                        const std::function<void()>& heartbeat) = 0;

  /// A new configuration is in force: its units (of this kind) and settings. The source forgets
  /// the units no longer configured and whatever depended on the old trust store.
  virtual void configure(const std::vector<const ScanUnit*>& units, const x509::TrustStore& trust,
                         const probers::ProbeLimits& limits) = 0;

  /// Whether a reload scans this source's units at once, even those it keeps: true for sources
  /// whose targets come from files outside certvigil's config (a web server's configuration).
  virtual bool rescanOnReload() const { return false; }
};
using UnitSourcePtr = std::unique_ptr<UnitSource>;

/// The source for units of `kind`, from the table in unit_sources.cpp.
UnitSourcePtr makeUnitSource(SourceKind kind, const SourceDeps& deps);

/// Every kind the table knows, in table order.
const std::vector<SourceKind>& sourceKinds();

}  // namespace certvigil::scheduler
