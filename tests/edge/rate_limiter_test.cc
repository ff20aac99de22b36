#include "bot/edge/rate_limiter.h"

#include <catch2/catch.hpp>

namespace bot::edge {
namespace {

using D = RateLimiter::Decision;
using std::chrono::seconds;

TEST_CASE("RateLimiter warns a flooding user once, then ignores them for the cooldown",
          "[rate_limiter]") {
  RateLimiter limiter({/*per_minute=*/6, /*burst=*/3, seconds(60), 100});
  auto t0 = RateLimiter::Clock::time_point{} + seconds(1000);
  CHECK(limiter.Check("tg:1", t0) == D::kAllow);
  CHECK(limiter.Check("tg:1", t0) == D::kAllow);
  CHECK(limiter.Check("tg:1", t0) == D::kAllow);
  CHECK(limiter.Check("tg:1", t0) == D::kSlowDown);
  CHECK(limiter.Check("tg:1", t0 + seconds(1)) == D::kDrop);
  CHECK(limiter.Check("tg:1", t0 + seconds(59)) == D::kDrop);
  SECTION("other users are unaffected") { CHECK(limiter.Check("tg:2", t0) == D::kAllow); }
  SECTION("after the cooldown the refilled bucket serves again") {
    CHECK(limiter.Check("tg:1", t0 + seconds(61)) == D::kAllow);
  }
}

TEST_CASE("RateLimiter refills tokens at the sustained rate", "[rate_limiter]") {
  RateLimiter limiter({/*per_minute=*/60, /*burst=*/1, seconds(0), 100});
  auto t0 = RateLimiter::Clock::time_point{} + seconds(1000);
  CHECK(limiter.Check("u", t0) == D::kAllow);
  CHECK(limiter.Check("u", t0) == D::kSlowDown);
  CHECK(limiter.Check("u", t0 + std::chrono::milliseconds(1100)) == D::kAllow);
}

TEST_CASE("RateLimiter forgets the least recently seen user beyond max_keys", "[rate_limiter]") {
  RateLimiter limiter({/*per_minute=*/1, /*burst=*/1, seconds(600), 2});
  auto t0 = RateLimiter::Clock::time_point{} + seconds(1000);
  CHECK(limiter.Check("a", t0) == D::kAllow);
  CHECK(limiter.Check("a", t0) == D::kSlowDown);
  CHECK(limiter.Check("b", t0) == D::kAllow);
  CHECK(limiter.Check("c", t0) == D::kAllow);  // evicts "a"
  CHECK(limiter.tracked() == 2);
  CHECK(limiter.Check("a", t0) == D::kAllow);  // a fresh bucket
}

}  // namespace
}  // namespace bot::edge
