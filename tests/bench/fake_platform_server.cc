// A fake messenger platform API for the webhook benchmarks, in C++ so that
// on a 2-core machine the harness does not take the CPU the bot and Redis
// are measured on (tests/load/fake_platform.py, the same protocol in
// Python, took about a quarter of a core at 1,400 sends/s). Answers every
// POST like Telegram's Bot API, failing a share of them with 500 (at random,
// fixed seed); GET /stats answers {"requests": N, "failed": N, "ok": N}.
// Loopback only; prints its port, then serves until SIGINT/SIGTERM.
//
// usage: fake_platform_server [FAIL_SHARE=0.5]
#include <httplib.h>
#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <random>
#include <string>
#include <thread>

int main(int argc, char** argv) {
  const double fail_share = argc > 1 ? std::atof(argv[1]) : 0.5;
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  std::mutex mutex;
  std::mt19937 rng(1992);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  long requests = 0, failed = 0, ok = 0;

  httplib::Server server;
  server.set_tcp_nodelay(true);
  server.Get("/stats", [&](const httplib::Request&, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(mutex);
    res.set_content("{\"requests\": " + std::to_string(requests) + ", \"failed\": " +
                        std::to_string(failed) + ", \"ok\": " + std::to_string(ok) + "}",
                    "application/json");
  });
  server.Post(".*", [&](const httplib::Request&, httplib::Response& res) {
    bool fail;
    {
      std::lock_guard<std::mutex> lock(mutex);
      ++requests;
      fail = unit(rng) < fail_share;
      ++(fail ? failed : ok);
    }
    if (fail) {
      res.status = 500;
      res.set_content(R"({"ok": false, "error_code": 500, "description": "Internal Server Error"})",
                      "application/json");
    } else {
      res.set_content(R"({"ok": true, "result": {"message_id": 1}})", "application/json");
    }
  });
  const int port = server.bind_to_any_port("127.0.0.1");
  if (port < 0) {
    std::fprintf(stderr, "fake_platform_server: cannot bind 127.0.0.1\n");
    return 1;
  }
  std::printf("%d\n", port);
  std::fflush(stdout);
  std::thread listener([&server] { server.listen_after_bind(); });
  int sig = 0;
  sigwait(&signals, &sig);
  server.stop();
  listener.join();
  return 0;
}
