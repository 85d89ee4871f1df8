// SPDX-License-Identifier: Apache-2.0
#include "probers/file_inputs.h"

#include "probers/file_expander.h"
#include "x509/crl.h"
#include "x509/reader.h"

namespace certvigil::probers {
namespace {

void loadPassword(const std::filesystem::path& path, FileInputs& in) {
  Result<std::string> password = x509::readPasswordFile(path);
  if (password) {
    in.spec.password = std::move(*password);
  } else {
    in.problems.push_back(
        {FindingCode::ParseError, "cannot read password_file: " + password.error().describe()});
  }
}

/// The certificates of a PEM/DER file, decoded through the cache; `what` names the file's use
/// in the read problem when it cannot be read ("chain file").
std::vector<x509::ParsedCertificate> loadCertificates(const std::filesystem::path& path,
                                                      const std::string& what,
                                                      x509::CertificateCache& certificates,
                                                      FileInputs& in) {
  std::vector<x509::ParsedCertificate> out;
  Result<std::string> bytes = x509::readFileCapped(path);
  if (!bytes) {
    in.problems.push_back(
        readProblem("cannot read " + what + " " + path.string() + ": " + bytes.error().message));
    return out;
  }
  for (const auto& der : x509::readMaterial(*bytes).certificate_ders) {
    if (Result<x509::ParsedCertificate> parsed = certificates.get(der)) out.push_back(*parsed);
  }
  return out;
}

void loadChain(const std::filesystem::path& path, x509::CertificateCache& certificates,
               FileInputs& in) {
  for (const auto& parsed : loadCertificates(path, "chain file", certificates, in)) {
    in.spec.chain.push_back(parsed.cert);
    in.spec.chain_identity += parsed.facts->fingerprint_sha256 + ",";
  }
}

// The CAs a CRL file is judged against; a bundle that cannot be read is a problem of the
// target, and the CRLs are then judged on their dates only (no gap is invented).
void loadIssuers(const FileInputSources& sources, x509::CertificateCache& certificates,
                 FileInputs& in) {
  CrlUse& use = in.spec.crl_use;
  use.expected = true;
  use.used_by = sources.used_by;
  use.issuers_given = !sources.issuers.empty();
  const size_t problems = in.problems.size();
  for (const auto& path : sources.issuers) {
    in.signature += "|" + statSignature(path);
    for (const auto& parsed : loadCertificates(path, "issuers file", certificates, in)) {
      use.issuers.push_back(parsed.cert);
    }
  }
  if (in.problems.size() != problems) use.issuers_given = false;
}

void loadCrls(const std::vector<std::filesystem::path>& files, FileInputs& in) {
  for (const auto& f : files) in.signature += "|" + statSignature(f);
  Result<x509::CrlSet> crls = x509::CrlSet::load(files);
  if (crls) {
    in.spec.crls = std::make_shared<const x509::CrlSet>(std::move(*crls));
  } else {
    in.problems.push_back({FindingCode::ParseError, "cannot read CRL: " + crls.error().describe()});
  }
}

}  // namespace

FileInputs loadFileInputs(const FileInputSources& sources, x509::CertificateCache& certificates,
                          const x509::TrustStore& trust) {
  FileInputs in;
  in.spec.kind = sources.kind;
  in.spec.role = sources.role;
  in.spec.key = sources.key;
  in.spec.hostname = sources.hostname;
  in.signature = trust.identity() + "|" + statSignature(sources.key) + "|" +
                 statSignature(sources.password_file) + "|" + statSignature(sources.chain);
  if (!sources.password_file.empty()) loadPassword(sources.password_file, in);
  if (!sources.chain.empty()) loadChain(sources.chain, certificates, in);
  if (!sources.crl_files.empty()) loadCrls(sources.crl_files, in);
  if (!sources.issuers.empty() || !sources.used_by.empty()) loadIssuers(sources, certificates, in);
  return in;
}

}  // namespace certvigil::probers
