// SPDX-License-Identifier: Apache-2.0
// alerts/notifiers/payloads.h: the bodies notifiers send, as pure functions of events (and of
// `now` where the receiver needs it), so tests check them without a network. docs/ALERTS.md
// documents each shape.
#pragma once

#include <chrono>
#include <span>
#include <string>

#include "alerts/event.h"

namespace certvigil::alerts {

/// The generic webhook's JSON body for one event.
std::string webhookBody(const AlertEvent& event);

/// A Slack incoming-webhook message for a batch: {"text": ..., "blocks": [section, ...]}, one
/// mrkdwn section per event after a header section; within Slack's limits (50 blocks, 3000
/// characters per section text).
std::string slackMessage(std::span<const AlertEvent> events);

/// Alertmanager API v2 postable alerts. Firing ones end at `ends_at` (a few resend intervals
/// ahead, so they resolve by themselves if certvigil goes away); resolved ones end when they
/// resolved (or `now`). A severity change also resolves the alert under the old severity label.
std::string alertmanagerAlerts(std::span<const AlertEvent> events, TimePoint now,
                               std::chrono::milliseconds ends_in);

}  // namespace certvigil::alerts
