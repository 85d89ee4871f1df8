// SPDX-License-Identifier: Apache-2.0
// checks/self_signed.cpp: self_signed (info), a self-signed leaf.
//
// It is a fact worth knowing, and the plain reason when peers refuse the certificate: only
// peers that pin it can verify it. So it is reported for every self-signed leaf, also beside
// untrusted_root (checks/chain.cpp) when peers must accept it (an endpoint, or an explicit
// client / server role). CA roots in auto role are trust material, not leaves: no finding.
#include "checks/check.h"
#include "checks/common.h"

namespace certvigil::checks {

std::vector<Finding> checkSelfSigned(const Observation& obs, const Policy& /*policy*/,
                                     TimePoint /*now*/) {
  if (isBundle(obs) || !isSelfSignedLeaf(obs)) return {};
  const PresentedCertificate& leaf = *findPosition(obs, 0);
  const bool trusted = obs.chain.status == ChainStatus::Valid;
  const std::string consequence = trusted ? ": it is trusted here because it is in the trust store"
                                          : ": only peers that pin it can verify it";
  return {certificateFinding(FindingCode::SelfSigned, leaf,
                             describeCertificate(leaf) + " is self-signed" + consequence)};
}

}  // namespace certvigil::checks
