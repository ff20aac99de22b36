#include "bot/edge/channels/channel_hub.h"

#include <algorithm>

#include "bot/core/answerer.h"
#include "bot/core/conversation.h"
#include "bot/edge/channels/chat_queue.h"
#include "bot/edge/channels/text_split.h"
#include "bot/edge/json_codec.h"
#include "bot/edge/log.h"
#include "bot/edge/metrics.h"
#include "bot/edge/request_log.h"

namespace bot::edge::channels {
namespace {

void NotFound(httplib::Response& res) {
  SendJson(res, 404, Dump(ErrorJson("no such endpoint")));
}

void DescribeChannelMetrics() {
  static std::once_flag once;
  std::call_once(once, [] {
    auto& m = Metrics::Global();
    m.Describe("bot_channel_events_total", Metrics::Type::kCounter,
               "Messenger events by channel and result: accepted, ignored (nothing to "
               "answer), deduplicated, rate_limited, slowed_down, queue_full, "
               "dedup_unavailable (shared store down: 503).");
    m.Describe("bot_channel_send_queue_depth", Metrics::Type::kGauge,
               "Answers queued or waiting for a retry, all channels together.");
    m.Describe("bot_channel_abandoned_total", Metrics::Type::kCounter,
               "Answers accepted but never sent because the shutdown deadline came first.");
    m.Describe("bot_channel_reply_errors_total", Metrics::Type::kCounter,
               "Replies dropped because building or sending them raised an error (bad "
               "content or a bug; each has a reply_failed log line).");
  });
}

// One reply could not be built or sent: it is dropped, never the process.
void ReplyFailed(const std::string& channel, const char* error) {
  Metrics::Inc("bot_channel_reply_errors_total", {{"channel", channel}});
  Log(LogLevel::kError, {{"event", "reply_failed"}, {"channel", channel}, {"error", error}});
}

void CountEvent(const std::string& channel, const char* result) {
  Metrics::Inc("bot_channel_events_total", {{"channel", channel}, {"result", result}});
}

}  // namespace

ChannelHub::ChannelHub(HttpServer* server, KnowledgeHolder* holder, ChannelConfig config,
                       ChannelOptions options)
    : holder_(holder),
      config_(std::move(config)),
      options_(std::move(options)),
      dedup_(options_.dedup),
      limiter_(options_.rate_limiter),
      queue_(options_.queue),
      sender_(options_.retry, options_.perform,
              options_.clock ? *options_.clock : SystemClock()),
      poll_client_(HttpTimeouts{options_.retry.connect_timeout, options_.retry.read_timeout}) {
  DescribeChannelMetrics();
  const Clock& clock = options_.clock ? *options_.clock : SystemClock();
  if (!dedup_) {
    dedup_ = std::make_shared<InMemoryDedupStore>(options_.dedup_capacity, options_.dedup_ttl,
                                                  clock);
  }
  if (!limiter_) limiter_ = std::make_shared<InMemoryRateLimiter>(options_.rate_limit, clock);
  if (!queue_) {
    queue_ = std::make_shared<ChatQueue>(
        options_.queue_capacity,
        [](size_t depth) {
          Metrics::Set("bot_channel_send_queue_depth", {}, static_cast<double>(depth));
        },
        clock);
  }
  if (!config_.env) config_.env = ProcessEnv();
  if (!config_.now_s) {
    config_.now_s = [] {
      return static_cast<int64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                      std::chrono::system_clock::now().time_since_epoch())
                                      .count());
    };
  }
  for (const RegistryEntry& entry : Registry()) {
    // `bot serve` refuses bad settings before this (config.cc); a caller
    // that skipped the config gets the channel off, never a guessed value.
    std::vector<std::string> problems = CheckSettings(entry.settings(), config_.env);
    std::unique_ptr<Channel> channel;
    if (problems.empty()) {
      channel = entry.factory(config_);
    } else {
      Log(LogLevel::kError,
          {{"event", "channel_off"}, {"channel", entry.name}, {"reason", problems.front()}});
    }
    AddRoutes(server, entry.name, channel.get());
    if (!channel) continue;
    Log(LogLevel::kInfo, {{"event", "channel_on"},
                          {"channel", entry.name},
                          {"mode", channel->webhook_enabled() ? "webhook" : "polling"}});
    channels_.push_back(std::move(channel));
  }
  for (size_t i = 0; i < std::max<size_t>(1, options_.workers); ++i) {
    workers_.emplace_back([this] { Work(); });
  }
  for (auto& channel : channels_) {
    Channel* c = channel.get();
    if (c->PollCall()) pollers_.emplace_back([this, c] { Poll(c); });
  }
}

