// SPDX-License-Identifier: Apache-2.0
// cli/diagnosis.h: the mTLS doctor's reasoning on synthetic probes. The findings come from the
// real checks (checks::runChecks) on each synthetic observation, so these tests follow the path
// `certvigil diagnose` takes: facts -> checks -> diagnose().
#include "cli/diagnosis.h"

#include <doctest/doctest.h>

#include "checks/checks.h"
#include "tests/unit/checks/builder.h"

namespace certvigil::cli {
namespace {

using checks::testing::Cert;
using checks::testing::contains;
using checks::testing::kDay;
using checks::testing::kNow;
using checks::testing::Obs;

const std::string kServerName = "api.internal";
const std::string kClientCa = "CN=Int CA";

CertificateFactsPtr serverLeaf(const std::string& dns = kServerName) {
  return Cert(kServerName).dns({dns}).with([](CertificateFacts& f) {
    f.has_subject_alt_name = true;
  });
}
CertificateFactsPtr serverIntermediate() { return Cert("Int CA").ca(); }
CertificateFactsPtr clientLeaf() { return Cert("client").eku(false, true).issuedBy("Int CA"); }

ServerAnswer served() {
  ServerAnswer a;
  a.handshake_completed = true;
  a.http_status = 200;
  return a;
}

ServerAnswer alert(int code, const std::string& text) {
  ServerAnswer a;
  a.alert = code;
  a.alert_text = text;
  return a;
}

/// A healthy mTLS endpoint: required, requested with one CA name, our certificate served, a
/// client without one refused with alert 116.
EndpointFacts healthyFacts() {
  EndpointFacts e;
  e.address = kServerName + ":443";
  e.ip = "192.0.2.10";
  e.servername = kServerName;
  e.tls_version = "TLSv1.3";
  e.cipher = "TLS_AES_256_GCM_SHA384";
  e.client.edit().expected = MtlsExpectation::Required;
  e.client.edit().certificate_requested = true;
  e.client.edit().acceptable_ca_names = {kClientCa};
  e.client.edit().client_chain = {clientLeaf()};
  e.client.edit().client_source = "client.crt";
  e.client.edit().certificate_sent = true;
  e.client.edit().answer = served();
  e.client.edit().anonymous = alert(116, "certificate required");
  return e;
}

/// The endpoint's TargetResult, judged by every check as a probe would be.
TargetResult judge(const EndpointFacts& e, CertificateFactsPtr leaf = serverLeaf()) {
  Obs obs;
  obs.endpoint(e).role(Role::Server).hostname(kServerName);
  const bool got_through = e.failure == ProbeFailureKind::None;
  if (got_through) {
    const CertificateFactsPtr intermediate = serverIntermediate();
    obs.cert(leaf)
        .cert(intermediate)
        .chain(ChainStatus::Valid, -1,
               {leaf->fingerprint_sha256, intermediate->fingerprint_sha256});
    obs.pathCert(Cert("Root CA").root(), CertSource::TrustStore);
  }
  TargetResult r;
  r.unit = e.address;
  r.observation = obs.build();
  r.observation.success = got_through;
  r.findings = checks::runChecks(r.observation, Policy{}, kNow);
  return r;
}

const DiagnosisStep& step(const Diagnosis& d, const std::string& name) {
  for (const DiagnosisStep& s : d.steps) {
    if (s.name == name) return s;
  }
  FAIL("no step " << name);
  return d.steps.front();
}

bool anyDetail(const DiagnosisStep& s, const std::string& part) {
  for (const std::string& detail : s.details) {
    if (contains(detail, part)) return true;
  }
  return false;
}

std::vector<std::string> stepNames(const Diagnosis& d) {
  std::vector<std::string> names;
  for (const DiagnosisStep& s : d.steps) names.push_back(s.name);
  return names;
}

TEST_CASE("StepStatus names") {
  CHECK(toString(StepStatus::Ok) == "ok");
  CHECK(toString(StepStatus::Warn) == "warn");
  CHECK(toString(StepStatus::Fail) == "fail");
  CHECK(toString(StepStatus::Skipped) == "skipped");
}

TEST_CASE("a healthy mTLS endpoint: every step ok, nobody rejects") {
  const TargetResult server = judge(healthyFacts());
  REQUIRE_MESSAGE(server.findings.empty(), server.findings.front().message);
  const Diagnosis d = diagnose(server, nullptr, kNow);
  CHECK(d.target == "api.internal:443");
  CHECK(stepNames(d) == std::vector<std::string>{"connect", "handshake", "server_certificate",
                                                 "certificate_request", "client_certificate",
                                                 "server_answer"});
  for (const DiagnosisStep& s : d.steps) {
    CAPTURE(s.name);
    CHECK(s.status == StepStatus::Ok);
    CHECK_FALSE(s.title.empty());
    CHECK_FALSE(s.summary.empty());
  }
  CHECK(step(d, "connect").summary == "yes, to 192.0.2.10");
  CHECK(step(d, "handshake").summary == "yes: TLSv1.3, TLS_AES_256_GCM_SHA384, SNI api.internal");
  CHECK(contains(step(d, "server_certificate").summary, "CN=api.internal, issued by CN=Int CA"));
  CHECK(contains(step(d, "server_certificate").summary, "(60 days), 2 certificate(s) sent"));
  CHECK(anyDetail(step(d, "server_certificate"), "chain, name and dates are fine"));
  CHECK(contains(step(d, "certificate_request").summary, "1 CA(s)"));
  CHECK(step(d, "certificate_request").details == std::vector<std::string>{kClientCa});
  const DiagnosisStep& client = step(d, "client_certificate");
  CHECK(anyDetail(client, "ok: its issuer is among the accepted CAs"));
  CHECK(anyDetail(client, "ok: extendedKeyUsage allows clientAuth"));
  CHECK(anyDetail(client, "ok: dates are valid now"));
  CHECK(anyDetail(client, "ok: the private key matches"));
  CHECK_FALSE(anyDetail(client, "PROBLEM"));
  CHECK(step(d, "server_answer").summary == "HTTP 200");
  CHECK(anyDetail(step(d, "server_answer"), "without a client certificate: TLS alert 116"));
  CHECK_FALSE(anyDetail(step(d, "server_answer"), "not enforced"));
  CHECK(d.verdict.rejecting_side == "none");
  CHECK(d.verdict.cause.empty());
  CHECK(d.verdict.fix.empty());
}

TEST_CASE("connect failure: the network side, later steps not reached") {
  EndpointFacts e = healthyFacts();
  e.failure = ProbeFailureKind::Connect;
  e.failure_words.edit().stage = "connect";
  e.failure_words.edit().detail = "connection refused";
  e.ip.clear();
  const TargetResult server = judge(e);
  const Diagnosis d = diagnose(server, nullptr, kNow);
  CHECK(stepNames(d) == std::vector<std::string>{"connect", "handshake"});
  CHECK(step(d, "connect").status == StepStatus::Fail);
  CHECK(step(d, "connect").summary == "no: connection refused (at connect)");
  CHECK(step(d, "handshake").status == StepStatus::Skipped);
  CHECK(d.verdict.rejecting_side == "network");
  CHECK(d.verdict.cause == "connect_failed");
  CHECK(contains(d.verdict.explanation, "connection refused"));
  CHECK(d.verdict.fix == defaultRemedy(FindingCode::ConnectFailed));
}

TEST_CASE("a timeout while connecting is the connect step's failure; the handshake not reached") {
  // Was: the handshake step failed too, "no: ... (at connect)".
  EndpointFacts e = healthyFacts();
  e.failure = ProbeFailureKind::Timeout;
  e.failure_words.edit().stage = "connect";
  e.failure_words.edit().detail = "no SYN-ACK";
  const Diagnosis d = diagnose(judge(e), nullptr, kNow);
  CHECK(step(d, "connect").status == StepStatus::Fail);
  CHECK(step(d, "handshake").status == StepStatus::Skipped);
  CHECK(step(d, "handshake").summary == "not reached");
  CHECK(d.verdict.rejecting_side == "network");
  CHECK(d.verdict.cause == "timeout");

  SUBCASE("a timeout during the handshake is the handshake's") {
    e.failure_words.edit().stage = "handshake";
    const Diagnosis late = diagnose(judge(e), nullptr, kNow);
    CHECK(step(late, "connect").status == StepStatus::Ok);
    CHECK(step(late, "handshake").status == StepStatus::Fail);
    CHECK(step(late, "handshake").summary == "no: no SYN-ACK (at handshake)");
  }
}

TEST_CASE("handshake failure: connected, the handshake fails, the network side") {
  EndpointFacts e = healthyFacts();
  e.failure = ProbeFailureKind::Handshake;
  e.failure_words.edit().stage = "handshake";
  e.failure_words.edit().detail = "wrong version number";
  const Diagnosis d = diagnose(judge(e), nullptr, kNow);
  CHECK(step(d, "connect").status == StepStatus::Ok);
  CHECK(step(d, "handshake").status == StepStatus::Fail);
  CHECK(d.steps.size() == 2);
  CHECK(d.verdict.rejecting_side == "network");
  CHECK(d.verdict.cause == "handshake_failed");
}

TEST_CASE("alert 48 and our chain ending at a root the server does not list: unknown_ca") {
  EndpointFacts e = healthyFacts();
  e.client.edit().client_chain = {Cert("client").eku(false, true).issuedBy("Other Root"),
                                  Cert("Other Root").root()};
  e.client.edit().answer = alert(48, "unknown CA");
  const TargetResult server = judge(e);
  const Diagnosis d = diagnose(server, nullptr, kNow);
  const DiagnosisStep& client = step(d, "client_certificate");
  CHECK(client.status == StepStatus::Fail);
  CHECK(anyDetail(client, "PROBLEM: its issuer \"CN=Other Root\" is not among the accepted CAs"));
  CHECK(contains(client.summary, "we send 2 certificate(s)"));
  CHECK(step(d, "server_answer").status == StepStatus::Fail);
  CHECK(step(d, "server_answer").summary == "TLS alert 48 (unknown CA) during the handshake");
  CHECK(step(d, "server_certificate").status == StepStatus::Ok);
  CHECK(d.verdict.rejecting_side == "server");
  CHECK(d.verdict.cause == "unknown_ca");
  CHECK(contains(d.verdict.explanation,
                 "its issuer \"CN=Other Root\" is not a CA the server trusts"));
  CHECK(contains(d.verdict.fix, "ssl_client_certificate"));
}

TEST_CASE("our chain stops below the listed root: incomplete_chain, send the intermediate") {
  EndpointFacts e = healthyFacts();
  e.client.edit().acceptable_ca_names = {"CN=Root CA"};
  e.client.edit().client_root = "CN=Root CA";
  e.client.edit().answer = alert(48, "unknown CA");
  const Diagnosis d = diagnose(judge(e), nullptr, kNow);
  const DiagnosisStep& client = step(d, "client_certificate");
  CHECK(client.status == StepStatus::Fail);
  CHECK(anyDetail(client, "the chain we send stops at CN=Int CA"));
  CHECK(d.verdict.rejecting_side == "server");
  CHECK(d.verdict.cause == "incomplete_chain");
  CHECK(contains(d.verdict.fix, "cat client.crt intermediate.crt"));
}

TEST_CASE("an expired client certificate") {
  EndpointFacts e = healthyFacts();
  e.client.edit().client_chain = {
      Cert("client").eku(false, true).issuedBy("Int CA").expiresIn(-2 * kDay)};
  e.client.edit().answer = alert(45, "certificate expired");
  const Diagnosis d = diagnose(judge(e), nullptr, kNow);
  const DiagnosisStep& client = step(d, "client_certificate");
  CHECK(client.status == StepStatus::Fail);
  CHECK(anyDetail(client, "PROBLEM: CN=client has expired"));
  CHECK(anyDetail(client, "ok: its issuer is among the accepted CAs"));
  CHECK(d.verdict.rejecting_side == "server");
  CHECK(d.verdict.cause == "expired");
  CHECK(contains(d.verdict.fix, "renew the client certificate"));
}

TEST_CASE("a client certificate without clientAuth, refused with nginx's 400 page") {
  EndpointFacts e = healthyFacts();
  e.client.edit().client_chain = {Cert("client").eku(true, false).issuedBy("Int CA")};
  e.client.edit().answer.http_status = 400;
  e.client.edit().answer.http_excerpt = "The SSL certificate error";
  const Diagnosis d = diagnose(judge(e), nullptr, kNow);
  const DiagnosisStep& client = step(d, "client_certificate");
  CHECK(client.status == StepStatus::Fail);
  CHECK(anyDetail(client, "PROBLEM: extendedKeyUsage lacks clientAuth"));
  CHECK(step(d, "server_answer").status == StepStatus::Fail);
  CHECK(step(d, "server_answer").summary == "HTTP 400: The SSL certificate error");
  CHECK(d.verdict.rejecting_side == "server");
  CHECK(d.verdict.cause == "unsupported_purpose");
  CHECK(contains(d.verdict.fix, "extendedKeyUsage=clientAuth"));
}

TEST_CASE("the server does not ask for a certificate: client_cert_not_requested") {
  EndpointFacts e = healthyFacts();
  e.client.edit().certificate_requested = false;
  e.client.edit().acceptable_ca_names.clear();
  e.client.edit().certificate_sent = false;
  e.client.edit().anonymous = served();
  const Diagnosis d = diagnose(judge(e), nullptr, kNow);
  CHECK(step(d, "certificate_request").status == StepStatus::Fail);
  CHECK(contains(step(d, "certificate_request").summary, "no CertificateRequest"));
  CHECK(d.verdict.rejecting_side == "server");
  CHECK(d.verdict.cause == "client_cert_not_requested");
  CHECK(contains(d.verdict.fix, "ssl_verify_client on"));

  SUBCASE("not a problem when mTLS is not expected") {
    e.client.edit().expected = MtlsExpectation::None;
    const Diagnosis none = diagnose(judge(e), nullptr, kNow);
    CHECK(step(none, "certificate_request").status == StepStatus::Ok);
    CHECK(none.verdict.rejecting_side == "none");
  }
}

TEST_CASE("the server serves a client without a certificate: client_cert_not_enforced") {
  EndpointFacts e = healthyFacts();
  e.client.edit().anonymous = served();
  const Diagnosis d = diagnose(judge(e), nullptr, kNow);
  CHECK(anyDetail(step(d, "server_answer"), "(served: mTLS is not enforced)"));
  CHECK(d.verdict.rejecting_side == "server");
  CHECK(d.verdict.cause == "client_cert_not_enforced");
  CHECK(contains(d.verdict.explanation, "requires mTLS (mtls: required) but answered HTTP 200"));
}

TEST_CASE("the server's certificate does not cover the name: clients reject it") {
  EndpointFacts e = healthyFacts();
  const TargetResult server = judge(e, serverLeaf("other.internal"));
  const Diagnosis d = diagnose(server, nullptr, kNow);
  const DiagnosisStep& cert = step(d, "server_certificate");
  CHECK(cert.status == StepStatus::Fail);
  CHECK(anyDetail(cert, "critical: "));
  CHECK(d.verdict.rejecting_side == "client");
  CHECK(d.verdict.cause == "hostname_mismatch");
  CHECK(contains(d.verdict.explanation, "clients reject the server's certificate: "));
  CHECK_FALSE(d.verdict.fix.empty());
}

TEST_CASE("a server certificate warning does not make clients reject it") {
  EndpointFacts e = healthyFacts();
  const TargetResult server = judge(e, Cert(kServerName).dns({kServerName}).expiresIn(10 * kDay));
  const Diagnosis d = diagnose(server, nullptr, kNow);
  CHECK(step(d, "server_certificate").status == StepStatus::Warn);
  CHECK(anyDetail(step(d, "server_certificate"), "warning: "));
  CHECK(d.verdict.rejecting_side == "none");
}

TEST_CASE("client credentials that cannot be loaded: the local side") {
  EndpointFacts e = healthyFacts();
  e.client.edit().client_problem = "client.key: permission denied";
  e.client.edit().client_chain.clear();
  e.client.edit().certificate_sent = false;
  e.client.edit().anonymous.reset();
  e.client.edit().answer = alert(116, "certificate required");
  const Diagnosis d = diagnose(judge(e), nullptr, kNow);
  const DiagnosisStep& client = step(d, "client_certificate");
  CHECK(client.status == StepStatus::Fail);
  CHECK(client.summary == "cannot be used: client.key: permission denied");
  CHECK(d.verdict.rejecting_side == "local");
  CHECK(d.verdict.cause == "client_certificate_unusable");
  CHECK(d.verdict.explanation == "client.key: permission denied");
}

TEST_CASE("no client certificate configured: the client step is skipped") {
  EndpointFacts e = healthyFacts();
  e.client.edit().expected = MtlsExpectation::None;
  e.client.edit().client_source.clear();
  e.client.edit().client_chain.clear();
  e.client.edit().certificate_sent = false;
  e.client.edit().anonymous.reset();
  const Diagnosis d = diagnose(judge(e), nullptr, kNow);
  CHECK(step(d, "client_certificate").status == StepStatus::Skipped);
  CHECK(d.verdict.rejecting_side == "none");
}

TEST_CASE("a key_mismatch on the client certificate target fails the client step") {
  TargetResult client;
  client.findings = {makeFinding(FindingCode::KeyMismatch, "the key does not match")};
  const Diagnosis d = diagnose(judge(healthyFacts()), &client, kNow);
  CHECK(step(d, "client_certificate").status == StepStatus::Fail);
  CHECK(anyDetail(step(d, "client_certificate"), "PROBLEM: the private key does not match"));
}

TEST_CASE("a result without endpoint facts gets no steps") {
  TargetResult file;
  file.observation.target = "/etc/ssl/a.pem";
  const Diagnosis d = diagnose(file, nullptr, kNow);
  CHECK(d.target == "/etc/ssl/a.pem");
  CHECK(d.steps.empty());
  CHECK(d.verdict.rejecting_side.empty());
}

}  // namespace
}  // namespace certvigil::cli
