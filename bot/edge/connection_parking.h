// ConnectionParking: where connections wait for their next bytes without a
// thread. httplib 0.11.4 keeps one worker per connection for its whole life
// and polls each idle one every 10 ms, so a few hundred idle or trickling
// clients exhaust the workers and delay everyone. Here a worker serves a
// connection only while it has a complete request; otherwise the
// connection is parked: one epoll thread watches every parked socket, reads
// and frames what arrives, and hands a connection back to a worker once a
// request is complete (or refused). A parked connection costs a descriptor
// and its buffered bytes.
//
// Deadlines: an idle keep-alive connection is closed after
// `keep_alive_timeout`; a started request must be complete within
// `request_timeout` (else 408); a lingering close ends after
// `linger_timeout`. Under pressure (open connections above three quarters
// of `max_connections`) idle connections are shed oldest first.
// Thread-safe: Park() from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "bot/edge/http_connection.h"

namespace bot::edge {

struct ParkingOptions {
  std::chrono::milliseconds keep_alive_timeout{5000};
  std::chrono::milliseconds request_timeout{5000};
  std::chrono::milliseconds linger_timeout{2000};
  size_t max_connections = 10000;  // parked and served together
};

class ConnectionParking {
 public:
  // Runs a worker on a connection whose request is complete or refused.
  using Dispatch = std::function<void(std::unique_ptr<HttpConnection>)>;

  // `open` counts the connections that exist (parked or not); it decides
  // when to shed idle ones.
  ConnectionParking(ParkingOptions options, Dispatch dispatch, const std::atomic<size_t>* open);
  ~ConnectionParking();
  ConnectionParking(const ConnectionParking&) = delete;
  ConnectionParking& operator=(const ConnectionParking&) = delete;

  // REQUIRES: before Start().
  void set_max_connections(size_t n) { options_.max_connections = n; }
  // Starts the epoll thread. False if epoll is unavailable.
  bool Start();
  // Watches `connection` until its next bytes arrive or a deadline passes.
  // Sets the deadline from the connection's state. After Stop(), closes it.
  void Park(std::unique_ptr<HttpConnection> connection);
  // Reads what each parked connection has once more: complete requests are
  // dispatched (to be answered), the rest closed. Then the thread ends.
  void Stop();

  size_t parked() const { return parked_.load(std::memory_order_relaxed); }
  size_t shed() const { return shed_.load(std::memory_order_relaxed); }

 private:
  using Clock = HttpConnection::Clock;
  void Run();
  void Watch(std::unique_ptr<HttpConnection> connection, Clock::time_point now);
  void OnReadable(int fd, Clock::time_point now);
  void Sweep(Clock::time_point now);
  void ShedIdle(size_t excess);
  std::unique_ptr<HttpConnection> Unwatch(int fd);
  void Expire(std::unique_ptr<HttpConnection> connection, Clock::time_point now);

  ParkingOptions options_;
  const Dispatch dispatch_;
  const std::atomic<size_t>* open_;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;
  std::thread thread_;

  std::mutex mutex_;  // guards incoming_ and stopped_
  std::vector<std::unique_ptr<HttpConnection>> incoming_;
  bool stopped_ = false;
  std::atomic<bool> stopping_{false};

  // Owned by the epoll thread.
  struct Parked {
    std::unique_ptr<HttpConnection> connection;
    Clock::time_point since;
  };
  std::unordered_map<int, Parked> watched_;
  std::atomic<size_t> parked_{0};
  std::atomic<size_t> shed_{0};
};

}  // namespace bot::edge
