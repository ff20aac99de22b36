#include "bot/edge/yaml_loader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "bot/core/language.h"
#include "bot/core/utf8.h"
#include "bot/edge/crypto.h"
#include "bot/edge/log.h"
#include "bot/edge/read_file.h"

namespace bot::edge {

using core::Diagnostic;
using core::LocatedText;
using core::SourceLocation;

const std::vector<std::string> kFactKeys = {"id",      "text",  "source",   "date",
                                            "year",    "period", "tags",    "aliases",
                                            "as_of",   "entities", "details"};
const std::vector<std::string> kEntityKeys = {"id", "kind", "name", "names", "in_scope",
                                              "gender"};
const std::vector<std::string> kLexiconKeys = {"concepts", "stop_words", "unrelated_questions",
                                               "spellings"};
const std::vector<std::string> kConceptKeys = {"en", "ru", "be", "asks_for", "marks",
                                               "interrogative", "of_entity", "follow_up"};
const std::vector<std::string> kGenders = {"m", "f", "n", "pl"};
const std::vector<std::string> kFollowUps = {"male",   "female", "neuter", "thing",
                                             "plural", "any",    "opener",
                                             "new_topic"};

// `value` when it is one of `allowed`, else an error naming them.
std::string OneOf(const std::vector<std::string>& allowed, const std::string& value) {
  for (const auto& a : allowed) {
    if (a == value) return "";
  }
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
  return "`" + value + "` is not one of " + list;
}
const char kLexiconFile[] = "lexicon.yaml";
const char kEntitiesFile[] = "entities.yaml";
const char kRepliesFile[] = "replies.yaml";
const std::vector<std::string> kIntentKeys = {
    "id",     "patterns", "exclude",          "priority",
    "answer", "examples", "counter_examples", "overlaps"};
const std::vector<std::string> kAnswerKeys = {"facts", "text", "facts_by_year",
                                              "fallback"};

namespace {

size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1,
                         prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

// A scalar's text as the loaders keep it: valid UTF-8 even when the file
// was not (the survey has reported that), so no bad byte reaches a reply.
std::string Text(const YAML::Node& scalar) {
  const std::string& s = scalar.Scalar();
  return core::IsValidUtf8(s) ? s : core::ReplaceInvalidUtf8(s);
}

std::string HexByte(unsigned char byte) {
  static constexpr char kHex[] = "0123456789abcdef";
  return std::string("0x") + kHex[byte >> 4] + kHex[byte & 15];
}

// Reads one file, reporting problems against `file` and node marks.
// `text_budget`, when given, is the text left to all the files read with
// it (kMaxKnowledgeTextBytes); else this file has its own.
class Reader {
 public:
  Reader(std::string file, std::vector<Diagnostic>* diagnostics, size_t* text_budget = nullptr)
      : file_(std::move(file)),
        diagnostics_(diagnostics),
        text_budget_(text_budget ? text_budget : &own_budget_) {}

  SourceLocation At(const YAML::Node& node) const {
    YAML::Mark m = node.Mark();
    if (m.line < 0) return {file_, 0, 0};
    return {file_, m.line + 1, m.column + 1};
  }

  void Error(const SourceLocation& where, std::string code, std::string msg) {
    diagnostics_->push_back(
        {Diagnostic::Severity::kError, where, std::move(code), std::move(msg)});
  }

  // Parses the document and surveys it; nullopt (with a diagnostic) on a
  // syntax error or a document too large to read.
  std::optional<YAML::Node> Parse(const std::string& text) {
    text_ = &text;
    if (text.size() > kMaxKnowledgeFileBytes) {
      Error(AtOffset(kMaxKnowledgeFileBytes), "too-large",
            "the file is over 1 MiB (" + std::to_string(kMaxKnowledgeFileBytes) +
                " bytes); split it");
      return std::nullopt;
    }
    try {
      YAML::Node doc = YAML::Load(text);
      if (!Survey(doc)) return std::nullopt;
      return doc;
    } catch (const YAML::ParserException& e) {
      // yaml-cpp quotes the offending byte as it is.
      Error({file_, e.mark.line + 1, e.mark.column + 1}, "yaml-syntax",
            core::ReplaceInvalidUtf8(e.msg));
    } catch (const YAML::Exception& e) {
      Error({file_, 0, 0}, "yaml-syntax", core::ReplaceInvalidUtf8(e.what()));
    }
    return std::nullopt;
  }

