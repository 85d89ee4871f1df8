// SPDX-License-Identifier: Apache-2.0
#include "x509/chain.h"

#include <algorithm>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "x509/facts.h"
#include "x509/openssl_util.h"
#include "x509/reader.h"

namespace certvigil::x509 {
namespace {

/// One error the verifier reported (the callback lets it go on, so we see them all).
struct VerifyError {
  int code = X509_V_OK;
  int depth = -1;
  X509* cert = nullptr;  ///< borrowed from the verification context's chain
};

int recordError(int ok, X509_STORE_CTX* ctx) {
  if (ok == 0) {
    auto* errors = static_cast<std::vector<VerifyError>*>(X509_STORE_CTX_get_ex_data(ctx, 0));
    errors->push_back({X509_STORE_CTX_get_error(ctx), X509_STORE_CTX_get_error_depth(ctx),
                       X509_STORE_CTX_get_current_cert(ctx)});
  }
  return 1;  // continue: collect first, judge second
}

/// Validity errors: the expiry check judges dates, per certificate and per client.
bool isTimeError(int code) {
  switch (code) {
    case X509_V_ERR_CERT_NOT_YET_VALID:
    case X509_V_ERR_CERT_HAS_EXPIRED:
    case X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD:
    case X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD:
      return true;
    default:
      return false;
  }
}

ChainStatus statusOf(int code) {
  switch (code) {
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
      return ChainStatus::Incomplete;
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
      return ChainStatus::UntrustedRoot;
    case X509_V_ERR_INVALID_CA:
      return ChainStatus::NotACa;
    default:
      return ChainStatus::Other;
  }
}

/// The verifier's reason in plain words, its own words after them.
std::string plainReason(int code) {
  const std::string words = X509_verify_cert_error_string(code);
  switch (code) {
    case X509_V_ERR_PERMITTED_VIOLATION:
      return "a name of the certificate is outside what a CA's nameConstraints permit (" + words +
             ")";
    case X509_V_ERR_EXCLUDED_VIOLATION:
      return "a name of the certificate is one a CA's nameConstraints exclude (" + words + ")";
    case X509_V_ERR_PATH_LENGTH_EXCEEDED:
      return "more CAs sit below a CA than its pathLenConstraint allows (" + words + ")";
    case X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION:
      return "a certificate has an extension marked critical that clients do not understand (" +
             words + ")";
    case X509_V_ERR_CERT_SIGNATURE_FAILURE:
      return "a signature does not verify with its issuer's key: a corrupted certificate or the "
             "wrong issuer (" +
             words + ")";
    default:
      return words;
  }
}

/// The first error that says something about the path's structure, else the first error.
const VerifyError& decisiveError(const std::vector<VerifyError>& errors) {
  auto structural = std::find_if(errors.begin(), errors.end(), [](const VerifyError& e) {
    return statusOf(e.code) != ChainStatus::Other;
  });
  return structural != errors.end() ? *structural : errors.front();
}

int presentedPosition(const std::vector<X509*>& presented, X509* cert) {
  for (size_t i = 0; i < presented.size(); ++i) {
    if (cert != nullptr && X509_cmp(presented[i], cert) == 0) return static_cast<int>(i);
  }
  return -1;
}

/// Incomplete: the highest certificate of the partial chain that was presented (the chain may
/// continue through --chain extras, which are not presented).
X509* topPresented(STACK_OF(X509) * chain, const std::vector<X509*>& presented) {
  for (int i = sk_X509_num(chain) - 1; i >= 0; --i) {
    if (presentedPosition(presented, sk_X509_value(chain, i)) >= 0) return sk_X509_value(chain, i);
  }
  return presented.front();
}

void nameCertificate(ChainVerdict& verdict, X509* cert, const std::vector<X509*>& presented) {
  if (cert == nullptr) return;
  verdict.position = presentedPosition(presented, cert);
  verdict.editWords().fingerprint = fingerprintOf(cert);
}

CertSource sourceOf(X509* cert, int index, int untrusted_count,
                    const std::vector<X509*>& presented) {
  if (presentedPosition(presented, cert) >= 0) return CertSource::Presented;
  return index >= untrusted_count ? CertSource::TrustStore : CertSource::ChainFile;
}

CertificateFactsPtr factsOf(X509* cert, CertificateCache* cache) {
  if (cache != nullptr) {
    if (Result<ParsedCertificate> parsed = cache->get(derOf(cert))) return parsed->facts;
  }
  return std::make_shared<const CertificateFacts>(extractFacts(cert));
}

/// The certificates of the chain the verifier built, with where each came from.
CertificatePath pathOf(X509_STORE_CTX* ctx, const std::vector<X509*>& presented,
                       CertificateCache* cache) {
  STACK_OF(X509)* chain = X509_STORE_CTX_get0_chain(ctx);
  const int untrusted = X509_STORE_CTX_get_num_untrusted(ctx);
  CertificatePath::List list;
  for (int i = 0; i < sk_X509_num(chain); ++i) {
    X509* cert = sk_X509_value(chain, i);
    list.push_back({factsOf(cert, cache), sourceOf(cert, i, untrusted, presented),
                    presentedPosition(presented, cert)});
  }
  return list;
}

/// The instants around `at` at which no certificate of the path starts or stops being valid.
void setValidityWindow(ChainVerdict& verdict, TimePoint at) {
  for (const PathCertificate& c : verdict.path) {
    for (TimePoint bound : {c.facts->not_before, c.facts->not_after + Seconds{1}}) {
      if (bound <= at) verdict.valid_from = std::max(verdict.valid_from, bound);
      if (bound > at) verdict.valid_until = std::min(verdict.valid_until, bound);
    }
  }
}

/// Why `candidate`, whose name is the issuer name of `subject`, cannot be its issuer: the
/// certificates' own flaws first (what OpenSSL refuses before comparing them), then the match.
std::string whyNotIssuer(X509* candidate, X509* subject) {
  const auto invalid = [](X509* c) { return (X509_get_extension_flags(c) & EXFLAG_INVALID) != 0; };
  if (invalid(subject)) {
    return "this certificate itself has a malformed, empty or repeated extension, which OpenSSL "
           "refuses";
  }
  const bool has_key_usage = (X509_get_extension_flags(candidate) & EXFLAG_KUSAGE) != 0;
  if (has_key_usage && (X509_get_key_usage(candidate) & KU_KEY_CERT_SIGN) == 0) {
    return "its keyUsage lacks keyCertSign, so it may not sign certificates";
  }
  if (X509_check_ca(candidate) == 0) {
    return "that certificate is not a CA (no basicConstraints CA:TRUE)";
  }
  if (invalid(candidate)) {
    return "that certificate has a malformed, empty or repeated extension, which OpenSSL refuses";
  }
  const int rc = X509_check_issued(candidate, subject);
  switch (rc) {
    case X509_V_OK:
      // Usable, yet the path through it reached no anchor: OpenSSL takes the first candidate
      // issuer and never backtracks (a loop of cross-signs, an order it cannot undo).
      return "no path through it reaches a trust anchor (OpenSSL takes the first candidate "
             "issuer and does not backtrack; Go, Chromium and rustls search further)";
    case X509_V_ERR_AKID_SKID_MISMATCH:
    case X509_V_ERR_AKID_ISSUER_SERIAL_MISMATCH:
      return "the authorityKeyIdentifier does not match that certificate's key identifier";
    default:
      return X509_verify_cert_error_string(rc);
  }
}

/// The certificates the verifier had whose subject is `subject`'s issuer name: the untrusted
/// ones and the store's.
std::string refusedIssuer(X509_STORE_CTX* ctx, X509* subject) {
  const X509_NAME* name = X509_get_issuer_name(subject);
  std::vector<X509*> candidates;
  STACK_OF(X509)* untrusted = X509_STORE_CTX_get0_untrusted(ctx);
  for (int i = 0; i < sk_X509_num(untrusted); ++i) {
    X509* c = sk_X509_value(untrusted, i);
    if (X509_cmp(c, subject) != 0 && X509_NAME_cmp(X509_get_subject_name(c), name) == 0) {
      candidates.push_back(c);
    }
  }
  OwnedX509StackPtr stored(X509_STORE_CTX_get1_certs(ctx, const_cast<X509_NAME*>(name)));
  for (int i = 0; i < sk_X509_num(stored.get()); ++i)
    candidates.push_back(sk_X509_value(stored.get(), i));
  // With several candidates, the reason about the first: they usually share the flaw.
  std::string reason = candidates.empty() ? "" : whyNotIssuer(candidates.front(), subject);
  ERR_clear_error();
  return reason;
}

ChainVerdict judge(std::vector<VerifyError> errors, X509_STORE_CTX* ctx,
                   const std::vector<X509*>& presented) {
  ChainVerdict verdict;
  STACK_OF(X509)* chain = X509_STORE_CTX_get0_chain(ctx);
  std::erase_if(errors, [](const VerifyError& e) { return isTimeError(e.code); });
  if (errors.empty()) {
    verdict.status = ChainStatus::Valid;
    return verdict;
  }
  const VerifyError& error = decisiveError(errors);
  verdict.status = statusOf(error.code);
  verdict.editWords().detail = plainReason(error.code);
  X509* cert = error.cert;
  if (cert == nullptr && error.depth >= 0 && error.depth < sk_X509_num(chain)) {
    cert = sk_X509_value(chain, error.depth);
  }
  if (verdict.status == ChainStatus::Incomplete) {
    X509* top = sk_X509_num(chain) > 0 ? sk_X509_value(chain, sk_X509_num(chain) - 1) : cert;
    X509* orphan = top != nullptr ? top : presented[0];
    verdict.editWords().missing_issuer = nameText(X509_get_issuer_name(orphan));
    verdict.editWords().issuer_refused = refusedIssuer(ctx, orphan);
    cert = topPresented(chain, presented);
  }
  nameCertificate(verdict, cert, presented);
  // A certificate from the chain file or the store is not presented: name it in the detail.
  if (verdict.position < 0 && cert != nullptr && verdict.status == ChainStatus::Other) {
    verdict.editWords().detail += " (at " + nameText(X509_get_subject_name(cert)) + ")";
  }
  return verdict;
}

std::string identityOf(bool system, std::vector<std::string> fingerprints) {
  std::sort(fingerprints.begin(), fingerprints.end());
  std::string identity = system ? "system=1;" : "system=0;";
  for (const std::string& fp : fingerprints) identity += fp + ";";
  return identity;
}

/// Adds every certificate of one CA file; the error names the file.
Status addCaFile(X509_STORE* store, const std::filesystem::path& path,
                 std::vector<std::string>& fingerprints) {
  Result<std::string> bytes = readFileCapped(path);
  if (!bytes) return bytes.error();
  const Material material = readMaterial(*bytes);
  const size_t before = fingerprints.size();
  for (const std::string& der : material.certificate_ders) {
    Result<ParsedCertificate> parsed = parseCertificate(der);
    if (!parsed) continue;  // a broken block does not void the good anchors beside it
    if (X509_STORE_add_cert(store, parsed->cert.get()) != 1) {
      return makeError(ErrorCode::Crypto, withOpensslReason("cannot add a CA certificate"),
                       path.string());
    }
    fingerprints.push_back(parsed->facts->fingerprint_sha256);
  }
  if (fingerprints.size() == before) {
    std::string why = material.problems.empty() ? "" : ": " + material.problems.front().detail;
    return makeError(ErrorCode::Parse, "no certificate in CA file" + why, path.string());
  }
  return Ok{};
}

}  // namespace

Result<TrustStore> TrustStore::load(bool system,
                                    const std::vector<std::filesystem::path>& ca_files) {
  ERR_clear_error();
  TrustStore trust;
  trust.store_.reset(X509_STORE_new(), X509_STORE_free);
  if (!trust.store_) return makeError(ErrorCode::Crypto, withOpensslReason("X509_STORE_new"));
  if (system && X509_STORE_set_default_paths(trust.store_.get()) != 1) {
    return makeError(ErrorCode::Crypto, withOpensslReason("cannot load the system CA store"));
  }
  std::vector<std::string> fingerprints;
  for (const auto& path : ca_files) {
    Status added = addCaFile(trust.store_.get(), path, fingerprints);
    if (!added) return added.error();
  }
  trust.identity_ = identityOf(system, std::move(fingerprints));
  ERR_clear_error();
  return trust;
}

TrustStore TrustStore::fromCertificates(const std::vector<X509Shared>& anchors) {
  TrustStore trust;
  trust.store_.reset(X509_STORE_new(), X509_STORE_free);
  std::vector<std::string> fingerprints;
  for (const X509Shared& anchor : anchors) {
    if (X509_STORE_add_cert(trust.store_.get(), anchor.get()) == 1) {
      fingerprints.push_back(fingerprintOf(anchor.get()));
    }
  }
  trust.identity_ = identityOf(false, std::move(fingerprints));
  ERR_clear_error();
  return trust;
}

namespace {

/// Whether any certificate of the built path constrains policies, which only a policy-checking
/// verifier (Go, Chromium) acts on.
bool constrainsPolicies(X509_STORE_CTX* ctx) {
  STACK_OF(X509)* chain = X509_STORE_CTX_get0_chain(ctx);
  for (int i = 0; i < sk_X509_num(chain); ++i) {
    X509* cert = sk_X509_value(chain, i);
    for (int nid : {NID_policy_constraints, NID_inhibit_any_policy, NID_policy_mappings}) {
      if (X509_get_ext_by_NID(cert, nid, -1) >= 0) return true;
    }
  }
  return false;
}

/// One verification of presented[0] with `untrusted`, at `at`, with `flags` besides
/// PARTIAL_CHAIN; every error is collected (the callback lets it go on).
struct Verification {
  StoreCtxPtr ctx;
  std::vector<VerifyError> errors;
  bool ran = false;
};

void runVerification(Verification& v, X509* leaf, STACK_OF(X509) * untrusted,
                     const TrustStore& trust, TimePoint at, unsigned long flags,
                     bool any_policy = false) {
  v.ctx.reset(X509_STORE_CTX_new());
  if (!v.ctx || X509_STORE_CTX_init(v.ctx.get(), trust.get(), leaf, untrusted) != 1) return;
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(v.ctx.get());
  // Go and Chromium start from anyPolicy (RFC 5280's user-initial-policy-set); OpenSSL's
  // policy check starts from an empty set unless told.
  if (any_policy) X509_VERIFY_PARAM_add0_policy(param, OBJ_nid2obj(NID_any_policy));
  X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_PARTIAL_CHAIN | flags);
  X509_VERIFY_PARAM_set_time(param, static_cast<time_t>(toUnix(at)));
  X509_VERIFY_PARAM_set_auth_level(param, 0);
  X509_STORE_CTX_set_ex_data(v.ctx.get(), 0, &v.errors);
  X509_STORE_CTX_set_verify_cb(v.ctx.get(), recordError);
  v.ran = X509_verify_cert(v.ctx.get()) >= 0 || !v.errors.empty();
}

/// The policy error of a path that is otherwise valid, verified again with policy checking.
std::string policyProblem(X509* leaf, STACK_OF(X509) * untrusted, const TrustStore& trust,
                          TimePoint at) {
  Verification v;
  runVerification(v, leaf, untrusted, trust, at, X509_V_FLAG_POLICY_CHECK, true);
  std::erase_if(v.errors, [](const VerifyError& e) { return isTimeError(e.code); });
  if (!v.ran || v.errors.empty()) return {};
  return X509_verify_cert_error_string(v.errors.front().code);
}

}  // namespace

