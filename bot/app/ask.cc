// `bot ask` and `bot explain`: one question, no server. With --session ID
// the question is a turn of a conversation whose context is kept in a file
// (--sessions DIR), so follow-ups can be tried from a shell.
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <unistd.h>

#include "bot/app/common.h"
#include "bot/app/verbs.h"
#include "bot/core/answerer.h"
#include "bot/core/conversation.h"
#include "bot/core/language.h"
#include "bot/core/normalizer.h"
#include "bot/edge/context_store.h"
#include "bot/edge/json_codec.h"

namespace bot::app {
namespace {

constexpr char kAskUsage[] =
    "usage: bot ask [--json] [--lang en|ru|be] [--lang-hint L] [--intents DIR] [--facts DIR]\n"
    "               [--session ID [--sessions DIR]] \"question\"\n"
    "Answers one question and prints the reply (with --json, the same object\n"
    "as POST /api/v1/ask). --lang answers in that language whatever the\n"
    "question's; --lang-hint is the conversation's language so far, which\n"
    "decides a short or ambiguous question. With --session, the question is\n"
    "the next turn of conversation ID: a follow-up is read with the context of\n"
    "the last turn, kept in DIR/ID.json (default $TMPDIR/bot-sessions-UID) for\n"
    "10 minutes (and its language is the hint).\n";

constexpr char kExplainUsage[] =
    "usage: bot explain [--json] [--lang en|ru|be] [--lang-hint L] [--intents DIR]\n"
    "                   [--facts DIR] [--session ID [--sessions DIR]] \"question\"\n"
    "Shows how a question is answered: the language and its evidence, the\n"
    "normalised text, every intent whose\n"
    "pattern matched (file:line), captures and scores, vetoes, why the winner\n"
    "won and the facts used. --json prints the POST /api/v1/explain object.\n"
    "With --session (see bot ask), also the conversation's context and how the\n"
    "question was read with it; explaining does not take a turn.\n";

int64_t UnixSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string SessionsDir(const Flags& flags) {
  if (flags.Has("sessions")) return flags.Get("sessions");
  const char* tmp = std::getenv("TMPDIR");
  return std::string(tmp && *tmp ? tmp : "/tmp") + "/bot-sessions-" + std::to_string(getuid());
}

std::vector<std::string> Strings(const nlohmann::json& j, const char* key) {
  std::vector<std::string> out;
  if (!j.contains(key) || !j[key].is_array()) return out;
  for (const auto& s : j[key]) {
    if (s.is_string()) out.push_back(s.get<std::string>());
  }
  return out;
}

// The context saved for the session, or an empty one (none, unreadable,
// or idle longer than the default TTL).
core::ConversationContext LoadSession(const std::string& path) {
  std::ifstream in(path);
  if (!in) return {};
  std::stringstream text;
  text << in.rdbuf();
  auto j = nlohmann::json::parse(text.str(), nullptr, false);
  if (!j.is_object() || !j.contains("saved_at") || !j["saved_at"].is_number_integer() ||
      !j.contains("context") || !j["context"].is_object()) {
    return {};
  }
  if (UnixSeconds() - j["saved_at"].get<int64_t>() > edge::ContextStoreOptions{}.ttl_ms / 1000) {
    return {};
  }
  const auto& c = j["context"];
  auto str = [&](const char* key) {
    return c.contains(key) && c[key].is_string() ? c[key].get<std::string>() : std::string();
  };
  core::ConversationContext context;
  context.intent = str("intent");
  context.question = str("question");
  context.detail = str("detail");
  context.lang = str("lang");
  context.pending = str("pending");
  context.entities = Strings(c, "entities");
  context.answer_entities = Strings(c, "answer_entities");
  context.facts = Strings(c, "facts");
  context.turns = c.contains("turns") && c["turns"].is_number_integer() ? c["turns"].get<int>() : 0;
  return context;
}

bool SaveSession(const std::string& path, const core::ConversationContext& context) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  std::ofstream out(path, std::ios::trunc);
  if (!out) return false;
  out << edge::Dump({{"saved_at", UnixSeconds()}, {"context", edge::ContextToJson(context)}}) << "\n";
  return static_cast<bool>(out);
}

// Shared front half of ask/explain: flags, the question, the knowledge.
struct Prepared {
  Flags flags;
  core::Question question;
  std::shared_ptr<const core::Knowledge> knowledge;
};

std::optional<Prepared> Prepare(const std::string& verb, const std::string& usage,
                                const Args& args, int* exit_code) {
  auto flags = ParseVerbFlags(verb, usage, args,
                              KnowledgeFlagSpec({{"json", false},
                                                 {"lang", true},
                                                 {"lang-hint", true},
                                                 {"session", true},
                                                 {"sessions", true}}),
                              exit_code);
  if (!flags) return std::nullopt;
  if (flags->Has("session") && !edge::ValidSessionId(flags->Get("session"))) {
    std::cerr << "bot " << verb << ": --session takes at most " << edge::kMaxSessionIdBytes
              << " characters: ASCII letters, digits and -_.:@\n";
    *exit_code = kExitUsage;
    return std::nullopt;
  }
  if (flags->positional().size() != 1) {
    std::cerr << "bot " << verb << ": give exactly one question (quote it)\n";
    *exit_code = kExitUsage;
    return std::nullopt;
  }
  if (flags->Has("lang") && !core::IsReplyLanguage(flags->Get("lang"))) {
    std::cerr << "bot " << verb << ": --lang must be en, ru or be\n";
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
  Prepared p{*flags, {question, "", "cli"}, knowledge};
  p.question.lang = flags->Get("lang");
  p.question.lang_hint = flags->Get("lang-hint");
  return p;
}

}  // namespace

int RunAsk(const Args& args) {
  int exit_code = kExitOk;
  auto p = Prepare("ask", kAskUsage, args, &exit_code);
  if (!p) return exit_code;
  core::Reply reply;
  if (p->flags.Has("session")) {
    const std::string id = p->flags.Get("session");
    const std::string path = SessionsDir(p->flags) + "/" + id + ".json";
    p->question.session = id;
    core::Turn turn = core::AnswerTurn(*p->knowledge, p->question, LoadSession(path));
    if (!SaveSession(path, turn.next)) {
      std::cerr << "bot ask: cannot write " << path << "\n";
      return kExitFailure;
    }
    reply = std::move(turn.reply);
  } else {
    reply = core::Answer(*p->knowledge, p->question);
  }
  if (p->flags.Has("json")) {
    std::cout << edge::Dump(edge::ReplyToJson(reply), 2) << "\n";
  } else {
    if (!reply.read_as.empty()) std::cout << "(read as: " << reply.read_as << ")\n";
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
  core::Explanation e;
  std::optional<core::Turn> turn;
  core::ConversationContext context;
  if (p->flags.Has("session")) {
    const std::string id = p->flags.Get("session");
    context = LoadSession(SessionsDir(p->flags) + "/" + id + ".json");
    p->question.session = id;
    turn = core::ExplainTurn(k, p->question, context);
    if (turn->explanation) e = *turn->explanation;
    e.reply = turn->reply;
  } else {
    e = core::Explain(k, p->question);
  }
  if (p->flags.Has("json")) {
    std::cout << edge::Dump(turn ? edge::TurnToJson(k, context, *turn)
                                 : edge::ExplanationToJson(k, e),
                            2)
              << "\n";
    return kExitOk;
  }
  if (turn) {
    if (context.empty()) {
      std::cout << "context: none\n";
    } else {
      std::cout << "context: turn " << context.turns << ", intent " << context.intent
                << ", question \"" << context.question << "\"\n";
    }
    // The first line, when readings were tried, is what the context implies.
    for (const std::string& t : turn->tried) {
      std::cout << (t.rfind("context ", 0) == 0 ? "" : "tried ") << t << "\n";
    }
    std::cout << "reading: " << turn->reading << "\n";
    if (!turn->reply.read_as.empty()) std::cout << "read as: " << turn->reply.read_as << "\n";
  }
  std::cout << "language: " << e.language.lang
            << (e.language.from_hint ? " (the conversation's)" : e.language.decided ? "" : " (not decided by the text)")
            << ", reply in " << e.reply.lang << "\n";
  for (const std::string& why : e.language.evidence) std::cout << "    " << why << "\n";
  if (!e.reread.empty()) std::cout << "reread: no intent matched as written; " << e.reread << "\n";
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
