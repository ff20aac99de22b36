#include "bot/core/answerer.h"

#include <algorithm>

#include "bot/core/language.h"
#include "bot/core/normalizer.h"
#include "bot/core/rereading.h"

namespace bot::core {

namespace {

constexpr size_t kMaxSuggestions = 3;

std::string Fill(std::string text, const std::string& name, const std::string& value) {
  const std::string slot = "{" + name + "}";
  for (size_t at = text.find(slot); at != std::string::npos; at = text.find(slot, at + value.size())) {
    text.replace(at, slot.size(), value);
  }
  return text;
}

// The language a reply is being written in: the languages to try, best
// first, and how far down that list some text of the reply had to go.
class Tongue {
 public:
  explicit Tongue(const std::string& lang) : chain_(ReplyLanguageChain(lang)) {}
  // The language of the reply so far.
  const std::string& lang() const { return chain_[worst_]; }
  const std::string& wanted() const { return chain_.front(); }

  // Canned reply `key` in the best language that has it, or nullptr.
  const std::string* Reply(const Knowledge& k, const std::string& key) {
    std::string used;
    const std::string* text = k.ReplyText(key, wanted(), &used);
    if (text) Note(used);
    return text;
  }
  // `key`'s text; empty only for knowledge built without replies (test
  // fixtures): Build reports a required one that is missing.
  std::string Canned(const Knowledge& k, const std::string& key) {
    const std::string* text = Reply(k, key);
    return text ? *text : std::string();
  }
  // Appends `fact` in the best language it is written in.
  void AppendFact(const Knowledge& k, const Fact& fact, std::string* out) {
    for (const std::string& l : chain_) {
      if (!fact.TextIn(l)) continue;
      Note(l);
      const std::string* prefix = fact.as_of ? k.ReplyText(kReplyAsOf, l) : nullptr;
      fact.AppendRendered(out, l, prefix);
      return;
    }
  }
  // The answer template of intent `i` in the best language it has.
  const std::vector<TemplatePart>& Template(const Knowledge& k, int i) {
    for (const std::string& l : chain_) {
      if (const std::vector<TemplatePart>* t = k.answer_template(i, l)) {
        Note(l);
        return *t;
      }
    }
    return k.answer_template(i);
  }

 private:
  void Note(const std::string& used) {
    for (size_t i = 0; i < chain_.size(); ++i) {
      if (chain_[i] == used) worst_ = std::max(worst_, i);
    }
  }
  const std::vector<std::string>& chain_;  // a constant table, not a copy
  size_t worst_ = 0;
};

std::map<std::string, std::string> Captures(const RE2& re,
                                            const std::string& text) {
  std::map<std::string, std::string> out;
  const auto& names = re.NamedCapturingGroups();
  if (names.empty()) return out;
  int groups = re.NumberOfCapturingGroups();
  std::vector<re2::StringPiece> pieces(groups + 1);
  if (!re.Match(text, 0, text.size(), RE2::UNANCHORED, pieces.data(),
                groups + 1)) {
    return out;
  }
  for (const auto& [name, index] : names) {
    if (pieces[index].data() != nullptr) {
      out[name] = std::string(pieces[index].data(), pieces[index].size());
    }
  }
  return out;
}

void AddFact(const Fact& fact, Reply* reply) {
  for (const FactRef& r : reply->facts) {
    if (r.id == fact.id) return;
  }
  reply->facts.push_back({fact.id, fact.source});
}

void AppendSentence(const Knowledge& k, const Fact& fact, Tongue* tongue, std::string* text) {
  if (!text->empty()) *text += ' ';
  tongue->AppendFact(k, fact, text);
}

// Whether `suggestion` names only entities the question names (or the
// bot's own subjects): "Did you mean" stays on what was asked.
bool StaysOnSubject(const Knowledge& k, const std::vector<int>& asked, const std::string& suggestion) {
  for (int e : k.SuggestionEntities(suggestion)) {
    if (!std::binary_search(asked.begin(), asked.end(), e)) return false;
  }
  return true;
}

Reply Fallback(const Knowledge& k, const std::string& normalized,
               std::string text, Tongue* tongue) {
  Reply reply;
  reply.fallback = true;
  // The question's entities are needed only for a suggestion that names
  // some, which few do: found on first use.
  std::optional<std::vector<int>> asked;
  for (std::string& s : k.Suggest(normalized, kMaxSuggestions * 3, tongue->wanted())) {
    if (reply.suggestions.size() == kMaxSuggestions) break;
    if (!k.SuggestionEntities(s).empty()) {
      if (!asked) asked = k.gazetteer().EntitiesIn(normalized);
      if (!StaysOnSubject(k, *asked, s)) continue;
    }
    reply.suggestions.push_back(std::move(s));
  }
  reply.text = std::move(text);
  if (!reply.suggestions.empty()) {
    std::string list;
    for (size_t i = 0; i < reply.suggestions.size(); ++i) {
      list += (i > 0 ? " / " : "") + reply.suggestions[i];
    }
    reply.text += " " + Fill(tongue->Canned(k, kReplyDidYouMean), "suggestions", list);
  }
  return reply;
}

int CapturedYear(const std::map<std::string, std::string>& captures, const std::string& name) {
  auto it = captures.find(name);
  int year = 0;
  if (it != captures.end()) {
    for (char ch : it->second) {
      if (ch < '0' || ch > '9' || year > 100000) break;
      year = year * 10 + (ch - '0');
    }
  }
  return year;
}

// The facts the winner's answer would state; empty for answers that state
// none (small talk, deliberate fallbacks). An intent's own `facts` list
// (the common case) is the Knowledge's, not a copy; the others are built
// in `*storage`.
const std::vector<const Fact*>& StatedFacts(const Knowledge& k, const Candidate& c,
                                            std::vector<const Fact*>* storage) {
  const AnswerSpec& a = k.intents().intents()[c.intent].answer;
  storage->clear();
  if (a.fallback) return *storage;
  if (!a.facts_by_year.empty()) {
    *storage = k.facts().InYear(CapturedYear(c.captures, a.facts_by_year));
    return *storage;
  }
  if (!a.facts.empty()) return k.answer_facts(c.intent);
  for (const TemplatePart& p : k.answer_template(c.intent)) {
    if (p.kind != TemplatePart::Kind::kFact) continue;
    if (const Fact* f = k.facts().Find(p.value)) storage->push_back(f);
  }
  return *storage;
}

// "2015", "2003-2010", "2012, 2015 and 2017".
// "a", "a and b", "a, b and c", joined with the editor's word for "and".
std::string JoinList(const std::vector<std::string>& items, const std::string& and_word) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? " " + and_word + " " : ", ";
    out += items[i];
  }
  return out;
}

