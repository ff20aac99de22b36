#include "bot/edge/reloader.h"

#include "bot/edge/log.h"
#include "bot/edge/metrics.h"

namespace bot::edge {

Reloader::Reloader(KnowledgeHolder* holder, KnowledgeSources sources, double initial_load_ms)
    : holder_(holder), sources_(std::move(sources)) {
  stats_.load_ms = initial_load_ms;
}

core::Status Reloader::Reload(const std::string& trigger) {
  std::lock_guard<std::mutex> serial(reload_mutex_);
  double load_ms = 0;
  auto loaded = LoadKnowledge(sources_, nullptr, &load_ms);
  std::lock_guard<std::mutex> lock(stats_mutex_);
  if (!loaded.ok()) {
    stats_.failed++;
    Metrics::Inc("bot_reloads_total", {{"trigger", trigger}, {"result", "error"}});
    stats_.last_error = loaded.status().message();
    stats_.last_error_at = NowIso8601();
    Log(LogLevel::kError, {{"event", "reload"},
                           {"trigger", trigger},
                           {"result", "error"},
                           {"error", stats_.last_error}});
    return loaded.status();
  }
  const auto& version = loaded.value()->version();
  holder_->Set(loaded.value());
  stats_.succeeded++;
  stats_.load_ms = load_ms;
  Metrics::Inc("bot_reloads_total", {{"trigger", trigger}, {"result", "ok"}});
  stats_.last_error.clear();
  Log(LogLevel::kInfo, {{"event", "reload"},
                        {"trigger", trigger},
                        {"result", "ok"},
                        {"content_hash", version.content_hash},
                        {"intents", loaded.value()->intents().intents().size()},
                        {"facts", loaded.value()->facts().facts().size()},
                        {"load_ms", load_ms}});
  return core::Status::Ok();
}

Reloader::Stats Reloader::stats() const {
  std::lock_guard<std::mutex> lock(stats_mutex_);
  return stats_;
}

}  // namespace bot::edge
