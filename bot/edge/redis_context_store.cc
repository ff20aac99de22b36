#include "bot/edge/redis_context_store.h"

#include <algorithm>
#include <mutex>

#include "bot/edge/degraded.h"
#include "bot/edge/json_codec.h"
#include "bot/edge/metrics.h"

namespace bot::edge {
namespace {

void DescribeMetrics() {
  static std::once_flag once;
  std::call_once(once, [] {
    Metrics::Global().Describe(
        "bot_context_store_errors_total", Metrics::Type::kCounter,
        "Conversation-context calls to Redis that failed (down or slow): the question was "
        "answered without its context, or the context was not saved.");
  });
}

}  // namespace

RedisContextStore::RedisContextStore(std::shared_ptr<RedisClient> redis,
                                     ContextStoreOptions options, std::string prefix)
    : redis_(std::move(redis)), options_(options), prefix_(std::move(prefix)) {
  DescribeMetrics();
}

void RedisContextStore::Note(bool ok) {
  if (!ok) Metrics::Inc("bot_context_store_errors_total");
  DegradedModes::Global().Set("context", !ok);
}

core::ConversationContext RedisContextStore::Load(const std::string& key, int64_t) {
  auto reply = redis_->Run({"GET", prefix_ + key});
  if (!reply || reply->is_error()) {
    Note(false);
    return {};
  }
  Note(true);
  if (reply->type != RedisReply::Type::kString || reply->str.size() > kMaxValueBytes) return {};
  auto context = ContextFromJson(nlohmann::json::parse(reply->str, nullptr, false));
  if (!context || context->turns > options_.max_turns) return {};
  return std::move(*context);
}

void RedisContextStore::Save(const std::string& key, core::ConversationContext context,
                             int64_t) {
  std::string value;
  if (!context.empty() && context.turns <= options_.max_turns) {
    value = Dump(ContextToJson(context));
  }
  std::optional<RedisReply> reply;
  if (value.empty() || value.size() > kMaxValueBytes) {
    reply = redis_->Run({"DEL", prefix_ + key});  // forgotten, as in memory
  } else {
    reply = redis_->Run({"SET", prefix_ + key, value, "PX",
                         std::to_string(std::max<int64_t>(options_.ttl_ms, 1))});
  }
  Note(reply && !reply->is_error());
}

bool RedisContextStore::Erase(const std::string& key) {
  auto reply = redis_->Run({"DEL", prefix_ + key});
  const bool ok = reply && !reply->is_error();
  Note(ok);
  return ok && reply->type == RedisReply::Type::kInteger && reply->integer > 0;
}

}  // namespace bot::edge
