#include "bot/core/concept_pattern.h"

#include <algorithm>
#include <set>

#include "re2/re2.h"

#include "bot/core/matcher.h"

namespace bot::core {

namespace {

bool IsLower(char c) { return (c >= 'a' && c <= 'z') || c == '_'; }
bool IsIdentChar(char c) { return IsLower(c) || (c >= '0' && c <= '9'); }

// Whether a term starts / ends with a word character of any script (a
// letter, digit or `_`, as the boundaries define them): `€` does not.
bool StartsWord(const std::string& term) {
  static const RE2 kStart("^[\\p{L}\\p{N}_]");
  return RE2::PartialMatch(term, kStart);
}
bool EndsWord(const std::string& term) {
  static const RE2 kEnd("[\\p{L}\\p{N}_*]$");
  return RE2::PartialMatch(term, kEnd);
}

// Whether a concept's terms (of `language` only, when given) are ASCII.
bool IsAscii(const Concept& c, const char* language = nullptr) {
  for (const auto& [lang, terms] : c.terms) {
    if (language && lang != language) continue;
    for (const Term& t : terms) {
      for (unsigned char ch : t.text) {
        if (ch >= 0x80) return false;
      }
    }
  }
  return true;
}

// Whether `out` ends with an unescaped `\b`.
bool EndsWithBoundary(const std::string& out) {
  if (out.size() < 2 || out.back() != 'b' || out[out.size() - 2] != '\\') return false;
  size_t slashes = 0;
  for (size_t i = out.size() - 1; i-- > 0 && out[i] == '\\';) ++slashes;
  return slashes % 2 == 1;
}

constexpr char kUnicodeBefore[] = "(?:^|[^\\p{L}\\p{N}_])";
constexpr char kUnicodeAfter[] = "(?:$|[^\\p{L}\\p{N}_])";

struct Alternative {
  std::string regex;
  bool word_start = false;  // needs a boundary before
  bool word_end = false;    // needs a boundary after
};

std::string TermRegexIn(const Term& term, bool ascii);

// The alternatives of `c`'s terms, of `language` only when given.
std::vector<Alternative> Alternatives(const Concept& c, const char* language) {
  const bool ascii = IsAscii(c, language);
  std::vector<Alternative> out;
  std::set<std::string> seen;
  auto add = [&](const std::vector<Term>& terms) {
    for (const Term& t : terms) {
      if (t.text.empty()) continue;
      Alternative a;
      a.regex = TermRegexIn(t, ascii);
      if (!seen.insert(a.regex).second) continue;
      if (!t.raw) {
        a.word_start = StartsWord(t.text);
        a.word_end = EndsWord(t.text);
      }
      out.push_back(std::move(a));
    }
  };
  if (language) {
    auto it = c.terms.find(language);
    if (it != c.terms.end()) add(it->second);
    return out;
  }
  // Languages in the lexicon's order, then any other (Build reports those).
  for (const char* const* l = kLexiconLanguages; *l; ++l) {
    auto it = c.terms.find(*l);
    if (it != c.terms.end()) add(it->second);
  }
  for (const auto& [lang, terms] : c.terms) {
    bool known = false;
    for (const char* const* l = kLexiconLanguages; *l; ++l) known = known || lang == *l;
    if (!known) add(terms);
  }
  return out;
}

std::string Expansion(const Concept& c, const char* language, bool before, bool after,
                      bool capture, size_t n) {
  // A concept without terms in the pattern's language takes them all.
  if (language && !c.terms.count(language)) language = nullptr;
  const bool ascii = IsAscii(c, language);
  const std::string b = ascii ? "\\b" : kUnicodeBefore;
  const std::string a = ascii ? "\\b" : kUnicodeAfter;
  std::vector<Alternative> alts = Alternatives(c, language);
  bool uniform = std::all_of(alts.begin(), alts.end(), [&](const Alternative& x) {
    return x.word_start == alts.front().word_start && x.word_end == alts.front().word_end;
  });
  std::string body;
  for (const Alternative& x : alts) {
    if (!body.empty()) body += '|';
    if (uniform) {
      body += x.regex;
    } else {
      body += "(?:" + std::string(before && x.word_start ? b : "") + x.regex +
              (after && x.word_end ? a : "") + ")";
    }
  }
  if (alts.empty()) body = "[^\\x00-\\x{10FFFF}]";  // a concept without terms matches nothing
  std::string group = capture ? "(?P<bot_concept_" + std::to_string(n) + ">" : "(?:";
  group += body + ")";
  if (!uniform || alts.empty()) return "(?:" + group + ")";
  return "(?:" + std::string(before && alts.front().word_start ? b : "") + group +
         (after && alts.front().word_end ? a : "") + ")";
}

}  // namespace

std::vector<ConceptRef> FindConceptRefs(std::string_view p) {
  std::vector<ConceptRef> refs;
  const size_t n = p.size();
  size_t i = 0;
  while (i < n) {
    const char c = p[i];
    if (c == '\\') {
      if (i + 1 < n && p[i + 1] == 'Q') {
        size_t end = p.find("\\E", i + 2);
        i = end == std::string_view::npos ? n : end + 2;
      } else if (i + 2 < n && (p[i + 1] == 'p' || p[i + 1] == 'P') && p[i + 2] == '{') {
        size_t end = p.find('}', i + 3);
        i = end == std::string_view::npos ? n : end + 1;
      } else {
        i += 2;
      }
      continue;
    }
    if (c == '[') {
      ++i;
      if (i < n && p[i] == '^') ++i;
      if (i < n && p[i] == ']') ++i;
      while (i < n && p[i] != ']') i += p[i] == '\\' ? 2 : 1;
      ++i;
      continue;
    }
    if (c == '{' && i + 1 < n && IsLower(p[i + 1])) {
      size_t j = i + 2;
      while (j < n && IsIdentChar(p[j])) ++j;
      if (j < n && p[j] == '}') {
        refs.push_back({i, j + 1, std::string(p.substr(i + 1, j - i - 1))});
        i = j + 1;
        continue;
      }
    }
    ++i;
  }
  return refs;
}

namespace {

// An English pattern: its own text (references aside) is ASCII. It can
// only match English questions, so its references take the English terms
// only, which keeps an all-ASCII concept in the shape the literal scan
// decides without RE2 (with Cyrillic terms, RE2's Unicode word classes
// would see every ASCII question).
bool IsEnglishPattern(std::string_view pattern, const std::vector<ConceptRef>& refs) {
  size_t r = 0;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (r < refs.size() && i == refs[r].begin) {
      i = refs[r++].end - 1;
      continue;
    }
    if (static_cast<unsigned char>(pattern[i]) >= 0x80) return false;
  }
  return true;
}

}  // namespace

