// OutboundQueue: the deliveries waiting to go out, in order per chat: a
// chat's next delivery is handed out only once the one before it is
// acknowledged, and one waiting for a retry holds its chat (but no worker).
// Workers loop TakeDue -> one step -> Ack or RetryLater, and ask BeginSend
// before each try of a platform call and tell MarkSent after one went
// through. An interface so that replicas can share it: ChatQueue
// (chat_queue.h) is the in-memory default, RedisStreamQueue
// (redis_stream_queue.h) a Redis Stream with a consumer group.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bot/edge/channels/delivery.h"

namespace bot::edge::channels {

class OutboundQueue {
 public:
  virtual ~OutboundQueue() = default;

  // Queues `delivery` after the earlier ones of its chat. False when the
  // queue is full or closed (the webhook answers 503 so the platform
  // redelivers).
  virtual bool Enqueue(Delivery delivery) = 0;
  // Enqueue, saying why a delivery was refused: the queue is full (or
  // closed), or the shared store behind it cannot be reached now. The
  // webhook answers 503 either way; the two are logged and counted apart.
  enum class Offered { kQueued, kFull, kUnavailable };
  virtual Offered Offer(Delivery delivery) {
    return Enqueue(std::move(delivery)) ? Offered::kQueued : Offered::kFull;
  }
  // A shared queue kept beside the shared dedup store (claims_dedup())
  // claims the event id `dedup_id` and queues `delivery` in one atomic step,
  // so a store failing between the two cannot leave a claim without its
  // answer (a redelivery would be taken for a repeat and never answered).
  // kRepeat: the id was claimed already (nothing queued); kFull and
  // kUnavailable as Offer's (nothing claimed). Others: the caller claims
  // first and calls Offer.
  enum class ClaimedEnqueue { kQueued, kRepeat, kFull, kUnavailable };
  virtual bool claims_dedup() const { return false; }
  virtual ClaimedEnqueue EnqueueClaiming(Delivery delivery, const std::string& dedup_id) {
    switch (Offer(std::move(delivery))) {
      case Offered::kQueued: return ClaimedEnqueue::kQueued;
      case Offered::kFull: return ClaimedEnqueue::kFull;
      case Offered::kUnavailable: return ClaimedEnqueue::kUnavailable;
    }
    return ClaimedEnqueue::kFull;
  }
  // A shared queue kept beside both the shared dedup store and the shared
  // rate limiter (admits()) takes a webhook event in one atomic step, one
  // round trip: the look whether `dedup_id` was claimed (kRepeat: nothing
  // taken), a token from `rate_key`'s bucket for the event (a redelivery of
  // the bucket's last event gets its decision again and takes none), then
  // the claim and `delivery` queued together (as EnqueueClaiming), or its
  // slow-down variant. kDropped: flooding, nothing queued or claimed;
  // kFull: nothing queued or claimed; kUnavailable: the store cannot be
  // reached, so nothing is known (dedup fails closed: the webhook answers
  // 503). REQUIRES: admits(); `delivery` is not a slow-down.
  enum class Admitted { kQueued, kSlowedDown, kDropped, kRepeat, kFull, kUnavailable };
  virtual bool admits() const { return false; }
  virtual Admitted Admit(Delivery delivery, const std::string& dedup_id,
                         const std::string& rate_key) {
    return Admitted::kUnavailable;
  }
  // The next delivery that is due, of a chat with none taken; waits up to
  // `max_wait` for one. nullopt when none came in time, and at once when
  // finished().
  virtual std::optional<Delivery> TakeDue(std::chrono::milliseconds max_wait) = 0;
  // A taken delivery is finished (sent or given up): its chat's next one
  // may be taken.
  virtual void Ack(const Delivery& delivery) = 0;
  // A taken delivery waits until its retry_at(), its chat with it. After
  // Stop() it is dropped instead (as Ack).
  virtual void RetryLater(Delivery delivery) = 0;

  // Whether to try call number `call` (delivery.sent()) of a taken
  // delivery now. A shared queue keeps an idempotency record per call, so
  // a delivery taken over from a replica that died is not sent twice:
  // kAlreadySent (another process sent it: skip it), kUnavailable (the
  // record cannot be written now: try later). In memory: always kSend.
  // kWait: another process began this call moments ago and may still be
  // sending it (its record says "sending since T"): ask again in
  // `*retry_in`, by which time its call has ended one way or the other.
  enum class SendTurn { kSend, kAlreadySent, kUnavailable, kWait };
  virtual SendTurn BeginSend(const Delivery& delivery, size_t call,
                             std::chrono::milliseconds* retry_in = nullptr) {
    return SendTurn::kSend;
  }
  // Call number `call` of a taken delivery went through.
  virtual void MarkSent(const Delivery& delivery, size_t call) {}
  // Call number `call` of a taken delivery was not sent this time (tried
  // and failed, or not tried yet): no send of it is in flight any more.
  virtual void EndSend(const Delivery& delivery, size_t call) {}

  // What a delivery says, kept so that one taken over from a replica that
  // died is sent as it was first answered, without answering it again (no
  // second context turn, no second count or unmatched-log line). The text
  // only, never the rendered calls (they carry tokens).
  struct Answer {
    std::vector<std::string> parts;
    std::vector<std::string> buttons;
  };
  // The answer remembered for `delivery` by the process that took it
  // first; nullopt when there is none (in memory: always).
  virtual std::optional<Answer> Recall(const Delivery& delivery) { return std::nullopt; }
  virtual void Remember(const Delivery& delivery, const Answer& answer) {}

  // Refuses new deliveries; queued ones still go out.
  virtual void Close() = 0;
  // Closes and makes every waiting delivery due now (each gets one last
  // step: shutdown).
  virtual void Stop() = 0;
  // Stopped, with nothing queued, waiting or taken: workers may exit.
  virtual bool finished() const = 0;
  // Waits up to `timeout` for nothing to be left; true when nothing is.
  virtual bool WaitIdle(std::chrono::milliseconds timeout) = 0;
  // Deliveries not yet acknowledged (queued, taken or waiting), and those
  // waiting for a retry.
  virtual size_t pending() const = 0;
  virtual size_t waiting() const = 0;
};

}  // namespace bot::edge::channels
