#include "bot/edge/rate_limiter.h"

#include <catch2/catch.hpp>

#include "bot/edge/clock.h"

namespace bot::edge {
namespace {

using D = RateLimiter::Decision;
using std::chrono::seconds;

// Takes a token for `key` with the clock at `t`.
D At(InMemoryRateLimiter& limiter, ManualClock& clock, const std::string& key, SteadyTime t) {
  clock.Advance(t - clock.Now());
  return limiter.TryTake(key);
}

TEST_CASE("RateLimiter warns a flooding user once, then ignores them for the cooldown",
          "[rate_limiter]") {
  ManualClock clock;
  InMemoryRateLimiter limiter({/*per_minute=*/6, /*burst=*/3, seconds(60), 100}, clock);
  const auto t0 = clock.Now();
  CHECK(At(limiter, clock, "tg:1", t0) == D::kAllow);
  CHECK(At(limiter, clock, "tg:1", t0) == D::kAllow);
  CHECK(At(limiter, clock, "tg:1", t0) == D::kAllow);
  CHECK(At(limiter, clock, "tg:1", t0) == D::kSlowDown);
  CHECK(At(limiter, clock, "tg:1", t0 + seconds(1)) == D::kDrop);
  CHECK(At(limiter, clock, "tg:1", t0 + seconds(59)) == D::kDrop);
  SECTION("other users are unaffected") { CHECK(At(limiter, clock, "tg:2", t0) == D::kAllow); }
  SECTION("after the cooldown the refilled bucket serves again") {
    CHECK(At(limiter, clock, "tg:1", t0 + seconds(61)) == D::kAllow);
  }
}

TEST_CASE("RateLimiter charges a redelivered event once, with its first decision",
          "[rate_limiter]") {
  // A webhook refused with 503 after its token was taken is redelivered by
  // the platform, maybe many times: those must not exhaust the bucket.
  ManualClock clock;
  InMemoryRateLimiter limiter({/*per_minute=*/0.1, /*burst=*/2, seconds(60), 100}, clock);
  CHECK(limiter.TryTakeFor("tg:1", "u1") == D::kAllow);
  for (int i = 0; i < 5; ++i) CHECK(limiter.TryTakeFor("tg:1", "u2") == D::kAllow);
  CHECK(limiter.TryTakeFor("tg:1", "u3") == D::kSlowDown);  // the third message
  CHECK(limiter.TryTakeFor("tg:1", "u3") == D::kSlowDown);  // its redelivery: the same
  CHECK(limiter.TryTakeFor("tg:1", "u4") == D::kDrop);
  CHECK(limiter.TryTakeFor("tg:2", "u2") == D::kAllow);  // ids are per user
  CHECK(limiter.TryTake("tg:3") == D::kAllow);          // no id: a token each
  CHECK(limiter.TryTake("tg:3") == D::kAllow);
  CHECK(limiter.TryTake("tg:3") == D::kSlowDown);
}

TEST_CASE("RateLimiter refills tokens at the sustained rate", "[rate_limiter]") {
  ManualClock clock;
  InMemoryRateLimiter limiter({/*per_minute=*/60, /*burst=*/1, seconds(0), 100}, clock);
  const auto t0 = clock.Now();
  CHECK(At(limiter, clock, "u", t0) == D::kAllow);
  CHECK(At(limiter, clock, "u", t0) == D::kSlowDown);
  CHECK(At(limiter, clock, "u", t0 + std::chrono::milliseconds(1100)) == D::kAllow);
}

TEST_CASE("RateLimiter forgets the least recently seen user beyond max_keys", "[rate_limiter]") {
  ManualClock clock;
  InMemoryRateLimiter limiter({/*per_minute=*/1, /*burst=*/1, seconds(600), 2}, clock);
  const auto t0 = clock.Now();
  CHECK(At(limiter, clock, "a", t0) == D::kAllow);
  CHECK(At(limiter, clock, "a", t0) == D::kSlowDown);
  CHECK(At(limiter, clock, "b", t0) == D::kAllow);
  CHECK(At(limiter, clock, "c", t0) == D::kAllow);  // evicts "a"
  CHECK(limiter.tracked() == 2);
  CHECK(At(limiter, clock, "a", t0) == D::kAllow);  // a fresh bucket
}

}  // namespace
}  // namespace bot::edge
