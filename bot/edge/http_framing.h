// HTTP/1.1 request framing, decided before cpp-httplib sees a byte.
//
// httplib 0.11.4 trusts the wire more than a server exposed to the internet
// may: it reads `Content-Length: 42abc` as 42, decompresses gzip bodies
// before any limit, accepts chunked bodies and header blocks of any size,
// applies `Range` to every reply, and leaves an unread body on the socket to
// be parsed as the next request. So each request is framed here first:
// the head is bounded and validated, the body is bounded per route and read
// whole (chunked bodies decoded), and httplib is then handed one canonical
// request: the request line, the headers it may see, and `Content-Length`.
//
// No sockets here: a RequestFramer consumes bytes from a buffer, so every
// rule is tested on strings (tests/edge/http_framing_test.cc). Not
// thread-safe; one framer per connection.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace bot::edge {

struct FramingLimits {
  size_t max_request_line = 8 * 1024;  // 414 above
  size_t max_head_bytes = 16 * 1024;   // request line and headers; 431 above
  size_t max_header_fields = 100;      // 431 above
};

// What a route allows as a body.
struct BodyRule {
  size_t max_bytes = 16 * 1024;  // as received and as decoded: 413 above
  bool required = false;         // no Content-Length and not chunked: 411
};

// The route's rule for a request line's method and path (query removed).
using BodyRuleFor = std::function<BodyRule(std::string_view method, std::string_view path)>;

// A request ready for httplib.
struct FramedRequest {
  std::string method;
  std::string path;       // the target without its query, for route labels
  std::string bytes;      // canonical head + body, as httplib reads them
  bool keep_alive = true; // the client's wish (version and Connection)
};

class RequestFramer {
 public:
  enum class State { kNeedMore, kReady, kRefused };

  RequestFramer(FramingLimits limits, BodyRuleFor rule_for);

  // Consumes what it can of `buffer` (bytes of this request and possibly of
  // pipelined ones after it); erases what it consumed. kReady: take(). kRefused:
  // status() and message() say why; the connection must be closed after the
  // refusal, as its framing is lost.
  State Feed(std::string* buffer);

  // Whether any byte of a request has been consumed (an idle keep-alive
  // connection has none).
  bool started() const { return started_ || phase_ != Phase::kHead; }
  // After kNeedMore: whether the client waits for `100 Continue` before it
  // sends the body; true once, when the head is accepted.
  bool TakeContinue();

  // After kReady: the request; the framer is then ready for the next one.
  FramedRequest Take();

  int status() const { return status_; }
  const std::string& message() const { return message_; }
  // The method and path of a refused request, when its request line was read.
  const std::string& method() const { return request_.method; }
  const std::string& path() const { return request_.path; }

 private:
  enum class Phase { kHead, kBody, kChunkSize, kChunkData, kChunkDataEnd, kTrailers, kDone };
  State Refuse(int status, std::string message);
  State ParseHead(std::string_view head);
  State FeedChunked(std::string* buffer, size_t* pos);
  void Finish();

  FramingLimits limits_;
  BodyRuleFor rule_for_;
  Phase phase_ = Phase::kHead;
  size_t scanned_ = 0;  // bytes of the head already searched for its end
  bool started_ = false;
  BodyRule rule_;
  uint64_t remaining_ = 0;  // of a Content-Length body or of a chunk
  size_t trailer_bytes_ = 0;
  bool expect_continue_ = false;
  std::string head_;  // canonical head so far, without Content-Length
  std::string body_;
  FramedRequest request_;
  int status_ = 0;
  std::string message_;
};

}  // namespace bot::edge
