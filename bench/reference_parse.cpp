// SPDX-License-Identifier: Apache-2.0
// bench/reference_parse: the peer certvigil's file scan is measured against — walks a tree and,
// for each file, only does what any tool must: PEM_read_bio_X509 and read notAfter.
// Usage: reference_parse DIR  → prints "files N seconds S".
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <chrono>
#include <cstdio>
#include <filesystem>

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  const auto start = std::chrono::steady_clock::now();
  long files = 0, parsed = 0;
  long long sum = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(argv[1])) {
    if (!e.is_regular_file()) continue;
    ++files;
    BIO* bio = BIO_new_file(e.path().c_str(), "r");
    if (!bio) continue;
    X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
    if (cert) {
      int days = 0, secs = 0;
      ASN1_TIME_diff(&days, &secs, nullptr, X509_get0_notAfter(cert));
      sum += days;
      ++parsed;
      X509_free(cert);
    }
    BIO_free(bio);
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("files %ld parsed %ld seconds %.4f (checksum %lld)\n", files, parsed, s, sum);
  return 0;
}
