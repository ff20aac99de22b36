#include "bot/edge/channels/redis_dedup_store.h"

#include <algorithm>

#include "bot/edge/degraded.h"

namespace bot::edge::channels {

RedisDedupStore::RedisDedupStore(std::shared_ptr<RedisClient> redis, std::chrono::seconds ttl,
                                 std::chrono::seconds claim_ttl, std::string prefix)
    : redis_(std::move(redis)),
      ttl_(std::max<std::chrono::seconds>(ttl, std::chrono::seconds(1))),
      claim_ttl_(std::clamp<std::chrono::seconds>(claim_ttl, std::chrono::seconds(1), ttl_)),
      prefix_(std::move(prefix)) {}

void RedisDedupStore::Note(bool ok) { DegradedModes::Global().Set("dedup", !ok); }

bool RedisDedupStore::Claim(const std::string& id) {
  auto reply = redis_->Run(
      {"SET", prefix_ + id, "1", "NX", "EX", std::to_string(claim_ttl_.count())});
  if (!reply || reply->is_error()) {
    Note(false);
    throw StoreUnavailable("redis dedup store unavailable");
  }
  Note(true);
  return !reply->is_nil();  // OK: claimed; nil: someone has it
}

bool RedisDedupStore::Seen(const std::string& id) {
  auto reply = redis_->Run({"EXISTS", prefix_ + id});
  if (!reply || reply->is_error()) {
    Note(false);
    throw StoreUnavailable("redis dedup store unavailable");
  }
  Note(true);
  return reply->integer != 0;
}

void RedisDedupStore::MarkDone(const std::string& id) {
  // XX: only an id still claimed (a Release or an expiry is not undone).
  auto reply = redis_->Run({"SET", prefix_ + id, "2", "XX", "EX", std::to_string(ttl_.count())});
  Note(reply && !reply->is_error());
}

void RedisDedupStore::Release(const std::string& id) {
  auto reply = redis_->Run({"DEL", prefix_ + id});
  Note(reply && !reply->is_error());
}

}  // namespace bot::edge::channels
