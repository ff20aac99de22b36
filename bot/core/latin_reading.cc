#include "bot/core/latin_reading.h"

#include <vector>

#include "bot/core/utf8.h"

namespace bot::core {
namespace {

// The ЙЦУКЕН key under each printable ASCII character of a US layout, in
// lower case; 0 for a key that types the same on both.
char32_t RussianKey(char c) {
  switch (c) {
    case 'q': return U'й';
    case 'w': return U'ц';
    case 'e': return U'у';
    case 'r': return U'к';
    case 't': return U'е';
    case 'y': return U'н';
    case 'u': return U'г';
    case 'i': return U'ш';
    case 'o': return U'щ';
    case 'p': return U'з';
    case '[': case '{': return U'х';
    case ']': case '}': return U'ъ';
    case 'a': return U'ф';
    case 's': return U'ы';
    case 'd': return U'в';
    case 'f': return U'а';
    case 'g': return U'п';
    case 'h': return U'р';
    case 'j': return U'о';
    case 'k': return U'л';
    case 'l': return U'д';
    case ';': case ':': return U'ж';
    case '\'': case '"': return U'э';
    case 'z': return U'я';
    case 'x': return U'ч';
    case 'c': return U'с';
    case 'v': return U'м';
    case 'b': return U'и';
    case 'n': return U'т';
    case 'm': return U'ь';
    case ',': case '<': return U'б';
    case '.': case '>': return U'ю';
    case '`': case '~': return U'ё';
    // Shifted keys whose Cyrillic-layout symbol differs.
    case '/': return U'.';
    case '?': return U',';
    case '&': return U'?';
    case '^': return U':';
    case '$': return U';';
    case '@': return U'"';
    case '#': return U'№';
    default: return 0;
  }
}

// The Belarusian layout differs from the Russian on three keys.
char32_t BelarusianKey(char c) {
  switch (c) {
    case 'o': return U'ў';
    case ']': case '}': return U'\'';
    case 'b': return U'і';
    default: return RussianKey(c);
  }
}

bool IsLatinVowel(char32_t c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

bool IsLatinLetter(char32_t c) { return (c >= 'a' && c <= 'z') || (c >= 0xC0 && c <= 0x24F); }

// Multi-letter spellings, longest first: {latin, ru, be}.
struct Digraph {
  const char* latin;
  const char32_t* ru;
  const char32_t* be;
};
constexpr Digraph kDigraphs[] = {
    {"shch", U"щ", U"шч"}, {"sch", U"щ", U"шч"}, {"sh", U"ш", U"ш"},  {"ch", U"ч", U"ч"},
    {"zh", U"ж", U"ж"},    {"kh", U"х", U"х"},   {"ts", U"ц", U"ц"},  {"yo", U"ё", U"ё"},
    {"yu", U"ю", U"ю"},    {"ya", U"я", U"я"},   {"ye", U"е", U"е"},  {"jo", U"ё", U"ё"},
    {"ju", U"ю", U"ю"},    {"ja", U"я", U"я"},   {"je", U"е", U"е"},
};

char32_t SingleLetter(char32_t c, bool be) {
  switch (c) {
    case 'a': return U'а';
    case 'b': return U'б';
    case 'c': return U'ц';
    case 'd': return U'д';
    case 'e': return U'е';
    case 'f': return U'ф';
    case 'g': return U'г';
    case 'h': return be ? U'г' : U'х';
    case 'i': return be ? U'і' : U'и';
    case 'j': return U'й';
    case 'k': return U'к';
    case 'l': return U'л';
    case 'm': return U'м';
    case 'n': return U'н';
    case 'o': return U'о';
    case 'p': return U'п';
    case 'q': return U'к';
    case 'r': return U'р';
    case 's': return U'с';
    case 't': return U'т';
    case 'u': return U'у';
    case 'v': return U'в';
    case 'w': return U'в';
    case 'y': return U'ы';
    case 'z': return U'з';
    case '\'': return U'ь';
    // Belarusian Latin (łacinka) letters.
    case U'ŭ': return U'ў';
    case U'š': return U'ш';
    case U'č': return U'ч';
    case U'ž': return U'ж';
    case U'ł': return U'л';
    default: return 0;
  }
}

// ś, ć, ń, ź: a soft consonant, written with ь in Cyrillic.
char32_t SoftLetter(char32_t c) {
  switch (c) {
    case U'ś': return U'с';
    case U'ć': return U'ц';
    case U'ń': return U'н';
    case U'ź': return U'з';
    default: return 0;
  }
}

bool StartsWith(const std::u32string& s, size_t at, const char* ascii) {
  for (size_t k = 0; ascii[k]; ++k) {
    if (at + k >= s.size() || s[at + k] != static_cast<char32_t>(ascii[k])) return false;
  }
  return true;
}

}  // namespace

std::string FromLatinLayout(std::string_view text, std::string_view lang) {
  const bool be = lang == "be";
  std::string out;
  out.reserve(text.size() * 2);
  for (size_t i = 0; i < text.size();) {
    const size_t start = i;
    const char32_t cp = DecodeUtf8(text, &i);
    if (cp == kInvalidCodePoint) continue;
    char c = cp < 0x80 ? static_cast<char>(cp) : 0;
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    const char32_t key = c ? (be ? BelarusianKey(c) : RussianKey(c)) : 0;
    if (key) {
      AppendUtf8(key, &out);
    } else {
      out.append(text.substr(start, i - start));
    }
  }
  return out;
}

std::string TransliterateToCyrillic(std::string_view text, std::string_view lang) {
  const bool be = lang == "be";
  std::u32string s;
  for (size_t i = 0; i < text.size();) {
    const char32_t cp = DecodeUtf8(text, &i);
    if (cp != kInvalidCodePoint) s.push_back(ToLowerCase(cp));
  }
  std::string out;
  out.reserve(text.size() * 2);
  for (size_t i = 0; i < s.size();) {
    const char32_t c = s[i];
    const bool after_letter = i > 0 && IsLatinLetter(s[i - 1]);
    const bool after_vowel = i > 0 && IsLatinVowel(s[i - 1]);
    // Belarusian Latin writes softness as i before a vowel: "bielaruś",
    // "jaho"; after a consonant "ie", "ia", "iu", "io" are е, я, ю, ё.
    if (be && c == 'i' && after_letter && !after_vowel && i + 1 < s.size()) {
      const char32_t n = s[i + 1];
      const char32_t soft = n == 'e' ? U'е' : n == 'a' ? U'я' : n == 'u' ? U'ю' : n == 'o' ? U'ё' : 0;
      if (soft) {
        AppendUtf8(soft, &out);
        i += 2;
        continue;
      }
    }
    bool matched = false;
    for (const Digraph& d : kDigraphs) {
      if (!StartsWith(s, i, d.latin)) continue;
      for (const char32_t* p = be ? d.be : d.ru; *p; ++p) AppendUtf8(*p, &out);
      i += std::char_traits<char>::length(d.latin);
      matched = true;
      break;
    }
    if (matched) continue;
    // y after a vowel is й ("kakoy", "bolshoy"), elsewhere ы ("my", "vy").
    if (c == 'y' && after_vowel) {
      AppendUtf8(U'й', &out);
      ++i;
      continue;
    }
    if (char32_t soft = SoftLetter(c)) {
      AppendUtf8(soft, &out);
      AppendUtf8(U'ь', &out);
      ++i;
      continue;
    }
    if (c == 'x') {
      out += "кс";
      ++i;
      continue;
    }
    if (char32_t letter = (c == '\'' && !after_letter) ? 0 : SingleLetter(c, be)) {
      AppendUtf8(letter, &out);
    } else {
      AppendUtf8(c, &out);
    }
    ++i;
  }
  return out;
}

bool IsLatinScript(std::string_view text) {
  bool latin = false;
  for (size_t i = 0; i < text.size();) {
    const char32_t cp = DecodeUtf8(text, &i);
    if (cp >= 0x400 && cp <= 0x52F) return false;
    if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7)) {
      latin = true;
    }
  }
  return latin;
}

}  // namespace bot::core
