// Grounding: before the bot states an answer's facts, checks that they are
// about what the question names and asks. An intent's patterns match the
// question's shape; grounding checks its content, by lookup:
// - entities: every entity the question names (other than Belarus and the
//   OSCE themselves) must be mentioned by one of the facts;
// - dates: every year the question names must be carried by one of the
//   facts (its date, year or period, or its text), unless a relative-time
//   term stands before it ("before 2000");
// - details: every kind of detail the question asks for (an amount, a
//   count, a date, a person, a place, or a kind an editor names; lexicon
//   concepts with `asks_for`)
//   must be carried by one of the facts;
// - ordinals: "the 25th session" needs a fact that names the 25th;
// - details of an entity: a kind an `of_entity` concept marks ("head"),
//   asked about entities the question names ("Who heads the SMM?"), needs
//   a fact that marks it next to one of them ("head of the SMM"), not
//   just any head.
// The first check that fails refuses the answer with a reason.
// Immutable after Build; safe to share.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bot/core/fact_base.h"
#include "bot/core/gazetteer.h"
#include "bot/core/lexicon.h"

namespace bot::core {

// Why grounding refused, in the API's terms.
struct GroundingReason {
  std::string code;    // "unknown_entity", "unknown_date" or "detail_unknown"
  std::string entity;  // unknown_entity: the entity id
  int year = 0;        // unknown_date: the year
  std::string detail;  // detail_unknown: the detail kind ("amount", ...)
  std::string number;  // unknown_number: the ordinal ("25th")
};

// One rule as it was applied, for `explain`.
struct GroundingStep {
  std::string rule;  // "entities", "dates", "details"
  bool passed = true;
  std::string note;  // what the question named and what the facts carry
};

struct GroundingVerdict {
  std::optional<GroundingReason> refusal;
  std::vector<GroundingStep> steps;  // filled when explaining
  std::vector<int> known_years;      // years the facts do carry, ascending
  std::vector<std::string> known_ordinals;  // ordinals the facts name
};

// The name of the lexicon concept whose terms make a following year
// relative rather than exact ("before 2000", "since 1992").
extern const char kRelativeTimeConcept[];
// The lexicon concepts of "before" and "after": a year after one of their
// terms asks about an earlier or a later one, which some fact must carry;
// right before a person ("before Zannier"), a question about someone
// else; right before another entity, a question some fact must order
// against it.
extern const char kBeforeConcept[];
extern const char kAfterConcept[];

class GroundingIndex {
 public:
  // Finds what each fact mentions and carries. `facts`, `gazetteer` and
  // `lexicon` must outlive the index. Unknown entity ids or detail kinds
  // in a fact's `entities:`/`details:` are appended to `diagnostics`.
  static GroundingIndex Build(const FactBase& facts, const Gazetteer& gazetteer,
                              const Lexicon& lexicon, const Spellings& spellings,
                              std::vector<Diagnostic>* diagnostics);

  // Entities fact `index` (in FactBase order) mentions, ascending.
  const std::vector<int>& entities_of(size_t index) const { return entities_[index]; }
  DetailSet details_of(size_t index) const { return details_[index]; }

  // Checks `facts` (those the answer would state) against `normalized`.
  // With `explain`, records each step. `hits`, when given, gets the
  // lexicon's terms in `normalized` (those Lexicon::Hits finds), found in
  // the same scan, for a caller that reads the question further.
  GroundingVerdict Check(std::string_view normalized, const std::vector<const Fact*>& facts,
                         bool explain, std::vector<Lexicon::Hit>* hits = nullptr) const;

 private:
  size_t IndexOf(const Fact* fact) const;

  const FactBase* facts_ = nullptr;
  const Gazetteer* gazetteer_ = nullptr;
  const Lexicon* lexicon_ = nullptr;
  int relative_time_ = -1;  // the relative_time concept, found once
  int before_ = -1;         // the `before` concept, found once
  int after_ = -1;          // the `after` concept, found once
  bool IsOrderTerm(int concept_index) const {
    return concept_index >= 0 && (concept_index == before_ || concept_index == after_);
  }
  // The gazetteer's names (group 0) and the lexicon's word terms (group 1)
  // in one matcher, so a question is scanned once for both.
  PhraseMatcher scan_;
  std::vector<std::vector<int>> entities_;  // per fact, ascending
  std::vector<DetailSet> details_;          // per fact
  // Per fact, ascending and distinct: the years of its text (ranges
  // spelled out) and of its date, year and period.
  std::vector<std::vector<int>> years_;
  std::vector<std::vector<std::string>> ordinals_;  // per fact: "26th", ...
  // Kinds some `of_entity` concept marks, and per fact the (kind, entity)
  // pairs its text marks: "ODIHR Director" is (head, odihr).
  DetailSet of_entity_kinds_ = 0;
  std::vector<std::vector<std::pair<DetailSet, int>>> marked_for_;
  // Per fact, ascending: the entities it says what came before (the AMG
  // fact, "..., before the OSCE Office in Minsk": the Office) and after
  // (the AMG).
  std::vector<std::vector<int>> before_of_;
  std::vector<std::vector<int>> after_of_;
};

// Years (1900-2099) written as numbers in `normalized`, with the byte
// offset of each.
std::vector<std::pair<int, size_t>> YearsIn(std::string_view normalized);
std::vector<std::pair<int, size_t>> YearsIn(std::string_view normalized,
                                            const std::vector<WordSpan>& words);

}  // namespace bot::core
