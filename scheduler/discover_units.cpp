// SPDX-License-Identifier: Apache-2.0
// scheduler/discover_units.cpp: discover units from the config, and the ordinary units a
// discovery expands to. Discovered entries are built as the config loader would build the same
// entries written by hand (the servername defaults to the host), so a discovered endpoint and a
// pasted `certvigil discover` output scan alike.
#include <chrono>

#include "scheduler/discover_source.h"

namespace certvigil::scheduler {
namespace {

ScanUnit childOf(const ScanUnit& parent, std::string name, TargetKind kind, Role role) {
  ScanUnit u;
  u.name = std::move(name);
  u.kind = kind;
  u.role = role;
  u.interval = parent.interval;
  u.clients = parent.clients;
  u.revocation = parent.revocation;
  return u;
}

void addEndpoints(const discovery::Discovery& found, const ScanUnit& parent, ChildUnits& out) {
  config::Config defaults;  // endpointSpecFrom takes only the timeout from it
  defaults.timeout = std::chrono::duration_cast<Seconds>(parent.discover->timeout);
  for (const discovery::DiscoveredEndpoint& e : found.endpoints) {
    config::EndpointConfig entry = e.endpoint;
    if (entry.servername.empty()) {
      if (const auto hp = config::parseHostPort(entry.address)) entry.servername = hp->host;
    }
    ScanUnit u = childOf(parent, endpointTargetName(entry), TargetKind::Endpoint, Role::Server);
    u.endpoint = endpointSpecFrom(entry, defaults);
    out.units.push_back(std::move(u));
    out.origins.push_back(e.origin.describe());
  }
}

// A CRL file is a file unit judged against the client-CA bundles of the servers that use it.
void addCrls(const discovery::Discovery& found, const ScanUnit& parent, ChildUnits& out) {
  for (const discovery::DiscoveredPath& c : found.crls) {
    ScanUnit u = childOf(parent, c.path, TargetKind::File, Role::Auto);
    u.files.edit().issuers.assign(c.issuers.begin(), c.issuers.end());
    u.files.edit().used_by = std::string(discovery::toString(found.server)) + " (" + c.directive +
                             " at " + c.origin.describe() + ")";
    out.units.push_back(std::move(u));
    out.origins.push_back(c.origin.describe());
  }
}

}  // namespace

ChildUnits childUnits(const discovery::Discovery& found, const ScanUnit& parent) {
  ChildUnits out;
  addEndpoints(found, parent, out);
  for (const discovery::DiscoveredFile& f : found.files) {
    ScanUnit u = childOf(parent, f.file.path, TargetKind::File, f.file.role);
    u.files.edit().key = f.file.key;
    u.files.edit().chain = f.file.chain;
    out.units.push_back(std::move(u));
    out.origins.push_back(f.origin.describe());
  }
  for (const discovery::DiscoveredPath& b : found.bundles) {
    out.units.push_back(childOf(parent, b.path, TargetKind::Bundle, Role::CaBundle));
    out.origins.push_back(b.origin.describe());
  }
  addCrls(found, parent, out);
  return out;
}

std::vector<ScanUnit> discoverUnitsFromConfig(const config::Config& config) {
  std::vector<ScanUnit> units;
  for (const config::DiscoverConfig& d : config.discover) {
    const std::optional<discovery::ServerKind> kind = discovery::serverKindFromString(d.server);
    if (!kind) continue;  // the loader refused it already
    DiscoverSpec spec;
    spec.server = d.server;
    spec.path = d.path.empty() ? discovery::defaultConfigPath(*kind) : d.path;
    spec.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(config.timeout);
    ScanUnit u;
    u.name = discovery::sourceLabel(*kind) + ":" + spec.path.string();
    u.kind = TargetKind::Discover;
    u.interval = d.interval.value_or(config.interval);
    u.clients = config.clients;
    u.revocation = config.revocation;
    u.discover.edit() = std::move(spec);
    units.push_back(std::move(u));
  }
  return units;
}

}  // namespace certvigil::scheduler
