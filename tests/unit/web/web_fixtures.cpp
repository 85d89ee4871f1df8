// SPDX-License-Identifier: Apache-2.0
#include "tests/unit/web/web_fixtures.h"

#include <doctest/doctest.h>

namespace certvigil::testing {

WebFixture::WebFixture() : db(dir / "certvigil.db") {
  auto store = openStore(db);
  const auto c1 = fakeCertificate(1);
  const auto c2 = fakeCertificate(2);
  const auto c3 = fakeCertificate(3);
  const auto c4 = fakeCertificate(4);
  const Finding weak = fakeFinding(FindingCode::WeakKey, c3, 0, Severity::Warning, "weak");
  const Finding expired = fakeFinding(FindingCode::Expired, c3, 0, Severity::Critical, "gone");
  auto a0 = fakeResult("glob", "/srv/a.pem", {c4, c2});
  auto b0 = fakeResult("glob", "/srv/b.pem", {c3}, {expired, weak});
  REQUIRE(store->recordScan(fakeScan("glob", at(0)), {a0, b0}).ok());
  auto bundle = fakeResult("bundle", "/srv/a.pem", {c2}, {}, TargetKind::Bundle);
  REQUIRE(store->recordScan(fakeScan("bundle", at(0), TargetKind::Bundle), {bundle}).ok());
  auto endpoint = fakeResult(
      "api:443", "api:443", {},
      {fakeFinding(FindingCode::ConnectFailed, nullptr, -1, Severity::Critical, "refused")},
      TargetKind::Endpoint);
  REQUIRE(store->recordScan(fakeScan("api:443", at(0), TargetKind::Endpoint), {endpoint}).ok());
  auto a1 = fakeResult("glob", "/srv/a.pem", {c1, c2},
                       {fakeFinding(FindingCode::ExpiresSoon, c1, 0, Severity::Warning, "soon")});
  auto b1 = fakeResult("glob", "/srv/b.pem", {c3}, {expired});
  REQUIRE(store->recordScan(fakeScan("glob", at(100)), {a1, b1}).ok());
  auto snap = std::make_shared<Snapshot>();
  snap->targets = {a1, b1, bundle, endpoint};
  snap->generated_at = at(100);
  snapshot = snap;
}

}  // namespace certvigil::testing
