#include "bot/core/conversation.h"

#include <algorithm>

#include "bot/core/language.h"
#include "bot/core/normalizer.h"

namespace bot::core {

size_t ConversationContext::ApproximateBytes() const {
  size_t bytes = sizeof(*this) + intent.capacity() + question.capacity() + detail.capacity() +
                 lang.capacity() + pending.capacity();
  for (const auto* list : {&entities, &answer_entities, &facts}) {
    bytes += list->capacity() * sizeof(std::string);
    for (const std::string& s : *list) bytes += s.capacity();
  }
  return bytes;
}

void swap(ConversationContext& a, ConversationContext& b) noexcept {
  a.intent.swap(b.intent);
  a.question.swap(b.question);
  a.entities.swap(b.entities);
  a.answer_entities.swap(b.answer_entities);
  a.facts.swap(b.facts);
  a.detail.swap(b.detail);
  a.lang.swap(b.lang);
  std::swap(a.turns, b.turns);
  a.pending.swap(b.pending);
}

namespace {

bool IsCyrillic(std::string_view s) {
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == 0xD0 || c == 0xD1) return true;
  }
  return false;
}

bool Personal(std::string_view kind) {
  return kind == "male" || kind == "female" || kind == "neuter" || kind == "thing" ||
         kind == "plural";
}

// Whether a pronoun of `kind` can refer to `e` in a question in `lang`:
// English he/she name people, Russian and Belarusian pronouns follow the
// grammatical gender of the name ("офис" is masculine, "миссия" feminine).
bool Agrees(const Entity& e, std::string_view kind, const std::string& lang) {
  const bool person = e.kind == "person";
  if (kind == "any") return true;
  if (kind == "thing") return !person;
  if (kind == "male" || kind == "female") {
    const char* g = kind == "male" ? "m" : "f";
    if (person) return e.gender.empty() || e.gender == g;
    if (lang == "en") return false;
    // Masculine and neuter share their oblique forms (его, яго, ему).
    return e.gender == g || (kind == "male" && e.gender == "n");
  }
  if (kind == "neuter") return !person && (e.gender.empty() || e.gender == "n");
  // People, or organisations spoken of as their members; not a city or a
  // document. In Russian and Belarusian, no singular grammatical gender.
  if (kind == "plural") {
    if (person || e.gender == "pl") return true;
    if (lang == "en") return e.kind == "organisation" || e.kind == "body" || e.kind == "country";
    return e.gender.empty() && e.kind != "city" && e.kind != "document";
  }
  return false;
}

struct Ref {
  size_t begin = 0, end = 0;
  std::string_view kind;  // a `follow_up` value (the Knowledge's)
};

// What the question's follow-up words are: pronouns and demonstratives
// anywhere, an opener only where the question starts.
struct Markers {
  std::vector<Ref> refs;
  std::optional<Ref> opener;
  // The question opens with a change of topic ("Unrelated:", "Другой
  // вопрос:"): its pronouns are its own, not the last turn's.
  bool new_topic = false;
};

// The markers among `hits`, the lexicon's terms in `normalized`.
Markers MarkersIn(const Knowledge& k, std::string_view normalized,
                  const std::vector<Lexicon::Hit>& hits) {
  Markers m;
  std::optional<size_t> first_word;  // where the first word begins, found when needed
  for (const Lexicon::Hit& h : hits) {
    const std::string& kind = k.lexicon().concepts()[static_cast<size_t>(h.concept_index)].follow_up;
    if (kind.empty()) continue;
    if (kind == "opener" || kind == "new_topic") {
      if (!first_word) {
        const std::vector<WordSpan> words = SplitWords(normalized);
        first_word = words.empty() ? std::string_view::npos : words.front().begin;
      }
      if (h.begin != *first_word) continue;
      if (kind == "opener") m.opener = Ref{h.begin, h.end, kind};
      if (kind == "new_topic") m.new_topic = true;
      continue;
    }
    m.refs.push_back({h.begin, h.end, kind});
  }
  return m;
}