std::string YearList(const std::vector<int>& years, const std::string& and_word) {
  std::vector<std::string> runs;
  for (size_t i = 0; i < years.size();) {
    size_t j = i;
    while (j + 1 < years.size() && years[j + 1] == years[j] + 1) ++j;
    runs.push_back(j == i ? std::to_string(years[i])
                          : std::to_string(years[i]) + "-" + std::to_string(years[j]));
    i = j + 1;
  }
  std::string out;
  for (size_t i = 0; i < runs.size(); ++i) {
    out += (i == 0 ? "" : i + 1 == runs.size() ? " " + and_word + " " : ", ") + runs[i];
  }
  return out;
}


// The reply when grounding refused: the editor's text for the reason.
Reply Refusal(const Knowledge& k, const GroundingVerdict& v, Tongue* tongue) {
  const GroundingReason& r = *v.refusal;
  std::string key = r.code;
  if (r.code == "detail_unknown") key += "." + r.detail;
  if (r.code == "unknown_date" && !v.known_years.empty()) key += ".known";
  if (r.code == "unknown_number" && !v.known_ordinals.empty()) key += ".known";
  const std::string* text = tongue->Reply(k, key);
  if (!text) text = tongue->Reply(k, r.code);
  Reply reply;
  reply.fallback = true;
  reply.reason = ReplyReason{r.code, r.entity, r.year, r.detail, r.number};
  if (!text) {
    reply.text = tongue->Canned(k, kReplyFallback);
    return reply;
  }
  std::string entity = r.entity;
  if (int e = k.gazetteer().Find(r.entity); e >= 0) {
    const Entity& named = k.gazetteer().entities()[static_cast<size_t>(e)];
    entity = named.name;
    // The entity's name in the reply's language, when the gazetteer has it.
    if (auto it = named.display.find(tongue->lang()); it != named.display.end()) {
      entity = it->second;
    }
  }
  const std::string and_word = tongue->Canned(k, kReplyAnd);
  const std::string known = r.code == "unknown_number" ? JoinList(v.known_ordinals, and_word)
                                                       : YearList(v.known_years, and_word);
  reply.text = Fill(Fill(Fill(Fill(*text, "entity", entity), "year", std::to_string(r.year)),
                         "number", r.number),
                    "known", known);
  return reply;
}

