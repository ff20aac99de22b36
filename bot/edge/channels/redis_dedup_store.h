// RedisDedupStore: the dedup store shared by replicas. Claim is one atomic
// `SET bot:dedup:<id> 1 NX EX <claim_ttl>` (the first replica to claim an
// id answers it, out-of-order ids are fine: never "highest id seen"); once
// answered, MarkDone sets it for the full TTL; Release deletes it. When
// Redis cannot answer, Claim throws StoreUnavailable (dedup fails closed:
// the webhook answers 503 and the platform redelivers) and the "dedup"
// degraded mode is on until a call succeeds again.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "bot/edge/channels/dedup_store.h"
#include "bot/edge/redis_client.h"

namespace bot::edge::channels {

class RedisDedupStore : public DedupStore {
 public:
  // `claim_ttl`: how long a claim holds before it is answered (a replica
  // that died mid-answer frees it after this); `ttl`: how long a finished
  // id is remembered.
  RedisDedupStore(std::shared_ptr<RedisClient> redis, std::chrono::seconds ttl,
                  std::chrono::seconds claim_ttl = std::chrono::seconds(600),
                  std::string prefix = "bot:dedup:");

  bool Claim(const std::string& id) override;
  bool Seen(const std::string& id) override;  // EXISTS
  void MarkDone(const std::string& id) override;
  void Release(const std::string& id) override;

 private:
  void Note(bool ok);

  std::shared_ptr<RedisClient> redis_;
  const std::chrono::seconds ttl_;
  const std::chrono::seconds claim_ttl_;
  const std::string prefix_;
};

}  // namespace bot::edge::channels
