// SPDX-License-Identifier: Apache-2.0
#include "exporters/prometheus/endpoint_families.h"

#include <algorithm>

#include "exporters/prometheus/metric_families.h"
#include "exporters/prometheus/text_format.h"

namespace certvigil::exporters {
namespace {

void appendTargetLabels(std::string& out, const TargetResult& t) {
  out += "{source=\"";
  appendEscapedLabelValue(out, t.sourceLabel());
  out += "\",target=\"";
  appendEscapedLabelValue(out, t.observation.target);
  out += '"';
}

void appendLabel(std::string& out, std::string_view name, std::string_view value) {
  out += ',';
  out += name;
  out += "=\"";
  appendEscapedLabelValue(out, value);
  out += '"';
}

// Each family's series together, as the text format requires.
// A family without series is left out entirely.
template <typename Lines>
void appendFamily(std::string& out, const FamilyDescriptor& family,
                  const std::vector<const TargetResult*>& endpoints, Lines lines) {
  std::string series;
  for (const TargetResult* t : endpoints) lines(series, *t);
  if (series.empty()) return;
  appendFamilyHeader(out, family);
  out += series;
}

void appendTlsInfo(std::string& out, const TargetResult& t) {
  const EndpointFacts& e = *t.observation.endpoint;
  if (e.tls_version.empty()) return;
  out += kTlsInfo.name;
  appendTargetLabels(out, t);
  appendLabel(out, "version", e.tls_version);
  appendLabel(out, "cipher", e.cipher);
  appendLabel(out, "ocsp", e.ocsp_stapled ? std::string_view(e.ocsp_status) : "none");
  out += "} 1\n";
}

void appendRequested(std::string& out, const TargetResult& t) {
  const EndpointFacts& e = *t.observation.endpoint;
  if (e.failure != ProbeFailureKind::None) return;
  out += kMtlsRequested.name;
  appendTargetLabels(out, t);
  out += e.client->certificate_requested ? "} 1\n" : "} 0\n";
}

void appendCaNames(std::string& out, const TargetResult& t) {
  const auto& names = t.observation.endpoint->client->acceptable_ca_names;
  const size_t shown = std::min(names.size(), kMaxAcceptableCaSeries);
  for (size_t i = 0; i < shown; ++i) {
    out += kMtlsAcceptableCa.name;
    appendTargetLabels(out, t);
    appendLabel(out, "ca", names[i]);
    out += "} 1\n";
  }
}

void appendCaCount(std::string& out, const TargetResult& t) {
  const EndpointFacts& e = *t.observation.endpoint;
  if (!e.client->certificate_requested) return;
  out += kMtlsAcceptableCaNames.name;
  appendTargetLabels(out, t);
  out += "} ";
  appendValue(out, static_cast<int64_t>(e.client->acceptable_ca_names.size()));
  out += '\n';
}

}  // namespace

void appendEndpointFamilies(std::string& out, const std::vector<TargetResultPtr>& targets) {
  std::vector<const TargetResult*> endpoints;
  for (const auto& t : targets) {
    if (t && t->observation.endpoint) endpoints.push_back(t.get());
  }
  if (endpoints.empty()) return;
  appendFamily(out, kTlsInfo, endpoints, appendTlsInfo);
  appendFamily(out, kMtlsRequested, endpoints, appendRequested);
  appendFamily(out, kMtlsAcceptableCa, endpoints, appendCaNames);
  appendFamily(out, kMtlsAcceptableCaNames, endpoints, appendCaCount);
}

}  // namespace certvigil::exporters