// Writes the winner's answer into `*out` (a fresh Reply: written in
// place, not moved there).
void Render(const Knowledge& k, const Candidate& c, const std::string& normalized, Tongue* tongue,
            Reply* out) {
  const Intent& intent = k.intents().intents()[c.intent];
  const AnswerSpec& a = intent.answer;
  Reply& reply = *out;
  reply.intent = intent.id;
  reply.captures = c.captures;
  reply.fallback = a.fallback;
  if (!a.facts_by_year.empty()) {
    auto it = c.captures.find(a.facts_by_year);
    const int year = CapturedYear(c.captures, a.facts_by_year);
    auto facts = k.facts().InYear(year);
    if (facts.empty()) {
      std::string said = it != c.captures.end() ? it->second : std::to_string(year);
      Reply none = Fallback(k, normalized,
                            Fill(tongue->Canned(k, kReplyNoFactsInYear), "year", said),
                            tongue);
      none.intent = intent.id;
      none.captures = c.captures;
      reply = std::move(none);
      return;
    }
    reply.text = Fill(tongue->Canned(k, kReplyInYear), "year", std::to_string(year));
    for (const Fact* f : facts) {
      AppendSentence(k, *f, tongue, &reply.text);
      AddFact(*f, &reply);
    }
    return;
  }
  if (!a.facts.empty()) {
    const auto& facts = k.answer_facts(c.intent);
    size_t length = 0;
    for (const Fact* f : facts) length += f->text.size() + 24;  // + space, "As of YYYY, "
    reply.text.reserve(length);
    for (const Fact* f : facts) {
      AppendSentence(k, *f, tongue, &reply.text);
      AddFact(*f, &reply);
    }
    return;
  }
  for (const TemplatePart& p : tongue->Template(k, c.intent)) {
    switch (p.kind) {
      case TemplatePart::Kind::kLiteral:
        reply.text += p.value;
        break;
      case TemplatePart::Kind::kCapture: {
        auto it = c.captures.find(p.value);
        if (it != c.captures.end()) reply.text += it->second;
        break;
      }
      case TemplatePart::Kind::kFact:
        if (const Fact* f = k.facts().Find(p.value)) {
          tongue->AppendFact(k, *f, &reply.text);
          AddFact(*f, &reply);
        }
        break;
    }
  }
}

// The reply's language: the caller's override, else the question's (a
// Ukrainian question is answered in English, with a note).
std::string ReplyLanguage(const Question& q, const LanguageGuess& guess) {
  if (IsReplyLanguage(q.lang)) return q.lang;
  return IsReplyLanguage(guess.lang) ? guess.lang : "en";
}

// Stamps the reply's languages and, for a Ukrainian question, the note.
void FinishLanguage(const Knowledge& k, const Question& q, const LanguageGuess& guess,
                    Tongue* tongue, Reply* reply) {
  reply->question_lang = IsReplyLanguage(q.lang) ? q.lang : guess.lang;
  if (reply->question_lang == "uk") {
    const std::string note = tongue->Canned(k, "ukrainian_note");
    if (!note.empty()) reply->text = note + " " + reply->text;
  }
  reply->lang = tongue->lang();
}

