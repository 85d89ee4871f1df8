// SPDX-License-Identifier: Apache-2.0
// thread_library.h: each thread decodes in a library context of its own, and what threads
// decoded in their contexts is judged together as if decoded in one.
#include "x509/thread_library.h"

#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include "tests/unit/x509/x509_test_util.h"
#include "x509/chain.h"

namespace certvigil::x509 {
namespace {
using test::parsePki;
using test::raw;
using testing::pki;

OSSL_LIB_CTX* libraryOfNewThread() {
  OSSL_LIB_CTX* library = nullptr;
  std::thread([&library] { library = threadLibrary(); }).join();
  return library;
}

TEST_CASE("threadLibrary: one per living thread, stable, reused after a thread ends") {
  OSSL_LIB_CTX* mine = threadLibrary();
  REQUIRE(mine != nullptr);
  CHECK(threadLibrary() == mine);
  OSSL_LIB_CTX* first = libraryOfNewThread();
  CHECK(first != nullptr);
  CHECK(first != mine);
  // The first thread has ended: its context went back to the pool and is leased again.
  CHECK(libraryOfNewThread() == first);
  // Two threads alive at once never share one.
  std::atomic<int> holding{0};
  OSSL_LIB_CTX* c = nullptr;
  OSSL_LIB_CTX* d = nullptr;
  std::thread tc([&] {
    c = threadLibrary();
    ++holding;
    while (holding.load() < 2) std::this_thread::yield();
  });
  std::thread td([&] {
    d = threadLibrary();
    ++holding;
    while (holding.load() < 2) std::this_thread::yield();
  });
  tc.join();
  td.join();
  CHECK(c != d);
  CHECK(c != mine);
  CHECK(d != mine);
}

TEST_CASE("threadLibrary: a chain decoded on other threads verifies as one decoded here") {
  std::vector<ParsedCertificate> leaf_chain;
  std::vector<ParsedCertificate> anchors_parsed;
  std::thread([&] { leaf_chain = parsePki("leaf-server-fullchain.pem"); }).join();
  std::thread([&] { anchors_parsed = parsePki("ec-root.crt"); }).join();
  REQUIRE(leaf_chain.size() == 2);
  Result<TrustStore> trust = TrustStore::load(false, {pki("ec-root.crt")});
  REQUIRE(trust.ok());
  const ChainVerdict across = buildChain(raw(leaf_chain), {}, *trust);
  const ChainVerdict here = buildChain(raw(parsePki("leaf-server-fullchain.pem")), {}, *trust);
  CHECK(across.status == ChainStatus::Valid);
  CHECK(across.status == here.status);
  CHECK(across.path.size() == here.path.size());
  // A wrong anchor is still refused across contexts.
  Result<TrustStore> other = TrustStore::load(false, {pki("rsa-root.crt")});
  REQUIRE(other.ok());
  CHECK(buildChain(raw(leaf_chain), {}, *other).status != ChainStatus::Valid);
  // The anchor decoded on another thread serves as an extra certificate too.
  CHECK(buildChain(raw(leaf_chain), raw(anchors_parsed), *other).status != ChainStatus::Valid);
}

}  // namespace
}  // namespace certvigil::x509
