#include "bot/core/normalizer.h"

#include "bot/core/utf8.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace bot::core {
namespace {

// Lower case for the scripts people write to this bot in, folding Cyrillic
// yo to ye as Russian writers do.
char32_t ToLower(char32_t c) {
  if (c == 0x401 || c == 0x451) return 0x435;  // Ё, ё -> е
  return ToLowerCase(c);
}

// Typographic punctuation to ASCII; 0 drops the code point; ' ' for spaces.
char32_t Simplify(char32_t c) {
  switch (c) {
    case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032:
    case 0x00B4: case 0x0060: case 0x02BC:
      return '\'';
    case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x00AB:
    case 0x00BB: case 0x2033:
      return '"';
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014:
    case 0x2015: case 0x2212:
      return '-';
    case 0x200B: case 0x200C: case 0x200D: case 0x2060: case 0xFEFF:
    case 0x00AD:
      return 0;
    case 0x00A0: case 0x202F: case 0x205F: case 0x3000: case 0x2028:
    case 0x2029: case 0x0085:
      return ' ';
    default:
      break;
  }
  if (c >= 0x2000 && c <= 0x200A) return ' ';
  if (c < 0x20 || c == 0x7F) return ' ';  // controls, tabs, newlines
  return c;
}

// Printable ASCII that Simplify leaves alone (the backtick is a quote).
bool IsPlainAscii(unsigned char c) { return c >= 0x21 && c < 0x7F && c != '`'; }

// A byte of a word as the substitution pass reads it: ASCII letters and
// digits, the apostrophe (of contractions), and any non-ASCII byte.
bool IsSubstitutionWordByte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '\'' ||
         c >= 0x80;
}

// Word-level substitutions: contractions, then spelling variants of names so
// patterns need only the canonical spelling.
// Keys are views of string literals, so looking a word up needs no copy.
const std::unordered_map<std::string_view, std::string_view>& WordSubstitutions() {
  static const auto* kMap = new std::unordered_map<std::string_view, std::string_view>{
      {"what's", "what is"},     {"whats", "what is"},
      {"who's", "who is"},       {"where's", "where is"},
      {"when's", "when is"},     {"how's", "how is"},
      {"it's", "it is"},         {"that's", "that is"},
      {"there's", "there is"},   {"isn't", "is not"},
      {"aren't", "are not"},     {"wasn't", "was not"},
      {"weren't", "were not"},   {"didn't", "did not"},
      {"doesn't", "does not"},   {"don't", "do not"},
      {"hasn't", "has not"},     {"haven't", "have not"},
      {"can't", "cannot"},       {"won't", "will not"},
      {"i'm", "i am"},           {"you're", "you are"},
      {"let's", "let us"},       {"i'd", "i would"},
      {"belorussia", "belarus"}, {"byelorussia", "belarus"},
      {"belarussia", "belarus"}, {"bielorussia", "belarus"},
      {"belorus", "belarus"},    {"belarus's", "belarus"},
      {"byelorussian", "belarusian"}, {"belorussian", "belarusian"},
      {"belarussian", "belarusian"},
      {"ashgabad", "ashgabat"},  {"ashkhabad", "ashgabat"},
      {"ashabad", "ashgabat"},   {"ashgabt", "ashgabat"},
      {"lukashenka", "lukashenko"},
      {"organisation", "organization"}, {"organisations", "organizations"},
      {"programme", "program"},  {"programmes", "programs"},
      {"utilisation", "utilization"},
      {"defence", "defense"},    {"favour", "favor"},
      {"co-operation", "cooperation"},
  };
  return *kMap;
}

// Multi-word or punctuated variants, replaced before the word pass.
struct PhraseSubstitution {
  const char* from;
  const char* to;
};
constexpr PhraseSubstitution kPhrases[] = {
    {"o.s.c.e.", "osce"}, {"o.s.c.e", "osce"}, {"co-operation", "cooperation"},
    {"white russia", "belarus"},
};

bool IsBoundary(const std::string& s, size_t pos) {
  return pos >= s.size() || !IsSubstitutionWordByte(static_cast<unsigned char>(s[pos]));
}

void ReplacePhrases(std::string& s) {
  // Each phrase of today has a '.', a '-' or "white ", which most questions
  // lack; a phrase added without one turns this shortcut off.
  static const bool kGated = [] {
    for (const auto& p : kPhrases) {
      const std::string_view from = p.from;
      if (from.find_first_of(".-") == std::string_view::npos &&
          from.find("white ") == std::string_view::npos) {
        return false;
      }
    }
    return true;
  }();
  if (kGated && s.find('.') == std::string::npos && s.find('-') == std::string::npos &&
      s.find("white ") == std::string::npos) {
    return;
  }
  for (const auto& p : kPhrases) {
    const std::string_view from = p.from;
    size_t pos = 0;
    while ((pos = s.find(from, pos)) != std::string::npos) {
      bool left = pos == 0 || !IsSubstitutionWordByte(static_cast<unsigned char>(s[pos - 1]));
      if (left && IsBoundary(s, pos + from.size())) {
        s.replace(pos, from.size(), p.to);
        pos += std::char_traits<char>::length(p.to);
      } else {
        pos += 1;
      }
    }
  }
}

