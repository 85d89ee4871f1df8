// SPDX-License-Identifier: Apache-2.0
#include "x509/tls_material.h"

#include <openssl/err.h>
#include <openssl/ocsp.h>
#include <openssl/x509_vfy.h>

#include <memory>

#include "x509/openssl_util.h"

namespace certvigil::x509 {
namespace {

struct OcspResponseDeleter {
  void operator()(OCSP_RESPONSE* r) const { OCSP_RESPONSE_free(r); }
};
struct OcspBasicDeleter {
  void operator()(OCSP_BASICRESP* r) const { OCSP_BASICRESP_free(r); }
};
struct OcspCertIdDeleter {
  void operator()(OCSP_CERTID* id) const { OCSP_CERTID_free(id); }
};

}  // namespace

std::string anchorSubject(const std::vector<X509*>& presented, const TrustStore& trust) {
  if (presented.empty() || presented[0] == nullptr || trust.get() == nullptr) return {};
  BorrowedX509StackPtr untrusted(sk_X509_new_null());
  for (size_t i = 1; i < presented.size(); ++i) sk_X509_push(untrusted.get(), presented[i]);
  StoreCtxPtr ctx(X509_STORE_CTX_new());
  if (!ctx || X509_STORE_CTX_init(ctx.get(), trust.get(), presented[0], untrusted.get()) != 1) {
    ERR_clear_error();
    return {};
  }
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_NO_CHECK_TIME | X509_V_FLAG_PARTIAL_CHAIN);
  X509_VERIFY_PARAM_set_auth_level(param, 0);
  const bool ok = X509_verify_cert(ctx.get()) == 1;
  std::string subject;
  if (ok) {
    STACK_OF(X509)* chain = X509_STORE_CTX_get0_chain(ctx.get());
    const int n = chain != nullptr ? sk_X509_num(chain) : 0;
    if (n > 0) subject = nameText(X509_get_subject_name(sk_X509_value(chain, n - 1)));
  }
  ERR_clear_error();
  return subject;
}

std::string_view toString(OcspStatus status) {
  switch (status) {
    case OcspStatus::Good:
      return "good";
    case OcspStatus::Revoked:
      return "revoked";
    case OcspStatus::Unknown:
      return "unknown";
    case OcspStatus::Unreadable:
      return "unreadable";
    case OcspStatus::None:
      break;
  }
  return "";
}

OcspStatus stapledOcspStatus(std::string_view der, X509* leaf, X509* issuer) {
  if (der.empty()) return OcspStatus::None;
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  std::unique_ptr<OCSP_RESPONSE, OcspResponseDeleter> response(
      d2i_OCSP_RESPONSE(nullptr, &p, static_cast<long>(der.size())));
  if (!response || OCSP_response_status(response.get()) != OCSP_RESPONSE_STATUS_SUCCESSFUL) {
    ERR_clear_error();
    return OcspStatus::Unreadable;
  }
  std::unique_ptr<OCSP_BASICRESP, OcspBasicDeleter> basic(OCSP_response_get1_basic(response.get()));
  if (!basic || leaf == nullptr || issuer == nullptr) {
    ERR_clear_error();
    return basic ? OcspStatus::Unknown : OcspStatus::Unreadable;
  }
  std::unique_ptr<OCSP_CERTID, OcspCertIdDeleter> id(OCSP_cert_to_id(nullptr, leaf, issuer));
  int status = -1;
  int reason = 0;
  const bool found = id && OCSP_resp_find_status(basic.get(), id.get(), &status, &reason, nullptr,
                                                 nullptr, nullptr) == 1;
  ERR_clear_error();
  if (!found) return OcspStatus::Unknown;
  if (status == V_OCSP_CERTSTATUS_GOOD) return OcspStatus::Good;
  return status == V_OCSP_CERTSTATUS_REVOKED ? OcspStatus::Revoked : OcspStatus::Unknown;
}

}  // namespace certvigil::x509
