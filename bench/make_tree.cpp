// SPDX-License-Identifier: Apache-2.0
// bench/make_tree: writes the benchmark trees with the OpenSSL API (spawning `openssl` 10,000
// times would take minutes). Usage: make_tree DIR DISTINCT COPIES [--key-ids]
//   DIR/d000/c00000.pem ...: DISTINCT distinct EC P-256 leaves issued by one CA, each written
//   COPIES times, 1,000 files per directory. --key-ids: subject and authority key identifiers,
//   as CAs write them; without, every leaf is nonconforming (a warning finding each).
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

namespace {

EVP_PKEY* makeKey() { return EVP_EC_gen("P-256"); }

// `issuer`: the issuing certificate (authorityKeyIdentifier reads its subjectKeyIdentifier).
void addExtension(X509* cert, int nid, const char* value, X509* issuer = nullptr) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer ? issuer : cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

// Key identifiers as every CA writes them; without them (`key_ids` false) each leaf gets a
// nonconforming warning (strict OpenSSL rejects a leaf without authorityKeyIdentifier).
X509* makeCert(EVP_PKEY* key, EVP_PKEY* ca_key, X509* ca, long serial, long days, bool key_ids) {
  X509_NAME* ca_name = ca ? X509_get_subject_name(ca) : nullptr;
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), serial);
  X509_gmtime_adj(X509_getm_notBefore(cert), -86400);
  X509_gmtime_adj(X509_getm_notAfter(cert), days * 86400);
  X509_NAME* name = X509_NAME_new();
  const std::string cn = "bench-" + std::to_string(serial) + ".example.test";
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509_set_subject_name(cert, name);
  X509_set_issuer_name(cert, ca_name ? ca_name : name);
  X509_NAME_free(name);
  X509_set_pubkey(cert, key);
  if (ca_name == nullptr) {  // the CA
    addExtension(cert, NID_basic_constraints, "critical,CA:TRUE");
    addExtension(cert, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    addExtension(cert, NID_basic_constraints, "critical,CA:FALSE");
    addExtension(cert, NID_ext_key_usage, "serverAuth");
  }
  if (key_ids) {
    addExtension(cert, NID_subject_key_identifier, "hash");
    addExtension(cert, NID_authority_key_identifier, "keyid:always", ca ? ca : cert);
  }
  X509_sign(cert, ca_key, EVP_sha256());
  return cert;
}

std::string pemOf(X509* cert) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, cert);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<size_t>(n));
  BIO_free(bio);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  const bool key_ids = argc == 5 && std::string(argv[4]) == "--key-ids";
  if (argc != 4 && !key_ids) {
    (void)std::fprintf(stderr, "usage: make_tree DIR DISTINCT COPIES [--key-ids]\n");
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  const long distinct = std::stol(argv[2]);
  const long copies = std::stol(argv[3]);
  EVP_PKEY* ca_key = makeKey();
  X509* ca = makeCert(ca_key, ca_key, nullptr, 1, 3650, key_ids);
  EVP_PKEY* leaf_key = makeKey();  // one key: signing is what costs, not keygen
  std::vector<std::string> pems;
  for (long i = 0; i < distinct; ++i) {
    X509* leaf = makeCert(leaf_key, ca_key, ca, 1000 + i, 30 + i % 700, key_ids);
    pems.push_back(pemOf(leaf));
    X509_free(leaf);
  }
  long n = 0;
  for (long c = 0; c < copies; ++c) {
    for (const auto& pem : pems) {
      char sub[32], name[48];
      (void)std::snprintf(sub, sizeof sub, "d%03ld", n / 1000);  // fits: at most 32 characters
      (void)std::snprintf(name, sizeof name, "c%06ld.pem", n);
      std::filesystem::create_directories(dir / sub);
      FILE* f = std::fopen((dir / sub / name).c_str(), "wb");
      if (!f) return 1;
      const bool written = std::fwrite(pem.data(), 1, pem.size(), f) == pem.size();
      if (std::fclose(f) != 0 || !written) return 1;
      ++n;
    }
  }
  FILE* f = std::fopen((dir / "ca.pem").c_str(), "wb");
  if (!f) return 1;
  const std::string ca_pem = pemOf(ca);
  const bool written = std::fwrite(ca_pem.data(), 1, ca_pem.size(), f) == ca_pem.size();
  if (std::fclose(f) != 0 || !written) return 1;
  std::printf("%ld files (%ld distinct) in %s\n", n, distinct, dir.c_str());
  return 0;
}
