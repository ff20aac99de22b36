// libFuzzer target: the facts, intents and intent-test YAML loaders, and
// building a Knowledge from whatever they accept. Mistakes must come back
// as diagnostics, never as a crash or an escaped exception, and every string
// the loaders hand on (and every diagnostic) is valid UTF-8, whatever bytes
// the file held.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "bot/core/answerer.h"
#include "bot/core/knowledge.h"
#include "bot/core/utf8.h"
#include "bot/edge/yaml_loader.h"

namespace {

void RequireUtf8(const std::string& s) {
  if (!bot::core::IsValidUtf8(s)) __builtin_trap();
}

void RequireUtf8(const std::vector<bot::core::LocatedText>& list) {
  for (const auto& t : list) RequireUtf8(t.text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return 0;  // RE2 compile time grows with size, not bugs
  std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<bot::core::Diagnostic> diagnostics;
  auto facts = bot::edge::ParseFactsYaml(text, "fuzz.yaml", &diagnostics);
  auto intents = bot::edge::ParseIntentsYaml(text, "fuzz.yaml", &diagnostics);
  for (const auto& c : bot::edge::ParseIntentTestsYaml(text, "fuzz.yaml", &diagnostics)) {
    RequireUtf8(c.question);
    RequireUtf8(c.expected);
  }
  for (const auto& d : diagnostics) RequireUtf8(bot::core::FormatDiagnostic(d));
  for (const auto& f : facts) {
    for (const auto* s : {&f.id, &f.text, &f.source, &f.date}) RequireUtf8(*s);
    for (const auto& s : f.tags) RequireUtf8(s);
    for (const auto& s : f.aliases) RequireUtf8(s);
  }
  for (const auto& i : intents) {
    for (const auto* s : {&i.id, &i.answer.text, &i.answer.facts_by_year}) RequireUtf8(*s);
    for (const auto* list : {&i.patterns, &i.exclude, &i.examples, &i.counter_examples,
                             &i.answer.facts}) {
      RequireUtf8(*list);
    }
  }
  auto knowledge = bot::core::Knowledge::Build(std::move(facts), std::move(intents), &diagnostics);
  if (knowledge && !bot::core::HasErrors(diagnostics)) {
    bot::core::Answer(*knowledge, bot::core::Question{"When did Belarus join the OSCE?", "", "fuzz"});
  }
  return 0;
}
