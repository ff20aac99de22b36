#include "bot/edge/http_framing.h"

#include <utility>

namespace bot::edge {
namespace {

constexpr size_t kMaxChunkSizeLine = 1024;

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

// RFC 9110 tchar: the characters of a method or a field name.
bool IsTokenChar(unsigned char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
    case '-': case '.': case '^': case '_': case '`': case '|': case '~':
      return true;
    default:
      return false;
  }
}

bool IsToken(std::string_view s) {
  if (s.empty()) return false;
  for (unsigned char c : s) {
    if (!IsTokenChar(c)) return false;
  }
  return true;
}

std::string_view TrimWhitespace(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Digits only, no sign, no leading zero, at most 18 digits (fits uint64).
bool ParseContentLength(std::string_view s, uint64_t* value) {
  if (s.empty() || s.size() > 18 || (s.size() > 1 && s[0] == '0')) return false;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  *value = v;
  return true;
}

// Whether the comma-separated list `value` holds `token` (case-insensitive).
bool ListHas(std::string_view value, std::string_view token) {
  while (!value.empty()) {
    size_t comma = value.find(',');
    if (EqualsNoCase(TrimWhitespace(value.substr(0, comma)), token)) return true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace

RequestFramer::RequestFramer(FramingLimits limits, BodyRuleFor rule_for)
    : limits_(limits), rule_for_(std::move(rule_for)) {}

RequestFramer::State RequestFramer::Refuse(int status, std::string message) {
  status_ = status;
  message_ = std::move(message);
  return State::kRefused;
}

bool RequestFramer::TakeContinue() { return std::exchange(expect_continue_, false); }

FramedRequest RequestFramer::Take() {
  FramedRequest request = std::move(request_);
  request_ = FramedRequest{};
  phase_ = Phase::kHead;
  scanned_ = 0;
  started_ = false;
  head_.clear();
  body_.clear();
  return request;
}

void RequestFramer::Finish() {
  request_.bytes = std::move(head_);
  request_.bytes += "Content-Length: ";
  request_.bytes += std::to_string(body_.size());
  request_.bytes += "\r\n\r\n";
  request_.bytes += body_;
  head_.clear();
  body_.clear();
  phase_ = Phase::kDone;
}

RequestFramer::State RequestFramer::Feed(std::string* buffer) {
  if (phase_ == Phase::kDone) return State::kReady;
  size_t pos = 0;
  if (phase_ == Phase::kHead) {
    // Empty lines before a request line are allowed (RFC 9112 2.2).
    if (scanned_ == 0) {
      while (pos + 1 < buffer->size() && (*buffer)[pos] == '\r' && (*buffer)[pos + 1] == '\n') {
        pos += 2;
      }
      if (pos > 0) buffer->erase(0, pos);
      pos = 0;
      if (buffer->size() == 1 && (*buffer)[0] == '\r') return State::kNeedMore;
    }
    // Every line ends in CRLF: a bare CR or LF is how framing confusion
    // between a proxy and a server starts, so it is refused at once.
    size_t end = std::string::npos;
    for (size_t i = scanned_; i < buffer->size(); ++i) {
      char c = (*buffer)[i];
      if (c == '\n' && (i == 0 || (*buffer)[i - 1] != '\r')) {
        return Refuse(400, "lines must end with CRLF");
      }
      if (c == '\r' && i + 1 < buffer->size() && (*buffer)[i + 1] != '\n') {
        return Refuse(400, "lines must end with CRLF");
      }
      if (c == '\n' && i >= 3 && (*buffer)[i - 2] == '\n') {
        end = i + 1;
        break;
      }
    }
    if (end == std::string::npos) {
      // Rescan only the last byte: it may be a CR that the next read completes.
      scanned_ = buffer->empty() ? 0 : buffer->size() - 1;
      started_ = started_ || !buffer->empty();
      size_t line_end = buffer->find("\r\n");
      if ((line_end == std::string::npos ? buffer->size() : line_end) > limits_.max_request_line) {
        return Refuse(414, "request line too long");
      }
      if (buffer->size() > limits_.max_head_bytes) {
        return Refuse(431, "request headers too large");
      }
      return State::kNeedMore;
    }
    if (end > limits_.max_head_bytes) {
      size_t line_end = buffer->find("\r\n");
      if (line_end > limits_.max_request_line) return Refuse(414, "request line too long");
      return Refuse(431, "request headers too large");
    }
    State state = ParseHead(std::string_view(*buffer).substr(0, end - 2));
    if (state == State::kRefused) return state;
    pos = end;
    if (phase_ == Phase::kDone) {
      buffer->erase(0, pos);
      return State::kReady;
    }
  }
  if (phase_ == Phase::kBody) {
    size_t take = static_cast<size_t>(std::min<uint64_t>(remaining_, buffer->size() - pos));
    body_.append(*buffer, pos, take);
    pos += take;
    remaining_ -= take;
    if (remaining_ == 0) Finish();
  } else {
    State state = FeedChunked(buffer, &pos);
    if (state == State::kRefused) return state;
  }
  buffer->erase(0, pos);
  return phase_ == Phase::kDone ? State::kReady : State::kNeedMore;
}

RequestFramer::State RequestFramer::ParseHead(std::string_view head) {
  // head: the request line and header lines, each ended by CRLF except the
  // last, without the blank line.
  size_t line_end = head.find("\r\n");
  std::string_view line = head.substr(0, line_end);
  if (line.size() > limits_.max_request_line) return Refuse(414, "request line too long");
  size_t sp1 = line.find(' ');
  size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos) {
    return Refuse(400, "malformed request line");
  }
  std::string_view method = line.substr(0, sp1);
  std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  std::string_view version = line.substr(sp2 + 1);
  if (!IsToken(method) || target.empty()) return Refuse(400, "malformed request line");
  for (unsigned char c : target) {
    if (c <= 0x20 || c >= 0x7f) return Refuse(400, "malformed request target");
  }
  request_.method = std::string(method);
  request_.path = std::string(target.substr(0, target.find('?')));
  bool http10 = version == "HTTP/1.0";
  if (!http10 && version != "HTTP/1.1") {
    if (version.size() == 8 && version.substr(0, 5) == "HTTP/") {
      return Refuse(505, "HTTP version not supported");
    }
    return Refuse(400, "malformed request line");
  }
  head_.assign(line);
  head_ += "\r\n";

  size_t fields = 0, hosts = 0;
  bool has_length = false, chunked = false, close = false, keep_alive_token = false;
  bool expect_continue = false;
  uint64_t length = 0;
  std::string_view rest = line_end == std::string_view::npos ? "" : head.substr(line_end + 2);
  while (!rest.empty()) {
    size_t end = rest.find("\r\n");
    std::string_view field = rest.substr(0, end);
    rest = end == std::string_view::npos ? "" : rest.substr(end + 2);
    if (++fields > limits_.max_header_fields) return Refuse(431, "too many header fields");
    if (field.empty() || field[0] == ' ' || field[0] == '\t') {
      return Refuse(400, "malformed header field");  // includes obsolete line folding
    }
    size_t colon = field.find(':');
    if (colon == std::string_view::npos || !IsToken(field.substr(0, colon))) {
      return Refuse(400, "malformed header field");
    }
    std::string_view name = field.substr(0, colon);
    std::string_view value = TrimWhitespace(field.substr(colon + 1));
    for (unsigned char c : value) {
      if ((c < 0x20 && c != '\t') || c == 0x7f) return Refuse(400, "malformed header value");
    }
    if (EqualsNoCase(name, "Content-Length")) {
      if (has_length) return Refuse(400, "more than one Content-Length");
      if (!ParseContentLength(value, &length)) return Refuse(400, "malformed Content-Length");
      has_length = true;
      continue;
    }
    if (EqualsNoCase(name, "Transfer-Encoding")) {
      if (chunked || http10) return Refuse(400, "malformed Transfer-Encoding");
      if (!EqualsNoCase(value, "chunked")) return Refuse(501, "transfer coding not supported");
      chunked = true;
      continue;
    }
    if (EqualsNoCase(name, "Content-Encoding")) {
      if (!EqualsNoCase(value, "identity")) {
        return Refuse(415, "compressed request bodies are not accepted");
      }
      continue;
    }
    if (EqualsNoCase(name, "Connection")) {
      close = close || ListHas(value, "close");
      keep_alive_token = keep_alive_token || ListHas(value, "keep-alive");
      continue;
    }
    if (EqualsNoCase(name, "Expect")) {
      if (!EqualsNoCase(value, "100-continue")) return Refuse(417, "expectation not supported");
      expect_continue = !http10;
      continue;
    }
    // The API never answers part of a reply: ranges are dropped, not applied.
    if (EqualsNoCase(name, "Range") || EqualsNoCase(name, "If-Range") ||
        EqualsNoCase(name, "Keep-Alive") || EqualsNoCase(name, "Upgrade") ||
        EqualsNoCase(name, "Proxy-Connection") || EqualsNoCase(name, "Trailer")) {
      continue;
    }
    if (EqualsNoCase(name, "Host") && ++hosts > 1) return Refuse(400, "more than one Host");
    head_.append(name);
    head_ += ": ";
    head_.append(value);
    head_ += "\r\n";
  }
  if (!http10 && hosts == 0) return Refuse(400, "missing Host header");
  if (has_length && chunked) return Refuse(400, "both Content-Length and Transfer-Encoding");

  request_.keep_alive = !close && (!http10 || keep_alive_token);
  if (!request_.keep_alive) head_ += "Connection: close\r\n";
  rule_ = rule_for_ ? rule_for_(request_.method, request_.path) : BodyRule{};
  if (chunked) {
    phase_ = Phase::kChunkSize;
    expect_continue_ = expect_continue;
    return State::kNeedMore;
  }
  if (has_length) {
    if (length > rule_.max_bytes) return Refuse(413, "request body too large");
    remaining_ = length;
    if (length > 0) {
      phase_ = Phase::kBody;
      body_.reserve(static_cast<size_t>(length));
      expect_continue_ = expect_continue;
      return State::kNeedMore;
    }
  } else if (rule_.required) {
    return Refuse(411, "a request body with Content-Length is required");
  }
  Finish();
  return State::kReady;
}

RequestFramer::State RequestFramer::FeedChunked(std::string* buffer, size_t* pos) {
  std::string& in = *buffer;
  while (*pos < in.size() && phase_ != Phase::kDone) {
    switch (phase_) {
      case Phase::kChunkSize: {
        size_t end = in.find("\r\n", *pos);
        if (end == std::string::npos) {
          if (in.size() - *pos > kMaxChunkSizeLine) return Refuse(400, "malformed chunked body");
          return State::kNeedMore;
        }
        std::string_view line(in.data() + *pos, end - *pos);
        line = line.substr(0, line.find(';'));  // chunk extensions are ignored
        line = TrimWhitespace(line);
        if (line.empty() || line.size() > 15) return Refuse(400, "malformed chunked body");
        uint64_t size = 0;
        for (char c : line) {
          int digit = c >= '0' && c <= '9'   ? c - '0'
                      : c >= 'a' && c <= 'f' ? c - 'a' + 10
                      : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                             : -1;
          if (digit < 0) return Refuse(400, "malformed chunked body");
          size = size * 16 + static_cast<uint64_t>(digit);
        }
        *pos = end + 2;
        if (size == 0) {
          phase_ = Phase::kTrailers;
          trailer_bytes_ = 0;
        } else if (body_.size() + size > rule_.max_bytes) {
          return Refuse(413, "request body too large");
        } else {
          remaining_ = size;
          phase_ = Phase::kChunkData;
        }
        break;
      }
      case Phase::kChunkData: {
        size_t take = static_cast<size_t>(std::min<uint64_t>(remaining_, in.size() - *pos));
        body_.append(in, *pos, take);
        *pos += take;
        remaining_ -= take;
        if (remaining_ == 0) phase_ = Phase::kChunkDataEnd;
        break;
      }
      case Phase::kChunkDataEnd:
        if (in.size() - *pos < 2) return State::kNeedMore;
        if (in.compare(*pos, 2, "\r\n") != 0) return Refuse(400, "malformed chunked body");
        *pos += 2;
        phase_ = Phase::kChunkSize;
        break;
      case Phase::kTrailers: {
        size_t end = in.find("\r\n", *pos);
        if (end == std::string::npos) {
          if (trailer_bytes_ + in.size() - *pos > limits_.max_head_bytes) {
            return Refuse(431, "request trailers too large");
          }
          return State::kNeedMore;
        }
        trailer_bytes_ += end - *pos + 2;
        if (trailer_bytes_ > limits_.max_head_bytes) {
          return Refuse(431, "request trailers too large");
        }
        bool last = end == *pos;
        *pos = end + 2;
        if (last) Finish();  // trailer fields are read and dropped
        break;
      }
      default:
        return State::kNeedMore;
    }
  }
  return phase_ == Phase::kDone ? State::kReady : State::kNeedMore;
}

}  // namespace bot::edge
