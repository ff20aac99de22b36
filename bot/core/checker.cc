#include "bot/core/checker.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <set>

#include "bot/core/answerer.h"
#include "bot/core/concept_pattern.h"
#include "bot/core/normalizer.h"
#include "bot/core/pattern_sampler.h"

namespace bot::core {
namespace {

std::vector<std::string> SplitWords(const std::string& s) {
  std::vector<std::string> words;
  size_t i = 0;
  while (i < s.size()) {
    size_t j = s.find(' ', i);
    if (j == std::string::npos) j = s.size();
    if (j > i) words.push_back(s.substr(i, j - i));
    i = j + 1;
  }
  return words;
}

// Shortest common supersequence of two word lists; on ties takes from `a`
// first when `a_first`.
std::vector<std::string> Merge(const std::vector<std::string>& a,
                               const std::vector<std::string>& b, bool a_first) {
  size_t n = a.size(), m = b.size();
  std::vector<std::vector<int>> lcs(n + 1, std::vector<int>(m + 1, 0));
  for (size_t x = n; x-- > 0;) {
    for (size_t y = m; y-- > 0;) {
      lcs[x][y] = a[x] == b[y] ? lcs[x + 1][y + 1] + 1
                               : std::max(lcs[x + 1][y], lcs[x][y + 1]);
    }
  }
  std::vector<std::string> out;
  size_t x = 0, y = 0;
  while (x < n && y < m) {
    if (a[x] == b[y]) {
      out.push_back(a[x]);
      ++x;
      ++y;
    } else if (lcs[x + 1][y] > lcs[x][y + 1] ||
               (lcs[x + 1][y] == lcs[x][y + 1] && a_first)) {
      out.push_back(a[x++]);
    } else {
      out.push_back(b[y++]);
    }
  }
  while (x < n) out.push_back(a[x++]);
  while (y < m) out.push_back(b[y++]);
  return out;
}

std::string Join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

std::string Where(const SourceLocation& w) {
  return w.file + ":" + std::to_string(w.line);
}

void Add(std::vector<Diagnostic>* out, Diagnostic::Severity severity,
         const SourceLocation& where, const char* code, std::string message) {
  out->push_back({severity, where, code, std::move(message)});
}

constexpr auto kError = Diagnostic::Severity::kError;
constexpr auto kWarning = Diagnostic::Severity::kWarning;

const Candidate* FindCandidate(const Explanation& e, int intent) {
  for (const Candidate& c : e.candidates) {
    if (c.intent == intent) return &c;
  }
  return nullptr;
}

bool IntentHasBrokenPattern(const Knowledge& k, int intent) {
  const auto& patterns = k.intents().intents()[intent].patterns;
  for (size_t p = 0; p < patterns.size(); ++p) {
    if (!k.pattern(intent, static_cast<int>(p)).ok) return true;
  }
  return false;
}

std::string Quote(const std::string& s) { return "\"" + s + "\""; }

std::string DescribePattern(const Knowledge& k, const Candidate& c) {
  const LocatedText& p = k.intents().intents()[c.intent].patterns[c.pattern];
  return "pattern `" + p.text + "` at " + Where(p.where);
}

void CheckExamples(const Knowledge& k, std::vector<Diagnostic>* out) {
  const auto& all = k.intents().intents();
  for (size_t i = 0; i < all.size(); ++i) {
    const Intent& intent = all[i];
    // Its patterns are already reported; its examples would only repeat that.
    if (intent.patterns.empty() || IntentHasBrokenPattern(k, static_cast<int>(i))) continue;
    for (const LocatedText& example : intent.examples) {
      Explanation e = Explain(k, {example.text, "", "check"});
      const Candidate* winner = e.winner ? &e.candidates[*e.winner] : nullptr;
      if (winner && winner->intent == static_cast<int>(i)) {
        if (e.reply.reason && e.grounding) {
          // Its own intent wins, but the answer's facts do not cover what
          // the example names or asks: users asking it get a refusal.
          std::string why;
          for (const GroundingStep& step : e.grounding->steps) {
            if (!step.passed) why = step.rule + ": " + step.note;
          }
          Add(out, kWarning, example.where, "example-refused",
              "example " + Quote(example.text) + " of intent `" + intent.id +
                  "` is matched but grounding refuses it (" + why +
                  "); add the entity to a fact's `entities:`, a name variant to the gazetteer, "
                  "or the detail to a fact, or reword the example");
        }
        continue;
      }
      const Candidate* own = FindCandidate(e, static_cast<int>(i));
      std::string head = "example " + Quote(example.text) + " of intent `" + intent.id + "`";
      if (own && !own->vetoed_by && winner) {
        const Intent& other = all[winner->intent];
        Add(out, kError, example.where, "example-shadowed",
            head + " is answered by higher-ranked intent `" + other.id + "` (" +
                DescribePattern(k, *winner) + "; " + WhyOutranks(*winner, *own) +
                "); make the patterns disjoint, add an `exclude` to `" + other.id +
                "`, or raise `priority`");
        continue;
      }
      std::string message = head;
      if (own) {
        const LocatedText& x = intent.exclude[static_cast<size_t>(*own->vetoed_by)];
        message += " is vetoed by its own exclude `" + x.text + "` at " + Where(x.where);
      } else {
        message += " is not matched by any of its patterns (normalised: " +
                   Quote(e.normalized) + ")";
      }
      if (winner) {
        message += "; `" + all[winner->intent].id + "` answers it instead (" +
                   DescribePattern(k, *winner) + ")";
      } else {
        message += "; the bot falls back";
      }
      Add(out, kError, example.where, "example-unmatched", message);
    }
    for (const LocatedText& counter : intent.counter_examples) {
      Explanation e = Explain(k, {counter.text, "", "check"});
      // A near miss that grounding refuses is not answered: as intended.
      if (!e.winner || e.reply.reason) continue;
      const Candidate& w = e.candidates[*e.winner];
      if (w.intent != static_cast<int>(i)) continue;
      Add(out, kError, counter.where, "counter-example-matched",
          "counter-example " + Quote(counter.text) + " is answered by intent `" +
              intent.id + "` (" + DescribePattern(k, w) +
              "); tighten the pattern or add an `exclude`");
    }
  }
}

void CheckPatternShapes(const Knowledge& k, std::vector<Diagnostic>* out) {
  const auto& all = k.intents().intents();
  RE2::Options options = Matcher::PatternOptions();
  for (size_t i = 0; i < all.size(); ++i) {
    const Intent& intent = all[i];
    for (size_t p = 0; p < intent.patterns.size(); ++p) {
      const LocatedText& text = intent.patterns[p];
      const RE2* re = k.pattern(static_cast<int>(i), static_cast<int>(p)).re();
      if (!re) continue;
      if (RE2::PartialMatch("", *re)) {
        Add(out, kWarning, text.where, "pattern-matches-empty",
            "pattern `" + text.text + "` of intent `" + intent.id +
                "` matches the empty string, so it matches every question");
        continue;
      }
      // Questions no editor means to answer (the lexicon's): a pattern
      // matching nearly all of them will swallow questions meant for others.
      const std::vector<std::string>& probes = k.unrelated_questions();
      size_t hits = 0;
      for (const std::string& probe : probes) hits += RE2::PartialMatch(probe, *re);
      if (!probes.empty() && hits * 10 >= probes.size() * 8) {
        Add(out, kWarning, text.where, "pattern-too-broad",
            "pattern `" + text.text + "` of intent `" + intent.id + "` matches " +
                std::to_string(hits) + " of " + std::to_string(probes.size()) +
                " unrelated questions (e.g. " + Quote(probes[0]) +
                "); anchor it on the words the intent is about");
        continue;
      }
      // Sampled as compiled, with `{concept}` references expanded.
      std::vector<std::string> samples = PatternSamples(re->pattern(), 32);
      if (samples.empty()) continue;  // syntax the sampler does not model
      bool matched = false;
      for (const std::string& s : samples) {
        if (RE2::PartialMatch(Normalize(s, k.spellings()), *re)) {
          matched = true;
          break;
        }
      }
      for (const LocatedText& e : intent.examples) {
        if (matched) break;
        matched = RE2::PartialMatch(Normalize(e.text, k.spellings()), *re);
      }
      if (!matched) {
        Add(out, kWarning, text.where, "pattern-never-matches",
            "pattern `" + text.text + "` of intent `" + intent.id +
                "` can never match a normalised question (e.g. " + Quote(samples[0]) +
                " normalises to " + Quote(Normalize(samples[0], k.spellings())) +
                "); check anchors, `\\b` next to non-word characters, and characters "
                "the normaliser rewrites (typographic quotes, dashes, upper case)");
      }
    }
    for (const LocatedText& x : intent.exclude) {
      RE2 re(x.text, options);
      if (re.ok() && RE2::PartialMatch("", re)) {
        Add(out, kWarning, x.where, "pattern-matches-empty",
            "exclude `" + x.text + "` of intent `" + intent.id +
                "` matches the empty string, so it vetoes every question");
      }
    }
  }
}

void CheckReachability(const Knowledge& k, std::vector<Diagnostic>* out) {
  std::vector<bool> reachable = ReachableFacts(k);
  const auto& facts = k.facts().facts();
  for (size_t f = 0; f < facts.size(); ++f) {
    if (reachable[f]) continue;
    Add(out, kWarning, facts[f].where, "unreachable-fact",
        "no intent can say fact `" + facts[f].id +
            "`; name it in some intent's `answer.facts` or remove it");
  }
  for (const Intent& intent : k.intents().intents()) {
    if (!intent.examples.empty()) continue;
    Add(out, kWarning, intent.where, "no-examples",
        "intent `" + intent.id +
            "` has no `examples`; add the questions it must answer so `bot check` "
            "can test them");
  }
}

// One way two intents can receive the same question.
struct Witness {
  // 0 an example, 1 an example with the other pattern's words threaded in,
  // 2 one pattern's own sample, 3 two patterns' samples merged: the lower,
  // the more it reads like a question someone asks.
  int source = 0;
  std::string text;
  bool operator<(const Witness& o) const {
    if (source != o.source) return source < o.source;
    if (text.size() != o.text.size()) return text.size() < o.text.size();
    return text < o.text;
  }
};

void CheckOverlaps(const Knowledge& k, const CheckOptions& options,
                   std::vector<Diagnostic>* out) {
  const auto& all = k.intents().intents();
  const auto& flat = k.patterns();
  const int n = static_cast<int>(flat.size());
  std::map<std::pair<int, int>, std::set<Witness>> found;
  std::vector<const CompiledPattern*> offered;
  std::vector<ExcludeHit> vetoes;
  auto offer = [&](int a, int b, int source, const std::string& text) {
    if (a == b || text.empty()) return;
    // A question one of the two excludes is no witness: kept, it could
    // crowd the real ones out of the few a pair keeps.
    k.Match(text, &offered, &vetoes);
    for (const ExcludeHit& v : vetoes) {
      if (v.intent == a || v.intent == b) return;
    }
    auto& set = found[{std::min(a, b), std::max(a, b)}];
    set.insert({source, text});
    if (set.size() > 4) set.erase(std::prev(set.end()));
  };
  std::vector<const CompiledPattern*> matches;
  auto offer_all = [&](const std::string& text, int source) {
    k.Match(text, &matches);
    std::set<int> intents;
    for (const CompiledPattern* m : matches) intents.insert(m->intent);
    for (int a : intents) {
      for (int b : intents) {
        if (a < b) offer(a, b, source, text);
      }
    }
  };
  // From the examples: questions people actually ask.
  for (const Intent& intent : all) {
    for (const auto& e : intent.examples) offer_all(Normalize(e.text, k.spellings()), 0);
  }
  // From each pattern's own structure.
  std::vector<std::vector<std::vector<std::string>>> words(n);
  // Per sample, its significant words, sorted: a merge is only tried when two
  // samples share one ("belarus" and "osce" do not count), since two
  // unanchored patterns can always be satisfied by gluing their samples
  // together, which says nothing about real questions.
  std::vector<std::vector<std::vector<std::string>>> keys(n);
  for (int p = 0; p < n; ++p) {
    if (!flat[p].ok) continue;
    for (const std::string& s : PatternSamples(flat[p].expanded(), 8)) {
      std::string normalized = Normalize(s, k.spellings());
      offer_all(normalized, 2);
      words[p].push_back(SplitWords(normalized));
      std::vector<std::string> key = SignificantWords(normalized, k.stop_words());
      std::sort(key.begin(), key.end());
      keys[p].push_back(std::move(key));
    }
  }
  // From two patterns at once: the words of one threaded through the other
  // (their shortest common supersequence), when they share a significant
  // word and the merge adds at most one word to the longer sample.
  for (int a = 0; a < n; ++a) {
    for (int b = a + 1; b < n; ++b) {
      int ia = flat[a].intent, ib = flat[b].intent;
      if (ia == ib || found.count({std::min(ia, ib), std::max(ia, ib)})) continue;
      const RE2* ra = flat[a].re();
      const RE2* rb = flat[b].re();
      bool done = false;
      for (size_t x = 0; x < words[a].size() && !done; ++x) {
        for (size_t y = 0; y < words[b].size() && !done; ++y) {
          const auto& ka = keys[a][x];
          const auto& kb = keys[b][y];
          std::vector<std::string> shared;
          std::set_intersection(ka.begin(), ka.end(), kb.begin(), kb.end(),
                                std::back_inserter(shared));
          if (shared.empty()) continue;
          const auto& wa = words[a][x];
          const auto& wb = words[b][y];
          for (bool a_first : {true, false}) {
            auto merged = Merge(wa, wb, a_first);
            if (merged.size() > std::max(wa.size(), wb.size()) + 1) break;
            std::string text = Join(merged);
            if (RE2::PartialMatch(text, *ra) && RE2::PartialMatch(text, *rb)) {
              offer(ia, ib, 3, text);
              done = true;
              break;
            }
          }
        }
      }
    }
  }
  // A witness made of pattern fragments reads badly ("belarus key
  // position"): try each example of one intent with the other's sample
  // words threaded in ("what is belarus's key position on osce reform"),
  // adding at most three words to the example.
  for (auto& [pair, witnesses] : found) {
    if (!witnesses.empty() && witnesses.begin()->source <= 1) continue;
    const auto pa = pair;
    auto try_examples = [&](int with_examples, int with_samples) {
      for (const LocatedText& example : all[with_examples].examples) {
        std::string q = Normalize(example.text, k.spellings());
        while (!q.empty() && (q.back() == '?' || q.back() == '.' || q.back() == '!')) q.pop_back();
        const std::vector<std::string> ew = SplitWords(q);
        for (int p = 0; p < n; ++p) {
          if (flat[p].intent != with_samples) continue;
          for (const auto& sw : words[p]) {
            std::vector<std::string> merged = Merge(ew, sw, true);
            if (merged.size() > ew.size() + 3) continue;
            const std::string text = Join(merged);
            k.Match(text, &matches);
            bool has_a = false, has_b = false;
            for (const CompiledPattern* m : matches) {
              has_a |= m->intent == pa.first;
              has_b |= m->intent == pa.second;
            }
            if (has_a && has_b) offer(pa.first, pa.second, 1, text);
          }
        }
      }
    };
    try_examples(pair.first, pair.second);
    try_examples(pair.second, pair.first);
  }
  // Overlaps an intent declares (`overlaps: [other]`): reported only when
  // no witness shows them any more.
  std::set<std::pair<int, int>> declared;
  std::vector<std::pair<std::pair<int, int>, std::pair<size_t, const LocatedText*>>> declared_at;
  std::map<std::string, int> index_of;
  for (size_t i = 0; i < all.size(); ++i) index_of.emplace(all[i].id, static_cast<int>(i));
  for (size_t i = 0; i < all.size(); ++i) {
    for (const LocatedText& other : all[i].overlaps) {
      auto found_id = index_of.find(other.text);
      const int j = found_id == index_of.end() ? -1 : found_id->second;
      if (j < 0) {
        std::vector<std::string> ids;
        for (const Intent& intent : all) ids.push_back(intent.id);
        const std::string near = NearestName(other.text, ids);
        Add(out, kError, other.where, "unknown-intent",
            "intent `" + all[i].id + "` declares an overlap with unknown intent `" + other.text +
                "`" + (near.empty() ? "" : "; did you mean `" + near + "`?"));
        continue;
      }
      const auto key = std::make_pair(std::min<int>(static_cast<int>(i), j),
                                      std::max<int>(static_cast<int>(i), j));
      declared.insert(key);
      declared_at.push_back({key, {i, &other}});
    }
  }
  std::set<std::pair<int, int>> still;
  size_t reported = 0;
  for (const auto& [pair, witnesses] : found) {
    for (const Witness& w : witnesses) {
      Explanation e = Explain(k, {w.text, "", "check"});
      const Candidate* a = FindCandidate(e, pair.first);
      const Candidate* b = FindCandidate(e, pair.second);
      if (!a || !b || a->vetoed_by || b->vetoed_by) continue;
      // Candidates are in rank order, so the earlier one wins.
      bool a_wins = a < b;
      const Candidate& win = a_wins ? *a : *b;
      const Candidate& lose = a_wins ? *b : *a;
      if (declared.count(pair)) {
        still.insert(pair);
        break;
      }
      if (!options.all_overlaps && win.priority != lose.priority) break;
      const LocatedText& lp = all[lose.intent].patterns[lose.pattern];
      std::string message =
          "intent `" + all[lose.intent].id + "` overlaps with `" + all[win.intent].id +
          "` (" + DescribePattern(k, win) + "): both match " + Quote(w.text) +
          ", and `" + all[win.intent].id + "` wins by " + WhyOutranks(win, lose);
      const Candidate& top = e.candidates[*e.winner];
      if (top.intent != win.intent) {
        message += " (that question is answered by `" + all[top.intent].id + "`)";
      }
      message += "; if both should answer it, declare it with `overlaps: [" +
                 all[win.intent].id + "]` on `" + all[lose.intent].id +
                 "`, else add an `exclude`";
      Add(out, kWarning, lp.where, "overlap", message);
      ++reported;
      break;
    }
    if (reported >= options.max_overlaps) break;
  }
  for (const auto& [pair, decl] : declared_at) {
    if (still.count(pair)) continue;
    const Intent& owner = all[decl.first];
    const LocatedText* at = decl.second;
    Add(out, kWarning, at->where, "overlap-gone",
        "intent `" + owner.id + "` declares an overlap with `" + at->text +
            "`, but no question found matches both any more; remove it from `overlaps`");
  }
}

}  // namespace

void Check(const Knowledge& knowledge, const CheckOptions& options,
           std::vector<Diagnostic>* diagnostics) {
  if (options.examples) CheckExamples(knowledge, diagnostics);
  if (options.warnings) {
    CheckReachability(knowledge, diagnostics);
    CheckPatternShapes(knowledge, diagnostics);
    CheckOverlaps(knowledge, options, diagnostics);
  }
}

}  // namespace bot::core
