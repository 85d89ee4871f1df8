// SPDX-License-Identifier: Apache-2.0
// exporters/http/api_json.h: how the API spells storage rows in JSON (docs/API.md shows each).
// Times are RFC 3339 UTC strings; fingerprints are lowercase hex SHA-256 under
// "fingerprint_sha256", as in `certvigil check --json`. Internal header (nlohmann-json).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "core/snapshot.h"
#include "core/time.h"
#include "exporters/http/handler.h"
#include "storage/history_reader.h"

namespace certvigil::exporters::api {

using Json = nlohmann::ordered_json;

Json toJson(const storage::TargetSummary& target);
/// A certificate presented at a target; `now` gives seconds_left and days_left.
Json toJson(const storage::PresentedRow& row, TimePoint now);
Json toJson(const storage::FindingRow& finding);
Json toJson(const storage::ScanSummary& scan);
/// An alert event with its delivery per notifier: the one spelling of an event, used by
/// /api/v1/events and `certvigil events --json` alike (docs/API.md). Times are Unix seconds
/// with an RFC 3339 twin "<name>_rfc3339"; absent values are null.
Json toJson(const storage::EventRow& row);
/// What revocation says about the certificate with this fingerprint: status ("good", "revoked",
/// "unknown"), source ("CRL file", "CRL", "OCSP", "stapled OCSP") and URL; null when nothing was
/// asked. The one spelling, in `check --json` and the API alike.
Json revocationJson(const Observation& obs, const std::string& fingerprint);
/// What the issuing ACME CA's renewal information says about the certificate with this
/// fingerprint: its suggested window, explanation URL, the renewalInfo URL asked and why the last
/// request failed; null when nothing was asked.
Json renewalJson(const Observation& obs, const std::string& fingerprint);
/// What the snapshot adds to a target's detail: the chain verdict, the names each certificate
/// covers with their revocation status and renewal window, when it was collected. Null when the
/// snapshot does not hold the target.
Json liveDetail(const TargetResult& result);

/// The status page's counts from the snapshot (api_summary.cpp): "targets", "certificates" (one
/// per target and position presented now, as /api/v1/certificates counts them) and
/// "certificates_by_severity" ({"critical", "warning", "info", "ok"}: by the worst active finding
/// about each, as its `severity` filter selects them).
Json snapshotSummary(const Snapshot& snapshot);

/// A JSON response; invalid UTF-8 in certificate fields is replaced, never an exception.
HttpResponse jsonResponse(const Json& body, int status = 200);
/// {"error": message} with `status`.
HttpResponse errorResponse(int status, const std::string& message);

}  // namespace certvigil::exporters::api
