// The outbound queue as a Redis Stream, against a real redis-server (SKIP
// when absent). A consumer that "dies" is a RedisStreamQueue destroyed
// without Stop(): its entries stay pending in the group, as after SIGKILL.
#include "bot/edge/channels/redis_stream_queue.h"

#include <catch2/catch.hpp>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>
#include <thread>

#include "bot/edge/degraded.h"
#include "bot/edge/metrics.h"
#include "tests/support/redis_server.h"
#include "tests/support/test_support.h"

using bot::edge::Metrics;
using bot::edge::channels::Delivery;
using bot::edge::channels::Event;
using bot::edge::channels::OutboundQueue;
using bot::edge::channels::RedisStreamOptions;
using bot::edge::channels::RedisStreamQueue;
using bot::testing::RedisServer;
using bot::testing::TestRedisClient;
using std::chrono::milliseconds;
using SendTurn = OutboundQueue::SendTurn;

namespace {

Delivery To(const std::string& chat, const std::string& text) {
  Event event;
  event.id = "u-" + text;
  event.chat = chat;
  event.text = text;
  event.lang_hint = "be-BY";
  event.context.reply_to = "42";
  return Delivery("telegram", event);
}

RedisStreamOptions Fast(const std::string& consumer, milliseconds claim_idle = milliseconds(300)) {
  RedisStreamOptions options;
  options.consumer = consumer;
  options.claim_idle = claim_idle;
  options.claim_interval = milliseconds(50);
  options.read_block = milliseconds(20);
  return options;
}

// Fast, and claiming each event id in the dedup store as it enqueues.
RedisStreamOptions FastClaiming(const std::string& consumer, size_t max_len = 0) {
  RedisStreamOptions options = Fast(consumer);
  if (max_len > 0) options.max_len = max_len;
  options.dedup_prefix = "bot:dedup:";
  options.dedup_ttl = std::chrono::seconds(600);
  return options;
}

// What every case against Redis starts with: its own redis-server (the
// case skips when there is none: REQUIRE_REDIS), a client of it, and reads
// of the stream's state.
class StreamQueueTest {
 protected:
  RedisServer redis;
  std::shared_ptr<bot::edge::RedisClient> client = TestRedisClient(redis);

  int64_t Integer(const bot::edge::RedisClient::Command& c) {
    auto r = client->Run(c);
    REQUIRE(r);
    REQUIRE(r->type == bot::edge::RedisReply::Type::kInteger);
    return r->integer;
  }
  int64_t StreamLength() { return Integer({"XLEN", "bot:out:stream"}); }
  // Entries of the group not yet acknowledged (XPENDING's count).
  int64_t PendingInGroup() {
    auto r = client->Run({"XPENDING", "bot:out:stream", "bot"});
    REQUIRE(r);
    REQUIRE(!r->elements.empty());
    return r->elements[0].integer;
  }
  // A consumer `name` that queues `text` for chat 7, takes it, runs
  // `last_words` on it and dies (destroyed without Ack or Stop: its entry
  // stays pending, as after SIGKILL). The entry's id.
  std::string TakenThenDead(const std::string& name, const std::string& text,
                            const std::function<void(RedisStreamQueue&, Delivery&)>& last_words,
                            milliseconds claim_idle = milliseconds(300)) {
    RedisStreamQueue dying(client, Fast(name, claim_idle));
    REQUIRE(dying.Enqueue(To("7", text)));
    auto taken = dying.TakeDue(milliseconds(3000));
    REQUIRE(taken);
    last_words(dying, *taken);
    return taken->queue_id();
  }
};

#define REQUIRE_REDIS() \
  if (!redis.running()) BOT_SKIP(redis.why_not())

}  // namespace