Markers FindMarkers(const Knowledge& k, std::string_view normalized) {
  return MarkersIn(k, normalized, k.lexicon().Hits(normalized));
}

// Without spaces around, nor the closing punctuation of a sentence, so
// readings join into one question.
std::string_view TrimView(std::string_view s) {
  const size_t e = s.find_last_not_of(" ?!.,;");
  if (e == std::string_view::npos) return {};
  s = s.substr(0, e + 1);
  const size_t b = s.find_first_not_of(" ,");
  if (b == std::string_view::npos) return {};
  return s.substr(b);
}

std::string Trim(std::string_view s) { return std::string(TrimView(s)); }

// `text` cut to at most `limit` bytes, at a space.
std::string_view CutAtWordView(std::string_view text, size_t limit) {
  if (text.size() <= limit) return text;
  size_t at = text.rfind(' ', limit);
  return text.substr(0, at == std::string_view::npos ? 0 : at);
}

std::string CutAtWord(std::string_view text, size_t limit) {
  return std::string(CutAtWordView(text, limit));
}

int EntityIndex(const Knowledge& k, const std::string& id) { return k.gazetteer().Find(id); }

// The words to put in place of a pronoun for entity `e`: as the last
// question named it, else its first name in the question's script.
std::string MentionOf(const Knowledge& k, int e, const std::string& last_question,
                      const std::string& lang) {
  for (const PhraseMatcher::Match& m : k.gazetteer().Mentions(last_question)) {
    if (m.id == e) return last_question.substr(m.begin, m.end - m.begin);
  }
  const Entity& entity = k.gazetteer().entities()[static_cast<size_t>(e)];
  const bool cyrillic = lang != "en";
  for (int pass = 0; pass < 2; ++pass) {
    for (const std::string& name : entity.names) {
      const bool stem = name.find('*') != std::string::npos;
      if (IsCyrillic(name) != cyrillic || stem != (pass == 1)) continue;
      std::string plain = name;
      plain.erase(std::remove(plain.begin(), plain.end(), '*'), plain.end());
      return plain;
    }
  }
  std::string name = Normalize(entity.name, k.spellings());
  if (name.rfind("the ", 0) == 0) name.erase(0, 4);
  return name;
}

// Whether `question` asks what came before or after something ("what came
// after the AMG?"): its answer is about another entity than the one named.
bool AsksOrder(const Knowledge& k, std::string_view question) {
  const int before = k.lexicon().Find("before");
  const int after = k.lexicon().Find("after");
  if (before < 0 && after < 0) return false;
  const std::vector<Lexicon::Hit> hits = k.lexicon().Hits(question);
  return std::any_of(hits.begin(), hits.end(), [&](const Lexicon::Hit& h) {
    return h.concept_index == before || h.concept_index == after;
  });
}

// Entities a pronoun of `kind` may mean, from the most salient group that
// has any: what the last question named (other than Belarus and the
// OSCE), what its answer mentioned, then Belarus or the OSCE themselves.
// After a question for what came before or after something, what its
// answer mentioned comes first: "that one" after "what came after the
// AMG?" is the office that followed, not the AMG.
std::vector<int> Candidates(const Knowledge& k, const ConversationContext& c,
                            std::string_view kind, const std::string& lang) {
  const auto& all = k.gazetteer().entities();
  auto pick = [&](const std::vector<std::string>& ids, int in_scope) {
    std::vector<int> out;
    for (const std::string& id : ids) {
      const int e = EntityIndex(k, id);
      if (e < 0) continue;
      const Entity& entity = all[static_cast<size_t>(e)];
      if (static_cast<int>(entity.in_scope) != in_scope || !Agrees(entity, kind, lang)) continue;
      if (std::find(out.begin(), out.end(), e) == out.end()) out.push_back(e);
    }
    return out;
  };
  const bool answer_first = !c.answer_entities.empty() && AsksOrder(k, c.question);
  for (auto group : {answer_first ? pick(c.answer_entities, 0) : pick(c.entities, 0),
                     answer_first ? pick(c.entities, 0) : pick(c.answer_entities, 0),
                     pick(c.entities, 1)}) {
    if (group.empty()) continue;
    // "they", "he", "she": people before the organisations they stand for.
    if (kind == "plural" || kind == "male" || kind == "female") {
      std::stable_partition(group.begin(), group.end(), [&](int e) {
        return all[static_cast<size_t>(e)].kind == "person";
      });
    }
    return group;
  }
  return {};
}

