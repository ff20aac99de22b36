#include "bot/edge/channels/channels.h"

#include "bot/core/answerer.h"
#include "bot/core/conversation.h"
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
               "answer), deduplicated, rate_limited, slowed_down, queue_full.");
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
      dedup_(options_.dedup_capacity, options_.dedup_ttl),
      limiter_(options_.rate_limit),
      sender_(options_.retry),
      queue_(options_.workers, options_.queue_capacity, [](size_t depth) {
        Metrics::Set("bot_channel_send_queue_depth", {}, static_cast<double>(depth));
      }) {
  DescribeChannelMetrics();
  if (!config_.env) config_.env = ProcessEnv();
  if (!config_.now_s) {
    config_.now_s = [] {
      return static_cast<int64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                      std::chrono::system_clock::now().time_since_epoch())
                                      .count());
    };
  }
  for (const RegistryEntry& entry : Registry()) {
    std::unique_ptr<Channel> channel = entry.factory(config_);
    AddRoutes(server, entry.name, channel.get());
    if (!channel) continue;
    Log(LogLevel::kInfo, {{"event", "channel_on"},
                          {"channel", entry.name},
                          {"mode", channel->webhook_enabled() ? "webhook" : "polling"}});
    channels_.push_back(std::move(channel));
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
    if (req.body.size() > options_.max_body_bytes) {
      SendJson(res, 413, Dump(ErrorJson("request body too large")));
      return;
    }
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
  // Meta batches can be large: the webhook's own limit, not the API's.
  server->Route("POST", path, handle, options_.max_body_bytes);
  if (channel->takes_get()) server->Route("GET", path, handle, options_.max_body_bytes);
}

bool ChannelHub::Dispatch(Channel* channel, const Event& event) {
  const std::string key = channel->name() + ":" + event.id;
  if (!event.id.empty() && !dedup_.FirstSeen(key)) {  // a redelivery
    CountEvent(channel->name(), "deduplicated");
    return true;
  }
  const std::string chat = channel->name() + ":" + event.chat;
  bool slowed = false;
  switch (limiter_.Check(chat)) {
    case RateLimiter::Decision::kAllow:
      break;
    case RateLimiter::Decision::kSlowDown:
      slowed = true;
      break;
    case RateLimiter::Decision::kDrop:
      CountEvent(channel->name(), "rate_limited");
      return true;  // flooding: acknowledged, not answered
  }
  bool queued = queue_.Submit(chat, Delivery(channel, event, slowed));
  if (!queued) {
    if (!event.id.empty()) dedup_.Forget(key);
    CountEvent(channel->name(), "queue_full");
    Log(LogLevel::kWarn, {{"event", "channel_queue_full"}, {"channel", channel->name()}});
    return false;
  }
  CountEvent(channel->name(), slowed ? "slowed_down" : "accepted");
  return true;
}

core::Reply ChannelHub::ReplyFor(const Event& event, const std::string& channel) const {
  auto knowledge = holder_->Get();
  core::Reply reply;
  if (!knowledge) return reply;  // nothing to say: no knowledge is loaded
  core::Question question{event.greeting ? "help" : event.text, channel + ":" + event.chat,
                          channel};
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
    const int64_t now = NowMs();
    core::Turn turn = core::AnswerTurn(*knowledge, question, options_.contexts->Load(key, now));
    options_.contexts->Save(key, turn.next, now);
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

ChatQueue::Resumable ChannelHub::Delivery(Channel* channel, const Event& event, bool slow_down) {
  struct State {
    bool rendered = false;
    std::vector<ApiCall> calls;
    size_t next = 0;   // the call being sent
    int attempts = 0;  // tries of calls[next]
  };
  auto state = std::make_shared<State>();
  return [this, channel, event, slow_down, state]() -> std::optional<SteadyTime> {
    try {
      if (!state->rendered) {
        if (sender_.aborted()) {
          Abandoned(*channel);
          return std::nullopt;
        }
        state->rendered = true;
        std::vector<std::string> parts, buttons;
        if (slow_down) {
          auto knowledge = holder_->Get();
          const std::string* text = knowledge ? knowledge->ReplyText(core::kReplySlowDown) : nullptr;
          if (text) parts = SplitMessage(*text, channel->max_text_units());
        } else if (event.greeting || event.reset || !event.text.empty()) {
          core::Reply reply = ReplyFor(event, channel->name());
          if (!reply.text.empty()) parts = SplitMessage(reply.text, channel->max_text_units());
          buttons = reply.choices.empty() ? reply.suggestions : reply.choices;
        }
        state->calls = channel->RenderReply(event, parts, buttons);
      }
      const std::chrono::milliseconds interval =
          options_.chat_interval ? *options_.chat_interval : channel->chat_interval();
      while (state->next < state->calls.size()) {
        SteadyTime retry_at;
        switch (sender_.TrySend(*channel, event.chat, state->calls[state->next], interval,
                                &state->attempts, &retry_at)) {
          case Sender::Progress::kSent:
            ++state->next;
            state->attempts = 0;
            break;
          case Sender::Progress::kFailed:
            // Never tried: the sender was aborted first (failures it tried
            // are counted as failed).
            if (state->attempts == 0) Abandoned(*channel);
            return std::nullopt;  // later parts make no sense without this one
          case Sender::Progress::kLater:
            return retry_at;
        }
      }
      return std::nullopt;
    } catch (const std::exception& e) {
      // E.g. a platform body that cannot be serialised: this reply is lost,
      // the worker and the chat's later replies are not.
      ReplyFailed(channel->name(), e.what());
    } catch (...) {
      ReplyFailed(channel->name(), "unknown exception");
    }
    return std::nullopt;
  };
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
    ApiResponse response;
    {
      // A long poll blocks for its whole timeout: keep the client where
      // Stop() can shut its socket.
      auto client = std::make_shared<httplib::Client>(call->base);
      client->set_connection_timeout(options_.retry.connect_timeout);
      client->set_read_timeout(call->read_timeout);
      {
        std::lock_guard<std::mutex> lock(poll_mutex_);
        if (stopping_) return;
        poll_clients_.push_back(client);
      }
      auto result = client->Post(call->path.c_str(), call->headers, call->body,
                                 "application/json; charset=utf-8");
      {
        std::lock_guard<std::mutex> lock(poll_mutex_);
        std::erase(poll_clients_, client);
      }
      if (result) {
        response.transport_ok = true;
        response.status = result->status;
        response.body = result->body;
      }
    }
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
    {
      std::lock_guard<std::mutex> lock(poll_mutex_);
      stopping_ = true;
      for (auto& client : poll_clients_) client->stop();
    }
    bool drained = queue_.Drain(drain);
    sender_.Abort();  // wakes sleeping retries and the poller
    queue_.Stop();
    for (auto& t : pollers_) {
      if (t.joinable()) t.join();
    }
    // Counted as the abandoned tasks ran out in queue_.Stop(): final now.
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
