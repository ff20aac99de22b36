#include "bot/edge/channels/sender.h"

#include <catch2/catch.hpp>

using namespace bot::edge::channels;  // NOLINT: test file
using bot::edge::ManualClock;
using std::chrono::milliseconds;

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

// A delivery of one call to `chat`.
Delivery OneCall(const std::string& chat) {
  Event event;
  event.chat = chat;
  Delivery d("stub", event);
  ApiCall call;
  call.label = "send";
  d.Render({call});
  return d;
}

// What a worker does with TrySend, with the clock moved instead of slept:
// true when sent.
bool SendUntilDone(Sender& sender, ManualClock& clock, const Channel& channel, Delivery d,
                   milliseconds interval) {
  while (true) {
    switch (sender.TrySend(channel, &d, interval)) {
      case Sender::Progress::kSent:
        return true;
      case Sender::Progress::kFailed:
        return false;
      case Sender::Progress::kLater:
        clock.Advance(d.retry_at() - clock.Now());
    }
  }
}

}  // namespace

TEST_CASE("Sender keeps the per-chat interval and gives up after bounded tries",
          "[channels][sender]") {
  ManualClock clock;
  RetryPolicy policy;
  policy.base_backoff = milliseconds(1);
  policy.max_backoff = milliseconds(2);
  policy.max_attempts = 4;
  std::vector<bot::edge::SteadyTime> calls;
  int status = 200;
  Sender sender(
      policy,
      [&](const ApiCall&) {
        calls.push_back(clock.Now());
        return ApiResponse{true, status, "{}", {}, ""};
      },
      clock);
  StubChannel channel;
  CHECK(SendUntilDone(sender, clock, channel, OneCall("c1"), milliseconds(200)));
  CHECK(SendUntilDone(sender, clock, channel, OneCall("c1"), milliseconds(200)));
  CHECK(SendUntilDone(sender, clock, channel, OneCall("c2"), milliseconds(200)));
  REQUIRE(calls.size() == 3);
  CHECK(calls[1] - calls[0] == milliseconds(200));  // the same chat waited exactly its interval
  CHECK(calls[2] == calls[1]);                      // another chat did not
  status = 503;
  CHECK_FALSE(SendUntilDone(sender, clock, channel, OneCall("c3"), {}));
  CHECK(calls.size() == 7);
  CHECK(sender.stats().failed == 1);
  CHECK(sender.stats().retried == 3);
  CHECK(sender.stats().sent == 3);
}

TEST_CASE("Sender::TrySend never waits: the delivery says when to try again",
          "[channels][sender]") {
  ManualClock clock;
  RetryPolicy policy;
  policy.max_attempts = 3;
  policy.base_backoff = milliseconds(1000);
  std::vector<int> statuses = {500, 500, 200};
  size_t calls = 0;
  Sender sender(
      policy,
      [&](const ApiCall&) {
        ApiResponse r;
        r.transport_ok = true;
        r.status = statuses[calls++ % statuses.size()];
        return r;
      },
      clock);
  StubChannel channel;
  Delivery d = OneCall("c");
  const auto before = clock.Now();
  CHECK(sender.TrySend(channel, &d, {}) == Sender::Progress::kLater);
  CHECK(d.retry_at() - before >= milliseconds(500));  // backoff: half the base at least
  CHECK(d.retry_at() - before <= milliseconds(1000));
  CHECK(d.attempts() == 1);
  CHECK(sender.TrySend(channel, &d, {}) == Sender::Progress::kLater);
  CHECK(d.attempts() == 2);
  CHECK(sender.TrySend(channel, &d, {}) == Sender::Progress::kSent);
  CHECK(d.done());
  CHECK(d.attempts() == 0);  // on to the next call, none tried yet
  CHECK(d.sent() == 1);

  // The chat interval is a wait too, before the first try.
  Delivery e = OneCall("d");
  CHECK(sender.TrySend(channel, &e, std::chrono::seconds(10)) ==
        Sender::Progress::kLater);  // 500 from the cycle above
  calls = 2;                        // next answer: 200
  CHECK(sender.TrySend(channel, &e, std::chrono::seconds(10)) == Sender::Progress::kSent);
  Delivery fresh = OneCall("d");
  CHECK(sender.TrySend(channel, &fresh, std::chrono::seconds(10)) == Sender::Progress::kLater);
  CHECK(fresh.attempts() == 0);  // throttled: not a try
  CHECK(fresh.retry_at() - clock.Now() == std::chrono::seconds(10));
  clock.Advance(std::chrono::seconds(10));
  calls = 2;
  CHECK(sender.TrySend(channel, &fresh, std::chrono::seconds(10)) == Sender::Progress::kSent);

  // Giving up after max_attempts.
  statuses = {500};
  calls = 0;
  Delivery g = OneCall("e");
  Sender::Progress p = Sender::Progress::kLater;
  for (int i = 0; i < 3 && p == Sender::Progress::kLater; ++i) {
    p = sender.TrySend(channel, &g, {});
  }
  CHECK(p == Sender::Progress::kFailed);
  CHECK(g.attempts() == 3);
  CHECK_FALSE(g.done());
  CHECK(sender.stats().failed == 1);
}

TEST_CASE("Sender: after Abort a delivery not yet tried fails without a try",
          "[channels][sender]") {
  ManualClock clock;
  size_t calls = 0;
  Sender sender(
      RetryPolicy{},
      [&](const ApiCall&) {
        ++calls;
        return ApiResponse{true, 200, "{}", {}, ""};
      },
      clock);
  StubChannel channel;
  sender.Abort();
  Delivery d = OneCall("c");
  CHECK(sender.TrySend(channel, &d, {}) == Sender::Progress::kFailed);
  CHECK(d.attempts() == 0);
  CHECK(calls == 0);
  CHECK_FALSE(sender.SleepFor(std::chrono::hours(1)));  // returns at once
}
