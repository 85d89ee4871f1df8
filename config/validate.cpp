// SPDX-License-Identifier: Apache-2.0
// config/validate.cpp: rules over the loaded values: ranges, formats and combinations of keys
// (the notifier rules are in validate_notifiers.cpp). Nothing here touches the file system:
// a missing certificate is a finding at run time, not a config error, so a config can be
// checked before the files it names are deployed.
#include <algorithm>
#include <cctype>
#include <map>

#include "config/validate.h"
#include "config/validate_internal.h"
#include "config/yaml_reader.h"

namespace certvigil::config {
namespace {

/// Enough for hundreds of handshakes; more only exhausts file descriptors.
constexpr int kMaxConcurrency = 10000;

bool hasSpace(std::string_view text) {
  return std::any_of(text.begin(), text.end(),
                     [](unsigned char c) { return std::isspace(c) != 0 || std::iscntrl(c); });
}

std::string quoted(double value) {
  std::string text = std::to_string(value);
  text.erase(text.find_last_not_of('0') + 1);
  if (!text.empty() && text.back() == '.') text.pop_back();
  return text;
}

void checkGlobals(const Config& c, Validator& v) {
  std::string why;
  if (!parseHostPort(c.listen, /*allow_port_zero=*/true, &why)) {
    v.report("listen", "'" + c.listen + "' is not host:port: " + why);
  }
  if (c.state_dir.empty()) v.report("state_dir", "must not be empty");
  if (c.concurrency < 1) {
    v.report("concurrency", "must be at least 1, got " + std::to_string(c.concurrency));
  } else if (c.concurrency > kMaxConcurrency) {
    v.report("concurrency", "must be at most " + std::to_string(kMaxConcurrency) + ", got " +
                                std::to_string(c.concurrency));
  }
  v.requirePositive("interval", c.interval);
  v.requirePositive("timeout", c.timeout);
  v.requirePositive("retention", c.retention);
}

/// The listener's TLS needs a certificate and its key; client CAs only make sense with both.
void checkListenTls(const ListenTlsConfig& tls, Validator& v) {
  if (tls.cert_file.empty() != tls.key_file.empty()) {
    v.report(tls.cert_file.empty() ? "tls.key_file" : "tls.cert_file",
             "tls needs both cert_file and key_file");
  }
  if (!tls.client_ca_file.empty() && tls.cert_file.empty()) {
    v.report("tls.client_ca_file", "client_ca_file needs cert_file and key_file (TLS)");
  }
}

void checkFraction(const std::string& path, double value, Validator& v) {
  if (!(value > 0.0 && value <= 1.0)) {
    v.report(path,
             "must be more than 0 and at most 1 (a share of the lifetime), got " + quoted(value));
  }
}

void checkThresholds(const Thresholds& t, Validator& v) {
  checkFraction("thresholds.warning_fraction", t.warning_fraction, v);
  checkFraction("thresholds.critical_fraction", t.critical_fraction, v);
  if (t.warning < t.critical && !v.failed("thresholds.critical")) {
    v.report("thresholds.warning", "warning (" + formatDuration(t.warning) +
                                       ") must not be shorter than critical (" +
                                       formatDuration(t.critical) + ")");
  }
  if (t.warning_fraction < t.critical_fraction && !v.failed("thresholds.critical_fraction")) {
    v.report("thresholds.warning_fraction", "warning_fraction (" + quoted(t.warning_fraction) +
                                                ") must not be smaller than critical_fraction (" +
                                                quoted(t.critical_fraction) + ")");
  }
}

bool looksLikePkcs12(const std::filesystem::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  return ext == ".p12" || ext == ".pfx";
}

/// Which client credentials go together.
void checkCredentials(const EndpointConfig& e, const std::string& path, Validator& v) {
  if (!e.client_pkcs12.empty() && (!e.client_cert.empty() || !e.client_key.empty())) {
    v.report(joinPath(path, "client_pkcs12"),
             "set client_pkcs12 or client_cert + client_key, not both");
  } else if (!e.client_key.empty() && e.client_cert.empty()) {
    v.report(joinPath(path, "client_key"), "client_key is set but client_cert is not");
  } else if (!e.client_cert.empty() && e.client_key.empty()) {
    v.report(joinPath(path, "client_cert"),
             looksLikePkcs12(e.client_cert)
                 ? "looks like a PKCS#12 file: use client_pkcs12 (and password_file)"
                 : "client_cert needs client_key (the same file if the key is in the same PEM)");
  }
  if (!e.password_file.empty() && e.client_pkcs12.empty() && e.client_key.empty()) {
    v.report(joinPath(path, "password_file"),
             "password_file is only used with client_pkcs12 or an encrypted client_key");
  }
}

void checkEndpoint(const EndpointConfig& e, const std::string& path, Validator& v) {
  std::string why;
  if (e.address.empty()) {
    v.report(joinPath(path, "address"), "address is required (host:port or [v6]:port)");
  } else if (!parseHostPort(e.address, /*allow_port_zero=*/false, &why)) {
    v.report(joinPath(path, "address"), "'" + e.address + "' is not host:port: " + why);
  }
  if (!hasSpace(e.servername) && !toALabel(e.servername, &why)) {
    v.report(joinPath(path, "servername"), "'" + e.servername + "': " + why);
  }
  if (hasSpace(e.servername)) {
    v.report(joinPath(path, "servername"), "'" + e.servername + "' is not a host name");
  }
  checkCredentials(e, path, v);
  v.requirePositive(joinPath(path, "interval"), e.interval);
  v.requirePositive(joinPath(path, "timeout"), e.timeout);
}

/// Two entries with the same identity would be one target twice, with clashing metrics.
template <typename T, typename KeyFn>
void checkUnique(const std::vector<T>& entries, const std::string& list, std::string_view field,
                 KeyFn key_of, Validator& v) {
  std::map<std::string, size_t> first;
  for (size_t i = 0; i < entries.size(); ++i) {
    const std::string key = key_of(entries[i]);
    if (key.empty()) continue;
    auto [it, fresh] = first.emplace(key, i);
    if (fresh) continue;
    const std::string other = indexPath(list, it->second);
    v.report(joinPath(indexPath(list, i), field),
             "same as " + other + " (line " + std::to_string(v.lineOf(other)) + ")");
  }
}

void checkTargets(const Config& c, Validator& v) {
  for (size_t i = 0; i < c.endpoints.size(); ++i) {
    checkEndpoint(c.endpoints[i], indexPath("endpoints", i), v);
  }
  for (size_t i = 0; i < c.files.size(); ++i) {
    const FileConfig& f = c.files[i];
    const std::string path = indexPath("files", i);
    if (f.path.empty()) v.report(joinPath(path, "path"), "path is required");
    std::string why;
    if (!hasSpace(f.hostname) && !toALabel(f.hostname, &why)) {
      v.report(joinPath(path, "hostname"), "'" + f.hostname + "': " + why);
    }
    if (hasSpace(f.hostname)) {
      v.report(joinPath(path, "hostname"), "'" + f.hostname + "' is not a host name");
    }
    v.requirePositive(joinPath(path, "interval"), f.interval);
  }
  for (size_t i = 0; i < c.bundles.size(); ++i) {
    const std::string path = indexPath("bundles", i);
    if (c.bundles[i].path.empty()) v.report(joinPath(path, "path"), "path is required");
    v.requirePositive(joinPath(path, "interval"), c.bundles[i].interval);
  }
  checkUnique(
      c.endpoints, "endpoints", "address",
      [](const EndpointConfig& e) {
        return e.address.empty() ? std::string() : e.address + " " + e.servername;
      },
      v);
  checkUnique(
      c.files, "files", "path", [](const FileConfig& f) { return f.path; }, v);
  checkUnique(
      c.bundles, "bundles", "path", [](const BundleConfig& b) { return b.path; }, v);
}

}  // namespace

void Validator::report(const std::string& path, std::string message) {
  if (where_.failed(path)) return;
  problems_.push_back(where_.problem(path, std::move(message)));
}

void Validator::requirePositive(const std::string& path, std::optional<Seconds> value) {
  if (value && value->count() <= 0) report(path, "must be longer than 0s");
}

std::vector<ConfigProblem> validate(const Config& config, const SourceMap& where) {
  Validator v(where);
  checkGlobals(config, v);
  checkListenTls(config.tls, v);
  checkThresholds(config.thresholds, v);
  checkTargets(config, v);
  checkKubeconfigs(config.kubeconfigs, v);
  checkNotifiers(config.notifiers, v);
  return v.take();
}

}  // namespace certvigil::config
