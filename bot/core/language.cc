#include "bot/core/language.h"

#include <algorithm>
#include <array>

#include "bot/core/utf8.h"

namespace bot::core {

const char* const kReplyLanguages[] = {"en", "ru", "be", nullptr};

bool IsReplyLanguage(std::string_view lang) {
  return lang == "en" || lang == "ru" || lang == "be";
}

std::vector<std::string> ReplyLanguageChain(std::string_view lang) {
  if (lang == "be") return {"be", "ru", "en"};
  if (lang == "ru") return {"ru", "en"};
  return {"en"};
}

std::string LanguageFromCode(std::string_view code) {
  std::string head;
  for (char c : code) {
    if (c == '-' || c == '_') break;
    head += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  }
  if (head == "en" || head == "ru" || head == "be" || head == "uk") return head;
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

// Lower case of Latin and Cyrillic letters, ё as е; other code points
// (and malformed bytes, dropped) as they are.
std::string LowerCase(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size();) {
    char32_t c = DecodeUtf8(raw, &i);
    if (c == kInvalidCodePoint) continue;
    if (c >= 'A' && c <= 'Z') c += 32;
    else if (c >= 0x410 && c <= 0x42F) c += 0x20;
    else if (c >= 0x400 && c <= 0x40F) c += 0x50;
    else if (c == 0x490) c = 0x491;
    if (c == 0x451) c = 0x435;
    if (c == 0x2019 || c == 0x02BC) c = '\'';
    AppendUtf8(c, &out);
  }
  return out;
}

bool IsCyrillic(char32_t c) { return c >= 0x400 && c <= 0x4FF; }
bool IsLatin(char32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 0xE0 && c <= 0x24F);
}

// English words that make even a one-word message English.
constexpr std::string_view kEnWords[] = {
    "the", "what", "when", "who", "where", "which", "why", "how", "is", "are", "did",
    "does", "do", "of", "in", "hello", "hi", "thanks", "thank", "help", "please", "and"};

template <size_t N>
bool In(const std::string_view (&words)[N], std::string_view w) {
  return std::find(std::begin(words), std::end(words), w) != std::end(words);
}

std::vector<std::string_view> Words(std::string_view text) {
  std::vector<std::string_view> out;
  size_t i = 0, start = std::string_view::npos;
  auto flush = [&](size_t end) {
    if (start != std::string_view::npos) out.push_back(text.substr(start, end - start));
    start = std::string_view::npos;
  };
  while (i < text.size()) {
    size_t at = i;
    char32_t c = DecodeUtf8(text, &i);
    bool letter = IsCyrillic(c) || IsLatin(c) || (c == '\'' && start != std::string_view::npos);
    if (letter) {
      if (start == std::string_view::npos) start = at;
    } else {
      flush(at);
    }
  }
  flush(text.size());
  return out;
}

}  // namespace

LanguageGuess DetectLanguage(std::string_view raw, std::string_view hint_code) {
  LanguageGuess g;
  const std::string hint = LanguageFromCode(hint_code);
  // Not Normalize: it folds the word-initial ў, which is evidence here.
  const std::string text = LowerCase(raw);
  size_t cyrillic = 0, latin = 0;
  constexpr size_t kRules = sizeof(kLetters) / sizeof(kLetters[0]);
  std::array<int, kRules> seen{};
  for (size_t i = 0; i < text.size();) {
    char32_t c = DecodeUtf8(text, &i);
    if (IsLatin(c)) {
      ++latin;
    } else if (IsCyrillic(c)) {
      ++cyrillic;
      for (size_t r = 0; r < kRules; ++r) {
        if (kLetters[r].letter == c) ++seen[r];
      }
    }
  }
  std::array<int, 3> for_score{}, against{};
  std::string letters_said;
  for (size_t r = 0; r < kRules; ++r) {
    const LetterRule& rule = kLetters[r];
    const int n = seen[r];
    if (n == 0) continue;
    for (int l = 0; l < 3; ++l) {
      for_score[l] += n * rule.for_weight[l];
      if (rule.never[l]) against[l] += n;
    }
    std::string letter;
    AppendUtf8(rule.letter, &letter);
    if (!letters_said.empty()) letters_said += "; ";
    letters_said += letter + " x" + std::to_string(n) + " (" + rule.says + ")";
  }
  const std::vector<std::string_view> words = Words(text);
  auto from_hint = [&](const std::string& why) {
    g.decided = false;
    if (!hint.empty()) {
      g.lang = hint;
      g.from_hint = true;
      g.evidence.push_back(why + "; keeps the conversation's language " + hint);
    } else {
      g.evidence.push_back(why + "; no conversation language to keep");
    }
  };
  g.evidence.push_back("letters: " + std::to_string(cyrillic) + " Cyrillic, " +
                       std::to_string(latin) + " Latin");
  if (cyrillic == 0 && latin == 0) {
    g.lang = "en";
    from_hint("no letters");
    return g;
  }
  if (latin >= cyrillic) {
    g.lang = "en";
    bool english_word = false;
    for (std::string_view w : words) english_word = english_word || In(kEnWords, w);
    if (words.size() >= 3 || english_word) {
      g.decided = true;
      g.evidence.push_back("Latin letters: en");
    } else {
      from_hint("Latin letters but too short to tell");
    }
    return g;
  }
  if (!letters_said.empty()) g.evidence.push_back("telling letters: " + letters_said);
  std::array<int, 3> word_score{};
  std::array<std::string, 3> word_list;
  for (std::string_view w : words) {
    const bool hit[3] = {In(kRuWords, w), In(kBeWords, w), In(kUkWords, w)};
    // A word all three write says nothing.
    if (hit[0] && hit[1] && hit[2]) continue;
    for (int l = 0; l < 3; ++l) {
      if (!hit[l]) continue;
      word_score[l] += 2;
      if (!word_list[l].empty()) word_list[l] += ", ";
      word_list[l] += std::string(w);
    }
  }
  std::string words_said;
  for (int l = 0; l < 3; ++l) {
    if (word_list[l].empty()) continue;
    if (!words_said.empty()) words_said += "; ";
    words_said += std::string(kCyrName[l]) + " (" + word_list[l] + ")";
  }
  if (!words_said.empty()) g.evidence.push_back("frequent words: " + words_said);
  std::array<int, 3> total{};
  for (int l = 0; l < 3; ++l) total[l] = for_score[l] + word_score[l] - 2 * against[l];
  g.evidence.push_back("score: ru " + std::to_string(total[kRu]) + ", be " +
                       std::to_string(total[kBe]) + ", uk " + std::to_string(total[kUk]));
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
    g.evidence.push_back("decided: " + g.lang);
    return g;
  }
  // A hint decides only among the languages the letters allow.
  // Cyrillic text is never answered in English for a hint's sake.
  const bool hint_allowed = (hint == "ru" || hint == "be" || hint == "uk") &&
                            against[hint == "ru" ? kRu : hint == "be" ? kBe : kUk] == 0;
  if (hint_allowed) {
    from_hint("the letters and words do not decide");
  } else {
    g.evidence.push_back("the letters and words do not decide; " + g.lang + " by default");
  }
  return g;
}

}  // namespace bot::core
