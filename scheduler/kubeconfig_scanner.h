// SPDX-License-Identifier: Apache-2.0
// scheduler/kubeconfig_scanner.h: scans a kubeconfig unit: reads the kubeconfig
// (probers/kubeconfig_prober.h) and judges each user's client certificate and each cluster's CA.
#pragma once

#include "scheduler/scan_unit.h"
#include "scheduler/unit_scanner.h"

namespace certvigil::scheduler {

/// Reads and judges one kubeconfig unit now. Never throws; problems are findings.
UnitOutcome scanKubeconfigUnit(const ScanUnit& unit, const ScanContext& context);

}  // namespace certvigil::scheduler
