// `bot serve`: the HTTP service. Signals are handled by sigwait on the main
// thread (blocked everywhere else): SIGHUP reloads, SIGINT/SIGTERM stop.
#include <pthread.h>
#include <signal.h>

#include <iostream>
#include <thread>

#include "bot/app/common.h"
#include "bot/app/verbs.h"
#include "bot/edge/http_server.h"
#include "bot/edge/log.h"
#include "bot/edge/reloader.h"

namespace bot::app {
namespace {

constexpr char kUsage[] =
    "usage: bot serve [--host 127.0.0.1] [--port 8080] [--intents DIR] [--facts DIR]\n"
    "                 [--log-level info]\n"
    "Serves the HTTP API (POST /api/v1/ask, POST /api/v1/explain, GET /healthz,\n"
    "GET /api/v1/intents, GET /api/v1/facts). SIGHUP reloads the knowledge;\n"
    "SIGINT or SIGTERM stop after in-flight requests finish.\n";

}  // namespace

int RunServe(const Args& args) {
  int exit_code = kExitOk;
  auto flags = ParseVerbFlags(
      "serve", kUsage, args,
      KnowledgeFlagSpec({{"host", true}, {"port", true}, {"log-level", true}}), &exit_code);
  if (!flags) return exit_code;
  edge::HttpOptions options;
  options.host = flags->Get("host", "127.0.0.1");
  auto port = ParseNumber(flags->Get("port", "8080"));
  if (!port || *port > 65535 || *port != static_cast<int>(*port)) {
    std::cerr << "bot serve: --port takes a number from 0 to 65535\n";
    return kExitUsage;
  }
  options.port = static_cast<int>(*port);
  if (flags->Has("log-level")) {
    edge::LogLevel level;
    if (!edge::ParseLogLevel(flags->Get("log-level"), &level)) {
      std::cerr << "bot serve: --log-level is one of debug, info, warn, error\n";
      return kExitUsage;
    }
    edge::SetLogLevel(level);
  }
  auto knowledge = LoadOrReport(*flags);
  if (!knowledge) return kExitFailure;

  // Block the signals before any thread starts so every thread inherits it.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  edge::KnowledgeHolder holder(knowledge);
  edge::Reloader reloader(&holder, SourcesFrom(*flags));
  edge::HttpServer server(&holder, options);
  core::Status bound = server.Bind();
  if (!bound.ok()) {
    std::cerr << "bot serve: " << bound.message() << "\n";
    return kExitFailure;
  }
  edge::Log(edge::LogLevel::kInfo,
            {{"event", "listening"},
             {"url", "http://" + options.host + ":" + std::to_string(server.port())},
             {"intents", knowledge->intents().intents().size()},
             {"facts", knowledge->facts().facts().size()},
             {"content_hash", knowledge->version().content_hash}});
  std::thread listener([&server] { server.Listen(); });

  while (true) {
    int sig = 0;
    if (sigwait(&signals, &sig) != 0) continue;
    if (sig == SIGHUP) {
      reloader.Reload("sighup");
      continue;
    }
    edge::Log(edge::LogLevel::kInfo, {{"event", "shutdown"}, {"signal", sig == SIGINT ? "SIGINT" : "SIGTERM"}});
    break;
  }
  server.Stop();
  listener.join();
  edge::Log(edge::LogLevel::kInfo, {{"event", "stopped"}});
  return kExitOk;
}

}  // namespace bot::app
