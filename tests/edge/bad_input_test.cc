// Bad-input sweep: malformed requests of every kind, sent over raw sockets
// to every endpoint. The server must never answer 5xx, never crash, and be
// healthy afterwards.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/test_support.h"

namespace bot::edge {
namespace {

using testing::kJoinFacts;
using testing::kJoinIntents;

using testing::RawConnection;
using testing::StatusOf;

std::string Post(const std::string& path, const std::string& body,
                 const std::string& extra_headers = "") {
  return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" +
         "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\n" + extra_headers + "\r\n" + body;
}

std::string Get(const std::string& path, const std::string& extra_headers = "") {
  return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" +
         extra_headers + "\r\n";
}

// A string literal with embedded NULs, whole.
template <size_t N>
std::string Bytes(const char (&literal)[N]) {
  return std::string(literal, N - 1);
}

struct Case {
  std::string name;
  std::string request;
};

std::vector<Case> BadBodies() {
  std::string deep_array(100000, '[');
  std::string deep_object;
  for (int i = 0; i < 20000; ++i) deep_object += "{\"a\":";
  return {
      {"empty body", ""},
      {"truncated JSON", R"({"text": "When did Bela)"},
      {"truncated after key", R"({"text")"},
      {"huge number as text", R"({"text": 1e999999})"},
      {"huge integer session", R"({"text":"join","session":123456789012345678901234567890123})"},
      {"negative huge", R"({"text":-1e308,"session":-1e308})"},
      {"deep array nesting", deep_array},
      {"deep object nesting", deep_object},
      {"array body", R"(["join"])"},
      {"string body", R"("join")"},
      {"null body", "null"},
      {"text is array", R"({"text":["join"]})"},
      {"text is object", R"({"text":{"join":1}})"},
      {"text is null", R"({"text":null})"},
      {"text is bool", R"({"text":true})"},
      {"session is object", R"({"text":"join","session":{}})"},
      {"duplicate keys", R"({"text":"join","text":"join again"})"},
      {"invalid UTF-8", "{\"text\":\"\xff\xfe join\"}"},
      {"overlong UTF-8", "{\"text\":\"\xc0\xaf\"}"},
      {"UTF-8 surrogate", "{\"text\":\"\xed\xa0\x80\"}"},
      {"truncated UTF-8", "{\"text\":\"join \xe2\x82\"}"},
      {"escaped NUL", R"({"text":"join\u0000now"})"},
      {"raw NUL bytes", Bytes("{\"text\":\"jo\0in\"}")},
      {"NUL before JSON", Bytes("\0{\"text\":\"join\"}")},
      {"lone surrogate escape", R"({"text":"\ud800"})"},
      {"text too long", "{\"text\":\"" + std::string(1500, 'a') + "\"}"},
      {"only whitespace", std::string(8000, ' ')},
      {"control characters", "{\"text\":\"\x01\x02\x1b[31m\"}"},
      {"trailing garbage", R"({"text":"join"} trailing)"},
  };
}

std::vector<Case> BadRequests(int body_limit) {
  std::vector<Case> cases = {
      {"overlong header value", "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " +
                                    std::string(100000, 'a') + "\r\n\r\n"},
      {"many headers", [] {
         std::string r = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
         for (int i = 0; i < 5000; ++i) r += "X-H" + std::to_string(i) + ": v\r\n";
         return r + "\r\n";
       }()},
      {"overlong URI", "GET /" + std::string(100000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n"},
      {"absurd Content-Length", "POST /api/v1/ask HTTP/1.1\r\nHost: x\r\n"
                                "Content-Length: 99999999999999999999999\r\n\r\n{}"},
      {"Content-Length above limit", "POST /api/v1/ask HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                                         std::to_string(body_limit * 100) + "\r\n\r\n{}"},
      {"negative Content-Length", "POST /api/v1/ask HTTP/1.1\r\nHost: x\r\n"
                                  "Content-Length: -5\r\n\r\n{}"},
      {"non-numeric Content-Length", "POST /api/v1/ask HTTP/1.1\r\nHost: x\r\n"
                                     "Content-Length: lots\r\n\r\n{}"},
      {"two Content-Lengths", "POST /api/v1/ask HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
                              "Content-Length: 40\r\n\r\n{}"},
      {"body shorter than Content-Length", "POST /api/v1/ask HTTP/1.1\r\nHost: x\r\n"
                                           "Content-Length: 400\r\n\r\n{\"text\":"},
      {"bad chunk size", "POST /api/v1/ask HTTP/1.1\r\nHost: x\r\n"
                         "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"},
      {"huge chunk size", "POST /api/v1/ask HTTP/1.1\r\nHost: x\r\n"
                          "Transfer-Encoding: chunked\r\n\r\nffffffffffffffff\r\n{}\r\n0\r\n\r\n"},
      {"chunked body above limit", [body_limit] {
         std::string chunk(4096, 'a');
         std::string r = "POST /api/v1/ask HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
         char size[16];
         std::snprintf(size, sizeof size, "%zx", chunk.size());
         for (int i = 0; i * 4096 < body_limit * 4; ++i) r += std::string(size) + "\r\n" + chunk + "\r\n";
         return r + "0\r\n\r\n";
       }()},
      {"garbage request line", "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 garbage\r\n\r\n"},
      {"missing version", "GET /healthz\r\n\r\n"},
      {"unknown method", "BREW /api/v1/ask HTTP/1.1\r\nHost: x\r\n\r\n"},
      {"NUL in path", Bytes("GET /heal\0thz HTTP/1.1\r\nHost: x\r\n\r\n")},
      {"encoded NUL in path", "GET /api/v1/%00ask HTTP/1.1\r\nHost: x\r\n\r\n"},
      {"bad percent encoding", "GET /%zz%%%/%C0%AF HTTP/1.1\r\nHost: x\r\n\r\n"},
      {"header without colon", "GET /healthz HTTP/1.1\r\nHost x\r\nbroken\r\n\r\n"},
      {"LF-only line ends", "GET /healthz HTTP/1.1\nHost: x\n\n"},
      {"invalid UTF-8 in header", "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: \xff\xfe\r\n\r\n"},
      {"HTTP/0.9 style", "GET /\r\n"},
      {"only CRLFs", "\r\n\r\n\r\n\r\n"},
      {"absurd Range", "GET /api/v1/facts HTTP/1.1\r\nHost: x\r\nRange: bytes=99999999999-1,0-0,5-2\r\n\r\n"},
  };
  return cases;
}

edge::HttpOptions SweepOptions() {
  edge::HttpOptions options;
  options.read_timeout_ms = 500;  // so truncated bodies end quickly
  options.max_body_bytes = 16 * 1024;
  return options;
}

void ExpectHealthy(int port) {
  RawConnection health(port);
  REQUIRE(health.Send(Get("/healthz")));
  CHECK(StatusOf(health.ReadResponse()) == 200);
  RawConnection ask(port);
  REQUIRE(ask.Send(Post("/api/v1/ask", R"({"text":"When did Belarus join?"})")));
  std::string reply = ask.ReadResponse();
  CHECK(StatusOf(reply) == 200);
  CHECK(reply.find("1992") != std::string::npos);
}

TEST_CASE("Malformed bodies on every POST endpoint get a 4xx, never a 5xx", "[bad_input]") {
  testing::LoopbackServer server(testing::KnowledgeFromYaml(kJoinFacts, kJoinIntents), SweepOptions());
  for (const std::string path : {"/api/v1/ask", "/api/v1/explain", "/healthz", "/nope"}) {
    for (const auto& c : BadBodies()) {
      CAPTURE(path, c.name);
      RawConnection conn(server.port());
      conn.Send(Post(path, c.request));
      int status = StatusOf(conn.ReadResponse());
      CHECK(status >= 200);
      CHECK(status < 500);
      if (path == "/api/v1/ask" && c.name != "escaped NUL" && c.name != "duplicate keys") {
        CHECK(status >= 400);  // none of these is a valid question
      }
    }
  }
  ExpectHealthy(server.port());
}

TEST_CASE("Malformed requests and headers never get a 5xx or crash the server",
          "[bad_input]") {
  edge::HttpOptions options = SweepOptions();
  testing::LoopbackServer server(testing::KnowledgeFromYaml(kJoinFacts, kJoinIntents), options);
  for (const auto& c : BadRequests(static_cast<int>(options.max_body_bytes))) {
    CAPTURE(c.name);
    RawConnection conn(server.port());
    conn.Send(c.request);
    int status = StatusOf(conn.ReadResponse());
    CAPTURE(status);
    CHECK(status < 500);  // 0: the server just closed the connection
  }
  for (const std::string path : {"/healthz", "/readyz", "/metrics", "/api/v1/intents",
                                 "/api/v1/facts", "/api/v1/ask", "/nope"}) {
    for (const std::string method : {"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"}) {
      CAPTURE(path, method);
      RawConnection conn(server.port());
      conn.Send(method + " " + path + "?q=%ff%00&x=" + std::string(2000, 'q') +
                " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 4\r\n\r\n{]}\x01");
      int status = StatusOf(conn.ReadResponse(method == "HEAD"));
      CHECK(status >= 200);
      CHECK(status < 500);
    }
  }
  ExpectHealthy(server.port());
}

TEST_CASE("A client trickling slower than the read timeout is disconnected", "[bad_input]") {
  edge::HttpOptions options = SweepOptions();
  options.read_timeout_ms = 200;
  testing::LoopbackServer server(testing::KnowledgeFromYaml(kJoinFacts, kJoinIntents), options);
  RawConnection slow(server.port());
  std::string request = Post("/api/v1/ask", R"({"text":"join"})");
  bool still_open = true;
  // One byte every 400 ms: the server stops waiting after the first gap.
  for (size_t i = 0; i < 6 && still_open; ++i) {
    still_open = slow.Send(request.substr(i, 1));
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
  }
  std::string reply = slow.ReadResponse();  // EOF (or a 4xx), not a hang
  CHECK(StatusOf(reply) < 500);
  CHECK(reply.find("1992") == std::string::npos);
  ExpectHealthy(server.port());
}

}  // namespace
}  // namespace bot::edge
