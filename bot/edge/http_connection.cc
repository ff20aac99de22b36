#include "bot/edge/http_connection.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "bot/edge/json_codec.h"
#include "bot/edge/request_log.h"

namespace bot::edge {
namespace {

constexpr size_t kReadBlock = 16 * 1024;
// A lingering close reads and drops at most this much, for at most the
// parking's linger time, before it closes anyway.
constexpr size_t kMaxDrained = 1024 * 1024;

void AddressOf(const sockaddr_storage& addr, std::string* ip, int* port) {
  char text[INET6_ADDRSTRLEN] = "";
  if (addr.ss_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(&addr);
    inet_ntop(AF_INET, &in->sin_addr, text, sizeof(text));
    *port = ntohs(in->sin_port);
  } else if (addr.ss_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&addr);
    inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof(text));
    *port = ntohs(in6->sin6_port);
  }
  *ip = text;
}

int PollFor(int fd, short events, std::chrono::milliseconds timeout) {
  pollfd p{fd, events, 0};
  int ms = static_cast<int>(std::max<int64_t>(0, timeout.count()));
  while (true) {
    int n = ::poll(&p, 1, ms);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return n;
    return p.revents;
  }
}

}  // namespace

const char* ReasonPhrase(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 408: return "Request Timeout";
    case 411: return "Length Required";
    case 413: return "Payload Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 417: return "Expectation Failed";
    case 431: return "Request Header Fields Too Large";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return "Error";
  }
}

HttpConnection::HttpConnection(int fd, FramingLimits limits, BodyRuleFor rule_for,
                               std::atomic<size_t>* open)
    : fd_(fd), open_(open), framer_(limits, std::move(rule_for)) {
  if (open_) open_->fetch_add(1, std::memory_order_relaxed);
  int flags = ::fcntl(fd_, F_GETFL, 0);
  if (flags >= 0) ::fcntl(fd_, F_SETFL, flags | O_NONBLOCK);
  sockaddr_storage addr{};
  socklen_t len = sizeof(addr);
  if (::getpeername(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    AddressOf(addr, &remote_ip_, &remote_port_);
  }
  len = sizeof(addr);
  if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    AddressOf(addr, &local_ip_, &local_port_);
  }
}

HttpConnection::~HttpConnection() {
  ::close(fd_);
  if (open_) open_->fetch_sub(1, std::memory_order_relaxed);
}

RequestFramer::State HttpConnection::Pump() {
  RequestFramer::State state = framer_.Feed(&buffer_);
  char block[kReadBlock];
  while (state == RequestFramer::State::kNeedMore && !eof_) {
    ssize_t n = ::recv(fd_, block, sizeof(block), MSG_DONTWAIT);
    if (n > 0) {
      buffer_.append(block, static_cast<size_t>(n));
      state = framer_.Feed(&buffer_);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    eof_ = true;  // closed by the client, or reset
  }
  if (state == RequestFramer::State::kNeedMore && framer_.TakeContinue()) {
    WriteNow("HTTP/1.1 100 Continue\r\n\r\n");
  }
  return state;
}

bool HttpConnection::WaitReadable(std::chrono::milliseconds timeout) const {
  return PollFor(fd_, POLLIN, timeout) > 0;
}

bool HttpConnection::WriteAll(std::string_view data, std::chrono::milliseconds timeout) {
  while (!data.empty()) {
    ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      data.remove_prefix(static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      int revents = PollFor(fd_, POLLOUT, timeout);
      if (revents <= 0 || (revents & (POLLERR | POLLNVAL))) return false;
      continue;
    }
    return false;
  }
  return true;
}

void HttpConnection::WriteNow(std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    data.remove_prefix(static_cast<size_t>(n));
  }
}

void HttpConnection::Refuse(int status, const std::string& message, const std::string& route,
                            std::chrono::milliseconds timeout) {
  httplib::Request req;
  req.method = framer_.method().empty() ? "other" : framer_.method();
  httplib::Response res;
  res.status = status;
  BeginRequest(req, res, route);
  const std::string body = Dump(ErrorJson(message));
  std::string reply = "HTTP/1.1 " + std::to_string(status) + " " + ReasonPhrase(status) +
                      "\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: " +
                      std::to_string(body.size()) + "\r\nConnection: close\r\nX-Request-Id: " +
                      res.get_header_value("X-Request-Id") + "\r\n\r\n" + body;
  if (timeout.count() > 0) {
    if (!WriteAll(reply, timeout)) NoteResponseUnsent();
  } else {
    WriteNow(reply);
  }
  EndRequest(req, res);
}

void HttpConnection::BeginLingeringClose() {
  ::shutdown(fd_, SHUT_WR);
  lingering_ = true;
}

bool HttpConnection::DrainLinger() {
  char block[kReadBlock];
  while (drained_ < kMaxDrained) {
    ssize_t n = ::recv(fd_, block, sizeof(block), MSG_DONTWAIT);
    if (n > 0) {
      drained_ += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
  }
  return false;
}

FramedStream::FramedStream(HttpConnection* connection, std::string request,
                           std::chrono::milliseconds write_timeout)
    : connection_(connection), request_(std::move(request)), write_timeout_(write_timeout) {}

bool FramedStream::is_readable() const { return read_ < request_.size(); }

bool FramedStream::is_writable() const {
  // Unlike httplib's own check, a client that closed only its sending side
  // (it sent the request and waits for the reply) is still writable.
  int revents = PollFor(connection_->fd(), POLLOUT, write_timeout_);
  return revents > 0 && !(revents & (POLLERR | POLLNVAL));
}

ssize_t FramedStream::read(char* ptr, size_t size) {
  size_t n = std::min(size, request_.size() - read_);
  request_.copy(ptr, n, read_);
  read_ += n;
  return static_cast<ssize_t>(n);
}

ssize_t FramedStream::write(const char* ptr, size_t size) {
  if (write_failed_ || !connection_->WriteAll(std::string_view(ptr, size), write_timeout_)) {
    if (!write_failed_) NoteResponseUnsent();
    write_failed_ = true;
    return -1;
  }
  return static_cast<ssize_t>(size);
}

void FramedStream::get_remote_ip_and_port(std::string& ip, int& port) const {
  ip = connection_->remote_ip();
  port = connection_->remote_port();
}

void FramedStream::get_local_ip_and_port(std::string& ip, int& port) const {
  ip = connection_->local_ip();
  port = connection_->local_port();
}

socket_t FramedStream::socket() const { return connection_->fd(); }

}  // namespace bot::edge
