#include "bot/core/knowledge.h"

#include <algorithm>
#include <set>

#include "bot/core/concept_pattern.h"
#include "bot/core/language.h"
#include "bot/core/normalizer.h"
#include "bot/core/pattern_specificity.h"

namespace bot::core {

namespace {

// Where byte `offset` of `text` is in the file (the text's own place when
// the file does not hold it byte for byte).
SourceLocation Inside(const LocatedText& text, size_t offset) {
  SourceLocation where = text.where;
  if (text.text_column <= 0) return where;
  int column = text.text_column;
  for (size_t i = 0; i < offset && i < text.text.size(); ++i) {
    if ((static_cast<unsigned char>(text.text[i]) & 0xC0) != 0x80) ++column;
  }
  where.column = column;
  return where;
}

// Grounding reads concepts with these roles, so they need no pattern.
bool HasRole(const Concept& c) {
  return !c.asks_for.empty() || !c.marks.empty() || c.interrogative || !c.follow_up.empty() ||
         c.name == "relative_time" || c.name == "before" || c.name == "after";
}

}  // namespace

std::shared_ptr<const Knowledge> Knowledge::Build(std::vector<Fact> facts,
                                                  std::vector<Intent> intents,
                                                  std::vector<Diagnostic>* diagnostics) {
  KnowledgeParts parts;
  parts.facts = std::move(facts);
  parts.intents = std::move(intents);
  return Build(std::move(parts), diagnostics);
}

const std::string* Knowledge::ReplyText(std::string_view key, std::string_view lang,
                                        std::string* used) const {
  auto it = replies_.find(key);
  if (it == replies_.end()) return nullptr;
  for (const std::string& l : ReplyLanguageChain(lang)) {
    auto text = it->second.find(l);
    if (text == it->second.end()) continue;
    if (used) *used = l;
    return &text->second;
  }
  return nullptr;
}

std::shared_ptr<const Knowledge> Knowledge::Build(KnowledgeParts parts,
                                                  std::vector<Diagnostic>* diagnostics) {
  std::shared_ptr<Knowledge> k(new Knowledge());
  k->version_ = std::move(parts.version);
  // Spellings first: every name, term and word list below is normalised.
  k->spellings_ = Spellings::Build(std::move(parts.spellings), diagnostics);
  k->facts_ = FactBase::Build(std::move(parts.facts), diagnostics);
  k->intents_ = IntentSet::Build(std::move(parts.intents), k->facts_, diagnostics);
  k->gazetteer_ = Gazetteer::Build(std::move(parts.entities), k->spellings_, diagnostics);
  k->lexicon_ = Lexicon::Build(std::move(parts.concepts), k->spellings_, diagnostics);
  k->grounding_ = GroundingIndex::Build(k->facts_, k->gazetteer_, k->lexicon_, k->spellings_, diagnostics);
  k->replies_ = std::move(parts.replies);
  k->reply_where_ = std::move(parts.reply_where);
  for (const std::string& w : parts.stop_words) k->stop_words_.insert(Normalize(w, k->spellings_));
  for (const LocatedText& q : parts.unrelated_questions) {
    k->unrelated_questions_.push_back(Normalize(q.text, k->spellings_));
  }
  if (!parts.replies_file.empty()) {
    for (const char* key : {kReplyFallback, kReplyDidYouMean, kReplyInYear, kReplyNoFactsInYear,
                            kReplyAsOf, kReplyAnd, kReplyGreeting, kReplySlowDown}) {
      auto it = k->replies_.find(std::string_view(key));
      if (it != k->replies_.end() && it->second.count("en")) continue;
      Report(diagnostics, {parts.replies_file, 1, 1}, "missing-reply",
             std::string("replies.yaml has no English text for `") + key +
                 "`, which the bot says itself; add `" + key + ": {en: ...}` under `replies:`");
    }
  }
  // Each intent is suggested through its first example in the user's
  // language (be -> ru -> en when it has none in that language).
  k->suggestion_examples_.resize(k->intents_.intents().size());
  for (size_t i = 0; i < k->intents_.intents().size(); ++i) {
    const Intent& intent = k->intents_.intents()[i];
    if (intent.examples.empty()) continue;
    std::map<std::string, const std::string*> first;
    for (const LocatedText& e : intent.examples) {
      std::string lang = DetectLanguage(e.text, {}, false).lang;
      if (!first.count(lang)) first[lang] = &e.text;
    }
    for (const char* const* lang = kReplyLanguages; *lang; ++lang) {
      const std::string* example = &intent.examples.front().text;
      for (const std::string& l : ReplyLanguageChain(*lang)) {
        if (auto it = first.find(l); it != first.end()) {
          example = it->second;
          break;
        }
      }
      k->suggestion_examples_[i][*lang] = *example;
      if (k->suggestion_entities_.count(*example)) continue;
      std::vector<int> named;
      for (int e : k->gazetteer_.EntitiesIn(Normalize(*example, k->spellings_))) {
        if (!k->gazetteer_.entities()[static_cast<size_t>(e)].in_scope) named.push_back(e);
      }
      k->suggestion_entities_[*example] = std::move(named);
    }
  }

  const auto& all = k->intents_.intents();
  // `{concept}` references expand before anything reads a pattern.
  const std::vector<Concept>& concepts = k->lexicon_.concepts();
  std::vector<std::string> concept_names;
  for (const Concept& c : concepts) concept_names.push_back(c.name);
  std::vector<bool> used(concepts.size(), false);
  auto expand = [&](const LocatedText& p) {
    std::vector<ConceptRef> unknown;
    for (const ConceptRef& r : FindConceptRefs(p.text)) {
      const int c = k->lexicon_.Find(r.name);
      if (c >= 0) used[static_cast<size_t>(c)] = true;
    }
    std::string expanded = ExpandConcepts(p.text, k->lexicon_, &unknown);
    for (const ConceptRef& r : unknown) {
      const std::string near = NearestName(r.name, concept_names);
      diagnostics->push_back(
          {Diagnostic::Severity::kError, Inside(p, r.begin), "unknown-concept",
           "unknown concept `{" + r.name + "}`" +
               (near.empty() ? "; concepts are defined in intents/lexicon.yaml"
                             : "; did you mean `{" + near + "}`?")});
    }
    return expanded;
  };
  std::vector<std::string> texts;
  for (size_t i = 0; i < all.size(); ++i) {
    k->first_pattern_.push_back(static_cast<int>(k->patterns_.size()));
    for (size_t p = 0; p < all[i].patterns.size(); ++p) {
      texts.push_back(expand(all[i].patterns[p]));
      k->patterns_.push_back({static_cast<int>(k->patterns_.size()), static_cast<int>(i),
                              static_cast<int>(p), PatternSpecificity(texts.back())});
    }
  }
  // Excludes go into the same matcher, after the patterns.
  const int exclude_base = static_cast<int>(texts.size());
  for (size_t i = 0; i < all.size(); ++i) {
    for (size_t x = 0; x < all[i].exclude.size(); ++x) {
      k->excludes_.push_back({static_cast<int>(i), static_cast<int>(x)});
      texts.push_back(expand(all[i].exclude[x]));
    }
  }
  for (size_t c = 0; c < concepts.size(); ++c) {
    if (used[c] || HasRole(concepts[c])) continue;
    diagnostics->push_back({Diagnostic::Severity::kWarning, concepts[c].where, "unused-concept",
                            "concept `" + concepts[c].name +
                                "` is used by no pattern and has no role in grounding "
                                "(`asks_for`, `marks`, `interrogative`); reference it as `{" +
                                concepts[c].name + "}` or remove it"});
  }
  std::vector<PatternError> errors;
  k->matcher_ = Matcher::Compile(texts, &errors);
  for (const PatternError& e : errors) {
    if (e.index >= exclude_base) {
      const auto [intent, x] = k->excludes_[static_cast<size_t>(e.index - exclude_base)];
      diagnostics->push_back({Diagnostic::Severity::kError, all[intent].exclude[x].where,
                              "bad-pattern",
                              "invalid exclude pattern in intent `" + all[intent].id +
                                  "`: " + e.message});
      continue;
    }
    const CompiledPattern& cp = k->patterns_[e.index];
    const Intent& intent = all[cp.intent];
    SourceLocation where = intent.patterns[cp.index_in_intent].where;
    std::string message = "invalid pattern in intent `" + intent.id +
                          "`: " + e.message;
    if (!e.argument.empty()) {
      message += ": `" + e.argument + "`";
      size_t at = intent.patterns[cp.index_in_intent].text.find(e.argument);
      if (at != std::string::npos && where.column > 0) {
        message += " (at column " + std::to_string(where.column + 1 + at) + ")";
      }
    }
    diagnostics->push_back(
        {Diagnostic::Severity::kError, where, "bad-pattern", message});
  }

  for (CompiledPattern& cp : k->patterns_) {
    cp.matcher = k->matcher_.get();
    cp.ok = k->matcher_->usable(cp.id);
    const std::string& text = texts[static_cast<size_t>(cp.id)];
    cp.named_groups = text.find("(?P<") != std::string::npos || text.find("(?<") != std::string::npos;
  }

  k->templates_.resize(all.size());
  k->translated_templates_.resize(all.size());
  k->answer_facts_.resize(all.size());
  for (size_t i = 0; i < all.size(); ++i) {
    for (const LocatedText& id : all[i].answer.facts) {
      if (const Fact* f = k->facts_.Find(id.text)) k->answer_facts_[i].push_back(f);
    }
    std::vector<std::string> captures = k->CaptureNames(static_cast<int>(i));
    auto defined = [&](const std::string& name) {
      return std::find(captures.begin(), captures.end(), name) != captures.end();
    };
    const AnswerSpec& a = all[i].answer;
    if (!a.text.empty()) {
      std::string why;
      auto parts = ParseTemplate(a.text, &why);
      if (parts) {
        for (const TemplatePart& p : *parts) {
          if (p.kind == TemplatePart::Kind::kCapture && !defined(p.value)) {
            diagnostics->push_back(
                {Diagnostic::Severity::kError, a.text_where, "unknown-capture",
                 "answer of intent `" + all[i].id + "` uses `{" + p.value +
                     "}` but no pattern defines `(?P<" + p.value + ">...)`"});
          }
        }
        k->templates_[i] = std::move(*parts);
      }
      for (const auto& [lang, text] : a.text_translations) {
        // Its errors are IntentSet's to report; a bad one is left out.
        if (auto translated = ParseTemplate(text, &why)) {
          k->translated_templates_[i][lang] = std::move(*translated);
        }
      }
    }
    if (!a.facts_by_year.empty() && !defined(a.facts_by_year)) {
      diagnostics->push_back(
          {Diagnostic::Severity::kError, a.text_where, "unknown-capture",
           "`facts_by_year` of intent `" + all[i].id + "` names `" +
               a.facts_by_year + "` but no pattern defines `(?P<" +
               a.facts_by_year + ">...)`"});
    }
  }
  k->BuildSuggestionIndex();
  k->BuildVocabulary();
  return k;
}

const std::vector<TemplatePart>* Knowledge::answer_template(int intent,
                                                           const std::string& lang) const {
  if (lang == "en") return templates_[intent].empty() ? nullptr : &templates_[intent];
  const auto& translated = translated_templates_[intent];
  auto it = translated.find(lang);
  return it == translated.end() ? nullptr : &it->second;
}

const std::vector<int>& Knowledge::SuggestionEntities(const std::string& example) const {
  static const std::vector<int> kNone;
  auto it = suggestion_entities_.find(example);
  return it == suggestion_entities_.end() ? kNone : it->second;
}

void Knowledge::Match(std::string_view normalized, std::vector<const CompiledPattern*>* patterns,
                      std::vector<ExcludeHit>* excludes) const {
  // A buffer reused across questions on this thread: no allocation per answer.
  thread_local std::vector<int> flat;
  matcher_->Match(normalized, &flat);
  // Ascending: the patterns, then the excludes.
  patterns->clear();
  if (excludes) excludes->clear();
  const int base = static_cast<int>(patterns_.size());
  for (int m : flat) {
    if (m < base) {
      patterns->push_back(&patterns_[static_cast<size_t>(m)]);
    } else if (excludes) {
      excludes->push_back(excludes_[static_cast<size_t>(m - base)]);
    }
  }
}

std::vector<std::string> Knowledge::CaptureNames(int intent) const {
  std::set<std::string> names;
  for (size_t p = 0; p < intents_.intents()[intent].patterns.size(); ++p) {
    const CompiledPattern& cp = pattern(intent, static_cast<int>(p));
    const RE2* re = cp.named_groups ? cp.re() : nullptr;
    if (!re) continue;
    for (const auto& [name, index] : re->NamedCapturingGroups()) names.insert(name);
  }
  return {names.begin(), names.end()};
}

void Knowledge::BuildSuggestionIndex() {
  const auto& all = intents_.intents();
  std::vector<std::pair<int, std::vector<std::string>>> docs;
  for (size_t i = 0; i < all.size(); ++i) {
    const Intent& intent = all[i];
    // Only intents that state facts are worth suggesting, and only through
    // a question an editor wrote for them.
    if (intent.answer.facts.empty() || intent.examples.empty()) continue;
    std::string bag;
    for (const auto& e : intent.examples) bag += e.text + " ";
    for (const auto& f : intent.answer.facts) {
      if (const Fact* fact = facts_.Find(f.text)) {
        bag += fact->text + " ";
        for (const auto& [lang, text] : fact->translations) bag += text + " ";
        for (const auto& t : fact->tags) bag += t + " ";
        for (const auto& a : fact->aliases) bag += a + " ";
      }
    }
    docs.push_back({static_cast<int>(i), SignificantWords(Normalize(bag, spellings_), stop_words_)});
  }
  suggestions_ = TermIndex(docs);
}

void Knowledge::BuildVocabulary() {
  auto add = [&](const std::string& text, std::string_view lang) {
    vocabulary_.Add(Normalize(text, spellings_), lang);
  };
  for (const Fact& f : facts_.facts()) {
    add(f.text, "en");
    for (const auto& [lang, text] : f.translations) add(text, lang);
    for (const std::string& a : f.aliases) add(a, "");
  }
  for (const Intent& intent : intents_.intents()) {
    for (const auto* list : {&intent.examples, &intent.counter_examples}) {
      for (const LocatedText& e : *list) add(e.text, DetectLanguage(e.text, {}, false).lang);
    }
  }
  // Terms are normalised already; a `*` after a word makes it a prefix.
  for (const Concept& c : lexicon_.concepts()) {
    for (const auto& [lang, terms] : c.terms) {
      for (const Term& t : terms) {
        if (!t.raw) vocabulary_.Add(t.text, lang);
      }
    }
  }
  for (const Entity& e : gazetteer_.entities()) {
    // A typo is never read as another country or city: "Slovenia" is not
    // a misspelt "Slovakia".
    const bool place = !e.in_scope && (e.kind == "country" || e.kind == "city" || e.kind == "place");
    for (const std::string& name : e.names) {
      if (place) {
        vocabulary_.Protect(name);
      } else {
        vocabulary_.Add(name, "");
      }
    }
  }
  for (const std::string& w : stop_words_) vocabulary_.Add(w, "");
  for (const std::string& q : unrelated_questions_) vocabulary_.Add(q, "en");
  for (const auto& [key, texts] : replies_) {
    for (const auto& [lang, text] : texts) add(text, lang);
  }
  vocabulary_.Finish();
}

std::vector<std::string> Knowledge::Suggest(const std::string& normalized, size_t limit,
                                            const std::string& lang) const {
  std::vector<std::string> out;
  const std::string& l = IsReplyLanguage(lang) ? lang : std::string("en");
  for (const auto& [intent, score] : suggestions_.Ranked(SignificantWords(normalized, stop_words_))) {
    if (out.size() >= limit) break;
    out.push_back(suggestion_examples_[intent].at(l));
  }
  return out;
}

}  // namespace bot::core
