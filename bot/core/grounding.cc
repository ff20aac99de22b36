#include "bot/core/grounding.h"

#include <algorithm>

#include "bot/core/normalizer.h"

namespace bot::core {

const char kRelativeTimeConcept[] = "relative_time";

namespace {

bool IsDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// A number that counts something: digits that are not a year, nor part of
// an amount (a term that marks an amount within the next two words, as in
// "1.3 million euros"; a decimal's digits belong to the same number).
bool HasCount(std::string_view normalized, const std::vector<WordSpan>& words,
              const Lexicon& lexicon) {
  std::vector<std::pair<size_t, size_t>> amounts;  // byte ranges of amount terms
  for (const Lexicon::Hit& h : lexicon.Hits(normalized, words)) {
    if (lexicon.concepts()[static_cast<size_t>(h.concept_index)].marks == "amount") {
      amounts.push_back({h.begin, h.end});
    }
  }
  auto is_number = [&](size_t i) {
    return IsDigits(normalized.substr(words[i].begin, words[i].end - words[i].begin));
  };
  for (size_t i = 0; i < words.size(); ++i) {
    std::string_view word = normalized.substr(words[i].begin, words[i].end - words[i].begin);
    if (!IsDigits(word)) continue;
    size_t last = i;  // "1.3", "1,300": one number
    while (last + 1 < words.size() && is_number(last + 1) &&
           words[last + 1].begin == words[last].end + 1 &&
           (normalized[words[last].end] == '.' || normalized[words[last].end] == ',')) {
      ++last;
    }
    if (last == i && word.size() == 4 && (word[0] == '1' || word[0] == '2')) {
      int y = std::stoi(std::string(word));
      if (y >= 1900 && y <= 2099) continue;
    }
    const size_t horizon = words[std::min(last + 2, words.size() - 1)].end;
    bool amount = false;
    for (const auto& [begin, end] : amounts) {
      if (begin >= words[last].end && end <= horizon) amount = true;
    }
    i = last;
    if (!amount) return true;
  }
  return false;
}

// "25th", "1st": an ordinal written with digits.
bool IsOrdinal(std::string_view word) {
  size_t digits = 0;
  while (digits < word.size() && word[digits] >= '0' && word[digits] <= '9') ++digits;
  if (digits == 0 || digits + 2 != word.size()) return false;
  std::string_view suffix = word.substr(digits);
  return suffix == "st" || suffix == "nd" || suffix == "rd" || suffix == "th";
}

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : ", ") + p;
  return out.empty() ? "none" : out;
}

bool IsActor(const std::string& kind) {
  return kind == "person" || kind == "organisation" || kind == "body";
}

bool IsPlaceLike(const std::string& kind) {
  return kind == "city" || kind == "country" || kind == "place";
}

}  // namespace

std::vector<std::pair<int, size_t>> YearsIn(std::string_view normalized) {
  return YearsIn(normalized, SplitWords(normalized));
}

std::vector<std::pair<int, size_t>> YearsIn(std::string_view normalized,
                                            const std::vector<WordSpan>& words) {
  std::vector<std::pair<int, size_t>> years;
  for (const WordSpan& w : words) {
    std::string_view word = normalized.substr(w.begin, w.end - w.begin);
    if (word.size() != 4 || !IsDigits(word)) continue;
    int y = (word[0] - '0') * 1000 + (word[1] - '0') * 100 + (word[2] - '0') * 10 + (word[3] - '0');
    if (y >= 1900 && y <= 2099) years.push_back({y, w.begin});
  }
  return years;
}

