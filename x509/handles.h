// SPDX-License-Identifier: Apache-2.0
// x509/handles.h: RAII ownership of OpenSSL objects. Every OpenSSL pointer certvigil keeps is
// one of these; raw pointers are only borrowed.
#pragma once

#include <memory>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

namespace certvigil::x509 {

struct X509Deleter {
  void operator()(X509* p) const { X509_free(p); }
};
struct PkeyDeleter {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct CrlDeleter {
  void operator()(X509_CRL* p) const { X509_CRL_free(p); }
};
struct StoreDeleter {
  void operator()(X509_STORE* p) const { X509_STORE_free(p); }
};
struct StoreCtxDeleter {
  void operator()(X509_STORE_CTX* p) const { X509_STORE_CTX_free(p); }
};
struct BioDeleter {
  void operator()(BIO* p) const { BIO_free(p); }
};
/// Frees the stack only: the certificates in it are borrowed.
struct X509StackDeleter {
  void operator()(STACK_OF(X509) * p) const { sk_X509_free(p); }
};

using X509Ptr = std::unique_ptr<X509, X509Deleter>;
/// Certificates are shared between the parse cache and observations being built.
using X509Shared = std::shared_ptr<X509>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;
using CrlPtr = std::unique_ptr<X509_CRL, CrlDeleter>;
using StorePtr = std::unique_ptr<X509_STORE, StoreDeleter>;
using StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, StoreCtxDeleter>;
using BioPtr = std::unique_ptr<BIO, BioDeleter>;
using BorrowedX509StackPtr = std::unique_ptr<STACK_OF(X509), X509StackDeleter>;
/// Frees the stack and the certificates in it (references it holds).
struct OwnedX509StackDeleter {
  void operator()(STACK_OF(X509) * p) const { sk_X509_pop_free(p, X509_free); }
};
using OwnedX509StackPtr = std::unique_ptr<STACK_OF(X509), OwnedX509StackDeleter>;

/// Wraps a certificate we own into a shared handle.
inline X509Shared share(X509Ptr cert) { return X509Shared(cert.release(), X509Deleter{}); }

}  // namespace certvigil::x509
