// SPDX-License-Identifier: Apache-2.0
// exporters/prometheus/daemon_collector.cpp: daemon-level families through prometheus-cpp.
// These are a few dozen series at most, so the generality of ClientMetric costs nothing here;
// per-certificate families take the fast path in metrics_renderer.cpp instead.
#include "exporters/prometheus/daemon_collector.h"

#include <prometheus/text_serializer.h>
#include <optional>

#include "exporters/prometheus/metric_families.h"
#include "exporters/prometheus/text_format.h"

namespace certvigil::exporters {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;

MetricFamily makeFamily(const FamilyDescriptor& descriptor) {
  MetricFamily family;
  family.name = std::string(descriptor.name);
  family.help = std::string(descriptor.help);
  family.type = descriptor.type == MetricType::Counter ? prometheus::MetricType::Counter
                                                       : prometheus::MetricType::Gauge;
  return family;
}

ClientMetric makeMetric(MetricType type, double value, std::vector<ClientMetric::Label> labels) {
  ClientMetric metric;
  metric.label = std::move(labels);
  if (type == MetricType::Counter) {
    metric.counter.value = value;
  } else {
    metric.gauge.value = value;
  }
  return metric;
}

// A family with a single unlabelled sample.
MetricFamily singleValue(const FamilyDescriptor& descriptor, double value) {
  MetricFamily family = makeFamily(descriptor);
  family.metric.push_back(makeMetric(descriptor.type, value, {}));
  return family;
}

void addOptional(std::vector<MetricFamily>& out, const FamilyDescriptor& descriptor,
                 const std::optional<double>& value) {
  if (value) out.push_back(singleValue(descriptor, *value));
}

// Alert delivery: one series per notifier (and result), none without notifiers.
void collectNotifiers(const DaemonStatus& status, std::vector<MetricFamily>& out) {
  if (status.notifiers.empty()) return;
  MetricFamily total = makeFamily(kNotifications);
  MetricFamily pending = makeFamily(kOutboxPending);
  MetricFamily age = makeFamily(kOutboxOldestAge);
  for (const NotifierStatus& n : status.notifiers) {
    const std::string name = sanitizeUtf8(n.name);
    const std::pair<const char*, uint64_t> results[] = {{"delivered", n.delivered},
                                                        {"dropped", n.dropped},
                                                        {"filtered", n.filtered},
                                                        {"rejected", n.rejected},
                                                        {"retried", n.retried}};
    for (const auto& [result, value] : results) {
      total.metric.push_back(makeMetric(MetricType::Counter, static_cast<double>(value),
                                        {{"notifier", name}, {"result", result}}));
    }
    pending.metric.push_back(
        makeMetric(MetricType::Gauge, static_cast<double>(n.pending), {{"notifier", name}}));
    age.metric.push_back(
        makeMetric(MetricType::Gauge, n.oldest_pending_age_seconds, {{"notifier", name}}));
  }
  out.push_back(std::move(total));
  out.push_back(std::move(pending));
  out.push_back(std::move(age));
}

// Fetched CRLs (one series per URL: per CA) and requests to CAs by kind and result.
void collectRevocation(const Snapshot& snapshot, std::vector<MetricFamily>& out) {
  if (!snapshot.crls.empty()) {
    MetricFamily next = makeFamily(kCrlNextUpdate);
    MetricFamily ok = makeFamily(kCrlFetchSuccess);
    for (const CrlStatus& crl : snapshot.crls) {
      const std::vector<ClientMetric::Label> labels = {{"url", sanitizeUtf8(crl.url)}};
      if (crl.next_update) {
        next.metric.push_back(
            makeMetric(MetricType::Gauge, static_cast<double>(toUnix(*crl.next_update)), labels));
      }
      ok.metric.push_back(makeMetric(MetricType::Gauge, crl.last_fetch_ok ? 1 : 0, labels));
    }
    if (!next.metric.empty()) out.push_back(std::move(next));
    out.push_back(std::move(ok));
  }
  if (snapshot.revocation_fetches.empty()) return;
  MetricFamily fetches = makeFamily(kRevocationFetches);
  for (const RevocationFetchCount& count : snapshot.revocation_fetches) {
    fetches.metric.push_back(makeMetric(MetricType::Counter, static_cast<double>(count.count),
                                        {{"kind", count.kind}, {"result", count.result}}));
  }
  out.push_back(std::move(fetches));
}

// The role label of the certificate at `position` (as the certificate families write it).
std::string roleAt(const TargetResult& result, int position) {
  const auto& certs = result.observation.certificates;
  for (size_t i = 0; i < certs.size() && i < result.roles.size(); ++i) {
    if (certs[i].position == position) return std::string(toString(result.roles[i]));
  }
  return "any";
}

// The suggested renewal windows of leaves (a few per target at most; none without `acme:`).
void collectRenewal(const Snapshot& snapshot, std::vector<MetricFamily>& out) {
  MetricFamily start = makeFamily(kAriWindowStart);
  MetricFamily end = makeFamily(kAriWindowEnd);
  for (const TargetResultPtr& result : snapshot.targets) {
    if (!result) continue;
    for (const RenewalFacts& r : result->observation.renewal) {
      if (!r.window_start || !r.window_end) continue;
      // In the order of the certificate families' labels.
      const std::vector<ClientMetric::Label> labels = {
          {"source", sanitizeUtf8(std::string(result->sourceLabel()))},
          {"target", sanitizeUtf8(result->observation.target)},
          {"role", roleAt(*result, r.position)},
          {"position", std::to_string(r.position)}};
      start.metric.push_back(
          makeMetric(MetricType::Gauge, static_cast<double>(toUnix(*r.window_start)), labels));
      end.metric.push_back(
          makeMetric(MetricType::Gauge, static_cast<double>(toUnix(*r.window_end)), labels));
    }
  }
  if (start.metric.empty()) return;
  out.push_back(std::move(start));
  out.push_back(std::move(end));
}

}  // namespace