TEST_CASE("Delivery encodes its channel, event and slow-down, not its rendered calls",
          "[channels][queue]") {
  bot::edge::channels::Event event = To("7", "hello").event();
  event.reset = true;  // conversation fields: a resumed delivery must keep them
  event.user = "42";
  Delivery d("telegram", event, true);
  d.Render({bot::edge::channels::ApiCall{"https://api", "/bot-SECRET/sendMessage", {}, "{}",
                                         "sendMessage"}});
  const std::string bytes = d.Encode();
  CHECK(bytes.find("SECRET") == std::string::npos);
  auto back = Delivery::Decode(bytes);
  REQUIRE(back);
  CHECK(back->channel() == "telegram");
  CHECK(back->slow_down());
  CHECK(back->event().id == "u-hello");
  CHECK(back->event().text == "hello");
  CHECK(back->event().lang_hint == "be-BY");
  CHECK(back->event().reset);
  CHECK(back->event().user == "42");
  CHECK(back->event().context == d.event().context);
  CHECK(back->chat_key() == "telegram:7");
  CHECK_FALSE(back->rendered());
  CHECK_FALSE(Delivery::Decode("not json"));
  CHECK_FALSE(Delivery::Decode(R"({"channel": "x"})"));
}

TEST_CASE_METHOD(StreamQueueTest, "RedisStreamQueue: enqueued, taken, acknowledged and gone from the stream",
          "[redis][queue]") {
  REQUIRE_REDIS();
  RedisStreamQueue queue(client, Fast("a"));
  REQUIRE(queue.Enqueue(To("7", "hello")));
  CHECK(StreamLength() == 1);
  auto taken = queue.TakeDue(milliseconds(3000));
  REQUIRE(taken);
  CHECK(taken->event().text == "hello");
  CHECK_FALSE(taken->queue_id().empty());
  CHECK(queue.pending() == 1);
  CHECK(PendingInGroup() == 1);
  queue.Ack(*taken);
  CHECK(queue.pending() == 0);
  CHECK(StreamLength() == 0);
  CHECK(PendingInGroup() == 0);
  CHECK(Integer({"EXISTS", "bot:out:chat:telegram:7"}) == 0);
  CHECK_FALSE(queue.TakeDue(milliseconds(100)));
}

TEST_CASE_METHOD(StreamQueueTest, "RedisStreamQueue keeps one chat's order across two consumers, one at a time",
          "[redis][queue]") {
  REQUIRE_REDIS();
  // One entry each at most: the chat's entries are spread over both.
  RedisStreamOptions a_options = Fast("a"), b_options = Fast("b");
  a_options.prefetch = b_options.prefetch = 1;
  RedisStreamQueue a(client, a_options);
  RedisStreamQueue b(TestRedisClient(redis), b_options);
  const int n = 12;
  for (int i = 0; i < n; ++i) REQUIRE(a.Enqueue(To("7", std::to_string(i))));
  int next = 0, by_a = 0, by_b = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (next < n && std::chrono::steady_clock::now() < deadline) {
    for (RedisStreamQueue* q : {&a, &b}) {
      auto taken = q->TakeDue(milliseconds(20));
      if (!taken) continue;
      CHECK(taken->event().text == std::to_string(next));  // in order
      // Nobody else gets the chat while one of its entries is taken.
      RedisStreamQueue* other = q == &a ? &b : &a;
      CHECK_FALSE(other->TakeDue(milliseconds(60)));
      ++next;
      ++(q == &a ? by_a : by_b);
      q->Ack(*taken);
    }
  }
  CHECK(next == n);
  CHECK(by_a > 0);
  CHECK(by_b > 0);
  CHECK(StreamLength() == 0);
}

TEST_CASE_METHOD(StreamQueueTest, "RedisStreamQueue: a chat waiting for its turn does not hold the others",
          "[redis][queue]") {
  REQUIRE_REDIS();
  RedisStreamQueue queue(TestRedisClient(redis), Fast("a"));
  REQUIRE(queue.Enqueue(To("1", "1a")));
  REQUIRE(queue.Enqueue(To("1", "1b")));
  REQUIRE(queue.Enqueue(To("2", "2a")));
  auto first = queue.TakeDue(milliseconds(3000));
  REQUIRE(first);
  CHECK(first->event().text == "1a");
  first->RetryAt(bot::edge::SystemClock().Now() + milliseconds(300));
  queue.RetryLater(std::move(*first));
  auto other = queue.TakeDue(milliseconds(3000));
  REQUIRE(other);
  CHECK(other->event().text == "2a");  // while 1a waits, 1b may not go
  queue.Ack(*other);
  auto again = queue.TakeDue(milliseconds(3000));
  REQUIRE(again);
  CHECK(again->event().text == "1a");
  queue.Ack(*again);
  auto last = queue.TakeDue(milliseconds(3000));
  REQUIRE(last);
  CHECK(last->event().text == "1b");
  queue.Ack(*last);
}

