// The messenger channels of `bot serve`: registers POST (and for Meta GET)
// /webhooks/{platform} on the HttpServer for every platform in the registry,
// and runs the shared machinery behind them: deduplication by platform id,
// a per-chat ordered worker queue that answers through core and sends
// through the platform API with retries and throttling, the message
// splitter, and Telegram's long poller. A platform whose secrets are unset
// is off and its endpoint answers 404. Thread-safe; Stop() once.
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
#include "bot/edge/channels/dedup_store.h"
#include "bot/edge/channels/send_queue.h"
#include "bot/edge/http_server.h"
#include "bot/edge/knowledge_holder.h"
#include "bot/edge/context_store.h"
#include "bot/edge/rate_limiter.h"

namespace bot::edge::channels {

// The known platforms in wiring order: {name, factory}. Adding a platform is
// one file with its factory and one line in registry.cc.
struct RegistryEntry {
  const char* name;
  ChannelFactory factory;
};
const std::vector<RegistryEntry>& Registry();

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
  // Dedupes and queues; false when the queue is full.
  bool Dispatch(Channel* channel, const Event& event);
  // The queued work for `event`: answers it (or, with `slow_down`, asks the
  // user to slow down instead), then sends the parts in order, one try per
  // step, so retries wait in the queue instead of holding a worker.
  ChatQueue::Resumable Delivery(Channel* channel, const Event& event, bool slow_down);
  core::Reply ReplyFor(const Event& event, const std::string& channel) const;
  // Counts an answer dropped unsent because Stop() aborted the sender.
  void Abandoned(const Channel& channel);
  void Poll(Channel* channel);

  KnowledgeHolder* holder_;
  ChannelConfig config_;
  ChannelOptions options_;
  std::vector<std::unique_ptr<Channel>> channels_;
  DedupStore dedup_;
  RateLimiter limiter_;
  Sender sender_;
  ChatQueue queue_;
  std::atomic<bool> stopping_{false};
  std::atomic<uint64_t> abandoned_{0};
  std::vector<std::thread> pollers_;
  std::mutex poll_mutex_;
  std::vector<std::shared_ptr<httplib::Client>> poll_clients_;  // in-flight long polls
  std::once_flag stopped_;
};

// Starts the channels configured by `config` (the environment by default)
// on `server`. REQUIRES: before server.Bind().
std::unique_ptr<ChannelHub> StartChannels(HttpServer& server, KnowledgeHolder& holder,
                                          ChannelConfig config = {},
                                          ChannelOptions options = {});

}  // namespace bot::edge::channels
