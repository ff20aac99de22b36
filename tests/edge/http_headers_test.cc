#include "bot/edge/http_headers.h"

#include <catch2/catch.hpp>

namespace bot::edge {
namespace {

TEST_CASE("HeaderValue finds a header in any case, as get_header_value does", "[http]") {
  httplib::Request req;
  req.headers.emplace("Host", "127.0.0.1");
  req.headers.emplace("content-length", "42");
  req.headers.emplace("X-REQUEST-ID", "first");
  req.headers.emplace("x-request-id", "second");
  req.headers.emplace("Content-Type", "application/json");

  for (const char* name : {"Content-Length", "X-Request-Id", "content-type", "HOST", "Accept",
                           "Content-Lengt", "X-Request-Idd", ""}) {
    CAPTURE(name);
    CHECK(HeaderValue(req.headers, name) == req.get_header_value(name));
  }
  CHECK(HeaderValue(req.headers, "x-request-ID") == "first");  // the first of a repeat
  CHECK(HeaderValue(req.headers, "Accept").empty());
}

}  // namespace
}  // namespace bot::edge
