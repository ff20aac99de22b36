// RedisContextStore: the conversation contexts shared by replicas, so a
// follow-up that lands on another replica is read with the first turn's
// context. One string per conversation, `<prefix><key>` (for example
// "bot:ctx:http:SESSION"), holding the context as JSON (ContextToJson);
// every Save is one `SET key value PX ttl_ms`, so the TTL is renewed with
// each turn in the same command, and Redis (not the replicas' clocks, which
// need not agree) decides when a context expired: the `now_ms` the
// interface passes is not used. max_turns is kept as in memory (a context
// spanning more turns is forgotten); the value is bounded (kMaxValueBytes:
// a larger one is neither written nor read). There is no max_sessions in
// Redis: idle contexts expire after the TTL, and Redis's maxmemory bounds
// the rest.
//
// Redis down or slow (a call past the client's timeout): Load returns an
// empty context (the question is answered without it), Save and Erase do
// nothing; the "context" degraded mode is on (one log line when it starts,
// one when it ends, the gauge bot_degraded{feature="context"}) and
// bot_context_store_errors_total counts the calls that failed. It recovers
// by itself: the first call that succeeds turns the mode off.
// Thread-safe (RedisClient is).
#pragma once

#include <memory>
#include <string>

#include "bot/edge/context_store.h"
#include "bot/edge/redis_client.h"

namespace bot::edge {

class RedisContextStore final : public ContextStore {
 public:
  // Contexts are a few hundred bytes; core bounds them well below this.
  static constexpr size_t kMaxValueBytes = 16 * 1024;

  RedisContextStore(std::shared_ptr<RedisClient> redis, ContextStoreOptions options,
                    std::string prefix = "bot:ctx:");

  core::ConversationContext Load(const std::string& key, int64_t now_ms) override;
  void Save(const std::string& key, core::ConversationContext context,
            int64_t now_ms) override;
  bool Erase(const std::string& key) override;

 private:
  void Note(bool ok);

  std::shared_ptr<RedisClient> redis_;
  const ContextStoreOptions options_;
  const std::string prefix_;
};

}  // namespace bot::edge