// `hint` is the language hint to use (the question's own, or a
// conversation's in its place). A `rereading` (another reading of a
// question, bot/core/rereading.h) is only ever taken when an intent
// answers it: when none matches, its fallback reply is never built.
Explanation Decide(const Knowledge& k, const Question& q, std::string_view hint, bool full,
                   QuestionScan* scan = nullptr, bool rereading = false) {
  Explanation e;
  e.normalized = Normalize(q.text, k.spellings());
  e.language = DetectLanguage(e.normalized, hint, full);
  if (full && IsReplyLanguage(q.lang)) e.language.evidence.push_back("the caller asked for " + q.lang);
  Tongue tongue(ReplyLanguage(q, e.language));
  // The limit is the user's, on what they sent: normalising may lengthen it
  // ("don't" -> "do not", an ellipsis -> "...").
  // (A code point is at least a byte: a short text needs no counting.)
  if (q.text.size() > kMaxQuestionLength && CountCodePoints(q.text) > kMaxQuestionLength) {
    if (rereading) return e;
    e.why = "the question is too long to match";
    e.reply = Fallback(k, "", tongue.Canned(k, kReplyFallback), &tongue);
    FinishLanguage(k, q, e.language, &tongue, &e.reply);
    return e;
  }
  // Buffers reused across questions on this thread (Match clears them):
  // no allocation per answer. Nothing below calls Decide again.
  thread_local std::vector<const CompiledPattern*> matched;
  thread_local std::vector<ExcludeHit> vetoes;
  k.Match(e.normalized, &matched, &vetoes);

  // One candidate per intent: its most specific matching pattern.
  std::vector<Candidate> ranked;
  ranked.reserve(matched.size());
  for (const CompiledPattern* cp : matched) {
    auto existing = std::find_if(ranked.begin(), ranked.end(), [&](const Candidate& c) {
      return c.intent == cp->intent;
    });
    if (existing != ranked.end()) {
      if (cp->specificity > existing->specificity) {
        existing->pattern = cp->index_in_intent;
        existing->specificity = cp->specificity;
      }
      continue;
    }
    Candidate c;
    c.intent = cp->intent;
    c.pattern = cp->index_in_intent;
    c.priority = k.intents().intents()[cp->intent].priority;
    c.specificity = cp->specificity;
    // The first of this intent's excludes that matched, if any.
    auto veto = std::find_if(vetoes.begin(), vetoes.end(),
                             [&](const ExcludeHit& x) { return x.intent == cp->intent; });
    if (veto != vetoes.end()) c.vetoed_by = veto->index_in_intent;
    ranked.push_back(std::move(c));
  }
  // The live ones first, each part in rank order: one sort (Outranks is a
  // strict total order on distinct intents), no buffer as a stable
  // partition takes.
  std::sort(ranked.begin(), ranked.end(), [](const Candidate& a, const Candidate& b) {
    if (a.vetoed_by.has_value() != b.vetoed_by.has_value()) return !a.vetoed_by;
    return Outranks(a, b);
  });
  const size_t live = static_cast<size_t>(
      std::find_if(ranked.begin(), ranked.end(), [](const Candidate& c) { return c.vetoed_by.has_value(); }) -
      ranked.begin());

  for (size_t i = 0; i < ranked.size(); ++i) {
    if (!full && i > 0) break;
    if (i >= live && !full) break;
    Candidate& c = ranked[i];
    const CompiledPattern& p = k.pattern(c.intent, c.pattern);
    if (const RE2* re = p.named_groups ? p.re() : nullptr) c.captures = Captures(*re, e.normalized);
  }

  if (live == 0 && rereading) return e;  // not taken: its reply is never read
  if (live == 0) {
    e.why = ranked.empty() ? "no intent matched" : "every matching intent was vetoed";
    e.reply = Fallback(k, e.normalized, tongue.Canned(k, kReplyFallback), &tongue);
  } else {
    size_t chosen = 0;
    // Grounding: the answer's facts must be about what the question names
    // and asks; else an honest refusal instead of a near answer.
    std::vector<const Fact*> storage;
    const std::vector<const Fact*>* stated = &StatedFacts(k, ranked[0], &storage);
    GroundingVerdict verdict;
    if (!stated->empty()) {
      verdict = k.grounding().Check(e.normalized, *stated, full, scan ? &scan->hits : nullptr);
      if (scan) scan->scanned = true;
    }
    // A refused winner yields to the best-ranked live candidate whose facts
    // do carry what the question names and asks ("the SALW project" names
    // an entity the bodies' facts do not mention, the SALW intent's do):
    // the question's shape matched both, its content only the other. Only
    // a refusal over what the question names does: an unknown entity, or
    // an unknown detail of a question that names an entity (beyond Belarus
    // and the OSCE) the other's facts must then mention. A detail or a year
    // alone says the topic was right and the source silent on it; another
    // topic that happens to carry a head or a year would answer a question
    // nobody asked. A candidate that states no facts (small talk, a
    // deliberate fallback) never takes over; the refusal stands when none
    // passes.
    std::vector<const Fact*> other_storage;
    bool yields = verdict.refusal && verdict.refusal->code == "unknown_entity";
    if (verdict.refusal && verdict.refusal->code == "detail_unknown") {
      for (int named : k.gazetteer().EntitiesIn(e.normalized)) {
        yields |= !k.gazetteer().entities()[static_cast<size_t>(named)].in_scope;
      }
    }
    for (size_t i = 1; yields && i < live; ++i) {
      Candidate& c = ranked[i];
      if (!full) {
        const CompiledPattern& p = k.pattern(c.intent, c.pattern);
        if (const RE2* re = p.named_groups ? p.re() : nullptr) c.captures = Captures(*re, e.normalized);
      }
      const std::vector<const Fact*>& other = StatedFacts(k, c, &other_storage);
      if (other.empty()) continue;
      GroundingVerdict again = k.grounding().Check(e.normalized, other, full);
      if (again.refusal) continue;
      chosen = i;
      verdict = std::move(again);
      stated = &other;  // the Knowledge's or other_storage, alive to the end
      break;
    }
    e.winner = chosen;
    const Candidate& w = ranked[chosen];
    if (verdict.refusal) {
      e.reply = Refusal(k, verdict, &tongue);
    } else {
      Render(k, w, e.normalized, &tongue, &e.reply);
    }
    if (full && !stated->empty()) e.grounding = std::move(verdict);
  }
  FinishLanguage(k, q, e.language, &tongue, &e.reply);
  // Only Explain shows why; Answer is the hot path and skips the strings.
  if (full && live > 0) {
    const Candidate& w = ranked[*e.winner];
    const std::string& id = k.intents().intents()[w.intent].id;
    e.concepts = MatchedConcepts(k.intents().intents()[w.intent].patterns[w.pattern].text,
                                 k.lexicon(), e.normalized);
    if (*e.winner > 0) {
      const std::string& rid = k.intents().intents()[ranked[0].intent].id;
      e.why = "`" + id + "` answers in place of `" + rid +
              "`, which outranks it but whose facts grounding refused";
    } else if (live == 1) {
      e.why = "`" + id + "` is the only intent that matched";
    } else {
      const std::string& rid = k.intents().intents()[ranked[1].intent].id;
      e.why = "`" + id + "` wins over `" + rid + "` by " + WhyOutranks(w, ranked[1]);
    }
  }
  if (full) e.candidates = std::move(ranked);
  return e;
}

