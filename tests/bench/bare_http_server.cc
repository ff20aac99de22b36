// The HTTP benchmark's baseline: a bare cpp-httplib server that parses the
// JSON body of POST /api/v1/ask and returns a fixed answer, configured
// exactly like bot's HttpServer (same HttpOptions defaults, TCP_NODELAY,
// keep-alive limits, DynamicThreadPool, listen backlog). The ratio of the
// bot's requests/s to this server's is the cost of answering a question.
//
// usage: bare_http_server [PORT]   (default 8081; prints the port, serves
// until SIGINT/SIGTERM)
#include <httplib.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <thread>

#include "bot/edge/http_server.h"
#include "bot/edge/thread_pool.h"

namespace {

class Server : public httplib::Server {
 public:
  void RaiseBacklog(int backlog) { ::listen(svr_sock_, backlog); }
};

}  // namespace

int main(int argc, char** argv) {
  bot::edge::HttpOptions options;  // the bot's defaults
  options.port = argc > 1 ? std::atoi(argv[1]) : 8081;
  // Signals are taken by sigwait below; block them before any thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);
  Server server;
  size_t min_threads = options.min_threads, max_threads = options.max_threads;
  server.new_task_queue = [min_threads, max_threads] {
    return new bot::edge::DynamicThreadPool(min_threads, max_threads);
  };
  server.set_tcp_nodelay(true);
  server.set_read_timeout(std::chrono::milliseconds(options.read_timeout_ms));
  server.set_write_timeout(std::chrono::milliseconds(options.write_timeout_ms));
  server.set_keep_alive_timeout(options.keep_alive_timeout_s);
  server.set_keep_alive_max_count(options.keep_alive_max_count);
  server.set_payload_max_length(options.max_body_bytes);

  const std::string answer =
      R"({"text":"Belarus joined the CSCE on 30 January 1992.","intent":"membership.joined",)"
      R"("fallback":false,"facts":[{"id":"membership.joined","source":"https://www.osce.org/"}]})";
  server.Post("/api/v1/ask", [&answer](const httplib::Request& req, httplib::Response& res) {
    auto body = nlohmann::json::parse(req.body, nullptr, /*allow_exceptions=*/false);
    if (body.is_discarded() || !body.is_object() || !body.contains("text") ||
        !body["text"].is_string()) {
      res.status = 400;
      res.set_content(R"({"error":"bad request"})", "application/json; charset=utf-8");
      return;
    }
    res.set_content(answer, "application/json; charset=utf-8");
  });

  if (!server.bind_to_port(options.host, options.port)) {
    std::fprintf(stderr, "bare_http_server: cannot bind %s:%d\n", options.host.c_str(),
                 options.port);
    return 1;
  }
  server.RaiseBacklog(options.listen_backlog);
  std::printf("listening on http://%s:%d\n", options.host.c_str(), options.port);
  std::fflush(stdout);
  std::thread listener([&server] { server.listen_after_bind(); });
  int sig = 0;
  sigwait(&signals, &sig);
  server.stop();
  listener.join();
  return 0;
}