TEST_CASE_METHOD(StreamQueueTest, "RedisStreamQueue: a consumer that dies has its entry delivered by another once",
          "[redis][queue]") {
  REQUIRE_REDIS();
  const double claimed_before = Metrics::Global().Value("bot_channel_stream_claimed_total");
  const std::string id = TakenThenDead("dying", "hello", [](RedisStreamQueue& q, Delivery& d) {
    // Begun but the platform never answered: "sending since T", no "sent".
    CHECK(q.BeginSend(d, 0) == SendTurn::kSend);
  });
  CHECK(PendingInGroup() == 1);
  RedisStreamOptions options = Fast("other");
  options.send_bound = milliseconds(2000);  // longer than claim_idle, as in service
  RedisStreamQueue other(client, options);
  const double resends_before =
      Metrics::Global().Value("bot_channel_stream_unconfirmed_resends_total");
  auto taken = other.TakeDue(milliseconds(5000));  // after claim_idle, by XAUTOCLAIM
  REQUIRE(taken);
  CHECK(taken->queue_id() == id);
  CHECK(taken->event().text == "hello");
  // Its send may still be in flight until T + send_bound: not sent meanwhile.
  milliseconds retry_in{0};
  CHECK(other.BeginSend(*taken, 0, &retry_in) == SendTurn::kWait);
  CHECK(retry_in > milliseconds(0));
  CHECK(retry_in <= milliseconds(2001));
  std::this_thread::sleep_for(retry_in);
  CHECK(other.BeginSend(*taken, 0) == SendTurn::kSend);  // its holder died in the call: sent
  CHECK(Metrics::Global().Value("bot_channel_stream_unconfirmed_resends_total") ==
        resends_before + 1);
  other.MarkSent(*taken, 0);
  other.Ack(*taken);
  CHECK(Metrics::Global().Value("bot_channel_stream_claimed_total") == claimed_before + 1);
  CHECK_FALSE(other.TakeDue(milliseconds(800)));  // exactly once
  CHECK(PendingInGroup() == 0);
  CHECK(StreamLength() == 0);
}

TEST_CASE_METHOD(StreamQueueTest, "RedisStreamQueue: an entry whose send completed but whose ack was lost is not sent "
          "twice",
          "[redis][queue]") {
  REQUIRE_REDIS();
  auto& metrics = Metrics::Global();
  const double claimed_before = metrics.Value("bot_channel_stream_claimed_total");
  const double skipped_before = metrics.Value("bot_channel_stream_skipped_sends_total");
  const double resends_before = metrics.Value("bot_channel_stream_unconfirmed_resends_total");
  const std::string id = TakenThenDead("dying", "hello", [](RedisStreamQueue& q, Delivery& d) {
    REQUIRE(q.BeginSend(d, 0) == SendTurn::kSend);
    q.MarkSent(d, 0);  // the platform said sent
  });  // dies before its Ack
  RedisStreamQueue other(client, Fast("other"));
  auto taken = other.TakeDue(milliseconds(5000));  // after claim_idle, by XAUTOCLAIM
  REQUIRE(taken);
  CHECK(taken->queue_id() == id);
  CHECK(metrics.Value("bot_channel_stream_claimed_total") == claimed_before + 1);
  CHECK(other.BeginSend(*taken, 0) == SendTurn::kAlreadySent);  // skipped, not resent
  CHECK(metrics.Value("bot_channel_stream_skipped_sends_total") == skipped_before + 1);
  CHECK(metrics.Value("bot_channel_stream_unconfirmed_resends_total") == resends_before);
  CHECK(other.BeginSend(*taken, 1) == SendTurn::kSend);  // a later call was never begun
  other.Ack(*taken);
  CHECK(PendingInGroup() == 0);
}

