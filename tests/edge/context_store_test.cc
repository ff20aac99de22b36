// The in-memory context store: TTL, turn limit, LRU bound, memory bound,
// and which session ids clients may use.
#include "bot/edge/context_store.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace bot::edge {
namespace {

core::ConversationContext Context(const std::string& intent, int turns = 1) {
  core::ConversationContext c;
  c.intent = intent;
  c.question = "when did the osce office in minsk close";
  c.entities = {"oom", "minsk"};
  c.facts = {"field.oom"};
  c.lang = "en";
  c.turns = turns;
  return c;
}

TEST_CASE("InMemoryContextStore returns what was saved until the TTL passes", "[context_store]") {
  InMemoryContextStore store({/*ttl_ms=*/1000, /*max_turns=*/20, /*max_sessions=*/10});
  store.Save("http:a", Context("x"), 0);
  CHECK(store.Load("http:a", 1000).intent == "x");
  // Each turn renews the TTL.
  store.Save("http:a", Context("y"), 1000);
  CHECK(store.Load("http:a", 1900).intent == "y");
  CHECK(store.Load("http:a", 2001).empty());
  CHECK(store.size() == 0);  // an expired context is dropped when seen
  CHECK(store.Load("http:none", 0).empty());
}

TEST_CASE("InMemoryContextStore shares the saved context read-only until the next save",
          "[context_store]") {
  InMemoryContextStore store({/*ttl_ms=*/1000, /*max_turns=*/20, /*max_sessions=*/10});
  REQUIRE(store.Share("http:a", 0) != nullptr);
  CHECK(store.Share("http:a", 0)->empty());
  store.Save("http:a", Context("x"), 0);
  const auto first = store.Share("http:a", 500);
  REQUIRE(first != nullptr);
  CHECK(first->intent == "x");
  CHECK(first->facts == std::vector<std::string>{"field.oom"});
  // The store's own entry, not a copy: shared twice, the same object.
  CHECK(store.Share("http:a", 600).get() == first.get());
  // A turn still reading the old context keeps it whole after the next save.
  store.Save("http:a", Context("y"), 700);
  CHECK(first->intent == "x");
  CHECK(store.Share("http:a", 800)->intent == "y");
  CHECK(store.Load("http:a", 800).intent == "y");
  // Past the TTL: empty, and the entry dropped.
  CHECK(store.Share("http:a", 1701)->empty());
  CHECK(store.size() == 0);
}

TEST_CASE("InMemoryContextStore forgets a context past max_turns or when empty", "[context_store]") {
  InMemoryContextStore store({1000, /*max_turns=*/3, 10});
  store.Save("k", Context("x", 3), 0);
  CHECK_FALSE(store.Load("k", 0).empty());
  store.Save("k", Context("x", 4), 0);
  CHECK(store.Load("k", 0).empty());
  store.Save("k", Context("x"), 0);
  store.Save("k", core::ConversationContext{}, 0);
  CHECK(store.size() == 0);
}

TEST_CASE("InMemoryContextStore drops the least recently used beyond max_sessions", "[context_store]") {
  InMemoryContextStore store({100000, 20, /*max_sessions=*/2});
  store.Save("a", Context("a"), 0);
  store.Save("b", Context("b"), 1);
  CHECK(store.Load("a", 2).intent == "a");  // loading does not refresh; saving does
  store.Save("a", Context("a"), 3);
  store.Save("c", Context("c"), 4);  // evicts b, the least recently saved
  CHECK(store.size() == 2);
  CHECK(store.Load("b", 5).empty());
  CHECK(store.Load("a", 5).intent == "a");
  CHECK(store.Load("c", 5).intent == "c");
  CHECK(store.Erase("a"));
  CHECK_FALSE(store.Erase("a"));
  CHECK(store.size() == 1);
}

TEST_CASE("InMemoryContextStore updates a conversation's entry in place, bytes counted once",
          "[context_store]") {
  InMemoryContextStore store({100000, 20, 10});
  store.Save("a", Context("a"), 0);
  const size_t one = store.ApproximateBytes();
  REQUIRE(one > 0);
  for (int turn = 1; turn <= 5; ++turn) store.Save("a", Context("a", turn), turn);
  CHECK(store.size() == 1);
  CHECK(store.ApproximateBytes() == one);
  CHECK(store.Load("a", 6).turns == 5);
  // A bigger context is counted as it is now.
  core::ConversationContext bigger = Context("a", 6);
  bigger.question = std::string(core::kMaxContextQuestionBytes, 'q');
  store.Save("a", bigger, 7);
  CHECK(store.ApproximateBytes() >= one + core::kMaxContextQuestionBytes - 64);
  store.Save("a", core::ConversationContext{}, 8);
  CHECK(store.ApproximateBytes() == 0);
}

TEST_CASE("InMemoryContextStore::Keep swaps into an entry no turn reads and hands back its storage",
          "[context_store]") {
  InMemoryContextStore store({1000, 20, 10});
  core::ConversationContext first = Context("x");
  store.Keep("a", &first, 0);  // no entry yet: saved, nothing handed back
  CHECK(store.Load("a", 1).intent == "x");
  core::ConversationContext next = Context("y", 2);
  next.question = std::string(200, 'q');  // on the heap, so its buffer can be followed
  const char* buffer = next.question.data();
  store.Keep("a", &next, 10);
  CHECK(next.intent == "x");  // the replaced context, for the caller to write over
  const auto kept = store.Share("a", 20);
  CHECK(kept->intent == "y");
  CHECK(kept->turns == 2);
  CHECK(kept->question.data() == buffer);  // swapped in, not copied
  CHECK(store.ApproximateBytes() >= 200);
  // Expiry is renewed as by Save.
  CHECK_FALSE(store.Share("a", 1009)->empty());
}

TEST_CASE("InMemoryContextStore::Keep leaves a context a turn still reads whole", "[context_store]") {
  InMemoryContextStore store({1000, 20, 10});
  store.Save("a", Context("x"), 0);
  const auto reading = store.Share("a", 1);
  core::ConversationContext next = Context("y", 2);
  store.Keep("a", &next, 2);
  CHECK(reading->intent == "x");
  CHECK(store.Share("a", 3)->intent == "y");
  // A context past max_turns forgets the key, as Save does.
  core::ConversationContext old = Context("z", 21);
  store.Keep("a", &old, 4);
  CHECK(store.size() == 0);
}

TEST_CASE("100,000 distinct sessions stay within the documented memory bound", "[context_store]") {
  ContextStoreOptions options;  // the defaults serve uses
  InMemoryContextStore store(options);
  core::ConversationContext big = Context("field.oom");
  big.question = std::string(core::kMaxContextQuestionBytes, 'q');
  big.pending = std::string(core::kMaxContextQuestionBytes, 'p');
  big.entities.assign(core::kMaxContextEntities, "an_entity_id_of_some_length");
  big.answer_entities.assign(core::kMaxContextEntities, "an_entity_id_of_some_length");
  big.facts.assign(core::kMaxContextFacts, "a.fact.id.of.some.length");
  REQUIRE(big.ApproximateBytes() + 2 * kMaxSessionIdBytes < InMemoryContextStore::kMaxEntryBytes);
  for (int i = 0; i < 100000; ++i) {
    store.Save("http:session-" + std::to_string(i) + std::string(100, 'x'), big, i);
  }
  CHECK(store.size() == options.max_sessions);
  CHECK(store.ApproximateBytes() <= options.max_sessions * InMemoryContextStore::kMaxEntryBytes);
  // The newest are kept.
  CHECK_FALSE(store.Load("http:session-99999" + std::string(100, 'x'), 100000).empty());
  CHECK(store.Load("http:session-0" + std::string(100, 'x'), 100000).empty());
}

TEST_CASE("Session ids are short printable ASCII", "[context_store]") {
  CHECK(ValidSessionId("chat-42"));
  CHECK(ValidSessionId("user@example.org:1_2"));
  CHECK(ValidSessionId(std::string(kMaxSessionIdBytes, 'a')));
  CHECK_FALSE(ValidSessionId(""));
  CHECK_FALSE(ValidSessionId(std::string(kMaxSessionIdBytes + 1, 'a')));
  CHECK_FALSE(ValidSessionId("a b"));
  CHECK_FALSE(ValidSessionId("a/b"));
  CHECK_FALSE(ValidSessionId("сессия"));
  CHECK_FALSE(ValidSessionId(std::string("a\0b", 3)));
}

}  // namespace
}  // namespace bot::edge
