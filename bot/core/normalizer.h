// Normalizer: turns what a person typed into the canonical text that intent
// patterns are written against: Unicode-aware lower case (Latin, Greek,
// Cyrillic), typographic quotes/apostrophes/dashes as ASCII, white space
// folded, and a small word-level substitution list (contractions, spelling
// variants of names). Pure and stateless; safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include "bot/core/utf8.h"  // IsValidUtf8, CountCodePoints: callers use both

namespace bot::core {

// Returns the normalised form of `text`. Invalid UTF-8 bytes are dropped
// (the edges reject invalid UTF-8 before it gets here; this keeps core total).
std::string Normalize(std::string_view text);

}  // namespace bot::core