// Decide, and when no intent matched, the first other reading of the
// question that is answered (typos, Latin-typed Russian or Belarusian).
Explanation DecideOrReread(const Knowledge& k, const Question& q, std::string_view hint,
                           bool full, QuestionScan* scan = nullptr) {
  Explanation e = Decide(k, q, hint, full, scan);
  if (e.winner || CountCodePoints(q.text) > kMaxQuestionLength) return e;
  for (Rereading& r : Rereadings(k.vocabulary(), k.spellings(), q.text, e.normalized,
                                      e.reply.question_lang)) {
    Question again = q;
    again.text = std::move(r.text);
    if (scan) scan->hits.clear();
    Explanation other = Decide(k, again, hint, full, scan, /*rereading=*/true);
    if (!other.winner || other.reply.fallback) continue;
    other.reread = std::move(r.how);
    return other;
  }
  if (scan) {
    scan->scanned = false;
    scan->hits.clear();
  }
  return e;
}

}  // namespace

RankRule DecidingRule(const Candidate& a, const Candidate& b) {
  if (a.priority != b.priority) return RankRule::kPriority;
  if (a.specificity != b.specificity) return RankRule::kSpecificity;
  return RankRule::kFileOrder;
}

bool Outranks(const Candidate& a, const Candidate& b) {
  switch (DecidingRule(a, b)) {
    case RankRule::kPriority:
      return a.priority > b.priority;
    case RankRule::kSpecificity:
      return a.specificity > b.specificity;
    case RankRule::kFileOrder:
      break;
  }
  return a.intent < b.intent;
}

std::string WhyOutranks(const Candidate& w, const Candidate& l) {
  switch (DecidingRule(w, l)) {
    case RankRule::kPriority:
      return "higher priority (" + std::to_string(w.priority) + " > " +
             std::to_string(l.priority) + ")";
    case RankRule::kSpecificity:
      return "more specific pattern (" + std::to_string(w.specificity) + " > " +
             std::to_string(l.specificity) + " literal characters)";
    case RankRule::kFileOrder:
      break;
  }
  return "same priority and specificity, earlier in file order";
}

Reply Answer(const Knowledge& knowledge, const Question& question) {
  return DecideOrReread(knowledge, question, question.lang_hint, false).reply;
}

Reply Answer(const Knowledge& knowledge, const Question& question, QuestionScan* scan) {
  return Answer(knowledge, question, scan, question.lang_hint);
}

Reply Answer(const Knowledge& knowledge, const Question& question, QuestionScan* scan,
             std::string_view lang_hint) {
  scan->scanned = false;
  scan->hits.clear();
  Explanation e = DecideOrReread(knowledge, question, lang_hint, false, scan);
  scan->normalized = std::move(e.normalized);
  return std::move(e.reply);
}

Explanation Explain(const Knowledge& knowledge, const Question& question) {
  return DecideOrReread(knowledge, question, question.lang_hint, true);
}

}  // namespace bot::core