ChannelHub::~ChannelHub() { Stop(); }

std::vector<std::string> ChannelHub::enabled() const {
  std::vector<std::string> names;
  for (const auto& c : channels_) names.push_back(c->name());
  return names;
}

void ChannelHub::AddRoutes(HttpServer* server, const std::string& name, Channel* channel) {
  const std::string path = "/webhooks/" + name;
  if (channel == nullptr || !channel->webhook_enabled()) {
    auto off = [](const httplib::Request&, httplib::Response& res) { NotFound(res); };
    server->Route("POST", path, off);
    server->Route("GET", path, off);
    return;
  }
  auto handle = [this, channel](const httplib::Request& req, httplib::Response& res) {
    WebhookResult result;
    try {
      result = channel->HandleWebhook(req);
    } catch (const nlohmann::json::exception&) {
      // A verified sender's JSON of an unexpected shape: its fault, not ours.
      SendJson(res, 400, Dump(ErrorJson("malformed event")));
      return;
    }
    if (result.events.empty() && result.status == 200 && !result.welcome) {
      CountEvent(channel->name(), "ignored");
    }
    for (const Event& event : result.events) {
      if (!Dispatch(channel, event)) {
        // Full: let the platform redeliver later rather than lose it.
        result.status = 503;
        result.body.clear();
        result.welcome = false;
      }
    }
    if (result.welcome) {
      Event greet;
      greet.greeting = true;
      try {
        core::Reply reply = ReplyFor(greet, channel->name());
        result.body = channel->WelcomeBody(reply.text, reply.suggestions);
        result.content_type = "application/json";
      } catch (const std::exception& e) {
        // Acknowledged without the welcome rather than a 500 redelivered.
        ReplyFailed(channel->name(), e.what());
        result.body.clear();
      }
    }
    res.status = result.status;
    res.set_content(result.body, result.content_type);
  };
  // Meta batches can be large: the webhook's own limit, not the API's. The
  // framer enforces it (413) before the body is read: the one size check.
  server->Route("POST", path, handle, options_.max_body_bytes);
  if (channel->takes_get()) server->Route("GET", path, handle, options_.max_body_bytes);
}

