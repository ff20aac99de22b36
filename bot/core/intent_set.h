// Intent: what a question is about, recognised by regex patterns over the
// normalised question and answered from facts or a text template. IntentSet
// holds all intents in file order and checks what can be checked without
// compiling patterns (ids, answers against the fact base, template names).
// Immutable after Build; safe to share.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "bot/core/diagnostic.h"
#include "bot/core/fact_base.h"

namespace bot::core {

struct LocatedText {
  std::string text;
  SourceLocation where;
  // The column of text[0] when the file holds the text on one line byte for
  // byte (a plain scalar, or a quoted one without escapes), else 0; then
  // byte offset i of the text is at column text_column + (code points
  // before i), so a diagnostic can point inside a pattern.
  int text_column = 0;
};

struct AnswerSpec {
  std::vector<LocatedText> facts;  // fact ids, said in order
  std::string text;                // template: {capture} and {fact:id}, English
  // The template in other languages ("ru", "be"), when written.
  std::map<std::string, std::string> text_translations;
  SourceLocation text_where;
  std::string facts_by_year;       // name of a capture holding a year
  bool fallback = false;           // an honest decline, not knowledge
};

struct Intent {
  std::string id;
  std::vector<LocatedText> patterns;  // RE2 syntax
  std::vector<LocatedText> exclude;   // vetoes
  int priority = 0;
  AnswerSpec answer;
  std::vector<LocatedText> examples;
  std::vector<LocatedText> counter_examples;
  // Intents this one overlaps with on purpose (`bot check` reports the
  // pair only when they no longer overlap).
  std::vector<LocatedText> overlaps;
  SourceLocation where;
};

// A piece of an answer template: literal text, a capture, or a fact.
struct TemplatePart {
  enum class Kind { kLiteral, kCapture, kFact };
  Kind kind;
  std::string value;
};

// Splits "Hi {name}, {fact:a.b}" into parts. "{{" and "}}" are literal braces.
// Returns nullopt and sets `error` on an unclosed or empty placeholder.
std::optional<std::vector<TemplatePart>> ParseTemplate(const std::string& text,
                                                       std::string* error);

class IntentSet {
 public:
  // Checks ids (unique, non-empty), that each intent has patterns and exactly
  // one kind of answer, and that every fact it names exists. Capture names in
  // templates are checked by Knowledge, which compiles the patterns.
  static IntentSet Build(std::vector<Intent> intents, const FactBase& facts,
                         std::vector<Diagnostic>* diagnostics);

  const std::vector<Intent>& intents() const { return intents_; }
  // Index of the intent with `id`, or -1.
  int IndexOf(const std::string& id) const;

 private:
  std::vector<Intent> intents_;
  std::unordered_map<std::string, int> by_id_;
};

}  // namespace bot::core