TEST_CASE_METHOD(StreamQueueTest, "RedisStreamQueue: an entry whose try failed is sent by the replica taking it over "
          "at once, as first answered",
          "[redis][queue]") {
  REQUIRE_REDIS();
  const std::string id = TakenThenDead("dying", "hello", [](RedisStreamQueue& q, Delivery& d) {
    CHECK_FALSE(q.Recall(d));  // first taken here: answered here
    q.Remember(d, {{"part one", "part two"}, {"button"}});
    REQUIRE(q.BeginSend(d, 0) == SendTurn::kSend);
    q.EndSend(d, 0);  // the platform answered 500: nothing in flight
  });  // dies waiting for its retry
  RedisStreamOptions options = Fast("other");
  options.send_bound = milliseconds(60000);  // only "tried" lets it send soon
  RedisStreamQueue other(client, options);
  const double resends_before =
      Metrics::Global().Value("bot_channel_stream_unconfirmed_resends_total");
  auto taken = other.TakeDue(milliseconds(5000));
  REQUIRE(taken);
  auto answer = other.Recall(*taken);  // not answered again
  REQUIRE(answer);
  CHECK(answer->parts == std::vector<std::string>{"part one", "part two"});
  CHECK(answer->buttons == std::vector<std::string>{"button"});
  CHECK(other.BeginSend(*taken, 0) == SendTurn::kSend);
  CHECK(Metrics::Global().Value("bot_channel_stream_unconfirmed_resends_total") ==
        resends_before);  // no doubt about this one
  other.MarkSent(*taken, 0);
  other.Ack(*taken);
  CHECK(Integer({"EXISTS", "bot:out:answer:" + id}) == 0);  // forgotten with its ack
  // A fresh entry is answered where it is taken (no lookup).
  REQUIRE(other.Enqueue(To("8", "fresh")));
  auto fresh = other.TakeDue(milliseconds(3000));
  REQUIRE(fresh);
  CHECK_FALSE(other.Recall(*fresh));
  other.Ack(*fresh);
}

TEST_CASE_METHOD(StreamQueueTest, "RedisStreamQueue: a holder still sending when its entry is taken over finishes "
          "first; the taker skips what it sent",
          "[redis][queue]") {
  REQUIRE_REDIS();
  const std::string id = TakenThenDead("slow", "hello", [](RedisStreamQueue& q, Delivery& d) {
    REQUIRE(q.BeginSend(d, 0) == SendTurn::kSend);
  });  // its heartbeat stops (the object is gone) while "its call" goes on
  RedisStreamOptions options = Fast("taker");
  options.send_bound = milliseconds(60000);
  RedisStreamQueue taker(client, options);
  auto taken = taker.TakeDue(milliseconds(5000));
  REQUIRE(taken);
  milliseconds retry_in{0};
  CHECK(taker.BeginSend(*taken, 0, &retry_in) == SendTurn::kWait);
  CHECK(retry_in > milliseconds(50000));
  // The holder's call ends and it writes "sent" (what MarkSent writes).
  REQUIRE(client->Run({"SET", "bot:out:sent:" + id + ":0", "sent"}));
  CHECK(taker.BeginSend(*taken, 0) == SendTurn::kAlreadySent);
  taker.Ack(*taken);
}

TEST_CASE_METHOD(StreamQueueTest, "RedisStreamQueue removes consumers of replicas gone once nothing is pending for them",
          "[redis][queue]") {
  REQUIRE_REDIS();
  auto consumers = [&] {
    std::set<std::string> names;
    auto r = client->Run({"XINFO", "CONSUMERS", "bot:out:stream", "bot"});
    REQUIRE(r);
    for (const auto& c : r->elements) {
      for (size_t i = 0; i + 1 < c.elements.size(); i += 2) {
        if (c.elements[i].str == "name") names.insert(c.elements[i + 1].str);
      }
    }
    return names;
  };
  const double deleted_before =
      Metrics::Global().Value("bot_channel_stream_consumers_deleted_total");
  for (const char* name : {"gone-1", "gone-2"}) {
    RedisStreamQueue gone(client, Fast(name));
    REQUIRE(gone.Enqueue(To(name, "hello")));
    REQUIRE(gone.TakeDue(milliseconds(3000)));
  }  // both die holding an entry
  CHECK(consumers() == std::set<std::string>{"gone-1", "gone-2"});
  RedisStreamQueue live(client, Fast("live"));
  for (int i = 0; i < 2; ++i) {
    auto d = live.TakeDue(milliseconds(5000));
    REQUIRE(d);
    live.Ack(*d);
  }
  std::set<std::string> left;
  for (int i = 0; i < 300; ++i) {
    left = consumers();
    if (left.size() == 1) break;
    std::this_thread::sleep_for(milliseconds(10));
  }
  CHECK(left == std::set<std::string>{"live"});
  CHECK(Metrics::Global().Value("bot_channel_stream_consumers_deleted_total") ==
        deleted_before + 2);
}

