// RequestFramer on strings: what reaches httplib, and what is refused with
// which status, for every framing rule.
#include "bot/edge/http_framing.h"

#include <catch2/catch.hpp>

#include <string>
#include <tuple>

namespace bot::edge {
namespace {

using namespace std::string_literals;

BodyRule RuleFor(std::string_view method, std::string_view path) {
  if (path == "/ask") return BodyRule{64, true};
  return BodyRule{16, false};
}

struct Framed {
  RequestFramer::State state;
  int status = 0;
  std::string bytes;  // the canonical request when ready
  std::string left;   // what stays in the buffer
  bool keep_alive = true;
};

Framed Frame(std::string input, FramingLimits limits = {}) {
  RequestFramer framer(limits, RuleFor);
  Framed out;
  out.state = framer.Feed(&input);
  if (out.state == RequestFramer::State::kReady) {
    FramedRequest r = framer.Take();
    out.bytes = r.bytes;
    out.keep_alive = r.keep_alive;
  }
  out.status = framer.status();
  out.left = input;
  return out;
}

// Feeds `input` one byte at a time, as a trickling client sends it.
Framed FrameByteByByte(const std::string& input) {
  RequestFramer framer(FramingLimits{}, RuleFor);
  std::string buffer;
  RequestFramer::State state = RequestFramer::State::kNeedMore;
  for (char c : input) {
    buffer += c;
    state = framer.Feed(&buffer);
    if (state != RequestFramer::State::kNeedMore) break;
  }
  Framed out;
  out.state = state;
  if (state == RequestFramer::State::kReady) out.bytes = framer.Take().bytes;
  out.status = framer.status();
  return out;
}

}  // namespace

TEST_CASE("A framed request reaches httplib with one canonical Content-Length",
          "[http_framing]") {
  Framed f = Frame("POST /ask HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}");
  REQUIRE(f.state == RequestFramer::State::kReady);
  CHECK(f.bytes == "POST /ask HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}");
  CHECK(f.left.empty());

  Framed get = Frame("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  REQUIRE(get.state == RequestFramer::State::kReady);
  CHECK(get.bytes == "GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
}

TEST_CASE("Bytes after a request stay buffered for the next one", "[http_framing]") {
  const std::string first = "POST /ask HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}";
  const std::string second = "GET /facts HTTP/1.1\r\nHost: x\r\n\r\n";
  RequestFramer framer(FramingLimits{}, RuleFor);
  std::string buffer = first + second;
  REQUIRE(framer.Feed(&buffer) == RequestFramer::State::kReady);
  CHECK(framer.Take().bytes.find("POST /ask") == 0);
  CHECK(buffer == second);
  REQUIRE(framer.Feed(&buffer) == RequestFramer::State::kReady);
  CHECK(framer.Take().bytes.find("GET /facts") == 0);
  CHECK(buffer.empty());
}

TEST_CASE("A body over the route's limit is refused before it is read: no smuggling",
          "[http_framing]") {
  // The body holds a whole request; refusing without reading it must not
  // let it be parsed as the next one, so the framer refuses and the
  // connection closes.
  Framed f = Frame("POST /ask HTTP/1.1\r\nHost: x\r\nContent-Length: 20000\r\n\r\n"
                   "GET /facts HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(f.state == RequestFramer::State::kRefused);
  CHECK(f.status == 413);
  Framed within = Frame("POST /ask HTTP/1.1\r\nHost: x\r\nContent-Length: 64\r\n\r\n");
  CHECK(within.state == RequestFramer::State::kNeedMore);
}

TEST_CASE("Content-Length must be plain digits, once", "[http_framing]") {
  auto [value, status] = GENERATE(table<std::string, int>({
      {"42abc", 400}, {"+42", 400}, {"042", 400}, {"1e3", 400}, {"-1", 400},
      {"", 400},      {"4 2", 400}, {"0x10", 400}, {"99999999999999999999", 400},
  }));
  CAPTURE(value);
  Framed f = Frame("POST /ask HTTP/1.1\r\nHost: x\r\nContent-Length: " + value + "\r\n\r\n");
  CHECK(f.state == RequestFramer::State::kRefused);
  CHECK(f.status == status);

  SECTION("leading and trailing white space is allowed around a valid value") {
    Framed ok = Frame("POST /ask HTTP/1.1\r\nHost: x\r\nContent-Length:  2 \r\n\r\n{}");
    CHECK(ok.state == RequestFramer::State::kReady);
  }
  SECTION("two values are refused, even when equal") {
    CHECK(Frame("POST /ask HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n")
              .status == 400);
    CHECK(Frame("POST /ask HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n")
              .status == 400);
    CHECK(Frame("POST /ask HTTP/1.1\r\nHost: x\r\nContent-Length: 2, 2\r\n\r\n").status == 400);
  }
}

TEST_CASE("A request without a body where the route needs one is 411; elsewhere it is empty",
          "[http_framing]") {
  Framed ask = Frame("POST /ask HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(ask.state == RequestFramer::State::kRefused);
  CHECK(ask.status == 411);
  Framed reload = Frame("POST /admin/reload HTTP/1.1\r\nHost: x\r\n\r\n");
  REQUIRE(reload.state == RequestFramer::State::kReady);
  CHECK(reload.bytes.find("Content-Length: 0\r\n\r\n") != std::string::npos);
}

TEST_CASE("Chunked bodies are decoded, bounded as decoded, and passed on with a length",
          "[http_framing]") {
  const std::string head = "POST /ask HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  Framed f = Frame(head + "2\r\n{\"\r\n3;ext=1\r\n}  \r\n0\r\nTrailer: x\r\n\r\n");
  REQUIRE(f.state == RequestFramer::State::kReady);
  CHECK(f.bytes == "POST /ask HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n{\"}  ");
  CHECK(FrameByteByByte(head + "2\r\n{}\r\n0\r\n\r\n").state == RequestFramer::State::kReady);

  SECTION("over the route's limit in total, across chunks") {
    Framed big = Frame(head + "20\r\n" + std::string(32, 'a') + "\r\n21\r\n");
    CHECK(big.state == RequestFramer::State::kRefused);
    CHECK(big.status == 413);
  }
  SECTION("malformed chunk sizes and endings") {
    CHECK(Frame(head + "zz\r\n").status == 400);
    CHECK(Frame(head + "2\r\nabXY").status == 400);
    CHECK(Frame(head + "fffffffffffffffff\r\n").status == 400);
    CHECK(Frame(head + std::string(2000, '1')).status == 400);
  }
  SECTION("with Content-Length as well, or another coding") {
    CHECK(Frame("POST /ask HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
                "Transfer-Encoding: chunked\r\n\r\n")
              .status == 400);
    CHECK(Frame("POST /ask HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n")
              .status == 501);
  }
}

TEST_CASE("Compressed request bodies are refused with 415 before any byte is decoded",
          "[http_framing]") {
  for (const char* coding : {"gzip", "br", "deflate", "GZIP"}) {
    CAPTURE(coding);
    Framed f = Frame(std::string("POST /ask HTTP/1.1\r\nHost: x\r\nContent-Encoding: ") + coding +
                     "\r\nContent-Length: 4\r\n\r\nabcd");
    CHECK(f.status == 415);
  }
  CHECK(Frame("POST /ask HTTP/1.1\r\nHost: x\r\nContent-Encoding: identity\r\n"
              "Content-Length: 2\r\n\r\n{}")
            .state == RequestFramer::State::kReady);
}

TEST_CASE("Range headers never reach httplib", "[http_framing]") {
  Framed f = Frame("GET /healthz HTTP/1.1\r\nHost: x\r\nRange: bytes=0-3\r\n"
                   "If-Range: x\r\n\r\n");
  REQUIRE(f.state == RequestFramer::State::kReady);
  CHECK(f.bytes.find("Range") == std::string::npos);
}

TEST_CASE("The head is bounded: request line 414, header block and field count 431",
          "[http_framing]") {
  FramingLimits limits;
  SECTION("a long request line, complete or not") {
    std::string line = "GET /" + std::string(limits.max_request_line, 'a');
    CHECK(Frame(line + " HTTP/1.1\r\nHost: x\r\n\r\n").status == 414);
    CHECK(Frame(line).status == 414);
  }
  SECTION("too many fields") {
    std::string head = "GET / HTTP/1.1\r\nHost: x\r\n";
    for (size_t i = 0; i < limits.max_header_fields; ++i) head += "A: b\r\n";
    CHECK(Frame(head + "\r\n").status == 431);
  }
  SECTION("too many bytes, as they arrive and before the blank line") {
    std::string head = "GET / HTTP/1.1\r\nHost: x\r\nA: " + std::string(limits.max_head_bytes, 'b');
    Framed f = Frame(head);
    CHECK(f.state == RequestFramer::State::kRefused);
    CHECK(f.status == 431);
  }
  SECTION("the limit itself is allowed") {
    std::string head = "GET / HTTP/1.1\r\nHost: x\r\n";
    for (size_t i = 1; i < limits.max_header_fields; ++i) head += "A: b\r\n";
    CHECK(Frame(head + "\r\n").state == RequestFramer::State::kReady);
  }
}

TEST_CASE("Malformed heads are refused with 400 or 505", "[http_framing]") {
  auto [head, status] = GENERATE(table<std::string, int>({
      {"GET / HTTP/1.1\nHost: x\n\n", 400},             // bare LF
      {"GET / HTTP/1.1\r\nHost: x\rY: z\r\n\r\n", 400},  // bare CR
      {"GET  / HTTP/1.1\r\nHost: x\r\n\r\n", 400},
      {"GET / HTTP/1.1 extra\r\nHost: x\r\n\r\n", 400},
      {"GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505},
      {"GET / FOO\r\nHost: x\r\n\r\n", 400},
      {"G(T / HTTP/1.1\r\nHost: x\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\n\r\n", 400},  // no Host
      {"GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nHost: x\r\nBad Name: y\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nHost: x\r\nName : y\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nHost: x\r\nNo-colon\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nHost: x\r\nA: b\r\n folded\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nHost: x\r\nA: b\0c\r\n\r\n"s, 400},
      {"GET /\x01 HTTP/1.1\r\nHost: x\r\n\r\n", 400},
      {"POST /ask HTTP/1.1\r\nHost: x\r\nExpect: magic\r\nContent-Length: 2\r\n\r\n{}", 417},
  }));
  CAPTURE(head);
  Framed f = Frame(head);
  CHECK(f.state == RequestFramer::State::kRefused);
  CHECK(f.status == status);
}

TEST_CASE("Keep-alive follows the version and the Connection header", "[http_framing]") {
  CHECK(Frame("GET / HTTP/1.1\r\nHost: x\r\n\r\n").keep_alive);
  Framed close = Frame("GET / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive, Close\r\n\r\n");
  CHECK_FALSE(close.keep_alive);
  CHECK(close.bytes.find("Connection: close\r\n") != std::string::npos);
  CHECK_FALSE(Frame("GET / HTTP/1.0\r\n\r\n").keep_alive);
  Framed ten = Frame("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  CHECK(ten.keep_alive);
  CHECK(ten.bytes.find("Connection") == std::string::npos);
}

TEST_CASE("A trickled request frames the same as one sent at once", "[http_framing]") {
  const std::string request = "\r\nPOST /ask HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}";
  Framed slow = FrameByteByByte(request);
  REQUIRE(slow.state == RequestFramer::State::kReady);
  CHECK(slow.bytes == Frame(request).bytes);
}

TEST_CASE("Expect: 100-continue is answered once the head is accepted", "[http_framing]") {
  RequestFramer framer(FramingLimits{}, RuleFor);
  std::string buffer = "POST /ask HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n";
  REQUIRE(framer.Feed(&buffer) == RequestFramer::State::kNeedMore);
  CHECK(framer.TakeContinue());
  CHECK_FALSE(framer.TakeContinue());
  buffer = "{}";
  REQUIRE(framer.Feed(&buffer) == RequestFramer::State::kReady);
  CHECK(framer.Take().bytes.find("Expect") == std::string::npos);
}

}  // namespace bot::edge
