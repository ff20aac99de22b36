#include "bot/core/coverage.h"

#include <algorithm>
#include <map>

#include "bot/core/normalizer.h"

namespace bot::core {

std::vector<bool> ReachableFacts(const Knowledge& k) {
  const auto& facts = k.facts().facts();
  std::vector<bool> reachable(facts.size(), false);
  std::map<std::string, size_t> index;
  for (size_t f = 0; f < facts.size(); ++f) index[facts[f].id] = f;
  bool by_year = false;
  const auto& all = k.intents().intents();
  for (size_t i = 0; i < all.size(); ++i) {
    const AnswerSpec& a = all[i].answer;
    if (!a.facts_by_year.empty()) by_year = true;
    for (const auto& f : a.facts) {
      if (auto it = index.find(f.text); it != index.end()) reachable[it->second] = true;
    }
    for (const TemplatePart& part : k.answer_template(static_cast<int>(i))) {
      if (part.kind != TemplatePart::Kind::kFact) continue;
      if (auto it = index.find(part.value); it != index.end()) reachable[it->second] = true;
    }
  }
  if (by_year) {
    for (size_t f = 0; f < facts.size(); ++f) {
      if (!facts[f].date.empty() || facts[f].year || facts[f].period) reachable[f] = true;
    }
  }
  return reachable;
}

Coverage ComputeCoverage(const Knowledge& k,
                         const std::vector<std::pair<std::string, std::string>>& extra) {
  Coverage c;
  const auto& all = k.intents().intents();
  const auto& flat = k.patterns();
  c.intents = static_cast<int>(all.size());
  c.patterns = static_cast<int>(flat.size());
  std::vector<bool> exercised(flat.size(), false);
  std::vector<const CompiledPattern*> matches;
  auto exercise = [&](const std::string& question, int intent) {
    k.Match(Normalize(question), &matches);
    for (const CompiledPattern* m : matches) {
      if (m->intent == intent) exercised[static_cast<size_t>(m->id)] = true;
    }
  };
  for (size_t i = 0; i < all.size(); ++i) {
    if (!all[i].examples.empty()) ++c.intents_with_examples;
    for (const auto& e : all[i].examples) exercise(e.text, static_cast<int>(i));
  }
  for (const auto& [question, id] : extra) {
    int i = k.intents().IndexOf(id);
    if (i >= 0) exercise(question, i);
  }
  for (size_t p = 0; p < flat.size(); ++p) {
    if (!exercised[p]) {
      c.unexercised.push_back(&all[flat[p].intent].patterns[flat[p].index_in_intent]);
    }
  }
  std::vector<bool> reachable = ReachableFacts(k);
  c.facts = static_cast<int>(reachable.size());
  c.facts_reachable = static_cast<int>(std::count(reachable.begin(), reachable.end(), true));
  return c;
}

}  // namespace bot::core