TEST_CASE_METHOD(StreamQueueTest, "RedisStreamQueue tells a full stream from an unreachable Redis", "[redis][queue]") {
  REQUIRE_REDIS();
  RedisStreamOptions options = Fast("a");
  options.max_len = 1;
  RedisStreamQueue queue(TestRedisClient(redis), options);
  using Offered = OutboundQueue::Offered;
  CHECK(queue.Offer(To("1", "a")) == Offered::kQueued);
  CHECK(queue.Offer(To("2", "b")) == Offered::kFull);
  redis.Kill();
  CHECK(queue.Offer(To("3", "c")) == Offered::kUnavailable);
}

TEST_CASE_METHOD(StreamQueueTest, "RedisStreamQueue: Stop hands unfinished entries back for another replica at once",
          "[redis][queue]") {
  REQUIRE_REDIS();
  // claim_idle far longer than the test waits: only the hand-back lets the
  // other replica take them.
  const milliseconds long_idle(60000);
  {
    RedisStreamQueue stopping(client, Fast("stopping", long_idle));
    REQUIRE(stopping.Enqueue(To("7", "taken")));
    REQUIRE(stopping.Enqueue(To("8", "held")));
    auto taken = stopping.TakeDue(milliseconds(3000));
    REQUIRE(taken);
    // The other one is read too (held, ready) before Stop.
    for (int i = 0; i < 100 && stopping.pending() < 2; ++i) {
      std::this_thread::sleep_for(milliseconds(10));
    }
    stopping.Stop();
    stopping.Ack(*taken);  // not done: handed back, not acknowledged
    CHECK(stopping.finished());
  }
  CHECK(PendingInGroup() == 2);
  RedisStreamQueue other(client, Fast("other", long_idle));
  std::set<std::string> texts;
  for (int i = 0; i < 2; ++i) {
    auto d = other.TakeDue(milliseconds(3000));
    REQUIRE(d);
    texts.insert(d->event().text);
    other.Ack(*d);
  }
  CHECK(texts == std::set<std::string>{"held", "taken"});
}

TEST_CASE_METHOD(StreamQueueTest, "RedisStreamQueue refuses entries beyond max_len instead of trimming them",
          "[redis][queue]") {
  REQUIRE_REDIS();
  RedisStreamOptions options = Fast("a");
  options.max_len = 2;
  RedisStreamQueue queue(TestRedisClient(redis), options);
  const double before = Metrics::Global().Value("bot_channel_stream_full_total");
  CHECK(queue.Enqueue(To("1", "a")));
  CHECK(queue.Enqueue(To("2", "b")));
  CHECK_FALSE(queue.Enqueue(To("3", "c")));
  CHECK(Metrics::Global().Value("bot_channel_stream_full_total") == before + 1);
  auto d = queue.TakeDue(milliseconds(3000));
  REQUIRE(d);
  queue.Ack(*d);
  CHECK(queue.Enqueue(To("3", "c")));  // room again
}

TEST_CASE_METHOD(StreamQueueTest, "RedisStreamQueue with a dedup prefix claims the event id as it enqueues, atomically",
          "[redis][queue]") {
  REQUIRE_REDIS();
  RedisStreamOptions options = FastClaiming("a", 2);
  RedisStreamQueue queue(client, options);
  using C = OutboundQueue::ClaimedEnqueue;
  REQUIRE(queue.claims_dedup());
  CHECK(queue.EnqueueClaiming(To("1", "a"), "telegram:1") == C::kQueued);
  auto ttl = client->Run({"TTL", "bot:dedup:telegram:1"});
  REQUIRE(ttl);
  CHECK(ttl->integer > 500);  // claimed with the entry, for the dedup TTL
  CHECK(queue.EnqueueClaiming(To("1", "a"), "telegram:1") == C::kRepeat);
  CHECK(StreamLength() == 1);  // the repeat queued nothing
  CHECK(queue.EnqueueClaiming(To("2", "b"), "telegram:2") == C::kQueued);
  // Full: refused, and not claimed, so the platform's redelivery is taken.
  CHECK(queue.EnqueueClaiming(To("3", "c"), "telegram:3") == C::kFull);
  CHECK(Integer({"EXISTS", "bot:dedup:telegram:3"}) == 0);
  RedisStreamQueue plain(client, Fast("b"));
  CHECK_FALSE(plain.claims_dedup());  // without a prefix the hub claims first
}

