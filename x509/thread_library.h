// SPDX-License-Identifier: Apache-2.0
// x509/thread_library.h: an OpenSSL library context for the calling thread alone.
//
// Why: decoding a certificate makes OpenSSL 3.0 look up a decoder for its public key, and
// checking a signature fetches the algorithm; both take read locks of the certificate's library
// context. With every thread in the one default context, the file scanner's threads bounced
// those locks between cores: two threads decoding 10,000 distinct certificates used 2.75 CPU-s
// for 2.09 s of wall time, one thread alone ~2.1 CPU-s. A context per thread shares nothing
// (bench tree b: 2.30 CPU-s, 1.25 s). OpenSSL 3.1 caches decoders and avoids most of this;
// Debian 12 ships 3.0. Each context is also lean (x509/lean_provider.h): it offers only the
// decoders of public keys, which makes each lookup cheaper.
#pragma once

#include <openssl/types.h>

namespace certvigil::x509 {

/// The calling thread's library context: leased from a pool on the thread's first call and
/// given back when the thread ends, so a new thread reuses one a finished thread left (the
/// pool grows to the most threads that ever decoded at once). Contexts are never
/// freed: certificates decoded in them may outlive their thread. Null if OpenSSL cannot create
/// one (then the default context is used).
OSSL_LIB_CTX* threadLibrary();

}  // namespace certvigil::x509
