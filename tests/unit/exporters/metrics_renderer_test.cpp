// SPDX-License-Identifier: Apache-2.0
// tests/unit/exporters/metrics_renderer_test.cpp: the /metrics exposition — golden output,
// hostile label values, series following the snapshot, the label cache, one-target rendering,
// and agreement with the prometheus-cpp reference renderer.
#include "exporters/prometheus/metrics_renderer.h"

#include <doctest/doctest.h>

#include <cstdlib>

#include "exporters/prometheus/metric_families.h"
#include "tests/support/test_support.h"
#include "tests/unit/exporters/serializer_reference.h"
#include "tests/unit/exporters/snapshot_fixtures.h"

namespace certvigil::exporters {
namespace {

using testing::fixedProcess;
using testing::fixedStatus;
using testing::makeFacts;
using testing::makeSnapshot;
using testing::makeTarget;

std::string render(MetricsRenderer& renderer, const Snapshot& snapshot) {
  return renderer.render(snapshot, fixedStatus(), fixedProcess());
}

size_t count(const std::string& text, std::string_view needle) {
  size_t n = 0;
  for (size_t pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1)) {
    ++n;
  }
  return n;
}

TargetResultPtr fileTarget(const std::string& name, int seed) {
  return makeTarget(
      name, TargetKind::File,
      {makeFacts("CN=" + name, "CN=CA", seed, testing::kFixtureNow, testing::kFixtureNow + 86400)},
      {ResolvedRole::Server});
}

TEST_CASE("the small snapshot renders exactly as the golden file") {
  MetricsRenderer renderer;
  const std::string text = render(renderer, *testing::smallSnapshot());
  const auto golden = testing::sourceDir() / "tests/golden/metrics_small.prom";
  if (std::getenv("CERTVIGIL_UPDATE_GOLDEN")) testing::writeFile(golden, text);
  CHECK(text == testing::readFile(golden));
}

TEST_CASE("every family has one HELP and one TYPE line and no message text leaks") {
  MetricsRenderer renderer;
  const std::string text = render(renderer, *testing::smallSnapshot());
  for (const FamilyDescriptor& family : kAllFamilies) {
    CAPTURE(family.name);
    CHECK(count(text, "# HELP " + std::string(family.name) + " ") == 1);
    CHECK(count(text, "# TYPE " + std::string(family.name) + " ") == 1);
  }
  CHECK(text.find("connection refused") == std::string::npos);
  CHECK(text.find("expires in 20 days") == std::string::npos);
  CHECK(text.find("certvigil_certificates 5\n") != std::string::npos);
}

TEST_CASE("hostile label values are escaped and repaired") {
  const auto facts = makeFacts("CN=evil\"quote\\slash\nnewline", "CN=bad\xFFutf8", 9, 0, 1);
  const auto target =
      makeTarget("/tmp/a\"b\\c\nd.pem", TargetKind::File, {facts}, {ResolvedRole::Any});
  MetricsRenderer renderer;
  const std::string text = render(renderer, *makeSnapshot({target}));
  CHECK(text.find(R"(subject="CN=evil\"quote\\slash\nnewline")") != std::string::npos);
  CHECK(text.find("issuer=\"CN=bad\xEF\xBF\xBDutf8\"") != std::string::npos);
  CHECK(text.find(R"(target="/tmp/a\"b\\c\nd.pem")") != std::string::npos);
  CHECK(text.find('\xFF') == std::string::npos);
  // Every line is a comment or name{...} value: no raw newline split a label value.
  for (const std::string& line : testing::sampleLines(text)) {
    CAPTURE(line);
    CHECK((line.rfind("certvigil_", 0) == 0 || line.rfind("process_", 0) == 0));
  }
}

TEST_CASE("series of a certificate that is gone disappear on the next render") {
  const auto kept = fileTarget("/etc/ssl/kept.pem", 1);
  const auto gone = fileTarget("/etc/ssl/gone.pem", 2);
  MetricsRenderer renderer;
  const std::string before = render(renderer, *makeSnapshot({gone, kept}));
  CHECK(before.find("gone.pem") != std::string::npos);
  const std::string after = render(renderer, *makeSnapshot({kept}));
  CHECK(after.find("gone.pem") == std::string::npos);
  CHECK(after.find("kept.pem") != std::string::npos);
  CHECK(after.find("certvigil_certificates 1\n") != std::string::npos);
  CHECK(renderer.cachedCertificates() == 1);

  const std::string empty = render(renderer, *makeSnapshot({}));
  CHECK(empty.find("certvigil_probe_success") == std::string::npos);
  CHECK(empty.find("certvigil_cert_not_after_timestamp_seconds") == std::string::npos);
  CHECK(empty.find("certvigil_finding") == std::string::npos);
  CHECK(empty.find("certvigil_build_info") != std::string::npos);
  CHECK(empty.find("certvigil_certificates 0\n") != std::string::npos);
}

TEST_CASE("a scrape that sees the same results reuses what it gathered") {
  auto a = fileTarget("/etc/ssl/a.pem", 1);
  const auto b = fileTarget("/etc/ssl/b.pem", 2);
  MetricsRenderer renderer;
  const std::string first = render(renderer, *makeSnapshot({a, b}));
  CHECK(renderer.gathers() == 1);

  SUBCASE("a new snapshot sharing every result gathers nothing and renders the same text") {
    CHECK(render(renderer, *makeSnapshot({a, b})) == first);
    CHECK(renderer.gathers() == 1);
  }
  SUBCASE("a replaced result is gathered again") {
    auto renewed = std::make_shared<TargetResult>(*a);
    renewed->roles = {ResolvedRole::Client};
    a.reset();
    const std::string text = render(renderer, *makeSnapshot({renewed, b}));
    CHECK(renderer.gathers() == 2);
    CHECK(text.find(R"(target="/etc/ssl/a.pem",role="client")") != std::string::npos);
    CHECK(text.find(R"(target="/etc/ssl/a.pem",role="server")") == std::string::npos);
  }
  SUBCASE("a kept result whose probe duration was refreshed is gathered again") {
    a->observation.duration_seconds.refresh(0.75);
    const std::string text = render(renderer, *makeSnapshot({a, b}));
    CHECK(renderer.gathers() == 2);
    CHECK(text.find(
              R"(certvigil_probe_duration_seconds{source="file",target="/etc/ssl/a.pem"} 0.75)") !=
          std::string::npos);
  }
  SUBCASE("a different owner at the same address is not mistaken for the gathered result") {
    // The aliasing constructor gives the same address a new control block, as a new
    // TargetResult allocated where a freed one lived would have.
    const TargetResultPtr alias(std::make_shared<int>(0), a.get());
    render(renderer, *makeSnapshot({alias, b}));
    CHECK(renderer.gathers() == 2);
  }
}

TEST_CASE("repeated targets and certificates without facts do not make duplicate series") {
  const auto a = fileTarget("/etc/ssl/a.pem", 1);
  const auto twin = fileTarget("/etc/ssl/a.pem", 3);
  const auto bundle = makeTarget("/etc/ssl/a.pem", TargetKind::Bundle,
                                 {makeFacts("CN=x", "CN=x", 4, 0, 1)}, {ResolvedRole::Ca});
  auto hollow = std::make_shared<TargetResult>(*fileTarget("/etc/ssl/z.pem", 5));
  hollow->observation.certificates.push_back({nullptr, 1});
  MetricsRenderer renderer;
  const std::string text = render(renderer, *makeSnapshot({a, twin, bundle, a, hollow}));
  CHECK(
      count(
          text,
          "certvigil_cert_not_after_timestamp_seconds{source=\"file\",target=\"/etc/ssl/a.pem\"") ==
      1);
  CHECK(count(text, "certvigil_cert_not_after_timestamp_seconds{source=\"bundle\"") == 1);
  CHECK(count(text, "target=\"/etc/ssl/z.pem\",role=") == 3);  // not_after, not_before, info
  CHECK(text.find("certvigil_certificates 3\n") != std::string::npos);
}

TEST_CASE("findings differing only in message make one series") {
  auto result = std::make_shared<TargetResult>(*fileTarget("/etc/ssl/p.pem", 1));
  result->findings = {makeFinding(FindingCode::ParseError, "block 2: truncated"),
                      makeFinding(FindingCode::ParseError, "block 5: bad base64")};
  MetricsRenderer renderer;
  const std::string text = render(renderer, *makeSnapshot({result}));
  CHECK(count(text, "certvigil_finding{") == 1);
  CHECK(
      text.find("certvigil_finding{source=\"file\",target=\"/etc/ssl/p.pem\",code=\"parse_error\","
                "severity=\"critical\",fingerprint=\"\",position=\"\"} 1\n") != std::string::npos);
}

TEST_CASE("renderTarget writes only the series of that target") {
  const auto snapshot = testing::smallSnapshot();
  const TargetResultPtr api = findTarget(*snapshot, "/etc/ssl/api.pem");
  REQUIRE(api);
  CHECK_FALSE(findTarget(*snapshot, "/nowhere.pem"));
  const std::string text = MetricsRenderer::renderTarget(*api);
  CHECK(text.find("client_ca.pem") == std::string::npos);
  CHECK(text.find("api.internal:443") == std::string::npos);
  CHECK(text.find("certvigil_build_info") == std::string::npos);
  CHECK(text.find("process_") == std::string::npos);
  CHECK(count(text, "# TYPE ") == 6);
  CHECK(count(text, "certvigil_cert_info{") == 2);
  CHECK(count(text, "certvigil_finding{") == 1);
  // The same lines the full exposition has for it.
  MetricsRenderer renderer;
  const std::string full = render(renderer, *snapshot);
  for (const std::string& line : testing::sampleLines(text)) {
    CAPTURE(line);
    CHECK(full.find(line + "\n") != std::string::npos);
  }
}

TEST_CASE("the fast path writes the same samples as prometheus-cpp's TextSerializer") {
  // The endpoint-only families (endpoint_families.cpp) have no reference rendering: leave the
  // endpoint with handshake facts out.
  std::vector<TargetResultPtr> targets;
  const SnapshotPtr small = testing::smallSnapshot();
  for (const auto& t : small->targets) {
    if (!t->observation.endpoint) targets.push_back(t);
  }
  for (const auto& t : testing::manyTargets(50)) targets.push_back(t);
  targets.push_back(makeTarget("/tmp/q\"\\\n.pem", TargetKind::File,
                               {makeFacts(R"(CN="x"\)", "CN=\xC3\xA9", 7, 0, 1)},
                               {ResolvedRole::Server}));
  const auto snapshot = makeSnapshot(targets, testing::smallSnapshot()->scans);
  MetricsRenderer renderer;
  const std::string fast = render(renderer, *snapshot);
  const std::string reference =
      testing::renderWithSerializer(*snapshot, fixedStatus(), fixedProcess());
  CHECK(testing::parsedSamples(fast) == testing::parsedSamples(reference));
  CHECK(testing::parsedSamples(fast).size() > 200);
  CHECK(count(fast, "# TYPE ") == count(reference, "# TYPE "));
}

// Reads a whole stream in pieces of `piece_bytes`, checking that each ends at a line end.
std::string drain(MetricsStream& stream, size_t piece_bytes, size_t& pieces) {
  std::string all;
  std::string piece;
  pieces = 0;
  while (stream.next(piece, piece_bytes)) {
    CHECK(piece.back() == '\n');
    all += piece;
    piece.clear();
    ++pieces;
  }
  CHECK(piece.empty());
  return all;
}

TEST_CASE("a stream writes the exposition render() returns, in pieces of whole lines") {
  std::vector<TargetResultPtr> targets = testing::smallSnapshot()->targets;
  for (const auto& t : testing::manyTargets(300)) targets.push_back(t);
  const auto snapshot = makeSnapshot(targets, testing::smallSnapshot()->scans);
  MetricsRenderer renderer;
  const std::string whole = render(renderer, *snapshot);
  for (const size_t piece_bytes : {size_t{1}, size_t{4096}, MetricsStream::kPieceBytes}) {
    CAPTURE(piece_bytes);
    auto stream = renderer.stream(*snapshot, fixedStatus(), fixedProcess());
    size_t pieces = 0;
    CHECK(drain(*stream, piece_bytes, pieces) == whole);
    // Every piece but the last holds at least piece_bytes.
    CHECK(pieces <= whole.size() / piece_bytes + 1);
    CHECK((piece_bytes >= whole.size() ? pieces == 1 : pieces > 1));
    std::string after;
    CHECK_FALSE(stream->next(after));  // done stays done
  }
}

TEST_CASE("a stream in progress keeps writing its snapshot while newer ones are rendered") {
  const auto old_snapshot = makeSnapshot({fileTarget("/a.pem", 1), fileTarget("/b.pem", 2)});
  const auto new_snapshot = makeSnapshot({fileTarget("/c.pem", 3)});
  MetricsRenderer renderer;
  const std::string expected = render(renderer, *old_snapshot);
  auto stream = renderer.stream(*old_snapshot, fixedStatus(), fixedProcess());
  std::string streamed;
  REQUIRE(stream->next(streamed, 1));
  // A newer snapshot gathers anew and sweeps the cached cert_info labels of /a.pem and /b.pem.
  const std::string newer = render(renderer, *new_snapshot);
  CHECK(newer.find("/c.pem") != std::string::npos);
  CHECK(renderer.cachedCertificates() == 1);
  while (stream->next(streamed, 1)) {
  }
  CHECK(streamed == expected);
  CHECK(render(renderer, *new_snapshot) == newer);
}

}  // namespace
}  // namespace certvigil::exporters
