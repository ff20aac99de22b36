#include <atomic>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "bot/core/normalizer.h"
#include "bot/edge/channels/channel.h"
#include "bot/edge/channels/dedup_store.h"
#include "bot/edge/channels/send_queue.h"
#include "bot/edge/channels/signature.h"
#include "bot/edge/channels/text_split.h"
#include "bot/edge/crypto.h"
#include "tests/edge/channels/channel_harness.h"
#include "tests/support/test_support.h"

using namespace bot::edge::channels;  // NOLINT: test file
using nlohmann::json;

TEST_CASE("SplitMessage keeps short text whole and cuts long text at sentence ends",
          "[channels][split]") {
  CHECK(SplitMessage("", 10).empty());
  CHECK(SplitMessage("Short.", 10) == std::vector<std::string>{"Short."});
  // A sentence end in the second half of the window wins over a later space.
  CHECK(SplitMessage("Alpha beta gamma. Delta epsilon.", 25) ==
        std::vector<std::string>{"Alpha beta gamma.", "Delta epsilon."});
  // Without one, the last space; without a space, a hard cut.
  CHECK(SplitMessage("aaaa bbbb cccc dddd", 10) == std::vector<std::string>{"aaaa bbbb", "cccc dddd"});
  CHECK(SplitMessage("abcdefghij", 4) == std::vector<std::string>{"abcd", "efgh", "ij"});
  auto para = SplitMessage("Para one line.\n\nPara two is here", 20);
  CHECK(para == std::vector<std::string>{"Para one line.", "Para two is here"});
}

TEST_CASE("SplitMessage never cuts inside a UTF-8 sequence or a surrogate pair",
          "[channels][split]") {
  std::string cyrillic;
  for (int i = 0; i < 50; ++i) cyrillic += "Ж";     // 2 bytes, 1 unit each
  std::string emoji;
  for (int i = 0; i < 50; ++i) emoji += "\U0001F600";  // 4 bytes, 2 units each
  for (const std::string& text : {cyrillic, emoji}) {
    auto parts = SplitMessage(text, 7);
    std::string joined;
    for (const auto& p : parts) {
      CHECK(Utf16Units(p) <= 7);
      CHECK(bot::core::IsValidUtf8(p));
      joined += p;
    }
    CHECK(joined == text);
  }
  CHECK(Utf16Units("a\U0001F600Ж") == 4);
}

TEST_CASE("Slack text is escaped on the way out and decoded on the way in", "[channels][slack]") {
  CHECK(EscapeSlack("a & b < c > d") == "a &amp; b &lt; c &gt; d");
  CHECK(DecodeSlack("<@U0BOT> is parking free?") == "is parking free?");
  CHECK(DecodeSlack("hours &amp; parking? see &lt;this&gt;") == "hours & parking? see <this>");
  CHECK(DecodeSlack("look at <https://osce.org|the OSCE> and <#C1|general>") ==
        "look at the OSCE and #general");
  CHECK(DecodeSlack("<https://osce.org>") == "https://osce.org");
}

TEST_CASE("DedupStore answers once per id, forgets after the TTL and stays bounded",
          "[channels][dedup]") {
  DedupStore store(3, std::chrono::seconds(60));
  auto t0 = DedupStore::Clock::now();
  CHECK(store.FirstSeen("telegram:1", t0));
  CHECK_FALSE(store.FirstSeen("telegram:1", t0));
  CHECK(store.FirstSeen("viber:5741311803571721088", t0));
  CHECK(store.FirstSeen("viber:5741311803571721089", t0));  // equal as doubles, not as ids
  CHECK(store.FirstSeen("x:4", t0));
  CHECK(store.size() == 3);                                   // the oldest fell out
  CHECK(store.FirstSeen("telegram:1", t0));
  CHECK(store.FirstSeen("late", t0 + std::chrono::seconds(61)));
  CHECK(store.size() == 1);
  store.Forget("late");
  CHECK(store.FirstSeen("late", t0 + std::chrono::seconds(61)));
}

