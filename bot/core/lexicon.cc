#include "bot/core/lexicon.h"

#include <unordered_map>

#include "bot/core/normalizer.h"

namespace bot::core {

const char* const kLexiconLanguages[] = {"en", "ru", "be", nullptr};

namespace {

bool KnownLanguage(const std::string& lang) {
  for (const char* const* l = kLexiconLanguages; *l; ++l) {
    if (lang == *l) return true;
  }
  return false;
}

}  // namespace

const char* const kBuiltinDetails[] = {"date", "count", "person", "actor", "place", nullptr};

Lexicon Lexicon::Build(std::vector<Concept> concepts, std::vector<Diagnostic>* diagnostics) {
  Lexicon lex;
  std::unordered_map<std::string, size_t> names;
  std::unordered_map<std::string, std::string> owner;  // normalised term -> concept
  for (const char* const* d = kBuiltinDetails; *d; ++d) lex.details_.push_back(*d);
  for (const Concept& c : concepts) {
    for (const std::string* d : {&c.asks_for, &c.marks}) {
      if (d->empty() || lex.DetailBit(*d)) continue;
      if (lex.details_.size() == 64) {
        Report(diagnostics, c.where, "too-many-details",
               "concept `" + c.name + "` names a 65th detail kind; 64 is the most");
        continue;
      }
      lex.details_.push_back(*d);
    }
  }
  for (size_t i = 0; i < concepts.size(); ++i) {
    Concept& c = concepts[i];
    if (!names.emplace(c.name, i).second) {
      Report(diagnostics, c.where, "duplicate-id", "concept `" + c.name + "` is defined twice");
    }
    for (auto& [lang, terms] : c.terms) {
      if (!KnownLanguage(lang)) {
        Report(diagnostics, c.where, "unknown-language",
               "concept `" + c.name + "` has terms in unknown language `" + lang +
                   "`; use en, ru or be");
      }
      for (Term& t : terms) {
        if (t.raw) continue;
        std::string normalized = Normalize(t.text);
        if (normalized.empty()) {
          Report(diagnostics, t.where, "bad-term", "empty term in concept `" + c.name + "`");
          continue;
        }
        if (SplitWords(normalized).empty()) {
          lex.symbols_.push_back({normalized, static_cast<int>(i)});
        } else if (lex.terms_.Add(normalized, static_cast<int>(i)) < 0) {
          Report(diagnostics, t.where, "bad-term",
                 "term `" + t.text + "` of concept `" + c.name +
                     "` has a `*` that does not end a word");
          continue;
        } else {
          lex.word_terms_.push_back({normalized, static_cast<int>(i)});
        }
        auto [it, fresh] = owner.emplace(normalized, c.name);
        if (!fresh && it->second != c.name) {
          Report(diagnostics, t.where, "term-in-two-concepts",
                 "term `" + t.text + "` is in both `{" + it->second + "}` and `{" + c.name + "}`",
                 Diagnostic::Severity::kWarning);
        }
        t.text = std::move(normalized);
      }
    }
  }
  lex.concepts_ = std::move(concepts);
  for (const Concept& c : lex.concepts_) lex.asks_bits_.push_back(lex.DetailBit(c.asks_for));
  return lex;
}

int Lexicon::Find(std::string_view name) const {
  for (size_t i = 0; i < concepts_.size(); ++i) {
    if (concepts_[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

std::vector<Lexicon::Hit> Lexicon::Hits(std::string_view normalized) const {
  return Hits(normalized, SplitWords(normalized));
}

std::vector<Lexicon::Hit> Lexicon::Hits(std::string_view normalized,
                                        const std::vector<WordSpan>& words) const {
  std::vector<Hit> hits;
  for (const PhraseMatcher::Match& m : terms_.FindAll(normalized, words)) {
    hits.push_back({m.id, m.begin, m.end});
  }
  SymbolHits(normalized, &hits);
  return hits;
}

void Lexicon::SymbolHits(std::string_view normalized, std::vector<Hit>* hits) const {
  for (const Symbol& s : symbols_) {
    size_t at = normalized.find(s.text);
    if (at != std::string_view::npos) hits->push_back({s.concept_index, at, at + s.text.size()});
  }
}

DetailSet Lexicon::DetailBit(std::string_view name) const {
  for (size_t i = 0; i < details_.size(); ++i) {
    if (details_[i] == name) return DetailSet{1} << i;
  }
  return 0;
}

DetailSet Lexicon::Asked(const std::vector<Hit>& hits) const {
  DetailSet set = 0;
  const Hit* first_question_word = nullptr;
  for (const Hit& h : hits) {
    const Concept& c = concepts_[static_cast<size_t>(h.concept_index)];
    if (c.interrogative) {
      if (!first_question_word || h.begin < first_question_word->begin) first_question_word = &h;
    } else {
      set |= asks_bits_[static_cast<size_t>(h.concept_index)];
    }
  }
  if (first_question_word) {
    set |= asks_bits_[static_cast<size_t>(first_question_word->concept_index)];
  }
  return set;
}

DetailSet Lexicon::Marked(std::string_view normalized) const {
  DetailSet set = 0;
  for (const Hit& h : Hits(normalized)) {
    const Concept& c = concepts_[static_cast<size_t>(h.concept_index)];
    if (!c.marks.empty()) set |= DetailBit(c.marks);
  }
  return set;
}

}  // namespace bot::core