bool ChannelHub::Dispatch(Channel* channel, const Event& event) {
  const std::string key = channel->name() + ":" + event.id;
  if (!event.id.empty() && queue_->admits()) return Admit(channel, event, key);
  // A queue beside the shared dedup store claims as it enqueues (one
  // atomic step); here only a look whether the id was seen.
  const bool claim_on_enqueue = !event.id.empty() && queue_->claims_dedup();
  if (!event.id.empty()) {
    bool claimed = false;
    try {
      claimed = claim_on_enqueue ? !dedup_->Seen(key) : dedup_->Claim(key);
    } catch (const StoreUnavailable&) {
      // Dedup fails closed: unsure whether another replica answers it, the
      // webhook answers 503 and the platform redelivers later.
      CountEvent(channel->name(), "dedup_unavailable");
      return false;
    }
    if (!claimed) {  // a redelivery
      CountEvent(channel->name(), "deduplicated");
      return true;
    }
  }
  const std::string chat = channel->name() + ":" + event.chat;
  bool slowed = false;
  // Keyed by the event too: the platform's redeliveries of a message
  // refused with 503 are not charged again.
  switch (limiter_->TryTakeFor(chat, event.id)) {
    case RateLimiter::Decision::kAllow:
      break;
    case RateLimiter::Decision::kSlowDown:
      slowed = true;
      break;
    case RateLimiter::Decision::kDrop:
      CountEvent(channel->name(), "rate_limited");
      return true;  // flooding: acknowledged, not answered
  }
  OutboundQueue::Offered offered = OutboundQueue::Offered::kQueued;
  if (claim_on_enqueue) {
    switch (queue_->EnqueueClaiming(Delivery(channel->name(), event, slowed), key)) {
      case OutboundQueue::ClaimedEnqueue::kQueued:
        break;
      case OutboundQueue::ClaimedEnqueue::kRepeat:  // another replica was quicker
        CountEvent(channel->name(), "deduplicated");
        return true;
      case OutboundQueue::ClaimedEnqueue::kFull:
        offered = OutboundQueue::Offered::kFull;
        break;
      case OutboundQueue::ClaimedEnqueue::kUnavailable:
        offered = OutboundQueue::Offered::kUnavailable;
        break;
    }
  } else {
    offered = queue_->Offer(Delivery(channel->name(), event, slowed));
  }
  if (offered != OutboundQueue::Offered::kQueued) {
    // (Claiming as it enqueues, nothing was claimed: the id may be
    // another replica's by now.)
    if (!event.id.empty() && !claim_on_enqueue) dedup_->Release(key);
    // Full (too much waiting) and unavailable (the shared queue's Redis
    // cannot be reached) call for different fixes: told apart.
    const bool full = offered == OutboundQueue::Offered::kFull;
    CountEvent(channel->name(), full ? "queue_full" : "queue_unavailable");
    Log(LogLevel::kWarn, {{"event", full ? "channel_queue_full" : "channel_queue_unavailable"},
                          {"channel", channel->name()}});
    return false;
  }
  CountEvent(channel->name(), slowed ? "slowed_down" : "accepted");
  return true;
}

bool ChannelHub::Admit(Channel* channel, const Event& event, const std::string& key) {
  const std::string chat = channel->name() + ":" + event.chat;
  const char* result = "accepted";
  switch (queue_->Admit(Delivery(channel->name(), event), key, chat)) {
    case OutboundQueue::Admitted::kQueued:
      break;
    case OutboundQueue::Admitted::kSlowedDown:
      result = "slowed_down";
      break;
    case OutboundQueue::Admitted::kDropped:
      result = "rate_limited";  // flooding: acknowledged, not answered
      break;
    case OutboundQueue::Admitted::kRepeat:
      result = "deduplicated";
      break;
    case OutboundQueue::Admitted::kFull:
      CountEvent(channel->name(), "queue_full");
      Log(LogLevel::kWarn, {{"event", "channel_queue_full"}, {"channel", channel->name()}});
      return false;
    case OutboundQueue::Admitted::kUnavailable:
      // One script did it all: Redis unreachable means dedup is unknown,
      // and dedup fails closed (503, the platform redelivers later).
      CountEvent(channel->name(), "dedup_unavailable");
      return false;
  }
  CountEvent(channel->name(), result);
  return true;
}

core::Reply ChannelHub::ReplyFor(const Event& event, const std::string& channel) const {
  auto knowledge = holder_->Get();
  core::Reply reply;
  if (!knowledge) return reply;  // nothing to say: no knowledge is loaded
  core::Question question{event.greeting ? "help" : event.text, channel + ":" + event.chat,
                          channel};
  question.lang_hint = event.lang_hint;
  // One conversation per (channel, chat, user).
  const std::string key =
      channel + ":" + event.chat + ":" + (event.user.empty() ? event.chat : event.user);
  if (event.reset) {
    if (options_.contexts) options_.contexts->Erase(key);
    const std::string* text = knowledge->ReplyText("reset");
    if (!text) text = knowledge->ReplyText(core::kReplyGreeting);
    if (text) reply.text = *text;
    return reply;
  }
  if (options_.contexts && !event.greeting) {
    const Clock& clock = options_.clock ? *options_.clock : SystemClock();
    const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                            clock.Now().time_since_epoch())
                            .count();
    auto context = options_.contexts->Share(key, now);  // read-only, not copied
    // One turn per thread, reused (see HttpServer's /api/v1/ask).
    thread_local core::Turn turn;
    core::AnswerTurn(*knowledge, question, *context, &turn);
    context.reset();  // the store may reuse it now
    options_.contexts->Keep(key, &turn.next, now);
    reply = std::move(turn.reply);
  } else {
    reply = core::Answer(*knowledge, question);
  }
  if (!event.greeting) {
    NoteAnswer(reply, channel);
    if (options_.on_answer) options_.on_answer(question, reply);
  }
  // The knowledge may have no "help" intent: greet with the editor's
  // greeting and keep the suggestions as buttons.
  if (event.greeting && reply.fallback) {
    if (const std::string* greeting = knowledge->ReplyText(core::kReplyGreeting)) reply.text = *greeting;
  }
  return reply;
}

