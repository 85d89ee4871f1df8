// SPDX-License-Identifier: Apache-2.0
// config/names.cpp: the spellings of config enums (one table each, both directions) and
// ConfigProblem::describe().
#include <array>
#include <utility>

#include "config/config.h"

namespace certvigil::config {
namespace {

constexpr std::array<std::pair<MtlsMode, std::string_view>, 3> kMtlsNames{{
    {MtlsMode::None, "none"},
    {MtlsMode::Optional, "optional"},
    {MtlsMode::Required, "required"},
}};

constexpr std::array<std::pair<StartTls, std::string_view>, 8> kStartTlsNames{{
    {StartTls::None, "none"},
    {StartTls::Smtp, "smtp"},
    {StartTls::Imap, "imap"},
    {StartTls::Pop3, "pop3"},
    {StartTls::Ftp, "ftp"},
    {StartTls::Ldap, "ldap"},
    {StartTls::Postgres, "postgres"},
    {StartTls::Xmpp, "xmpp"},
}};

constexpr std::array<std::pair<NotifierType, std::string_view>, 3> kNotifierNames{{
    {NotifierType::Webhook, "webhook"},
    {NotifierType::Slack, "slack"},
    {NotifierType::Alertmanager, "alertmanager"},
}};

template <typename E, size_t N>
std::string_view nameOf(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
  for (const auto& [e, name] : table) {
    if (e == value) return name;
  }
  return table[0].second;
}

template <typename E, size_t N>
std::optional<E> valueOf(const std::array<std::pair<E, std::string_view>, N>& table,
                         std::string_view text) {
  for (const auto& [e, name] : table) {
    if (name == text) return e;
  }
  return std::nullopt;
}

}  // namespace

std::string_view toString(MtlsMode mode) { return nameOf(kMtlsNames, mode); }
std::string_view toString(StartTls mode) { return nameOf(kStartTlsNames, mode); }
std::string_view toString(NotifierType type) { return nameOf(kNotifierNames, type); }

std::optional<MtlsMode> mtlsModeFromString(std::string_view text) {
  return valueOf(kMtlsNames, text);
}

std::optional<StartTls> startTlsFromString(std::string_view text) {
  return valueOf(kStartTlsNames, text);
}

std::optional<NotifierType> notifierTypeFromString(std::string_view text) {
  return valueOf(kNotifierNames, text);
}

std::string ConfigProblem::describe() const {
  std::string out = file.empty() ? "config" : file;
  if (line > 0) {
    out += ":" + std::to_string(line);
    if (column > 0) out += ":" + std::to_string(column);
  }
  out += ": ";
  if (!key_path.empty()) out += key_path + ": ";
  return out + message;
}

}  // namespace certvigil::config
