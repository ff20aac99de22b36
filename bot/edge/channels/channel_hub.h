// ChannelHub: the messenger channels of `bot serve`. Registers POST (and for
// Meta GET) /webhooks/{platform} on the HttpServer for every platform in the
// registry, and runs the shared machinery behind them: deduplication by
// platform id (dedup_store.h), per-user rate limits (rate_limiter.h), the
// outbound queue (outbound_queue.h, ordered per chat) and the workers that
// take Deliveries from it, answer through core and send through the
// platform API (sender.h), and Telegram's long poller. The stores and the
// queue are interfaces with in-memory defaults, so replicas can share them.
// A platform whose secrets are unset is off and its endpoint answers 404.
// Thread-safe; Stop() once.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "bot/core/message.h"
#include "bot/edge/channels/channel.h"
#include "bot/edge/channels/api_client.h"
#include "bot/edge/channels/dedup_store.h"
#include "bot/edge/channels/delivery.h"
#include "bot/edge/channels/outbound_queue.h"
#include "bot/edge/channels/registry.h"
#include "bot/edge/channels/sender.h"
#include "bot/edge/clock.h"
#include "bot/edge/http_server.h"
#include "bot/edge/knowledge_holder.h"
#include "bot/edge/context_store.h"
#include "bot/edge/rate_limiter.h"

namespace bot::edge::channels {

struct ChannelOptions {
  size_t workers = 4;                       // answering/sending threads
  size_t queue_capacity = 10000;            // events waiting, all chats together
  size_t dedup_capacity = 200000;           // ids remembered
  std::chrono::seconds dedup_ttl{7 * 24 * 3600};  // Meta/WhatsApp redeliver for days
  size_t max_body_bytes = 1 << 20;          // webhook bodies above this: 413
  RetryPolicy retry;
  // Overrides every platform's per-chat interval (tests use 0).
  std::optional<std::chrono::milliseconds> chat_interval;
  std::chrono::milliseconds drain_timeout{5000};  // Stop() waits this for queued work
  // Per user: a flooding user gets one "please slow down", then silence.
  RateLimitOptions rate_limit;
  // Told every question answered (not greetings), from a worker thread; the
  // same hook as HttpServer's, e.g. for the unmatched log.
  std::function<void(const core::Question&, const core::Reply&)> on_answer;
  // The time retries, intervals, TTLs and refills are read from.
  const Clock* clock = &SystemClock();
  // Shared state; null: in memory (sized by the options above).
  std::shared_ptr<DedupStore> dedup;
  std::shared_ptr<RateLimiter> rate_limiter;
  std::shared_ptr<OutboundQueue> queue;
  // One HTTP exchange with a platform; null: an ApiClient (tests fake it).
  Sender::Perform perform;
  // Conversations, keyed by (channel, chat, user); none: every message
  // stands alone. Outlives the hub.
  ContextStore* contexts = nullptr;
};

class ChannelHub {
 public:
  // Registers the routes on `server` (REQUIRES: before server->Bind()) and
  // starts the workers and, for polling channels, the poller.
  ChannelHub(HttpServer* server, KnowledgeHolder* holder, ChannelConfig config,
             ChannelOptions options);
  ~ChannelHub();
  ChannelHub(const ChannelHub&) = delete;
  ChannelHub& operator=(const ChannelHub&) = delete;

  // Stops polling, lets queued answers finish (up to `drain`, by default
  // drain_timeout), then abandons the rest, logging and counting how many
  // (bot_channel_abandoned_total). Call after the HTTP server stopped. Only
  // the first call acts.
  void Stop();
  void Stop(std::chrono::milliseconds drain);

  // Names of the channels that are on.
  std::vector<std::string> enabled() const;
  SendStats stats() const { return sender_.stats(); }

 private:
  void AddRoutes(HttpServer* server, const std::string& name, Channel* channel);
  // Dedupes, rate-limits and queues; false when the queue is full or the
  // shared dedup store is unavailable (the webhook answers 503).
  bool Dispatch(Channel* channel, const Event& event);
  // Dispatch through a queue that admits (OutboundQueue::admits()): all
  // three in one step. `key`: the event's dedup key.
  bool Admit(Channel* channel, const Event& event, const std::string& key);
  // A worker: takes due deliveries and steps them until the queue is
  // finished.
  void Work();
  // One step of `delivery`: answers it when first taken (or uses its fixed
  // text), then sends its calls in order, one try per step, so retries wait
  // in the queue instead of holding a worker. True when it is finished.
  bool Step(Delivery* delivery);
  Channel* Find(const std::string& name) const;
  core::Reply ReplyFor(const Event& event, const std::string& channel) const;
  // Counts an answer dropped unsent because Stop() aborted the sender.
  void Abandoned(const Channel& channel);
  void Poll(Channel* channel);

  KnowledgeHolder* holder_;
  ChannelConfig config_;
  ChannelOptions options_;
  std::vector<std::unique_ptr<Channel>> channels_;
  std::shared_ptr<DedupStore> dedup_;
  std::shared_ptr<RateLimiter> limiter_;
  std::shared_ptr<OutboundQueue> queue_;
  Sender sender_;
  ApiClient poll_client_;  // long polls; cancelled by Stop()
  std::atomic<bool> stopping_{false};
  std::atomic<uint64_t> abandoned_{0};
  std::vector<std::thread> workers_;
  std::vector<std::thread> pollers_;
  std::once_flag stopped_;
};

// Starts the channels configured by `config` (the environment by default)
// on `server`. REQUIRES: before server.Bind().
std::unique_ptr<ChannelHub> StartChannels(HttpServer& server, KnowledgeHolder& holder,
                                          ChannelConfig config = {},
                                          ChannelOptions options = {});

}  // namespace bot::edge::channels
