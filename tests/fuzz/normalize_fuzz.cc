// libFuzzer target: core::Normalize on arbitrary bytes. Invariants: valid
// UTF-8 in gives valid UTF-8 out, and normalising is idempotent. The
// spellings hold every shape the lexicon may give: a contraction, a word,
// and phrases with a dot, a dash and a space.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "bot/core/normalizer.h"
#include "bot/core/spelling.h"

namespace {

const bot::core::Spellings& FuzzSpellings() {
  static const bot::core::Spellings* spellings = [] {
    std::vector<bot::core::Diagnostic> diagnostics;
    auto* built = new bot::core::Spellings(bot::core::Spellings::FromLists(
        {{"what is", {"what's", "whats"}}, {"it is", {"it's"}},
         {"belarus", {"byelorussia", "belarus's", "white russia"}},
         {"osce", {"o.s.c.e.", "o.s.c.e"}}, {"cooperation", {"co-operation"}}},
        &diagnostics));
    if (!diagnostics.empty()) std::abort();
    return built;
  }();
  return *spellings;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  if (!bot::core::IsValidUtf8(text)) return 0;  // callers reject these first
  std::string once = bot::core::Normalize(text, FuzzSpellings());
  if (!bot::core::IsValidUtf8(once)) std::abort();
  if (bot::core::Normalize(once, FuzzSpellings()) != once) std::abort();
  return 0;
}
