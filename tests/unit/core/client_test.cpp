// SPDX-License-Identifier: Apache-2.0
// core/client.h: the client-family set, the config spelling round trip and the wording of
// messages that name clients.
#include "core/client.h"

#include <doctest/doctest.h>

namespace certvigil {
namespace {

TEST_CASE("ClientSet: contains, union, intersection, complement") {
  const ClientSet openssl_go{Client::OpenSsl, Client::Go};
  CHECK(openssl_go.contains(Client::OpenSsl));
  CHECK(openssl_go.contains(Client::Go));
  CHECK_FALSE(openssl_go.contains(Client::Chromium));
  CHECK_FALSE(openssl_go.empty());
  CHECK(ClientSet{}.empty());

  const ClientSet go_rustls{Client::Go, Client::Rustls};
  CHECK((openssl_go | go_rustls) == ClientSet{Client::OpenSsl, Client::Go, Client::Rustls});
  CHECK((openssl_go & go_rustls) == ClientSet{Client::Go});
  CHECK(openssl_go.intersects(go_rustls));
  CHECK_FALSE(openssl_go.intersects(ClientSet{Client::Chromium}));
  CHECK_FALSE(ClientSet{}.intersects(ClientSet::all()));

  CHECK(openssl_go.complement() ==
        ClientSet{Client::Chromium, Client::Rustls, Client::OpenSslStrict});
  CHECK(ClientSet::all().complement().empty());
  CHECK(ClientSet{}.complement() == ClientSet::all());
  CHECK((openssl_go | openssl_go.complement()) == ClientSet::all());
}

TEST_CASE("ClientSet: defaults are the four mainstream families, all adds strict OpenSSL") {
  const ClientSet defaults = ClientSet::defaults();
  CHECK(defaults.contains(Client::OpenSsl));
  CHECK(defaults.contains(Client::Go));
  CHECK(defaults.contains(Client::Chromium));
  CHECK(defaults.contains(Client::Rustls));
  CHECK_FALSE(defaults.contains(Client::OpenSslStrict));
  CHECK(ClientSet::all().contains(Client::OpenSslStrict));
  CHECK(ClientSet::all().bits() == 0x1f);
  CHECK(defaults.complement() == ClientSet{Client::OpenSslStrict});
}

TEST_CASE("clientFromString reads back toString for every family") {
  REQUIRE(allClients().size() == 5);
  for (Client c : allClients()) {
    CAPTURE(toString(c));
    const auto back = clientFromString(toString(c));
    REQUIRE(back.has_value());
    CHECK(*back == c);
    CHECK_FALSE(displayName(c).empty());
  }
  CHECK(toString(Client::OpenSsl) == "openssl");
  CHECK(toString(Client::Go) == "go");
  CHECK(toString(Client::Chromium) == "chromium");
  CHECK(toString(Client::Rustls) == "rustls");
  CHECK(toString(Client::OpenSslStrict) == "openssl-strict");
  CHECK(displayName(Client::OpenSslStrict) == "strict OpenSSL (Python 3.13+)");
}

TEST_CASE("clientFromString rejects unknown and differently spelled names") {
  CHECK_FALSE(clientFromString("").has_value());
  CHECK_FALSE(clientFromString("OpenSSL").has_value());
  CHECK_FALSE(clientFromString("openssl ").has_value());
  CHECK_FALSE(clientFromString("boringssl").has_value());
  CHECK_FALSE(clientFromString("openssl,go").has_value());
}

TEST_CASE("describeClients joins display names with commas and a final 'and'") {
  CHECK(describeClients(ClientSet{}) == "");
  CHECK(describeClients(ClientSet{Client::Rustls}) == "rustls");
  CHECK(describeClients(ClientSet{Client::OpenSsl, Client::Go}) == "OpenSSL and Go");
  CHECK(describeClients(ClientSet{Client::Go, Client::Chromium, Client::Rustls}) ==
        "Go, Chromium and rustls");
  // Display order, not the order the set was written in.
  CHECK(describeClients(ClientSet{Client::Rustls, Client::OpenSsl}) == "OpenSSL and rustls");
  CHECK(describeClients(ClientSet::all()) ==
        "OpenSSL, Go, Chromium, rustls and strict OpenSSL (Python 3.13+)");
}

TEST_CASE("clientListText is the config spelling, comma-separated, in display order") {
  CHECK(clientListText(ClientSet{}) == "");
  CHECK(clientListText(ClientSet{Client::Go}) == "go");
  CHECK(clientListText(ClientSet{Client::Go, Client::OpenSsl}) == "openssl,go");
  CHECK(clientListText(ClientSet::defaults()) == "openssl,go,chromium,rustls");
  CHECK(clientListText(ClientSet::all()) == "openssl,go,chromium,rustls,openssl-strict");
}

}  // namespace
}  // namespace certvigil