TEST_CASE_METHOD(StreamQueueTest,
                 "RedisStreamQueue admits a webhook event in one script: dedup look, the user's "
                 "token, then claim and enqueue",
                 "[redis][queue]") {
  REQUIRE_REDIS();
  RedisStreamOptions options = FastClaiming("a", 3);
  bot::edge::RateLimitOptions rate;
  rate.burst = 2;
  rate.per_minute = 0.001;  // no refill within the test
  options.rate_limit = rate;
  RedisStreamQueue queue(client, options);
  REQUIRE(queue.admits());
  using A = OutboundQueue::Admitted;
  auto tokens = [&] {
    auto r = client->Run({"HGET", "bot:rate:telegram:1", "tokens"});
    REQUIRE(r);
    return r->str;
  };
  CHECK(queue.Admit(To("1", "a"), "telegram:u-a", "telegram:1") == A::kQueued);
  auto ttl = client->Run({"TTL", "bot:dedup:telegram:u-a"});
  REQUIRE(ttl);
  CHECK(ttl->integer > 500);  // claimed with the entry, for the dedup TTL
  CHECK(tokens() == "1");
  // A repeat is told before the bucket is touched: no token, nothing queued.
  CHECK(queue.Admit(To("1", "a"), "telegram:u-a", "telegram:1") == A::kRepeat);
  CHECK(tokens() == "1");
  CHECK(StreamLength() == 1);
  CHECK(queue.Admit(To("1", "b"), "telegram:u-b", "telegram:1") == A::kQueued);
  // The bucket is dry: the slow-down is queued in the answer's place, claimed.
  CHECK(queue.Admit(To("1", "c"), "telegram:u-c", "telegram:1") == A::kSlowedDown);
  CHECK(Integer({"EXISTS", "bot:dedup:telegram:u-c"}) == 1);
  // Then silence: dropped, neither queued nor claimed; its redelivery too.
  CHECK(queue.Admit(To("1", "d"), "telegram:u-d", "telegram:1") == A::kDropped);
  CHECK(queue.Admit(To("1", "d"), "telegram:u-d", "telegram:1") == A::kDropped);
  CHECK(Integer({"EXISTS", "bot:dedup:telegram:u-d"}) == 0);
  CHECK(StreamLength() == 3);
  // Full: refused and not claimed, so the platform's redelivery is taken.
  const double full_before = Metrics::Global().Value("bot_channel_stream_full_total");
  CHECK(queue.Admit(To("2", "e"), "telegram:u-e", "telegram:2") == A::kFull);
  CHECK(Integer({"EXISTS", "bot:dedup:telegram:u-e"}) == 0);
  CHECK(Metrics::Global().Value("bot_channel_stream_full_total") == full_before + 1);
  std::vector<std::pair<std::string, bool>> taken;  // text, slow-down
  for (int i = 0; i < 3; ++i) {
    auto d = queue.TakeDue(milliseconds(3000));
    REQUIRE(d);
    taken.emplace_back(d->event().text, d->slow_down());
    queue.Ack(*d);
  }
  CHECK(taken == std::vector<std::pair<std::string, bool>>{
                     {"a", false}, {"b", false}, {"c", true}});
  // Without the rate limit's options the hub takes the token itself.
  CHECK_FALSE(RedisStreamQueue(client, FastClaiming("b")).admits());
}

