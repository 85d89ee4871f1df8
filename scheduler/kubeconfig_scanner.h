// SPDX-License-Identifier: Apache-2.0
// scheduler/kubeconfig_scanner.h: scans a kubeconfig unit: reads the kubeconfig
// (probers/kubeconfig_prober.h) and judges each user's client certificate and each cluster's CA;
// with `probe_servers`, also probes each context's API server as an mTLS endpoint
// (probers/kubeconfig_servers.h) in one batch, through the endpoint scanner like configured
// endpoints, each result carrying the context it came from as its origin.
#pragma once

#include <functional>

#include "scheduler/scan_unit.h"
#include "scheduler/unit_scanner.h"

namespace certvigil::scheduler {

/// Reads and judges one kubeconfig unit now; its servers are probed with `prober` when the
/// unit asks for it (and a prober is given). Never throws; problems are findings.
UnitOutcome scanKubeconfigUnit(const ScanUnit& unit, const ScanContext& context,
                               probers::EndpointProber* prober = nullptr,
                               const std::function<void()>& heartbeat = {});

}  // namespace certvigil::scheduler
