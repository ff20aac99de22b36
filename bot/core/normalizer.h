// Normalizer: turns what a person typed into the canonical text that intent
// patterns are written against: Unicode-aware lower case (Latin, Greek,
// Cyrillic), typographic quotes/apostrophes/dashes as ASCII, white space
// folded, and the knowledge's spellings (contractions, variants of names:
// bot/core/spelling.h) replaced. Pure; safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include "bot/core/utf8.h"  // IsValidUtf8, CountCodePoints: callers use both

namespace bot::core {
class Spellings;
}

namespace bot::core {

// Returns the normalised form of `text`: folded, then each variant of
// `spellings` replaced by its word. Invalid UTF-8 bytes are dropped (the
// edges reject invalid UTF-8 before it gets here; this keeps core total).
// Normalising twice changes nothing more.
std::string Normalize(std::string_view text, const Spellings& spellings);

// The first step of Normalize alone: lower case, typographic punctuation as
// ASCII, white space folded; no spellings.
std::string FoldCharacters(std::string_view text);

}  // namespace bot::core
