// SPDX-License-Identifier: Apache-2.0
#include "storage/repositories.h"

#include <utility>

namespace certvigil::storage {

Result<Repositories> Repositories::create(Database& db) {
  auto units = UnitRepository::create(db);
  if (!units) return units.error();
  auto certificates = CertificateRepository::create(db);
  if (!certificates) return certificates.error();
  auto targets = TargetRepository::create(db);
  if (!targets) return targets.error();
  auto observations = ObservationRepository::create(db);
  if (!observations) return observations.error();
  auto findings = FindingRepository::create(db);
  if (!findings) return findings.error();
  auto scans = ScanRepository::create(db);
  if (!scans) return scans.error();
  auto endpoints = EndpointRepository::create(db);
  if (!endpoints) return endpoints.error();
  auto events = EventRepository::create(db);
  if (!events) return events.error();
  return Repositories{std::move(*units),        std::move(*certificates), std::move(*targets),
                      std::move(*observations), std::move(*findings),     std::move(*scans),
                      std::move(*endpoints),    std::move(*events),       &db};
}

Status Repositories::load(StateCache& cache) {
  cache.clear();
  LoadIndex index;
  if (auto status = units.load(cache, index); !status) return status;
  if (auto status = certificates.load(cache.fingerprints); !status) return status;
  if (auto status = targets.load(index); !status) return status;
  if (auto status = observations.load(cache.fingerprints, index); !status) return status;
  return findings.load(cache.fingerprints, index);
}

}  // namespace certvigil::storage