TEST_CASE("Signature checks accept the shared vectors and reject near misses",
          "[channels][signature]") {
  CHECK_FALSE(VerifyHmacHeader("", "body", "sha256=" + bot::edge::HmacSha256Hex("", "body"),
                               "sha256="));
  CHECK_FALSE(VerifySharedSecret("", ""));
  CHECK(VerifySharedSecret("s3cret", "s3cret"));
  CHECK_FALSE(VerifySharedSecret("s3cret", "s3cre"));
  BOT_REQUIRE_SHARED();
  json v = bot::testing::SignatureVectors();
  std::string meta_secret = v["secrets"]["meta_app_secret"];
  for (const char* platform : {"messenger", "whatsapp"}) {
    for (auto& [file, headers] : v[platform].items()) {
      CAPTURE(file);
      std::string body = bot::testing::Payload(file);
      std::string sig = headers["X-Hub-Signature-256"];
      CHECK(VerifyHmacHeader(meta_secret, body, sig, "sha256="));
      CHECK_FALSE(VerifyHmacHeader(meta_secret, body + "\n", sig, "sha256="));
      CHECK_FALSE(VerifyHmacHeader(meta_secret, body, sig.substr(7), "sha256="));
    }
  }
  std::string viber = v["secrets"]["viber_auth_token"];
  for (auto& [file, headers] : v["viber"].items()) {
    CAPTURE(file);
    CHECK(VerifyHmacHeader(viber, bot::testing::Payload(file), headers["X-Viber-Content-Signature"].get<std::string>(),
                           ""));
  }
  std::string slack = v["secrets"]["slack_signing_secret"];
  for (auto& [file, headers] : v["slack"].items()) {
    CAPTURE(file);
    std::string ts = headers["X-Slack-Request-Timestamp"];
    CHECK(VerifySlackRequest(slack, ts, headers["X-Slack-Signature"].get<std::string>(), bot::testing::Payload(file),
                             1767225601));
    CHECK_FALSE(VerifySlackRequest(slack, ts, headers["X-Slack-Signature"].get<std::string>(),
                                   bot::testing::Payload(file), 1767225601 + 301));
  }
  json stale = v["negative_cases"]["slack_stale_timestamp"];
  CHECK_FALSE(VerifySlackRequest(slack, stale["X-Slack-Request-Timestamp"].get<std::string>(),
                                 stale["X-Slack-Signature"].get<std::string>(),
                                 bot::testing::Payload("slack_message.json"), 1767225601));
  json meta_neg = v["negative_cases"]["meta_reserialized_body_mismatch"];
  std::string reserialised = json::parse(bot::testing::Payload("messenger_text.json")).dump();
  CHECK_FALSE(VerifyHmacHeader(meta_secret, reserialised,
                               meta_neg["original_sha256"].get<std::string>(), "sha256="));
}

namespace {

// A queue task that runs `f` once.
ChatQueue::Resumable Once(std::function<void()> f) {
  return [f = std::move(f)]() -> std::optional<SteadyTime> {
    f();
    return std::nullopt;
  };
}

}  // namespace

TEST_CASE("ChatQueue runs one chat's tasks in order and refuses work beyond its capacity",
          "[channels][queue]") {
  std::mutex m;
  std::vector<int> order;
  {
    ChatQueue queue(4, 100);
    for (int i = 0; i < 50; ++i) {
      REQUIRE(queue.Submit("chat", Once([&, i] {
        std::lock_guard<std::mutex> lock(m);
        order.push_back(i);
      })));
    }
    CHECK(queue.Drain(std::chrono::seconds(5)));
    CHECK_FALSE(queue.Submit("chat", Once([] {})));  // closed
  }
  std::vector<int> expected(50);
  for (int i = 0; i < 50; ++i) expected[i] = i;
  CHECK(order == expected);

  std::atomic<bool> release{false};
  ChatQueue small(1, 2);
  CHECK(small.Submit("a", Once([&] { while (!release) std::this_thread::yield(); })));
  CHECK(small.Submit("b", Once([] {})));
  CHECK_FALSE(small.Submit("c", Once([] {})));
  release = true;
}

