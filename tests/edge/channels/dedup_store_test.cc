#include "bot/edge/channels/dedup_store.h"

#include <catch2/catch.hpp>

using namespace bot::edge::channels;  // NOLINT: test file
using bot::edge::ManualClock;

TEST_CASE("DedupStore answers once per id, forgets after the TTL and stays bounded",
          "[channels][dedup]") {
  ManualClock clock;
  InMemoryDedupStore store(3, std::chrono::seconds(60), clock);
  DedupStore& shared = store;  // through the interface the hub uses
  CHECK(shared.Claim("telegram:1"));
  CHECK_FALSE(shared.Claim("telegram:1"));
  CHECK(shared.Claim("viber:5741311803571721088"));
  CHECK(shared.Claim("viber:5741311803571721089"));  // equal as doubles, not as ids
  CHECK(shared.Claim("x:4"));
  CHECK(store.size() == 3);                           // the oldest fell out
  CHECK(shared.Claim("telegram:1"));
  clock.Advance(std::chrono::seconds(61));
  CHECK(shared.Claim("late"));
  CHECK(store.size() == 1);
  shared.Release("late");
  CHECK(shared.Claim("late"));
}

TEST_CASE("DedupStore: a finished id stays claimed for the TTL, a released one is free",
          "[channels][dedup]") {
  ManualClock clock;
  InMemoryDedupStore store(100, std::chrono::seconds(60), clock);
  REQUIRE(store.Claim("slack:Ev1"));
  store.MarkDone("slack:Ev1");
  clock.Advance(std::chrono::seconds(59));
  CHECK_FALSE(store.Claim("slack:Ev1"));  // a late redelivery
  clock.Advance(std::chrono::seconds(1));
  CHECK(store.Claim("slack:Ev1"));        // the TTL has passed
  REQUIRE(store.Claim("slack:Ev2"));
  store.Release("slack:Ev2");             // could not be queued
  CHECK(store.Claim("slack:Ev2"));        // so the redelivery is answered
}
