// SPDX-License-Identifier: Apache-2.0
#include "x509/ocsp.h"

#include <climits>
#include <memory>

#include <openssl/err.h>
#include <openssl/ocsp.h>

#include "x509/openssl_util.h"

namespace certvigil::x509 {
namespace {

struct OcspDeleter {
  void operator()(OCSP_RESPONSE* r) const { OCSP_RESPONSE_free(r); }
  void operator()(OCSP_BASICRESP* r) const { OCSP_BASICRESP_free(r); }
  void operator()(OCSP_CERTID* id) const { OCSP_CERTID_free(id); }
  void operator()(OCSP_REQUEST* r) const { OCSP_REQUEST_free(r); }
};
template <typename T>
using OcspPtr = std::unique_ptr<T, OcspDeleter>;

/// Allowed clock skew between the responder and us.
constexpr long kSkewSeconds = 300;

std::string reasonText(int reason) {
  const char* text = reason >= 0 ? OCSP_crl_reason_str(reason) : nullptr;
  return text != nullptr ? text : "";
}

/// Whether the response's signature verifies with the issuer or a responder it delegated to.
bool signatureVerifies(OCSP_BASICRESP* basic, X509* issuer) {
  StorePtr store(X509_STORE_new());
  BorrowedX509StackPtr certs(sk_X509_new_null());
  if (!store || !certs || X509_STORE_add_cert(store.get(), issuer) != 1) return false;
  X509_STORE_set_flags(store.get(), X509_V_FLAG_PARTIAL_CHAIN);
  sk_X509_push(certs.get(), issuer);
  return OCSP_basic_verify(basic, certs.get(), store.get(), 0) == 1;
}

RevocationFacts problem(std::string why) {
  RevocationFacts facts;
  facts.source = RevocationSource::Ocsp;
  facts.problem = std::move(why);
  ERR_clear_error();
  return facts;
}

/// The single response about `id` in a verified basic response.
RevocationFacts statusOf(OCSP_BASICRESP* basic, OCSP_CERTID* id) {
  int status = -1;
  int reason = -1;
  ASN1_GENERALIZEDTIME* revoked_at = nullptr;
  ASN1_GENERALIZEDTIME* this_update = nullptr;
  ASN1_GENERALIZEDTIME* next_update = nullptr;
  if (OCSP_resp_find_status(basic, id, &status, &reason, &revoked_at, &this_update, &next_update) !=
      1) {
    return problem("the answer does not cover the certificate (another CertID)");
  }
  if (OCSP_check_validity(this_update, next_update, kSkewSeconds, -1) != 1) {
    return problem("the answer is outside its validity (thisUpdate .. nextUpdate)");
  }
  if (status == V_OCSP_CERTSTATUS_UNKNOWN) return problem("the responder does not know it");
  RevocationFacts facts;
  facts.source = RevocationSource::Ocsp;
  facts.covered = true;
  facts.next_update = next_update != nullptr ? toTimePoint(next_update) : std::nullopt;
  if (status == V_OCSP_CERTSTATUS_REVOKED) {
    facts.revoked = true;
    facts.revoked_at = toTimePoint(revoked_at);
    facts.reason = reasonText(reason);
  }
  return facts;
}

}  // namespace

Result<std::string> ocspRequest(X509* cert, X509* issuer) {
  OcspPtr<OCSP_REQUEST> request(OCSP_REQUEST_new());
  OCSP_CERTID* id = OCSP_cert_to_id(nullptr, cert, issuer);
  if (!request || id == nullptr || OCSP_request_add0_id(request.get(), id) == nullptr) {
    OCSP_CERTID_free(id);
    return makeError(ErrorCode::Crypto, withOpensslReason("cannot build an OCSP request"));
  }
  unsigned char* der = nullptr;
  const int size = i2d_OCSP_REQUEST(request.get(), &der);
  if (size <= 0) return makeError(ErrorCode::Crypto, withOpensslReason("cannot encode it"));
  std::string out(reinterpret_cast<const char*>(der), static_cast<size_t>(size));
  OPENSSL_free(der);
  return out;
}

RevocationFacts ocspVerdict(std::string_view der, X509* cert, X509* issuer) {
  if (issuer == nullptr)
    return problem("its issuer is not on the path, so no answer can be checked");
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  const long size = der.size() > LONG_MAX ? LONG_MAX : static_cast<long>(der.size());
  OcspPtr<OCSP_RESPONSE> response(d2i_OCSP_RESPONSE(nullptr, &p, size));
  if (!response) return problem("the answer is not an OCSP response");
  const int status = OCSP_response_status(response.get());
  if (status != OCSP_RESPONSE_STATUS_SUCCESSFUL) {
    return problem(std::string("the responder answered ") + OCSP_response_status_str(status));
  }
  OcspPtr<OCSP_BASICRESP> basic(OCSP_response_get1_basic(response.get()));
  if (!basic) return problem("the answer is not a basic OCSP response");
  if (!signatureVerifies(basic.get(), issuer)) {
    return problem("the answer's signature does not verify (" + withOpensslReason("signer") +
                   "): neither the issuer nor a responder it delegated to signed it");
  }
  OcspPtr<OCSP_CERTID> id(OCSP_cert_to_id(nullptr, cert, issuer));
  if (!id) return problem("cannot compute the certificate's CertID");
  RevocationFacts facts = statusOf(basic.get(), id.get());
  ERR_clear_error();
  return facts;
}

}  // namespace certvigil::x509
