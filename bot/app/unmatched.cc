// `bot unmatched FILE...`: what people asked that the bot could not answer,
// grouped by normalised text, most frequent first, each with the closest
// intent and fact so an editor knows where to add a pattern or a fact.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "bot/app/common.h"
#include "bot/app/verbs.h"
#include "bot/core/checker.h"
#include "bot/core/normalizer.h"
#include "bot/edge/json_codec.h"

namespace bot::app {
namespace {

constexpr char kUsage[] =
    "usage: bot unmatched [--intents DIR] [--facts DIR] [--json] [--top N] FILE...\n"
    "Reads the fallback log(s) written by `bot serve --unmatched-log FILE`\n"
    "(and their rotated FILE.1, FILE.2, ...), groups the questions by\n"
    "normalised text, most frequent first, and names for each group the\n"
    "closest intent and fact.\n";

struct Group {
  std::string key;
  std::string example;  // the first original text seen
  size_t count = 0;
  std::set<std::string> sessions;
};

// Words only: "When did Belarus join?!" and "when did belarus join" group.
std::string GroupKey(const std::string& normalized) {
  std::string key;
  bool space = false;
  for (unsigned char c : normalized) {
    bool word = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
    if (!word) {
      space = !key.empty();
      continue;
    }
    if (space) key += ' ';
    space = false;
    key += static_cast<char>(c);
  }
  return key;
}

}  // namespace

int RunUnmatched(const Args& args) {
  int exit_code = kExitOk;
  auto flags = ParseVerbFlags("unmatched", kUsage, args,
                              KnowledgeFlagSpec({{"json", false}, {"top", true}}), &exit_code);
  if (!flags) return exit_code;
  if (flags->positional().empty()) {
    std::cerr << "bot unmatched: give the log FILE (see --help)\n";
    return kExitUsage;
  }
  size_t top = 50;
  if (flags->Has("top")) {
    auto n = ParseNumber(flags->Get("top"));
    if (!n || *n < 1) {
      std::cerr << "bot unmatched: --top takes a positive number\n";
      return kExitUsage;
    }
    top = static_cast<size_t>(*n);
  }
  auto knowledge = LoadOrReport(*flags);
  if (!knowledge) return kExitFailure;

  std::map<std::string, Group> groups;
  size_t lines = 0, bad = 0;
  for (const std::string& base : flags->positional()) {
    std::vector<std::string> files = {base};
    for (int i = 1; i < 100; ++i) {
      std::string rotated = base + "." + std::to_string(i);
      std::error_code ec;
      if (!std::filesystem::exists(rotated, ec)) break;
      files.push_back(rotated);
    }
    for (const std::string& path : files) {
      std::ifstream in(path);
      if (!in) {
        std::cerr << "bot unmatched: cannot read " << path << "\n";
        return kExitFailure;
      }
      std::string line;
      while (std::getline(in, line)) {
        if (line.empty()) continue;
        ++lines;
        auto j = nlohmann::json::parse(line, nullptr, false);
        if (j.is_discarded() || !j.is_object() || !j.contains("text") ||
            !j["text"].is_string()) {
          ++bad;
          continue;
        }
        std::string text = j["text"].get<std::string>();
        std::string key = GroupKey(core::Normalize(text, knowledge->spellings()));
        if (key.empty()) continue;
        Group& g = groups[key];
        if (g.count == 0) {
          g.key = key;
          g.example = text;
        }
        ++g.count;
        if (j.contains("session") && j["session"].is_string()) {
          g.sessions.insert(j["session"].get<std::string>());
        }
      }
    }
  }
  std::vector<const Group*> ranked;
  for (const auto& [key, g] : groups) ranked.push_back(&g);
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const Group* a, const Group* b) { return a->count > b->count; });
  if (ranked.size() > top) ranked.resize(top);

  core::NearestIndex nearest(*knowledge);
  const auto& intents = knowledge->intents().intents();
  const auto& facts = knowledge->facts().facts();
  nlohmann::json out = nlohmann::json::array();
  for (const Group* g : ranked) {
    auto n = nearest.Find(g->key);
    nlohmann::json item = {{"question", g->example},
                           {"normalized", g->key},
                           {"count", g->count},
                           {"sessions", g->sessions.size()},
                           {"closest_intent", nullptr},
                           {"closest_fact", nullptr}};
    if (n.intent >= 0) {
      item["closest_intent"] = {{"id", intents[n.intent].id},
                                {"score", n.intent_score},
                                {"where", intents[n.intent].where.file + ":" +
                                              std::to_string(intents[n.intent].where.line)}};
    }
    if (n.fact >= 0) {
      item["closest_fact"] = {{"id", facts[n.fact].id},
                              {"score", n.fact_score},
                              {"where", facts[n.fact].where.file + ":" +
                                            std::to_string(facts[n.fact].where.line)}};
    }
    out.push_back(std::move(item));
  }
  if (flags->Has("json")) {
    std::cout << edge::Dump(out, 2) << "\n";
  } else {
    std::cout << lines - bad << " fallbacks, " << groups.size() << " distinct questions";
    if (bad > 0) std::cout << " (" << bad << " unreadable lines skipped)";
    std::cout << "\n";
    for (const auto& item : out) {
      std::cout << "\n" << std::setw(5) << item["count"].get<size_t>() << "x  "
                << item["question"].get<std::string>() << "  (" << item["sessions"].get<size_t>()
                << " sessions)\n";
      std::cout << "       closest intent: "
                << (item["closest_intent"].is_null()
                        ? std::string("none")
                        : item["closest_intent"]["id"].get<std::string>() + " (" +
                              item["closest_intent"]["where"].get<std::string>() + ")")
                << "\n";
      std::cout << "       closest fact:   "
                << (item["closest_fact"].is_null()
                        ? std::string("none")
                        : item["closest_fact"]["id"].get<std::string>() + " (" +
                              item["closest_fact"]["where"].get<std::string>() + ")")
                << "\n";
    }
  }
  return kExitOk;
}

}  // namespace bot::app
