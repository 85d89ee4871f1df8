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

void loadChain(const std::filesystem::path& path, x509::CertificateCache& certificates,
               FileInputs& in) {
  Result<std::string> bytes = x509::readFileCapped(path);
  if (!bytes) {
    in.problems.push_back(
        readProblem("cannot read chain file " + path.string() + ": " + bytes.error().message));
    return;
  }
  x509::Material material = x509::readMaterial(*bytes);
  for (const auto& der : material.certificate_ders) {
    Result<x509::ParsedCertificate> parsed = certificates.get(der);
    if (!parsed) continue;
    in.spec.chain.push_back(parsed->cert);
    in.spec.chain_identity += parsed->facts->fingerprint_sha256 + ",";
  }
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
  return in;
}

}  // namespace certvigil::probers
