// SPDX-License-Identifier: Apache-2.0
// exporters/http/status_page.h: the status page at "/": one self-contained HTML document (inline
// CSS and JavaScript, no CDN, no web fonts: hosts are often air-gapped) that lists every
// certificate by time left, coloured by severity, with filters (target, role, finding code,
// severity), a detail view per target (chain, findings with remedies, the acceptable client CA
// names of an mTLS endpoint, what the target presented over time) and a refresh every 30 s.
// It reads everything from /api/v1 and builds the DOM with textContent only, so no value from
// a certificate or a file name is ever parsed as HTML.
//
// The page is exporters/http/status_page.html, embedded at build time. Its Content-Security-Policy
// allows exactly its own inline <script> and <style> (by SHA-256 hash), fetches to the same
// origin, and nothing else: an injected script or event handler would not run.
#pragma once

#include <string>
#include <string_view>

namespace certvigil::exporters {

/// The page (generated from status_page.html).
std::string_view statusPageHtml();

/// The Content-Security-Policy header value for the page: hashes of its inline <script> and
/// <style> elements, connect-src 'self', everything else 'none'.
const std::string& statusPageSecurityPolicy();

/// The CSP source expression for inline content: "'sha256-<base64 of SHA-256>'".
std::string cspHashSource(std::string_view inline_content);

}  // namespace certvigil::exporters
