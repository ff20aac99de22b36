// `bot serve`: the HTTP service. Signals are handled by sigwait on the main
// thread (blocked everywhere else): SIGHUP reloads, SIGINT/SIGTERM stop.
#include <pthread.h>
#include <signal.h>

#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <future>
#include <iostream>
#include <memory>
#include <optional>
#include <thread>

#include "bot/app/common.h"
#include "bot/app/verbs.h"
#include "bot/edge/admin_routes.h"
#include "bot/edge/channels/channel_hub.h"
#include "bot/edge/channels/redis_dedup_store.h"
#include "bot/edge/channels/redis_stream_queue.h"
#include "bot/edge/config.h"
#include "bot/edge/file_watcher.h"
#include "bot/edge/http_server.h"
#include "bot/edge/log.h"
#include "bot/edge/metrics.h"
#include "bot/edge/redis_client.h"
#include "bot/edge/redis_context_store.h"
#include "bot/edge/redis_rate_limiter.h"
#include "bot/edge/redis_recovery.h"
#include "bot/edge/reloader.h"
#include "bot/edge/request_log.h"
#include "bot/edge/unmatched_log.h"
#include "bot/edge/web_chat.h"

namespace bot::app {
namespace {

constexpr char kUsage[] =
    "usage: bot serve [--config FILE] [--host 127.0.0.1] [--port 8080] [--intents DIR]\n"
    "                 [--facts DIR] [--log-level info] [--log-text] [--admin-port N]\n"
    "                 [--unmatched-log FILE] [--no-watch]\n"
    "Serves the HTTP API (POST /api/v1/ask, POST /api/v1/explain, GET /healthz,\n"
    "GET /readyz, GET /metrics, GET /api/v1/intents, GET /api/v1/facts) and the\n"
    "web chat at GET /chat (web.chat / BOT_WEB_CHAT; default: on a loopback host).\n"
    "Settings: defaults < --config FILE < BOT_* environment < flags (see\n"
    "`bot config check`). --admin-port moves /admin/* and /metrics to a separate\n"
    "loopback listener. SIGHUP reloads the knowledge; SIGINT or SIGTERM drain\n"
    "(/readyz 503), stop accepting, finish in-flight work and exit 0.\n"
    "Edits to the intents/facts directories reload automatically (inotify, 300 ms\n"
    "debounce; --no-watch turns it off); a broken edit keeps the old knowledge.\n"
    "With BOT_ADMIN_TOKEN set: POST /admin/reload, GET /admin/status (Bearer token).\n"
    "--unmatched-log FILE records fallbacks as JSON lines for `bot unmatched`.\n";

// Flag name -> config key; flags beat the file and the environment.
const std::pair<const char*, const char*> kFlagKeys[] = {
    {"host", "http.host"},         {"port", "http.port"},      {"intents", "data.intents_dir"},
    {"facts", "data.facts_dir"},   {"log-level", "log.level"}, {"admin-port", "admin.port"},
};

edge::HttpOptions HttpOptionsFrom(const edge::ServiceConfig& c) {
  edge::HttpOptions o;
  o.host = c.host;
  o.port = c.port;
  o.min_threads = static_cast<size_t>(c.min_threads);
  o.max_threads = static_cast<size_t>(c.max_threads);
  o.max_connections = static_cast<size_t>(c.max_connections);
  o.read_timeout_ms = c.read_timeout_ms;
  o.write_timeout_ms = c.write_timeout_ms;
  o.keep_alive_timeout_s = c.keep_alive_timeout_s;
  o.keep_alive_max_count = static_cast<size_t>(c.keep_alive_max_count);
  o.max_body_bytes = static_cast<size_t>(c.max_body_bytes);
  o.metrics_route = c.admin_port == 0;
  return o;
}

// Publishes the knowledge in service as gauges at each scrape.
void AddKnowledgeMetrics(edge::KnowledgeHolder* holder, edge::HttpServer* server) {
  auto& m = edge::Metrics::Global();
  m.Describe("bot_knowledge_info", edge::Metrics::Type::kGauge,
             "The knowledge in service: 1, labelled with its content hash and load time.");
  m.Describe("bot_knowledge_intents", edge::Metrics::Type::kGauge, "Intents in service.");
  m.Describe("bot_knowledge_facts", edge::Metrics::Type::kGauge, "Facts in service.");
  m.Describe("bot_draining", edge::Metrics::Type::kGauge,
             "1 while shutting down (readyz answers 503), else 0.");
  m.AddCollector([holder, server](edge::Metrics& metrics) {
    auto k = holder->Get();
    metrics.SetGauge("bot_draining", {}, server->draining() ? 1 : 0);
    if (!k) return;
    metrics.Clear("bot_knowledge_info");
    metrics.SetGauge("bot_knowledge_info",
                     {{"content_hash", k->version().content_hash.substr(0, 16)},
                      {"loaded_at", k->version().loaded_at}},
                     1);
    metrics.SetGauge("bot_knowledge_intents", {}, static_cast<double>(k->intents().intents().size()));
    metrics.SetGauge("bot_knowledge_facts", {}, static_cast<double>(k->facts().facts().size()));
  });
}

}  // namespace

int RunServe(const Args& args) {
  int exit_code = kExitOk;
  auto flags = ParseVerbFlags("serve", kUsage, args,
                              KnowledgeFlagSpec({{"host", true},
                                                 {"port", true},
                                                 {"log-level", true},
                                                 {"log-text", false},
                                                 {"admin-port", true},
                                                 {"config", true},
                                                 {"unmatched-log", true},
                                                 {"no-watch", false}}),
                              &exit_code);
  if (!flags) return exit_code;
  edge::LoadedConfig loaded = edge::LoadConfig(flags->Get("config"), edge::BotEnvironment());
  if (!loaded.ok()) {
    std::cerr << edge::FormatDiagnostics(loaded.diagnostics)
              << "bot serve: invalid configuration\n";
    return kExitFailure;
  }
  for (const auto& [flag, key] : kFlagKeys) {
    if (!flags->Has(flag)) continue;
    core::Status set = edge::SetConfigField(&loaded, key, flags->Get(flag));
    if (!set.ok()) {
      std::cerr << "bot serve: --" << flag << ": " << set.message() << "\n";
      return kExitUsage;
    }
  }
  if (flags->Has("log-text")) loaded.config.log_text = true;
  const edge::ServiceConfig& config = loaded.config;
  // Before the first line: whatever a platform echoes, no secret is logged.
  std::vector<std::string> secrets;
  for (const auto& [name, value] : config.secrets) secrets.push_back(value);
  // BOT_REDIS_URL: shared state for replicas; unset, all stays in process.
  std::optional<edge::RedisUrl> redis_url;
  if (std::string url = config.Secret("BOT_REDIS_URL"); !url.empty()) {
    std::string error;
    redis_url = edge::ParseRedisUrl(url, &error);
    if (!redis_url) {
      std::cerr << "bot serve: BOT_REDIS_URL " << error << "\n";
      return kExitUsage;
    }
    secrets.push_back(redis_url->password);
  }
  edge::SetLogSecrets(secrets);
  for (const auto& w : loaded.diagnostics) {
    edge::Log(edge::LogLevel::kWarn,
              {{"event", "config"}, {"warning", core::FormatDiagnostic(w)}});
  }
  edge::LogLevel level;
  edge::ParseLogLevel(config.log_level, &level);  // validated by the config
  edge::SetLogLevel(level);
  edge::SetLogText(config.log_text);
  edge::HttpOptions options = HttpOptionsFrom(config);
  edge::KnowledgeSources sources;
  sources.intents_dir = config.intents_dir;
  sources.facts_dir = config.facts_dir;
  double load_ms = 0;
  auto load = edge::LoadKnowledge(sources, nullptr, &load_ms);
  if (!load.ok()) {
    std::cerr << load.status().message() << "\n"
              << "bot: the knowledge has errors; run `bot check` for details\n";
    return kExitFailure;
  }
  auto knowledge = load.value();

  // Block the signals before any thread starts so every thread inherits it.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  edge::KnowledgeHolder holder(knowledge);
  edge::Reloader reloader(&holder, sources, load_ms);
  // Conversations (follow-up questions), for /api/v1/ask sessions and chats.
  edge::ContextStoreOptions context_options;
  context_options.ttl_ms = int64_t{config.context_ttl_s} * 1000;
  context_options.max_turns = config.context_max_turns;
  context_options.max_sessions = static_cast<size_t>(config.context_max_sessions);
  // With BOT_REDIS_URL the replicas share the shared-state client below
  // (dedup, rate limits, contexts); without it everything stays in process.
  // Its pool (RedisOptions::pool_size, 4): each call holds a connection for
  // one round trip on loopback (well under a millisecond), so 4 serve
  // thousands of calls a second; a call that finds all 4 busy waits for one
  // up to the timeout. The outbound stream, whose reads block, has its own.
  std::shared_ptr<edge::RedisClient> redis;
  if (redis_url) {
    edge::RedisOptions redis_options;
    redis_options.url = *redis_url;
    redis = std::make_shared<edge::RedisClient>(redis_options);
  }
  std::unique_ptr<edge::ContextStore> contexts;
  if (redis) {
    // Shared: a follow-up on another replica is read with the first turn.
    contexts = std::make_unique<edge::RedisContextStore>(redis, context_options);
  } else {
    contexts = std::make_unique<edge::InMemoryContextStore>(context_options);
  }
  options.contexts = contexts.get();
  edge::HttpServer server(&holder, options);
  AddKnowledgeMetrics(&holder, &server);
  std::unique_ptr<edge::UnmatchedLog> unmatched;
  if (flags->Has("unmatched-log")) {
    edge::UnmatchedLogOptions log_options;
    log_options.path = flags->Get("unmatched-log");
    auto opened = edge::UnmatchedLog::Open(log_options);
    if (!opened.ok()) {
      std::cerr << "bot serve: " << opened.status().message() << "\n";
      return kExitFailure;
    }
    unmatched = std::move(opened.value());
  }
  // HTTP and messenger fallbacks alike go to the unmatched log.
  std::function<void(const core::Question&, const core::Reply&)> on_answer;
  if (unmatched) {
    on_answer = [log = unmatched.get()](const core::Question& q, const core::Reply& r) {
      log->Record(q, r);
    };
    server.set_answer_observer(on_answer);
  }
  // The admin listener: loopback only, no public API, /metrics (and the
  // /admin/* routes) instead of the public port.
  std::unique_ptr<edge::HttpServer> admin;
  if (config.admin_port != 0) {
    edge::HttpOptions admin_options;
    admin_options.host = config.admin_host;
    admin_options.port = config.admin_port;
    admin_options.min_threads = 1;
    admin_options.max_threads = 16;
    admin_options.api_routes = false;
    admin = std::make_unique<edge::HttpServer>(&holder, admin_options);
  }
  // /admin/* goes to the admin listener when there is one.
  edge::HttpServer& admin_target = admin ? *admin : server;
  edge::AddAdminRoutes(&admin_target, &holder, &reloader, config.Secret("BOT_ADMIN_TOKEN"));
  // Messenger webhooks (/webhooks/*) for every platform whose secrets are set.
  edge::channels::ChannelOptions channel_options;
  channel_options.max_body_bytes = static_cast<size_t>(config.webhook_max_body_bytes);
  channel_options.rate_limit.per_minute = config.rate_limit_per_minute;
  channel_options.rate_limit.burst = config.rate_limit_burst;
  channel_options.rate_limit.cooldown = std::chrono::seconds(config.rate_limit_cooldown_s);
  channel_options.rate_limit.max_keys = static_cast<size_t>(config.rate_limit_max_users);
  channel_options.on_answer = on_answer;
  std::unique_ptr<edge::RedisRecovery> recovery;
  if (redis) {
    channel_options.dedup = std::make_shared<edge::channels::RedisDedupStore>(
        redis, channel_options.dedup_ttl, std::chrono::seconds(config.redis_dedup_claim_ttl_s));
    channel_options.rate_limiter =
        std::make_shared<edge::RedisRateLimiter>(redis, channel_options.rate_limit);
    channel_options.queue = edge::channels::StreamQueueFor(
        edge::RedisOptions{redis->url()}, channel_options.workers, channel_options.retry,
        channel_options.queue_capacity, std::chrono::milliseconds(config.redis_claim_idle_ms),
        channel_options.dedup_ttl, channel_options.rate_limit);
    // The queue admits each webhook event in one script (dedup look, the
    // user's token, claim and enqueue: one round trip before the 200) and
    // keeps "dedup" and "send_queue" current with its own calls. The modes
    // of the stores on the shared client end at their next call; the
    // probe ends those left with no next call once Redis is back (e.g.
    // "context" after answers saved while it was down, then no traffic).
    std::vector<std::string> features = {"context", "rate_limit"};
    if (!channel_options.queue->admits()) features.push_back("dedup");
    recovery = std::make_unique<edge::RedisRecovery>(redis, std::move(features));
    edge::Log(edge::LogLevel::kInfo,
              {{"event", "shared_state"}, {"redis", redis_url->Scrubbed()}});
  }
  // The channels read their settings and secrets from the loaded config,
  // validated there, never from the environment themselves.
  channel_options.contexts = contexts.get();
  edge::channels::ChannelConfig channel_config;
  channel_config.env = [&loaded](const std::string& name) { return loaded.Lookup(name); };
  auto channels =
      edge::channels::StartChannels(server, holder, channel_config, channel_options);
  const bool web_chat = edge::WebChatEnabled(config.web_chat, options.host);
  if (web_chat) edge::AddWebChatRoutes(&server, &holder);
  core::Status bound = server.Bind();
  if (bound.ok() && admin) bound = admin->Bind();
  if (!bound.ok()) {
    std::cerr << "bot serve: " << bound.message() << "\n";
    return kExitFailure;
  }
  edge::Log(edge::LogLevel::kInfo,
            {{"event", "listening"},
             {"url", edge::HttpUrl(options.host, server.port())},
             {"intents", knowledge->intents().intents().size()},
             {"facts", knowledge->facts().facts().size()},
             {"content_hash", knowledge->version().content_hash}});
  if (web_chat) {
    edge::Log(edge::LogLevel::kInfo,
              {{"event", "web_chat"},
               {"url", edge::HttpUrl(options.host, server.port()) + "/chat"}});
  }
  std::thread listener([&server] { server.Listen(); });
  edge::FileWatcher watcher({sources.intents_dir, sources.facts_dir},
                            std::chrono::milliseconds(300),
                            [&reloader] { reloader.Reload("watch"); });
  if (!flags->Has("no-watch")) {
    core::Status watching = watcher.Start();
    if (!watching.ok()) {
      edge::Log(edge::LogLevel::kWarn, {{"event", "watch"}, {"error", watching.message()}});
    }
  }
  std::thread admin_listener;
  if (admin) {
    edge::Log(edge::LogLevel::kInfo,
              {{"event", "listening"},
               {"role", "admin"},
               {"url", edge::HttpUrl(config.admin_host, admin->port())}});
    admin_listener = std::thread([&admin] { admin->Listen(); });
  }

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
  // Drain: /readyz turns 503 so balancers stop routing here, while requests
  // are still served; a second signal cuts the delay short.
  server.SetDraining(true);
  if (config.drain_delay_ms > 0) {
    timespec delay{config.drain_delay_ms / 1000, (config.drain_delay_ms % 1000) * 1000000L};
    sigtimedwait(&signals, nullptr, &delay);
  }
  // Stop accepting, let in-flight requests (and then the channels' send
  // queue) finish, all within the deadline; past it, exit without waiting.
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::milliseconds(config.shutdown_deadline_ms);
  auto stopped = std::async(std::launch::async, [&] {
    server.Stop();
    listener.join();
    // Queued answers (and their retries) get what is left of the deadline,
    // less a moment for the rest of the shutdown; then the rest is abandoned.
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now() - std::chrono::milliseconds(500));
    channels->Stop(std::max(left, std::chrono::milliseconds(0)));
    if (admin) {
      admin->Stop();
      admin_listener.join();
    }
  });
  if (stopped.wait_until(deadline) != std::future_status::ready) {
    edge::Log(edge::LogLevel::kError,
              {{"event", "stopped"}, {"clean", false}, {"reason", "shutdown deadline passed"}});
    std::_Exit(kExitFailure);  // workers are still busy; do not wait on them
  }
  edge::Log(edge::LogLevel::kInfo, {{"event", "stopped"}, {"clean", true}});
  return kExitOk;
}

}  // namespace bot::app
