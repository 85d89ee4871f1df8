// SPDX-License-Identifier: Apache-2.0
// probers/tls_text.h (internal to the TLS prober): pure text helpers, kept apart from the I/O so
// they are tested without servers: reading an HTTP answer (status and a plain excerpt of the
// body) and describing what a server that does not speak TLS sent instead.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace certvigil::probers {

/// How much of an HTTP answer is read: the body bytes wanted after the headers, and a cap on
/// the whole answer (headers included).
inline constexpr std::size_t kHttpBodyWanted = 512;
inline constexpr std::size_t kHttpAnswerCap = std::size_t{16} * 1024;
/// The longest excerpt kept from a body.
inline constexpr std::size_t kHttpExcerptMax = 200;

/// The request sent after the handshake; Host is the servername, or the host when empty.
std::string httpRequest(std::string_view host);

/// True once `raw` holds the headers and kHttpBodyWanted body bytes (or the whole body when
/// Content-Length says it is shorter), or reached kHttpAnswerCap.
bool httpAnswerComplete(std::string_view raw);

struct HttpAnswer {
  std::optional<int> status;  ///< from "HTTP/1.x NNN ..."; nullopt if not an HTTP answer
  std::string excerpt;        ///< the body without tags, whitespace collapsed, bounded
};
/// Parses what the server answered (possibly truncated).
HttpAnswer parseHttpAnswer(std::string_view raw);

/// HTML or text to one short plain line: tags and entities dropped, whitespace collapsed, the
/// head (when there is a body), scripts and styles skipped, each block of text said once (an
/// error page repeats its title in a heading), at most `max` bytes (cut at a character boundary).
std::string plainExcerpt(std::string_view body, std::size_t max = kHttpExcerptMax);

/// Whether a 5-byte record header can start a TLS record (content type 20..24, version 3.x).
bool looksLikeTlsRecord(std::string_view header);

/// "the server does not speak TLS (it answered like HTTP)", or with the printable bytes it sent
/// ("it answered in plain text: \"220 m\""), or with OpenSSL's `reason` for binary garbage.
std::string notTlsDetail(std::string_view first_bytes, std::string_view reason);

}  // namespace certvigil::probers
