#include "bot/edge/reloader.h"

#include <catch2/catch.hpp>

#include "tests/support/test_support.h"

namespace bot::edge {
namespace {

// Knowledge whose one intent answers "join" with fact `fact_id`.
void WriteKnowledge(const testing::TempDir& dir, const std::string& fact_id) {
  dir.Write("facts/f.yaml", "facts:\n  - id: " + fact_id +
                                "\n    text: Belarus joined on 30 January 1992.\n"
                                "    source: doc#4\n");
  dir.Write("intents/i.yaml", "intents:\n  - id: m.joined\n    patterns: ['\\bjoin']\n"
                              "    answer: {facts: [" + fact_id + "]}\n"
                              "    examples: ['When did Belarus join?']\n");
}

TEST_CASE("Reloader swaps in a valid edit and keeps the old knowledge on a broken one",
          "[reloader]") {
  testing::TempDir dir;
  WriteKnowledge(dir, "m.v1");
  KnowledgeSources sources{dir.path() + "/intents", dir.path() + "/facts"};
  KnowledgeHolder holder(LoadKnowledge(sources).value());
  Reloader reloader(&holder, sources);
  CHECK(reloader.sources().intents_dir == dir.path() + "/intents");

  WriteKnowledge(dir, "m.v2");
  REQUIRE(reloader.Reload("test").ok());
  CHECK(holder.Get()->facts().Find("m.v2") != nullptr);
  CHECK(reloader.stats().succeeded == 1);
  CHECK(reloader.stats().last_error.empty());

  // A broken edit: the error is returned and remembered, v2 stays served.
  auto served = holder.Get();
  dir.Write("intents/i.yaml", "intents:\n  - id: m.joined\n    patterns: [\n");
  core::Status broken = reloader.Reload("test");
  REQUIRE_FALSE(broken.ok());
  CHECK(holder.Get() == served);
  Reloader::Stats stats = reloader.stats();
  CHECK(stats.failed == 1);
  CHECK(stats.last_error == broken.message());
  CHECK(stats.last_error.find("i.yaml:") != std::string::npos);
  CHECK_FALSE(stats.last_error_at.empty());

  // Fixed: live again, and the error is cleared.
  WriteKnowledge(dir, "m.v3");
  REQUIRE(reloader.Reload("test").ok());
  CHECK(holder.Get()->facts().Find("m.v3") != nullptr);
  CHECK(reloader.stats().succeeded == 2);
  CHECK(reloader.stats().last_error.empty());
}

}  // namespace
}  // namespace bot::edge
