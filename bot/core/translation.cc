#include "bot/core/translation.h"

#include "bot/core/language.h"

namespace bot::core {

namespace {

// What a reader of `lang` gets instead: the next language that has it.
template <typename Texts>
std::string FallsBackTo(const std::string& lang, const Texts& has) {
  for (const std::string& l : ReplyLanguageChain(lang)) {
    if (l != lang && (l == "en" || has.count(l))) return l;
  }
  return "en";
}

}  // namespace

TranslationCoverage CheckTranslations(const Knowledge& k, std::vector<Diagnostic>* diagnostics) {
  TranslationCoverage coverage;
  auto gap = [&](const SourceLocation& where, const std::string& what, const std::string& lang,
                 const auto& has) {
    Report(diagnostics, where, "translation-missing",
           what + " has no `" + lang + "` text; readers of " + lang + " get it in " +
               FallsBackTo(lang, has) + "; add `" + lang + ":`",
           Diagnostic::Severity::kWarning);
  };
  for (const char* const* l = kReplyLanguages; *l; ++l) {
    const std::string lang = *l;
    if (lang == "en") continue;
    // A language no text is written in is not offered yet: its gaps are
    // counted, not warned about one by one.
    bool offered = false;
    for (const Fact& f : k.facts().facts()) offered = offered || f.translations.count(lang);
    for (const auto& [key, texts] : k.replies()) offered = offered || texts.count(lang);
    std::vector<Diagnostic> gaps;
    std::vector<Diagnostic>* const all = diagnostics;
    diagnostics = offered ? all : &gaps;
    auto& per = coverage[lang];
    for (const Fact& f : k.facts().facts()) {
      TranslationCount& c = per["facts"];
      ++c.total;
      if (f.translations.count(lang)) {
        ++c.written;
      } else {
        gap(f.where, "fact `" + f.id + "`", lang, f.translations);
      }
    }
    for (const Intent& intent : k.intents().intents()) {
      const AnswerSpec& a = intent.answer;
      if (a.text.empty()) continue;
      TranslationCount& c = per["answers"];
      ++c.total;
      if (a.text_translations.count(lang)) {
        ++c.written;
      } else {
        gap(a.text_where, "the answer of intent `" + intent.id + "`", lang, a.text_translations);
      }
    }
    for (const auto& [key, texts] : k.replies()) {
      TranslationCount& c = per["replies"];
      ++c.total;
      if (texts.count(lang)) {
        ++c.written;
      } else {
        gap(k.reply_where(key), "reply `" + key + "`", lang, texts);
      }
    }
    diagnostics = all;
  }
  return coverage;
}

std::string FormatTranslationCoverage(const TranslationCoverage& coverage) {
  std::string out = "translations:";
  bool first_lang = true;
  // In the order of kReplyLanguages, not the map's.
  for (const char* const* l = kReplyLanguages; *l; ++l) {
    auto it = coverage.find(*l);
    if (it == coverage.end()) continue;
    out += first_lang ? " " : "; ";
    first_lang = false;
    out += it->first;
    bool first = true;
    for (const char* kind : {"facts", "answers", "replies"}) {
      auto c = it->second.find(kind);
      if (c == it->second.end()) continue;
      out += first ? " " : ", ";
      first = false;
      out += std::string(kind) + " " + std::to_string(c->second.written) + "/" +
             std::to_string(c->second.total);
    }
  }
  return out;
}

}  // namespace bot::core
