// `bot ask` and `bot explain`: one question, no server.
#include <iostream>

#include "bot/app/common.h"
#include "bot/app/verbs.h"
#include "bot/core/answerer.h"
#include "bot/core/normalizer.h"
#include "bot/edge/json_codec.h"

namespace bot::app {
namespace {

constexpr char kAskUsage[] =
    "usage: bot ask [--json] [--intents DIR] [--facts DIR] \"question\"\n"
    "Answers one question and prints the reply (with --json, the same object\n"
    "as POST /api/v1/ask).\n";

constexpr char kExplainUsage[] =
    "usage: bot explain [--json] [--intents DIR] [--facts DIR] \"question\"\n"
    "Shows how a question is answered: the normalised text, every intent whose\n"
    "pattern matched (file:line), captures and scores, vetoes, why the winner\n"
    "won and the facts used. --json prints the POST /api/v1/explain object.\n";

// Shared front half of ask/explain: flags, the question, the knowledge.
struct Prepared {
  Flags flags;
  std::string question;
  std::shared_ptr<const core::Knowledge> knowledge;
};

std::optional<Prepared> Prepare(const std::string& verb, const std::string& usage,
                                const Args& args, int* exit_code) {
  auto flags = ParseVerbFlags(verb, usage, args, KnowledgeFlagSpec({{"json", false}}),
                              exit_code);
  if (!flags) return std::nullopt;
  if (flags->positional().size() != 1) {
    std::cerr << "bot " << verb << ": give exactly one question (quote it)\n";
    *exit_code = kExitUsage;
    return std::nullopt;
  }
  const std::string& question = flags->positional()[0];
  if (!core::IsValidUtf8(question)) {
    std::cerr << "bot " << verb << ": the question is not valid UTF-8\n";
    *exit_code = kExitUsage;
    return std::nullopt;
  }
  auto knowledge = LoadOrReport(*flags);
  if (!knowledge) {
    *exit_code = kExitFailure;
    return std::nullopt;
  }
  return Prepared{*flags, question, knowledge};
}

}  // namespace

int RunAsk(const Args& args) {
  int exit_code = kExitOk;
  auto p = Prepare("ask", kAskUsage, args, &exit_code);
  if (!p) return exit_code;
  core::Reply reply = core::Answer(*p->knowledge, {p->question, "", "cli"});
  if (p->flags.Has("json")) {
    std::cout << edge::Dump(edge::ReplyToJson(reply), 2) << "\n";
  } else {
    std::cout << reply.text << "\n";
    if (!reply.facts.empty()) {
      std::cout << "\nSources:";
      for (const auto& f : reply.facts) std::cout << " " << f.source << " (" << f.id << ")";
      std::cout << "\n";
    }
  }
  return kExitOk;
}

int RunExplain(const Args& args) {
  int exit_code = kExitOk;
  auto p = Prepare("explain", kExplainUsage, args, &exit_code);
  if (!p) return exit_code;
  const core::Knowledge& k = *p->knowledge;
  core::Explanation e = core::Explain(k, {p->question, "", "cli"});
  if (p->flags.Has("json")) {
    std::cout << edge::Dump(edge::ExplanationToJson(k, e), 2) << "\n";
    return kExitOk;
  }
  std::cout << "normalised: " << e.normalized << "\n";
  if (e.candidates.empty()) std::cout << "no intent matched\n";
  for (size_t i = 0; i < e.candidates.size(); ++i) {
    const core::Candidate& c = e.candidates[i];
    const core::Intent& intent = k.intents().intents()[c.intent];
    const core::LocatedText& pattern = intent.patterns[c.pattern];
    bool winner = e.winner && *e.winner == i;
    std::cout << (winner ? "* " : c.vetoed_by ? "x " : "  ") << intent.id
              << "  priority " << c.priority << ", specificity " << c.specificity << "\n"
              << "    pattern " << pattern.where.file << ":" << pattern.where.line << "  "
              << pattern.text << "\n";
    for (const auto& [name, value] : c.captures) {
      std::cout << "    capture " << name << " = " << value << "\n";
    }
    if (winner) {
      for (const core::ConceptUse& u : e.concepts) {
        std::cout << "    concept {" << u.name << "}: \"" << u.matched << "\" (term "
                  << (u.term.empty() ? "?" : u.term) << ")\n";
      }
    }
    if (c.vetoed_by) {
      const core::LocatedText& x = intent.exclude[*c.vetoed_by];
      std::cout << "    vetoed by exclude " << x.where.file << ":" << x.where.line << "  "
                << x.text << "\n";
    }
  }
  std::cout << "why: " << e.why << "\n";
  if (e.grounding) {
    for (const core::GroundingStep& s : e.grounding->steps) {
      std::cout << "grounding " << s.rule << ": " << (s.passed ? "ok" : "REFUSED") << " - "
                << s.note << "\n";
    }
  }
  if (e.reply.reason) {
    std::cout << "refused: " << edge::Dump(edge::ReasonToJson(*e.reply.reason)) << "\n";
  }
  for (const auto& f : e.reply.facts) {
    std::cout << "fact: " << f.id << " (" << f.source << ")\n";
  }
  std::cout << "reply" << (e.reply.fallback ? " (fallback)" : "") << ": " << e.reply.text
            << "\n";
  return kExitOk;
}

}  // namespace bot::app