GroundingIndex GroundingIndex::Build(const FactBase& facts, const Gazetteer& gazetteer,
                                     const Lexicon& lexicon,
                                     std::vector<Diagnostic>* diagnostics) {
  GroundingIndex g;
  g.facts_ = &facts;
  g.gazetteer_ = &gazetteer;
  g.lexicon_ = &lexicon;
  g.relative_time_ = lexicon.Find(kRelativeTimeConcept);
  const auto& all = facts.facts();
  g.entities_.resize(all.size());
  g.details_.resize(all.size());
  g.years_.resize(all.size());
  g.ordinals_.resize(all.size());
  for (size_t i = 0; i < all.size(); ++i) {
    const Fact& f = all[i];
    std::string text = f.text;
    for (const std::string& a : f.aliases) text += " . " + a;
    const std::string normalized = Normalize(text);
    const std::vector<WordSpan> words = SplitWords(normalized);
    std::vector<int>& mentioned = g.entities_[i];
    mentioned = gazetteer.EntitiesIn(normalized, words);
    for (const std::string& id : f.entities) {
      int e = gazetteer.Find(id);
      if (e < 0) {
        Report(diagnostics, f.where, "unknown-entity",
               "fact `" + f.id + "` names unknown entity `" + id +
                   "` in `entities`; add it to intents/entities.yaml");
        continue;
      }
      mentioned.push_back(e);
    }
    std::sort(mentioned.begin(), mentioned.end());
    mentioned.erase(std::unique(mentioned.begin(), mentioned.end()), mentioned.end());

    DetailSet details = lexicon.Marked(normalized);
    // Years in the text, and every year of a range written "2012-2014".
    std::vector<std::pair<int, size_t>> years = YearsIn(normalized, words);
    for (size_t y = 0; y < years.size(); ++y) {
      g.years_[i].push_back(years[y].first);
      if (y + 1 == years.size()) continue;
      std::string_view between =
          std::string_view(normalized).substr(years[y].second + 4, years[y + 1].second - years[y].second - 4);
      bool range = between == "-" || between == " - " || between == " to ";
      for (int in = years[y].first + 1; range && in < years[y + 1].first && in - years[y].first < 50; ++in) {
        g.years_[i].push_back(in);
      }
    }
    if (!f.date.empty() || f.year || f.period || !g.years_[i].empty()) {
      details |= lexicon.DetailBit("date");
    }
    if (HasCount(normalized, words, lexicon)) details |= lexicon.DetailBit("count");
    for (const WordSpan& w : words) {
      std::string_view word = std::string_view(normalized).substr(w.begin, w.end - w.begin);
      if (IsOrdinal(word)) g.ordinals_[i].push_back(std::string(word));
    }
    for (int e : mentioned) {
      const std::string& kind = gazetteer.entities()[static_cast<size_t>(e)].kind;
      if (kind == "person") details |= lexicon.DetailBit("person");
      if (IsActor(kind)) details |= lexicon.DetailBit("actor");
      if (IsPlaceLike(kind)) details |= lexicon.DetailBit("place");
    }
    for (const std::string& name : f.details) {
      if (DetailSet bit = lexicon.DetailBit(name)) {
        details |= bit;
      } else {
        std::string kinds;
        for (const std::string& d : lexicon.details()) kinds += (kinds.empty() ? "" : ", ") + d;
        Report(diagnostics, f.where, "unknown-detail",
               "fact `" + f.id + "` has unknown detail kind `" + name + "`; known kinds: " + kinds);
      }
    }
    g.details_[i] = details;
  }
  return g;
}

size_t GroundingIndex::IndexOf(const Fact* fact) const {
  return static_cast<size_t>(fact - facts_->facts().data());
}

