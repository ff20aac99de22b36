#include "bot/core/similarity.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_set>

#include "bot/core/knowledge.h"
#include "bot/core/normalizer.h"
#include "bot/core/pattern_sampler.h"
#include "bot/core/utf8.h"

namespace bot::core {
namespace {

// A byte of a term: ASCII letters and digits, and any non-ASCII byte (the
// apostrophe splits "belarus's").
bool IsTermByte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
}

// Common English endings, longest first.
const char* const kSuffixes[] = {"ing", "ed", "es", "s"};

// Sorted and without repeats: scores are summed in this order.
std::vector<std::string> Distinct(std::vector<std::string> terms) {
  std::sort(terms.begin(), terms.end());
  terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
  return terms;
}

}  // namespace

std::vector<std::string> SignificantWords(const std::string& normalized, const StopWords& stop) {
  std::vector<std::string> words;
  size_t i = 0;
  while (i < normalized.size()) {
    if (!IsTermByte(static_cast<unsigned char>(normalized[i]))) {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < normalized.size() &&
           IsTermByte(static_cast<unsigned char>(normalized[end]))) {
      ++end;
    }
    std::string w = normalized.substr(i, end - i);
    if (CountCodePoints(w) >= 3 && !stop.count(w)) {
      // Crude plural folding keeps "facilities"/"facility" apart but joins
      // "projects"/"project", which is what suggestions need.
      if (w.size() > 4 && w.back() == 's' && w[w.size() - 2] != 's') w.pop_back();
      words.push_back(std::move(w));
    }
    i = end;
  }
  return words;
}

std::vector<std::string> Stems(const std::string& normalized, const StopWords& stop) {
  std::vector<std::string> out;
  for (std::string w : SignificantWords(normalized, stop)) {
    bool ascii = std::all_of(w.begin(), w.end(),
                             [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    if (!ascii) {
      // The first five code points (malformed bytes are skipped).
      std::string prefix;
      int kept = 0;
      for (size_t i = 0; i < w.size() && kept < 5;) {
        const char32_t c = DecodeUtf8(w, &i);
        if (c == kInvalidCodePoint) continue;
        AppendUtf8(c, &prefix);
        ++kept;
      }
      w = std::move(prefix);
    } else {
      for (const char* suffix : kSuffixes) {
        std::string s = suffix;
        if (w.size() >= s.size() + 4 && w.compare(w.size() - s.size(), s.size(), s) == 0) {
          w.resize(w.size() - s.size());
          break;
        }
      }
    }
    out.push_back(std::move(w));
  }
  return Distinct(std::move(out));
}

TermIndex::TermIndex(const std::vector<std::pair<int, std::vector<std::string>>>& docs) {
  for (const auto& [id, terms] : docs) {
    for (const std::string& t : Distinct(terms)) postings_[t].docs.push_back(id);
  }
  const double n = static_cast<double>(docs.size());
  for (auto& [term, posting] : postings_) {
    posting.idf = std::log(1.0 + n / static_cast<double>(posting.docs.size()));
    for (int d : posting.docs) norms_[d] += posting.idf * posting.idf;
  }
  for (auto& [id, norm] : norms_) norm = std::sqrt(norm);
}

std::vector<std::pair<int, double>> TermIndex::Ranked(std::vector<std::string> terms) const {
  std::unordered_map<int, double> score;
  for (const std::string& t : Distinct(std::move(terms))) {
    auto it = postings_.find(t);
    if (it == postings_.end()) continue;
    for (int d : it->second.docs) score[d] += it->second.idf;
  }
  std::vector<std::pair<int, double>> ranked(score.begin(), score.end());
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  return ranked;
}

std::pair<int, double> TermIndex::Closest(std::vector<std::string> terms) const {
  std::map<int, double> score;
  for (const std::string& t : Distinct(std::move(terms))) {
    auto it = postings_.find(t);
    if (it == postings_.end()) continue;
    const double idf = it->second.idf;
    for (int d : it->second.docs) score[d] += idf * idf;
  }
  std::pair<int, double> best{-1, 0};
  for (const auto& [d, s] : score) {
    const double norm = norms_.at(d);
    const double cosine = norm > 0 ? s / norm : 0;
    if (cosine > best.second) best = {d, cosine};
  }
  return best;
}

NearestIndex::NearestIndex(const Knowledge& k) : stop_(k.stop_words()) {
  std::vector<std::pair<int, std::vector<std::string>>> docs;
  const auto& intents = k.intents().intents();
  for (size_t i = 0; i < intents.size(); ++i) {
    std::string bag = intents[i].id + " ";
    for (const auto& e : intents[i].examples) bag += e.text + " ";
    for (size_t p = 0; p < intents[i].patterns.size(); ++p) {
      // The compiled text: `{concept}` references expanded.
      const CompiledPattern& cp = k.pattern(static_cast<int>(i), static_cast<int>(p));
      const std::string& text = cp.ok ? cp.expanded() : intents[i].patterns[p].text;
      for (const auto& s : PatternSamples(text, 4)) bag += s + " ";
    }
    docs.push_back({static_cast<int>(i), Stems(Normalize(bag, k.spellings()), k.stop_words())});
  }
  intents_ = TermIndex(docs);
  docs.clear();
  const auto& facts = k.facts().facts();
  for (size_t f = 0; f < facts.size(); ++f) {
    std::string bag = facts[f].text + " ";
    for (const auto& t : facts[f].tags) bag += t + " ";
    for (const auto& a : facts[f].aliases) bag += a + " ";
    docs.push_back({static_cast<int>(f), Stems(Normalize(bag, k.spellings()), k.stop_words())});
  }
  facts_ = TermIndex(docs);
}

NearestIndex::Nearest NearestIndex::Find(const std::string& normalized) const {
  std::vector<std::string> stems = Stems(normalized, stop_);
  Nearest n;
  std::tie(n.intent, n.intent_score) = intents_.Closest(stems);
  std::tie(n.fact, n.fact_score) = facts_.Closest(stems);
  return n;
}

}  // namespace bot::core
