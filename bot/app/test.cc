// `bot test`: runs every example, counter-example and intents/tests/*.yaml
// case through the real answerer, prints a table and a coverage line.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "bot/app/common.h"
#include "bot/app/verbs.h"
#include "bot/core/answerer.h"
#include "bot/core/checker.h"
#include "bot/core/conversation.h"
#include "bot/core/normalizer.h"
#include "bot/core/utf8.h"
#include "bot/edge/read_file.h"
#include "bot/edge/eval_set.h"

namespace bot::app {
namespace {

constexpr char kUsage[] =
    "usage: bot test [--intents DIR] [--facts DIR] [--tests DIR] [--failures]\n"
    "Runs every example (must be answered by its intent), every counter-example\n"
    "(must not be) and every case in the test files (default DIR: <intents>/tests,\n"
    "files of `tests: [{q: question, intent: id}]`; intent `fallback` expects a\n"
    "fallback reply; and `dialogues: [{id, turns: [{q, intent, contains, lang}]}]`,\n"
    "each asked in one conversation, `lang` a language override). Prints a table (--failures: failing rows only), then\n"
    "coverage: intents with examples, facts reachable, patterns never exercised.\n"
    "Exit status 1 when any case fails.\n";

struct Row {
  bool pass = false;
  std::string kind;      // example, counter, test
  std::string question;
  std::string expected;  // "intent", "not intent", "fallback"
  std::string got;
  core::SourceLocation where;
};

// At most `width` code points of `s` (UTF-8), padded with spaces.
std::string Cell(const std::string& s, size_t width) {
  size_t points = core::CountCodePoints(s);
  if (points <= width) return s + std::string(width - points, ' ');
  // The last code point that fits makes way for an ellipsis.
  return std::string(core::FirstCodePoints(s, width > 0 ? width - 1 : 0)) + "~";
}

std::string Got(const core::Reply& reply) {
  if (!reply.intent) return "fallback";
  return *reply.intent + (reply.fallback ? " (fallback)" : "");
}

// A file that cannot be read parses as empty, as before; one past the
// knowledge limit is refused by the parser.
std::string ReadAll(const std::string& path) {
  return edge::ReadFile(path, edge::kMaxKnowledgeFileBytes).value_or("");
}

}  // namespace

int RunTest(const Args& args) {
  int exit_code = kExitOk;
  auto flags = ParseVerbFlags("test", kUsage, args,
                              KnowledgeFlagSpec({{"tests", true}, {"failures", false}}),
                              &exit_code);
  if (!flags) return exit_code;
  auto knowledge = LoadOrReport(*flags);
  if (!knowledge) return kExitFailure;
  const core::Knowledge& k = *knowledge;

  std::vector<Row> rows;
  std::vector<std::pair<std::string, std::string>> extra;
  for (const core::Intent& intent : k.intents().intents()) {
    for (const auto& e : intent.examples) {
      core::Reply r = core::Answer(k, {e.text, "", "test"});
      rows.push_back({r.intent == intent.id, "example", e.text, intent.id, Got(r), e.where});
    }
    for (const auto& c : intent.counter_examples) {
      core::Reply r = core::Answer(k, {c.text, "", "test"});
      rows.push_back(
          {r.intent != intent.id, "counter", c.text, "not " + intent.id, Got(r), c.where});
    }
  }
  std::string tests_dir =
      flags->Get("tests", SourcesFrom(*flags).intents_dir + "/tests");
  std::vector<core::Diagnostic> diagnostics;
  std::error_code ec;
  if (std::filesystem::is_directory(tests_dir, ec)) {
    std::string error;
    for (const auto& file : edge::ListYamlFiles(tests_dir, &error)) {
      core::ConversationContext context;
      for (const auto& t : edge::ParseIntentTestsYaml(ReadAll(file), file, &diagnostics)) {
        core::Reply r;
        if (t.dialogue.empty()) {
          r = core::Answer(k, {t.question, "", "test"});
        } else {
          if (t.turn == 0) context = {};
          core::Question q{t.question, t.dialogue, "test"};
          q.lang = t.lang;
          core::Turn turn = core::AnswerTurn(k, q, context);
          context = std::move(turn.next);
          r = std::move(turn.reply);
        }
        bool pass = t.expected.empty() || (t.expected == "fallback" ? r.fallback
                                                                     : r.intent == t.expected);
        if (!t.expected.empty() && t.expected != "fallback" && k.intents().IndexOf(t.expected) < 0) {
          diagnostics.push_back({core::Diagnostic::Severity::kError, t.where,
                                 "unknown-intent",
                                 "test expects unknown intent `" + t.expected + "`"});
          pass = false;
        }
        std::string expected = t.expected;
        const std::string text = edge::FoldForComparison(r.text);
        for (const std::string& c : t.contains) {
          if (text.find(edge::FoldForComparison(c)) == std::string::npos) pass = false;
          expected += (expected.empty() ? "" : " + ") + ("\"" + c + "\"");
        }
        rows.push_back({pass, t.dialogue.empty() ? "test" : "turn", t.question, expected, Got(r),
                        t.where});
        if (!t.expected.empty() && t.expected != "fallback" && t.dialogue.empty()) {
          extra.push_back({t.question, t.expected});
        }
      }
    }
    if (!error.empty()) std::cerr << "bot test: " << error << "\n";
  } else if (flags->Has("tests")) {
    std::cerr << "bot test: " << tests_dir << ": not a directory\n";
    return kExitUsage;
  }
  for (const auto& d : diagnostics) std::cerr << core::FormatDiagnostic(d) << "\n";

  size_t failed = 0;
  bool failures_only = flags->Has("failures");
  std::cout << Cell("result", 6) << "  " << Cell("kind", 7) << "  " << Cell("question", 48)
            << "  " << Cell("expected", 28) << "  " << Cell("got", 28) << "  where\n";
  for (const Row& row : rows) {
    if (!row.pass) ++failed;
    if (failures_only && row.pass) continue;
    std::cout << Cell(row.pass ? "ok" : "FAIL", 6) << "  " << Cell(row.kind, 7) << "  "
              << Cell(row.question, 48) << "  " << Cell(row.expected, 28) << "  "
              << Cell(row.got, 28) << "  " << row.where.file << ":" << row.where.line << "\n";
  }
  std::cout << "\n" << rows.size() - failed << " passed, " << failed << " failed\n";

  core::Coverage c = core::ComputeCoverage(k, extra);
  std::cout << "coverage: intents with examples " << c.intents_with_examples << "/"
            << c.intents << ", facts reachable " << c.facts_reachable << "/" << c.facts
            << ", patterns never exercised by an example " << c.unexercised.size() << "/"
            << c.patterns << "\n";
  for (const core::LocatedText* p : c.unexercised) {
    std::cout << "  unexercised " << p->where.file << ":" << p->where.line << "  " << p->text
              << "\n";
  }
  return failed > 0 || core::HasErrors(diagnostics) ? kExitFailure : kExitOk;
}

}  // namespace bot::app
