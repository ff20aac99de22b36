// RedisStreamQueue: the outbound queue shared by replicas, a Redis Stream
// with a consumer group (every call through RedisClient: hiredis, no
// hand-written protocol). Durable: the webhook answers 200 only once its
// delivery is in the stream, so a replica that dies after that loses
// nothing.
//
// - Enqueue: one script: refuses when the stream already holds `max_len`
//   unacknowledged entries (MAXLEN trimming would drop one: counted in
//   bot_channel_stream_full_total; the webhook answers 503), else XADD
//   (MAXLEN ~ max_len as the hard cap) and RPUSH of the entry id on the
//   chat's list.
// - Admit (with dedup_prefix and rate_limit: `bot serve`): the webhook's
//   whole admission in one script, one round trip before its 200: the
//   dedup look (a repeat takes nothing), the user's token
//   (RedisRateBucket, the rate limiter's own Lua), then the enqueue above
//   with the event's dedup claim beside the XADD.
// - Each replica is one consumer: a fetcher thread XREADGROUPs up to
//   `prefetch` entries and hands them to the hub's workers (TakeDue).
// - Per-chat order: one consumer per chat at a time. A chat's list holds
//   its unacknowledged entry ids in stream order; only the oldest one (the
//   list's head) may be worked on, by whichever consumer holds it in the
//   group's pending list; the others wait where they are (held, not sent)
//   until the ack script pops the head. Chosen over partitioning chats by
//   hash because it needs no assignment of partitions to replicas (no
//   leases to rebalance when replicas come and go): any replica takes any
//   entry, and XAUTOCLAIM alone moves a dead replica's work.
// - A heartbeat (XCLAIM to itself, JUSTID, only for entries it still owns)
//   keeps the entries this replica holds from looking idle, including
//   those waiting minutes for a retry; XAUTOCLAIM takes the entries idle
//   longer than `claim_idle` (set it above the slowest send) from replicas
//   that died.
// - Before each platform call, an idempotency record
//   `<prefix>sent:<entry>:<call>`, written by one script with Redis's own
//   clock (TIME: replicas' clocks need not agree): "sending|<consumer>|<T>"
//   while a send is in flight since T, "sent" once the platform said so
//   (MarkSent, the moment its answer is read), "tried|<consumer>" when the
//   try ended without success or was not made (EndSend). A consumer that
//   takes an entry over (XAUTOCLAIM) reads the record first:
//     "sent"      skips the call (bot_channel_stream_skipped_sends_total);
//     "tried"     sends it: nothing was in flight;
//     "sending" younger than `send_bound` (the slowest call: connect +
//                 read timeout) waits (kWait) until T + send_bound, then
//                 reads it again: a holder that is alive but lost the entry
//                 (its heartbeat failed) finishes its call and writes
//                 "sent" or "tried" meanwhile, so the two never both send;
//     "sending" older than that sends it again: its holder died during the
//                 call (bot_channel_stream_unconfirmed_resends_total, log
//                 send_resumed_unconfirmed).
//   The window that remains (the platforms' send APIs take no idempotency
//   key; Telegram's does not): a holder that dies after the platform took
//   the message and before "sent" is written - the platform's own time to
//   answer plus one Redis round trip - has it sent twice. A try that timed
//   out may have been delivered too (as in one process, the retry sends it
//   again). Exactly once everywhere else.
// - The answer (its text and buttons, never the rendered calls: they carry
//   tokens) is remembered (`<prefix>answer:<entry>`, Remember) before the
//   first call, so an entry taken over is sent as first answered (Recall):
//   not answered again, its conversation not advanced twice, not counted
//   or logged as unmatched twice. Only entries taken over or read back are
//   looked up: no round trip for the rest.
// - Consumers are new names each start; the claim pass also deletes
//   (XGROUP DELCONSUMER, in one script with XINFO CONSUMERS, so nothing is
//   read between the look and the delete) consumers with nothing pending
//   that have been idle longer than claim_idle: the group's consumer list
//   stays as long as the replicas running.
// - Ack: one script: XACK, XDEL, LREM from the chat's list. After Stop(),
//   entries not finished are handed back (XCLAIM IDLE: claimable by another
//   replica at once) instead of acknowledged.
// - Redis down: Enqueue fails (the webhook answers 503, the platform
//   redelivers); held deliveries wait (BeginSend says kUnavailable);
//   acks and "sent" records that failed are replayed, in order, once Redis
//   answers; the "send_queue" degraded mode is on meanwhile. Nothing is
//   lost or sent twice.
// Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "bot/edge/channels/outbound_queue.h"
#include "bot/edge/channels/sender.h"
#include "bot/edge/clock.h"
#include "bot/edge/redis_client.h"
#include "bot/edge/redis_rate_limiter.h"