Channel* ChannelHub::Find(const std::string& name) const {
  for (const auto& c : channels_) {
    if (c->name() == name) return c.get();
  }
  return nullptr;
}

void ChannelHub::Work() {
  while (!queue_->finished()) {
    std::optional<Delivery> delivery = queue_->TakeDue(std::chrono::milliseconds(500));
    if (!delivery) continue;
    bool finished = true;
    try {
      finished = Step(&*delivery);
    } catch (...) {
      // The last net (Step catches its own): a step that throws is
      // finished, and the worker lives on.
      Log(LogLevel::kError, {{"event", "queue_task_failed"}});
    }
    if (!finished) {
      queue_->RetryLater(std::move(*delivery));
      continue;
    }
    // A queue that claims as it enqueues (or admits) wrote the id as done,
    // for the whole TTL, with the entry: marking it again would be a round
    // trip that changes nothing (and, failing, a "dedup" mode the queue's
    // own calls do not follow).
    if (std::string key = delivery->dedup_key(); !key.empty() && !queue_->claims_dedup()) {
      dedup_->MarkDone(key);
    }
    queue_->Ack(*delivery);
  }
}

bool ChannelHub::Step(Delivery* delivery) {
  Channel* channel = Find(delivery->channel());
  if (channel == nullptr) return true;  // not a channel of this process
  try {
    if (!delivery->rendered()) {
      if (sender_.aborted()) {
        Abandoned(*channel);
        return true;
      }
      const Event& event = delivery->event();
      std::vector<std::string> parts, buttons;
      // Taken over from a replica that died: sent as it answered it.
      std::optional<OutboundQueue::Answer> recalled = queue_->Recall(*delivery);
      if (recalled) {
        parts = std::move(recalled->parts);
        buttons = std::move(recalled->buttons);
      } else if (delivery->slow_down()) {
        auto knowledge = holder_->Get();
        const std::string* text =
            knowledge ? knowledge->ReplyText(core::kReplySlowDown) : nullptr;
        if (text) parts = SplitMessage(*text, channel->max_text_units());
      } else if (event.greeting || event.reset || !event.text.empty()) {
        core::Reply reply = ReplyFor(event, channel->name());
        if (!reply.text.empty()) parts = SplitMessage(reply.text, channel->max_text_units());
        // "Which one?" offers the entities it could mean; else suggestions.
        buttons = reply.choices.empty() ? reply.suggestions : reply.choices;
      }
      if (!recalled) queue_->Remember(*delivery, {parts, buttons});
      delivery->Render(channel->RenderReply(event, parts, buttons));
    }
    const std::chrono::milliseconds interval =
        options_.chat_interval ? *options_.chat_interval : channel->chat_interval();
    while (!delivery->done()) {
      // A shared queue's idempotency record: a call another process already
      // sent is skipped; while the record cannot be written, try later.
      std::chrono::milliseconds retry_in = options_.retry.base_backoff;
      switch (queue_->BeginSend(*delivery, delivery->sent(), &retry_in)) {
        case OutboundQueue::SendTurn::kSend:
          break;
        case OutboundQueue::SendTurn::kAlreadySent:
          delivery->Advance();
          continue;
        case OutboundQueue::SendTurn::kUnavailable:
        case OutboundQueue::SendTurn::kWait:
          delivery->RetryAt((options_.clock ? *options_.clock : SystemClock()).Now() +
                            std::max(retry_in, std::chrono::milliseconds(1)));
          return false;
      }
      switch (sender_.TrySend(*channel, delivery, interval)) {
        case Sender::Progress::kSent:
          queue_->MarkSent(*delivery, delivery->sent() - 1);
          break;
        case Sender::Progress::kFailed:
          queue_->EndSend(*delivery, delivery->sent());
          // Never tried: the sender was aborted first (failures it tried
          // are counted as failed).
          if (delivery->attempts() == 0) Abandoned(*channel);
          return true;  // later parts make no sense without this one
        case Sender::Progress::kLater:
          queue_->EndSend(*delivery, delivery->sent());
          return false;  // its retry_at() says when
      }
    }
    return true;
  } catch (const std::exception& e) {
    // E.g. a platform body that cannot be serialised: this reply is lost,
    // the worker and the chat's later replies are not.
    ReplyFailed(channel->name(), e.what());
  } catch (...) {
    ReplyFailed(channel->name(), "unknown exception");
  }
  return true;
}

