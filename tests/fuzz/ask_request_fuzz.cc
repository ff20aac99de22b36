// libFuzzer target: the POST /api/v1/ask body parser. It must never throw
// or crash; an accepted request has valid UTF-8 text and session.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "bot/core/normalizer.h"
#include "bot/edge/json_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  auto parsed = bot::edge::ParseAskRequest(body);
  if (parsed.ok()) {
    if (!bot::core::IsValidUtf8(parsed.value().text)) std::abort();
    if (!bot::core::IsValidUtf8(parsed.value().session)) std::abort();
    bot::edge::Dump(bot::edge::ErrorJson(parsed.value().text));
  }
  return 0;
}
