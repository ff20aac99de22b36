#include "bot/edge/channels/chat_queue.h"

#include <catch2/catch.hpp>

using namespace bot::edge::channels;  // NOLINT: test file
using bot::edge::ManualClock;
using std::chrono::milliseconds;

namespace {

constexpr milliseconds kNoWait{0};

// A delivery to `chat` on a stub channel; its text names it.
Delivery To(const std::string& chat, const std::string& text) {
  Event event;
  event.chat = chat;
  event.text = text;
  return Delivery("stub", event);
}

// The text of the next due delivery, or "" when none is due.
std::string Next(OutboundQueue& queue, std::optional<Delivery>* taken) {
  *taken = queue.TakeDue(kNoWait);
  return *taken ? (*taken)->event().text : "";
}

}  // namespace

TEST_CASE("ChatQueue hands out one chat's deliveries in order, one at a time",
          "[channels][queue]") {
  ChatQueue queue(100);
  for (int i = 0; i < 50; ++i) REQUIRE(queue.Enqueue(To("c", std::to_string(i))));
  std::optional<Delivery> taken;
  for (int i = 0; i < 50; ++i) {
    REQUIRE(Next(queue, &taken) == std::to_string(i));
    CHECK_FALSE(queue.TakeDue(kNoWait));  // its chat has one taken
    queue.Ack(*taken);
  }
  CHECK(queue.pending() == 0);
  CHECK(queue.WaitIdle(kNoWait));
  queue.Close();
  CHECK_FALSE(queue.Enqueue(To("c", "late")));  // closed
}

TEST_CASE("ChatQueue refuses deliveries beyond its capacity and counts them pending",
          "[channels][queue]") {
  std::vector<size_t> depths;
  ChatQueue queue(2, [&](size_t depth) { depths.push_back(depth); });
  CHECK(queue.Enqueue(To("a", "1")));
  CHECK(queue.Enqueue(To("b", "1")));
  CHECK_FALSE(queue.Enqueue(To("c", "1")));
  CHECK(queue.pending() == 2);
  std::optional<Delivery> taken;
  REQUIRE(Next(queue, &taken) == "1");
  queue.Ack(*taken);
  CHECK(queue.Enqueue(To("c", "1")));  // room again
  CHECK(depths == std::vector<size_t>{0, 1, 2, 1, 2});
}

TEST_CASE("ChatQueue: a delivery waiting for a retry holds its chat, not the others",
          "[channels][queue]") {
  ManualClock clock;
  ChatQueue queue(10, nullptr, clock);
  REQUIRE(queue.Enqueue(To("a", "a1")));
  REQUIRE(queue.Enqueue(To("a", "a-next")));
  REQUIRE(queue.Enqueue(To("b", "b1")));
  std::optional<Delivery> taken;
  REQUIRE(Next(queue, &taken) == "a1");
  taken->RetryAt(clock.Now() + milliseconds(150));
  queue.RetryLater(std::move(*taken));
  CHECK(queue.waiting() == 1);
  // "b" goes while "a" waits; "a"'s next only after its first is done.
  REQUIRE(Next(queue, &taken) == "b1");
  queue.Ack(*taken);
  CHECK(Next(queue, &taken).empty());
  clock.Advance(milliseconds(149));
  CHECK(Next(queue, &taken).empty());
  clock.Advance(milliseconds(1));
  REQUIRE(Next(queue, &taken) == "a1");
  CHECK(queue.waiting() == 0);
  queue.Ack(*taken);
  REQUIRE(Next(queue, &taken) == "a-next");
  queue.Ack(*taken);
  CHECK(queue.pending() == 0);
}

TEST_CASE("ChatQueue keeps a delivery's own progress while it waits", "[channels][queue]") {
  ManualClock clock;
  ChatQueue queue(10, nullptr, clock);
  REQUIRE(queue.Enqueue(To("a", "q")));
  std::optional<Delivery> taken = queue.TakeDue(kNoWait);
  REQUIRE(taken);
  ApiCall first, second;
  first.label = "first";
  second.label = "second";
  taken->Render({first, second});
  taken->Advance();
  taken->CountAttempt();
  taken->RetryAt(clock.Now());
  queue.RetryLater(std::move(*taken));
  taken = queue.TakeDue(kNoWait);
  REQUIRE(taken);
  CHECK(taken->rendered());
  CHECK(taken->current().label == "second");
  CHECK(taken->attempts() == 1);
}

TEST_CASE("ChatQueue: Stop makes waiting deliveries due at once and drops their retry",
          "[channels][queue]") {
  ManualClock clock;
  ChatQueue queue(10, nullptr, clock);
  REQUIRE(queue.Enqueue(To("a", "a1")));
  std::optional<Delivery> taken;
  REQUIRE(Next(queue, &taken) == "a1");
  taken->RetryAt(clock.Now() + std::chrono::hours(1));
  queue.RetryLater(std::move(*taken));
  CHECK_FALSE(queue.finished());
  queue.Stop();
  CHECK_FALSE(queue.Enqueue(To("b", "b1")));
  REQUIRE(Next(queue, &taken) == "a1");  // one last step, now
  CHECK_FALSE(queue.finished());         // still taken
  queue.RetryLater(std::move(*taken));   // dropped: no resumption after Stop
  CHECK(queue.finished());
  CHECK(queue.pending() == 0);
  CHECK_FALSE(queue.TakeDue(std::chrono::seconds(5)));  // at once: nothing left
}
