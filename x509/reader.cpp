// SPDX-License-Identifier: Apache-2.0
#include "x509/reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>

#include <openssl/err.h>

#include "x509/der.h"
#include "x509/java_keystore.h"
#include "x509/openssl_util.h"
#include "x509/pem.h"
#include "x509/pkcs12.h"
#include "x509/private_key.h"

namespace certvigil::x509 {
namespace {

/// Password files are one short line; a few KiB is generous.
constexpr size_t kMaxPasswordFileBytes = size_t{64} * 1024;

/// Closes a file descriptor on scope exit.
class FdGuard {
 public:
  explicit FdGuard(int fd) : fd_(fd) {}
  ~FdGuard() { ::close(fd_); }
  FdGuard(const FdGuard&) = delete;
  FdGuard& operator=(const FdGuard&) = delete;

 private:
  int fd_;
};

Error ioError(int error, const std::filesystem::path& path) {
  return makeError(error == ENOENT ? ErrorCode::NotFound : ErrorCode::Io, errnoText(error),
                   path.string());
}

std::string fileKind(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  return "not a regular file";
}

Error tooLarge(size_t size, size_t max_bytes, const std::filesystem::path& path) {
  return makeError(ErrorCode::Invalid,
                   "file too large (" + std::to_string(size) + " bytes, limit " +
                       std::to_string(max_bytes) + ")",
                   path.string());
}

bool isBlank(std::string_view bytes) {
  return std::all_of(bytes.begin(), bytes.end(),
                     [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; });
}

void addProblem(Material& out, FindingCode code, std::string detail) {
  out.problems.push_back(ReadProblem{code, std::move(detail)});
}

void addCertificateBlock(const PemBlock& block, Material& out) {
  Result<PemData> data = decodePemBlock(block.text);
  if (!data) {
    return addProblem(out, FindingCode::ParseError, describeBlock(block, data.error().message));
  }
  std::string der = std::move(data->der);
  // TRUSTED CERTIFICATE = the certificate followed by OpenSSL's trust settings (X509_CERT_AUX).
  if (block.label == "TRUSTED CERTIFICATE") der = std::string(firstDerElement(der));
  if (const auto why = whyNotCertificate(der)) {
    return addProblem(out, FindingCode::ParseError,
                      describeBlock(block, "not a certificate: " + *why));
  }
  out.certificate_ders.push_back(std::move(der));
}

void addKeyBlock(const PemBlock& block, const ReadOptions& options, Material& out) {
  out.private_key_blocks += 1;
  Result<PkeyPtr> key = decodePrivateKey(block.text, true, options.password);
  if (key) {
    out.private_keys.push_back(std::move(*key));
  } else if (!options.password.empty() || !isEncryptedKey(block.text, true)) {
    // An encrypted key we were given no password for is counted, not a problem: the file may
    // well be fine, we just cannot look inside.
    addProblem(out, FindingCode::ParseError, describeBlock(block, key.error().message));
  }
}

void readPem(std::string_view bytes, const ReadOptions& options, Material& out) {
  out.format = FileFormat::Pem;
  const std::vector<PemBlock> blocks = splitPem(bytes);
  if (blocks.empty()) {
    return addProblem(out, FindingCode::ParseError,
                      "malformed PEM: no complete -----BEGIN ...----- line");
  }
  for (const PemBlock& block : blocks) {
    if (block.empty) {
      addProblem(out, FindingCode::PemEmpty,
                 describeBlock(block, "empty PEM block (nothing between BEGIN and END)"));
    } else if (block.truncated) {
      addProblem(out, FindingCode::ParseError,
                 describeBlock(block, "truncated (BEGIN without a matching END line)"));
    } else if (block.label == "CERTIFICATE" || block.label == "X509 CERTIFICATE" ||
               block.label == "TRUSTED CERTIFICATE") {
      addCertificateBlock(block, out);
    } else if (isPrivateKeyLabel(block.label)) {
      addKeyBlock(block, options, out);
    }
    // Other blocks (EC PARAMETERS, X509 CRL, CERTIFICATE REQUEST, ...) are not ours to judge.
  }
}

/// DER: one certificate, a PKCS#12 file, or one private key (plain or encrypted PKCS#8).
void readBinary(std::string_view bytes, const ReadOptions& options, Material& out) {
  if (looksLikeCertificate(bytes)) {
    out.format = FileFormat::Der;
    out.certificate_ders.emplace_back(bytes);
    return;
  }
  if (readPkcs12(bytes, options.password, out)) return;
  const bool encrypted = isEncryptedKey(bytes, false);
  Result<PkeyPtr> key = decodePrivateKey(bytes, false, options.password);
  if (key || encrypted) {
    out.format = FileFormat::Der;
    out.private_key_blocks = 1;
    if (key) out.private_keys.push_back(std::move(*key));
    if (!key && !options.password.empty()) {
      addProblem(out, FindingCode::ParseError, key.error().message);
    }
    return;
  }
  if (const auto why = whyNotCertificate(bytes)) {
    addProblem(out, FindingCode::ParseError,
               "not a PEM, DER or PKCS#12 certificate or key file (" + *why + ")");
    return;
  }
  out.format = FileFormat::Der;
  out.certificate_ders.emplace_back(bytes);
}

}  // namespace

Result<std::string> readFileCapped(const std::filesystem::path& path, size_t max_bytes) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then refuses it.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) return ioError(errno, path);
  FdGuard guard(fd);
  struct stat st {};
  if (::fstat(fd, &st) != 0) return ioError(errno, path);
  if (!S_ISREG(st.st_mode)) {
    return makeError(ErrorCode::Invalid, "not a regular file (" + fileKind(st.st_mode) + ")",
                     path.string());
  }
  const auto size = static_cast<size_t>(st.st_size);
  if (size > max_bytes) return tooLarge(size, max_bytes, path);
  // Read one byte past the cap: a file that grew since fstat is caught too.
  std::string bytes(std::min(size, max_bytes) + 1, '\0');
  size_t got = 0;
  while (got < bytes.size()) {
    const ssize_t n = ::read(fd, bytes.data() + got, bytes.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ioError(errno, path);
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  if (got > max_bytes) return tooLarge(got, max_bytes, path);
  bytes.resize(got);
  return bytes;
}

Material readMaterial(std::string_view bytes, const ReadOptions& options) {
  Material out;
  if (isBlank(bytes)) {
    addProblem(out, FindingCode::ParseError,
               bytes.empty() ? "empty file" : "empty file (only whitespace)");
  } else if (readJavaKeystore(bytes, options.password, out)) {
    // binary, identified by its magic number before anything else could match text in it
  } else if (looksLikePem(bytes)) {
    readPem(bytes, options, out);
  } else {
    readBinary(bytes, options, out);
  }
  ERR_clear_error();
  return out;
}

Result<PkeyPtr> readPrivateKey(std::string_view bytes, const std::string& password) {
  if (isBlank(bytes)) return makeError(ErrorCode::Parse, "empty file");
  if (!looksLikePem(bytes)) return decodePrivateKey(bytes, false, password);
  for (const PemBlock& block : splitPem(bytes)) {
    if (!isPrivateKeyLabel(block.label)) continue;
    if (block.empty) return makeError(ErrorCode::Parse, describeBlock(block, "empty PEM block"));
    if (block.truncated) return makeError(ErrorCode::Parse, describeBlock(block, "truncated"));
    return decodePrivateKey(block.text, true, password);
  }
  return makeError(ErrorCode::Parse, "no PRIVATE KEY block in the file");
}

Result<std::string> readPasswordFile(const std::filesystem::path& path) {
  Result<std::string> bytes = readFileCapped(path, kMaxPasswordFileBytes);
  if (!bytes) return bytes.error();
  std::string line = bytes->substr(0, bytes->find('\n'));
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace certvigil::x509