TEST_CASE("ChatQueue: a task that throws is dropped and the worker keeps running",
          "[channels][queue]") {
  std::atomic<int> ran{0};
  ChatQueue queue(1, 10);
  REQUIRE(queue.Submit("chat", Once([] { throw std::runtime_error("bad reply"); })));
  REQUIRE(queue.Submit("chat", Once([&] { ++ran; })));
  REQUIRE(queue.Submit("other", Once([&] { ++ran; })));
  CHECK(queue.Drain(std::chrono::seconds(5)));
  CHECK(ran == 2);
  CHECK(queue.pending() == 0);
}

namespace {

class StubChannel : public Channel {
 public:
  std::string name() const override { return "stub"; }
  size_t max_text_units() const override { return 10; }
  std::chrono::milliseconds chat_interval() const override { return {}; }
  WebhookResult HandleWebhook(const httplib::Request&) override { return {}; }
  std::vector<ApiCall> RenderReply(const Event&, const std::vector<std::string>&,
                                   const std::vector<std::string>&) const override {
    return {};
  }
  SendVerdict Classify(const ApiResponse& r) const override {
    if (auto common = ClassifyCommon(r)) return *common;
    return {};
  }
};

}  // namespace

namespace {

// What ChatQueue does with TrySend, done by sleeping: true when sent.
bool SendUntilDone(Sender& sender, const Channel& channel, const std::string& chat,
                   const ApiCall& call, std::chrono::milliseconds interval) {
  int attempts = 0;
  SteadyTime retry_at;
  while (true) {
    switch (sender.TrySend(channel, chat, call, interval, &attempts, &retry_at)) {
      case Sender::Progress::kSent:
        return true;
      case Sender::Progress::kFailed:
        return false;
      case Sender::Progress::kLater:
        std::this_thread::sleep_until(retry_at);
    }
  }
}

}  // namespace

TEST_CASE("Sender keeps the per-chat interval and gives up after bounded tries",
          "[channels][sender]") {
  RetryPolicy policy;
  policy.base_backoff = std::chrono::milliseconds(1);
  policy.max_backoff = std::chrono::milliseconds(2);
  policy.max_attempts = 4;
  std::vector<std::chrono::steady_clock::time_point> calls;
  int status = 200;
  Sender sender(policy, [&](const ApiCall&) {
    calls.push_back(std::chrono::steady_clock::now());
    return ApiResponse{true, status, "{}", {}};
  });
  StubChannel channel;
  ApiCall call;
  call.label = "send";
  CHECK(SendUntilDone(sender, channel, "c1", call, std::chrono::milliseconds(200)));
  CHECK(SendUntilDone(sender, channel, "c1", call, std::chrono::milliseconds(200)));
  CHECK(SendUntilDone(sender, channel, "c2", call, std::chrono::milliseconds(200)));
  REQUIRE(calls.size() == 3);
  CHECK(calls[1] - calls[0] >= std::chrono::milliseconds(190));  // same chat waited
  status = 503;
  CHECK_FALSE(SendUntilDone(sender, channel, "c3", call, {}));
  CHECK(calls.size() == 7);
  CHECK(sender.stats().failed == 1);
  CHECK(sender.stats().retried == 3);
}

