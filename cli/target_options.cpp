// SPDX-License-Identifier: Apache-2.0
#include "cli/target_options.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <regex>
#include <utility>

namespace certvigil::cli {
namespace {

config::EndpointConfig endpointFrom(const TargetOptions& o, const std::string& address) {
  config::EndpointConfig e;
  e.address = address;
  e.servername = o.servername;
  e.mtls = config::mtlsModeFromString(o.mtls).value_or(config::MtlsMode::None);
  e.client_cert = o.client_cert;
  e.client_key = o.client_key;
  e.client_pkcs12 = o.client_pkcs12;
  e.password_file = o.password_file;
  e.starttls = config::startTlsFromString(o.starttls).value_or(config::StartTls::None);
  return e;
}

config::FileConfig fileFrom(const TargetOptions& o, const std::string& path) {
  config::FileConfig f;
  f.path = path;
  f.role = roleFromString(o.role).value_or(Role::Auto);
  f.key = o.key;
  f.password_file = o.password_file;
  f.chain = o.chain;
  for (const auto& crl : o.crl) f.crl_files.emplace_back(crl);
  f.hostname = o.hostname;
  return f;
}

void addFileOptions(CLI::App& cmd, TargetOptions& o) {
  cmd.add_flag("--json", o.json, "print one JSON document");
  cmd.add_option("--role", o.role, "what the certificate must be fit for")
      ->check(CLI::IsMember({"auto", "client", "server", "ca-bundle"}));
  cmd.add_option("--ca", o.ca, "trust anchors (default: the system store)")
      ->check(CLI::ExistingFile);
  cmd.add_option("--chain", o.chain, "intermediates presented with the certificate")
      ->check(CLI::ExistingFile);
  cmd.add_option("--key", o.key, "the private key of the certificate")->check(CLI::ExistingFile);
  cmd.add_option("--password-file", o.password_file,
                 "password of a PKCS#12 file or an encrypted key")
      ->check(CLI::ExistingFile);
  // One file per --crl: a list option would swallow the TARGETs after it, now that TARGET is
  // optional (check --kubeconfig needs none).
  cmd.add_option("--crl", o.crl, "a CRL to check revocation against (repeatable)")
      ->check(CLI::ExistingFile)
      ->allow_extra_args(false);
  cmd.add_option("--revocation", o.revocation,
                 "ask the CA whether certificates are revoked (CRL distribution points, OCSP "
                 "responders): auto (default) or off")
      ->check(CLI::IsMember({"auto", "off"}));
  cmd.add_option("--acme-directory", o.acme_directories,
                 "ask this ACME directory for the leaf's renewal information (RFC 9773); "
                 "renewal_due once its suggested window has started (repeatable)")
      ->allow_extra_args(false);
  cmd.add_option("--hostname", o.hostname, "a name the certificate must cover");
  cmd.add_option("--warn-days", o.warn_days, "warning threshold in days (default 28)")
      ->check(CLI::NonNegativeNumber);
  cmd.add_option("--crit-days", o.crit_days, "critical threshold in days (default 7)")
      ->check(CLI::NonNegativeNumber);
  cmd.add_option("--clients", o.clients,
                 "client families whose verdict matters, comma-separated: openssl, go, chromium, "
                 "rustls, openssl-strict (default: the first four)");
  cmd.add_option("--at", o.at,
                 "judge as of another instant: RFC 3339 (2027-01-01T00:00:00Z) or +30d / -7d");
}

void addEndpointOptions(CLI::App& cmd, TargetOptions& o) {
  cmd.add_option("--servername", o.servername, "SNI and the name to verify (endpoints)");
  cmd.add_option("--client-cert", o.client_cert, "client certificate to present (PEM/DER)")
      ->check(CLI::ExistingFile);
  cmd.add_option("--client-key", o.client_key, "its private key")->check(CLI::ExistingFile);
  cmd.add_option("--client-pkcs12", o.client_pkcs12, "client certificate and key as PKCS#12")
      ->check(CLI::ExistingFile);
  cmd.add_option("--mtls", o.mtls, "what the endpoint must demand of clients")
      ->check(CLI::IsMember({"required", "optional", "none"}));
  cmd.add_option("--starttls", o.starttls, "upgrade a plain connection first")
      ->check(CLI::IsMember({"none", "smtp", "imap", "pop3", "ftp", "ldap", "postgres", "xmpp"}));
  cmd.add_option("--timeout", o.timeout_seconds, "one deadline for the whole probe, in seconds")
      ->check(CLI::PositiveNumber);
}

}  // namespace

void addTargetOptions(CLI::App& cmd, TargetOptions& o) {
  addFileOptions(cmd, o);
  addEndpointOptions(cmd, o);
}

bool looksLikeEndpoint(const std::string& target) {
  static const std::regex endpoint(R"(^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+):[0-9]{1,5}$)");
  std::error_code ec;
  return std::regex_match(target, endpoint) && !std::filesystem::exists(target, ec);
}

config::Config configFrom(const TargetOptions& o) {
  config::Config c;
  if (auto clients = clientsOption(o.clients)) c.clients = *clients;
  c.trust.system = o.ca.empty();
  if (!o.ca.empty()) c.trust.ca_files = {o.ca};
  if (o.warn_days) c.thresholds.warning = Seconds{int64_t{*o.warn_days} * 86400};
  if (o.crit_days) c.thresholds.critical = Seconds{int64_t{*o.crit_days} * 86400};
  if (o.timeout_seconds) {
    // The config counts whole seconds; round a fractional deadline up, never down to zero.
    c.timeout = Seconds{std::max<int64_t>(1, static_cast<int64_t>(*o.timeout_seconds + 0.999))};
    // Whoever bounds the probe bounds the wait for the CA too (a CRL fetch runs after it).
    c.revocation.timeout = std::min(c.revocation.timeout, c.timeout);
  }
  if (o.revocation == "off") {
    c.revocation.crl = config::RevocationMode::Off;
    c.revocation.ocsp = config::RevocationMode::Off;
  }
  for (const auto& directory : o.acme_directories) {
    config::AcmeConfig acme;
    acme.directory = directory;  // naming no issuer: every leaf with an authorityKeyIdentifier
    c.acme.push_back(std::move(acme));
  }
  for (const auto& kubeconfig : o.kubeconfigs) {
    config::KubeconfigConfig k;
    k.path = std::filesystem::absolute(kubeconfig).lexically_normal();
    k.probe_servers = o.probe_servers;
    c.kubeconfigs.push_back(std::move(k));
  }
  for (const auto& target : o.targets) {
    if (looksLikeEndpoint(target)) {
      c.endpoints.push_back(endpointFrom(o, target));
    } else {
      c.files.push_back(fileFrom(o, target));
    }
  }
  return c;
}

std::string optionProblem(const TargetOptions& o) {
  if (o.warn_days && o.crit_days && *o.crit_days > *o.warn_days) {
    return "--crit-days must not exceed --warn-days";
  }
  if (!o.client_pkcs12.empty() && !o.client_cert.empty()) {
    return "give --client-cert (and --client-key) or --client-pkcs12, not both";
  }
  if (!o.client_key.empty() && o.client_cert.empty()) return "--client-key needs --client-cert";
  std::string why;
  if (!clientsOption(o.clients, &why)) return "--clients: " + why;
  // As config validation: a space is in no host name, and IDNA lets ASCII spaces through.
  for (const auto& [option, name] :
       {std::pair{"--hostname", &o.hostname}, std::pair{"--servername", &o.servername}}) {
    if (name->find(' ') != std::string::npos) {
      return std::string(option) + ": '" + *name + "' is not a host name";
    }
    if (!config::toALabel(*name, &why)) return std::string(option) + ": " + why;
  }
  if (!o.at.empty() && !atOption(o.at, TimePoint{}, &why)) return "--at: " + why;
  for (const std::string& url : o.acme_directories) {
    if (!url.starts_with("http://") && !url.starts_with("https://")) {
      return "--acme-directory: '" + url + "' is not an http(s) URL";
    }
  }
  return {};
}

std::optional<ClientSet> clientsOption(const std::string& text, std::string* why) {
  if (text.empty()) return ClientSet::defaults();
  ClientSet clients;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = std::min(text.find(',', start), text.size());
    const std::string name = text.substr(start, comma - start);
    const std::optional<Client> client = clientFromString(name);
    if (!client) {
      if (why != nullptr) {
        *why = "'" + name +
               "' is not a client family (openssl, go, chromium, rustls, "
               "openssl-strict)";
      }
      return std::nullopt;
    }
    clients = clients | ClientSet{*client};
    start = comma + 1;
  }
  return clients;
}

std::unique_ptr<Clock> judgingClock(const TargetOptions& o) {
  const SystemClock wall;
  if (const std::optional<TimePoint> at = atOption(o.at, wall.now(), nullptr)) {
    return std::make_unique<FixedClock>(*at);
  }
  return std::make_unique<SystemClock>();
}

std::optional<TimePoint> atOption(const std::string& text, TimePoint now, std::string* why) {
  if (text.empty()) return std::nullopt;
  // "+30" alone would be 30 seconds to parseDuration: an offset must name its unit.
  const bool has_unit = !text.empty() && std::isalpha(static_cast<unsigned char>(text.back()));
  if ((text[0] == '+' || text[0] == '-') && has_unit) {
    if (const std::optional<Seconds> offset = config::parseDuration(text.substr(1))) {
      return text[0] == '+' ? now + *offset : now - *offset;
    }
  } else if (const std::optional<TimePoint> at = parseRfc3339(text)) {
    return at;
  }
  if (why != nullptr) {
    *why = "'" + text +
           "' is neither an RFC 3339 time (2027-01-01T00:00:00Z) nor +N/-N with a "
           "unit (+30d)";
  }
  return std::nullopt;
}

}  // namespace certvigil::cli
