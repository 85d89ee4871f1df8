// SPDX-License-Identifier: Apache-2.0
// exporters/prometheus/metric_families.h: every metric family certvigil exports, defined once.
// Names, types and help texts are contract: docs/METRICS.md lists the same families and a unit
// test checks the two against each other.
#pragma once

#include <array>
#include <string_view>

namespace certvigil::exporters {

/// The exposition types we use: every certvigil family is a gauge except CPU time.
enum class MetricType { Gauge, Counter };

/// "gauge" | "counter", as written on a TYPE line.
constexpr std::string_view toString(MetricType type) {
  return type == MetricType::Counter ? "counter" : "gauge";
}

/// Name, help and type of one family.
struct FamilyDescriptor {
  std::string_view name;
  std::string_view help;
  MetricType type = MetricType::Gauge;
};

// Per certificate (labels source, target, role, position; cert_info adds its facts).
inline constexpr FamilyDescriptor kCertNotAfter{"certvigil_cert_not_after_timestamp_seconds",
                                                "notAfter of the certificate as a Unix timestamp.",
                                                MetricType::Gauge};
inline constexpr FamilyDescriptor kCertNotBefore{
    "certvigil_cert_not_before_timestamp_seconds",
    "notBefore of the certificate as a Unix timestamp.", MetricType::Gauge};
inline constexpr FamilyDescriptor kCertInfo{
    "certvigil_cert_info", "Facts about a certificate as labels; the value is always 1.",
    MetricType::Gauge};
// Per finding (labels source, target, code, severity, fingerprint, position).
inline constexpr FamilyDescriptor kFinding{
    "certvigil_finding", "An active finding; the series disappears when the finding clears.",
    MetricType::Gauge};
// Per target (labels source, target).
inline constexpr FamilyDescriptor kProbeSuccess{
    "certvigil_probe_success", "Whether the last probe of the target ran (1) or not (0).",
    MetricType::Gauge};
inline constexpr FamilyDescriptor kProbeDuration{"certvigil_probe_duration_seconds",
                                                 "How long the last probe of the target took.",
                                                 MetricType::Gauge};
// Per endpoint target (labels source, target; tls_info adds version, cipher, ocsp; the CA info
// adds ca).
inline constexpr FamilyDescriptor kTlsInfo{
    "certvigil_tls_info",
    "The TLS version, cipher and stapled OCSP status an endpoint negotiated; the value is always "
    "1.",
    MetricType::Gauge};
inline constexpr FamilyDescriptor kMtlsRequested{
    "certvigil_mtls_client_certificate_requested",
    "Whether the endpoint asked for a client certificate (sent a CertificateRequest).",
    MetricType::Gauge};
inline constexpr FamilyDescriptor kMtlsAcceptableCa{
    "certvigil_mtls_acceptable_ca_info",
    "A client CA name the endpoint accepts (at most 16 per endpoint); the value is always 1.",
    MetricType::Gauge};
inline constexpr FamilyDescriptor kMtlsAcceptableCaNames{
    "certvigil_mtls_acceptable_ca_names",
    "How many client CA names the endpoint's CertificateRequest lists.", MetricType::Gauge};
// Per scan unit (labels unit, source).
inline constexpr FamilyDescriptor kLastScan{
    "certvigil_last_scan_timestamp_seconds",
    "When the last scan of the configured entry started, as a Unix timestamp.", MetricType::Gauge};
inline constexpr FamilyDescriptor kScanDuration{
    "certvigil_scan_duration_seconds", "How long the last scan of the configured entry took.",
    MetricType::Gauge};
inline constexpr FamilyDescriptor kScanSuccess{
    "certvigil_scan_success", "Whether the last scan of the configured entry ran (1) or not (0).",
    MetricType::Gauge};
inline constexpr FamilyDescriptor kScanTargets{
    "certvigil_scan_targets", "How many targets the last scan of the configured entry found.",
    MetricType::Gauge};
inline constexpr FamilyDescriptor kWalkSkipped{
    "certvigil_walk_skipped",
    "Entries the last scan of the configured entry skipped while walking (label reason: "
    "symlink_loop); they are not findings.",
    MetricType::Gauge};
// Revocation: per CRL URL (label url: per CA, never per certificate), per kind and result.
inline constexpr FamilyDescriptor kCrlNextUpdate{
    "certvigil_crl_next_update_timestamp_seconds",
    "nextUpdate of the CRL fetched from the distribution point, as a Unix timestamp.",
    MetricType::Gauge};
inline constexpr FamilyDescriptor kCrlFetchSuccess{
    "certvigil_crl_last_fetch_success",
    "Whether the last fetch of the CRL distribution point gave a CRL (1) or failed (0).",
    MetricType::Gauge};
inline constexpr FamilyDescriptor kRevocationFetches{
    "certvigil_revocation_fetch_total",
    "Requests to CAs (kind crl, ocsp or ari) since start, by result (ok, not_modified, error).",
    MetricType::Counter};
// ACME renewal information, per leaf certificate (labels source, target, role, position).
inline constexpr FamilyDescriptor kAriWindowStart{
    "certvigil_ari_window_start_timestamp_seconds",
    "Start of the renewal window the issuing ACME CA suggests (RFC 9773), as a Unix timestamp.",
    MetricType::Gauge};
inline constexpr FamilyDescriptor kAriWindowEnd{
    "certvigil_ari_window_end_timestamp_seconds",
    "End of the renewal window the issuing ACME CA suggests (RFC 9773), as a Unix timestamp.",
    MetricType::Gauge};
// Daemon.
inline constexpr FamilyDescriptor kStorageErrors{
    "certvigil_storage_errors_total",
    "Database writes that failed (scans, retirements, pruning); scanning goes on.",
    MetricType::Counter};
inline constexpr FamilyDescriptor kDegraded{
    "certvigil_degraded",
    "1 while the daemon is degraded (database writes failing, last reload refused); /healthz "
    "says why.",
    MetricType::Gauge};
inline constexpr FamilyDescriptor kBuildInfo{
    "certvigil_build_info", "certvigil and OpenSSL versions as labels; the value is always 1.",
    MetricType::Gauge};
inline constexpr FamilyDescriptor kReloadSuccessful{
    "certvigil_config_last_reload_successful",
    "Whether the last configuration (re)load succeeded (1) or failed (0).", MetricType::Gauge};
inline constexpr FamilyDescriptor kReloadTimestamp{
    "certvigil_config_last_reload_success_timestamp_seconds",
    "When the configuration was last (re)loaded successfully, as a Unix timestamp.",
    MetricType::Gauge};
inline constexpr FamilyDescriptor kCertificates{
    "certvigil_certificates", "How many certificate series this exposition holds.",
    MetricType::Gauge};
// Alert delivery, per notifier (labels notifier; result on notifications_total).
inline constexpr FamilyDescriptor kNotifications{
    "certvigil_notifications_total",
    "Alert events per notifier and what became of them (delivered, retried, rejected, dropped, "
    "filtered).",
    MetricType::Counter};
inline constexpr FamilyDescriptor kOutboxPending{
    "certvigil_outbox_pending", "Alert events the notifier has yet to deliver.", MetricType::Gauge};
inline constexpr FamilyDescriptor kOutboxOldestAge{
    "certvigil_outbox_oldest_pending_age_seconds",
    "Age of the oldest alert event the notifier has yet to deliver (0 when none).",
    MetricType::Gauge};
// Process, read from /proc/self (the names client libraries use).
inline constexpr FamilyDescriptor kProcessCpu{"process_cpu_seconds_total",
                                              "Total user and system CPU time spent in seconds.",
                                              MetricType::Counter};
inline constexpr FamilyDescriptor kProcessResident{
    "process_resident_memory_bytes", "Resident memory size in bytes.", MetricType::Gauge};
inline constexpr FamilyDescriptor kProcessVirtual{
    "process_virtual_memory_bytes", "Virtual memory size in bytes.", MetricType::Gauge};
inline constexpr FamilyDescriptor kProcessStart{
    "process_start_time_seconds", "Start time of the process since the Unix epoch in seconds.",
    MetricType::Gauge};
inline constexpr FamilyDescriptor kProcessOpenFds{
    "process_open_fds", "Number of open file descriptors.", MetricType::Gauge};
inline constexpr FamilyDescriptor kProcessMaxFds{
    "process_max_fds", "Maximum number of open file descriptors.", MetricType::Gauge};

/// Every family, in the order a full exposition writes them.
inline constexpr std::array kAllFamilies = {
    kBuildInfo,
    kReloadSuccessful,
    kReloadTimestamp,
    kCertificates,
    kStorageErrors,
    kDegraded,
    kLastScan,
    kScanDuration,
    kScanSuccess,
    kScanTargets,
    kWalkSkipped,
    kCrlNextUpdate,
    kCrlFetchSuccess,
    kRevocationFetches,
    kAriWindowStart,
    kAriWindowEnd,
    kNotifications,
    kOutboxPending,
    kOutboxOldestAge,
    kProcessCpu,
    kProcessResident,
    kProcessVirtual,
    kProcessStart,
    kProcessOpenFds,
    kProcessMaxFds,
    kTlsInfo,
    kMtlsRequested,
    kMtlsAcceptableCa,
    kMtlsAcceptableCaNames,
    kProbeSuccess,
    kProbeDuration,
    kCertNotAfter,
    kCertNotBefore,
    kCertInfo,
    kFinding,
};

}  // namespace certvigil::exporters