std::string Replace(const std::string& text, size_t begin, size_t end, const std::string& with) {
  return Trim(text.substr(0, begin) + with + text.substr(end));
}

// Fills what a context's question and facts imply: the entities the
// question names and those the facts mention, the detail asked. Done only
// when a follow-up needs them (or to explain), not on every answer.
// `mentions` and `hits`, when given, are those of the question.
void Derive(const Knowledge& k, ConversationContext* c,
            const std::vector<PhraseMatcher::Match>* mentions = nullptr,
            const std::vector<Lexicon::Hit>* hits = nullptr) {
  if (!c->entities.empty() || !c->answer_entities.empty() || !c->detail.empty()) return;
  const auto& all = k.gazetteer().entities();
  std::vector<PhraseMatcher::Match> found;
  if (!mentions) {
    found = k.gazetteer().Mentions(c->question);
    mentions = &found;
  }
  for (const PhraseMatcher::Match& m : *mentions) {
    const std::string& id = all[static_cast<size_t>(m.id)].id;
    if (c->entities.size() < kMaxContextEntities &&
        std::find(c->entities.begin(), c->entities.end(), id) == c->entities.end()) {
      c->entities.push_back(id);
    }
  }
  const auto& facts = k.facts().facts();
  for (const std::string& id : c->facts) {
    const Fact* fact = k.facts().Find(id);
    if (!fact) continue;
    for (int e : k.grounding().entities_of(static_cast<size_t>(fact - facts.data()))) {
      const Entity& entity = all[static_cast<size_t>(e)];
      if (entity.in_scope || c->answer_entities.size() == kMaxContextEntities) continue;
      if (std::find(c->entities.begin(), c->entities.end(), entity.id) != c->entities.end()) continue;
      if (std::find(c->answer_entities.begin(), c->answer_entities.end(), entity.id) !=
          c->answer_entities.end()) {
        continue;
      }
      c->answer_entities.push_back(entity.id);
    }
  }
  const DetailSet asked = k.lexicon().Asked(hits ? *hits : k.lexicon().Hits(c->question));
  for (size_t d = 0; d < k.lexicon().details().size() && d < 64; ++d) {
    if (asked & (DetailSet{1} << d)) {
      c->detail = k.lexicon().details()[d];
      break;
    }
  }
}

// What the bot remembers after answering `read` with `reply`: the intent,
// the question as read, the facts (Derive adds the rest when needed).
// Written into `*out`, every field assigned, so the storage `*out` already
// holds (a context handed back by the store) is reused.
void After(const Knowledge& k, const ConversationContext& previous, std::string_view read,
           const Reply& reply, const std::string& lang, bool derive, ConversationContext* out) {
  // A fallback never erases the context; small talk states no facts and
  // keeps it too.
  if (reply.fallback || !reply.intent || reply.facts.empty()) {
    *out = previous;
    out->pending.clear();
    return;
  }
  ConversationContext& c = *out;
  c.entities.clear();
  c.answer_entities.clear();
  c.detail.clear();
  c.pending.clear();
  c.intent.assign(*reply.intent);
  c.question.assign(CutAtWordView(TrimView(read), kMaxContextQuestionBytes));
  c.lang.assign(lang);
  c.turns = previous.turns + 1;
  const size_t n = std::min(reply.facts.size(), kMaxContextFacts);
  c.facts.resize(n);  // strings kept, then assigned: their buffers reused
  for (size_t i = 0; i < n; ++i) c.facts[i].assign(reply.facts[i].id);
  if (derive) Derive(k, &c);
}

