#include "bot/core/normalizer.h"

#include "bot/core/spelling.h"
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

// A byte of a word as the substitution pass reads it: ASCII letters and
// digits, the apostrophe (of contractions), and any non-ASCII byte.
constexpr std::array<bool, 256> kSubstitutionWordByte = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 256; ++c) {
    t[static_cast<size_t>(c)] = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '\'' || c >= 0x80;
  }
  return t;
}();
bool IsSubstitutionWordByte(unsigned char c) { return kSubstitutionWordByte[c]; }

bool IsBoundary(const std::string& s, size_t pos) {
  return pos >= s.size() || !IsSubstitutionWordByte(static_cast<unsigned char>(s[pos]));
}

void ReplacePhrases(std::string& s, const Spellings& spellings) {
  if (spellings.phrases().empty() || !spellings.MayHoldPhrase(s)) return;
  for (const Spellings::Phrase& p : spellings.phrases()) {
    size_t pos = 0;
    while ((pos = s.find(p.from, pos)) != std::string::npos) {
      bool left = pos == 0 || !IsSubstitutionWordByte(static_cast<unsigned char>(s[pos - 1]));
      if (left && IsBoundary(s, pos + p.from.size())) {
        s.replace(pos, p.from.size(), p.to);
        pos += p.to.size();
      } else {
        pos += 1;
      }
    }
  }
}

// Appends the substitute of `word` (or the word itself) to `out`.
void AppendSubstituted(std::string_view word, const Spellings& spellings, std::string& out) {
  // Possessives and stray quotes carry no meaning for matching. Strip to a
  // fixed point so the result never has more to strip (idempotence: found
  // by fuzzing, "i`s`"); a key may match at any step ("it's" before "it").
  for (size_t before = SIZE_MAX; before != word.size();) {
    if (const std::string* substitute = spellings.FindWord(word)) {
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
bool NeedsWordPass(std::string_view folded, const Spellings& spellings) {
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
    if (quote || spellings.FindWord(folded.substr(pos, end - pos))) return true;
    pos = end;
  }
  return false;
}

// What FoldCharacters makes of each ASCII byte: lower case, the backtick
// as an apostrophe, controls (tabs, newlines) and DEL as a space.
constexpr std::array<char, 128> kFoldAscii = [] {
  std::array<char, 128> t{};
  for (int c = 0; c < 128; ++c) {
    char f = static_cast<char>(c);
    if (c >= 'A' && c <= 'Z') f = static_cast<char>(c + 32);
    if (c == '`') f = '\'';
    if (c < 0x20 || c == 0x7F) f = ' ';
    t[static_cast<size_t>(c)] = f;
  }
  return t;
}();

}  // namespace

std::string FoldCharacters(std::string_view text) {
  // Decode, lower-case, simplify punctuation, fold white space. Folding
  // never lengthens a text (every lower case is as long in UTF-8 as its
  // letter, punctuation becomes one ASCII byte, the ellipsis three, a
  // space stands for at least one byte dropped), so it is written in
  // place into a buffer of the text's size and cut to length at the end.
  std::string folded;
  folded.resize(text.size());
  char* const begin = folded.data();
  char* out = begin;
  const char* const in = text.data();
  const size_t n = text.size();
  bool pending_space = false;
  size_t i = 0;  // a local index: it is passed by address below
  while (i < n) {
    const auto b = static_cast<unsigned char>(in[i]);
    if (b < 0x80) {  // the common case: one table lookup a byte
      ++i;
      const char f = kFoldAscii[b];
      if (f == ' ') {
        pending_space = out != begin;
        continue;
      }
      if (pending_space) *out++ = ' ';
      pending_space = false;
      *out++ = f;
      continue;
    }
    char32_t cp = DecodeUtf8Fast(text, &i);
    if (cp == kInvalidCodePoint) continue;
    cp = Simplify(ToLower(cp));
    if (cp == 0) continue;
    if (cp == ' ') {
      pending_space = out != begin;
      continue;
    }
    if (cp == 0x45E) {
      // Belarusian writes the word-initial у as ў after a vowel ("у Мінску",
      // "ва ўсіх", "Беларусі ўдзел"): one spelling, as ё is е.
      const bool word_start = pending_space || out == begin ||
                              (static_cast<unsigned char>(out[-1]) < 0x80 &&
                               !std::isalnum(static_cast<unsigned char>(out[-1])));
      if (word_start) cp = 0x443;
    }
    if (pending_space) *out++ = ' ';
    pending_space = false;
    if (cp == 0x2026) {  // ellipsis
      *out++ = '.';
      *out++ = '.';
      *out++ = '.';
      continue;
    }
    out = WriteUtf8(cp, out);
  }
  folded.resize(static_cast<size_t>(out - begin));
  return folded;
}

std::string Normalize(std::string_view text, const Spellings& spellings) {
  std::string folded = FoldCharacters(text);
  // Then the spellings, word by word. Folding leaves no doubled or edge
  // spaces, so when no word has a quote or a variant (most questions) it is
  // done.
  if (!NeedsWordPass(folded, spellings)) {
    ReplacePhrases(folded, spellings);
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
    AppendSubstituted(std::string_view(folded).substr(pos, end - pos), spellings, out);
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
  ReplacePhrases(out, spellings);
  return out;
}

}  // namespace bot::core
