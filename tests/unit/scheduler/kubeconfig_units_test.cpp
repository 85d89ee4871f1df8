// SPDX-License-Identifier: Apache-2.0
// scheduler/scan_unit: kubeconfig units from the config; `probe_servers` carries the endpoint
// timeout, and switching it on or off is another scan (no cache carries over).
#include <doctest/doctest.h>

#include "scheduler/scan_unit.h"
#include "scheduler/unit_source.h"

namespace certvigil::scheduler {
namespace {

TEST_CASE("kubeconfig units: probe_servers is off by default and carries the timeout") {
  config::Config c;
  c.timeout = Seconds{7};
  config::KubeconfigConfig quiet;
  quiet.path = "/k/quiet.yaml";
  config::KubeconfigConfig probing;
  probing.path = "/k/probing.yaml";
  probing.probe_servers = true;
  c.kubeconfigs = {quiet, probing};
  const std::vector<ScanUnit> units = unitsFromConfig(c);
  REQUIRE(units.size() == 2);
  CHECK(units[0].name == "kubeconfig:/k/quiet.yaml");
  CHECK_FALSE(units[0].files->probe_servers.has_value());
  CHECK(units[1].name == "kubeconfig:/k/probing.yaml");
  REQUIRE(units[1].files->probe_servers.has_value());
  CHECK(units[1].files->probe_servers->timeout == std::chrono::milliseconds(7000));
  CHECK(sourceKindOf(units[1]) == SourceKind::Kubeconfig);

  ScanUnit toggled = units[1];
  toggled.files.edit().probe_servers.reset();
  CHECK_FALSE(sameScan(units[1], toggled));
}

}  // namespace
}  // namespace certvigil::scheduler
