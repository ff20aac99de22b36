#include "bot/core/spelling.h"

#include <algorithm>
#include <map>

#include "bot/core/normalizer.h"

namespace bot::core {
namespace {

std::string Where(const SourceLocation& at) {
  return at.file + ":" + std::to_string(at.line);
}

bool IsPhrase(std::string_view folded) {
  return folded.find_first_of(" .-") != std::string_view::npos;
}

// What tells a text may hold `phrase`: its first dot or dash, else its first
// word with the space after it ("white ").
std::string Needle(std::string_view phrase) {
  const size_t mark = phrase.find_first_of(".-");
  if (mark != std::string_view::npos) return std::string(1, phrase[mark]);
  return std::string(phrase.substr(0, phrase.find(' ') + 1));
}

}  // namespace

Spellings Spellings::FromLists(Lists lists, std::vector<Diagnostic>* diagnostics) {
  std::vector<SpellingEntry> entries;
  entries.reserve(lists.size());
  for (auto& [canonical, variants] : lists) {
    SpellingEntry& entry = entries.emplace_back();
    entry.canonical = std::move(canonical);
    for (auto& variant : variants) entry.variants.push_back({std::move(variant), {}, 0});
  }
  return Build(std::move(entries), diagnostics);
}

Spellings Spellings::Build(std::vector<SpellingEntry> entries,
                           std::vector<Diagnostic>* diagnostics) {
  Spellings out;
  std::map<std::string, SourceLocation> seen;  // folded variant -> where first given
  std::vector<std::pair<std::string, SourceLocation>> canonicals;
  for (SpellingEntry& entry : entries) {
    const std::string canonical = FoldCharacters(entry.canonical);
    if (canonical.empty()) {
      diagnostics->push_back({Diagnostic::Severity::kError, entry.where, "bad-spelling",
                              "a spelling's word is empty"});
      continue;
    }
    canonicals.emplace_back(canonical, entry.where);
    for (const LocatedText& variant : entry.variants) {
      const std::string folded = FoldCharacters(variant.text);
      auto error = [&](std::string message) {
        diagnostics->push_back(
            {Diagnostic::Severity::kError, variant.where, "bad-spelling", std::move(message)});
      };
      if (folded.empty()) {
        error("a variant of `" + entry.canonical + "` is empty");
        continue;
      }
      if (folded == canonical) {
        error("`" + variant.text + "` is `" + entry.canonical + "` itself; remove it");
        continue;
      }
      auto [first, inserted] = seen.emplace(folded, variant.where);
      if (!inserted) {
        error("`" + variant.text + "` is already a variant (at " + Where(first->second) +
              "); a variant stands for one word");
        continue;
      }
      if (IsPhrase(folded)) {
        out.phrases_.push_back({folded, canonical});
      } else {
        out.lengths_[static_cast<unsigned char>(folded[0])] |= uint32_t{1}
                                                               << std::min<size_t>(folded.size(), 31);
        out.words_.emplace(folded, canonical);
      }
    }
  }
  // A canonical spelling that is itself a variant would be replaced again
  // on a second pass: normalising twice must change nothing.
  for (const auto& [canonical, where] : canonicals) {
    std::string variant = seen.count(canonical) ? canonical : "";
    for (size_t pos = 0; variant.empty() && pos < canonical.size();) {
      size_t end = std::min(canonical.find(' ', pos), canonical.size());
      if (out.FindWord(std::string_view(canonical).substr(pos, end - pos))) {
        variant = canonical.substr(pos, end - pos);
      }
      pos = end + 1;
    }
    if (!variant.empty()) {
      diagnostics->push_back({Diagnostic::Severity::kError, where, "bad-spelling",
                              "`" + canonical + "` contains `" + variant +
                                  "`, itself a variant: write its canonical spelling"});
    }
  }
  // Longest first, so "o.s.c.e." is replaced before "o.s.c.e" can be.
  std::stable_sort(out.phrases_.begin(), out.phrases_.end(),
                   [](const Phrase& a, const Phrase& b) { return a.from.size() > b.from.size(); });
  for (const Phrase& p : out.phrases_) {
    std::string needle = Needle(p.from);
    if (std::find(out.needles_.begin(), out.needles_.end(), needle) == out.needles_.end()) {
      out.needles_.push_back(std::move(needle));
    }
  }
  return out;
}

bool Spellings::MayHoldPhrase(std::string_view folded) const {
  for (const std::string& needle : needles_) {
    if (folded.find(needle) != std::string_view::npos) return true;
  }
  return false;
}

}  // namespace bot::core