std::string TermRegex(const Concept& c, const Term& term) { return TermRegexIn(term, IsAscii(c)); }

namespace {
std::string TermRegexIn(const Term& term, bool ascii) {
  if (term.raw) return "(?:" + term.text + ")";
  std::string out;
  for (char ch : term.text) {
    if (ch == '*') {
      out += ascii ? "\\w*" : "[\\p{L}\\p{N}_]*";
    } else if (std::string_view("\\.+?()|[]{}^$").find(ch) != std::string_view::npos) {
      out += '\\';
      out += ch;
    } else {
      out += ch;
    }
  }
  return out;
}
}  // namespace

std::string ExpandConcepts(std::string_view pattern, const Lexicon& lexicon,
                           std::vector<ConceptRef>* unknown, bool capture) {
  const std::vector<ConceptRef> refs = FindConceptRefs(pattern);
  if (refs.empty()) return std::string(pattern);
  const char* language = IsEnglishPattern(pattern, refs) ? "en" : nullptr;
  std::string out;
  size_t at = 0;
  for (size_t r = 0; r < refs.size(); ++r) {
    const ConceptRef& ref = refs[r];
    out.append(pattern.substr(at, ref.begin - at));
    at = ref.end;
    const int index = lexicon.Find(ref.name);
    if (index < 0) {
      if (unknown) unknown->push_back(ref);
      out.append(pattern.substr(ref.begin, ref.end - ref.begin));
      continue;
    }
    // A space or an anchor next to the reference already bounds the word;
    // a `\b` there is replaced by the reference's own boundary.
    bool before = true;
    if (EndsWithBoundary(out)) {
      out.resize(out.size() - 2);
    } else if (!out.empty() && (out.back() == ' ' || out.back() == '^')) {
      before = false;
    }
    bool after = true;
    std::string_view rest = pattern.substr(at);
    if (rest.substr(0, 2) == "\\b") {
      at += 2;
    } else if (!rest.empty() && (rest.front() == ' ' || rest.front() == '$')) {
      after = false;
    }
    out += Expansion(lexicon.concepts()[static_cast<size_t>(index)], language, before, after,
                     capture, r);
  }
  out.append(pattern.substr(at));
  return out;
}

