// scheduler/scan_unit.h: a scan unit is one configured entry (a file glob, a bundle, later an
// endpoint) with everything needed to scan it. The daemon builds them from the config; the
// `check` command builds them from its command line.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/target.h"
#include "core/time.h"

namespace certvigil::scheduler {

struct ScanUnit {
  std::string name;                    ///< the pattern as configured (the `unit` everywhere)
  TargetKind kind = TargetKind::File;  ///< File or Bundle
  Seconds interval{Seconds{3600}};
  Role role = Role::Auto;
  std::filesystem::path key;
  std::filesystem::path password_file;
  std::filesystem::path chain;
  std::vector<std::filesystem::path> crl_files;
  std::string hostname;
};

/// The file and bundle units of a config, in config order.
std::vector<ScanUnit> unitsFromConfig(const config::Config& config);

}  // namespace certvigil::scheduler
