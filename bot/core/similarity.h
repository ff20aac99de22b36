// Similarity: which intents and facts a question's words are closest to, by
// TF-IDF over significant words. One TermIndex serves the fallback's
// suggestions (Knowledge::Suggest) and `bot unmatched` (NearestIndex).
// Immutable after construction; safe from any thread.
#pragma once

#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace bot::core {

class Knowledge;

// Words too common in questions to say what a question is about (the
// lexicon's `stop_words`, normalised).
using StopWords = std::unordered_set<std::string>;

// Significant words of a normalised text: lower-case tokens of three or more
// characters that are not in `stop`. Used by suggestions and tools.
std::vector<std::string> SignificantWords(const std::string& normalized, const StopWords& stop);

// The crude stems NearestIndex compares: significant words with common
// English endings removed ("joined" -> "join"); other scripts keep their
// first five letters ("беларуси" -> "белар"). Sorted, without repeats.
std::vector<std::string> Stems(const std::string& normalized, const StopWords& stop);

// An index of documents that are sets of terms, each term weighted by its
// inverse document frequency, idf = ln(1 + N / df) for N documents of which
// df hold the term.
class TermIndex {
 public:
  TermIndex() = default;
  // `docs` are (id, terms), ids ascending; a term listed twice counts once.
  explicit TermIndex(const std::vector<std::pair<int, std::vector<std::string>>>& docs);

  // The documents that share a term with `terms` (each distinct term once),
  // scored by the sum of the shared terms' idf: highest first, ties by id.
  std::vector<std::pair<int, double>> Ranked(std::vector<std::string> terms) const;
  // The document closest to `terms` by cosine with idf² weights, and that
  // cosine; ties go to the lowest id. {-1, 0} when none shares a term.
  std::pair<int, double> Closest(std::vector<std::string> terms) const;

 private:
  struct Posting {
    double idf = 0;
    std::vector<int> docs;  // ascending
  };
  std::unordered_map<std::string, Posting> postings_;
  std::unordered_map<int, double> norms_;  // per document id
};

// For `bot unmatched`: finds the intent and the fact whose words are closest
// to a normalised question (shared stems weighted by rarity). Keeps no
// reference to `knowledge`. Immutable after construction.
class NearestIndex {
 public:
  explicit NearestIndex(const Knowledge& knowledge);

  struct Nearest {
    int intent = -1;  // index into intents(), or -1 when no word is shared
    int fact = -1;    // index into facts(), or -1
    double intent_score = 0;
    double fact_score = 0;
  };
  Nearest Find(const std::string& normalized) const;

 private:
  TermIndex intents_;  // an intent's id, examples and pattern samples
  TermIndex facts_;    // a fact's text, tags and aliases
  StopWords stop_;     // the knowledge's, copied: no reference is kept
};

}  // namespace bot::core
