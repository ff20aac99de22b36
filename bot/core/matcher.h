// Matcher: finds every pattern (of many thousands) that matches a normalised
// question, fast. Design: RE2's FilteredRE2 derives from each pattern the
// literal strings ("atoms") any match must contain; an Aho-Corasick scan
// (AtomScanner) finds the atoms present in one pass over the question; only
// patterns whose atom condition holds are confirmed with their own RE2.
// Results are exactly those of trying every RE2 (MatchNaive), which tests and
// `bot bench --verify` check. Immutable after Compile; Match is thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "re2/filtered_re2.h"
#include "re2/re2.h"

#include "bot/core/atom_scanner.h"

namespace bot::core {

// A pattern RE2 rejected: its index in the input and RE2's own message.
struct PatternError {
  int index;
  std::string message;
  std::string argument;  // the offending part of the pattern, if RE2 says
};

class Matcher {
 public:
  // Options every pattern is compiled with: case-insensitive, UTF-8, quiet
  // (errors are reported by us, not logged by RE2).
  static RE2::Options PatternOptions();

  // Compiles `patterns`. Those RE2 rejects are reported in `errors` and never
  // match; the rest keep their input index.
  static std::unique_ptr<Matcher> Compile(const std::vector<std::string>& patterns,
                                          std::vector<PatternError>* errors);

  Matcher(const Matcher&) = delete;
  Matcher& operator=(const Matcher&) = delete;

  // Sets `matches` to the indices of all patterns matching `text`, ascending.
  void Match(std::string_view text, std::vector<int>* matches) const;
  // The same result by trying every pattern; the reference for tests.
  void MatchNaive(std::string_view text, std::vector<int>* matches) const;

  // The compiled pattern at input index `i`, or nullptr if it failed.
  const RE2* pattern(int i) const;
  size_t size() const { return to_filtered_.size(); }
  size_t atom_count() const { return atom_count_; }

 private:
  Matcher() = default;

  std::unique_ptr<re2::FilteredRE2> filter_;
  std::unique_ptr<AtomScanner> scanner_;
  std::vector<int> to_filtered_;  // input index -> filter id, or -1
  std::vector<int> to_input_;     // filter id -> input index
  size_t atom_count_ = 0;
};

// How much literal text a pattern demands: characters that must appear in
// every match (for an alternation, its least demanding branch). Ranks a more
// specific pattern above a vaguer one that matched the same question.
int PatternSpecificity(std::string_view pattern);

}  // namespace bot::core