  // Visits every node as the readers will, aliases expanded, in document
  // order: reports each scalar that is not valid UTF-8 (keys too), and fails
  // when the document expands to more than kMaxYamlNodes (an alias bomb, or
  // an alias of its own ancestor, which would otherwise never end) or its
  // strings to more than the text budget left.
  bool Survey(const YAML::Node& root) {
    std::vector<YAML::Node> stack{root};
    std::vector<YAML::Node> children;
    std::set<std::pair<int, int>> reported;
    size_t nodes = 0;
    while (!stack.empty()) {
      YAML::Node n = stack.back();
      stack.pop_back();
      if (++nodes > kMaxYamlNodes) {
        Error(At(n), "too-large",
              "the file has more than " + std::to_string(kMaxYamlNodes) +
                  " YAML nodes once aliases are expanded; split it or use fewer aliases");
        return false;
      }
      if (n.IsScalar()) {
        if (n.Scalar().size() > *text_budget_) {
          // An alias is its anchor's node: this points at the string the
          // aliases repeat.
          Error(At(n), "too-large",
                "the knowledge text (every string of every file, aliases expanded) passes "
                "4 MiB at this string; use fewer or shorter aliases, or less text");
          return false;
        }
        *text_budget_ -= n.Scalar().size();
        if (!core::IsValidUtf8(n.Scalar())) {
          auto [where, byte] = InvalidByte(n);
          if (reported.insert({where.line, where.column}).second) {
            Error(where, "bad-encoding",
                  "invalid UTF-8 byte " + HexByte(byte) + "; save the file as UTF-8");
          }
        }
        continue;
      }
      children.clear();
      if (n.IsSequence()) {
        for (const auto& item : n) children.push_back(item);
      } else if (n.IsMap()) {
        for (auto it = n.begin(); it != n.end(); ++it) {
          children.push_back(it->first);
          children.push_back(it->second);
        }
      }
      stack.insert(stack.end(), children.rbegin(), children.rend());
    }
    return true;
  }

  // The line and column of byte `offset` of the text being parsed.
  SourceLocation AtOffset(size_t offset) const {
    const std::string_view text = std::string_view(*text_).substr(0, offset);
    size_t line_start = text.rfind('\n');
    line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
    int line = 1 + static_cast<int>(std::count(text.begin(), text.end(), '\n'));
    return {file_, line, static_cast<int>(offset - line_start) + 1};
  }

  // Where the first bad byte at or after the start of `scalar` is in the
  // file, and its value; the scalar's own mark when the text has none there.
  std::pair<SourceLocation, unsigned char> InvalidByte(const YAML::Node& scalar) const {
    SourceLocation where = At(scalar);
    const std::string_view text = *text_;
    size_t line_start = 0;
    for (int line = 1; line < where.line && line_start < text.size(); ++line) {
      size_t newline = text.find('\n', line_start);
      line_start = newline == std::string_view::npos ? text.size() : newline + 1;
    }
    size_t from = std::min(text.size(), line_start + std::max(0, where.column - 1));
    size_t bad = core::FindInvalidUtf8(text.substr(from));
    if (bad == std::string_view::npos) {
      bad = core::FindInvalidUtf8(scalar.Scalar());
      return {where, static_cast<unsigned char>(scalar.Scalar()[bad])};
    }
    bad += from;
    int line = where.line;
    size_t column_start = from - std::max(0, where.column - 1);
    for (size_t i = from; i < bad; ++i) {
      if (text[i] == '\n') {
        ++line;
        column_start = i + 1;
      }
    }
    return {{file_, line, static_cast<int>(bad - column_start) + 1},
            static_cast<unsigned char>(text[bad])};
  }

  // The top-level list under `key` (e.g. "facts"), or nullopt.
  std::optional<YAML::Node> TopList(const YAML::Node& doc, const std::string& key) {
    if (!doc || doc.IsNull()) {
      Error({file_, 1, 1}, "missing-key", "file is empty; expected `" + key + ":`");
      return std::nullopt;
    }
    if (!doc.IsMap()) {
      Error(At(doc), "bad-type", "expected a mapping with `" + key + ":` at the top");
      return std::nullopt;
    }
    std::optional<YAML::Node> list;
    for (auto it = doc.begin(); it != doc.end(); ++it) {
      std::string k = Text(it->first);
      if (k == key) {
        list = it->second;
      } else {
        UnknownKey(it->first, {key});
      }
    }
    if (!list) {
      Error(At(doc), "missing-key", "missing top-level `" + key + ":`");
      return std::nullopt;
    }
    if (list->IsNull()) return YAML::Node(YAML::NodeType::Sequence);
    if (!list->IsSequence()) {
      Error(At(*list), "bad-type", "`" + key + "` must be a list");
      return std::nullopt;
    }
    return list;
  }

  void UnknownKey(const YAML::Node& key, const std::vector<std::string>& allowed) {
    std::string k = Text(key);
    std::string message = "unknown key `" + k + "`";
    std::string near = ClosestKey(k, allowed);
    if (!near.empty()) {
      message += "; did you mean `" + near + "`?";
    } else {
      message += " (allowed:";
      for (const auto& a : allowed) message += " " + a;
      message += ")";
    }
    Error(At(key), "unknown-key", message);
  }