GroundingVerdict GroundingIndex::Check(std::string_view normalized,
                                       const std::vector<const Fact*>& facts,
                                       bool explain) const {
  GroundingVerdict v;
  const std::vector<WordSpan> words = SplitWords(normalized);
  const auto& entities = gazetteer_->entities();
  auto name_of = [&](int e) { return entities[static_cast<size_t>(e)].id; };

  // Entities. What the facts mention is gathered only when the question
  // names something beyond Belarus and the OSCE (or when explaining).
  std::vector<int> named = gazetteer_->EntitiesIn(normalized, words);
  named.erase(std::remove_if(named.begin(), named.end(),
                             [&](int e) { return entities[static_cast<size_t>(e)].in_scope; }),
              named.end());
  std::vector<int> carried;
  if (!named.empty() || explain) {
    for (const Fact* f : facts) {
      const auto& of = entities_of(IndexOf(f));
      carried.insert(carried.end(), of.begin(), of.end());
    }
    std::sort(carried.begin(), carried.end());
  }
  std::vector<std::string> named_names, missing_names;
  for (int e : named) {
    if (explain) named_names.push_back(name_of(e));
    if (std::binary_search(carried.begin(), carried.end(), e)) continue;
    if (explain) missing_names.push_back(name_of(e));
    if (!v.refusal) v.refusal = GroundingReason{"unknown_entity", name_of(e), 0, ""};
  }
  if (explain) {
    std::vector<std::string> carried_names;
    for (int e : carried) carried_names.push_back(name_of(e));
    carried_names.erase(std::unique(carried_names.begin(), carried_names.end()),
                        carried_names.end());
    v.steps.push_back({"entities", missing_names.empty(),
                       "the question names " + Join(named_names) + "; the facts mention " +
                           Join(carried_names) +
                           (missing_names.empty() ? "" : "; not mentioned: " + Join(missing_names))});
  }
  if (v.refusal && !explain) return v;

  // Dates. The facts' years are gathered only when the question names a
  // year, or when explaining (the reply of a refusal needs them too).
  const std::vector<std::pair<int, size_t>> question_years = YearsIn(normalized, words);
  std::vector<int> known;
  for (const Fact* f : (question_years.empty() && !explain) ? std::vector<const Fact*>{} : facts) {
    const size_t i = IndexOf(f);
    known.insert(known.end(), years_[i].begin(), years_[i].end());
    if (f->year) known.push_back(*f->year);
    if (f->date.size() >= 4 && IsDigits(std::string_view(f->date).substr(0, 4))) {
      known.push_back(std::stoi(f->date.substr(0, 4)));
    }
    if (f->period) {
      for (int y = f->period->first; y <= f->period->second && y - f->period->first < 200; ++y) {
        known.push_back(y);
      }
    }
  }
  std::sort(known.begin(), known.end());
  known.erase(std::unique(known.begin(), known.end()), known.end());
  v.known_years = known;
  std::vector<Lexicon::Hit> hits = lexicon_->Hits(normalized, words);
  std::vector<std::string> asked_years, missing_years;
  for (const auto& [year, at] : question_years) {
    bool is_relative = false;
    for (const Lexicon::Hit& h : hits) {
      if (h.concept_index != relative_time_) continue;
      // The term ends just before the year, across spaces only.
      size_t gap = h.end;
      while (gap < at && normalized[gap] == ' ') ++gap;
      if (gap == at) is_relative = true;
    }
    if (explain) asked_years.push_back(std::to_string(year) + (is_relative ? " (relative)" : ""));
    if (is_relative || std::binary_search(known.begin(), known.end(), year)) continue;
    if (explain) missing_years.push_back(std::to_string(year));
    if (!v.refusal) v.refusal = GroundingReason{"unknown_date", "", year, ""};
  }
  if (explain) {
    std::vector<std::string> known_names;
    for (int y : known) known_names.push_back(std::to_string(y));
    v.steps.push_back({"dates", missing_years.empty(),
                       "the question names " + Join(asked_years) + "; the facts carry " +
                           Join(known_names) +
                           (missing_years.empty() ? "" : "; not carried: " + Join(missing_years))});
  }
  if (v.refusal && !explain) return v;

  // Ordinals ("the 25th session"): each must be one a fact names.
  std::vector<std::string> asked_ordinals, known_ordinals, missing_ordinals;
  for (const WordSpan& w : words) {
    std::string_view word = normalized.substr(w.begin, w.end - w.begin);
    if (IsOrdinal(word)) asked_ordinals.push_back(std::string(word));
  }
  if (!asked_ordinals.empty() || explain) {
    for (const Fact* f : facts) {
      const auto& of = ordinals_[IndexOf(f)];
      known_ordinals.insert(known_ordinals.end(), of.begin(), of.end());
    }
    for (const std::string& o : asked_ordinals) {
      if (std::find(known_ordinals.begin(), known_ordinals.end(), o) != known_ordinals.end()) continue;
      missing_ordinals.push_back(o);
      if (!v.refusal) {
        v.refusal = GroundingReason{"unknown_number", "", 0, ""};
        v.refusal->number = o;
        v.known_ordinals = known_ordinals;
      }
    }
  }
  if (explain) {
    v.steps.push_back({"ordinals", missing_ordinals.empty(),
                       "the question names " + Join(asked_ordinals) + "; the facts name " +
                           Join(known_ordinals) +
                           (missing_ordinals.empty() ? "" : "; not named: " + Join(missing_ordinals))});
  }
  if (v.refusal && !explain) return v;

  // Details.
  const DetailSet asked = lexicon_->Asked(hits);
  DetailSet have = 0;
  for (const Fact* f : facts) have |= details_of(IndexOf(f));
  std::vector<std::string> asked_names, have_names, missing_details;
  const auto& kinds = lexicon_->details();
  // An editor's own kinds (after the built-in ones) are the more specific
  // reason, so they are checked first.
  size_t builtin = 0;
  while (kBuiltinDetails[builtin]) ++builtin;
  for (size_t n = 0; n < kinds.size(); ++n) {
    const size_t d = (n + builtin) % kinds.size();
    const DetailSet bit = DetailSet{1} << d;
    if (explain && (have & bit)) have_names.push_back(kinds[d]);
    if (!(asked & bit)) continue;
    if (explain) asked_names.push_back(kinds[d]);
    if (have & bit) continue;
    if (explain) missing_details.push_back(kinds[d]);
    if (!v.refusal) v.refusal = GroundingReason{"detail_unknown", "", 0, kinds[d]};
  }
  if (explain) {
    v.steps.push_back({"details", missing_details.empty(),
                       "the question asks for " + Join(asked_names) + "; the facts carry " +
                           Join(have_names) +
                           (missing_details.empty() ? "" : "; not carried: " + Join(missing_details))});
  }
  return v;
}

}  // namespace bot::core
