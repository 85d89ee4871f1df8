// SPDX-License-Identifier: Apache-2.0
// cli/target_options.h: the options `check` and `diagnose` share (docs/man/certvigil.1: the
// same names in both), and how they become a Config the scheduler runs: files and endpoints
// from TARGETs.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"

namespace certvigil::cli {

struct TargetOptions {
  std::vector<std::string> targets;
  bool json = false;
  std::string role = "auto";
  std::string ca;
  std::string chain;
  std::string key;
  std::string password_file;
  std::vector<std::string> crl;
  std::string hostname;
  std::optional<int> warn_days;
  std::optional<int> crit_days;
  std::string servername;
  std::string client_cert;
  std::string client_key;
  std::string client_pkcs12;
  std::string mtls = "none";
  std::string starttls = "none";
  std::optional<double> timeout_seconds;
  std::string clients;  ///< --clients openssl,go,... ("" : the default four)
  std::string at;       ///< --at TIME (RFC 3339 or +30d / -7d): judge as of that instant
  std::string revocation = "auto";  ///< --revocation auto|off: ask the CA (CRL, OCSP) or not
  std::vector<std::string> acme_directories;  ///< --acme-directory URL (repeatable)
  std::vector<std::string> kubeconfigs;       ///< check --kubeconfig FILE (repeatable)
  bool probe_servers = false;  ///< check --probe-servers: probe the kubeconfigs' API servers
};

/// Adds every option but TARGET to `cmd`.
void addTargetOptions(CLI::App& cmd, TargetOptions& o);

/// host:port or [v6]:port that is not an existing file: an endpoint.
bool looksLikeEndpoint(const std::string& target);

/// The config a one-shot run scans: each TARGET as a file entry or an endpoint entry.
config::Config configFrom(const TargetOptions& o);

/// A problem with the options themselves (e.g. --crit-days above --warn-days), "" if none.
std::string optionProblem(const TargetOptions& o);

/// --clients as a set; nullopt (with *why) when a name is unknown.
std::optional<ClientSet> clientsOption(const std::string& text, std::string* why = nullptr);

/// The clock a one-shot run judges by: the instant --at names, else the wall clock. Call after
/// optionProblem() found no problem.
std::unique_ptr<Clock> judgingClock(const TargetOptions& o);

/// The instant --at names ("" : nullopt, judge now); `now` anchors "+30d". *why on error.
std::optional<TimePoint> atOption(const std::string& text, TimePoint now, std::string* why);

}  // namespace certvigil::cli
