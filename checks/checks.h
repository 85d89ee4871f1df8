// SPDX-License-Identifier: Apache-2.0
// checks/checks.h: the entry point of the checks module: run every check on an observation,
// and resolve what each presented certificate is (server, client, CA, any) for labels and
// reports.
#pragma once

#include <span>
#include <vector>

#include "checks/check.h"
#include "core/certificate.h"
#include "core/finding.h"
#include "core/observation.h"
#include "core/policy.h"
#include "core/target.h"
#include "core/time.h"

namespace certvigil::checks {

/// Every check, in the order they run (the kChecks table).
std::span<const CheckEntry> allChecks();

/// Runs every check on the observation; the findings come back worst first.
std::vector<Finding> runChecks(const Observation& obs, const Policy& policy, TimePoint now);

/// The earliest instant after `now` at which runChecks may find something else for the same
/// observation (the earliest horizon of the check table); TimePoint::max() when none is ahead.
TimePoint nextChange(const Observation& obs, const Policy& policy, TimePoint now);

/// What the certificate at `position` is. An explicit role (client / server) applies to
/// position 0, and higher positions of such a chain are Ca. Otherwise it follows from the
/// certificate: CA:TRUE -> Ca; serverAuth -> Server; clientAuth only -> Client; no EKU, or only
/// other purposes -> Any.
ResolvedRole resolveRole(const CertificateFacts& facts, Role requested, int position);

/// resolveRole for every presented certificate, in observation order. An endpoint's leaf is a
/// server certificate (Role::Server) when the observation's role is auto.
std::vector<ResolvedRole> resolveRoles(const Observation& obs);

}  // namespace certvigil::checks
