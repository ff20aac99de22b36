// Knowledge: one immutable snapshot of everything a request reads: the fact
// base, the intents, their compiled patterns and vetoes, and the index used
// to suggest questions after a fallback. Shared as
// std::shared_ptr<const Knowledge>; a reload builds a new one and swaps the
// pointer, so a request that holds a snapshot sees one consistent version.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "re2/re2.h"

#include "bot/core/diagnostic.h"
#include "bot/core/fact_base.h"
#include "bot/core/gazetteer.h"
#include "bot/core/grounding.h"
#include "bot/core/intent_set.h"
#include "bot/core/lexicon.h"
#include "bot/core/matcher.h"
#include "bot/core/similarity.h"
#include "bot/core/spelling.h"
#include "bot/core/vocabulary.h"

namespace bot::core {

// Describes where a snapshot came from; filled by whoever loads the files.
// (How long a load took is the loader's to report: it includes Build.)
struct KnowledgeVersion {
  std::string content_hash;
  std::vector<std::string> files;
  std::string loaded_at;  // ISO 8601 UTC
};

// One pattern of one intent, as compiled into the matcher.
struct CompiledPattern {
  int id = 0;  // its position in Knowledge::patterns()
  int intent = 0;
  int index_in_intent = 0;
  int specificity = 0;
  bool ok = false;            // RE2 accepts it
  bool named_groups = false;  // it may capture `(?P<name>...)`
  const Matcher* matcher = nullptr;
  // The pattern as compiled, `{concept}`s expanded; null when RE2 rejected
  // it. Built the first time it is asked for (see matcher.h).
  const RE2* re() const { return ok ? matcher->pattern(id) : nullptr; }
  // Its text with `{concept}`s expanded, without building its RE2.
  const std::string& expanded() const { return matcher->text(id); }
};

// One `exclude` of one intent that matched a question.
struct ExcludeHit {
  int intent = 0;
  int index_in_intent = 0;
};

// Canned replies an editor writes (`intents/replies.yaml`): key -> language
// -> text, with `{name}` placeholders.
using Replies = std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>>;

// The canned replies the service itself says; a replies file must give each
// in English (Build reports the missing ones).
inline constexpr char kReplyFallback[] = "fallback";          // nothing matched
inline constexpr char kReplyDidYouMean[] = "did_you_mean";    // {suggestions}
inline constexpr char kReplyInYear[] = "in_year";             // {year}
inline constexpr char kReplyNoFactsInYear[] = "no_facts_in_year";  // {year}
inline constexpr char kReplyAsOf[] = "as_of";                 // {year}, before a fact
inline constexpr char kReplyAnd[] = "and";                    // joins the last of a list
inline constexpr char kReplyGreeting[] = "greeting";          // a messenger's welcome
inline constexpr char kReplySlowDown[] = "slow_down";         // to a flooding user

// Everything a snapshot is built from, as the loaders read it.
struct KnowledgeParts {
  std::vector<Fact> facts;
  std::vector<Intent> intents;
  std::vector<Entity> entities;   // the gazetteer
  std::vector<Concept> concepts;  // the lexicon
  Replies replies;
  std::map<std::string, SourceLocation> reply_where;  // where each reply key is written
  // The file the replies came from; when set, Build reports each required
  // reply (kReply*) it lacks there. Fixtures built without one skip that.
  std::string replies_file;
  // The lexicon's word lists: words that say nothing about a topic (any
  // language), and questions no intent means to answer (`bot check`).
  std::vector<std::string> stop_words;
  std::vector<LocatedText> unrelated_questions;
  std::vector<SpellingEntry> spellings;  // the lexicon's `spellings:`
  KnowledgeVersion version;  // where the parts were read from
};

class Knowledge {
 public:
  // Compiles `facts` and `intents` into a snapshot. Every problem found is
  // appended to `diagnostics`; a snapshot is returned even with errors (a
  // pattern RE2 rejects never matches) so tools can inspect it, but a
  // server must not serve one when HasErrors(*diagnostics).
  static std::shared_ptr<const Knowledge> Build(KnowledgeParts parts,
                                                std::vector<Diagnostic>* diagnostics);
  // Facts and intents only (no gazetteer, lexicon or replies).
  static std::shared_ptr<const Knowledge> Build(std::vector<Fact> facts,
                                                std::vector<Intent> intents,
                                                std::vector<Diagnostic>* diagnostics);

