// UTF-8 decoding and encoding shared by the normaliser and the matcher.
// Pure functions; safe from any thread.
#pragma once

#include <string>
#include <string_view>

namespace bot::core {

// Returned by DecodeUtf8 for a malformed sequence.
constexpr char32_t kInvalidCodePoint = 0xFFFFFFFF;

// Decodes the code point at text[*i] and advances *i past it. On a malformed
// sequence (overlong, surrogate, truncated, beyond U+10FFFF) returns
// kInvalidCodePoint and advances one byte.
char32_t DecodeUtf8(std::string_view text, size_t* i);

// Appends `cp` encoded as UTF-8. REQUIRES: cp <= 0x10FFFF.
void AppendUtf8(char32_t cp, std::string* out);

// True when `text` is well-formed UTF-8 (no overlongs, no surrogates).
bool IsValidUtf8(std::string_view text);

// Offset of the first byte of `text` that does not start a well-formed
// sequence, or std::string_view::npos when `text` is valid UTF-8.
size_t FindInvalidUtf8(std::string_view text);

// `text` with every malformed byte replaced by U+FFFD: valid UTF-8 that
// shows where the bad bytes were.
std::string ReplaceInvalidUtf8(std::string_view text);

// Number of Unicode code points in valid UTF-8 `text`.
size_t CountCodePoints(std::string_view text);

// The first `max_bytes` bytes of `text` at most, cut at a code point
// boundary (a cut sequence is dropped whole), so valid UTF-8 stays valid.
std::string_view TruncateUtf8(std::string_view text, size_t max_bytes);

// The first `n` code points of valid UTF-8 `text` (limits that count
// characters: names, button titles, table cells).
std::string_view FirstCodePoints(std::string_view text, size_t n);

}  // namespace bot::core
