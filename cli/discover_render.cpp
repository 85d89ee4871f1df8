// SPDX-License-Identifier: Apache-2.0
// cli/discover_render.cpp: the YAML is written by hand rather than through yaml-cpp's emitter
// so that every entry carries its origin as a comment on its first line, where a reader looks.
#include "cli/discover_render.h"

#include <nlohmann/json.hpp>

#include "discovery/collector.h"

namespace certvigil::cli {
namespace {

using discovery::Discovery;
using Json = nlohmann::ordered_json;

/// A YAML scalar: plain when that reads back the same, double-quoted otherwise.
std::string scalar(const std::string& value) {
  bool plain = !value.empty() && value.find(": ") == std::string::npos &&
               value.find(" #") == std::string::npos && value.back() != ':';
  for (const char c : value) {
    plain = plain && (std::isalnum(static_cast<unsigned char>(c)) ||
                      std::string_view("_./@:-+[]~").find(c) != std::string_view::npos);
  }
  if (plain && std::string_view("-:?[]~@").find(value.front()) == std::string_view::npos) {
    return value;
  }
  std::string out = "\"";
  for (const char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

void field(std::string& out, const std::string& key, const std::string& value) {
  if (!value.empty()) out += "    " + key + ": " + scalar(value) + "\n";
}

std::string header(const Discovery& d) {
  return "# from " + std::string(toString(d.server)) + " " + d.config.string();
}

void renderEndpoints(const std::vector<Discovery>& found, std::string& out) {
  out += "endpoints:\n";
  for (const Discovery& d : found) {
    out += "  " + header(d) + "\n";
    for (const auto& e : d.endpoints) {
      out += "  - address: " + scalar(e.endpoint.address) + "  # " + e.origin.describe() + " " +
             e.directive + "\n";
      const auto hp = config::parseHostPort(e.endpoint.address);
      if (!hp || hp->host != e.endpoint.servername) {
        field(out, "servername", e.endpoint.servername);
      }
      if (e.endpoint.mtls != config::MtlsMode::None) {
        field(out, "mtls", std::string(config::toString(e.endpoint.mtls)));
      }
      field(out, "expect_file", e.endpoint.expect_file.string());
      field(out, "client_cert", e.endpoint.client_cert.string());
      field(out, "client_key", e.endpoint.client_key.string());
    }
  }
}

// A CRL file is a files: entry; its issuers are the CAs the server verifies peers with.
void renderCrls(const Discovery& d, std::string& out) {
  for (const auto& c : d.crls) {
    out += "  - path: " + scalar(c.path) + "  # " + c.origin.describe() + " " + c.directive + "\n";
    if (c.issuers.size() == 1) field(out, "issuers", c.issuers.front());
    if (c.issuers.size() > 1) {
      out += "    issuers:\n";
      for (const auto& i : c.issuers) out += "      - " + scalar(i) + "\n";
    }
  }
}

void renderFiles(const std::vector<Discovery>& found, std::string& out) {
  out += "files:\n";
  for (const Discovery& d : found) {
    out += "  " + header(d) + "\n";
    for (const auto& f : d.files) {
      out += "  - path: " + scalar(f.file.path) + "  # " + f.origin.describe() + " " + f.directive +
             "\n";
      field(out, "role", std::string(toString(f.file.role)));
      if (f.file.key != f.file.path) field(out, "key", f.file.key.string());
      field(out, "chain", f.file.chain.string());
    }
    renderCrls(d, out);
  }
}

void renderBundles(const std::vector<Discovery>& found, std::string& out) {
  out += "bundles:\n";
  for (const Discovery& d : found) {
    out += "  " + header(d) + "\n";
    for (const auto& b : d.bundles) {
      out +=
          "  - path: " + scalar(b.path) + "  # " + b.origin.describe() + " " + b.directive + "\n";
    }
  }
}

void renderComments(const std::vector<Discovery>& found, std::string& out) {
  for (const Discovery& d : found) {
    for (const auto& s : d.skipped) {
      out += "# skipped " + s.origin.describe() + ": " + s.directive + ": " + s.reason + "\n";
    }
    for (const auto& p : d.problems) out += "# problem " + p + "\n";
  }
}

Json pathJson(const discovery::DiscoveredPath& p) {
  return {{"path", p.path}, {"origin", p.origin.describe()}, {"directive", p.directive}};
}

Json endpointJson(const discovery::DiscoveredEndpoint& e) {
  return {{"target", discovery::endpointName(e.endpoint)},
          {"address", e.endpoint.address},
          {"servername", e.endpoint.servername},
          {"mtls", config::toString(e.endpoint.mtls)},
          {"expect_file", e.endpoint.expect_file.string()},
          {"client_cert", e.endpoint.client_cert.string()},
          {"client_key", e.endpoint.client_key.string()},
          {"origin", e.origin.describe()},
          {"directive", e.directive}};
}

Json fileJson(const discovery::DiscoveredFile& f) {
  return {{"path", f.file.path},        {"role", toString(f.file.role)},
          {"key", f.file.key.string()}, {"chain", f.file.chain.string()},
          {"endpoints", f.endpoints},   {"origin", f.origin.describe()},
          {"directive", f.directive}};
}

Json discoveryJson(const Discovery& d) {
  Json j = {{"server", toString(d.server)},
            {"config", d.config.string()},
            {"source", discovery::sourceLabel(d.server)}};
  j["endpoints"] = Json::array();
  for (const auto& e : d.endpoints) j["endpoints"].push_back(endpointJson(e));
  j["files"] = Json::array();
  for (const auto& f : d.files) j["files"].push_back(fileJson(f));
  j["bundles"] = Json::array();
  for (const auto& b : d.bundles) j["bundles"].push_back(pathJson(b));
  j["crls"] = Json::array();
  for (const auto& c : d.crls) {
    j["crls"].push_back(pathJson(c));
    j["crls"].back()["issuers"] = c.issuers;
  }
  j["skipped"] = Json::array();
  for (const auto& s : d.skipped) {
    j["skipped"].push_back(
        {{"origin", s.origin.describe()}, {"directive", s.directive}, {"reason", s.reason}});
  }
  j["problems"] = d.problems;
  return j;
}

}  // namespace

std::string renderDiscoveryYaml(const std::vector<Discovery>& found) {
  std::string out =
      "# certvigil discover: paste into certvigil.yaml, or let the daemon follow the\n"
      "# servers' configuration with discover:";
  for (const Discovery& d : found) {
    out += " {" + std::string(toString(d.server)) + ": " + d.config.string() + "}";
  }
  out += "\n";
  renderEndpoints(found, out);
  renderFiles(found, out);
  renderBundles(found, out);
  renderComments(found, out);
  return out;
}

std::string renderDiscoveryJson(const std::vector<Discovery>& found) {
  Json j = {{"servers", Json::array()}};
  for (const Discovery& d : found) j["servers"].push_back(discoveryJson(d));
  return j.dump(2) + "\n";
}

}  // namespace certvigil::cli