TEST_CASE("ChatQueue: a task waiting to be resumed holds its chat but no worker",
          "[channels][queue]") {
  using Clock = std::chrono::steady_clock;
  std::mutex m;
  std::vector<std::string> order;
  auto note = [&](const std::string& what) {
    std::lock_guard<std::mutex> lock(m);
    order.push_back(what);
  };
  ChatQueue queue(1, 10);  // one worker: a sleeping retry would block "b"
  int steps = 0;
  const auto start = Clock::now();
  REQUIRE(queue.Submit("a", [&]() -> std::optional<SteadyTime> {
    note("a" + std::to_string(++steps));
    if (steps < 3) return Clock::now() + std::chrono::milliseconds(150);
    return std::nullopt;
  }));
  REQUIRE(queue.Submit("a", Once([&] { note("a-next"); })));
  REQUIRE(queue.Submit("b", Once([&] { note("b"); })));
  REQUIRE(queue.Drain(std::chrono::seconds(5)));
  CHECK(Clock::now() - start >= std::chrono::milliseconds(300));
  // "b" ran while "a" waited; "a"'s next task only after its first finished.
  CHECK(order == std::vector<std::string>{"a1", "b", "a2", "a3", "a-next"});
}

TEST_CASE("ChatQueue: Stop runs waiting tasks at once and drops their resumption",
          "[channels][queue]") {
  using Clock = std::chrono::steady_clock;
  std::atomic<int> runs{0};
  const auto start = Clock::now();
  {
    ChatQueue queue(1, 10);
    REQUIRE(queue.Submit("a", [&]() -> std::optional<SteadyTime> {
      ++runs;
      return Clock::now() + std::chrono::hours(1);
    }));
    while (queue.waiting() == 0) std::this_thread::yield();  // ran once, now parked
    queue.Stop();
  }
  CHECK(runs == 2);
  CHECK(Clock::now() - start < std::chrono::seconds(5));
}

TEST_CASE("Sender::TrySend never waits: it says when to try again", "[channels][sender]") {
  using Clock = std::chrono::steady_clock;
  RetryPolicy policy;
  policy.max_attempts = 3;
  policy.base_backoff = std::chrono::milliseconds(1000);
  std::vector<int> statuses = {500, 500, 200};
  size_t calls = 0;
  Sender sender(policy, [&](const ApiCall&) {
    ApiResponse r;
    r.transport_ok = true;
    r.status = statuses[calls++ % statuses.size()];
    return r;
  });
  StubChannel channel;
  ApiCall call;
  int attempts = 0;
  SteadyTime retry_at;
  const auto before = Clock::now();
  CHECK(sender.TrySend(channel, "c", call, {}, &attempts, &retry_at) == Sender::Progress::kLater);
  CHECK(Clock::now() - before < std::chrono::milliseconds(500));  // returned at once
  CHECK(retry_at - before >= std::chrono::milliseconds(500));     // backoff >= half the base
  CHECK(attempts == 1);
  CHECK(sender.TrySend(channel, "c", call, {}, &attempts, &retry_at) == Sender::Progress::kLater);
  CHECK(sender.TrySend(channel, "c", call, {}, &attempts, &retry_at) == Sender::Progress::kSent);
  CHECK(attempts == 3);

  // The chat interval is a wait too, before the first try.
  attempts = 0;
  CHECK(sender.TrySend(channel, "d", call, std::chrono::seconds(10), &attempts, &retry_at) ==
        Sender::Progress::kLater);  // 500 from the cycle above
  calls = 2;                        // next answer: 200
  CHECK(sender.TrySend(channel, "d", call, std::chrono::seconds(10), &attempts, &retry_at) ==
        Sender::Progress::kSent);
  int fresh = 0;
  CHECK(sender.TrySend(channel, "d", call, std::chrono::seconds(10), &fresh, &retry_at) ==
        Sender::Progress::kLater);
  CHECK(fresh == 0);  // throttled: not a try
  CHECK(retry_at - Clock::now() > std::chrono::seconds(5));

  // Giving up after max_attempts.
  statuses = {500};
  calls = 0;
  attempts = 0;
  Sender::Progress p = Sender::Progress::kLater;
  for (int i = 0; i < 3 && p == Sender::Progress::kLater; ++i) {
    p = sender.TrySend(channel, "e", call, {}, &attempts, &retry_at);
  }
  CHECK(p == Sender::Progress::kFailed);
  CHECK(attempts == 3);
  CHECK(sender.stats().failed == 1);
}