  // Iterates a mapping item, rejecting unknown and repeated keys.
  template <typename F>
  bool ForEachKey(const YAML::Node& item, const std::vector<std::string>& allowed,
                  const std::string& what, F&& f) {
    if (!item.IsMap()) {
      Error(At(item), "bad-type", what + " must be a mapping of keys");
      return false;
    }
    std::set<std::string> seen;
    for (auto it = item.begin(); it != item.end(); ++it) {
      std::string k = Text(it->first);
      if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) {
        UnknownKey(it->first, allowed);
        continue;
      }
      if (!seen.insert(k).second) {
        Error(At(it->first), "duplicate-key", "key `" + k + "` appears twice");
        continue;
      }
      f(k, it->second, it->first);
    }
    return true;
  }

  // A text written as a plain string (English) or per language
  // (`{en: ..., ru: ..., be: ...}`): English into `english`, the others into
  // `others`. False when a mapping gives no English (the caller says why it
  // matters); a plain string that is not one is reported by String.
  bool TextPerLanguage(const YAML::Node& n, const std::string& key, std::string* english,
                       std::map<std::string, std::string>* others) {
    if (!n.IsMap()) {
      if (auto s = String(n, key)) *english = *s;
      return true;
    }
    bool has_english = false;
    ForEachKey(n, {"en", "ru", "be"}, "`" + key + "`",
               [&](const std::string& lang, const YAML::Node& v, const YAML::Node&) {
                 auto s = String(v, key + "." + lang);
                 if (!s) return;
                 if (lang == "en") {
                   *english = *s;
                   has_english = true;
                 } else {
                   (*others)[lang] = *s;
                 }
               });
    return has_english;
  }

  std::optional<std::string> String(const YAML::Node& n, const std::string& key) {
    if (!n.IsScalar()) {
      Error(At(n), "bad-type", "`" + key + "` must be a string");
      return std::nullopt;
    }
    return Text(n);
  }

  std::optional<int> Int(const YAML::Node& n, const std::string& key, int lo, int hi) {
    if (n.IsScalar()) {
      const std::string& s = n.Scalar();
      size_t i = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
      if (i < s.size() && s.size() - i <= 9 &&
          std::all_of(s.begin() + static_cast<long>(i), s.end(),
                      [](char c) { return c >= '0' && c <= '9'; })) {
        int v = std::stoi(s);
        if (v >= lo && v <= hi) return v;
      }
    }
    Error(At(n), "bad-value", "`" + key + "` must be a whole number from " +
                                  std::to_string(lo) + " to " + std::to_string(hi));
    return std::nullopt;
  }

  std::vector<LocatedText> StringList(const YAML::Node& n, const std::string& key) {
    std::vector<LocatedText> out;
    if (n.IsNull()) return out;
    if (!n.IsSequence()) {
      Error(At(n), "bad-type", "`" + key + "` must be a list of strings");
      return out;
    }
    for (const auto& item : n) {
      if (!item.IsScalar() || item.Scalar().empty()) {
        Error(At(item), "bad-type", "each entry of `" + key + "` must be a non-empty string");
        continue;
      }
      SourceLocation where = At(item);
      out.push_back({Text(item), where, TextColumn(item, where)});
    }
    return out;
  }

  // See LocatedText::text_column.
  int TextColumn(const YAML::Node& scalar, const SourceLocation& where) const {
    if (!text_ || where.line <= 0 || where.column <= 0) return 0;
    const std::string_view text = *text_;
    size_t line_start = 0;
    for (int line = 1; line < where.line && line_start < text.size(); ++line) {
      size_t newline = text.find('\n', line_start);
      line_start = newline == std::string_view::npos ? text.size() : newline + 1;
    }
    size_t at = line_start + static_cast<size_t>(where.column - 1);
    if (at >= text.size()) return 0;
    int column = where.column;
    char quote = 0;
    if (text[at] == '\'' || text[at] == '"') {
      quote = text[at];
      ++at;
      ++column;
    }
    const std::string& s = scalar.Scalar();
    if (text.substr(at, s.size()) != s) return 0;
    if (quote && (at + s.size() >= text.size() || text[at + s.size()] != quote)) return 0;
    return column;
  }

  const std::string& file() const { return file_; }