std::vector<ConceptUse> MatchedConcepts(std::string_view pattern, const Lexicon& lexicon,
                                        std::string_view normalized) {
  std::vector<ConceptUse> uses;
  const std::vector<ConceptRef> refs = FindConceptRefs(pattern);
  if (refs.empty()) return uses;
  RE2 re(ExpandConcepts(pattern, lexicon, nullptr, true), Matcher::PatternOptions());
  if (!re.ok()) return uses;
  const int n = re.NumberOfCapturingGroups();
  std::vector<re2::StringPiece> groups(static_cast<size_t>(n) + 1);
  const re2::StringPiece text(normalized.data(), normalized.size());
  if (!re.Match(text, 0, text.size(), RE2::UNANCHORED, groups.data(), n + 1)) return uses;
  const auto& names = re.NamedCapturingGroups();
  for (size_t r = 0; r < refs.size(); ++r) {
    const int index = lexicon.Find(refs[r].name);
    auto group = names.find("bot_concept_" + std::to_string(r));
    if (index < 0 || group == names.end()) continue;
    const re2::StringPiece piece = groups[static_cast<size_t>(group->second)];
    if (piece.data() == nullptr) continue;  // in a branch the match did not take
    const Concept& c = lexicon.concepts()[static_cast<size_t>(index)];
    ConceptUse use{c.name, "", std::string(piece.data(), piece.size())};
    for (const char* const* l = kLexiconLanguages; *l && use.term.empty(); ++l) {
      auto terms = c.terms.find(*l);
      if (terms == c.terms.end()) continue;
      for (const Term& t : terms->second) {
        RE2 term(TermRegex(c, t), Matcher::PatternOptions());
        if (term.ok() && RE2::FullMatch(piece, term)) {
          use.term = t.raw ? "re:" + t.text : t.text;
          break;
        }
      }
    }
    uses.push_back(std::move(use));
  }
  return uses;
}

std::string NearestName(std::string_view name, const std::vector<std::string>& names) {
  std::string best;
  size_t best_distance = 3;
  for (const std::string& candidate : names) {
    std::vector<size_t> row(candidate.size() + 1);
    for (size_t j = 0; j <= candidate.size(); ++j) row[j] = j;
    for (size_t i = 1; i <= name.size(); ++i) {
      size_t diagonal = row[0];
      row[0] = i;
      for (size_t j = 1; j <= candidate.size(); ++j) {
        size_t up = row[j];
        row[j] = std::min({row[j] + 1, row[j - 1] + 1,
                           diagonal + (name[i - 1] == candidate[j - 1] ? 0 : 1)});
        diagonal = up;
      }
    }
    size_t d = row[candidate.size()];
    if (d < best_distance && d < name.size()) {
      best_distance = d;
      best = candidate;
    }
  }
  return best;
}

}  // namespace bot::core
