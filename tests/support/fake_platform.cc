#include "tests/support/fake_platform.h"

namespace bot::testing {

FakePlatform::FakePlatform() {
  // One body that every platform's success check accepts.
  default_.body = R"({"ok":true,"status":0,"result":{"message_id":1},"message_id":"m1"})";
  auto handle = [this](const httplib::Request& req, httplib::Response& res) {
    Response answer;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      requests_.push_back({req.method, req.path, req.body, req.headers,
                           std::chrono::steady_clock::now()});
      answer = default_;
      bool scripted = false;
      for (auto& [suffix, queue] : scripts_) {
        if (EndsWith(req.path, suffix) && !queue.empty()) {
          answer = queue.front();
          queue.pop_front();
          scripted = true;
          break;
        }
      }
      if (!scripted) {
        for (auto& [suffix, response] : defaults_) {
          if (EndsWith(req.path, suffix)) answer = response;
        }
      }
    }
    arrived_.notify_all();
    if (answer.delay.count() > 0) std::this_thread::sleep_for(answer.delay);
    res.status = answer.status;
    for (const auto& [k, v] : answer.headers) res.set_header(k, v);
    res.set_content(answer.body, "application/json");
  };
  server_.Post(".*", handle);
  server_.Get(".*", handle);
  port_ = server_.bind_to_any_port("127.0.0.1");
  thread_ = std::thread([this] { server_.listen_after_bind(); });
  for (int i = 0; i < 500 && !server_.is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

FakePlatform::~FakePlatform() {
  server_.stop();
  if (thread_.joinable()) thread_.join();
}

std::string FakePlatform::url() const { return "http://127.0.0.1:" + std::to_string(port_); }

void FakePlatform::SetDefault(Response response) {
  std::lock_guard<std::mutex> lock(mutex_);
  default_ = std::move(response);
}

void FakePlatform::SetDefault(const std::string& suffix, Response response) {
  std::lock_guard<std::mutex> lock(mutex_);
  defaults_[suffix] = std::move(response);
}

void FakePlatform::Script(const std::string& suffix, std::vector<Response> responses) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& r : responses) scripts_[suffix].push_back(std::move(r));
}

bool FakePlatform::EndsWith(const std::string& path, const std::string& suffix) {
  return path.size() >= suffix.size() &&
         path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::vector<FakePlatform::Request> FakePlatform::Requests(const std::string& suffix) const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<Request> out;
  for (const auto& r : requests_) {
    if (EndsWith(r.path, suffix)) out.push_back(r);
  }
  return out;
}

size_t FakePlatform::WaitFor(const std::string& suffix, size_t n,
                             std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> lock(mutex_);
  auto count = [&] {
    size_t c = 0;
    for (const auto& r : requests_) c += EndsWith(r.path, suffix) ? 1 : 0;
    return c;
  };
  arrived_.wait_for(lock, timeout, [&] { return count() >= n; });
  return count();
}

}  // namespace bot::testing
