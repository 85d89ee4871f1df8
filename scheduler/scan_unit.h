// SPDX-License-Identifier: Apache-2.0
// scheduler/scan_unit.h: a scan unit is one configured entry (a file glob, a bundle, an
// endpoint) with everything needed to scan it. The daemon builds them from the config; the
// `check` command builds them from its command line.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "core/boxed.h"
#include "core/shared_text.h"
#include "core/target.h"
#include "core/time.h"
#include "probers/endpoint_prober.h"

namespace certvigil::scheduler {

/// A discover unit's input: the web server configuration it follows, and the settings the
/// entries it finds get from the config.
struct DiscoverSpec {
  std::string server;          ///< "nginx" | "apache" | "haproxy"
  std::filesystem::path path;  ///< the main file (the distribution default when not given)
  std::chrono::milliseconds timeout{10000};  ///< of each discovered endpoint's probe
  friend bool operator==(const DiscoverSpec&, const DiscoverSpec&) = default;
};

/// A kubeconfig unit with `probe_servers`: each context's cluster server is probed as an mTLS
/// endpoint with the context's user's client certificate (scheduler/kubeconfig_scanner.h).
struct KubeServerProbe {
  std::chrono::milliseconds timeout{10000};  ///< of each server's probe
  friend bool operator==(const KubeServerProbe&, const KubeServerProbe&) = default;
};

/// What only file, bundle and kubeconfig units read: the inputs of their files. Endpoint units,
/// often thousands, have none, so ScanUnit holds it boxed (~380 bytes less per endpoint).
struct FileUnitInputs {
  std::filesystem::path key;
  std::filesystem::path password_file;
  std::filesystem::path chain;
  std::vector<std::filesystem::path> crl_files;
  std::string hostname;
  /// A CRL file unit: the CA bundles its server verifies peers with (`issuers:`, or the client
  /// CAs of the server block that names it), and who uses it ("nginx (ssl_crl at FILE:LINE)").
  std::vector<std::filesystem::path> issuers;
  std::string used_by;
  /// Kubeconfig units: the kubeconfig file (the unit's name is "kubeconfig:<file>"; its kind
  /// File, the kind the unit is stored as).
  std::filesystem::path kubeconfig;
  /// Kubeconfig units with `probe_servers: true`: how the API servers are probed.
  std::optional<KubeServerProbe> probe_servers;
  friend bool operator==(const FileUnitInputs&, const FileUnitInputs&) = default;
};

struct ScanUnit {
  /// The pattern as configured (the `unit` everywhere). Shared: every scan of the unit and every
  /// result it gives carries it.
  SharedText name;
  TargetKind kind = TargetKind::File;
  Seconds interval{Seconds{3600}};
  Role role = Role::Auto;
  /// Whose verdict matters where clients differ (the entry's `clients:`, else the global one).
  ClientSet clients = ClientSet::defaults();
  /// How the CA is asked whether the unit's certificates are revoked (the entry's, else the
  /// global `revocation:`).
  config::RevocationConfig revocation;
  /// Endpoint units (kind Endpoint): the endpoint to probe. Its name is the target name.
  std::optional<probers::EndpointSpec> endpoint;
  /// Discover units (kind Discover): the server configuration read at every scan. Boxed: 80
  /// bytes inline in every unit, set by few.
  Boxed<DiscoverSpec> discover;
  /// File, bundle and kubeconfig units: `files->key` to read, `files.edit().key` to set.
  Boxed<FileUnitInputs> files;

  /// Every field: derived, so a field added later is compared too.
  friend bool operator==(const ScanUnit&, const ScanUnit&) = default;
};

/// Whether two units scan the same things the same way: equal in every field but `interval`
/// and `clients` (a new interval reschedules, new clients re-judge; neither needs another read),
/// so caches carry over a reload.
bool sameScan(const ScanUnit& a, const ScanUnit& b);

/// The target name of an endpoint: its address, plus "/servername" when it names another host
/// than the address (two entries for one IP with different SNI stay apart).
std::string endpointTargetName(const config::EndpointConfig& endpoint);

/// The endpoint spec of a config entry, with the config's defaults applied.
probers::EndpointSpec endpointSpecFrom(const config::EndpointConfig& endpoint,
                                       const config::Config& config);

/// The policy a unit's targets are judged with: `base` with the unit's clients.
Policy unitPolicy(const ScanUnit& unit, const Policy& base);

/// A configured endpoint as `/probe` finds it: its spec, defaults applied, and whose verdict
/// matters.
struct ConfiguredEndpoint {
  probers::EndpointSpec spec;
  ClientSet clients;
};

/// Whether `unit` is the configured endpoint at `address` (host:port as configured) with
/// `servername` (as configured or as its A-label; empty: any).
bool configuresEndpoint(const ScanUnit& unit, std::string_view address,
                        std::string_view servername);

/// The discover units of a config (scheduler/discover_units.cpp).
std::vector<ScanUnit> discoverUnitsFromConfig(const config::Config& config);

/// The file, bundle, endpoint, kubeconfig and discover units of a config, in config order.
std::vector<ScanUnit> unitsFromConfig(const config::Config& config);

}  // namespace certvigil::scheduler