TEST_CASE_METHOD(StreamQueueTest,
                 "RedisStreamQueue admitting while Redis is down: unavailable, dedup degraded, "
                 "and back by itself",
                 "[redis][queue]") {
  REQUIRE_REDIS();
  RedisStreamOptions options = FastClaiming("a");
  options.rate_limit = bot::edge::RateLimitOptions{};
  RedisStreamQueue queue(client, options);
  using A = OutboundQueue::Admitted;
  auto& modes = bot::edge::DegradedModes::Global();
  redis.Kill();
  CHECK(queue.Admit(To("1", "a"), "telegram:u-a", "telegram:1") == A::kUnavailable);
  CHECK(modes.degraded("dedup"));  // fails closed: the webhook answers 503
  CHECK(modes.degraded("send_queue"));
  REQUIRE(redis.Start());  // empty, and without the script: EVALSHA falls back to EVAL
  A admitted = A::kUnavailable;
  for (int i = 0; i < 200 && admitted == A::kUnavailable; ++i) {
    admitted = queue.Admit(To("1", "a"), "telegram:u-a", "telegram:1");
    if (admitted == A::kUnavailable) std::this_thread::sleep_for(milliseconds(10));
  }
  CHECK(admitted == A::kQueued);
  CHECK_FALSE(modes.degraded("dedup"));
  CHECK_FALSE(modes.degraded("rate_limit"));
  auto d = queue.TakeDue(milliseconds(5000));
  REQUIRE(d);
  CHECK(d->event().text == "a");
  queue.Ack(*d);
}

TEST_CASE_METHOD(StreamQueueTest, "RedisStreamQueue while Redis is down: refuses, holds, and catches up after",
          "[redis][queue]") {
  REQUIRE_REDIS();
  RedisStreamQueue queue(client, Fast("a"));
  REQUIRE(queue.Enqueue(To("7", "before")));
  auto taken = queue.TakeDue(milliseconds(3000));
  REQUIRE(taken);
  redis.Kill();
  CHECK_FALSE(queue.Enqueue(To("7", "during")));  // the webhook answers 503
  CHECK(queue.BeginSend(*taken, 0) == SendTurn::kUnavailable);  // waits, never sends blind
  REQUIRE(redis.Start());  // empty: no persistence in the tests
  bool sent = false;
  for (int i = 0; i < 200 && !sent; ++i) {
    sent = queue.BeginSend(*taken, 0) == SendTurn::kSend;
    if (!sent) std::this_thread::sleep_for(milliseconds(10));
  }
  CHECK(sent);
  queue.MarkSent(*taken, 0);
  queue.Ack(*taken);
  // The group is made again and new entries flow.
  bool queued = false;
  for (int i = 0; i < 200 && !queued; ++i) {
    queued = queue.Enqueue(To("7", "after"));
    if (!queued) std::this_thread::sleep_for(milliseconds(10));
  }
  REQUIRE(queued);
  auto after = queue.TakeDue(milliseconds(5000));
  REQUIRE(after);
  CHECK(after->event().text == "after");
  queue.Ack(*after);
}

TEST_CASE_METHOD(StreamQueueTest, "RedisStreamQueue: an entry waiting longer than claim_idle for its retry stays with "
          "its live replica",
          "[redis][queue]") {
  REQUIRE_REDIS();
  RedisStreamQueue a(TestRedisClient(redis), Fast("a"));
  REQUIRE(a.Enqueue(To("7", "hello")));
  auto taken = a.TakeDue(milliseconds(3000));
  REQUIRE(taken);
  RedisStreamQueue b(TestRedisClient(redis), Fast("b"));
  taken->RetryAt(bot::edge::SystemClock().Now() + milliseconds(1200));  // 4 x claim_idle
  a.RetryLater(std::move(*taken));
  CHECK_FALSE(b.TakeDue(milliseconds(1000)));  // the heartbeat keeps it a's
  auto again = a.TakeDue(milliseconds(3000));
  REQUIRE(again);
  CHECK(a.BeginSend(*again, 0) == SendTurn::kSend);
  a.Ack(*again);
  CHECK_FALSE(b.TakeDue(milliseconds(300)));
}

TEST_CASE_METHOD(StreamQueueTest, "RedisStreamQueue: a consumer started again under its name resumes its own pending "
          "entries at once",
          "[redis][queue]") {
  REQUIRE_REDIS();
  const milliseconds long_idle(60000);  // XAUTOCLAIM would wait a minute
  TakenThenDead("pod-0", "hello", [](RedisStreamQueue&, Delivery&) {}, long_idle);
  RedisStreamQueue again(client, Fast("pod-0", long_idle));
  auto taken = again.TakeDue(milliseconds(2000));
  REQUIRE(taken);
  CHECK(taken->event().text == "hello");
  again.Ack(*taken);
  CHECK(PendingInGroup() == 0);
}
