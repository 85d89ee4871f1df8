// checks/self_signed.cpp: self_signed (info), a self-signed leaf that is not a CA.
//
// It is a fact worth knowing, not a fault: only peers that pin the certificate can verify it.
// When peers must verify it and it is not trusted (an endpoint, or an explicit client /
// server role), checks/chain.cpp reports untrusted_root (critical) instead, and this one stays
// silent so one cause gives one finding. CA roots are not leaves: a root file is no finding.
#include "checks/check.h"
#include "checks/common.h"

namespace certvigil::checks {

std::vector<Finding> checkSelfSigned(const Observation& obs, const Policy& /*policy*/,
                                     TimePoint /*now*/) {
  if (isBundle(obs) || !isSelfSignedLeaf(obs)) return {};
  if (obs.chain.status == ChainStatus::UntrustedRoot && selfSignedLeafMustBeTrusted(obs)) {
    return {};
  }
  const PresentedCertificate& leaf = *findPosition(obs, 0);
  return {certificateFinding(
      FindingCode::SelfSigned, leaf,
      describeCertificate(leaf) + " is self-signed: only peers that pin it can verify it")};
}

}  // namespace certvigil::checks
