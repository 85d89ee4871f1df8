// SPDX-License-Identifier: Apache-2.0
// The TLS prober's pure helpers: HTTP answers, not-TLS details, LDAP's BER, names of stages.
#include <doctest/doctest.h>

#include "probers/starttls_ber.h"
#include "probers/tls_probe.h"
#include "probers/tls_text.h"

namespace certvigil::probers {
namespace {

const std::string kNginx400 =
    "HTTP/1.1 400 Bad Request\r\nServer: nginx\r\nContent-Type: text/html\r\n"
    "Content-Length: 230\r\nConnection: close\r\n\r\n"
    "<html>\r\n<head><title>400 No required SSL certificate was sent</title></head>\r\n<body>\r\n"
    "<center><h1>400 Bad Request</h1></center>\r\n"
    "<center>No required SSL certificate was sent</center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n";

TEST_CASE("an HTTP answer gives its status and a plain excerpt of the body") {
  const HttpAnswer answer = parseHttpAnswer(kNginx400);
  REQUIRE(answer.status.has_value());
  CHECK(*answer.status == 400);
  // The title repeats the page's words: they are said once.
  CHECK(answer.excerpt == "400 Bad Request No required SSL certificate was sent nginx");
}

TEST_CASE("an excerpt skips the head, scripts and styles, and says each block once") {
  CHECK(plainExcerpt("<head><title>T</title><style>p{}</style></head><body><p>x</p><p>x</p>"
                     "<script>var a;</script><p>y <b>z</b></p></body>") == "x y z");
  CHECK(plainExcerpt("<title>only a title</title>") == "only a title");
}

TEST_CASE("what is not an HTTP answer has no status") {
  CHECK_FALSE(parseHttpAnswer("").status);
  CHECK_FALSE(parseHttpAnswer("SSH-2.0-OpenSSH\r\n").status);
  CHECK_FALSE(parseHttpAnswer("HTTP/1.1 4x0 Bad\r\n\r\n").status);
  CHECK_FALSE(parseHttpAnswer("HTTP/1.1 999 Odd\r\n\r\n").status);
  CHECK(parseHttpAnswer("HTTP/1.0 200 ok\r\n").status == 200);  // headers cut short
}

TEST_CASE("an answer is complete with its headers and 512 body bytes, or its whole body") {
  CHECK_FALSE(httpAnswerComplete("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n"));
  CHECK_FALSE(httpAnswerComplete("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhell"));
  CHECK(httpAnswerComplete("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"));
  CHECK(httpAnswerComplete("HTTP/1.1 200 OK\r\ncontent-length:0\r\n\r\n"));
  const std::string head = "HTTP/1.1 200 OK\r\n\r\n";
  CHECK_FALSE(httpAnswerComplete(head + std::string(kHttpBodyWanted - 1, 'x')));
  CHECK(httpAnswerComplete(head + std::string(kHttpBodyWanted, 'x')));
  CHECK(httpAnswerComplete(std::string(kHttpAnswerCap, 'x')));  // never ends its headers
}

TEST_CASE("an excerpt is bounded, without tags or entities, and keeps UTF-8 whole") {
  CHECK(plainExcerpt("<p>a&amp;b</p>\n\n  <b>c</b>") == "a&b c");
  CHECK(plainExcerpt("x&nbsp;y &lt;z&gt; R & D") == "x y <z> R & D");
  CHECK(plainExcerpt(std::string(1000, 'y')).size() == kHttpExcerptMax);
  const std::string umlauts = "\xc3\xbc\xc3\xbc\xc3\xbc";  // three two-byte characters
  CHECK(plainExcerpt(umlauts, 5) == "\xc3\xbc\xc3\xbc");
}

TEST_CASE("the request names the host and closes the connection") {
  CHECK(httpRequest("api.test") ==
        "GET / HTTP/1.1\r\nHost: api.test\r\nUser-Agent: certvigil\r\nConnection: close\r\n\r\n");
  CHECK(httpRequest("::1").find("Host: [::1]\r\n") != std::string::npos);
}

TEST_CASE("a server that does not speak TLS is described by what it sent") {
  CHECK(looksLikeTlsRecord(std::string("\x16\x03\x01\x00\x10", 5)));
  CHECK(looksLikeTlsRecord(std::string("\x15\x03\x03\x00\x02", 5)));
  CHECK_FALSE(looksLikeTlsRecord("HTTP/"));
  CHECK(notTlsDetail("HTTP/", "wrong version number") ==
        "the server does not speak TLS (it answered like HTTP)");
  CHECK(notTlsDetail("220 m", "wrong version number") ==
        "the server does not speak TLS (it answered in plain text: \"220 m\")");
  CHECK(notTlsDetail(std::string("\x80\x81\x00\x01\x02", 5), "wrong version number") ==
        "the server does not speak TLS (wrong version number)");
}

TEST_CASE("LDAP StartTLS: the request bytes and the response's result code") {
  const std::string request = ldapStartTlsRequest();
  CHECK(request.size() == 31);
  CHECK(berMessageSize(request) == request.size());
  CHECK(request.find("1.3.6.1.4.1.1466.20037") == 9);
  CHECK(berMessageSize(std::string("\x30", 1)) == 0);
  CHECK(berMessageSize(std::string("\x30\x82\x01", 3)) == 0);        // length bytes missing
  CHECK(berMessageSize(std::string("\x30\x82\x01\x00", 4)) == 260);  // long form

  const std::string ok("\x30\x0c\x02\x01\x01\x78\x07\x0a\x01\x00\x04\x00\x04\x00", 14);
  LdapResult result = parseLdapExtendedResponse(ok);
  CHECK(result.parsed);
  CHECK(result.code == 0);

  const std::string refused =
      std::string("\x30\x11\x02\x01\x01\x78\x0c\x0a\x01\x34\x04\x00\x04\x05", 14) + "busy!";
  result = parseLdapExtendedResponse(refused);
  CHECK(result.parsed);
  CHECK(result.code == 52);
  CHECK(result.message == "busy!");

  CHECK_FALSE(parseLdapExtendedResponse(std::string("\x30\x03\x02\x01\x01", 5)).parsed);
  CHECK_FALSE(parseLdapExtendedResponse("garbage").parsed);
}

TEST_CASE("stages and failures have stable names") {
  CHECK(toString(ProbeStage::AfterHandshake) == "after_handshake");
  CHECK(toString(ProbeStage::StartTls) == "starttls");
  CHECK(toString(ProbeFailure::Timeout) == "timeout");
  CHECK(toString(ProbeFailure::None) == "none");
}

}  // namespace
}  // namespace certvigil::probers