void ChannelHub::Abandoned(const Channel& channel) {
  ++abandoned_;
  Metrics::Inc("bot_channel_abandoned_total", {{"channel", channel.name()}});
}

void ChannelHub::Poll(Channel* channel) {
  int failures = 0;
  while (!stopping_) {
    std::optional<ApiCall> call = channel->PollCall();
    if (!call) return;
    // A long poll blocks for its whole timeout: Stop() cancels it.
    ApiResponse response = poll_client_.Post(*call);
    if (stopping_) return;
    bool ok = response.transport_ok && response.status == 200;
    std::vector<Event> events;
    try {
      events = channel->HandlePoll(response);
    } catch (const std::exception&) {
      // An API answer of an unexpected shape must not end the poller.
      ok = false;
    }
    for (const Event& event : events) Dispatch(channel, event);
    if (ok) {
      failures = 0;
      continue;
    }
    ++failures;
    if (failures == 1) {
      // 409 means a webhook is still set: `bot telegram delete-webhook`.
      Log(LogLevel::kWarn, {{"event", "poll_failed"},
                            {"channel", channel->name()},
                            {"http_status", response.status}});
    }
    auto wait = std::min<int64_t>(30000, 500LL << std::min(failures, 6));
    if (!sender_.SleepFor(std::chrono::milliseconds(wait))) return;
  }
}

void ChannelHub::Stop() { Stop(options_.drain_timeout); }

void ChannelHub::Stop(std::chrono::milliseconds drain) {
  std::call_once(stopped_, [this, drain] {
    stopping_ = true;
    poll_client_.Cancel();
    queue_->Close();
    bool drained = queue_->WaitIdle(drain);
    sender_.Abort();  // wakes sleeping retries and the poller
    // Waiting deliveries get one last step (abandoned, counted), then the
    // workers exit.
    queue_->Stop();
    for (auto& t : workers_) {
      if (t.joinable()) t.join();
    }
    for (auto& t : pollers_) {
      if (t.joinable()) t.join();
    }
    // Counted as the abandoned deliveries ran out above: final now.
    const uint64_t abandoned = abandoned_.load();
    if (!drained || abandoned > 0) {
      Log(LogLevel::kWarn, {{"event", "channels_abandoned_work"}, {"abandoned", abandoned}});
    }
    SendStats s = sender_.stats();
    Log(LogLevel::kInfo, {{"event", "channels_stopped"},
                          {"sent", s.sent},
                          {"retried", s.retried},
                          {"failed", s.failed},
                          {"abandoned", abandoned}});
  });
}

std::unique_ptr<ChannelHub> StartChannels(HttpServer& server, KnowledgeHolder& holder,
                                          ChannelConfig config, ChannelOptions options) {
  return std::make_unique<ChannelHub>(&server, &holder, std::move(config), std::move(options));
}

}  // namespace bot::edge::channels
