#include "bot/core/knowledge.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <unordered_set>

#include "bot/core/normalizer.h"
#include "bot/core/pattern_specificity.h"

namespace bot::core {
namespace {

// Words too common in questions to say what a question is about.
const std::unordered_set<std::string>& StopWords() {
  static const auto* kWords = new std::unordered_set<std::string>{
      "the", "and", "for", "are", "was", "were", "what", "when", "where",
      "who", "whom", "why", "how", "which", "does", "did", "has", "have",
      "had", "with", "this", "that", "these", "those", "from", "into", "about",
      "there", "their", "its", "can", "could", "would", "should", "will",
      "you", "your", "tell", "know", "any", "some", "many", "much", "more",
      "most", "been", "being", "is", "not", "all", "also", "than", "then",
      "them", "they", "our", "out", "over", "since", "year", "years", "time",
      "please", "give", "let", "say", "said", "get", "got", "one", "two",
      "like", "just", "very", "such", "other", "only", "between", "within",
      "osce", "belarus", "belarusian"};
  return *kWords;
}

bool IsWordByte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
}

}  // namespace

std::vector<std::string> SignificantWords(const std::string& normalized) {
  std::vector<std::string> words;
  size_t i = 0;
  while (i < normalized.size()) {
    if (!IsWordByte(static_cast<unsigned char>(normalized[i]))) {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < normalized.size() &&
           IsWordByte(static_cast<unsigned char>(normalized[end]))) {
      ++end;
    }
    std::string w = normalized.substr(i, end - i);
    if (CountCodePoints(w) >= 3 && !StopWords().count(w)) {
      // Crude plural folding keeps "facilities"/"facility" apart but joins
      // "projects"/"project", which is what suggestions need.
      if (w.size() > 4 && w.back() == 's' && w[w.size() - 2] != 's') w.pop_back();
      words.push_back(std::move(w));
    }
    i = end;
  }
  return words;
}

std::shared_ptr<Knowledge> Knowledge::Build(std::vector<Fact> facts,
                                            std::vector<Intent> intents,
                                            std::vector<Diagnostic>* diagnostics) {
  std::shared_ptr<Knowledge> k(new Knowledge());
  k->facts_ = FactBase::Build(std::move(facts), diagnostics);
  k->intents_ = IntentSet::Build(std::move(intents), k->facts_, diagnostics);

  const auto& all = k->intents_.intents();
  std::vector<std::string> texts;
  for (size_t i = 0; i < all.size(); ++i) {
    k->first_pattern_.push_back(static_cast<int>(k->patterns_.size()));
    for (size_t p = 0; p < all[i].patterns.size(); ++p) {
      k->patterns_.push_back({static_cast<int>(i), static_cast<int>(p),
                              PatternSpecificity(all[i].patterns[p].text)});
      texts.push_back(all[i].patterns[p].text);
    }
  }
  // Excludes go into the same matcher, after the patterns.
  const int exclude_base = static_cast<int>(texts.size());
  std::vector<std::pair<int, int>> exclude_of;  // (intent, x) per exclude
  for (size_t i = 0; i < all.size(); ++i) {
    k->first_exclude_.push_back(static_cast<int>(texts.size()) - exclude_base);
    for (size_t x = 0; x < all[i].exclude.size(); ++x) {
      exclude_of.push_back({static_cast<int>(i), static_cast<int>(x)});
      texts.push_back(all[i].exclude[x].text);
    }
  }
  k->first_exclude_.push_back(static_cast<int>(texts.size()) - exclude_base);
  std::vector<PatternError> errors;
  k->matcher_ = Matcher::Compile(texts, &errors);
  for (const PatternError& e : errors) {
    if (e.index >= exclude_base) {
      const auto [intent, x] = exclude_of[e.index - exclude_base];
      diagnostics->push_back({Diagnostic::Severity::kError, all[intent].exclude[x].where,
                              "bad-pattern",
                              "invalid exclude pattern in intent `" + all[intent].id +
                                  "`: " + e.message});
      continue;
    }
    const CompiledPattern& cp = k->patterns_[e.index];
    const Intent& intent = all[cp.intent];
    SourceLocation where = intent.patterns[cp.index_in_intent].where;
    std::string message = "invalid pattern in intent `" + intent.id +
                          "`: " + e.message;
    if (!e.argument.empty()) {
      message += ": `" + e.argument + "`";
      size_t at = intent.patterns[cp.index_in_intent].text.find(e.argument);
      if (at != std::string::npos && where.column > 0) {
        message += " (at column " + std::to_string(where.column + 1 + at) + ")";
      }
    }
    diagnostics->push_back(
        {Diagnostic::Severity::kError, where, "bad-pattern", message});
  }

  k->templates_.resize(all.size());
  k->answer_facts_.resize(all.size());
  for (size_t i = 0; i < all.size(); ++i) {
    for (const LocatedText& id : all[i].answer.facts) {
      if (const Fact* f = k->facts_.Find(id.text)) k->answer_facts_[i].push_back(f);
    }
    std::vector<std::string> captures = k->CaptureNames(static_cast<int>(i));
    auto defined = [&](const std::string& name) {
      return std::find(captures.begin(), captures.end(), name) != captures.end();
    };
    const AnswerSpec& a = all[i].answer;
    if (!a.text.empty()) {
      std::string why;
      auto parts = ParseTemplate(a.text, &why);
      if (parts) {
        for (const TemplatePart& p : *parts) {
          if (p.kind == TemplatePart::Kind::kCapture && !defined(p.value)) {
            diagnostics->push_back(
                {Diagnostic::Severity::kError, a.text_where, "unknown-capture",
                 "answer of intent `" + all[i].id + "` uses `{" + p.value +
                     "}` but no pattern defines `(?P<" + p.value + ">...)`"});
          }
        }
        k->templates_[i] = std::move(*parts);
      }
    }
    if (!a.facts_by_year.empty() && !defined(a.facts_by_year)) {
      diagnostics->push_back(
          {Diagnostic::Severity::kError, a.text_where, "unknown-capture",
           "`facts_by_year` of intent `" + all[i].id + "` names `" +
               a.facts_by_year + "` but no pattern defines `(?P<" +
               a.facts_by_year + ">...)`"});
    }
  }
  k->BuildSuggestionIndex();
  return k;
}