std::string FactKey(const Reply& r) {
  std::string key;
  for (const FactRef& f : r.facts) key += f.id + " ";
  return key;
}

std::string Fill(std::string text, const std::string& slot, const std::string& value) {
  const std::string s = "{" + slot + "}";
  for (size_t at = text.find(s); at != std::string::npos; at = text.find(s, at + value.size())) {
    text.replace(at, s.size(), value);
  }
  return text;
}

void Converse(const Knowledge& k, const Question& q, const ConversationContext& context,
              bool explain, Turn* out) {
  // The conversation's language decides a short or ambiguous question
  // ("2017?"); a channel's language code only when there is none yet.
  const bool rehint = !context.lang.empty() && context.lang != q.lang_hint;
  const std::string_view hint = rehint ? std::string_view(context.lang) : std::string_view(q.lang_hint);
  auto ask = [&](const Question& rq) {
    if (explain) return Explain(k, rq);
    Explanation e;
    e.reply = Answer(k, rq);
    return e;
  };
  Turn& t = *out;
  t.reading = "alone";
  t.tried.clear();
  t.explanation.reset();
  // The question on its own, answered into the turn (every path that
  // answers otherwise returns at once). Answering hands back what it found
  // in the question (its normalised text, the lexicon's terms), so the
  // common case of a question that stands alone costs no second scan.
  std::optional<Explanation> own;  // explain only
  QuestionScan& scan = t.scan;
  if (explain) {
    Question hinted = q;  // explaining is not the hot path: a copy will do
    hinted.lang_hint = std::string(hint);
    own = Explain(k, hinted);
    scan.normalized = own->normalized;
    scan.scanned = false;
    scan.hits.clear();
    t.reply = own->reply;
  } else {
    t.reply = Answer(k, q, &scan, hint);
  }
  const Reply& mine = t.reply;
  const std::string& normalized = scan.normalized;
  // The language the question is in ("en", "ru", "be", "uk"): pronouns
  // agree by its grammar, and every reading is answered in it.
  const std::string lang = mine.question_lang;
  const bool caller_lang = IsReplyLanguage(q.lang);
  auto ask_as = [&](const std::string& text) {
    Question rq{text, q.session, q.channel};
    rq.lang = caller_lang ? q.lang : IsReplyLanguage(lang) ? lang : "";
    rq.lang_hint = lang;
    Explanation e = ask(rq);
    // The reading is answered in the question's language as a caller's
    // override would be; the explanation says where it came from.
    if (explain && !caller_lang && !rq.lang.empty()) {
      for (std::string& why : e.language.evidence) {
        if (why == "the caller asked for " + rq.lang) {
          why = "the conversation: the follow-up was asked in " + rq.lang +
                ", so its reading is answered in it";
        }
      }
    }
    return e;
  };
  std::vector<Lexicon::Hit>& hits = scan.hits;  // of the question, found once
  auto alone = [&](const char* reading) {
    t.reading = reading;
    After(k, context, normalized, t.reply, lang, explain, &t.next);
    if (explain) t.explanation = std::move(*own);
  };
  if (context.empty()) return alone("alone");

  if (!scan.scanned) {
    hits = k.lexicon().Hits(normalized);
    scan.scanned = true;
  }
  const Markers markers = MarkersIn(k, normalized, hits);
  if (markers.new_topic) return alone(mine.fallback ? "fallback" : "alone");
  // An answered question without a personal pronoun stands on its own: the
  // common case costs one scan of the question's words.
  if (!mine.fallback && std::none_of(markers.refs.begin(), markers.refs.end(),
                                          [](const Ref& r) { return Personal(r.kind); })) {
    return alone("alone");
  }
  if (q.text.size() > kMaxQuestionLength && CountCodePoints(q.text) > kMaxQuestionLength) {
    return alone("alone");
  }
  const auto& entities = k.gazetteer().entities();
  std::vector<int> named;  // entities the question names, other than Belarus and the OSCE
  for (const PhraseMatcher::Match& m : k.gazetteer().Mentions(normalized)) {
    if (!entities[static_cast<size_t>(m.id)].in_scope) named.push_back(m.id);
  }
  // A personal pronoun makes the question lean on the last turn unless the
  // question names someone it can mean itself ("Who is Makei and what did
  // he sign?"); demonstratives and openers only when it is not understood.
  bool leans = false;
  for (const Ref& r : markers.refs) {
    if (!Personal(r.kind)) continue;
    leans = std::none_of(named.begin(), named.end(), [&](int e) {
      return Agrees(entities[static_cast<size_t>(e)], r.kind, lang);
    });
    if (leans) break;
  }
  if (!mine.fallback && !leans) return alone("alone");

  std::string fragment = Trim(normalized);
  if (markers.opener) fragment = Trim(normalized.substr(markers.opener->end));
  if (fragment.empty()) return alone("fallback");

  auto answered = [&](Explanation e, const std::string& read, const std::string& how) {
    t.reading = how;
    t.reply = std::move(e.reply);
    t.reply.read_as = read;
    After(k, context, read, t.reply, lang, explain, &t.next);
    if (explain) t.explanation = std::move(e);
  };
  auto tried = [&](const std::string& how, const std::string& read) {
    if (explain) t.tried.push_back(how + ": " + read);
  };
  // What the last turn's question and facts imply, found now that a
  // reading needs it.
  ConversationContext last = context;
  Derive(k, &last);
  if (explain) {
    std::string e = "context entities:";
    for (const auto& id : last.entities) e += " " + id;
    if (!last.answer_entities.empty()) e += " | answer:";
    for (const auto& id : last.answer_entities) e += " " + id;
    t.tried.push_back(e);
  }

  // The answer to "which one?": the pending question with the pronoun
  // bound to the entity this turn names.
  if (!context.pending.empty() && !named.empty()) {
    const std::string pending = Normalize(context.pending, k.spellings());
    const Markers pm = FindMarkers(k, pending);
    std::string p = pm.opener ? Trim(pending.substr(pm.opener->end)) : pending;
    const Markers pr = FindMarkers(k, p);
    if (!pr.refs.empty()) {
      const Ref& r = pr.refs.front();
      const std::string read =
          Replace(p, r.begin, r.end, MentionOf(k, named.front(), normalized, lang));
      tried("choice", read);
      Explanation e = ask_as(read);
      if (!e.reply.fallback) return answered(std::move(e), read, "choice");
    }
  }

  // Readings, most specific first; the first one answered wins. The first
  // one grounding refused says why when none is answered.
  std::vector<std::pair<std::string, std::string>> readings;  // (how, text)
  std::optional<std::pair<Explanation, std::string>> refusal;
  const Markers in_fragment = FindMarkers(k, fragment);
  std::optional<Ref> ref;
  for (const Ref& r : in_fragment.refs) {
    if (Personal(r.kind)) {
      ref = r;
      break;
    }
  }
  if (!ref && !in_fragment.refs.empty()) ref = in_fragment.refs.front();
  // A reference the question can resolve itself ("the Assembly ... before
  // that") is not bound to the last turn.
  if (ref && std::any_of(named.begin(), named.end(), [&](int e) {
        return Agrees(entities[static_cast<size_t>(e)], ref->kind, lang);
      })) {
    ref.reset();
  }
  if (ref) {
    std::vector<int> candidates = Candidates(k, last, ref->kind, lang);
    // A plural pronoun may mean them all; one of them stands for the group.
    if (ref->kind == "plural" && candidates.size() > 1) candidates.resize(1);
    constexpr size_t kMaxCandidates = 3;
    if (candidates.size() > kMaxCandidates) candidates.resize(kMaxCandidates);
    std::vector<std::pair<Explanation, std::string>> good;
    std::vector<int> meant;
    for (int e : candidates) {
      std::string read = Replace(fragment, ref->begin, ref->end,
                                 MentionOf(k, e, context.question, lang));
      tried("pronoun", read);
      Explanation ex = ask_as(read);
      if (ex.reply.fallback) {
        if (ex.reply.reason && !refusal) refusal.emplace(std::move(ex), read);
        continue;
      }
      good.emplace_back(std::move(ex), std::move(read));
      meant.push_back(e);
    }
    if (!good.empty()) {
      const std::string first = FactKey(good.front().first.reply);
      const bool same = std::all_of(good.begin(), good.end(), [&](const auto& g) {
        return FactKey(g.first.reply) == first;
      });
      if (same) return answered(std::move(good.front().first), good.front().second, "pronoun");
      // Two entities could be meant and the answers differ: ask which.
      t.reading = "ambiguous";
      t.reply = Reply{};
      t.reply.fallback = true;
      t.reply.reason = ReplyReason{"ambiguous", "", 0, "", ""};
      std::string names;
      for (int e : meant) {
        // The name in the question's language, when the gazetteer has it.
        const Entity& entity = entities[static_cast<size_t>(e)];
        auto shown = entity.display.find(lang);
        const std::string& name = shown == entity.display.end() ? entity.name : shown->second;
        t.reply.choices.push_back(name);
        names += (names.empty() ? "" : " / ") + name;
      }
      std::string used = "en";
      const std::string* text = k.ReplyText("ambiguous", lang, &used);
      t.reply.text = text ? Fill(*text, "choices", names) : names + "?";
      t.reply.lang = used;
      t.reply.question_lang = lang;
      t.next = context;
      t.next.pending = CutAtWord(q.text, kMaxContextQuestionBytes);
      return;
    }
  }
  // Completing the question with the last one is for fragments: a question
  // that opens with "and"/"what about", has a pronoun or demonstrative, or
  // is a few words that ask something or name something ("since when?",
  // "где именно?"). A whole question the bot does not know ("what is the
  // weather?") is not made about the last topic.
  const size_t kMaxFragmentWords = 4;
  bool asks = false;
  for (const Lexicon::Hit& h : hits) {
    const Concept& c = k.lexicon().concepts()[static_cast<size_t>(h.concept_index)];
    if (c.interrogative || !c.asks_for.empty()) asks = true;
  }
  const bool fragmentary = markers.opener || !markers.refs.empty() ||
                           (SplitWords(fragment).size() <= kMaxFragmentWords &&
                            (asks || !named.empty()));
  if (!fragmentary) return alone(mine.fallback ? "fallback" : "alone");
  if (!named.empty()) {
    for (const PhraseMatcher::Match& m : k.gazetteer().Mentions(context.question)) {
      if (entities[static_cast<size_t>(m.id)].in_scope) continue;
      readings.push_back({"entity", Replace(context.question, m.begin, m.end, fragment)});
      break;
    }
  }
  if (!context.question.empty()) {
    readings.push_back({"ellipsis", fragment + " " + Trim(context.question)});
  }
  for (auto& [how, read] : readings) {
    tried(how, read);
    Explanation e = ask_as(read);
    if (!e.reply.fallback) return answered(std::move(e), read, how);
    if (e.reply.reason && !refusal) refusal.emplace(std::move(e), read);
  }
  // Nothing read with the context answered. A question that leans on it
  // gets the reason a reading was refused ("no information about Astana");
  // else its own reply. The context stays for the next turn either way.
  if (mine.fallback && !mine.reason && refusal) {
    answered(std::move(refusal->first), refusal->second, "fallback");
    t.next = context;
    t.next.pending.clear();
    return;
  }
  return alone(mine.fallback ? "fallback" : "alone");
}

}  // namespace

Turn AnswerTurn(const Knowledge& knowledge, const Question& question,
                const ConversationContext& context) {
  Turn t;
  Converse(knowledge, question, context, false, &t);
  return t;
}

void AnswerTurn(const Knowledge& knowledge, const Question& question,
                const ConversationContext& context, Turn* turn) {
  Converse(knowledge, question, context, false, turn);
}

Turn ExplainTurn(const Knowledge& knowledge, const Question& question,
                 const ConversationContext& context) {
  Turn t;
  Converse(knowledge, question, context, true, &t);
  return t;
}

}  // namespace bot::core