 private:
  std::string file_;
  std::vector<Diagnostic>* diagnostics_;
  const std::string* text_ = nullptr;  // the file being parsed
  size_t own_budget_ = kMaxKnowledgeTextBytes;
  size_t* text_budget_;  // bytes of string the survey may still accept
};

bool ValidIsoDate(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  int month = std::stoi(s.substr(5, 2));
  int day = std::stoi(s.substr(8, 2));
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

// A file or directory that cannot be read: no line to point at.
Diagnostic IoError(const std::string& path, std::string message) {
  Diagnostic d;
  d.where.file = path;
  d.code = "io";
  d.message = std::move(message);
  return d;
}

}  // namespace

std::string ClosestKey(const std::string& key, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_distance = 3;
  for (const auto& c : candidates) {
    size_t d = EditDistance(key, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

namespace {

std::vector<core::Fact> ParseFacts(const std::string& text, const std::string& file,
                                   std::vector<Diagnostic>* diagnostics, size_t* text_budget) {
  Reader r(file, diagnostics, text_budget);
  std::vector<core::Fact> facts;
  auto doc = r.Parse(text);
  if (!doc) return facts;
  auto list = r.TopList(*doc, "facts");
  if (!list) return facts;
  for (const auto& item : *list) {
    core::Fact f;
    f.where = r.At(item);
    std::set<std::string> present;
    bool mapping = r.ForEachKey(item, kFactKeys, "a fact", [&](const std::string& k,
                                                               const YAML::Node& v,
                                                               const YAML::Node& key) {
      present.insert(k);
      if (k == "id") {
        if (auto s = r.String(v, k)) f.id = *s;
        f.where = r.At(key);
      } else if (k == "text") {
        // English required.
        if (!r.TextPerLanguage(v, k, &f.text, &f.translations)) {
          r.Error(r.At(v), "missing-key",
                  "fact `" + f.id + "` has no English text; add `en:` to `text`");
          f.text = " ";  // reported here, not again as an empty text
        }
      } else if (k == "source") {
        if (auto s = r.String(v, k)) f.source = *s;
      } else if (k == "date") {
        if (auto s = r.String(v, k)) {
          if (ValidIsoDate(*s)) {
            f.date = *s;
          } else {
            r.Error(r.At(v), "bad-value", "`date` must be YYYY-MM-DD, got `" + *s + "`");
          }
        }
      } else if (k == "year") {
        if (auto y = r.Int(v, k, 1900, 2100)) f.year = *y;
      } else if (k == "as_of") {
        if (auto y = r.Int(v, k, 1900, 2100)) f.as_of = *y;
      } else if (k == "period") {
        if (!v.IsSequence() || v.size() != 2) {
          r.Error(r.At(v), "bad-value", "`period` must be [first_year, last_year]");
        } else {
          auto a = r.Int(v[0], k, 1900, 2100);
          auto b = r.Int(v[1], k, 1900, 2100);
          if (a && b) f.period = std::make_pair(*a, *b);
        }
      } else if (k == "tags" || k == "aliases" || k == "entities" || k == "details") {
        auto& list = k == "tags" ? f.tags : k == "aliases" ? f.aliases
                     : k == "entities" ? f.entities : f.details;
        for (auto& t : r.StringList(v, k)) list.push_back(std::move(t.text));
      }
    });
    if (!mapping) continue;
    for (const char* required : {"id", "text", "source"}) {
      if (!present.count(required)) {
        r.Error(r.At(item), "missing-key",
                std::string("fact is missing required key `") + required + "`");
      }
    }
    if (present.count("date") + present.count("year") + present.count("period") > 1) {
      r.Error(r.At(item), "bad-value",
              "fact `" + f.id + "` may have only one of `date`, `year`, `period`");
    }
    facts.push_back(std::move(f));
  }
  return facts;
}

std::vector<core::Intent> ParseIntents(const std::string& text, const std::string& file,
                                       std::vector<Diagnostic>* diagnostics, size_t* text_budget) {
  Reader r(file, diagnostics, text_budget);
  std::vector<core::Intent> intents;
  auto doc = r.Parse(text);
  if (!doc) return intents;
  auto list = r.TopList(*doc, "intents");
  if (!list) return intents;
  for (const auto& item : *list) {
    core::Intent intent;
    intent.where = r.At(item);
    std::set<std::string> present;
    bool mapping = r.ForEachKey(item, kIntentKeys, "an intent", [&](const std::string& k,
                                                                    const YAML::Node& v,
                                                                    const YAML::Node& key) {
      present.insert(k);
      if (k == "id") {
        if (auto s = r.String(v, k)) intent.id = *s;
        intent.where = r.At(key);
      } else if (k == "patterns") {
        intent.patterns = r.StringList(v, k);
      } else if (k == "exclude") {
        intent.exclude = r.StringList(v, k);
      } else if (k == "priority") {
        if (auto p = r.Int(v, k, -1000, 1000)) intent.priority = *p;
      } else if (k == "examples") {
        intent.examples = r.StringList(v, k);
      } else if (k == "counter_examples") {
        intent.counter_examples = r.StringList(v, k);
      } else if (k == "overlaps") {
        intent.overlaps = r.StringList(v, k);
      } else if (k == "answer") {
        core::AnswerSpec& a = intent.answer;
        a.text_where = r.At(v);
        r.ForEachKey(v, kAnswerKeys, "`answer`", [&](const std::string& ak,
                                                     const YAML::Node& av,
                                                     const YAML::Node&) {
          if (ak == "facts") {
            a.facts = r.StringList(av, ak);
          } else if (ak == "text") {
            a.text_where = r.At(av);
            if (!r.TextPerLanguage(av, ak, &a.text, &a.text_translations)) {
              r.Error(r.At(av), "missing-key",
                      "the answer of intent `" + intent.id +
                          "` has no English text; add `en:` to `text`");
            }
          } else if (ak == "facts_by_year") {
            if (auto s = r.String(av, ak)) a.facts_by_year = *s;
            a.text_where = r.At(av);
          } else if (ak == "fallback") {
            if (av.IsScalar() && (av.Scalar() == "true" || av.Scalar() == "false")) {
              a.fallback = av.Scalar() == "true";
            } else {
              r.Error(r.At(av), "bad-value", "`fallback` must be true or false");
            }
          }
        });
      }
    });
    if (!mapping) continue;
    for (const char* required : {"id", "patterns", "answer"}) {
      if (!present.count(required)) {
        r.Error(r.At(item), "missing-key",
                std::string("intent is missing required key `") + required + "`");
      }
    }
    intents.push_back(std::move(intent));
  }
  return intents;
}

}  // namespace

std::vector<core::Fact> ParseFactsYaml(const std::string& text, const std::string& file,
                                       std::vector<Diagnostic>* diagnostics) {
  return ParseFacts(text, file, diagnostics, nullptr);
}

std::vector<core::Intent> ParseIntentsYaml(const std::string& text, const std::string& file,
                                           std::vector<Diagnostic>* diagnostics) {
  return ParseIntents(text, file, diagnostics, nullptr);
}

std::vector<IntentTestCase> ParseIntentTestsYaml(const std::string& text,
                                                 const std::string& file,
                                                 std::vector<Diagnostic>* diagnostics) {
  Reader r(file, diagnostics);
  std::vector<IntentTestCase> cases;
  auto doc = r.Parse(text);
  if (!doc) return cases;
  if (!doc->IsMap()) {
    r.Error(r.At(*doc), "bad-type", "expected a mapping with `tests:` or `dialogues:` at the top");
    return cases;
  }
  YAML::Node tests, dialogues;
  for (auto it = doc->begin(); it != doc->end(); ++it) {
    const std::string k = it->first.IsScalar() ? it->first.Scalar() : "";
    if (k == "tests") {
      tests = it->second;
    } else if (k == "dialogues") {
      dialogues = it->second;
    } else {
      r.UnknownKey(it->first, {"tests", "dialogues"});
    }
  }
  if (!tests && !dialogues) {
    r.Error(r.At(*doc), "missing-key", "missing top-level `tests:` or `dialogues:`");
    return cases;
  }
  if (tests && !tests.IsNull() && !tests.IsSequence()) {
    r.Error(r.At(tests), "bad-type", "`tests` must be a list");
  } else if (tests) {
    for (const auto& item : tests) {
      IntentTestCase c;
      c.where = r.At(item);
      std::set<std::string> present;
      r.ForEachKey(item, {"q", "intent"}, "a test", [&](const std::string& k,
                                                         const YAML::Node& v,
                                                         const YAML::Node&) {
        present.insert(k);
        if (auto s = r.String(v, k)) (k == "q" ? c.question : c.expected) = *s;
      });
      if (present.size() == 2) {
        cases.push_back(std::move(c));
      } else {
        r.Error(c.where, "missing-key", "a test needs `q` and `intent`");
      }
    }
  }
  if (dialogues && !dialogues.IsNull() && !dialogues.IsSequence()) {
    r.Error(r.At(dialogues), "bad-type", "`dialogues` must be a list");
    return cases;
  }
  if (!dialogues) return cases;
  int number = 0;
  for (const auto& d : dialogues) {
    ++number;
    std::string id = "dialogue " + std::to_string(number);
    YAML::Node turns;
    r.ForEachKey(d, {"id", "turns"}, "a dialogue", [&](const std::string& k, const YAML::Node& v,
                                                         const YAML::Node&) {
      if (k == "id") {
        if (auto s = r.String(v, k)) id = *s;
      } else {
        turns = v;
      }
    });
    if (!turns || !turns.IsSequence() || turns.size() == 0) {
      r.Error(r.At(d), "missing-key", "a dialogue needs `turns:`, a list of {q, intent, contains, lang}");
      continue;
    }
    int index = 0;
    for (const auto& t : turns) {
      IntentTestCase c;
      c.where = r.At(t);
      c.dialogue = id;
      c.turn = index++;
      r.ForEachKey(t, {"q", "intent", "contains", "lang"}, "a dialogue turn",
                   [&](const std::string& k, const YAML::Node& v, const YAML::Node&) {
                     if (k == "contains") {
                       for (auto& s : r.StringList(v, k)) c.contains.push_back(std::move(s.text));
                     } else if (auto s = r.String(v, k)) {
                       if (k == "lang" && !core::IsReplyLanguage(*s)) {
                         r.Error(r.At(v), "bad-value", "`lang` must be one of en, ru, be");
                       } else {
                         (k == "q" ? c.question : k == "lang" ? c.lang : c.expected) = *s;
                       }
                     }
                   });
      if (c.question.empty() || (c.expected.empty() && c.contains.empty())) {
        r.Error(c.where, "missing-key", "a dialogue turn needs `q` and `intent` or `contains`");
        continue;
      }
      cases.push_back(std::move(c));
    }
  }
  return cases;
}

namespace {

std::vector<core::Entity> ParseEntities(const std::string& text, const std::string& file,
                                        std::vector<Diagnostic>* diagnostics, size_t* text_budget) {
  Reader r(file, diagnostics, text_budget);
  std::vector<core::Entity> entities;
  auto doc = r.Parse(text);
  if (!doc) return entities;
  auto list = r.TopList(*doc, "entities");
  if (!list) return entities;
  for (const auto& item : *list) {
    core::Entity e;
    e.where = r.At(item);
    std::set<std::string> present;
    bool mapping = r.ForEachKey(item, kEntityKeys, "an entity", [&](const std::string& k,
                                                                    const YAML::Node& v,
                                                                    const YAML::Node& key) {
      present.insert(k);
      if (k == "id") {
        if (auto s = r.String(v, k)) e.id = *s;
        e.where = r.At(key);
      } else if (k == "kind") {
        if (auto s = r.String(v, k)) e.kind = *s;
      } else if (k == "name") {
        // A string (English), or the name per language.
        r.TextPerLanguage(v, k, &e.name, &e.display);
      } else if (k == "names") {
        for (auto& n : r.StringList(v, k)) {
          e.names.push_back(std::move(n.text));
          e.name_where.push_back(n.where);
        }
      } else if (k == "gender") {
        if (auto s = r.String(v, k)) {
          if (std::string why = OneOf(kGenders, *s); !why.empty()) {
            r.Error(r.At(v), "bad-value", "`gender` " + why);
          } else {
            e.gender = *s;
          }
        }
      } else if (k == "in_scope") {
        if (!v.IsScalar() || (v.Scalar() != "true" && v.Scalar() != "false")) {
          r.Error(r.At(v), "bad-type", "`in_scope` must be true or false");
        } else {
          e.in_scope = v.Scalar() == "true";
        }
      }
    });
    if (!mapping) continue;
    for (const char* required : {"id", "kind", "names"}) {
      if (!present.count(required)) {
        r.Error(r.At(item), "missing-key",
                std::string("entity is missing required key `") + required + "`");
      }
    }
    // A reply names the entity by `name`, else by its first name as written.
    if (e.name.empty() && !e.names.empty()) e.name = e.names.front();
    entities.push_back(std::move(e));
  }
  return entities;
}

// lexicon.yaml: `concepts:`, and the word lists `stop_words:` (per language),
// `unrelated_questions:` and `spellings:` into `parts`.
void ParseLexicon(const std::string& text, const std::string& file,
                  std::vector<Diagnostic>* diagnostics, size_t* text_budget,
                  core::KnowledgeParts* parts) {
  Reader r(file, diagnostics, text_budget);
  std::vector<core::Concept>& concepts = parts->concepts;
  auto doc = r.Parse(text);
  if (!doc) return;
  if (!doc->IsMap() || !(*doc)["concepts"] || !(*doc)["concepts"].IsMap()) {
    r.Error(r.At(*doc), "missing-key", "expected `concepts:`, a mapping of concept names");
    return;
  }
  r.ForEachKey(*doc, kLexiconKeys, "the lexicon",
               [&](const std::string& k, const YAML::Node& v, const YAML::Node&) {
                 if (k == "unrelated_questions") {
                   parts->unrelated_questions = r.StringList(v, k);
                 } else if (k == "spellings") {
                   if (!v.IsMap()) {
                     r.Error(r.At(v), "bad-value",
                             "`spellings` must map each word to its variants: "
                             "`what is: [what's, whats]`");
                     return;
                   }
                   for (auto it = v.begin(); it != v.end(); ++it) {
                     core::SpellingEntry entry;
                     entry.canonical = it->first.Scalar();
                     entry.where = r.At(it->first);
                     entry.variants = r.StringList(it->second, entry.canonical);
                     parts->spellings.push_back(std::move(entry));
                   }
                 } else if (k == "stop_words") {
                   r.ForEachKey(v, {"en", "ru", "be"}, "`stop_words`",
                                [&](const std::string& lang, const YAML::Node& words,
                                    const YAML::Node&) {
                                  for (auto& w : r.StringList(words, lang)) {
                                    parts->stop_words.push_back(std::move(w.text));
                                  }
                                });
                 }
               });
  const YAML::Node map = (*doc)["concepts"];
  for (auto it = map.begin(); it != map.end(); ++it) {
    core::Concept c;
    c.name = it->first.Scalar();
    c.where = r.At(it->first);
    bool ok_name = !c.name.empty() && std::all_of(c.name.begin(), c.name.end(), [](char ch) {
      return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
    });
    if (!ok_name) {
      r.Error(c.where, "bad-value",
              "concept name `" + c.name + "` must be lower-case letters, digits and `_`");
    }
    r.ForEachKey(it->second, kConceptKeys, "a concept", [&](const std::string& k,
                                                             const YAML::Node& v,
                                                             const YAML::Node&) {
      if (k == "asks_for" || k == "marks") {
        if (auto s = r.String(v, k)) {
          bool ok = !s->empty() && std::all_of(s->begin(), s->end(), [](char ch) {
            return (ch >= 'a' && ch <= 'z') || ch == '_';
          });
          if (!ok) {
            r.Error(r.At(v), "bad-value",
                    "`" + k + "` must name a detail kind in lower-case letters and `_` "
                    "(date, count, person, actor, place, or your own), got `" + *s + "`");
          }
          (k == "asks_for" ? c.asks_for : c.marks) = *s;
        }
        return;
      }
      if (k == "follow_up") {
        if (auto s = r.String(v, k)) {
          if (std::string why = OneOf(kFollowUps, *s); !why.empty()) {
            r.Error(r.At(v), "bad-value", "`follow_up` " + why);
          } else {
            c.follow_up = *s;
          }
        }
        return;
      }
      if (k == "interrogative" || k == "of_entity") {
        if (!v.IsScalar() || (v.Scalar() != "true" && v.Scalar() != "false")) {
          r.Error(r.At(v), "bad-type", "`" + k + "` must be true or false");
        } else {
          (k == "interrogative" ? c.interrogative : c.of_entity) = v.Scalar() == "true";
        }
        return;
      }
      for (auto& t : r.StringList(v, k)) {
        core::Term term;
        term.where = t.where;
        if (t.text.rfind("re:", 0) == 0) {
          term.raw = true;
          term.text = t.text.substr(3);
        } else {
          term.text = std::move(t.text);
        }
        c.terms[k].push_back(std::move(term));
      }
    });
    concepts.push_back(std::move(c));
  }
}

core::Replies ParseReplies(const std::string& text, const std::string& file,
                           std::vector<Diagnostic>* diagnostics, size_t* text_budget,
                           std::map<std::string, core::SourceLocation>* where = nullptr) {
  Reader r(file, diagnostics, text_budget);
  core::Replies replies;
  auto doc = r.Parse(text);
  if (!doc) return replies;
  if (!doc->IsMap() || !(*doc)["replies"] || !(*doc)["replies"].IsMap()) {
    r.Error(r.At(*doc), "missing-key", "expected `replies:`, a mapping of reply keys");
    return replies;
  }
  const YAML::Node map = (*doc)["replies"];
  for (auto it = map.begin(); it != map.end(); ++it) {
    const std::string key = it->first.Scalar();
    if (where) (*where)[key] = r.At(it->first);
    r.ForEachKey(it->second, {"en", "ru", "be"}, "a reply", [&](const std::string& lang,
                                                                  const YAML::Node& v,
                                                                  const YAML::Node&) {
      if (auto s = r.String(v, lang)) replies[key][lang] = *s;
    });
  }
  return replies;
}

}  // namespace

std::vector<core::Entity> ParseEntitiesYaml(const std::string& text, const std::string& file,
                                            std::vector<Diagnostic>* diagnostics) {
  return ParseEntities(text, file, diagnostics, nullptr);
}

std::vector<core::Concept> ParseLexiconYaml(const std::string& text, const std::string& file,
                                            std::vector<Diagnostic>* diagnostics) {
  core::KnowledgeParts parts;
  ParseLexicon(text, file, diagnostics, nullptr, &parts);
  return std::move(parts.concepts);
}

core::Replies ParseRepliesYaml(const std::string& text, const std::string& file,
                               std::vector<Diagnostic>* diagnostics) {
  return ParseReplies(text, file, diagnostics, nullptr);
}

std::vector<std::string> ListYamlFiles(const std::string& dir, std::string* error,
                                       std::vector<Diagnostic>* warnings) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  std::vector<Diagnostic> unreadable;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    *error = dir + ": not a directory";
    return files;
  }
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string ext = it->path().extension().string();
    std::string name = it->path().filename().string();
    if ((ext != ".yaml" && ext != ".yml") || name[0] == '.') continue;
    std::string path = (fs::path(dir) / name).string();
    std::error_code status_error;
    fs::file_status status = fs::status(it->path(), status_error);
    if (status_error) {
      // A symlink loop or a dangling link: the editor meant a file here.
      Diagnostic d = IoError(path, "skipped: it cannot be read (" + status_error.message() + ")");
      d.severity = Diagnostic::Severity::kWarning;
      d.code = "unreadable-file";
      unreadable.push_back(std::move(d));
      continue;
    }
    if (fs::is_regular_file(status)) files.push_back(std::move(path));
  }
  if (ec) *error = dir + ": " + ec.message();
  std::sort(files.begin(), files.end());
  std::sort(unreadable.begin(), unreadable.end(),
            [](const Diagnostic& a, const Diagnostic& b) { return a.where.file < b.where.file; });
  if (warnings) warnings->insert(warnings->end(), unreadable.begin(), unreadable.end());
  return files;
}

std::shared_ptr<const core::Knowledge> BuildKnowledgeFromFiles(
    const KnowledgeSources& sources, std::vector<Diagnostic>* diagnostics, double* load_ms) {
  auto started = std::chrono::steady_clock::now();
  core::KnowledgeParts parts;
  core::KnowledgeVersion& version = parts.version;
  std::string hash_input;
  size_t text_budget = kMaxKnowledgeTextBytes;  // all files together
  auto read_dir = [&](const std::string& dir, bool are_facts) {
    std::string error;
    auto files = ListYamlFiles(dir, &error, diagnostics);
    if (!error.empty()) {
      diagnostics->push_back(IoError(dir, error));
      return;
    }
    if (files.empty()) {
      diagnostics->push_back(IoError(dir, "no .yaml files in " + dir));
    }
    for (const auto& path : files) {
      // One byte past the limit at most: the parser refuses the file.
      std::optional<std::string> read = ReadFile(path, kMaxKnowledgeFileBytes);
      if (!read) {
        diagnostics->push_back(IoError(path, "cannot read " + path));
        continue;
      }
      std::string text = std::move(*read);
      version.files.push_back(path);
      hash_input += path + '\0' + text + '\0';
      const std::string name = std::filesystem::path(path).filename().string();
      if (are_facts) {
        for (auto& f : ParseFacts(text, path, diagnostics, &text_budget)) {
          parts.facts.push_back(std::move(f));
        }
      } else if (name == kLexiconFile) {
        ParseLexicon(text, path, diagnostics, &text_budget, &parts);
      } else if (name == kEntitiesFile) {
        parts.entities = ParseEntities(text, path, diagnostics, &text_budget);
      } else if (name == kRepliesFile) {
        parts.replies = ParseReplies(text, path, diagnostics, &text_budget, &parts.reply_where);
        parts.replies_file = path;
      } else {
        for (auto& i : ParseIntents(text, path, diagnostics, &text_budget)) {
          parts.intents.push_back(std::move(i));
        }
      }
    }
  };
  read_dir(sources.facts_dir, true);
  read_dir(sources.intents_dir, false);
  version.content_hash = Sha256Hex(hash_input);
  version.loaded_at = NowIso8601();
  auto knowledge = core::Knowledge::Build(std::move(parts), diagnostics);
  if (load_ms) {
    *load_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
                   .count();
  }
  return knowledge;
}

core::Result<std::shared_ptr<const core::Knowledge>> LoadKnowledge(
    const KnowledgeSources& sources, std::vector<Diagnostic>* warnings, double* load_ms) {
  std::vector<Diagnostic> diagnostics;
  auto knowledge = BuildKnowledgeFromFiles(sources, &diagnostics, load_ms);
  std::string errors;
  for (const auto& d : diagnostics) {
    if (d.severity == Diagnostic::Severity::kError) {
      errors += core::FormatDiagnostic(d) + "\n";
    } else if (warnings) {
      warnings->push_back(d);
    }
  }
  if (!errors.empty()) {
    errors.pop_back();
    return core::Status::InvalidArgument(errors);
  }
  return knowledge;
}

}  // namespace bot::edge
