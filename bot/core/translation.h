// Translation coverage: which texts a user can read in each reply language
// (facts, answer templates, canned replies) and which fall back be -> ru ->
// en. `bot check` prints the counts and warns on each gap. Pure functions
// over an immutable snapshot; safe from any thread.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "bot/core/diagnostic.h"
#include "bot/core/knowledge.h"

namespace bot::core {

struct TranslationCount {
  size_t written = 0;
  size_t total = 0;
};

// Per language ("ru", "be"; English is the source of every text), per kind
// of text ("facts", "answers", "replies").
using TranslationCoverage = std::map<std::string, std::map<std::string, TranslationCount>>;

// Counts the texts written in each language and appends a warning
// (`translation-missing`, at the text's place) for each text without one.
TranslationCoverage CheckTranslations(const Knowledge& knowledge,
                                      std::vector<Diagnostic>* diagnostics);

// "translations: ru facts 41/41, answers 7/7, replies 24/24; be ..."
std::string FormatTranslationCoverage(const TranslationCoverage& coverage);

}  // namespace bot::core
