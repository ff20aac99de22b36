#include "tests/support/redis_server.h"

#include <algorithm>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <thread>

namespace bot::testing {
namespace {

bool HaveRedisServer() {
  return std::system("command -v redis-server >/dev/null 2>&1") == 0;
}

int FreeLoopbackPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  int port = 0;
  socklen_t len = sizeof addr;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

}  // namespace

RedisServer::RedisServer() {
  if (!HaveRedisServer()) {
    why_not_ = "redis-server is not installed (deploy/install-deps.sh --test)";
    return;
  }
  port_ = FreeLoopbackPort();
  if (port_ == 0 || !Start()) why_not_ = "redis-server did not start";
}

RedisServer::~RedisServer() { Kill(); }

edge::RedisUrl RedisServer::url() const {
  edge::RedisUrl url;
  url.host = "127.0.0.1";
  url.port = port_;
  return url;
}

bool RedisServer::Start() {
  if (pid_ > 0) return true;
  pid_t pid = fork();
  if (pid == 0) {
    int devnull = open("/dev/null", O_WRONLY);
    if (devnull >= 0) {
      dup2(devnull, 1);
      dup2(devnull, 2);
    }
    std::string port = std::to_string(port_);
    execlp("redis-server", "redis-server", "--port", port.c_str(), "--bind", "127.0.0.1",
           "--save", "", "--appendonly", "no", "--loglevel", "warning", "--daemonize", "no",
           static_cast<char*>(nullptr));
    _exit(127);
  }
  if (pid < 0) return false;
  pid_ = pid;
  edge::RedisOptions options;
  options.url = url();
  options.pool_size = 1;
  options.backoff_min = std::chrono::milliseconds(1);
  options.backoff_max = std::chrono::milliseconds(1);
  for (int i = 0; i < 200; ++i) {  // up to ~5 s
    {
      edge::RedisClient probe(options);
      auto pong = probe.Run({"PING"});
      if (pong && !pong->is_error()) return true;
    }
    if (waitpid(pid_, nullptr, WNOHANG) == pid_) {  // it exited (port taken?)
      pid_ = -1;
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  Kill();
  return false;
}

void RedisServer::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

std::shared_ptr<edge::RedisClient> TestRedisClient(const RedisServer& redis) {
  edge::RedisOptions options;
  options.url = redis.url();
  options.timeout = std::chrono::milliseconds(200);
  options.backoff_min = std::chrono::milliseconds(1);
  options.backoff_max = std::chrono::milliseconds(1);
  return std::make_shared<edge::RedisClient>(options);
}

bool LogEveryCommand(edge::RedisClient& client) {
  return client.Run({"CONFIG", "SET", "slowlog-log-slower-than", "0"}) &&
         client.Run({"CONFIG", "SET", "slowlog-max-len", "10000"}) &&
         client.Run({"SLOWLOG", "RESET"});
}

std::vector<std::string> ClientCommandsNaming(edge::RedisClient& client,
                                              const std::vector<std::string>& keys) {
  std::vector<std::string> out;
  auto log = client.Run({"SLOWLOG", "GET", "-1"});
  if (!log) return out;
  for (const auto& entry : log->elements) {
    // An entry: id, time, duration, arguments, client address, name.
    if (entry.elements.size() < 5 || entry.elements[4].str == "?:0") continue;
    std::string line;
    bool names = false;
    for (const auto& arg : entry.elements[3].elements) {
      line += arg.str + " ";
      names = names || std::find(keys.begin(), keys.end(), arg.str) != keys.end();
    }
    if (names) out.push_back(std::move(line));
  }
  return out;
}

}  // namespace bot::testing
