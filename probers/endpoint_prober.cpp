// SPDX-License-Identifier: Apache-2.0
#include "probers/endpoint_prober.h"

#include <arpa/inet.h>
#include <algorithm>

#include "probers/file_expander.h"
#include "x509/ocsp.h"
#include "x509/reader.h"
#include "x509/tls_material.h"

namespace certvigil::probers {

// What a sweep keeps of each endpoint while its probes run (its request goes to the prober). A
// sweep prepares every endpoint at once, so what only endpoints with a client certificate or
// an expected leaf have is held by pointer: 720 bytes an endpoint before, 16 now.
struct EndpointProber::Prepared {
  struct Extras {
    LoadedClient client;
    std::unique_ptr<Observation> client_observation;
    std::string expected_fingerprint;
    std::string expect_problem;
    std::unique_ptr<TlsProbeRequest> anonymous;  ///< the same probe without our certificate
  };
  const x509::TrustStore* trust = nullptr;  ///< the server's chain is built to these anchors
  std::unique_ptr<Extras> extras;

  const Extras& more() const {
    static const Extras kNone;
    return extras ? *extras : kNone;
  }
};

namespace {

bool isIpLiteral(const std::string& host) {
  unsigned char buf[16];
  return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

// The SNI a probe sends: the configured servername, else a host given by name.
std::string sentServername(const EndpointSpec& spec) {
  return spec.servername.empty() && !isIpLiteral(spec.host) ? spec.host : spec.servername;
}

// The name the leaf must cover: the configured servername, else the host dialled.
std::string verifiedName(const EndpointSpec& spec) {
  return spec.servername.empty() ? spec.host : spec.servername;
}

ProbeFailureKind failureKind(const TlsProbeOutcome& outcome) {
  switch (outcome.failure) {
    case ProbeFailure::None:
      return ProbeFailureKind::None;
    case ProbeFailure::Resolve:
    case ProbeFailure::Connect:
      return ProbeFailureKind::Connect;
    case ProbeFailure::Timeout:
      return ProbeFailureKind::Timeout;
    case ProbeFailure::StartTls:
    case ProbeFailure::Handshake:
      break;
  }
  // A server that asked for a client certificate and then refused ours with an alert has
  // answered: that is client_cert_rejected (or an enforced mTLS), not a broken handshake.
  if (outcome.alert && outcome.certificate_requested) return ProbeFailureKind::None;
  return ProbeFailureKind::Handshake;
}

ServerAnswer answerOf(const TlsProbeOutcome& outcome) {
  ServerAnswer answer;
  answer.handshake_completed = outcome.failure == ProbeFailure::None;
  if (outcome.alert) {
    answer.alert = outcome.alert->description;
    answer.alert_text = outcome.alert->text;
    answer.alert_after_handshake = outcome.alert->after_handshake;
  }
  answer.http_status = outcome.http_status;
  answer.http_excerpt = outcome.http_excerpt;
  if (outcome.failure != ProbeFailure::None) answer.failure_detail = outcome.detail;
  return answer;
}

const TlsProbeOutcome* matching(const std::vector<TlsProbeOutcome>* outcomes,
                                const std::string& ip) {
  if (outcomes == nullptr) return nullptr;
  for (const TlsProbeOutcome& o : *outcomes) {
    if (o.address == ip) return &o;
  }
  return outcomes->empty() ? nullptr : &outcomes->front();
}

// The SHA-256 of the first certificate in expect_file, or why there is none.
void readExpectedLeaf(const std::filesystem::path& path, std::string& fingerprint,
                      std::string& problem) {
  Result<std::string> bytes = x509::readFileCapped(path);
  if (!bytes) {
    problem = bytes.error().message;
    return;
  }
  x509::Material material = x509::readMaterial(*bytes);
  if (material.certificate_ders.empty()) {
    problem = "no certificate in it";
    return;
  }
  fingerprint = x509::sha256Hex(material.certificate_ders.front());
}

Observation clientObservation(const EndpointSpec& spec, const FileProber& files,
                              const Clock& clock) {
  FileSpec file;
  file.path = spec.client->source();
  file.role = Role::Client;
  file.key = spec.client->key;
  if (!spec.client->password_file.empty()) {
    if (auto password = x509::readPasswordFile(spec.client->password_file))
      file.password = *password;
  }
  Observation obs = files.probe(file, clock);
  obs.target = clientTargetName(spec.name);
  obs.kind = TargetKind::Endpoint;
  return obs;
}

}  // namespace

std::string clientTargetName(const std::string& name) { return name + "#client"; }

// The same credentials object scan after scan while the files do not change: the TLS prober
// keeps one SSL context per credentials object.
const LoadedClient& EndpointProber::client(const ClientCredentialFiles& files) {
  // Inline credentials by their digest: the secret itself is not copied into a key.
  const std::string key = files.certificate.string() + "|" + files.key.string() + "|" +
                          files.pkcs12.string() + "|" + files.password_file.string() + "|" +
                          (files.inline_pem.empty() ? "" : x509::sha256Hex(files.inline_pem));
  const std::string signature = statSignature(files.certificate) + "|" + statSignature(files.key) +
                                "|" + statSignature(files.pkcs12) + "|" +
                                statSignature(files.password_file);
  CachedClient& cached = clients_[key];
  if (cached.signature != signature) {
    cached.loaded = loadClientCredentials(files, certificates_, trust_);
    cached.signature = signature;
  }
  return cached.loaded;
}

// A store per distinct set of anchors, kept while a batch still names it.
const x509::TrustStore& EndpointProber::trustFor(const EndpointSpec& spec) {
  const std::string& pem = spec.server_chain->trust_pem;
  if (pem.empty()) return trust_;
  if (auto it = trusts_.find(pem); it != trusts_.end()) return it->second;
  if (auto it = trusts_before_.find(pem); it != trusts_before_.end()) {
    return trusts_.emplace(pem, std::move(it->second)).first->second;
  }
  std::vector<x509::X509Shared> anchors;
  for (const std::string& der : x509::readMaterial(pem).certificate_ders) {
    if (Result<x509::ParsedCertificate> parsed = certificates_.get(der)) {
      anchors.push_back(parsed->cert);
    }
  }
  return trusts_.emplace(pem, x509::TrustStore::fromCertificates(anchors)).first->second;
}

EndpointProber::Prepared EndpointProber::prepare(const EndpointSpec& spec, const Clock& clock,
                                                 TlsProbeRequest& request) {
  Prepared p;
  p.trust = &trustFor(spec);
  const std::filesystem::path& expect_file = spec.server_chain->expect_file;
  if (spec.client->configured() || !expect_file.empty()) {
    p.extras = std::make_unique<Prepared::Extras>();
  }
  if (spec.client->configured()) {
    LoadedClient& loaded = p.extras->client;
    loaded = client(spec.client.get());
    if (loaded.credentials && loaded.root.empty() && p.trust != &trust_) {
      // A kubeconfig's cluster CA often signs its users too: the root the client chain leads
      // to, which tells a wrong CA from a missing intermediate, may be known only there.
      std::vector<X509*> sent{loaded.credentials->certificate.get()};
      for (const x509::X509Shared& c : loaded.credentials->chain) sent.push_back(c.get());
      loaded.root = x509::anchorSubject(sent, *p.trust);
    }
    if (spec.client_target) {
      p.extras->client_observation = std::make_unique<Observation>(
          clientObservation(spec, FileProber(certificates_, verdicts_, trust_), clock));
    }
  }
  if (!expect_file.empty()) {
    readExpectedLeaf(expect_file, p.extras->expected_fingerprint, p.extras->expect_problem);
  }
  request.host = spec.host;
  request.port = spec.port;
  request.servername = sentServername(spec);
  request.starttls = spec.starttls;
  request.all_addresses = spec.all_addresses;
  request.timeout = spec.timeout;
  // nginx answers a refused client certificate with an HTTP 400 page, not an alert.
  request.http_request = spec.starttls == config::StartTls::None &&
                         (spec.mtls != MtlsExpectation::None || spec.client->configured());
  const auto& credentials = p.more().client.credentials;
  if (spec.mtls == MtlsExpectation::Required && credentials) {
    p.extras->anonymous = std::make_unique<TlsProbeRequest>(request);
  }
  request.client = credentials;
  return p;
}

namespace {

/// The stapled OCSP response, verified as an answer fetched from the responder would be
/// (x509/ocsp.h): a verdict on the leaf, or why it cannot be trusted (revocation_unknown, never
/// revoked). The issuer is the second certificate of the path the verifier built.
RevocationFacts stapleFacts(x509::CertificateCache& certificates, std::string_view staple,
                            const Observation& obs, X509* leaf) {
  Result<x509::ParsedCertificate> issuer = makeError(ErrorCode::NotFound, "no issuer");
  if (obs.chain.path.size() > 1 && obs.chain.path[1].facts) {
    issuer = certificates.get(obs.chain.path[1].facts->der);
  }
  RevocationFacts facts = x509::ocspVerdict(staple, leaf, issuer ? issuer->cert.get() : nullptr);
  facts.source = RevocationSource::Staple;
  facts.fingerprint = obs.certificates.front().facts->fingerprint_sha256;
  if (!facts.problem.empty()) {
    facts.problem = "the stapled OCSP response cannot be trusted: " + facts.problem;
  }
  return facts;
}

}  // namespace

void EndpointProber::collectServerChain(const TlsProbeOutcome& outcome,
                                        const x509::TrustStore& trust, TimePoint at,
                                        Observation& obs, EndpointFacts& facts) {
  std::vector<X509*> handles;
  std::vector<x509::X509Shared> keep;
  std::string key = trust.identity() + "||";
  for (size_t i = 0; i < outcome.presented_der.size(); ++i) {
    Result<x509::ParsedCertificate> parsed = certificates_.get(*outcome.presented_der[i]);
    if (!parsed) {
      obs.problems.push_back(
          {FindingCode::ParseError, "certificate " + std::to_string(i + 1) +
                                        " sent by the server: " + parsed.error().message});
      continue;
    }
    obs.certificates.push_back({parsed->facts, static_cast<int>(obs.certificates.size())});
    handles.push_back(parsed->cert.get());
    keep.push_back(parsed->cert);
    key += parsed->facts->fingerprint_sha256 + ",";
  }
  if (handles.empty()) return;
  obs.chain = verdicts_.getOrBuild(key, at, [&] {
    return x509::buildChain(handles, {}, trust, {at, &certificates_});
  });
  const x509::OcspStatus ocsp = x509::stapledOcspStatus(outcome.ocsp_response, handles.front(),
                                                        handles.size() > 1 ? handles[1] : nullptr);
  facts.ocsp_stapled = !outcome.ocsp_response.empty();
  facts.ocsp_status = texts_.intern(x509::toString(ocsp));
  if (facts.ocsp_stapled) {
    obs.revocation.push_back(stapleFacts(certificates_, outcome.ocsp_response, obs, handles[0]));
  }
}

Observation EndpointProber::toObservation(const EndpointSpec& spec, const Prepared& prepared,
                                          const TlsProbeOutcome& outcome,
                                          const std::vector<TlsProbeOutcome>* anonymous,
                                          const Clock& clock) {
  Observation obs;
  obs.target = spec.all_addresses && !outcome.address.empty()
                   ? spec.name.str() + "@" + outcome.address
                   : spec.name.str();
  obs.kind = TargetKind::Endpoint;
  obs.role = Role::Server;
  obs.hostname = verifiedName(spec);
  auto facts = std::make_shared<EndpointFacts>();
  facts->address = spec.address;
  facts->ip = outcome.address;
  facts->servername = sentServername(spec);
  facts->failure = failureKind(outcome);
  if (facts->failure != ProbeFailureKind::None) {
    facts->failure_words.edit() = {std::string(toString(outcome.stage)), outcome.detail};
  }
  facts->tls_version = texts_.intern(outcome.tls_version);
  facts->cipher = texts_.intern(outcome.cipher);
  const ServerChainRules& rules = spec.server_chain.get();
  if (!rules.expect_file.empty()) {
    facts->expected_leaf.edit() = {rules.expect_file.string(), prepared.more().expected_fingerprint,
                                   prepared.more().expect_problem};
  }
  collectServerChain(outcome, *prepared.trust, clock.now(), obs, *facts);
  if (!rules.trust_not_judged.empty()) {
    // The path is kept (its certificates are still judged); only its verdict is dropped.
    facts->trust_not_judged = texts_.intern(rules.trust_not_judged);
    obs.chain.status = ChainStatus::NotBuilt;
    obs.chain.editWords().detail = "not judged: " + rules.trust_not_judged;
  }

  ClientAuthFacts client;
  client.expected = spec.mtls;
  client.certificate_requested = outcome.certificate_requested;
  client.acceptable_ca_names = outcome.acceptable_ca_names;
  client.client_source = spec.client->source().string();
  const LoadedClient& loaded = prepared.more().client;
  client.client_problem = loaded.problem;
  client.client_root = loaded.root;
  if (loaded.credentials) client.client_chain = loaded.chain;
  client.certificate_sent = outcome.client_certificate_sent;
  client.answer = answerOf(outcome);
  if (const TlsProbeOutcome* anon = matching(anonymous, outcome.address)) {
    client.anonymous = answerOf(*anon);
  }
  facts->client = shareClientFacts(std::move(client));
  obs.success = facts->failure == ProbeFailureKind::None;
  obs.endpoint = std::move(facts);
  obs.collected_at = clock.now();
  obs.duration_seconds = outcome.duration_seconds;
  return obs;
}

Shared<ClientAuthFacts> EndpointProber::shareClientFacts(ClientAuthFacts facts) {
  constexpr size_t kKept = 8;
  auto& kept = common_client_facts_;
  const auto same = std::find_if(kept.begin(), kept.end(),
                                 [&](const Shared<ClientAuthFacts>& k) { return *k == facts; });
  if (same != kept.end()) {
    std::rotate(kept.begin(), same, same + 1);  // the most recent first
    return kept.front();
  }
  if (kept.size() == kKept) kept.pop_back();
  kept.insert(kept.begin(), Shared<ClientAuthFacts>(std::move(facts)));
  return kept.front();
}

std::vector<EndpointProbe> EndpointProber::probe(const std::vector<EndpointSpec>& specs,
                                                 const Clock& clock,
                                                 const std::function<void()>& heartbeat) {
  std::vector<const EndpointSpec*> pointers;
  pointers.reserve(specs.size());
  for (const EndpointSpec& spec : specs) pointers.push_back(&spec);
  return probe(pointers, clock, heartbeat);
}

std::vector<EndpointProbe> EndpointProber::probe(const std::vector<const EndpointSpec*>& specs,
                                                 const Clock& clock,
                                                 const std::function<void()>& heartbeat) {
  trusts_before_ = std::move(trusts_);
  trusts_.clear();
  std::vector<Prepared> prepared;
  std::vector<TlsProbeRequest> requests;
  std::vector<int> anonymous_index(specs.size(), -1);
  prepared.reserve(specs.size());
  requests.reserve(specs.size());
  for (const EndpointSpec* spec : specs) {
    TlsProbeRequest request;
    prepared.push_back(prepare(*spec, clock, request));
    requests.push_back(std::move(request));
  }
  for (size_t i = 0; i < specs.size(); ++i) {
    if (!prepared[i].more().anonymous) continue;
    anonymous_index[i] = static_cast<int>(requests.size());
    requests.push_back(*prepared[i].more().anonymous);
  }
  std::vector<std::vector<TlsProbeOutcome>> outcomes = tls_.probeAll(requests, heartbeat);
  std::vector<TlsProbeRequest>().swap(requests);

  std::vector<EndpointProbe> results(specs.size());
  for (size_t i = 0; i < specs.size(); ++i) {
    const auto* anonymous =
        anonymous_index[i] >= 0 ? &outcomes[static_cast<size_t>(anonymous_index[i])] : nullptr;
    for (const TlsProbeOutcome& outcome : outcomes[i]) {
      results[i].server.push_back(toObservation(*specs[i], prepared[i], outcome, anonymous, clock));
    }
    if (prepared[i].extras) results[i].client = std::move(prepared[i].extras->client_observation);
    // This endpoint's probe (its chain as sent, ~1.5 KB) is freed now: the observations of the
    // next endpoints reuse that memory instead of growing the heap past it (the anonymous
    // outcomes, after specs.size(), stay until their endpoint is converted).
    std::vector<TlsProbeOutcome>().swap(outcomes[i]);
    { const Prepared gone = std::move(prepared[i]); }  // moved out: its buffers go with it
  }
  return results;
}

}  // namespace certvigil::probers