DaemonCollector::DaemonCollector(const Snapshot& snapshot, const DaemonStatus& status,
                                 size_t certificates, const ProcessStats& process)
    : snapshot_(snapshot), status_(status), certificates_(certificates), process_(process) {}

std::vector<MetricFamily> DaemonCollector::Collect() const {
  std::vector<MetricFamily> families;
  collectDaemon(families);
  collectScans(families);
  collectRevocation(snapshot_, families);
  collectRenewal(snapshot_, families);
  collectNotifiers(status_, families);
  collectProcess(families);
  return families;
}

void DaemonCollector::collectDaemon(std::vector<MetricFamily>& out) const {
  MetricFamily build = makeFamily(kBuildInfo);
  build.metric.push_back(makeMetric(MetricType::Gauge, 1,
                                    {{"openssl_version", sanitizeUtf8(status_.openssl_version)},
                                     {"version", sanitizeUtf8(status_.version)}}));
  out.push_back(std::move(build));
  out.push_back(singleValue(kReloadSuccessful, status_.config_reload_ok ? 1 : 0));
  if (toUnix(status_.config_reload_at) != 0) {
    out.push_back(
        singleValue(kReloadTimestamp, static_cast<double>(toUnix(status_.config_reload_at))));
  }
  out.push_back(singleValue(kCertificates, static_cast<double>(certificates_)));
  out.push_back(singleValue(kStorageErrors, static_cast<double>(status_.storage_errors_total)));
  out.push_back(singleValue(kDegraded, status_.degraded.empty() ? 0 : 1));
}

void DaemonCollector::collectScans(std::vector<MetricFamily>& out) const {
  if (snapshot_.scans.empty()) return;
  MetricFamily last = makeFamily(kLastScan);
  MetricFamily duration = makeFamily(kScanDuration);
  MetricFamily success = makeFamily(kScanSuccess);
  MetricFamily targets = makeFamily(kScanTargets);
  MetricFamily skipped = makeFamily(kWalkSkipped);
  for (const UnitScan& scan : snapshot_.scans) {
    const std::vector<ClientMetric::Label> labels = {{"source", std::string(toString(scan.kind))},
                                                     {"unit", sanitizeUtf8(scan.unit)}};
    const auto add = [&labels](MetricFamily& family, double value) {
      family.metric.push_back(makeMetric(MetricType::Gauge, value, labels));
    };
    add(last, static_cast<double>(toUnix(scan.started_at)));
    add(duration, scan.duration_seconds);
    add(success, scan.success ? 1 : 0);
    add(targets, static_cast<double>(scan.targets));
    if (scan.kind != TargetKind::Endpoint) {
      std::vector<ClientMetric::Label> with_reason = labels;
      with_reason.push_back({"reason", "symlink_loop"});
      skipped.metric.push_back(makeMetric(
          MetricType::Gauge, static_cast<double>(scan.skipped_symlink_loops), with_reason));
    }
  }
  for (MetricFamily* family : {&last, &duration, &success, &targets, &skipped}) {
    out.push_back(std::move(*family));
  }
}

void DaemonCollector::collectProcess(std::vector<MetricFamily>& out) const {
  addOptional(out, kProcessCpu, process_.cpu_seconds);
  addOptional(out, kProcessResident, process_.resident_bytes);
  addOptional(out, kProcessVirtual, process_.virtual_bytes);
  addOptional(out, kProcessStart, process_.start_time_seconds);
  addOptional(out, kProcessOpenFds, process_.open_fds);
  addOptional(out, kProcessMaxFds, process_.max_fds);
}

std::string serializeFamilies(const std::vector<MetricFamily>& families) {
  return prometheus::TextSerializer().Serialize(families);
}

}  // namespace certvigil::exporters
