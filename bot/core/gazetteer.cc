#include "bot/core/gazetteer.h"

#include <algorithm>
#include <unordered_map>

#include "bot/core/normalizer.h"

namespace bot::core {

const char* const kEntityKinds[] = {"country", "city",   "organisation", "body",
                                    "person",  "document", "place", nullptr};

namespace {

bool KnownKind(const std::string& kind) {
  for (const char* const* k = kEntityKinds; *k; ++k) {
    if (kind == *k) return true;
  }
  return false;
}

}  // namespace

Gazetteer Gazetteer::Build(std::vector<Entity> entities, const Spellings& spellings,
                           std::vector<Diagnostic>* diagnostics) {
  Gazetteer g;
  std::unordered_map<std::string, size_t> ids;
  std::unordered_map<std::string, std::string> owner;  // normalised name -> entity id
  for (size_t i = 0; i < entities.size(); ++i) {
    Entity& e = entities[i];
    if (!ids.emplace(e.id, i).second) {
      Report(diagnostics, e.where, "duplicate-id", "entity id `" + e.id + "` is used twice");
    }
    if (!KnownKind(e.kind)) {
      std::string kinds;
      for (const char* const* k = kEntityKinds; *k; ++k) kinds += std::string(kinds.empty() ? "" : ", ") + *k;
      Report(diagnostics, e.where, "unknown-kind",
             "entity `" + e.id + "` has unknown kind `" + e.kind + "`; use one of " + kinds);
    }
    if (e.names.empty()) {
      Report(diagnostics, e.where, "missing-key", "entity `" + e.id + "` has no `names`");
    }
    for (size_t n = 0; n < e.names.size(); ++n) {
      const SourceLocation& at = n < e.name_where.size() ? e.name_where[n] : e.where;
      std::string normalized = Normalize(e.names[n], spellings);
      if (g.names_.Add(normalized, static_cast<int>(i)) < 0) {
        Report(diagnostics, at, "bad-name",
               "name `" + e.names[n] + "` of entity `" + e.id +
                   "` has no word, or a `*` that does not end a word");
        continue;
      }
      g.indexed_names_.push_back({normalized, static_cast<int>(i)});
      auto [it, fresh] = owner.emplace(normalized, e.id);
      if (!fresh && it->second != e.id) {
        Report(diagnostics, at, "name-in-two-entities",
               "name `" + e.names[n] + "` is given to both `" + it->second + "` and `" + e.id +
                   "`; a question naming it could mean either");
      }
      e.names[n] = std::move(normalized);
    }
  }
  g.entities_ = std::move(entities);
  return g;
}

int Gazetteer::Find(std::string_view id) const {
  for (size_t i = 0; i < entities_.size(); ++i) {
    if (entities_[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

std::vector<int> Gazetteer::EntitiesIn(std::string_view normalized) const {
  return EntitiesIn(normalized, SplitWords(normalized));
}

std::vector<int> Gazetteer::EntitiesIn(std::string_view normalized,
                                       const std::vector<WordSpan>& words) const {
  std::vector<int> out;
  for (const PhraseMatcher::Match& m : names_.FindAll(normalized, words)) out.push_back(m.id);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<PhraseMatcher::Match> Gazetteer::Mentions(std::string_view normalized) const {
  return names_.FindAll(normalized);
}

}  // namespace bot::core