  const FactBase& facts() const { return facts_; }
  const IntentSet& intents() const { return intents_; }
  const Gazetteer& gazetteer() const { return gazetteer_; }
  const Lexicon& lexicon() const { return lexicon_; }
  // The lexicon's spellings: what Normalize replaces before matching.
  const Spellings& spellings() const { return spellings_; }
  const GroundingIndex& grounding() const { return grounding_; }
  // The words the knowledge writes, for reading typos and Latin-typed
  // Russian and Belarusian (bot/core/rereading.h).
  const Vocabulary& vocabulary() const { return vocabulary_; }
  // Normalised `stop_words` of the lexicon.
  const StopWords& stop_words() const { return stop_words_; }
  // Normalised `unrelated_questions` of the lexicon.
  const std::vector<std::string>& unrelated_questions() const { return unrelated_questions_; }
  // The canned reply `key` in `lang`, else in the next language of its
  // fallback chain (be -> ru -> en), or nullptr. `used`, when given, is set
  // to the language of the text returned.
  const std::string* ReplyText(std::string_view key, std::string_view lang = "en",
                               std::string* used = nullptr) const;
  const Replies& replies() const { return replies_; }
  // Where reply `key` is written (unknown when the loader did not say).
  SourceLocation reply_where(const std::string& key) const {
    auto it = reply_where_.find(key);
    return it == reply_where_.end() ? SourceLocation{} : it->second;
  }
  // Every compiled pattern, intent by intent, each intent's in file order.
  const std::vector<CompiledPattern>& patterns() const { return patterns_; }
  // Pattern `p` of intent `intent`.
  const CompiledPattern& pattern(int intent, int p) const {
    return patterns_[static_cast<size_t>(first_pattern_[intent] + p)];
  }
  // The matching engine itself, for `bot bench` and its equivalence tests:
  // its indices are those of patterns(), then the excludes.
  const Matcher& matcher() const { return *matcher_; }
  const KnowledgeVersion& version() const { return version_; }

  // Sets `patterns` to the patterns that match `normalized` (pointers into
  // patterns(), in its order) and, when given, `excludes` to the matching
  // excludes (by intent, then index). One scan of the question decides both.
  void Match(std::string_view normalized, std::vector<const CompiledPattern*>* patterns,
             std::vector<ExcludeHit>* excludes = nullptr) const;
  // The facts the answer of intent `i` lists (`facts:`), resolved, in order;
  // ids that name no fact are left out (Build reports them).
  const std::vector<const Fact*>& answer_facts(int intent) const {
    return answer_facts_[intent];
  }
  // Parsed answer template of intent `i` (empty when it has none).
  const std::vector<TemplatePart>& answer_template(int intent) const {
    return templates_[intent];
  }
  // The template of intent `i` in `lang`, or nullptr when none is written
  // in that language (English: the template itself, when there is one).
  const std::vector<TemplatePart>* answer_template(int intent, const std::string& lang) const;
  // Up to `limit` example questions of fact intents that share significant
  // words with `normalized`, best first, each an intent's first example in
  // `lang` (else in the next language of the chain be -> ru -> en).
  std::vector<std::string> Suggest(const std::string& normalized, size_t limit,
                                   const std::string& lang = "en") const;

  // The entities (not in scope) that suggestion `example` (as Suggest
  // returns it) names, ascending; computed once.
  const std::vector<int>& SuggestionEntities(const std::string& example) const;

  // Named capture groups that the patterns of intent `i` define.
  std::vector<std::string> CaptureNames(int intent) const;

 private:
  Knowledge() = default;
  void BuildSuggestionIndex();
  void BuildVocabulary();

  FactBase facts_;
  IntentSet intents_;
  Gazetteer gazetteer_;
  Lexicon lexicon_;
  GroundingIndex grounding_;  // points into facts_, gazetteer_ and lexicon_
  Replies replies_;
  std::map<std::string, SourceLocation> reply_where_;
  StopWords stop_words_;
  Spellings spellings_;
  Vocabulary vocabulary_;
  std::vector<std::string> unrelated_questions_;
  std::unique_ptr<Matcher> matcher_;
  std::vector<CompiledPattern> patterns_;
  std::vector<int> first_pattern_;  // per intent: its first in patterns_
  // The matcher's exclude indices (after the patterns), as (intent, index).
  std::vector<ExcludeHit> excludes_;
  std::vector<std::vector<const Fact*>> answer_facts_;
  std::vector<std::vector<TemplatePart>> templates_;
  std::vector<std::map<std::string, std::vector<TemplatePart>>> translated_templates_;
  // Significant words of the fact intents' examples and facts, by intent.
  TermIndex suggestions_;
  std::unordered_map<std::string, std::vector<int>> suggestion_entities_;
  // Per intent, the example it is suggested by, per reply language.
  std::vector<std::map<std::string, std::string>> suggestion_examples_;
  KnowledgeVersion version_;
};

}  // namespace bot::core
