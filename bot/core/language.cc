#include "bot/core/language.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

#include "bot/core/utf8.h"

namespace bot::core {

const char* const kReplyLanguages[] = {"en", "ru", "be", nullptr};

bool IsReplyLanguage(std::string_view lang) {
  return lang == "en" || lang == "ru" || lang == "be";
}

const std::vector<std::string>& ReplyLanguageChain(std::string_view lang) {
  // Constant tables, built once (thread-safe static initialisation): every
  // reply asks for its chain, and a copy would cost allocations per answer.
  static const std::vector<std::string> be = {"be", "ru", "en"};
  static const std::vector<std::string> ru = {"ru", "en"};
  static const std::vector<std::string> en = {"en"};
  if (lang == "be") return be;
  if (lang == "ru") return ru;
  return en;
}

std::string LanguageFromCode(std::string_view code) {
  // The part before a region ("ru-RU", "be_BY"), lower-cased; only our
  // two-letter codes count.
  const size_t end = std::min(code.find_first_of("-_"), code.size());
  if (end != 2) return {};
  auto lower = [](char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c); };
  const char head[2] = {lower(code[0]), lower(code[1])};
  const std::string_view h(head, 2);
  if (h == "en" || h == "ru" || h == "be" || h == "uk") return std::string(h);
  return {};
}

namespace {

// The Cyrillic languages, in the order a tie is broken: Russian is the
// language most people here write in when the letters do not tell.
enum Cyr { kRu = 0, kBe = 1, kUk = 2 };
constexpr std::array<const char*, 3> kCyrName = {"ru", "be", "uk"};

// A letter that tells languages apart: what it adds to each language's
// evidence for, and which languages never write it.
struct LetterRule {
  char32_t letter;
  std::array<int, 3> for_weight;
  std::array<bool, 3> never;
  const char* says;
};
constexpr LetterRule kLetters[] = {
    {U'ў', {0, 3, 0}, {true, false, true}, "only be"},
    {U'і', {0, 1, 1}, {true, false, false}, "be or uk, never ru"},
    {U'ї', {0, 0, 3}, {true, true, false}, "only uk"},
    {U'є', {0, 0, 3}, {true, true, false}, "only uk"},
    {U'ґ', {0, 0, 3}, {true, true, false}, "only uk"},
    {U'и', {1, 0, 1}, {false, true, false}, "never be"},
    {U'щ', {1, 0, 1}, {false, true, false}, "never be"},
    {U'ъ', {2, 0, 0}, {false, true, true}, "only ru"},
    {U'ы', {1, 1, 0}, {false, false, true}, "never uk"},
    {U'э', {1, 1, 0}, {false, false, true}, "never uk"},
};

// Frequent words that only one of the three writes (normalised: ё is е).
constexpr std::string_view kRuWords[] = {
    "в", "и", "что", "как", "когда", "кто", "где", "с", "это", "ли", "его", "по",
    "от", "из", "о", "об", "про", "какой", "какая", "какие", "каком", "какого",
    "сколько", "почему", "зачем", "или", "но", "уже", "есть", "был", "была",
    "были", "год", "году", "года", "спасибо", "привет", "да", "нет", "чем", "для"};
constexpr std::string_view kBeWords[] = {
    "і", "ў", "што", "як", "калі", "хто", "дзе", "з", "гэта", "ці", "яго", "па",
    "ад", "пра", "аб", "які", "якая", "якія", "якім", "якога", "колькі", "чаму",
    "навошта", "або", "але", "ужо", "есць", "быў", "была", "былі", "годзе",
    "дзякуй", "вітаю", "прывітанне", "для"};
constexpr std::string_view kUkWords[] = {
    "що", "коли", "хто", "де", "це", "чи", "його", "від", "із", "який", "яка",
    "які", "скільки", "чому", "навіщо", "або", "але", "вже", "є", "був",
    "була", "були", "рік", "році", "дякую", "привіт", "ні", "для"};

// Lower case of Latin and Cyrillic letters, ё as е, the typographic
// apostrophes as '; other code points as they are.
char32_t Lower(char32_t c) {
  if (c >= 'A' && c <= 'Z') c += 32;
  else if (c >= 0x410 && c <= 0x42F) c += 0x20;
  else if (c >= 0x400 && c <= 0x40F) c += 0x50;
  else if (c == 0x490) c = 0x491;
  if (c == 0x451) c = 0x435;
  if (c == 0x2019 || c == 0x02BC) c = '\'';
  return c;
}

bool IsCyrillic(char32_t c) { return c >= 0x400 && c <= 0x4FF; }
bool IsLatin(char32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 0xE0 && c <= 0x24F);
}

