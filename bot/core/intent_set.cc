#include "bot/core/intent_set.h"

namespace bot::core {

std::optional<std::vector<TemplatePart>> ParseTemplate(const std::string& text,
                                                       std::string* error) {
  std::vector<TemplatePart> parts;
  std::string literal;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if ((c == '{' || c == '}') && i + 1 < text.size() && text[i + 1] == c) {
      literal += c;
      ++i;
      continue;
    }
    if (c == '}') {
      *error = "unmatched `}` in answer text (write `}}` for a brace)";
      return std::nullopt;
    }
    if (c != '{') {
      literal += c;
      continue;
    }
    size_t close = text.find('}', i);
    if (close == std::string::npos) {
      *error = "unclosed `{` in answer text (write `{{` for a brace)";
      return std::nullopt;
    }
    std::string name = text.substr(i + 1, close - i - 1);
    if (name.empty()) {
      *error = "empty `{}` in answer text";
      return std::nullopt;
    }
    if (!literal.empty()) {
      parts.push_back({TemplatePart::Kind::kLiteral, literal});
      literal.clear();
    }
    if (name.rfind("fact:", 0) == 0) {
      parts.push_back({TemplatePart::Kind::kFact, name.substr(5)});
    } else {
      parts.push_back({TemplatePart::Kind::kCapture, name});
    }
    i = close;
  }
  if (!literal.empty()) parts.push_back({TemplatePart::Kind::kLiteral, literal});
  return parts;
}

IntentSet IntentSet::Build(std::vector<Intent> intents, const FactBase& facts,
                           std::vector<Diagnostic>* diagnostics) {
  IntentSet set;
  set.intents_ = std::move(intents);
  auto error = [&](const SourceLocation& where, std::string code,
                   std::string msg) {
    diagnostics->push_back(
        {Diagnostic::Severity::kError, where, std::move(code), std::move(msg)});
  };
  for (size_t i = 0; i < set.intents_.size(); ++i) {
    const Intent& intent = set.intents_[i];
    if (intent.id.empty()) error(intent.where, "missing-key", "intent has no `id`");
    auto [it, inserted] = set.by_id_.emplace(intent.id, static_cast<int>(i));
    if (!inserted && !intent.id.empty()) {
      const Intent& first = set.intents_[it->second];
      error(intent.where, "duplicate-id",
            "duplicate intent id `" + intent.id + "` (first defined at " +
                first.where.file + ":" + std::to_string(first.where.line) + ")");
    }
    if (intent.patterns.empty()) {
      error(intent.where, "missing-key",
            "intent `" + intent.id + "` has no `patterns`");
    }
    const AnswerSpec& a = intent.answer;
    int kinds = !a.facts.empty() + !a.text.empty() + !a.facts_by_year.empty();
    if (kinds != 1) {
      error(intent.where, "bad-answer",
            "intent `" + intent.id +
                "`: `answer` needs exactly one of `facts`, `text` or "
                "`facts_by_year`");
    }
    for (const LocatedText& f : a.facts) {
      if (!facts.Find(f.text)) {
        error(f.where, "unknown-fact",
              "intent `" + intent.id + "` names unknown fact `" + f.text + "`");
      }
    }
    std::vector<const std::string*> templates;
    if (!a.text.empty()) templates.push_back(&a.text);
    for (const auto& [lang, text] : a.text_translations) templates.push_back(&text);
    for (const std::string* text : templates) {
      std::string why;
      auto parts = ParseTemplate(*text, &why);
      if (!parts) {
        error(a.text_where, "bad-template", why);
      } else {
        for (const TemplatePart& p : *parts) {
          if (p.kind == TemplatePart::Kind::kFact && !facts.Find(p.value)) {
            error(a.text_where, "unknown-fact",
                  "intent `" + intent.id + "` names unknown fact `" + p.value +
                      "` in its answer text");
          }
        }
      }
    }
  }
  return set;
}

int IntentSet::IndexOf(const std::string& id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? -1 : it->second;
}

}  // namespace bot::core
