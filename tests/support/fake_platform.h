// FakePlatform: a recording stand-in for a messenger platform's API on
// 127.0.0.1 (a real httplib::Server on a free port). It answers every
// request with scripted responses (per path suffix, in order) or a default,
// and records each request so tests can assert what the bot sent. Tests wait
// for asynchronous sends with WaitFor(), a bounded synchronisation wait.
// Thread-safe.
#pragma once

#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace bot::testing {

class FakePlatform {
 public:
  struct Request {
    std::string method, path, body;
    httplib::Headers headers;
    std::chrono::steady_clock::time_point at;
  };
  struct Response {
    int status = 200;
    std::string body;
    httplib::Headers headers;
    std::chrono::milliseconds delay{0};  // before answering (long polls)
  };

  FakePlatform();
  ~FakePlatform();
  FakePlatform(const FakePlatform&) = delete;
  FakePlatform& operator=(const FakePlatform&) = delete;

  // "http://127.0.0.1:PORT".
  std::string url() const;
  // The answer when no script applies (default: 200 {"ok":true,...}).
  void SetDefault(Response response);
  // The default answer for requests whose path ends with `suffix`.
  void SetDefault(const std::string& suffix, Response response);
  // The next answers, in order, for requests whose path ends with `suffix`.
  void Script(const std::string& suffix, std::vector<Response> responses);
  // Recorded requests whose path ends with `suffix` ("" = all), in order.
  std::vector<Request> Requests(const std::string& suffix = "") const;
  // Waits until at least `n` requests match `suffix` or `timeout` passes;
  // returns how many matched.
  size_t WaitFor(const std::string& suffix, size_t n,
                 std::chrono::milliseconds timeout = std::chrono::seconds(5)) const;

 private:
  static bool EndsWith(const std::string& path, const std::string& suffix);

  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  mutable std::mutex mutex_;
  mutable std::condition_variable arrived_;
  std::vector<Request> requests_;
  std::map<std::string, std::deque<Response>> scripts_;
  std::map<std::string, Response> defaults_;
  Response default_;
};

}  // namespace bot::testing
