// SPDX-License-Identifier: Apache-2.0
// daemon/probe_route.h: GET /probe?target=host:port[&servername=&mtls=&starttls=&timeout=] —
// probe now, answer that target's metrics only (blackbox_exporter's multi-target pattern). 403
// for an endpoint that is not configured (unless probe.allow_any_target), 400 for a malformed
// request.
#pragma once

#include "exporters/http/handler.h"
#include "scheduler/probe_service.h"

namespace certvigil::daemon {

/// The route; `service` must outlive the listener.
exporters::HttpRoute probeRoute(scheduler::ProbeService& service);

}  // namespace certvigil::daemon
