// SPDX-License-Identifier: Apache-2.0
#include "x509/thread_library.h"

#include <mutex>
#include <vector>

#include <openssl/crypto.h>

#include "x509/lean_provider.h"

namespace certvigil::x509 {
namespace {

struct Pool {
  std::mutex mutex;
  std::vector<OSSL_LIB_CTX*> idle;  ///< contexts no living thread holds
};

// Allocated once and never destroyed: the contexts stay reachable until the process ends.
Pool& pool() {
  static Pool* const instance = new Pool;
  return *instance;
}

OSSL_LIB_CTX* take() {
  {
    std::lock_guard lock(pool().mutex);
    if (!pool().idle.empty()) {
      OSSL_LIB_CTX* library = pool().idle.back();
      pool().idle.pop_back();
      return library;
    }
  }
  return newLeanLibrary();
}

void giveBack(OSSL_LIB_CTX* library) {
  if (library == nullptr) return;
  std::lock_guard lock(pool().mutex);
  pool().idle.push_back(library);
}

struct Lease {
  OSSL_LIB_CTX* library = take();
  Lease() = default;
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  ~Lease() { giveBack(library); }
};

}  // namespace

OSSL_LIB_CTX* threadLibrary() {
  thread_local const Lease lease;
  return lease.library;
}

}  // namespace certvigil::x509
