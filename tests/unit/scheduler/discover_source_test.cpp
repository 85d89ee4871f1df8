// SPDX-License-Identifier: Apache-2.0
// scheduler/DiscoverSource through the Monitor (no store, no sockets): a discover unit's targets
// are the files and bundles its nginx configuration names, labelled with their origin and
// source; they follow the configuration from scan to scan; an unreadable configuration is a
// parse_error, not an empty scan.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>

#include "scheduler/monitor.h"
#include "tests/support/test_support.h"

namespace certvigil::scheduler {
namespace {

namespace fs = std::filesystem;
using testing::pki;
using testing::TempDir;
using testing::writeFile;

const TargetResult* named(const SnapshotPtr& s, const std::string& name) {
  for (const TargetResultPtr& t : s->targets) {
    if (t->observation.target == name) return t.get();
  }
  return nullptr;
}

config::Config discoverConfig(const fs::path& nginx_conf) {
  config::Config c;
  c.trust.system = false;
  c.trust.ca_files = {pki("ec-root.crt")};
  config::DiscoverConfig d;
  d.server = "nginx";
  d.path = nginx_conf;
  c.discover.push_back(d);
  return c;
}

void writeSite(const TempDir& dir, const std::string& client_ca) {
  writeFile(dir / "nginx.conf", "http {\n  include sites/*.conf;\n}\n");
  writeFile(dir / "sites/default.conf",
            "server {\n  listen 443 ssl;\n  server_name _;\n  ssl_certificate " +
                pki("leaf-server-fullchain.pem").string() + ";\n  ssl_certificate_key " +
                pki("leaf-server.key").string() + ";\n" + client_ca + "}\n");
}

}  // namespace

TEST_CASE("DiscoverSource: targets from the server configuration, with origin and source") {
  TempDir dir;
  writeSite(dir, "  ssl_client_certificate " + pki("ec-root.crt").string() + ";\n");
  FakeClock clock(std::chrono::floor<Seconds>(std::chrono::system_clock::now()));
  Monitor monitor(nullptr, clock);
  REQUIRE(monitor.configure(discoverConfig(dir / "nginx.conf")).ok());
  monitor.scanAll();
  SnapshotPtr snapshot = monitor.latest();
  REQUIRE(snapshot->scans.size() == 1);
  CHECK(snapshot->scans[0].kind == TargetKind::Discover);
  CHECK(snapshot->scans[0].unit == "discover:nginx:" + (dir / "nginx.conf").string());
  const TargetResult* cert = named(snapshot, pki("leaf-server-fullchain.pem").string());
  REQUIRE(cert != nullptr);
  CHECK(cert->provenance->source == "discover:nginx");
  CHECK(cert->origin() == (dir / "sites/default.conf").string() + ":4");
  CHECK(cert->unit == snapshot->scans[0].unit);
  CHECK(cert->observation.role == Role::Server);
  const TargetResult* bundle = named(snapshot, pki("ec-root.crt").string());
  REQUIRE(bundle != nullptr);
  CHECK(bundle->observation.kind == TargetKind::Bundle);
  CHECK(snapshot->targets.size() == 2);

  // Unchanged configuration and files: the very same result objects (storage skips the diff).
  monitor.scanAll();
  CHECK(named(monitor.latest(), pki("ec-root.crt").string()) == bundle);

  // The bundle leaves the configuration: it leaves the unit's targets.
  writeSite(dir, "");
  monitor.scanAll();
  snapshot = monitor.latest();
  CHECK(named(snapshot, pki("ec-root.crt").string()) == nullptr);
  CHECK(snapshot->targets.size() == 1);
}

TEST_CASE("DiscoverSource: an ssl_crl file is judged against the server's client CAs") {
  TempDir dir;
  writeSite(dir, "  ssl_client_certificate " + pki("ec-root.crt").string() +
                     ";\n  ssl_trusted_certificate " + pki("ec-int.crt").string() +
                     ";\n  ssl_crl " + pki("ec-int-stale.crl").string() + ";\n");
  FakeClock clock(std::chrono::floor<Seconds>(std::chrono::system_clock::now()));
  Monitor monitor(nullptr, clock);
  REQUIRE(monitor.configure(discoverConfig(dir / "nginx.conf")).ok());
  monitor.scanAll();
  const TargetResult* crl = named(monitor.latest(), pki("ec-int-stale.crl").string());
  REQUIRE(crl != nullptr);
  CHECK(crl->origin() == (dir / "sites/default.conf").string() + ":8");
  REQUIRE(crl->observation.crl_file);
  CHECK(crl->observation.crl_file->issuers_given);
  const std::string used_by = "nginx (ssl_crl at " + crl->origin() + ")";
  CHECK(crl->observation.crl_file->used_by == used_by);
  // ec-int's CRL is past its nextUpdate; ec-root, a CA nginx verifies with, has none.
  std::vector<std::string> codes;
  for (const Finding& f : crl->findings) codes.emplace_back(toString(f.code));
  CHECK(codes == std::vector<std::string>{"expired", "revocation_unknown"});
  CHECK(crl->findings[0].message.find(used_by + " rejects every client certificate") !=
        std::string::npos);
  CHECK_FALSE(crl->findings[1].fingerprint.empty());  // the CA without a CRL
}

TEST_CASE("DiscoverSource: an unreadable configuration is a parse_error on its file") {
  TempDir dir;
  FakeClock clock(std::chrono::floor<Seconds>(std::chrono::system_clock::now()));
  Monitor monitor(nullptr, clock);
  REQUIRE(monitor.configure(discoverConfig(dir / "absent.conf")).ok());
  monitor.scanAll();
  const SnapshotPtr snapshot = monitor.latest();
  const TargetResult* config = named(snapshot, (dir / "absent.conf").string());
  REQUIRE(config != nullptr);
  REQUIRE_FALSE(config->findings.empty());
  CHECK(config->findings[0].code == FindingCode::ParseError);
  CHECK_FALSE(snapshot->scans[0].success);
}

}  // namespace certvigil::scheduler