namespace bot::edge::channels {

struct RedisStreamOptions {
  // Keys: <prefix>stream, <prefix>chat:<chat key>, <prefix>sent:<entry>:<call>.
  std::string prefix = "bot:out:";
  std::string group = "bot";
  std::string consumer;  // "": <hostname>:<pid>:<random>, new each start
  size_t max_len = 10000;   // unacknowledged entries, all replicas together
  // Entries this replica holds at most. Many: most wait (a chat's
  // interval between sends, a retry, their turn), not a worker.
  size_t prefetch = 1000;
  // Entries idle longer than this are taken from the replica holding them:
  // above the slowest send (connect + read timeout of one platform call).
  std::chrono::milliseconds claim_idle{30000};
  std::chrono::milliseconds claim_interval{1000};  // how often to look (XAUTOCLAIM)
  std::chrono::milliseconds read_block{100};     // XREADGROUP BLOCK (< the client timeout)
  std::chrono::seconds record_ttl{3600};         // idempotency records, chat lists
  // The longest one platform call can take (connect + read timeout): how
  // long a "sending" record of another consumer is believed.
  std::chrono::milliseconds send_bound{21000};
  size_t max_replay = 10000;                     // failed writes kept for replay
  // The dedup store's key prefix (RedisDedupStore's, same Redis): set, the
  // queue claims event ids as it enqueues (EnqueueClaiming, one script),
  // remembered for dedup_ttl. Empty: the hub claims first.
  std::string dedup_prefix;
  std::chrono::seconds dedup_ttl{7 * 24 * 3600};
  // The rate limiter's buckets (RedisRateLimiter's, same Redis): set with
  // dedup_prefix, the queue admits webhook events (Admit): dedup look, the
  // user's token and the claim-and-enqueue in one script, one round trip.
  std::optional<RateLimitOptions> rate_limit;
  std::string rate_prefix = "bot:rate:";
};

class RedisStreamQueue : public OutboundQueue {
 public:
  // Creates the group (MKSTREAM) if needed and starts the fetcher.
  RedisStreamQueue(std::shared_ptr<RedisClient> redis, RedisStreamOptions options,
                   const Clock& clock = SystemClock());
  // Stops the fetcher. Entries still held stay pending in Redis, as a crash
  // leaves them (another replica claims them after claim_idle); Stop()
  // hands them back first.
  ~RedisStreamQueue() override;
  RedisStreamQueue(const RedisStreamQueue&) = delete;
  RedisStreamQueue& operator=(const RedisStreamQueue&) = delete;

  bool Enqueue(Delivery delivery) override;
  bool claims_dedup() const override { return !options_.dedup_prefix.empty(); }
  ClaimedEnqueue EnqueueClaiming(Delivery delivery, const std::string& dedup_id) override;
  // Admitting, the "dedup" degraded mode follows this queue's Redis calls
  // (on while Redis cannot be reached: the webhook answers 503), as
  // "send_queue" does; Admit clears "rate_limit" when Redis answers.
  bool admits() const override { return claims_dedup() && bucket_.has_value(); }
  Admitted Admit(Delivery delivery, const std::string& dedup_id,
                 const std::string& rate_key) override;
  Offered Offer(Delivery delivery) override;
  std::optional<Delivery> TakeDue(std::chrono::milliseconds max_wait) override;
  void Ack(const Delivery& delivery) override;
  void RetryLater(Delivery delivery) override;
  SendTurn BeginSend(const Delivery& delivery, size_t call,
                     std::chrono::milliseconds* retry_in = nullptr) override;
  void MarkSent(const Delivery& delivery, size_t call) override;
  void EndSend(const Delivery& delivery, size_t call) override;
  std::optional<Answer> Recall(const Delivery& delivery) override;
  void Remember(const Delivery& delivery, const Answer& answer) override;
  void Close() override;
  void Stop() override;
  bool finished() const override;
  bool WaitIdle(std::chrono::milliseconds timeout) override;
  // Held by this replica (read, taken or waiting); the stream's length
  // over all replicas is the gauge bot_channel_stream_length.
  size_t pending() const override;
  size_t waiting() const override;

