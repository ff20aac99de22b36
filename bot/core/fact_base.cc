#include "bot/core/fact_base.h"

#include <cctype>
#include <string_view>

#include "bot/core/utf8.h"

namespace bot::core {
namespace {

// `word` with its first letter lower-cased; empty when that changes nothing
// (a digit, an already lower-case letter).
std::string LowerFirst(std::string_view word) {
  size_t end = 0;
  const char32_t first = DecodeUtf8(word, &end);
  if (first == kInvalidCodePoint || ToLowerCase(first) == first) return "";
  std::string out;
  AppendUtf8(ToLowerCase(first), &out);
  out.append(word.substr(end));
  return out;
}

bool EndsSentence(std::string_view word) {
  return !word.empty() && (word.back() == '.' || word.back() == '!' || word.back() == '?' ||
                           word.back() == ':' || word.back() == ';');
}

// Calls f(word, starts_sentence) for each space-separated word of `text`,
// trimmed of ASCII punctuation and quotes.
template <typename F>
void ForEachWord(std::string_view text, F f) {
  bool starts = true;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find(' ', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view word = text.substr(pos, end - pos);
    pos = end + 1;
    if (word.empty()) continue;
    const bool next_starts = EndsSentence(word);
    while (!word.empty() && std::ispunct(static_cast<unsigned char>(word.front()))) {
      word.remove_prefix(1);
    }
    while (!word.empty() && std::ispunct(static_cast<unsigned char>(word.back()))) {
      word.remove_suffix(1);
    }
    if (!word.empty()) f(word, starts);
    starts = next_starts;
  }
}

// Per language, the words written inside sentences: lower-case first letter
// (1), capital (2), or both (3).
using WordCases = std::map<std::string, std::map<std::string, int, std::less<>>>;

template <typename F>
void ForEachText(const Fact& f, F fn) {
  fn(std::string("en"), f.text);
  for (const auto& [lang, text] : f.translations) fn(lang, text);
}

WordCases CasesInsideSentences(const std::vector<Fact>& facts) {
  WordCases cases;
  for (const Fact& f : facts) {
    ForEachText(f, [&](const std::string& lang, const std::string& text) {
      auto& words = cases[lang];
      ForEachWord(text, [&](std::string_view word, bool starts) {
        if (starts) return;
        std::string lowered = LowerFirst(word);
        if (lowered.empty()) {
          words[std::string(word)] |= 1;
        } else {
          words[lowered] |= 2;
        }
      });
    });
  }
  return cases;
}

bool ValidSource(const std::string& source) {
  auto hash = source.find('#');
  if (hash == std::string::npos || hash == 0 || hash + 1 >= source.size()) {
    return false;
  }
  for (size_t i = hash + 1; i < source.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(source[i]))) return false;
  }
  return true;
}

}  // namespace

bool Fact::CoversYear(int y) const {
  if (year && *year == y) return true;
  if (period && period->first <= y && y <= period->second) return true;
  if (date.size() >= 4 && date.compare(0, 4, std::to_string(y)) == 0) {
    return true;
  }
  return false;
}

const std::string* Fact::TextIn(const std::string& lang) const {
  if (lang == "en") return &text;
  auto it = translations.find(lang);
  return it == translations.end() ? nullptr : &it->second;
}

void Fact::AppendRendered(std::string* out, const std::string& lang,
                          const std::string* as_of_prefix) const {
  const std::string* said = TextIn(lang);
  if (!said) said = &text;
  if (!as_of || !as_of_prefix) {
    *out += *said;
    return;
  }
  const size_t slot = as_of_prefix->find("{year}");
  if (slot == std::string::npos) {
    *out += *as_of_prefix;
  } else {
    out->append(*as_of_prefix, 0, slot);
    *out += std::to_string(*as_of);
    out->append(*as_of_prefix, slot + 6);
  }
  std::string lowered;
  if (lowered_after_as_of.count(said == &text ? std::string("en") : lang)) {
    lowered = LowerFirst(*said);
  }
  *out += lowered.empty() ? *said : lowered;
}

FactBase FactBase::Build(std::vector<Fact> facts,
                         std::vector<Diagnostic>* diagnostics) {
  FactBase base;
  base.facts_ = std::move(facts);
  for (size_t i = 0; i < base.facts_.size(); ++i) {
    const Fact& f = base.facts_[i];
    auto error = [&](std::string code, std::string msg) {
      diagnostics->push_back({Diagnostic::Severity::kError, f.where,
                              std::move(code), std::move(msg)});
    };
    if (f.id.empty()) error("missing-key", "fact has no `id`");
    if (f.text.empty()) error("missing-key", "fact `" + f.id + "` has no `text`");
    if (f.source.empty()) {
      error("missing-key", "fact `" + f.id + "` has no `source`");
    } else if (!ValidSource(f.source)) {
      error("bad-source", "fact `" + f.id + "`: source `" + f.source +
                              "` must look like `belarus-in-the-osce#4`");
    }
    if (f.period && f.period->first > f.period->second) {
      error("bad-period", "fact `" + f.id + "`: period starts after it ends");
    }
    auto [it, inserted] = base.by_id_.emplace(f.id, i);
    if (!inserted && !f.id.empty()) {
      const Fact& first = base.facts_[it->second];
      error("duplicate-id", "duplicate fact id `" + f.id +
                                "` (first defined at " + first.where.file +
                                ":" + std::to_string(first.where.line) + ")");
    }
  }
  const WordCases cases = CasesInsideSentences(base.facts_);
  for (Fact& f : base.facts_) {
    if (!f.as_of) continue;
    ForEachText(f, [&](const std::string& lang, const std::string& text) {
      std::string_view first;
      ForEachWord(text, [&](std::string_view word, bool) {
        if (first.empty()) first = word;
      });
      const std::string lowered = LowerFirst(first);
      auto words = cases.find(lang);
      if (lowered.empty() || words == cases.end()) return;
      auto seen = words->second.find(lowered);
      if (seen != words->second.end() && seen->second == 1) f.lowered_after_as_of.insert(lang);
    });
  }
  return base;
}

const Fact* FactBase::Find(const std::string& id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &facts_[it->second];
}

std::vector<const Fact*> FactBase::InYear(int year) const {
  std::vector<const Fact*> out;
  for (const Fact& f : facts_) {
    if (f.CoversYear(year)) out.push_back(&f);
  }
  return out;
}

}  // namespace bot::core
