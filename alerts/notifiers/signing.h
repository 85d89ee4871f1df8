// SPDX-License-Identifier: Apache-2.0
// alerts/notifiers/signing.h: Standard Webhooks signatures (https://www.standardwebhooks.com):
// the signed content is "<webhook-id>.<webhook-timestamp>.<body>", the signature is the base64
// of its HMAC-SHA256 under the secret, sent as "webhook-signature: v1,<base64>".
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace certvigil::alerts {

/// "v1,<base64 HMAC-SHA256 of id.timestamp.body>".
std::string signWebhook(std::string_view secret, std::string_view id, long timestamp,
                        std::string_view body);

/// The signing key a secret file's text stands for: "whsec_<base64>" is decoded, anything else
/// is used as is; surrounding whitespace (a trailing newline) is dropped. nullopt when a
/// "whsec_" secret is not valid base64 or the secret is empty.
std::optional<std::string> webhookKeyFromSecret(std::string_view text);

std::string base64Encode(std::string_view bytes);
std::optional<std::string> base64Decode(std::string_view text);

}  // namespace certvigil::alerts
