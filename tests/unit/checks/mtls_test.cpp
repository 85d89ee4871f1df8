// SPDX-License-Identifier: Apache-2.0
// The client side of mTLS endpoints: not requested, not enforced, and every rejection cause in
// both server styles (an alert, nginx's HTTP 400 page), named from the server's words and our
// analysis of the client chain against the acceptable CA names.
#include <doctest/doctest.h>

#include "builder.h"
#include "checks/check.h"
#include "checks/client_chain.h"

namespace certvigil::checks {
namespace {

using namespace testing;

const std::string kRoot = "CN=Root CA";
const std::string kOtherRoot = "CN=Other Root";

CertificateFactsPtr clientLeaf() { return Cert("client").eku(false, true).issuedBy("Int CA"); }
CertificateFactsPtr intermediate() { return Cert("Int CA").ca(); }

ServerAnswer alert(int code, bool after_handshake = false) {
  ServerAnswer a;
  a.alert = code;
  a.alert_text = "some alert";
  a.alert_after_handshake = after_handshake;
  a.handshake_completed = after_handshake;
  return a;
}

ServerAnswer nginx400(const std::string& excerpt = "The SSL certificate error") {
  ServerAnswer a;
  a.handshake_completed = true;
  a.http_status = 400;
  a.http_excerpt = excerpt;
  return a;
}

ServerAnswer served(int status = 200) {
  ServerAnswer a;
  a.handshake_completed = true;
  a.http_status = status;
  return a;
}

EndpointFacts mtlsFacts(std::vector<CertificateFactsPtr> chain, ServerAnswer answer,
                        std::vector<std::string> names = {kRoot}) {
  EndpointFacts f;
  f.address = "api.internal:443";
  f.client.edit().expected = MtlsExpectation::Required;
  f.client.edit().certificate_requested = true;
  f.client.edit().acceptable_ca_names = std::move(names);
  f.client.edit().client_chain = std::move(chain);
  f.client.edit().certificate_sent = !f.client->client_chain.empty();
  f.client.edit().client_source = "/etc/certvigil/client.pem";
  f.client.edit().answer = std::move(answer);
  return f;
}

std::vector<Finding> judge(const EndpointFacts& facts) {
  return checkClientAuth(Obs().endpoint(facts), defaultPolicy(), kNow);
}

std::optional<RejectCause> causeOf(const EndpointFacts& facts) {
  const auto findings = judge(facts);
  const Finding* f = findCode(findings, FindingCode::ClientCertRejected);
  if (f == nullptr) return std::nullopt;
  CHECK_FALSE(f->remedy.empty());
  CHECK(f->position == 0);
  return f->cause;
}

TEST_CASE("a healthy mTLS endpoint has no client-side finding") {
  CHECK(judge(mtlsFacts({clientLeaf(), intermediate()}, served())).empty());
}

TEST_CASE("client_cert_not_requested when mTLS is expected and no CertificateRequest came") {
  for (MtlsExpectation expected : {MtlsExpectation::Optional, MtlsExpectation::Required}) {
    EndpointFacts f = mtlsFacts({clientLeaf(), intermediate()}, served());
    f.client.edit().expected = expected;
    f.client.edit().certificate_requested = false;
    f.client.edit().certificate_sent = false;
    const auto findings = judge(f);
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].code == FindingCode::ClientCertNotRequested);
  }
  EndpointFacts none = mtlsFacts({}, served());
  none.client.edit().expected = MtlsExpectation::None;
  none.client.edit().certificate_requested = false;
  CHECK(judge(none).empty());
}

TEST_CASE("client_cert_not_enforced when a client without a certificate is served") {
  SUBCASE("the anonymous second probe was served (nginx ssl_verify_client optional)") {
    EndpointFacts f = mtlsFacts({clientLeaf(), intermediate()}, served());
    f.client.edit().anonymous = served(404);
    const auto findings = judge(f);
    REQUIRE(countOf(findings, FindingCode::ClientCertNotEnforced) == 1);
    CHECK(contains(findings[0].message, "HTTP 404"));
  }
  SUBCASE("no client certificate configured: the main probe is the anonymous one") {
    CHECK(countOf(judge(mtlsFacts({}, served())), FindingCode::ClientCertNotEnforced) == 1);
  }
  SUBCASE("refused anonymously: enforced") {
    EndpointFacts f = mtlsFacts({clientLeaf(), intermediate()}, served());
    f.client.edit().anonymous = nginx400("No required SSL certificate was sent");
    CHECK(judge(f).empty());
    f.client.edit().anonymous = alert(116, true);
    CHECK(judge(f).empty());
  }
  SUBCASE("mtls optional never asks for enforcement") {
    EndpointFacts f = mtlsFacts({}, served());
    f.client.edit().expected = MtlsExpectation::Optional;
    CHECK(judge(f).empty());
  }
}

