// SPDX-License-Identifier: Apache-2.0
// config/validate_notifiers.cpp: rules for notifiers. The point of most of them is keeping
// secrets out of the config: a URL that carries a token belongs in url_file, readable only by
// certvigil, because the config itself is world-readable and shown by `config check`.
#include <algorithm>
#include <cctype>
#include <set>

#include "config/validate_internal.h"
#include "config/yaml_reader.h"
#include "core/finding.h"

namespace certvigil::config {
namespace {

/// Query parameters that carry credentials in webhook URLs.
constexpr std::string_view kSecretParams[] = {"token",     "access_token", "api_key",  "apikey",
                                              "key",       "secret",       "password", "sig",
                                              "signature", "auth"};

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

struct UrlParts {
  std::string authority;  ///< user:pass@host:port
  std::string path;
  std::string query;
};

/// Splits an http(s) URL; nullopt when the scheme is not http or https.
std::optional<UrlParts> splitUrl(const std::string& url) {
  const std::string l = lower(url);
  const size_t start = l.rfind("http://", 0) == 0 ? 7 : l.rfind("https://", 0) == 0 ? 8 : 0;
  if (start == 0) return std::nullopt;
  UrlParts parts;
  const size_t path_at = url.find_first_of("/?#", start);
  parts.authority = url.substr(start, path_at - start);
  if (path_at == std::string::npos) return parts;
  const size_t query_at = url.find('?', path_at);
  parts.path = url.substr(path_at, query_at - path_at);
  if (query_at != std::string::npos) {
    parts.query = url.substr(query_at + 1, url.find('#', query_at) - query_at - 1);
  }
  return parts;
}

/// What in a URL looks like a credential ("a password"), or "".
std::string credentialIn(const UrlParts& url) {
  if (url.authority.find('@') != std::string::npos) return "a user name or password";
  if (lower(url.authority).find("hooks.slack.com") != std::string::npos) {
    return "a Slack webhook token";
  }
  for (size_t at = 0; at < url.query.size();) {
    const size_t end = std::min(url.query.find('&', at), url.query.size());
    const std::string pair = url.query.substr(at, end - at);
    const std::string name = lower(pair.substr(0, pair.find('=')));
    for (std::string_view secret : kSecretParams) {
      if (name == secret) return "a '" + std::string(secret) + "' parameter";
    }
    at = end + 1;
  }
  return "";
}

void checkUrl(const NotifierConfig& n, const std::string& path, Validator& v) {
  const std::string key = joinPath(path, "url");
  const std::optional<UrlParts> url = splitUrl(n.url);
  if (!url || url->authority.empty()) {
    v.report(key, "'" + n.url + "' is not an http:// or https:// URL");
    return;
  }
  const std::string secret = credentialIn(*url);
  if (n.type == NotifierType::Slack) {
    v.report(key, (secret.empty() ? "a Slack webhook URL carries its token in its path"
                                  : "this URL contains " + secret) +
                      ": put it in a file only certvigil can read and set url_file instead");
  } else if (!secret.empty()) {
    v.report(key, "this URL contains " + secret +
                      ": put it in a file only certvigil can read and set url_file instead");
  }
}

void checkDestination(const NotifierConfig& n, const std::string& path, Validator& v) {
  if (v.failed(joinPath(path, "type"))) return;  // the rules below depend on the type
  if (!n.url.empty()) checkUrl(n, path, v);
  if (!n.url.empty() && !n.url_file.empty() && n.type != NotifierType::Slack) {
    v.report(joinPath(path, "url_file"), "set url or url_file, not both");
  }
  if (n.type == NotifierType::Slack && n.url_file.empty() && n.url.empty()) {
    v.report(joinPath(path, "url_file"),
             "a slack notifier needs url_file (a file holding the webhook URL)");
  } else if (n.type != NotifierType::Slack && n.url.empty() && n.url_file.empty()) {
    const std::string type(toString(n.type));
    v.report(joinPath(path, "url"), (type.front() == 'a' ? "an " : "a ") + type +
                                        " notifier needs url (or url_file if it has a token)");
  }
  if (!n.secret_file.empty() && n.type != NotifierType::Webhook) {
    v.report(joinPath(path, "secret_file"),
             "secret_file (the HMAC signing key) is only used by webhook notifiers");
  }
}

std::vector<std::string_view> allCodeNames() {
  std::vector<std::string_view> names;
  for (FindingCode code : allFindingCodes()) names.push_back(toString(code));
  return names;
}

void checkFilters(const NotifierConfig& n, const std::string& path, Validator& v) {
  for (size_t i = 0; i < n.severities.size(); ++i) {
    if (!severityFromString(n.severities[i])) {
      v.report(indexPath(joinPath(path, "severities"), i),
               "'" + n.severities[i] + "' is not one of info | warning | critical");
    }
  }
  static const std::vector<std::string_view> kCodes = allCodeNames();
  for (size_t i = 0; i < n.codes.size(); ++i) {
    if (findingCodeFromString(n.codes[i])) continue;
    const std::string guess = closestMatch(n.codes[i], kCodes);
    v.report(indexPath(joinPath(path, "codes"), i),
             "'" + n.codes[i] + "' is not a finding code" +
                 (guess.empty() ? " (see docs/FINDINGS.md)" : " (did you mean '" + guess + "'?)"));
  }
}

bool validName(const std::string& name) {
  return std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.';
  });
}

}  // namespace

void checkNotifiers(const std::vector<NotifierConfig>& notifiers, Validator& v) {
  std::set<std::string> names;
  for (size_t i = 0; i < notifiers.size(); ++i) {
    const NotifierConfig& n = notifiers[i];
    const std::string path = indexPath("notifiers", i);
    checkDestination(n, path, v);
    checkFilters(n, path, v);
    if (!validName(n.name) || n.name.empty()) {
      v.report(joinPath(path, "name"),
               "'" + n.name + "': use letters, digits, '-', '_' and '.' only");
    } else if (!names.insert(n.name).second) {
      v.report(joinPath(path, "name"), "another notifier is already named '" + n.name + "'");
    }
    v.requirePositive(joinPath(path, "repeat_interval"), n.repeat_interval);
    v.requirePositive(joinPath(path, "max_age"), n.max_age);
    v.requirePositive(joinPath(path, "timeout"), n.timeout);
  }
}

}  // namespace certvigil::config
