// SPDX-License-Identifier: Apache-2.0
#include "alerts/notifiers/notifier.h"

#include <fstream>
#include <sstream>

#include "alerts/notifiers/signing.h"

namespace certvigil::alerts {
namespace {

constexpr size_t kMaxSecretFile = size_t{64} * 1024;

// The whole file, or an Error naming the notifier and the path (never the content).
Result<std::string> readSecretFile(const std::string& notifier, const std::string& key,
                                   const std::filesystem::path& path) {
  const std::string context = "notifier " + notifier + ": " + key + " " + path.string();
  std::ifstream in(path, std::ios::binary);
  if (!in) return makeError(ErrorCode::Io, "cannot read the file", context);
  std::ostringstream text;
  text << in.rdbuf();
  if (text.str().size() > kMaxSecretFile) {
    return makeError(ErrorCode::Invalid, "the file is larger than 64 KiB", context);
  }
  return text.str();
}

std::string trimmedUrl(const std::string& text) {
  const size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

}  // namespace

Result<NotifierSettings> loadNotifierSettings(const config::NotifierConfig& config) {
  NotifierSettings settings{config, config.url, {}};
  if (!config.url_file.empty()) {
    auto text = readSecretFile(config.name, "url_file", config.url_file);
    if (!text) return text.error();
    settings.url = trimmedUrl(*text);
    if (settings.url.empty()) {
      return makeError(ErrorCode::Invalid, "url_file is empty",
                       "notifier " + config.name + ": " + config.url_file.string());
    }
  }
  if (!config.secret_file.empty()) {
    auto text = readSecretFile(config.name, "secret_file", config.secret_file);
    if (!text) return text.error();
    auto key = webhookKeyFromSecret(*text);
    if (!key) {
      return makeError(ErrorCode::Invalid, "the secret is empty or not valid whsec_ base64",
                       "notifier " + config.name + ": secret_file " + config.secret_file.string());
    }
    settings.secret = std::move(*key);
  }
  return settings;
}

NotifierPtr makeNotifier(const NotifierSettings& settings, const std::atomic<bool>* cancel,
                         std::chrono::milliseconds resend_interval) {
  HttpTarget target{settings.url,
                    std::chrono::duration_cast<std::chrono::milliseconds>(settings.config.timeout),
                    cancel};
  switch (settings.config.type) {
    case config::NotifierType::Webhook:
      return makeWebhookNotifier(std::move(target), settings.secret);
    case config::NotifierType::Slack:
      return makeSlackNotifier(std::move(target));
    case config::NotifierType::Alertmanager:
      return makeAlertmanagerNotifier(std::move(target), resend_interval);
  }
  return nullptr;
}

Delivery classifyHttp(long status, const std::string& error,
                      std::optional<std::chrono::seconds> retry_after) {
  if (status == 0) return {Outcome::Retry, error.empty() ? "no response" : error, {}};
  const std::string detail = "HTTP " + std::to_string(status);
  if (status >= 200 && status < 300) return {Outcome::Delivered, detail, {}};
  if (status == 408 || status == 429 || status >= 500) {
    return {Outcome::Retry, detail, retry_after};
  }
  return {Outcome::Reject, detail, {}};
}

}  // namespace certvigil::alerts