  const std::string& consumer() const { return options_.consumer; }

 private:
  // Stream ids compare as (milliseconds, sequence).
  using StreamId = std::pair<uint64_t, uint64_t>;
  struct Chat {
    std::map<StreamId, Delivery> entries;  // held, in stream order
    bool busy = false;   // one is taken, waiting for a retry or being acked
    bool ready = false;  // listed in ready_: `ready_id` is the chat's head
    StreamId ready_id{};
  };

  void Fetch();  // the fetcher thread
  bool EnsureGroup();
  bool Read();     // false when Redis did not answer or there is no room
  bool ReadOwn();  // this consumer's pending entries; false when Redis did not answer
  void AddEntries(const RedisReply& entries, std::string* last_id, bool recovered);
  void Claim();
  void DropIdleConsumers();
  void Heartbeat();
  void CheckBlocked();
  void Replay();
  // Adds entries read or claimed (`recovered`: taken over or read back,
  // so an answer may be remembered for it); false for one already held.
  bool Add(const std::string& id, const std::string& chat, const std::string& bytes,
           bool recovered = false);
  // Runs `write`; when it fails (Redis down) keeps it for Replay.
  void WriteOrReplay(std::function<bool()> write);
  bool AckInRedis(const std::string& id, const std::string& chat, std::string* head);
  void Release(const std::vector<std::string>& ids);
  // Removes the taken entry of `chat`. REQUIRES: mutex_ held.
  void DropTaken(const std::string& chat, const std::string& id);
  void PromoteDue();  // REQUIRES: mutex_ held
  void Note(bool ok);
  void Depth();       // REQUIRES: mutex_ held
  std::string StreamKey() const { return options_.prefix + "stream"; }
  std::string ChatKey(const std::string& chat) const { return options_.prefix + "chat:" + chat; }
  std::string RecordKey(const std::string& id, size_t call) const;
  std::string AnswerKey(const std::string& id) const { return options_.prefix + "answer:" + id; }
  static bool ParseId(const std::string& id, StreamId* out);
  static std::string FormatId(const StreamId& id);

  std::shared_ptr<RedisClient> redis_;
  RedisStreamOptions options_;
  std::optional<RedisRateBucket> bucket_;  // with options_.rate_limit
  const Clock& clock_;
  mutable std::mutex mutex_;
  std::condition_variable work_;
  std::condition_variable idle_;
  std::condition_variable fetcher_wake_;
  std::unordered_map<std::string, Chat> chats_;
  std::deque<std::string> ready_;
  std::set<std::string> blocked_;  // chats whose oldest held entry waits for its turn
  std::multimap<SteadyTime, std::string> waiting_;
  std::set<std::string> lost_;     // taken ids another consumer has claimed
  std::set<std::string> recovered_;  // held ids taken over or read back (Recall looks)
  size_t held_ = 0;
  bool closed_ = false;
  bool stopped_ = false;
  bool quit_ = false;
  bool read_own_ = true;  // the fetcher's: read this consumer's pending entries next
  std::mutex replay_mutex_;
  std::deque<std::function<bool()>> replay_;
  std::thread fetcher_;
};

// The queue `bot serve` runs with BOT_REDIS_URL: its own connection pool
// (`workers` + 12, so blocking reads never wait behind dedup, with a 1 s
// timeout: a slow reply to a read is not taken for a dead server),
// claim_idle: `claim_idle` (0: 10 s above the slowest send `retry`
// allows), send_bound the slowest send, `max_len` entries. With `dedup_ttl`
// > 0, the queue claims event ids in the default RedisDedupStore's keys
// ("bot:dedup:") as it enqueues, and with `rate_limit` too it admits
// webhook events in one round trip (Admit) in the default
// RedisRateLimiter's buckets ("bot:rate:").
std::shared_ptr<RedisStreamQueue> StreamQueueFor(
    const RedisOptions& redis, size_t workers, const RetryPolicy& retry, size_t max_len,
    std::chrono::milliseconds claim_idle = {}, std::chrono::seconds dedup_ttl = {},
    std::optional<RateLimitOptions> rate_limit = std::nullopt);

}  // namespace bot::edge::channels
