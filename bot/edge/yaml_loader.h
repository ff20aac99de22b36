// Loads the editors' YAML files (facts/*.yaml, intents/*.yaml) into the plain
// structs core builds a Knowledge from. Every mistake becomes a Diagnostic
// with file:line:column; nothing throws. Every string must be UTF-8, so what
// the bot later says or serialises is. The allowed keys live here and are
// mirrored by the JSON Schemas in intents/ and facts/ (a test keeps them equal).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "bot/core/diagnostic.h"
#include "bot/core/fact_base.h"
#include "bot/core/intent_set.h"
#include "bot/core/knowledge.h"
#include "bot/core/status.h"

namespace bot::edge {

// What the loaders read at most, each refused beyond with file:line:column:
// aliases expanded, a YAML file of a few kilobytes can cost gigabytes at load
// and in every /api/v1/intents answer.
constexpr size_t kMaxKnowledgeFileBytes = 1 << 20;  // one file
constexpr size_t kMaxYamlNodes = 100000;            // one file, aliases expanded
// Every string (keys too) of every file together, aliases expanded.
constexpr size_t kMaxKnowledgeTextBytes = 4 << 20;

// Allowed keys, in the order the schemas list them.
extern const std::vector<std::string> kFactKeys;
extern const std::vector<std::string> kIntentKeys;
extern const std::vector<std::string> kAnswerKeys;
extern const std::vector<std::string> kEntityKeys;
extern const std::vector<std::string> kConceptKeys;
// The top-level keys of lexicon.yaml.
extern const std::vector<std::string> kLexiconKeys;
// The files of the intents directory that are not intents.
extern const char kLexiconFile[];   // concepts: the lexicon
extern const char kEntitiesFile[];  // entities: the gazetteer
extern const char kRepliesFile[];   // replies: canned texts per language

// Parses one facts file's text. `file` names it in diagnostics. Each Parse
// function refuses a text over the limits above on its own.
std::vector<core::Fact> ParseFactsYaml(const std::string& text,
                                       const std::string& file,
                                       std::vector<core::Diagnostic>* diagnostics);
// Parses one intents file's text.
std::vector<core::Intent> ParseIntentsYaml(const std::string& text,
                                           const std::string& file,
                                           std::vector<core::Diagnostic>* diagnostics);

// intents/entities.yaml: the gazetteer.
std::vector<core::Entity> ParseEntitiesYaml(const std::string& text, const std::string& file,
                                            std::vector<core::Diagnostic>* diagnostics);
// intents/lexicon.yaml: `concepts:`, a mapping of name -> {en, ru, be,
// asks_for, marks}; a term starting `re:` is raw RE2.
std::vector<core::Concept> ParseLexiconYaml(const std::string& text, const std::string& file,
                                            std::vector<core::Diagnostic>* diagnostics);
// intents/replies.yaml: `replies:`, a mapping of key -> {en, ru, be}.
core::Replies ParseRepliesYaml(const std::string& text, const std::string& file,
                               std::vector<core::Diagnostic>* diagnostics);

// A pair of "question -> expected intent" from intents/tests/*.yaml
// (`tests:`), or one turn of a dialogue there (`dialogues:`, a list of
// {id, turns: [{q, intent?, contains?}]}), asked in one conversation.
struct IntentTestCase {
  std::string question;
  std::string expected;  // intent id, "fallback", or empty (a turn with only `contains`)
  core::SourceLocation where;
  std::string dialogue;               // the dialogue's id; empty for a plain test
  int turn = 0;                       // index within the dialogue
  std::vector<std::string> contains;  // strings the reply must contain (any case)
  std::string lang;  // "en", "ru", "be": the language override it is asked with; empty: none
};
std::vector<IntentTestCase> ParseIntentTestsYaml(
    const std::string& text, const std::string& file,
    std::vector<core::Diagnostic>* diagnostics);

// The *.yaml / *.yml files directly in `dir`, sorted by name. Sets `error`
// when the directory cannot be read. A name that cannot be resolved (a
// symlink loop, a dangling link) is skipped with a warning in `warnings`,
// when given.
std::vector<std::string> ListYamlFiles(const std::string& dir, std::string* error,
                                       std::vector<core::Diagnostic>* warnings = nullptr);

struct KnowledgeSources {
  std::string intents_dir = "intents";
  std::string facts_dir = "facts";
};

// Reads every file, builds the Knowledge and appends all diagnostics. The
// returned snapshot exists even when there are errors (for tools); use
// LoadKnowledge to refuse it. kMaxKnowledgeTextBytes applies to all the
// files together. `load_ms`, when given, is set to the time reading and
// building took.
std::shared_ptr<const core::Knowledge> BuildKnowledgeFromFiles(
    const KnowledgeSources& sources, std::vector<core::Diagnostic>* diagnostics,
    double* load_ms = nullptr);

// As above, but fails with every error formatted one a line.
core::Result<std::shared_ptr<const core::Knowledge>> LoadKnowledge(
    const KnowledgeSources& sources, std::vector<core::Diagnostic>* warnings = nullptr,
    double* load_ms = nullptr);

// "did you mean `x`?" helper: the closest of `candidates` within edit
// distance 2, or empty.
std::string ClosestKey(const std::string& key, const std::vector<std::string>& candidates);

}  // namespace bot::edge
