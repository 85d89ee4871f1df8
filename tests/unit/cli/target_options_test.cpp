// SPDX-License-Identifier: Apache-2.0
// cli/target_options.h: the shared `check` / `diagnose` options: --clients, --at, the problems
// optionProblem() reports before anything runs, and which TARGETs are endpoints.
#include "cli/target_options.h"

#include <doctest/doctest.h>

#include <filesystem>

#include "tests/support/test_support.h"

namespace certvigil::cli {
namespace {

constexpr TimePoint kNow{Seconds{1795348800}};  // 2026-11-22T12:00:00Z
constexpr Seconds kDay{86400};

TEST_CASE("clientsOption: empty is the default four; names combine") {
  CHECK(clientsOption("") == ClientSet::defaults());
  CHECK(clientsOption("go") == ClientSet{Client::Go});
  CHECK(clientsOption("openssl,go") == ClientSet{Client::OpenSsl, Client::Go});
  CHECK(clientsOption("rustls,openssl-strict,rustls") ==
        ClientSet{Client::Rustls, Client::OpenSslStrict});
  CHECK(clientsOption("openssl,go,chromium,rustls,openssl-strict") == ClientSet::all());
}

TEST_CASE("clientsOption: an unknown name is refused, and named") {
  std::string why;
  CHECK_FALSE(clientsOption("openssl,boringssl", &why).has_value());
  CHECK(why ==
        "'boringssl' is not a client family (openssl, go, chromium, rustls, openssl-strict)");
  CHECK_FALSE(clientsOption("OpenSSL", &why).has_value());
  CHECK(why.rfind("'OpenSSL' is not", 0) == 0);
  CHECK_FALSE(clientsOption("openssl,", &why).has_value());  // an empty name
  CHECK(why.rfind("'' is not", 0) == 0);
  CHECK_FALSE(clientsOption("openssl, go", &why).has_value());
  CHECK_FALSE(clientsOption("nope").has_value());  // *why is optional
}

TEST_CASE("atOption: relative to now, or an RFC 3339 instant") {
  std::string why;
  CHECK(atOption("+30d", kNow, &why) == kNow + 30 * kDay);
  CHECK(atOption("-7d", kNow, &why) == kNow - 7 * kDay);
  CHECK(atOption("+1h30m", kNow, &why) == kNow + Seconds{5400});
  CHECK(atOption("2027-01-01T00:00:00Z", kNow, &why) == fromUnix(1798761600));
  CHECK(atOption("2027-01-01", kNow, &why) == fromUnix(1798761600));
  CHECK(atOption("2027-01-01T02:00:00+02:00", kNow, &why) == fromUnix(1798761600));
  CHECK(why.empty());
  // "" means judge now: no instant, and no complaint.
  CHECK_FALSE(atOption("", kNow, &why).has_value());
  CHECK(why.empty());
}

TEST_CASE("atOption: garbage is refused with the accepted forms") {
  for (const char* text :
       {"garbage", "+", "-", "+30x", "+-7d", "30d", "2027-02-29", "tomorrow", "+30q2h", "+30"}) {
    CAPTURE(text);
    std::string why;
    CHECK_FALSE(atOption(text, kNow, &why).has_value());
    CHECK(why == "'" + std::string(text) +
                     "' is neither an RFC 3339 time (2027-01-01T00:00:00Z) nor +N/-N with a unit "
                     "(+30d)");
  }
  CHECK_FALSE(atOption("garbage", kNow, nullptr).has_value());
}

TEST_CASE("optionProblem: none for sensible options") {
  TargetOptions o;
  CHECK(optionProblem(o).empty());
  o.warn_days = 30;
  o.crit_days = 30;
  o.client_cert = "client.crt";
  o.client_key = "client.key";
  o.clients = "go,rustls";
  o.at = "+30d";
  o.hostname = "bücher.example";
  o.servername = "api.internal";
  CHECK(optionProblem(o).empty());
}

TEST_CASE("optionProblem: each problem in words") {
  TargetOptions o;
  SUBCASE("--crit-days above --warn-days") {
    o.warn_days = 7;
    o.crit_days = 14;
    CHECK(optionProblem(o) == "--crit-days must not exceed --warn-days");
    o.warn_days.reset();  // alone, the other default is not compared
    CHECK(optionProblem(o).empty());
  }
  SUBCASE("--client-key without --client-cert") {
    o.client_key = "client.key";
    CHECK(optionProblem(o) == "--client-key needs --client-cert");
  }
  SUBCASE("--client-cert and --client-pkcs12") {
    o.client_cert = "client.crt";
    o.client_pkcs12 = "client.p12";
    CHECK(optionProblem(o) == "give --client-cert (and --client-key) or --client-pkcs12, not both");
  }
  SUBCASE("bad --clients") {
    o.clients = "openssl,ie6";
    CHECK(optionProblem(o) ==
          "--clients: 'ie6' is not a client family (openssl, go, chromium, rustls, "
          "openssl-strict)");
  }
  SUBCASE("bad --at") {
    o.at = "next week";
    CHECK(optionProblem(o).rfind("--at: 'next week' is neither", 0) == 0);
  }
  SUBCASE("a --hostname with a space") {
    o.hostname = "bü cher";
    CHECK(optionProblem(o) == "--hostname: 'bü cher' is not a host name");
  }
  SUBCASE("an A-label that does not decode: xn--a.b") {
    // Was accepted: toALabel() let every ASCII name through unchecked.
    o.hostname = "xn--a.b";
    CHECK(optionProblem(o).rfind("--hostname: not a valid internationalised name", 0) == 0);
  }
  SUBCASE("an ASCII name with a space") {
    // Was accepted here, while config validation refuses it.
    o.hostname = "bu cher";
    CHECK(optionProblem(o) == "--hostname: 'bu cher' is not a host name");
    o.hostname.clear();
    o.servername = "api internal";
    CHECK(optionProblem(o) == "--servername: 'api internal' is not a host name");
  }
  SUBCASE("an invalid internationalised --servername") {
    o.servername = "bü cher.example";
    CHECK(optionProblem(o).rfind("--servername: ", 0) == 0);
  }
}

TEST_CASE("toALabel: ASCII names unchanged once their A-labels decode") {
  CHECK(config::toALabel("api.internal") == "api.internal");
  CHECK(config::toALabel("bücher.example") == "xn--bcher-kva.example");
  CHECK(config::toALabel("xn--bcher-kva.example") == "xn--bcher-kva.example");
  CHECK(config::toALabel("XN--BCHER-KVA.Example") == "XN--BCHER-KVA.Example");
  CHECK(config::toALabel("*.xn--bcher-kva.example") == "*.xn--bcher-kva.example");
  CHECK(config::toALabel("_dmarc.example") == "_dmarc.example");
  CHECK(config::toALabel("") == "");
  // Decodes, though IDNA 2008 disallows its characters: verifiers compare it as it is.
  CHECK(config::toALabel("xn--bliss-1b3c148a.example.com") == "xn--bliss-1b3c148a.example.com");
  CHECK_FALSE(config::toALabel("xn--.example").has_value());
  std::string why;
  CHECK_FALSE(config::toALabel("xn--a.b", &why).has_value());
  CHECK(why.rfind("not a valid internationalised name: ", 0) == 0);
  CHECK_FALSE(config::toALabel("www.xn--a", &why).has_value());
}

TEST_CASE("looksLikeEndpoint: host:port and [v6]:port that are not files") {
  CHECK(looksLikeEndpoint("api.internal:443"));
  CHECK(looksLikeEndpoint("192.0.2.1:8443"));
  CHECK(looksLikeEndpoint("[2001:db8::1]:443"));
  CHECK(looksLikeEndpoint("localhost:1"));
  CHECK_FALSE(looksLikeEndpoint("/etc/ssl/certs/a.pem"));
  CHECK_FALSE(looksLikeEndpoint("api.internal"));
  CHECK_FALSE(looksLikeEndpoint("api.internal:"));
  CHECK_FALSE(looksLikeEndpoint("api.internal:https"));
  CHECK_FALSE(looksLikeEndpoint("api.internal:123456"));
  CHECK_FALSE(looksLikeEndpoint("2001:db8::1:443"));  // v6 needs brackets
  CHECK_FALSE(looksLikeEndpoint("dir/a.pem:443"));
  CHECK_FALSE(looksLikeEndpoint(""));

  SUBCASE("an existing file with an endpoint-like name is a file") {
    testing::TempDir dir;
    const std::filesystem::path previous = std::filesystem::current_path();
    std::filesystem::current_path(dir.path());
    testing::writeFile(dir / "cert.pem:443", "x");
    const bool file_is_endpoint = looksLikeEndpoint("cert.pem:443");
    const bool other_is_endpoint = looksLikeEndpoint("other.pem:443");
    std::filesystem::current_path(previous);
    CHECK_FALSE(file_is_endpoint);
    CHECK(other_is_endpoint);
  }
}

TEST_CASE("configFrom: endpoints and files from TARGETs, thresholds in days") {
  TargetOptions o;
  o.targets = {"api.internal:443", "/etc/ssl/a.pem"};
  o.warn_days = 30;
  o.crit_days = 5;
  o.clients = "go";
  o.mtls = "required";
  o.hostname = "www.example";
  o.timeout_seconds = 0.2;
  const config::Config c = configFrom(o);
  REQUIRE(c.endpoints.size() == 1);
  REQUIRE(c.files.size() == 1);
  CHECK(c.endpoints[0].address == "api.internal:443");
  CHECK(c.endpoints[0].mtls == config::MtlsMode::Required);
  CHECK(c.files[0].path == "/etc/ssl/a.pem");
  CHECK(c.files[0].hostname == "www.example");
  CHECK(c.clients == ClientSet{Client::Go});
  CHECK(c.thresholds.warning == Seconds{30 * 86400});
  CHECK(c.thresholds.critical == Seconds{5 * 86400});
  CHECK(c.timeout == Seconds{1});  // rounded up, never to zero
  CHECK(c.trust.system);
}

}  // namespace
}  // namespace certvigil::cli
