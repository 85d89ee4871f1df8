// checks/eku.cpp: eku_client_auth_missing, eku_server_auth_missing on the leaf.
//
// Only for a leaf with a role: an explicit --role client / server, or an endpoint's leaf (a
// server certificate). Auto role states no purpose, so there is nothing to miss.
//
// Decision: fire when the leaf HAS an extendedKeyUsage extension without the role's purpose,
// because that is what fails a handshake ("unsupported certificate purpose"):
// - no EKU extension at all does not fire: OpenSSL, Go, Java and NSS accept such a certificate
//   for any purpose, so nothing breaks and a critical finding would be a false alarm;
// - anyExtendedKeyUsage alone does fire: OpenSSL 3 (nginx, HAProxy, curl) rejects it for TLS
//   client and server purposes (`openssl verify -purpose sslclient` says "unsuitable
//   certificate purpose"), even though Go accepts it.
#include "checks/check.h"
#include "checks/common.h"

namespace certvigil::checks {
namespace {

struct Purpose {
  FindingCode code;
  const char* eku;   ///< "clientAuth"
  const char* used;  ///< "a client certificate"
  const char* peer;  ///< who rejects it
};

constexpr Purpose kClient{FindingCode::EkuClientAuthMissing, "clientAuth", "a client certificate",
                          "servers"};
constexpr Purpose kServer{FindingCode::EkuServerAuthMissing, "serverAuth", "a server certificate",
                          "clients"};

bool hasPurpose(const CertificateFacts& facts, const Purpose& purpose) {
  if (!facts.has_eku) return true;
  return purpose.code == FindingCode::EkuClientAuthMissing ? facts.eku_client_auth
                                                           : facts.eku_server_auth;
}

Finding missing(const PresentedCertificate& leaf, const Purpose& p) {
  const std::string present =
      leaf.facts->ekuText().empty() ? "other purposes only" : leaf.facts->ekuText();
  Finding f =
      certificateFinding(p.code, leaf,
                         describeCertificate(leaf) + " is used as " + p.used +
                             " but its extendedKeyUsage (" + present + ") lacks " + p.eku + ": " +
                             p.peer + " reject it (unsupported certificate purpose)");
  f.remedy = std::string("reissue with extendedKeyUsage=") + p.eku +
             ": openssl x509 -req -in leaf.csr -CA ca.crt -CAkey ca.key -out leaf.crt "
             "-extfile <(printf \"extendedKeyUsage=" +
             p.eku + "\")";
  return f;
}

}  // namespace

std::vector<Finding> checkEku(const Observation& obs, const Policy& /*policy*/, TimePoint /*now*/) {
  const PresentedCertificate* leaf = findPosition(obs, 0);
  if (leaf == nullptr || isBundle(obs)) return {};
  const Role role = leafRole(obs);
  if (role != Role::Client && role != Role::Server) return {};
  const Purpose& purpose = role == Role::Client ? kClient : kServer;
  if (hasPurpose(*leaf->facts, purpose)) return {};
  return {missing(*leaf, purpose)};
}

}  // namespace certvigil::checks
