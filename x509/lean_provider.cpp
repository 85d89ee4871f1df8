// SPDX-License-Identifier: Apache-2.0
#include "x509/lean_provider.h"

#include <array>
#include <cstring>
#include <mutex>
#include <vector>

#include <openssl/core.h>
#include <openssl/core_dispatch.h>
#include <openssl/decoder.h>
#include <openssl/err.h>
#include <openssl/provider.h>

namespace certvigil::x509 {
namespace {

constexpr const char* kLeanName = "certvigil-lean";

// The default provider's algorithm tables are static arrays in libcrypto, the same for each of
// its instances, and so are its capabilities and parameters: all are taken from the first
// backing provider, once, before any lean provider is loaded.
struct Tables {
  std::array<const OSSL_ALGORITHM*, OSSL_OP__HIGHEST + 1> by_operation{};
  std::vector<OSSL_ALGORITHM> key_decoders;  ///< ends with a null entry, as every table does
  OSSL_PROVIDER* first_default = nullptr;
};

Tables& tables() {
  static auto* const instance = new Tables;  // never destroyed: providers outlive main()
  return *instance;
}

std::once_flag tables_taken;

bool readsPublicKeys(const OSSL_ALGORITHM& decoder) {
  return decoder.property_definition != nullptr &&
         std::strstr(decoder.property_definition, "structure=SubjectPublicKeyInfo") != nullptr;
}

void takeTables(OSSL_PROVIDER* default_provider) {
  Tables& t = tables();
  t.first_default = default_provider;
  for (int operation = 1; operation <= OSSL_OP__HIGHEST; ++operation) {
    int no_cache = 0;
    t.by_operation[static_cast<size_t>(operation)] =
        OSSL_PROVIDER_query_operation(default_provider, operation, &no_cache);
  }
  for (const OSSL_ALGORITHM* d = t.by_operation[OSSL_OP_DECODER]; d && d->algorithm_names; ++d) {
    if (readsPublicKeys(*d)) t.key_decoders.push_back(*d);
  }
  t.key_decoders.push_back(OSSL_ALGORITHM{});
  t.by_operation[OSSL_OP_DECODER] = t.key_decoders.data();
}

const OSSL_ALGORITHM* queryOperation(void* /*provctx*/, int operation, int* no_cache) {
  if (operation < 1 || operation > OSSL_OP__HIGHEST) {
    // An operation newer than these headers (a later libcrypto): asked of the provider itself.
    return OSSL_PROVIDER_query_operation(tables().first_default, operation, no_cache);
  }
  *no_cache = 0;
  return tables().by_operation[static_cast<size_t>(operation)];
}

int getCapabilities(void* /*provctx*/, const char* capability, OSSL_CALLBACK* callback, void* arg) {
  return OSSL_PROVIDER_get_capabilities(tables().first_default, capability, callback, arg);
}

const OSSL_PARAM* gettableParams(void* /*provctx*/) {
  return OSSL_PROVIDER_gettable_params(tables().first_default);
}

int getParams(void* /*provctx*/, OSSL_PARAM params[]) {
  return OSSL_PROVIDER_get_params(tables().first_default, params);
}

// OpenSSL's dispatch tables hold generic function pointers; each entry's id names its type.
using GenericFunction = void (*)();
template <typename Fn>
GenericFunction asGeneric(Fn* fn) {
  return reinterpret_cast<GenericFunction>(fn);
}

const OSSL_DISPATCH kLeanDispatch[] = {
    {OSSL_FUNC_PROVIDER_QUERY_OPERATION, asGeneric(queryOperation)},
    {OSSL_FUNC_PROVIDER_GET_CAPABILITIES, asGeneric(getCapabilities)},
    {OSSL_FUNC_PROVIDER_GETTABLE_PARAMS, asGeneric(gettableParams)},
    {OSSL_FUNC_PROVIDER_GET_PARAMS, asGeneric(getParams)},
    {0, nullptr}};

// OSSL_PROVIDER_load runs the init function on the calling thread, and the init function has no
// argument of our own: the backing provider it fronts is handed over in this variable.
thread_local OSSL_PROVIDER* backing_being_fronted = nullptr;

int initLean(const OSSL_CORE_HANDLE* /*handle*/, const OSSL_DISPATCH* /*core*/,
             const OSSL_DISPATCH** out, void** provctx) {
  if (backing_being_fronted == nullptr) return 0;
  *out = kLeanDispatch;
  // The default provider's own context: its algorithms read their library context, core
  // handle and settings from it, so they run as they would in the backing context.
  *provctx = OSSL_PROVIDER_get0_provider_ctx(backing_being_fronted);
  return 1;
}

}  // namespace

OSSL_LIB_CTX* newLeanLibrary() {
  OSSL_LIB_CTX* backing = OSSL_LIB_CTX_new();
  if (backing == nullptr) return nullptr;
  OSSL_PROVIDER* default_provider = OSSL_PROVIDER_load(backing, "default");
  OSSL_LIB_CTX* front = default_provider != nullptr ? OSSL_LIB_CTX_new() : nullptr;
  if (front == nullptr) {
    ERR_clear_error();
    return backing;  // plain: it loads the default provider itself when first used
  }
  std::call_once(tables_taken, takeTables, default_provider);
  backing_being_fronted = default_provider;
  const bool loaded = OSSL_PROVIDER_add_builtin(front, kLeanName, initLean) == 1 &&
                      OSSL_PROVIDER_load(front, kLeanName) != nullptr;
  backing_being_fronted = nullptr;
  if (!loaded) {
    OSSL_LIB_CTX_free(front);
    ERR_clear_error();
    return backing;
  }
  // The backing context is never freed: the front's provider runs on its default provider.
  return front;
}

int decoderCount(OSSL_LIB_CTX* library) {
  int count = 0;
  OSSL_DECODER_do_all_provided(
      library, [](OSSL_DECODER* /*decoder*/, void* n) { ++*static_cast<int*>(n); }, &count);
  return count;
}

}  // namespace certvigil::x509