void Knowledge::Match(std::string_view normalized, std::vector<int>* patterns,
                      std::vector<int>* excludes) const {
  matcher_->Match(normalized, patterns);
  // Ascending, so the excludes are the tail.
  const int base = static_cast<int>(patterns_.size());
  auto tail = std::lower_bound(patterns->begin(), patterns->end(), base);
  if (excludes) {
    excludes->clear();
    for (auto it = tail; it != patterns->end(); ++it) excludes->push_back(*it - base);
  }
  patterns->erase(tail, patterns->end());
}

std::vector<std::string> Knowledge::CaptureNames(int intent) const {
  std::set<std::string> names;
  for (size_t p = 0; p < intents_.intents()[intent].patterns.size(); ++p) {
    const RE2* re = matcher_->pattern(first_pattern_[intent] + static_cast<int>(p));
    if (!re) continue;
    for (const auto& [name, index] : re->NamedCapturingGroups()) names.insert(name);
  }
  return {names.begin(), names.end()};
}

void Knowledge::BuildSuggestionIndex() {
  const auto& all = intents_.intents();
  std::unordered_map<std::string, std::set<int>> postings;
  int documents = 0;
  for (size_t i = 0; i < all.size(); ++i) {
    const Intent& intent = all[i];
    // Only intents that state facts are worth suggesting, and only through
    // a question an editor wrote for them.
    if (intent.answer.facts.empty() || intent.examples.empty()) continue;
    ++documents;
    std::string bag;
    for (const auto& e : intent.examples) bag += e.text + " ";
    for (const auto& f : intent.answer.facts) {
      if (const Fact* fact = facts_.Find(f.text)) {
        bag += fact->text + " ";
        for (const auto& t : fact->tags) bag += t + " ";
        for (const auto& a : fact->aliases) bag += a + " ";
      }
    }
    for (const std::string& w : SignificantWords(Normalize(bag))) {
      postings[w].insert(static_cast<int>(i));
    }
  }
  for (auto& [word, intents] : postings) {
    double idf = std::log(1.0 + static_cast<double>(documents) /
                                    static_cast<double>(intents.size()));
    auto& list = word_index_[word];
    for (int i : intents) list.push_back({i, idf});
  }
}

std::vector<std::string> Knowledge::Suggest(const std::string& normalized,
                                            size_t limit) const {
  std::vector<std::string> words = SignificantWords(normalized);
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  std::unordered_map<int, double> score;
  for (const std::string& w : words) {
    auto it = word_index_.find(w);
    if (it == word_index_.end()) continue;
    for (const auto& [intent, weight] : it->second) score[intent] += weight;
  }
  std::vector<std::pair<double, int>> ranked;
  for (const auto& [intent, s] : score) ranked.push_back({-s, intent});
  std::sort(ranked.begin(), ranked.end());
  std::vector<std::string> out;
  for (const auto& [neg, intent] : ranked) {
    if (out.size() >= limit) break;
    out.push_back(intents_.intents()[intent].examples.front().text);
  }
  return out;
}

}  // namespace bot::core
