// Who may talk to `trygg serve`: the Host and Origin rules that stop other sites and DNS
// rebinding, and the token that any address other than localhost needs.
#include <catch2/catch.hpp>

#include "trygg/web/server.hpp"

using trygg::web::Gate;

TEST_CASE("a localhost server takes its own Host and refuses every other", "[web]") {
  const Gate gate("127.0.0.1", 8080, "");
  for (const char* host : {"127.0.0.1:8080", "localhost:8080", "[::1]:8080"}) {
    CHECK(gate.check(host, "", "", "", "").status == 0);
  }
  // DNS rebinding: a name the attacker controls now points at 127.0.0.1.
  CHECK(gate.check("attacker.example:8080", "", "", "", "").status == 421);
  CHECK(gate.check("localhost:8081", "", "", "", "").status == 421);
  CHECK(gate.check("", "", "", "", "").status == 421);
  CHECK(gate.check("localhost", "", "", "", "").status == 421);  // port 80 only
}

TEST_CASE("a request from another site's page is refused by its Origin", "[web]") {
  const Gate gate("127.0.0.1", 8080, "");
  CHECK(gate.check("127.0.0.1:8080", "http://127.0.0.1:8080", "", "", "").status == 0);
  CHECK(gate.check("localhost:8080", "http://localhost:8080", "", "", "").status == 0);
  CHECK(gate.check("127.0.0.1:8080", "http://evil.example", "", "", "").status == 403);
  CHECK(gate.check("127.0.0.1:8080", "https://127.0.0.1:8080", "", "", "").status == 403);
  CHECK(gate.check("127.0.0.1:8080", "null", "", "", "").status == 403);
  CHECK(gate.check("127.0.0.1:8080", "http://127.0.0.1:9090", "", "", "").status == 403);
}

TEST_CASE("a server with a token refuses every request without it", "[web]") {
  const std::string token = "0123456789abcdef0123456789abcdef";
  const Gate gate("0.0.0.0", 8080, token);
  const auto verdict = gate.check("192.0.2.7:8080", "", "", "", "");
  CHECK(verdict.status == 401);
  CHECK(verdict.reason.find("token") != std::string::npos);
  CHECK(gate.check("192.0.2.7:8080", "", "Bearer " + token, "", "").status == 0);
  CHECK(gate.check("192.0.2.7:8080", "", "", token, "").status == 0);
  CHECK(gate.check("192.0.2.7:8080", "", "", "", "a=1; " + gate.token_cookie() + "=" + token)
            .status == 0);
  CHECK(gate.check("192.0.2.7:8080", "", "Bearer " + token.substr(1), "", "").status == 401);
  CHECK(gate.check("192.0.2.7:8080", "", "", token + "0", "").status == 401);
  CHECK(gate.check("192.0.2.7:8080", "", "", "", "trygg_token9999=" + token).status == 401);
  // Bound to every address, the port still has to be the server's.
  CHECK(gate.check("192.0.2.7:9999", "", "Bearer " + token, "", "").status == 421);
}

TEST_CASE("tokens are compared whole and generated unguessable", "[web]") {
  CHECK(trygg::web::same_token("abc", "abc"));
  CHECK_FALSE(trygg::web::same_token("abd", "abc"));
  CHECK_FALSE(trygg::web::same_token("ab", "abc"));
  CHECK_FALSE(trygg::web::same_token("abcd", "abc"));
  CHECK_FALSE(trygg::web::same_token("", ""));
  const std::string one = trygg::web::generate_token();
  const std::string two = trygg::web::generate_token();
  CHECK(one.size() == 32);
  CHECK(one != two);
  CHECK(one.find_first_not_of("0123456789abcdef") == std::string::npos);
}

TEST_CASE("only loopback addresses count as local", "[web]") {
  CHECK(trygg::web::is_loopback("127.0.0.1"));
  CHECK(trygg::web::is_loopback("127.0.0.2"));
  CHECK(trygg::web::is_loopback("::1"));
  CHECK(trygg::web::is_loopback("localhost"));
  CHECK_FALSE(trygg::web::is_loopback("0.0.0.0"));
  CHECK_FALSE(trygg::web::is_loopback("192.168.1.5"));
  CHECK_FALSE(trygg::web::is_loopback("::"));
  CHECK_FALSE(trygg::web::is_loopback("1127.0.0.1"));
}
