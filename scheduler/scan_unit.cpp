#include "scheduler/scan_unit.h"

namespace certvigil::scheduler {

std::vector<ScanUnit> unitsFromConfig(const config::Config& config) {
  std::vector<ScanUnit> units;
  for (const auto& f : config.files) {
    ScanUnit u;
    u.name = f.path;
    u.kind = f.role == Role::CaBundle ? TargetKind::Bundle : TargetKind::File;
    u.interval = f.interval.value_or(config.interval);
    u.role = f.role;
    u.key = f.key;
    u.password_file = f.password_file;
    u.chain = f.chain;
    u.crl_files = f.crl_files;
    u.hostname = f.hostname;
    units.push_back(std::move(u));
  }
  for (const auto& b : config.bundles) {
    ScanUnit u;
    u.name = b.path;
    u.kind = TargetKind::Bundle;
    u.role = Role::CaBundle;
    u.interval = b.interval.value_or(config.interval);
    units.push_back(std::move(u));
  }
  return units;
}

}  // namespace certvigil::scheduler