// English words that make even a one-word message English.
constexpr std::string_view kEnWords[] = {
    "the", "what", "when", "who", "where", "which", "why", "how", "is", "are", "did",
    "does", "do", "of", "in", "hello", "hi", "thanks", "thank", "help", "please", "and"};

// The four lists above as one open-addressing hash table, built at compile
// time: a word's lists in one probe or two, where a scan of the lists took
// a hundred comparisons per Cyrillic word.
enum : uint8_t { kInRu = 1, kInBe = 2, kInUk = 4, kInEn = 8 };
constexpr uint32_t WordHash(std::string_view w) {
  uint32_t h = 2166136261u;  // FNV-1a
  for (char c : w) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
  return h;
}
struct ListedWord {
  std::string_view word;
  uint8_t lists = 0;
};
constexpr size_t kWordSlots = 256;  // a power of two, over twice the words
constexpr std::array<ListedWord, kWordSlots> kWordTable = [] {
  std::array<ListedWord, kWordSlots> t{};
  auto add = [&t](std::string_view w, uint8_t list) {
    size_t i = WordHash(w) & (kWordSlots - 1);
    while (!t[i].word.empty() && t[i].word != w) i = (i + 1) & (kWordSlots - 1);
    t[i].word = w;
    t[i].lists |= list;
  };
  for (std::string_view w : kRuWords) add(w, kInRu);
  for (std::string_view w : kBeWords) add(w, kInBe);
  for (std::string_view w : kUkWords) add(w, kInUk);
  for (std::string_view w : kEnWords) add(w, kInEn);
  return t;
}();

// The lists `w` is in (kInRu | ...), 0 for a word none lists.
uint8_t ListsOf(std::string_view w) {
  for (size_t i = WordHash(w) & (kWordSlots - 1); !kWordTable[i].word.empty();
       i = (i + 1) & (kWordSlots - 1)) {
    if (kWordTable[i].word == w) return kWordTable[i].lists;
  }
  return 0;
}

// The index in kLetters of each Cyrillic code point's rule, or -1.
constexpr size_t kRules = sizeof(kLetters) / sizeof(kLetters[0]);
constexpr std::array<int8_t, 0x100> kRuleOf = [] {
  std::array<int8_t, 0x100> t{};
  for (auto& r : t) r = -1;
  for (size_t r = 0; r < kRules; ++r) t[kLetters[r].letter - 0x400] = static_cast<int8_t>(r);
  return t;
}();

// The word being read, lower-cased, on the stack: the longest word of the
// lists above is 20 bytes, so a longer word is counted but never looked up.
class WordBuffer {
 public:
  void Clear() { size_ = 0; long_ = false; }
  void Append(char32_t c) {
    if (c < 0x80) {
      Put(static_cast<char>(c));
    } else if (c < 0x800) {
      Put(static_cast<char>(0xC0 | (c >> 6)));
      Put(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
      long_ = true;  // no letter of the lists is beyond U+07FF
    }
  }
  // Empty when the word is too long to be one of the listed words.
  std::string_view view() const { return long_ ? std::string_view() : std::string_view(data_, size_); }

 private:
  void Put(char b) {
    if (size_ == sizeof(data_)) {
      long_ = true;
      return;
    }
    data_[size_++] = b;
  }
  char data_[32];
  size_t size_ = 0;
  bool long_ = false;
};

// Whether every byte of `text` is ASCII, eight at a time.
bool IsAscii(std::string_view text) {
  size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    uint64_t chunk;
    std::memcpy(&chunk, text.data() + i, 8);
    if (chunk & 0x8080808080808080ull) return false;
  }
  for (; i < text.size(); ++i) {
    if (static_cast<unsigned char>(text[i]) >= 0x80) return false;
  }
  return true;
}