TEST_CASE("rejection causes from alerts and from nginx's 400 page") {
  const auto leaf = clientLeaf();
  const auto expired = Cert("client").eku(false, true).expiresIn(-2 * kDay).build();
  const auto server_only = Cert("client").eku(true, false).build();
  const auto other_leaf = Cert("client").eku(false, true).issuedBy("Other Int").build();
  const auto other_int = Cert("Other Int").ca().issuedBy("Other Root").build();
  const auto other_root = Cert("Other Root").root().build();

  for (const bool nginx : {false, true}) {
    CAPTURE(nginx);
    auto answer = [&](int code) { return nginx ? nginx400() : alert(code); };
    // wrong CA: our chain ends at a root the server does not list
    CHECK(causeOf(mtlsFacts({other_leaf, other_int, other_root}, answer(48))) ==
          RejectCause::UnknownCa);
    // wrong CA known locally: the chain stops below a root we know and the server does not list
    EndpointFacts wrong = mtlsFacts({other_leaf, other_int}, answer(48));
    wrong.client.edit().client_root = kOtherRoot;
    CHECK(causeOf(wrong) == RejectCause::UnknownCa);
    // incomplete: leaf only, issued by an intermediate, server lists the root
    EndpointFacts incomplete = mtlsFacts({leaf}, answer(48));
    CHECK(causeOf(incomplete) == RejectCause::IncompleteChain);
    incomplete.client.edit().client_root = kRoot;
    CHECK(causeOf(incomplete) == RejectCause::IncompleteChain);
    // expired and unsupported purpose, from the server's alert or our own analysis
    CHECK(causeOf(mtlsFacts({expired, intermediate()}, answer(45))) == RejectCause::Expired);
    CHECK(causeOf(mtlsFacts({server_only, intermediate()}, answer(43))) ==
          RejectCause::UnsupportedPurpose);
    // nothing we can see wrong
    CHECK(causeOf(mtlsFacts({leaf, intermediate()}, answer(42))) == RejectCause::Other);
  }
}

TEST_CASE("a generic alert is refined by analysis, a specific alert wins") {
  const auto expired = Cert("client").eku(false, true).expiresIn(-2 * kDay).build();
  CHECK(causeOf(mtlsFacts({expired, intermediate()}, alert(42))) == RejectCause::Expired);
  CHECK(causeOf(mtlsFacts({expired, intermediate()}, alert(40))) == RejectCause::Expired);
  // the server's clock disagrees with ours: it said expired, we believe it
  CHECK(causeOf(mtlsFacts({clientLeaf(), intermediate()}, alert(45))) == RejectCause::Expired);
  // unknown_ca with a listed issuer: the server said so
  CHECK(causeOf(mtlsFacts({clientLeaf(), intermediate()}, alert(48))) == RejectCause::UnknownCa);
  // no names listed: nothing to refine, the alert decides
  CHECK(causeOf(mtlsFacts({clientLeaf()}, alert(48), {})) == RejectCause::UnknownCa);
}

TEST_CASE("the incomplete-chain finding says how to build the fullchain") {
  const auto findings = judge(mtlsFacts({clientLeaf()}, nginx400()));
  const Finding* f = findCode(findings, FindingCode::ClientCertRejected);
  REQUIRE(f != nullptr);
  CHECK(contains(f->remedy, "cat /etc/certvigil/client.pem intermediate.crt"));
  CHECK(contains(f->message, "CN=Int CA"));
  CHECK(contains(f->message, "HTTP 400"));
}

TEST_CASE("no rejection finding when the probe itself failed or nothing was refused") {
  EndpointFacts f = mtlsFacts({clientLeaf()}, alert(48));
  f.failure = ProbeFailureKind::Timeout;
  CHECK(judge(f).empty());
  EndpointFacts ok = mtlsFacts({clientLeaf(), intermediate()}, served(400));
  CHECK(countOf(judge(ok), FindingCode::ClientCertRejected) == 0);  // a 400 for another reason
}

}  // namespace
}  // namespace certvigil::checks
