// `bot eval FILE.jsonl`: scores the bot on a question file.
#include <iostream>
#include <map>

#include "bot/app/common.h"
#include "bot/app/verbs.h"
#include "bot/core/answerer.h"
#include "bot/core/conversation.h"
#include "bot/edge/eval_set.h"
#include "bot/edge/json_codec.h"

namespace bot::app {
namespace {

constexpr char kUsage[] =
    "usage: bot eval FILE.jsonl [--json] [--lang L] [--kind K] [--min PERCENT] [--no-context]\n"
    "                [--intents DIR] [--facts DIR]\n"
    "Asks every question of FILE (JSON lines: id, lang, kind, q, all, any,\n"
    "forbid; or dialogues: id, lang, turns of those, asked in order in one\n"
    "conversation) and prints pass counts per lang and kind (for dialogues\n"
    "also follow-up turns, those after the first), then each failure.\n"
    "--no-context asks every dialogue turn on its own (what context adds).\n"
    "--lang/--kind keep only those items; --min exits 1 when the pass rate of\n"
    "the kept items is below PERCENT.\n";

struct Tally {
  int passed = 0;
  int total = 0;
};

std::string Percent(const Tally& t) {
  if (t.total == 0) return "n/a";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f%%", 100.0 * t.passed / t.total);
  return buf;
}

}  // namespace

int RunEval(const Args& args) {
  int exit_code = kExitOk;
  auto flags = ParseVerbFlags(
      "eval", kUsage, args,
      KnowledgeFlagSpec({{"json", false},
                         {"lang", true},
                         {"kind", true},
                         {"min", true},
                         {"no-context", false}}),
      &exit_code);
  if (!flags) return exit_code;
  if (flags->positional().size() != 1) {
    std::cerr << "bot eval: give exactly one question file\n";
    return kExitUsage;
  }
  std::optional<double> min;
  if (flags->Has("min")) {
    min = ParseNumber(flags->Get("min"));
    if (!min || *min > 100) {
      std::cerr << "bot eval: --min takes a percentage from 0 to 100\n";
      return kExitUsage;
    }
  }
  auto items = edge::LoadEvalSet(flags->positional()[0]);
  if (!items.ok()) {
    std::cerr << "bot eval: " << items.status().message() << "\n";
    return kExitFailure;
  }
  auto knowledge = LoadOrReport(*flags);
  if (!knowledge) return kExitFailure;

  std::map<std::string, Tally> by_lang, by_kind, by_lang_kind, by_turn;
  Tally overall;
  core::ConversationContext context;
  std::string dialogue;
  nlohmann::json failures = nlohmann::json::array();
  std::string failure_text;
  for (const auto& item : items.value()) {
    if (flags->Has("lang") && item.lang != flags->Get("lang")) continue;
    if (flags->Has("kind") && item.kind != flags->Get("kind")) continue;
    core::Reply reply;
    if (item.dialogue.empty() || flags->Has("no-context")) {
      reply = core::Answer(*knowledge, {item.question, "", "eval"});
    } else {
      if (item.dialogue != dialogue || item.turn == 0) context = {};
      dialogue = item.dialogue;
      core::Turn turn = core::AnswerTurn(*knowledge, {item.question, item.dialogue, "eval"}, context);
      reply = std::move(turn.reply);
      context = std::move(turn.next);
    }
    std::string why;
    bool pass = edge::ScoreEvalItem(item, reply, knowledge->spellings(), &why);
    std::vector<Tally*> tallies = {&by_lang[item.lang], &by_kind[item.kind],
                                   &by_lang_kind[item.lang + "/" + item.kind], &overall};
    if (!item.dialogue.empty()) {
      const std::string turn = item.turn == 0 ? "first" : "follow-up";
      tallies.push_back(&by_turn[turn]);
      tallies.push_back(&by_turn[turn + "/" + item.lang]);
    }
    for (Tally* t : tallies) {
      t->total++;
      t->passed += pass;
    }
    if (!pass) {
      failures.push_back({{"id", item.id},
                          {"lang", item.lang},
                          {"kind", item.kind},
                          {"question", item.question},
                          {"why", why},
                          {"reply", edge::ReplyToJson(reply)}});
      failure_text += "FAIL " + item.id + " [" + item.lang + "/" + item.kind + "] " +
                      item.question + "\n  " + why + "; reply" +
                      (reply.fallback ? " (fallback)" : "") + ": " + reply.text + "\n";
      if (!reply.read_as.empty()) failure_text += "  read as: " + reply.read_as + "\n";
    }
  }
  bool below = min && overall.total > 0 && 100.0 * overall.passed / overall.total < *min;
  if (flags->Has("json")) {
    auto tallies = [](const std::map<std::string, Tally>& m) {
      nlohmann::json j = nlohmann::json::object();
      for (const auto& [k, t] : m) j[k] = {{"passed", t.passed}, {"total", t.total}};
      return j;
    };
    std::cout << edge::Dump({{"passed", overall.passed},
                             {"total", overall.total},
                             {"by_lang", tallies(by_lang)},
                             {"by_kind", tallies(by_kind)},
                             {"by_lang_kind", tallies(by_lang_kind)},
                             {"by_turn", tallies(by_turn)},
                             {"failures", failures}},
                            2)
              << "\n";
  } else {
    std::cout << failure_text;
    for (const auto& [k, t] : by_lang_kind) {
      std::cout << k << ": " << t.passed << "/" << t.total << " (" << Percent(t) << ")\n";
    }
    for (const auto& [k, t] : by_turn) {
      std::cout << "turns " << k << ": " << t.passed << "/" << t.total << " (" << Percent(t)
                << ")\n";
    }
    for (const auto& [k, t] : by_lang) {
      std::cout << "lang " << k << ": " << t.passed << "/" << t.total << " (" << Percent(t)
                << ")\n";
    }
    std::cout << "total: " << overall.passed << "/" << overall.total << " ("
              << Percent(overall) << ")\n";
  }
  if (below) {
    std::cerr << "bot eval: pass rate " << Percent(overall) << " is below --min " << *min
              << "%\n";
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace bot::app
