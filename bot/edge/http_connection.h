// HttpConnection: one client socket, its unread bytes and the framer that
// turns them into requests. FramedStream: the httplib::Stream a framed
// request is served through, so httplib reads the canonical request from
// memory and writes its reply to the socket.
//
// A connection has one owner at a time: a worker serving it or the
// ConnectionParking waiting for its next bytes. Not thread-safe.
#pragma once

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <string>
#include <string_view>

#include "bot/edge/http_framing.h"

namespace bot::edge {

class HttpConnection {
 public:
  using Clock = std::chrono::steady_clock;

  // Takes ownership of `fd` (closed by the destructor) and makes it
  // non-blocking. `open`, when given, counts the connections alive.
  HttpConnection(int fd, FramingLimits limits, BodyRuleFor rule_for,
                 std::atomic<size_t>* open = nullptr);
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  int fd() const { return fd_; }

  // Frames what is buffered, then reads what the socket has without
  // blocking, a block at a time, until a request is complete or refused or
  // the socket has nothing more. At most one block beyond the current
  // request is buffered, so memory stays bounded whatever the client sends.
  // Answers `100 Continue` when the client asked for it.
  RequestFramer::State Pump();
  RequestFramer& framer() { return framer_; }
  const RequestFramer& framer() const { return framer_; }
  // The client closed its side (or the socket failed): nothing more arrives.
  bool eof() const { return eof_; }

  // Waits up to `timeout` for bytes to read; false on timeout.
  bool WaitReadable(std::chrono::milliseconds timeout) const;
  // Writes all of `data`, waiting up to `timeout` whenever the socket is
  // full. False if the client is gone or too slow.
  bool WriteAll(std::string_view data, std::chrono::milliseconds timeout);
  // Writes what fits now, never waiting (for refusals from the parking).
  void WriteNow(std::string_view data);
  // Sends `status` with a JSON error body and `Connection: close`; logs it
  // as an access-log line and counts it like any request.
  void Refuse(int status, const std::string& message, const std::string& route,
              std::chrono::milliseconds timeout);

  // Closes the sending side so the reply reaches the client, while its
  // remaining bytes are read and dropped (a close with unread bytes would
  // reset the connection and could destroy the reply).
  void BeginLingeringClose();
  bool lingering() const { return lingering_; }
  // Reads and drops what the socket has; false when done (EOF, or enough).
  bool DrainLinger();

  const std::string& remote_ip() const { return remote_ip_; }
  int remote_port() const { return remote_port_; }
  const std::string& local_ip() const { return local_ip_; }
  int local_port() const { return local_port_; }

  // Bookkeeping for the owners.
  size_t served = 0;            // requests answered on this connection
  Clock::time_point deadline{};  // when a wait for bytes gives up

 private:
  int fd_;
  std::atomic<size_t>* open_;
  RequestFramer framer_;
  std::string buffer_;
  bool eof_ = false;
  bool lingering_ = false;
  size_t drained_ = 0;
  std::string remote_ip_, local_ip_;
  int remote_port_ = 0, local_port_ = 0;
};

// The stream httplib serves one framed request through.
class FramedStream : public httplib::Stream {
 public:
  FramedStream(HttpConnection* connection, std::string request,
               std::chrono::milliseconds write_timeout);

  bool is_readable() const override;
  bool is_writable() const override;
  ssize_t read(char* ptr, size_t size) override;
  ssize_t write(const char* ptr, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  socket_t socket() const override;

  // Whether some write failed: the reply did not reach the client.
  bool write_failed() const { return write_failed_; }

 private:
  HttpConnection* connection_;
  std::string request_;
  size_t read_ = 0;
  std::chrono::milliseconds write_timeout_;
  bool write_failed_ = false;
};

// The reason phrase of a status this layer sends itself.
const char* ReasonPhrase(int status);

}  // namespace bot::edge