// An ASCII text without explanation: no Cyrillic, so English unless it has
// no letters or is one or two words none of which is a listed English word
// (then the hint decides). Stops reading at the third word.
void DetectAscii(std::string_view text, const std::string& hint, LanguageGuess* g) {
  size_t words = 0;
  bool letters = false, english_word = false;
  char word[8];
  size_t length = 0;
  bool in_word = false;
  auto end_word = [&] {
    in_word = false;
    ++words;
    if (!english_word && length <= sizeof(word)) {
      english_word = ListsOf(std::string_view(word, length)) & kInEn;
    }
  };
  for (size_t i = 0; i < text.size() && words < 3 && !english_word; ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    const bool letter = c >= 'a' && c <= 'z';
    if (letter || (c == '\'' && in_word)) {
      letters = true;
      if (!in_word) {
        in_word = true;
        length = 0;
      }
      if (length < sizeof(word)) word[length] = c;
      ++length;
    } else if (in_word) {
      end_word();
    }
  }
  if (in_word) end_word();
  g->lang = "en";
  if (letters && (words >= 3 || english_word)) {
    g->decided = true;
  } else if (!hint.empty()) {
    g->lang = hint;
    g->from_hint = true;
  }
}

}  // namespace

LanguageGuess DetectLanguage(std::string_view text, std::string_view hint_code, bool explain) {
  LanguageGuess g;
  const std::string hint = hint_code.empty() ? std::string() : LanguageFromCode(hint_code);
  if (!explain && IsAscii(text)) {
    DetectAscii(text, hint, &g);
    return g;
  }
  // One pass over the code points, lower-cased on the fly (not Normalize: it
  // folds the word-initial ў, which is evidence here): letters counted, the
  // telling letters seen, and each word looked up as it ends. ASCII bytes
  // take a short way: no decoding, and only the English list.
  size_t cyrillic = 0, latin = 0;
  std::array<int, kRules> seen{};
  size_t words = 0;
  bool english_word = false;
  std::array<int, 3> word_score{};
  std::array<std::string, 3> word_list;  // explain only
  WordBuffer word;
  bool in_word = false, word_ascii = false;
  auto end_word = [&] {
    if (!in_word) return;
    in_word = false;
    ++words;
    const std::string_view w = word.view();
    if (w.empty()) return;
    if (word_ascii) {
      // Only the first three words can decide (three or more decide anyway).
      if (!english_word && words <= 3) english_word = ListsOf(w) & kInEn;
      return;
    }
    const uint8_t lists = ListsOf(w);
    if (!(lists & (kInRu | kInBe | kInUk))) return;
    const bool hit[3] = {(lists & kInRu) != 0, (lists & kInBe) != 0, (lists & kInUk) != 0};
    // A word all three write says nothing.
    if (hit[0] && hit[1] && hit[2]) return;
    for (int l = 0; l < 3; ++l) {
      if (!hit[l]) continue;
      word_score[l] += 2;
      if (!explain) continue;
      if (!word_list[l].empty()) word_list[l] += ", ";
      word_list[l] += w;
    }
  };
  for (size_t i = 0; i < text.size();) {
    const unsigned char b = static_cast<unsigned char>(text[i]);
    char32_t c;
    if (b < 0x80) {
      c = b >= 'A' && b <= 'Z' ? b + 32 : b;
      ++i;
    } else {
      c = DecodeUtf8Fast(text, &i);
      if (c == kInvalidCodePoint) continue;  // dropped: the word goes on
      c = Lower(c);
    }
    const bool is_latin = IsLatin(c);
    const bool is_cyrillic = !is_latin && IsCyrillic(c);
    if (is_latin) {
      ++latin;
    } else if (is_cyrillic) {
      ++cyrillic;
      if (const int r = kRuleOf[c - 0x400]; r >= 0) ++seen[static_cast<size_t>(r)];
    }
    if (is_latin || is_cyrillic || (c == '\'' && in_word)) {
      if (!in_word) {
        in_word = true;
        word_ascii = c < 0x80;
        word.Clear();
      }
      word.Append(c);
    } else {
      end_word();
    }
  }
  end_word();

  auto from_hint = [&](const char* why) {
    g.decided = false;
    if (!hint.empty()) {
      g.lang = hint;
      g.from_hint = true;
      if (explain) g.evidence.push_back(std::string(why) + "; keeps the conversation's language " + hint);
    } else if (explain) {
      g.evidence.push_back(std::string(why) + "; no conversation language to keep");
    }
  };
  if (explain) {
    g.evidence.push_back("letters: " + std::to_string(cyrillic) + " Cyrillic, " +
                         std::to_string(latin) + " Latin");
  }
  if (cyrillic == 0 && latin == 0) {
    g.lang = "en";
    from_hint("no letters");
    return g;
  }
  if (latin >= cyrillic) {
    g.lang = "en";
    if (words >= 3 || english_word) {
      g.decided = true;
      if (explain) g.evidence.push_back("Latin letters: en");
    } else {
      from_hint("Latin letters but too short to tell");
    }
    return g;
  }
  std::array<int, 3> for_score{}, against{};
  std::string letters_said;  // explain only
  for (size_t r = 0; r < kRules; ++r) {
    const LetterRule& rule = kLetters[r];
    const int n = seen[r];
    if (n == 0) continue;
    for (int l = 0; l < 3; ++l) {
      for_score[l] += n * rule.for_weight[l];
      if (rule.never[l]) against[l] += n;
    }
    if (!explain) continue;
    std::string letter;
    AppendUtf8(rule.letter, &letter);
    if (!letters_said.empty()) letters_said += "; ";
    letters_said += letter + " x" + std::to_string(n) + " (" + rule.says + ")";
  }
  if (explain) {
    if (!letters_said.empty()) g.evidence.push_back("telling letters: " + letters_said);
    std::string words_said;
    for (int l = 0; l < 3; ++l) {
      if (word_list[l].empty()) continue;
      if (!words_said.empty()) words_said += "; ";
      words_said += std::string(kCyrName[l]) + " (" + word_list[l] + ")";
    }
    if (!words_said.empty()) g.evidence.push_back("frequent words: " + words_said);
  }
  std::array<int, 3> total{};
  for (int l = 0; l < 3; ++l) total[l] = for_score[l] + word_score[l] - 2 * against[l];
  if (explain) {
    g.evidence.push_back("score: ru " + std::to_string(total[kRu]) + ", be " +
                         std::to_string(total[kBe]) + ", uk " + std::to_string(total[kUk]));
  }
  int best = kRu;
  for (int l = 1; l < 3; ++l) {
    if (total[l] > total[best]) best = l;
  }
  int second = -1000;
  for (int l = 0; l < 3; ++l) {
    if (l != best) second = std::max(second, total[l]);
  }
  g.lang = kCyrName[best];
  if (total[best] > second && for_score[best] + word_score[best] > 0) {
    g.decided = true;
    if (explain) g.evidence.push_back("decided: " + g.lang);
    return g;
  }
  // A hint decides only among the languages the letters allow.
  // Cyrillic text is never answered in English for a hint's sake.
  const bool hint_allowed = (hint == "ru" || hint == "be" || hint == "uk") &&
                            against[hint == "ru" ? kRu : hint == "be" ? kBe : kUk] == 0;
  if (hint_allowed) {
    from_hint("the letters and words do not decide");
  } else if (explain) {
    g.evidence.push_back("the letters and words do not decide; " + g.lang + " by default");
  }
  return g;
}

}  // namespace bot::core
