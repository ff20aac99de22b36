#include "bot/core/grounding.h"

#include <algorithm>

#include "bot/core/normalizer.h"

namespace bot::core {

const char kRelativeTimeConcept[] = "relative_time";
const char kBeforeConcept[] = "before";
const char kAfterConcept[] = "after";

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
  std::vector<std::pair<size_t, size_t>> dates;    // byte ranges of date terms (months)
  for (const Lexicon::Hit& h : lexicon.Hits(normalized, words)) {
    const std::string& marks = lexicon.concepts()[static_cast<size_t>(h.concept_index)].marks;
    if (marks == "amount") amounts.push_back({h.begin, h.end});
    if (marks == "date") dates.push_back({h.begin, h.end});
  }
  auto starts_date = [&](size_t w) {
    return std::any_of(dates.begin(), dates.end(), [&](const auto& d) { return d.first == words[w].begin; });
  };
  auto ends_date = [&](size_t w) {
    return std::any_of(dates.begin(), dates.end(), [&](const auto& d) { return d.second == words[w].end; });
  };
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
    // A day of a month ("30 January", "5-9 July", "July 5") is a date.
    size_t run = last;
    while (run + 1 < words.size() && is_number(run + 1) && words[run + 1].begin == words[run].end + 1 &&
           normalized[words[run].end] == '-') {
      ++run;
    }
    if ((run + 1 < words.size() && starts_date(run + 1)) || (i > 0 && ends_date(i - 1))) {
      i = run;
      continue;
    }
    // "26-я", "26-й": an ordinal written with digits and a Cyrillic ending.
    if (last == i && last + 1 < words.size() && words[last + 1].begin == words[last].end + 1 &&
        normalized[words[last].end] == '-' && words[last + 1].end - words[last + 1].begin <= 6 &&
        static_cast<unsigned char>(normalized[words[last + 1].begin]) >= 0xD0) {
      continue;
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

// The index of the word that starts at byte `begin` (or the first after).
size_t WordAt(const std::vector<WordSpan>& words, size_t begin) {
  auto it = std::lower_bound(words.begin(), words.end(), begin,
                             [](const WordSpan& w, size_t b) { return w.begin < b; });
  return static_cast<size_t>(it - words.begin());
}

// Words that may stand between a role and its entity: "head of the OSCE
// Office", "Minister of Defense of Belarus".
bool IsLinkWord(std::string_view w) {
  return w == "of" || w == "the" || w == "to" || w == "in" || w == "at" || w == "for";
}

// The (kind, entity) pairs that the terms of `of_entity` concepts mark in
// a fact's text: a term right before an entity ("head of the OSCE Office
// in Ashgabat", at most two link words between), right after one ("ODIHR
// Director"), or inside its name ("Chairperson-in-Office").
std::vector<std::pair<DetailSet, int>> MarkedFor(const std::vector<PhraseMatcher::Match>& found,
                                                 const Lexicon& lexicon, std::string_view normalized,
                                                 const std::vector<WordSpan>& words) {
  std::vector<std::pair<DetailSet, int>> out;
  for (const PhraseMatcher::Match& t : found) {
    if (t.group != 1) continue;
    const Concept& c = lexicon.concepts()[static_cast<size_t>(t.id)];
    if (!c.of_entity || c.marks.empty()) continue;
    const DetailSet bit = lexicon.DetailBit(c.marks);
    const size_t t_first = WordAt(words, t.begin), t_end = WordAt(words, t.end);
    for (const PhraseMatcher::Match& e : found) {
      if (e.group != 0) continue;
      const size_t e_first = WordAt(words, e.begin), e_end = WordAt(words, e.end);
      bool next_to = e_end == t_first || (e.begin <= t.begin && t.end <= e.end);
      if (!next_to && e_first >= t_end && e_first - t_end <= 2) {
        next_to = true;
        for (size_t w = t_end; w < e_first; ++w) {
          next_to &= IsLinkWord(normalized.substr(words[w].begin, words[w].end - words[w].begin));
        }
      }
      if (next_to) out.push_back({bit, e.id});
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// The entity named right after the word that ends at byte `end`, across
// up to two link words ("before the OSCE Office in Minsk"), beyond Belarus
// and the OSCE (the longest name there), or -1.
int EntityAfter(const std::vector<PhraseMatcher::Match>& found, const std::vector<WordSpan>& words,
                std::string_view normalized, size_t end, const std::vector<Entity>& entities) {
  size_t at = WordAt(words, end);
  for (int links = 0; links < 2 && at < words.size() &&
                      IsLinkWord(normalized.substr(words[at].begin, words[at].end - words[at].begin));
       ++links) {
    ++at;
  }
  if (at >= words.size()) return -1;
  int best = -1;
  size_t best_end = 0;
  for (const PhraseMatcher::Match& m : found) {
    if (m.group != 0 || m.begin != words[at].begin || entities[static_cast<size_t>(m.id)].in_scope) continue;
    if (best < 0 || m.end > best_end) {
      best = m.id;
      best_end = m.end;
    }
  }
  return best;
}

// What a fact's text orders against what: "X ..., before E" answers
// "before E" (with X) and "after X" (with E), for every other entity X it
// mentions; "after E" the other way round. Appends to `*before_of` the
// entities it answers "before" about, to `*after_of` those it answers
// "after" about.
void Ordered(const std::vector<PhraseMatcher::Match>& found, int before, int after,
             std::string_view normalized, const std::vector<WordSpan>& words,
             const std::vector<Entity>& entities, const std::vector<int>& mentioned,
             std::vector<int>* before_of, std::vector<int>* after_of) {
  if (before < 0 && after < 0) return;
  for (const PhraseMatcher::Match& t : found) {
    if (t.group != 1 || (t.id != before && t.id != after)) continue;
    const int e = EntityAfter(found, words, normalized, t.end, entities);
    if (e < 0) continue;
    std::vector<int>* of_e = t.id == before ? before_of : after_of;
    std::vector<int>* of_others = t.id == before ? after_of : before_of;
    of_e->push_back(e);
    for (int x : mentioned) {
      if (x != e && !entities[static_cast<size_t>(x)].in_scope) of_others->push_back(x);
    }
  }
  for (std::vector<int>* v : {before_of, after_of}) {
    std::sort(v->begin(), v->end());
    v->erase(std::unique(v->begin(), v->end()), v->end());
  }
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
                                     const Lexicon& lexicon, const Spellings& spellings,
                                     std::vector<Diagnostic>* diagnostics) {
  GroundingIndex g;
  g.facts_ = &facts;
  g.gazetteer_ = &gazetteer;
  g.lexicon_ = &lexicon;
  g.relative_time_ = lexicon.Find(kRelativeTimeConcept);
  g.before_ = lexicon.Find(kBeforeConcept);
  g.after_ = lexicon.Find(kAfterConcept);
  for (const auto& [name, e] : gazetteer.indexed_names()) g.scan_.Add(name, e, 0);
  for (const auto& [term, c] : lexicon.word_terms()) g.scan_.Add(term, c, 1);
  for (const Concept& c : lexicon.concepts()) {
    if (c.of_entity) g.of_entity_kinds_ |= lexicon.DetailBit(c.marks);
  }
  const auto& all = facts.facts();
  g.entities_.resize(all.size());
  g.details_.resize(all.size());
  g.years_.resize(all.size());
  g.ordinals_.resize(all.size());
  g.marked_for_.resize(all.size());
  g.before_of_.resize(all.size());
  g.after_of_.resize(all.size());
  for (size_t i = 0; i < all.size(); ++i) {
    const Fact& f = all[i];
    std::string text = f.text;
    for (const std::string& a : f.aliases) text += " . " + a;
    const std::string normalized = Normalize(text, spellings);
    const std::vector<WordSpan> words = SplitWords(normalized);
    std::vector<int>& mentioned = g.entities_[i];
    mentioned = gazetteer.EntitiesIn(normalized, words);
    // The fact's names and terms, found once for the two rules that read them.
    std::vector<PhraseMatcher::Match> found;
    g.scan_.FindAll(normalized, words, &found);
    if (g.of_entity_kinds_) g.marked_for_[i] = MarkedFor(found, lexicon, normalized, words);
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
    Ordered(found, g.before_, g.after_, normalized, words, gazetteer.entities(), mentioned,
            &g.before_of_[i], &g.after_of_[i]);

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
    std::vector<int>& known = g.years_[i];
    if (f.year) known.push_back(*f.year);
    if (f.date.size() >= 4 && IsDigits(std::string_view(f.date).substr(0, 4))) {
      known.push_back(std::stoi(f.date.substr(0, 4)));
    }
    if (f.period) {
      for (int y = f.period->first; y <= f.period->second && y - f.period->first < 200; ++y) {
        known.push_back(y);
      }
    }
    std::sort(known.begin(), known.end());
    known.erase(std::unique(known.begin(), known.end()), known.end());
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
                                       const std::vector<const Fact*>& facts, bool explain,
                                       std::vector<Lexicon::Hit>* hits_out) const {
  GroundingVerdict v;
  // Buffers reused across questions on this thread: every answer that
  // states facts comes here, and allocating them each time was a tenth
  // of the check.
  struct Scratch {
    std::vector<WordSpan> words;
    std::vector<PhraseMatcher::Match> found;
    std::vector<int> named;
    std::vector<Lexicon::Hit> hits;
    std::vector<std::pair<int, size_t>> question_years;
  };
  thread_local Scratch scratch;
  std::vector<WordSpan>& words = scratch.words;
  SplitWords(normalized, &words);
  const auto& entities = gazetteer_->entities();
  auto name_of = [&](int e) { return entities[static_cast<size_t>(e)].id; };

  // One scan of the question: the entities it names (group 0), the
  // lexicon's terms (group 1), and, word by word, its years and ordinals.
  std::vector<PhraseMatcher::Match>& found = scratch.found;
  found.clear();
  scan_.FindAll(normalized, words, &found);
  std::vector<int>& named = scratch.named;  // beyond Belarus and the OSCE, ascending
  named.clear();
  std::vector<Lexicon::Hit>& hits = scratch.hits;
  hits.clear();
  for (const PhraseMatcher::Match& m : found) {
    if (m.group == 1) {
      hits.push_back({m.id, m.begin, m.end});
    } else if (!entities[static_cast<size_t>(m.id)].in_scope &&
               std::find(named.begin(), named.end(), m.id) == named.end()) {
      named.push_back(m.id);
    }
  }
  std::sort(named.begin(), named.end());
  lexicon_->SymbolHits(normalized, &hits);
  if (hits_out) *hits_out = hits;
  std::vector<std::pair<int, size_t>>& question_years = scratch.question_years;
  question_years.clear();
  std::vector<std::string_view> asked_ordinals;
  for (const WordSpan& w : words) {
    const char first = normalized[w.begin];
    if (first < '0' || first > '9') continue;
    std::string_view word = normalized.substr(w.begin, w.end - w.begin);
    if (word.size() == 4 && IsDigits(word)) {
      int y = (word[0] - '0') * 1000 + (word[1] - '0') * 100 + (word[2] - '0') * 10 + (word[3] - '0');
      if (y >= 1900 && y <= 2099) question_years.push_back({y, w.begin});
    } else if (IsOrdinal(word)) {
      asked_ordinals.push_back(word);
    }
  }
  const DetailSet asked = lexicon_->Asked(hits);
  // Kinds asked only about the entity the question names ("Who is the
  // Representative on Freedom of the Media?" asks for its holder): an
  // `of_entity` concept without `marks`.
  DetailSet asked_of_entity = 0;
  for (const Lexicon::Hit& h : hits) {
    const Concept& c = lexicon_->concepts()[static_cast<size_t>(h.concept_index)];
    if (c.of_entity && c.marks.empty()) asked_of_entity |= lexicon_->AsksBit(h.concept_index);
  }
  // Most questions name nothing beyond Belarus and the OSCE and ask for
  // nothing particular: nothing to check.
  if (!explain && named.empty() && question_years.empty() && asked_ordinals.empty() && !asked &&
      !asked_of_entity) {
    return v;
  }
  auto fact_index = [&](const Fact* f) { return IndexOf(f); };

  // Entities: each named one must be mentioned by some fact.
  std::vector<std::string> named_names, missing_names;
  for (int e : named) {
    if (explain) named_names.push_back(name_of(e));
    bool mentioned = false;
    for (const Fact* f : facts) {
      const auto& of = entities_[fact_index(f)];
      if (std::binary_search(of.begin(), of.end(), e)) {
        mentioned = true;
        break;
      }
    }
    if (mentioned) continue;
    if (explain) missing_names.push_back(name_of(e));
    if (!v.refusal) v.refusal = GroundingReason{"unknown_entity", name_of(e), 0, "", ""};
  }
  if (explain) {
    std::vector<int> carried;
    for (const Fact* f : facts) {
      const auto& of = entities_[fact_index(f)];
      carried.insert(carried.end(), of.begin(), of.end());
    }
    std::sort(carried.begin(), carried.end());
    carried.erase(std::unique(carried.begin(), carried.end()), carried.end());
    std::vector<std::string> carried_names;
    for (int e : carried) carried_names.push_back(name_of(e));
    v.steps.push_back({"entities", missing_names.empty(),
                       "the question names " + Join(named_names) + "; the facts mention " +
                           Join(carried_names) +
                           (missing_names.empty() ? "" : "; not mentioned: " + Join(missing_names))});
  }
  if (v.refusal && !explain) return v;

  // Dates: each year must be carried by some fact, unless a relative-time
  // term bounds it.
  std::vector<std::string> asked_years, missing_years;
  bool date_refused = false;
  for (const auto& [year, at] : question_years) {
    bool is_relative = false, is_before = false, is_after = false;
    for (const Lexicon::Hit& h : hits) {
      if (h.concept_index != relative_time_ && !IsOrderTerm(h.concept_index)) continue;
      // The term ends just before the year, across spaces only.
      size_t gap = h.end;
      while (gap < at && normalized[gap] == ' ') ++gap;
      if (gap != at) continue;
      is_relative = true;
      is_before |= h.concept_index == before_;
      is_after |= h.concept_index == after_;
    }
    if (explain) {
      asked_years.push_back(std::to_string(year) + (is_before  ? " (before)"
                                                    : is_after ? " (after)"
                                                    : is_relative ? " (relative)"
                                                                  : ""));
    }
    if (is_relative && !is_before && !is_after) continue;
    // "Before 2016" asks about an earlier year, "after 2010" a later one:
    // a fact must carry one ("Which office did she head before 2016?" is
    // not answered by "since 2016", nor "What opened after 2010?" by
    // "2003 to 2010").
    bool carried = false;
    for (const Fact* f : facts) {
      const auto& of = years_[fact_index(f)];
      if (is_before || is_after
              ? std::any_of(of.begin(), of.end(),
                            [&, year = year](int y) {
                              return (is_before && y < year) || (is_after && y > year);
                            })
              : std::binary_search(of.begin(), of.end(), year)) {
        carried = true;
        break;
      }
    }
    if (carried) continue;
    if (explain) missing_years.push_back(std::to_string(year));
    if (!v.refusal) {
      v.refusal = GroundingReason{"unknown_date", "", year, "", ""};
      date_refused = true;
    }
  }
  if (date_refused || explain) {
    // What the facts do carry, for the reply ("the visit I know of was in 2015").
    for (const Fact* f : facts) {
      const auto& of = years_[fact_index(f)];
      v.known_years.insert(v.known_years.end(), of.begin(), of.end());
    }
    std::sort(v.known_years.begin(), v.known_years.end());
    v.known_years.erase(std::unique(v.known_years.begin(), v.known_years.end()),
                        v.known_years.end());
  }
  if (explain) {
    std::vector<std::string> known_names;
    for (int y : v.known_years) known_names.push_back(std::to_string(y));
    v.steps.push_back({"dates", missing_years.empty(),
                       "the question names " + Join(asked_years) + "; the facts carry " +
                           Join(known_names) +
                           (missing_years.empty() ? "" : "; not carried: " + Join(missing_years))});
  }
  if (v.refusal && !explain) return v;

  // Ordinals ("the 25th session"): each must be one a fact names.
  std::vector<std::string> asked_names_o, known_ordinals, missing_ordinals;
  if (!asked_ordinals.empty() || explain) {
    for (const Fact* f : facts) {
      const auto& of = ordinals_[fact_index(f)];
      known_ordinals.insert(known_ordinals.end(), of.begin(), of.end());
    }
    for (std::string_view o : asked_ordinals) {
      asked_names_o.push_back(std::string(o));
      if (std::find(known_ordinals.begin(), known_ordinals.end(), o) != known_ordinals.end()) continue;
      missing_ordinals.push_back(std::string(o));
      if (!v.refusal) {
        v.refusal = GroundingReason{"unknown_number", "", 0, "", ""};
        v.refusal->number = std::string(o);
        v.known_ordinals = known_ordinals;
      }
    }
  }
  if (explain) {
    v.steps.push_back({"ordinals", missing_ordinals.empty(),
                       "the question names " + Join(asked_names_o) + "; the facts name " +
                           Join(known_ordinals) +
                           (missing_ordinals.empty() ? "" : "; not named: " + Join(missing_ordinals))});
  }
  if (v.refusal && !explain) return v;

  // The kinds of detail that ask for a person (the order rule and the
  // "before Zannier" rule below).
  // (Only ever tested against what the question asks: looked up only then.)
  const DetailSet persons = !(asked | asked_of_entity)
                                ? 0
                                : lexicon_->DetailBit("actor") | lexicon_->DetailBit("person") |
                                      lexicon_->DetailBit("head") | lexicon_->DetailBit("chair");
  std::vector<std::string> missing_orders;
  // "Which office did she head before Ashgabat?" asks what came before or
  // after an entity: some fact must order something against it (a
  // `before` or `after` term next to an entity), else the facts about the
  // entity itself would answer a question about another one. A person
  // asked for before a person is the rule above.
  for (const Lexicon::Hit& h : hits) {
    if (!IsOrderTerm(h.concept_index)) continue;
    const int e = EntityAfter(found, words, normalized, h.end, entities);
    if (e < 0) continue;
    if (entities[static_cast<size_t>(e)].kind == "person" && ((asked | asked_of_entity) & persons)) continue;
    bool ordered = false;
    for (const Fact* f : facts) {
      const auto& of = (h.concept_index == before_ ? before_of_ : after_of_)[fact_index(f)];
      ordered |= std::binary_search(of.begin(), of.end(), e);
    }
    if (ordered) continue;
    if (explain) {
      missing_orders.push_back("an order " + std::string(normalized.substr(h.begin, h.end - h.begin)) + " " +
                                name_of(e));
    }
    if (!v.refusal) v.refusal = GroundingReason{"detail_unknown", "", 0, "order", ""};
  }
  if (explain) {
    v.steps.push_back({"order", missing_orders.empty(),
                       missing_orders.empty() ? "every before or after an entity is one the facts order"
                                              : "not carried: " + Join(missing_orders)});
  }
  if (v.refusal && !explain) return v;

  // Details: each kind asked for must be carried by some fact.
  if (!asked && !asked_of_entity && !explain) return v;
  std::vector<std::string> asked_names, have_names, missing_details;
  // "Who was Secretary General before Zannier?" asks for someone other
  // than the person it names: a `before` or `after` term right before a person,
  // in a question asking for a person, is refused as a person the source
  // does not name (the facts about Zannier do not answer it).
  if ((asked | asked_of_entity) & persons) {
    for (const Lexicon::Hit& h : hits) {
      if (!IsOrderTerm(h.concept_index)) continue;
      size_t at = h.end;
      while (at < normalized.size() && normalized[at] == ' ') ++at;
      for (const PhraseMatcher::Match& m : found) {
        if (m.group != 0 || m.begin != at || entities[static_cast<size_t>(m.id)].kind != "person") continue;
        const std::string relative(normalized.substr(h.begin, h.end - h.begin));
        if (explain) missing_details.push_back("a person " + relative + " " + name_of(m.id));
        if (!v.refusal) v.refusal = GroundingReason{"detail_unknown", "", 0, "person", ""};
      }
    }
  }
  if (v.refusal && !explain) return v;
  DetailSet have = 0;
  for (const Fact* f : facts) have |= details_[fact_index(f)];
  if (!(asked & ~have) && !((asked | asked_of_entity) & of_entity_kinds_) && !explain) return v;
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
    if (!v.refusal) v.refusal = GroundingReason{"detail_unknown", "", 0, kinds[d], ""};
  }
  // A kind marked for an entity ("head"), asked about an entity: "Who
  // heads the SMM?" needs a fact that marks a head next to the SMM. The
  // entity asked about is the one right after the asking term (across
  // link words; of a chain such as "the OSCE Ministerial Council", the
  // first beyond Belarus and the OSCE). When a word that is no entity
  // follows ("Who heads the OSCE office in Turkmenistan?": "office"), the
  // question is about something the gazetteer does not name, and only
  // the plain rule above applies.
  std::vector<std::string> unmarked;
  // A concept that asks only about an entity yields to the next asking
  // term when no entity follows it ("Who is the head of ODIHR?": "who is
  // the" is followed by "head", which `leader` reads), and needs the mark
  // even when no fact carries the kind at all.
  for (const Lexicon::Hit& h : hits) {
    const Concept& asking = lexicon_->concepts()[static_cast<size_t>(h.concept_index)];
    const bool entity_only = asking.of_entity && asking.marks.empty();
    const DetailSet bit =
        lexicon_->AsksBit(h.concept_index) & of_entity_kinds_ & (entity_only ? ~DetailSet{0} : have);
    if (!bit) continue;
    size_t at = WordAt(words, h.end);
    auto word = [&](size_t i) { return normalized.substr(words[i].begin, words[i].end - words[i].begin); };
    while (at < words.size() && IsLinkWord(word(at))) ++at;
    std::vector<int> chain;
    bool open_end = true;
    while (at < words.size()) {
      auto m = std::find_if(found.begin(), found.end(), [&](const PhraseMatcher::Match& x) {
        return x.group == 0 && x.begin == words[at].begin;
      });
      if (m != found.end()) {
        chain.push_back(m->id);
        at = WordAt(words, m->end);
      } else if (IsLinkWord(word(at)) && !chain.empty()) {
        ++at;
      } else {
        open_end = false;
        break;
      }
    }
    if (chain.empty() || !open_end) {
      if (entity_only) continue;
      break;
    }
    int object = -1;
    for (int e : chain) {
      const Entity& entity = entities[static_cast<size_t>(e)];
      if (entity.kind == "person") continue;
      if (object < 0 || (entities[static_cast<size_t>(object)].in_scope && !entity.in_scope)) object = e;
      if (!entity.in_scope) break;
    }
    if (object < 0) {
      if (entity_only) continue;
      break;
    }
    // The holder of a post is its head or its chair ("the OSCE
    // Chairperson-in-Office, ... S. Kurz" names the chair): any kind an
    // `of_entity` concept marks for the entity will do.
    bool marked = false;
    for (const Fact* f : facts) {
      const auto& pairs = marked_for_[fact_index(f)];
      if (entity_only) {
        marked |= std::any_of(pairs.begin(), pairs.end(),
                              [&](const std::pair<DetailSet, int>& p) { return p.second == object; });
      } else {
        marked |= std::binary_search(pairs.begin(), pairs.end(), std::make_pair(bit, object));
      }
    }
    if (!marked) {
      size_t d = 0;
      while (!((DetailSet{1} << d) & bit)) ++d;
      if (explain) unmarked.push_back(kinds[d] + " of " + name_of(object));
      if (!v.refusal) v.refusal = GroundingReason{"detail_unknown", "", 0, kinds[d], ""};
    }
    break;  // the first asking term decides
  }
  if (explain) {
    if (!unmarked.empty()) missing_details.insert(missing_details.end(), unmarked.begin(), unmarked.end());
    v.steps.push_back({"details", missing_details.empty(),
                       "the question asks for " + Join(asked_names) + "; the facts carry " +
                           Join(have_names) +
                           (missing_details.empty() ? "" : "; not carried: " + Join(missing_details))});
  }
  return v;
}

}  // namespace bot::core
