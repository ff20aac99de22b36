#include "bot/edge/connection_parking.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace bot::edge {
namespace {

constexpr int kSweepMs = 100;

}  // namespace

ConnectionParking::ConnectionParking(ParkingOptions options, Dispatch dispatch,
                                     const std::atomic<size_t>* open)
    : options_(options), dispatch_(std::move(dispatch)), open_(open) {}

ConnectionParking::~ConnectionParking() {
  Stop();
  if (epoll_fd_ >= 0) ::close(epoll_fd_);
  if (wake_fd_ >= 0) ::close(wake_fd_);
}

bool ConnectionParking::Start() {
  epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
  wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (epoll_fd_ < 0 || wake_fd_ < 0) return false;
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = wake_fd_;
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev) != 0) return false;
  thread_ = std::thread([this] { Run(); });
  return true;
}

void ConnectionParking::Park(std::unique_ptr<HttpConnection> connection) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopped_ || !thread_.joinable()) return;  // closes it
    incoming_.push_back(std::move(connection));
  }
  uint64_t one = 1;
  [[maybe_unused]] ssize_t n = ::write(wake_fd_, &one, sizeof(one));
}

void ConnectionParking::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopped_) return;
    stopped_ = true;
  }
  stopping_ = true;
  if (thread_.joinable()) {
    uint64_t one = 1;
    [[maybe_unused]] ssize_t n = ::write(wake_fd_, &one, sizeof(one));
    thread_.join();
  }
}

void ConnectionParking::Watch(std::unique_ptr<HttpConnection> c, Clock::time_point now) {
  if (c->lingering()) {
    c->deadline = now + options_.linger_timeout;
  } else if (!c->framer().started()) {
    c->deadline = now + options_.keep_alive_timeout;
  } else if (c->deadline == Clock::time_point{}) {
    c->deadline = now + options_.request_timeout;
  }
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLRDHUP;
  ev.data.fd = c->fd();
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, c->fd(), &ev) != 0) return;  // closes it
  int fd = c->fd();
  watched_[fd] = Parked{std::move(c), now};
  parked_.store(watched_.size(), std::memory_order_relaxed);
}

std::unique_ptr<HttpConnection> ConnectionParking::Unwatch(int fd) {
  auto it = watched_.find(fd);
  if (it == watched_.end()) return nullptr;
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
  std::unique_ptr<HttpConnection> c = std::move(it->second.connection);
  watched_.erase(it);
  parked_.store(watched_.size(), std::memory_order_relaxed);
  return c;
}

void ConnectionParking::OnReadable(int fd, Clock::time_point now) {
  std::unique_ptr<HttpConnection> c = Unwatch(fd);
  if (!c) return;
  if (c->lingering()) {
    if (c->DrainLinger()) Watch(std::move(c), now);
    return;  // else done: closes it
  }
  const bool was_started = c->framer().started();
  RequestFramer::State state = c->Pump();
  if (state != RequestFramer::State::kNeedMore) {
    dispatch_(std::move(c));
    return;
  }
  if (c->eof()) return;  // the client left before finishing a request
  if (!was_started && c->framer().started()) c->deadline = Clock::time_point{};
  Watch(std::move(c), now);
}

void ConnectionParking::Expire(std::unique_ptr<HttpConnection> c, Clock::time_point now) {
  if (c->lingering() || !c->framer().started()) return;  // closes it
  c->Refuse(408, "request not received in time", "unmatched", std::chrono::milliseconds(0));
  c->BeginLingeringClose();
  Watch(std::move(c), now);
}

void ConnectionParking::Sweep(Clock::time_point now) {
  std::vector<int> expired;
  for (const auto& [fd, parked] : watched_) {
    if (parked.connection->deadline <= now) expired.push_back(fd);
  }
  for (int fd : expired) Expire(Unwatch(fd), now);
  const size_t open = open_ ? open_->load(std::memory_order_relaxed) : watched_.size();
  const size_t high_water = options_.max_connections / 4 * 3;
  if (open > high_water) ShedIdle(open - high_water);
}

void ConnectionParking::ShedIdle(size_t excess) {
  std::vector<std::pair<Clock::time_point, int>> idle;
  for (const auto& [fd, parked] : watched_) {
    const HttpConnection& c = *parked.connection;
    if (!c.framer().started() || c.lingering()) idle.emplace_back(parked.since, fd);
  }
  excess = std::min(excess, idle.size());
  if (excess == 0) return;
  std::nth_element(idle.begin(), idle.begin() + static_cast<long>(excess) - 1, idle.end());
  for (size_t i = 0; i < excess; ++i) Unwatch(idle[i].second);  // closes it
  shed_.fetch_add(excess, std::memory_order_relaxed);
}

void ConnectionParking::Run() {
  std::vector<epoll_event> events(256);
  auto next_sweep = Clock::now();
  while (true) {
    int n = ::epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()), kSweepMs);
    auto now = Clock::now();
    if (n < 0 && errno != EINTR) break;
    for (int i = 0; i < n; ++i) {
      int fd = events[static_cast<size_t>(i)].data.fd;
      if (fd == wake_fd_) {
        uint64_t count;
        [[maybe_unused]] ssize_t r = ::read(wake_fd_, &count, sizeof(count));
        continue;
      }
      OnReadable(fd, now);
    }
    std::vector<std::unique_ptr<HttpConnection>> incoming;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      incoming.swap(incoming_);
    }
    for (auto& c : incoming) Watch(std::move(c), now);
    if (stopping_) break;
    if (now >= next_sweep) {
      Sweep(now);
      next_sweep = now + std::chrono::milliseconds(kSweepMs);
    }
  }
  // Answer what was read: a complete request still gets its reply (with
  // Connection: close); everything else is closed.
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& c : incoming_) Watch(std::move(c), Clock::now());
    incoming_.clear();
  }
  std::vector<int> fds;
  for (const auto& [fd, parked] : watched_) fds.push_back(fd);
  for (int fd : fds) {
    std::unique_ptr<HttpConnection> c = Unwatch(fd);
    if (!c->lingering() && c->Pump() != RequestFramer::State::kNeedMore) dispatch_(std::move(c));
  }
}

}  // namespace bot::edge
