// SPDX-License-Identifier: Apache-2.0
#include "core/client.h"

#include <array>

namespace certvigil {
namespace {

struct ClientEntry {
  Client client;
  std::string_view name;
  std::string_view display;
};

constexpr std::array kClients = {
    ClientEntry{Client::OpenSsl, "openssl", "OpenSSL"},
    ClientEntry{Client::Go, "go", "Go"},
    ClientEntry{Client::Chromium, "chromium", "Chromium"},
    ClientEntry{Client::Rustls, "rustls", "rustls"},
    ClientEntry{Client::OpenSslStrict, "openssl-strict", "strict OpenSSL (Python 3.13+)"},
};

const ClientEntry& entry(Client client) {
  for (const ClientEntry& e : kClients) {
    if (e.client == client) return e;
  }
  return kClients.front();
}

}  // namespace

const std::vector<Client>& allClients() {
  static const std::vector<Client> clients = [] {
    std::vector<Client> out;
    for (const ClientEntry& e : kClients) out.push_back(e.client);
    return out;
  }();
  return clients;
}

std::string_view toString(Client client) { return entry(client).name; }
std::string_view displayName(Client client) { return entry(client).display; }

std::optional<Client> clientFromString(std::string_view name) {
  for (const ClientEntry& e : kClients) {
    if (e.name == name) return e.client;
  }
  return std::nullopt;
}

std::string describeClients(ClientSet clients) {
  std::vector<std::string_view> names;
  for (Client c : allClients()) {
    if (clients.contains(c)) names.push_back(displayName(c));
  }
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " and " : ", ";
    out += names[i];
  }
  return out;
}

std::string clientListText(ClientSet clients) {
  std::string out;
  for (Client c : allClients()) {
    if (!clients.contains(c)) continue;
    if (!out.empty()) out += ",";
    out += toString(c);
  }
  return out;
}

}  // namespace certvigil