ChainVerdict buildChain(const std::vector<X509*>& presented,
                        const std::vector<X509*>& extra_untrusted, const TrustStore& trust,
                        const ChainContext& context) {
  if (presented.empty() || presented[0] == nullptr || trust.get() == nullptr) return {};
  ERR_clear_error();
  BorrowedX509StackPtr untrusted(sk_X509_new_null());
  for (size_t i = 1; i < presented.size(); ++i) sk_X509_push(untrusted.get(), presented[i]);
  for (X509* cert : extra_untrusted) sk_X509_push(untrusted.get(), cert);
  // Verify for the judged instant, so that among candidate issuers the verifier picks a valid
  // one as clients do; its validity errors are dropped (judge()). PARTIAL_CHAIN: a configured
  // anchor counts even when it is an intermediate (a ca_file holding only the issuing CA is a
  // deliberate choice), and a presented certificate that is itself in the store is trusted as
  // is. auth_level 0: weak keys and MD5/SHA-1 are weak_key/weak_signature findings, not a
  // broken chain. No purpose: EKU is judged by the eku check, per role and down the path.
  const TimePoint at =
      context.at.value_or(std::chrono::time_point_cast<Seconds>(std::chrono::system_clock::now()));
  Verification v;
  runVerification(v, presented[0], untrusted.get(), trust, at, 0);
  if (!v.ran) {
    ChainVerdict failed;
    failed.status = ChainStatus::Other;
    failed.editWords().detail = withOpensslReason("cannot verify the chain");
    return failed;
  }
  X509_STORE_CTX* ctx = v.ctx.get();
  ChainVerdict verdict = judge(std::move(v.errors), ctx, presented);
  verdict.path = pathOf(ctx, presented, context.facts);
  if (verdict.status == ChainStatus::Valid && constrainsPolicies(ctx)) {
    verdict.editWords().policy_problem = policyProblem(presented[0], untrusted.get(), trust, at);
  }
  setValidityWindow(verdict, at);
  ERR_clear_error();
  return verdict;
}

}  // namespace certvigil::x509
