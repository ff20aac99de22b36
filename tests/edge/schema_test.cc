// The JSON Schemas editors use (intents/intent.schema.json,
// facts/fact.schema.json) must allow exactly the keys the loader accepts,
// so the editor and `bot check` never disagree.
#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "bot/edge/yaml_loader.h"
#include "tests/support/test_support.h"

namespace {

nlohmann::json Schema(const std::string& relative) {
  std::ifstream in(bot::testing::SourceDir() + "/" + relative);
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  auto j = nlohmann::json::parse(text.str(), nullptr, false);
  REQUIRE_FALSE(j.is_discarded());
  return j;
}

std::vector<std::string> Keys(const nlohmann::json& object_schema) {
  CHECK(object_schema["additionalProperties"] == false);
  std::vector<std::string> keys;
  for (const auto& [key, value] : object_schema["properties"].items()) keys.push_back(key);
  std::sort(keys.begin(), keys.end());
  return keys;
}

std::vector<std::string> Sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

}  // namespace

TEST_CASE("The intent schema allows exactly the loader's intent and answer keys", "[schema]") {
  auto s = Schema("intents/intent.schema.json");
  CHECK(Keys(s) == std::vector<std::string>{"intents"});
  CHECK(Keys(s["definitions"]["intent"]) == Sorted(bot::edge::kIntentKeys));
  CHECK(Keys(s["definitions"]["answer"]) == Sorted(bot::edge::kAnswerKeys));
  CHECK(s["definitions"]["intent"]["required"] ==
        nlohmann::json::array({"id", "patterns", "answer"}));
}

TEST_CASE("The fact schema allows exactly the loader's fact keys", "[schema]") {
  auto s = Schema("facts/fact.schema.json");
  CHECK(Keys(s) == std::vector<std::string>{"facts"});
  CHECK(Keys(s["definitions"]["fact"]) == Sorted(bot::edge::kFactKeys));
  CHECK(s["definitions"]["fact"]["required"] == nlohmann::json::array({"id", "text", "source"}));
}

TEST_CASE("The gazetteer, lexicon and replies schemas allow exactly the loader's keys",
          "[schema]") {
  auto entities = Schema("intents/entities.schema.json");
  CHECK(Keys(entities) == std::vector<std::string>{"entities"});
  CHECK(Keys(entities["definitions"]["entity"]) == Sorted(bot::edge::kEntityKeys));
  auto lexicon = Schema("intents/lexicon.schema.json");
  CHECK(Keys(lexicon) == Sorted(bot::edge::kLexiconKeys));
  CHECK(Keys(lexicon["definitions"]["concept"]) == Sorted(bot::edge::kConceptKeys));
  auto replies = Schema("intents/replies.schema.json");
  CHECK(Keys(replies) == std::vector<std::string>{"replies"});
  CHECK(Keys(replies["definitions"]["reply"]) == std::vector<std::string>{"be", "en", "ru"});
}

// The schema a shipped YAML file must name on line 1.
static std::string SchemaFor(const std::string& dir, const std::string& file) {
  if (dir == "facts") return "./fact.schema.json";
  const std::string name = file.substr(file.find_last_of('/') + 1);
  if (name == bot::edge::kEntitiesFile) return "./entities.schema.json";
  if (name == bot::edge::kLexiconFile) return "./lexicon.schema.json";
  if (name == bot::edge::kRepliesFile) return "./replies.schema.json";
  return "./intent.schema.json";
}

TEST_CASE("Every shipped YAML file points editors at its schema on line 1", "[schema]") {
  for (const std::string dir : {"intents", "facts"}) {
    std::string error;
    auto files = bot::edge::ListYamlFiles(bot::testing::SourceDir() + "/" + dir, &error);
    REQUIRE(error.empty());
    REQUIRE_FALSE(files.empty());
    for (const auto& file : files) {
      std::ifstream in(file);
      std::string first;
      std::getline(in, first);
      CAPTURE(file);
      CHECK(first == "# yaml-language-server: $schema=" + SchemaFor(dir, file));
    }
  }
}
