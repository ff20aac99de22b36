// libFuzzer target: the facts, intents and intent-test YAML loaders, and
// building a Knowledge from whatever they accept. Mistakes must come back
// as diagnostics, never as a crash or an escaped exception.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "bot/core/answerer.h"
#include "bot/core/knowledge.h"
#include "bot/edge/yaml_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return 0;  // RE2 compile time grows with size, not bugs
  std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<bot::core::Diagnostic> diagnostics;
  auto facts = bot::edge::ParseFactsYaml(text, "fuzz.yaml", &diagnostics);
  auto intents = bot::edge::ParseIntentsYaml(text, "fuzz.yaml", &diagnostics);
  bot::edge::ParseIntentTestsYaml(text, "fuzz.yaml", &diagnostics);
  for (const auto& d : diagnostics) bot::core::FormatDiagnostic(d);
  auto knowledge = bot::core::Knowledge::Build(std::move(facts), std::move(intents), &diagnostics);
  if (knowledge && !bot::core::HasErrors(diagnostics)) {
    bot::core::Answer(*knowledge, bot::core::Question{"When did Belarus join the OSCE?", "", "fuzz"});
  }
  return 0;
}
