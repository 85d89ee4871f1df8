// SPDX-License-Identifier: Apache-2.0
#include "probers/file_prober.h"

#include <chrono>

#include "probers/file_expander.h"
#include "x509/crl_file.h"
#include "x509/keys.h"
#include "x509/pem.h"
#include "x509/reader.h"

namespace certvigil::probers {

ChainVerdict ChainVerdictCache::getOrBuild(const std::string& key, TimePoint at,
                                           const std::function<ChainVerdict()>& build) {
  {
    std::lock_guard lock(mutex_);
    auto it = verdicts_.find(key);
    if (it != verdicts_.end() && it->second.holdsAt(at)) return it->second;
  }
  ChainVerdict verdict = build();  // outside the lock: verification is the slow part
  std::lock_guard lock(mutex_);
  return verdicts_.insert_or_assign(key, std::move(verdict)).first->second;
}

void ChainVerdictCache::clear() {
  std::lock_guard lock(mutex_);
  verdicts_.clear();
}

namespace {

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

Observation baseObservation(const FileSpec& spec) {
  Observation obs;
  obs.target = spec.path.string();
  obs.kind = spec.kind;
  obs.role = spec.role;
  obs.hostname = spec.hostname;
  return obs;
}

x509::CrlIssuers issuersOf(const CrlUse& use) {
  x509::CrlIssuers issuers;
  issuers.given = use.issuers_given;
  for (const auto& cert : use.issuers) issuers.certificates.push_back(cert.get());
  return issuers;
}

/// A file that holds CRLs and nothing else, or one named as a CRL file, as a CRL target;
/// nullopt for anything else.
std::optional<Observation> crlObservation(const FileSpec& spec, std::string_view bytes,
                                          const x509::Material& material) {
  const bool nothing_else = material.certificate_ders.empty() && material.key_entries.empty() &&
                            material.private_key_blocks == 0;
  if (!nothing_else) return std::nullopt;
  Result<CrlFileFacts> facts = x509::describeCrlFile(bytes, issuersOf(spec.crl_use));
  if (!facts && !spec.crl_use.expected) return std::nullopt;
  Observation obs = baseObservation(spec);
  obs.kind = TargetKind::File;
  obs.role = Role::Auto;
  if (!facts) {  // what the certificate reader thought of it does not matter here
    obs.problems.push_back(readProblem("not a CRL: " + facts.error().message));
    return obs;
  }
  // The reader's complaints about PEM blocks stand; for DER it only said "not a certificate".
  if (x509::looksLikePem(bytes)) obs.problems = material.problems;
  facts->used_by = spec.crl_use.used_by;
  obs.crl_file = std::move(*facts);
  return obs;
}

}  // namespace

Observation FileProber::probe(const FileSpec& spec, const Clock& clock) const {
  std::vector<Observation> all = probeAll(spec, clock);
  return std::move(all.front());
}

std::vector<Observation> FileProber::probeAll(const FileSpec& spec, const Clock& clock) const {
  Result<std::string> bytes = x509::readFileCapped(spec.path);
  if (bytes) return probeBytes(spec, *bytes, clock);
  Observation obs = baseObservation(spec);
  obs.problems.push_back(readProblem("cannot read: " + bytes.error().message));
  obs.success = false;
  obs.collected_at = clock.now();
  return {std::move(obs)};
}

std::vector<Observation> FileProber::probeBytes(const FileSpec& spec, std::string_view bytes,
                                                const Clock& clock) const {
  const auto start = std::chrono::steady_clock::now();
  std::vector<Observation> out;
  x509::Material material = x509::readMaterial(bytes, {spec.password});
  const TimePoint at = clock.now();
  if (std::optional<Observation> crl = crlObservation(spec, bytes, material)) {
    out.push_back(std::move(*crl));
  } else {
    // A keystore of key entries only is its entries: the file itself would hold nothing.
    if (material.key_entries.empty() || !material.certificate_ders.empty() ||
        !material.problems.empty()) {
      out.push_back(fileObservation(spec, material, at));
    }
    for (const x509::KeyEntry& entry : material.key_entries) {
      out.push_back(entryObservation(spec, entry, at));
    }
  }
  const double seconds = secondsSince(start);
  for (Observation& obs : out) {
    obs.collected_at = clock.now();
    obs.duration_seconds = seconds;
  }
  return out;
}

Observation FileProber::fileObservation(const FileSpec& spec, x509::Material& material,
                                        TimePoint at) const {
  Observation obs = baseObservation(spec);
  // Trust material is a bundle; a PKCS#12 file without a key only when no role says otherwise
  // (a client certificate exported without its key is still a client certificate).
  const bool explicit_role = spec.role == Role::Client || spec.role == Role::Server;
  if (material.trust_store && (material.format != x509::FileFormat::Pkcs12 || !explicit_role)) {
    obs.kind = TargetKind::Bundle;
    obs.role = Role::CaBundle;
  }
  obs.problems = std::move(material.problems);
  obs.private_key_blocks = material.private_key_blocks;
  collectPath(spec, material.certificate_ders, material.private_keys, obs, at);
  return obs;
}

// A private-key entry of a keystore: its chain, judged like a PKCS#12 key store. The key is not
// decrypted (the store's integrity digest proves the password); the store file is its key file.
Observation FileProber::entryObservation(const FileSpec& spec, const x509::KeyEntry& entry,
                                         TimePoint at) const {
  Observation obs = baseObservation(spec);
  obs.target = spec.path.string() + "#" + entry.alias;
  obs.private_key_blocks = 1;
  collectPath(spec, entry.certificate_ders, {}, obs, at);
  if (!obs.certificates.empty()) {
    const std::optional<FileStat> stat = statFile(spec.path);
    KeyFacts key;
    key.path = spec.path.string();
    key.mode = stat ? (stat->mode & 07777U) : 0U;
    key.group_or_other_readable = (key.mode & 077) != 0;
    obs.key = key;
  }
  return obs;
}

void FileProber::collectPath(const FileSpec& spec, const std::vector<std::string>& ders,
                             const std::vector<x509::PkeyPtr>& inline_keys, Observation& obs,
                             TimePoint at) const {
  std::vector<X509*> handles;
  std::vector<x509::X509Shared> keep;  // holds the handles alive until we are done
  collectCertificates(ders, obs, handles, keep);
  if (!handles.empty() && obs.kind == TargetKind::File) {
    collectKey(spec, inline_keys, handles.front(), obs);
    obs.chain = chainVerdict(spec, obs, handles, at);
  }
  if (spec.crls && !spec.crls->empty() && !handles.empty()) {
    obs.revocation = revocationFacts(spec, obs, handles);
  }
}

void FileProber::collectCertificates(const std::vector<std::string>& ders, Observation& obs,
                                     std::vector<X509*>& handles,
                                     std::vector<x509::X509Shared>& keep) const {
  int position = 0;
  for (size_t i = 0; i < ders.size(); ++i) {
    Result<x509::ParsedCertificate> parsed = certificates_.get(ders[i]);
    if (!parsed) {
      obs.problems.push_back({FindingCode::ParseError, "certificate " + std::to_string(i + 1) +
                                                           ": " + parsed.error().message});
      continue;
    }
    obs.certificates.push_back({parsed->facts, position++});
    handles.push_back(parsed->cert.get());
    keep.push_back(parsed->cert);
  }
}

void FileProber::collectKey(const FileSpec& spec, const std::vector<x509::PkeyPtr>& inline_keys,
                            X509* leaf, Observation& obs) const {
  if (!spec.key.empty()) {
    obs.key = x509::inspectKeyFile(spec.key, spec.password, leaf);
    return;
  }
  if (inline_keys.empty()) return;
  // cert + key in one file: the file itself is the key file (stat it only in that case).
  const std::optional<FileStat> stat = statFile(spec.holder.empty() ? spec.path : spec.holder);
  const unsigned file_mode = stat ? (stat->mode & 07777U) : 0U;
  KeyFacts key;
  key.path = spec.holder.string();  // named only when it is not the target itself
  key.matches = x509::keyMatchesCertificate(inline_keys.front().get(), leaf);
  key.mode = file_mode;
  key.group_or_other_readable = (file_mode & 077) != 0;
  obs.key = key;
}

// Every certificate of the path but its anchor is checked against the CRLs (the chain file's
// intermediates too); the anchor's certificate may have signed them.
std::vector<RevocationFacts> FileProber::revocationFacts(const FileSpec& spec,
                                                         const Observation& obs,
                                                         const std::vector<X509*>& handles) const {
  std::vector<X509*> judged = handles;
  std::vector<X509*> issuers;
  for (const auto& c : spec.chain) issuers.push_back(c.get());
  std::vector<x509::X509Shared> keep;
  for (const PathCertificate& c : obs.chain.path) {
    if (c.source == CertSource::Presented || !c.facts) continue;
    Result<x509::ParsedCertificate> parsed = certificates_.get(c.facts->der);
    if (!parsed) continue;
    keep.push_back(parsed->cert);
    issuers.push_back(parsed->cert.get());
    if (c.source == CertSource::ChainFile) judged.push_back(parsed->cert.get());
  }
  return spec.crls->check(judged, issuers);
}

ChainVerdict FileProber::chainVerdict(const FileSpec& spec, const Observation& obs,
                                      const std::vector<X509*>& handles, TimePoint at) const {
  std::string key = trust_.identity() + "|" + spec.chain_identity + "|";
  for (const auto& c : obs.certificates) key += c.facts->fingerprint_sha256 + ",";
  return verdicts_.getOrBuild(key, at, [&] {
    std::vector<X509*> extra;
    for (const auto& c : spec.chain) extra.push_back(c.get());
    return x509::buildChain(handles, extra, trust_, {at, &certificates_});
  });
}

}  // namespace certvigil::probers