// The substitute of `word`, or nullptr. Most words are no key: a check of
// the first letter and length together rejects them before any hashing.
const std::string_view* FindSubstitute(std::string_view word) {
  // Per first byte, a bit per key length (lengths from 31 share bit 31).
  static const std::array<uint32_t, 256> kLengths = [] {
    std::array<uint32_t, 256> lengths{};
    for (const auto& [key, value] : WordSubstitutions()) {
      lengths[static_cast<unsigned char>(key[0])] |= uint32_t{1} << std::min<size_t>(key.size(), 31);
    }
    return lengths;
  }();
  if (word.empty() ||
      !(kLengths[static_cast<unsigned char>(word[0])] >> std::min<size_t>(word.size(), 31) & 1)) {
    return nullptr;
  }
  const auto& map = WordSubstitutions();
  auto it = map.find(word);
  return it == map.end() ? nullptr : &it->second;
}

// Appends the substitute of `word` (or the word itself) to `out`.
void AppendSubstituted(std::string_view word, std::string& out) {
  // Possessives and stray quotes carry no meaning for matching. Strip to a
  // fixed point so the result never has more to strip (idempotence: found
  // by fuzzing, "i`s`"); a key may match at any step ("it's" before "it").
  for (size_t before = SIZE_MAX; before != word.size();) {
    if (const std::string_view* substitute = FindSubstitute(word)) {
      out += *substitute;
      return;
    }
    before = word.size();
    while (!word.empty() && word.front() == '\'') word.remove_prefix(1);
    while (!word.empty() && word.back() == '\'') word.remove_suffix(1);
    if (word.size() > 2 && word.substr(word.size() - 2) == "'s") word.remove_suffix(2);
  }
  out += word;
}

// Whether some word of `folded` would change in the word pass: it holds a
// quote (stripped or part of a contraction) or has a substitute.
bool NeedsWordPass(std::string_view folded) {
  size_t pos = 0;
  while (pos < folded.size()) {
    if (!IsSubstitutionWordByte(static_cast<unsigned char>(folded[pos]))) {
      ++pos;
      continue;
    }
    size_t end = pos;
    bool quote = false;
    for (; end < folded.size() && IsSubstitutionWordByte(static_cast<unsigned char>(folded[end])); ++end) {
      quote |= folded[end] == '\'';
    }
    if (quote || FindSubstitute(folded.substr(pos, end - pos))) return true;
    pos = end;
  }
  return false;
}

}  // namespace

std::string Normalize(std::string_view text) {
  // Pass 1: decode, lower-case, simplify punctuation, fold white space.
  std::string folded;
  folded.reserve(text.size());
  bool pending_space = false;
  size_t i = 0;
  while (i < text.size()) {
    // A run of printable ASCII but the backtick (a quote to Simplify), the
    // common case, is copied at once and lower-cased in place.
    size_t run = i;
    while (run < text.size() && IsPlainAscii(static_cast<unsigned char>(text[run]))) ++run;
    if (run > i) {
      if (pending_space) folded += ' ';
      pending_space = false;
      const size_t from = folded.size();
      folded.append(text, i, run - i);
      for (size_t k = from; k < folded.size(); ++k) {
        if (folded[k] >= 'A' && folded[k] <= 'Z') folded[k] = static_cast<char>(folded[k] + 32);
      }
      i = run;
      continue;
    }
    if (text[i] == ' ') {  // the other common byte: no decoding needed
      pending_space = !folded.empty();
      ++i;
      continue;
    }
    char32_t cp = DecodeUtf8(text, &i);
    if (cp == kInvalidCodePoint) continue;
    cp = Simplify(ToLower(cp));
    if (cp == 0) continue;
    if (cp == ' ') {
      pending_space = !folded.empty();
      continue;
    }
    if (cp == 0x45E) {
      // Belarusian writes the word-initial у as ў after a vowel ("у Мінску",
      // "ва ўсіх", "Беларусі ўдзел"): one spelling, as ё is е.
      const bool word_start = pending_space || folded.empty() ||
                              (static_cast<unsigned char>(folded.back()) < 0x80 &&
                               !std::isalnum(static_cast<unsigned char>(folded.back())));
      if (word_start) cp = 0x443;
    }
    if (pending_space) folded += ' ';
    pending_space = false;
    if (cp == 0x2026) {  // ellipsis
      folded += "...";
      continue;
    }
    AppendUtf8(cp, &folded);
  }

  // Pass 2: word substitutions. Pass 1 leaves no doubled or edge spaces, so
  // when no word has a quote or a substitute (most questions) it is done.
  if (!NeedsWordPass(folded)) {
    ReplacePhrases(folded);
    return folded;
  }
  std::string out;
  out.reserve(folded.size() + 16);
  size_t pos = 0;
  while (pos < folded.size()) {
    if (!IsSubstitutionWordByte(static_cast<unsigned char>(folded[pos]))) {
      out += folded[pos++];
      continue;
    }
    size_t end = pos;
    while (end < folded.size() &&
           IsSubstitutionWordByte(static_cast<unsigned char>(folded[end]))) {
      ++end;
    }
    AppendSubstituted(std::string_view(folded).substr(pos, end - pos), out);
    pos = end;
  }
  // Dropped quotes can leave doubled or edge spaces: squeeze them in place.
  size_t kept = 0;
  for (char c : out) {
    if (c == ' ' && (kept == 0 || out[kept - 1] == ' ')) continue;
    out[kept++] = c;
  }
  while (kept > 0 && out[kept - 1] == ' ') --kept;
  out.resize(kept);
  // Phrases last: stripping quotes in the word pass can uncover one, and
  // Normalize must be idempotent (found by fuzzing: "``white russia``").
  ReplacePhrases(out);
  return out;
}

}  // namespace bot::core
