// libFuzzer target: RequestFramer on arbitrary bytes, fed in pieces whose
// sizes come from the input. It must never crash, keep memory bounded by
// its limits, and every request it passes on must be canonical: one head
// ending in a blank line, with a Content-Length equal to the body that
// follows, and no Range, Transfer-Encoding or Content-Encoding.
#include <cstddef>
#include <cstdint>
#include <algorithm>
#include <cstdlib>
#include <string>
#include <string_view>

#include "bot/edge/http_framing.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

void CheckCanonical(const std::string& bytes, size_t max_body) {
  size_t end = bytes.find("\r\n\r\n");
  Check(end != std::string::npos);
  std::string head = bytes.substr(0, end + 2);
  size_t at = head.find("\r\nContent-Length: ");
  Check(at != std::string::npos);
  size_t length = std::strtoul(head.c_str() + at + 18, nullptr, 10);
  Check(bytes.size() == end + 4 + length);
  Check(length <= max_body);
  for (const char* dropped : {"\r\nRange:", "\r\nTransfer-Encoding:", "\r\nContent-Encoding:"}) {
    Check(head.find(dropped) == std::string::npos);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const size_t piece = 1 + data[0] % 64;  // how the bytes arrive
  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  bot::edge::FramingLimits limits;
  limits.max_request_line = 256;
  limits.max_head_bytes = 512;
  limits.max_header_fields = 8;
  constexpr size_t kMaxBody = 64;
  bot::edge::RequestFramer framer(limits, [](std::string_view, std::string_view path) {
    return bot::edge::BodyRule{kMaxBody, path == "/ask"};
  });
  std::string buffer;
  for (size_t at = 0; at < input.size(); at += piece) {
    buffer.append(input.substr(at, piece));
    while (true) {
      auto state = framer.Feed(&buffer);
      if (state == bot::edge::RequestFramer::State::kRefused) {
        Check(framer.status() >= 400 && framer.status() < 600);
        return 0;
      }
      if (state == bot::edge::RequestFramer::State::kNeedMore) break;
      CheckCanonical(framer.Take().bytes, kMaxBody);
    }
    // Unconsumed bytes stay below the head (or chunk-size line) limit plus one
    // piece: a body in progress is consumed as it arrives.
    Check(buffer.size() <= std::max<size_t>(limits.max_head_bytes, 1024) + 64);
  }
  return 0;
}
