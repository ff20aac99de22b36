// Normalizer: turns what a person typed into the canonical text that intent
// patterns are written against: Unicode-aware lower case (Latin, Greek,
// Cyrillic), typographic quotes/apostrophes/dashes as ASCII, white space
// folded, and a small word-level substitution list (contractions, spelling
// variants of names). Pure and stateless; safe from any thread.
#pragma once

#include <string>
#include <string_view>

namespace bot::core {

// Returns the normalised form of `text`. Invalid UTF-8 bytes are dropped
// (the edges reject invalid UTF-8 before it gets here; this keeps core total).
std::string Normalize(std::string_view text);

// True when `text` is well-formed UTF-8 (no overlongs, no surrogates).
bool IsValidUtf8(std::string_view text);

// Number of Unicode code points in valid UTF-8 `text`.
size_t CountCodePoints(std::string_view text);

}  // namespace bot::core
