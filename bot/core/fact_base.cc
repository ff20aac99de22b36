#include "bot/core/fact_base.h"

#include <cctype>

namespace bot::core {
namespace {

// Words after which the sentence start can be lower-cased behind "As of N, ".
bool IsCommonSentenceStart(const std::string& text) {
  static const char* kStarts[] = {"The ", "A ", "An ", "It ", "There ",
                                  "This ", "These ", "Since ", "Currently "};
  for (const char* s : kStarts) {
    if (text.rfind(s, 0) == 0) return true;
  }
  return false;
}

bool ValidSource(const std::string& source) {
  auto hash = source.find('#');
  if (hash == std::string::npos || hash == 0 || hash + 1 >= source.size()) {
    return false;
  }
  for (size_t i = hash + 1; i < source.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(source[i]))) return false;
  }
  return true;
}

}  // namespace

bool Fact::CoversYear(int y) const {
  if (year && *year == y) return true;
  if (period && period->first <= y && y <= period->second) return true;
  if (date.size() >= 4 && date.compare(0, 4, std::to_string(y)) == 0) {
    return true;
  }
  return false;
}

void Fact::AppendRendered(std::string* out, const std::string* as_of_prefix) const {
  if (!as_of || !as_of_prefix) {
    *out += text;
    return;
  }
  const size_t slot = as_of_prefix->find("{year}");
  if (slot == std::string::npos) {
    *out += *as_of_prefix;
  } else {
    out->append(*as_of_prefix, 0, slot);
    *out += std::to_string(*as_of);
    out->append(*as_of_prefix, slot + 6);
  }
  const size_t body = out->size();
  *out += text;
  if (IsCommonSentenceStart(text)) {
    (*out)[body] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  }
}

FactBase FactBase::Build(std::vector<Fact> facts,
                         std::vector<Diagnostic>* diagnostics) {
  FactBase base;
  base.facts_ = std::move(facts);
  for (size_t i = 0; i < base.facts_.size(); ++i) {
    const Fact& f = base.facts_[i];
    auto error = [&](std::string code, std::string msg) {
      diagnostics->push_back({Diagnostic::Severity::kError, f.where,
                              std::move(code), std::move(msg)});
    };
    if (f.id.empty()) error("missing-key", "fact has no `id`");
    if (f.text.empty()) error("missing-key", "fact `" + f.id + "` has no `text`");
    if (f.source.empty()) {
      error("missing-key", "fact `" + f.id + "` has no `source`");
    } else if (!ValidSource(f.source)) {
      error("bad-source", "fact `" + f.id + "`: source `" + f.source +
                              "` must look like `belarus-in-the-osce#4`");
    }
    if (f.period && f.period->first > f.period->second) {
      error("bad-period", "fact `" + f.id + "`: period starts after it ends");
    }
    auto [it, inserted] = base.by_id_.emplace(f.id, i);
    if (!inserted && !f.id.empty()) {
      const Fact& first = base.facts_[it->second];
      error("duplicate-id", "duplicate fact id `" + f.id +
                                "` (first defined at " + first.where.file +
                                ":" + std::to_string(first.where.line) + ")");
    }
  }
  return base;
}

const Fact* FactBase::Find(const std::string& id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &facts_[it->second];
}

std::vector<const Fact*> FactBase::InYear(int year) const {
  std::vector<const Fact*> out;
  for (const Fact& f : facts_) {
    if (f.CoversYear(year)) out.push_back(&f);
  }
  return out;
}

}  // namespace bot::core
