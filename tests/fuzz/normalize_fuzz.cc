// libFuzzer target: core::Normalize on arbitrary bytes. Invariants: valid
// UTF-8 in gives valid UTF-8 out, and normalising is idempotent.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "bot/core/normalizer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  if (!bot::core::IsValidUtf8(text)) return 0;  // callers reject these first
  std::string once = bot::core::Normalize(text);
  if (!bot::core::IsValidUtf8(once)) std::abort();
  if (bot::core::Normalize(once) != once) std::abort();
  return 0;
}
