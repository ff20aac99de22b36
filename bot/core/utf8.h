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

// DecodeUtf8 with its common cases inline: ASCII, and two bytes (the
// Latin, Greek and Cyrillic letters; a lead byte from 0xC2 is never
// overlong). The normaliser, the language guess and the matcher decode
// every code point of a question.
inline char32_t DecodeUtf8Fast(std::string_view text, size_t* i) {
  const auto b = static_cast<unsigned char>(text[*i]);
  if (b < 0x80) {
    ++*i;
    return b;
  }
  if (b >= 0xC2 && b < 0xE0 && *i + 1 < text.size() &&
      (static_cast<unsigned char>(text[*i + 1]) & 0xC0) == 0x80) {
    const char32_t cp =
        (char32_t{b} & 0x1F) << 6 | (static_cast<unsigned char>(text[*i + 1]) & 0x3F);
    *i += 2;
    return cp;
  }
  return DecodeUtf8(text, i);
}

// Writes `cp` encoded as UTF-8 at `out` and returns the end of what it
// wrote (1 to 4 bytes). REQUIRES: cp <= 0x10FFFF.
inline char* WriteUtf8(char32_t cp, char* out) {
  if (cp < 0x80) {
    *out++ = static_cast<char>(cp);
  } else if (cp < 0x800) {
    *out++ = static_cast<char>(0xC0 | (cp >> 6));
    *out++ = static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *out++ = static_cast<char>(0xE0 | (cp >> 12));
    *out++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out++ = static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *out++ = static_cast<char>(0xF0 | (cp >> 18));
    *out++ = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    *out++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out++ = static_cast<char>(0x80 | (cp & 0x3F));
  }
  return out;
}

// Appends `cp` encoded as UTF-8. REQUIRES: cp <= 0x10FFFF.
void AppendUtf8(char32_t cp, std::string* out);

// The lower case of a Latin, Greek or Cyrillic letter; other code points
// unchanged. (The normaliser also folds yo to ye; this does not.) Inline:
// the normaliser calls it for every non-ASCII code point.
inline char32_t ToLowerCase(char32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 32;
  if (c < 0x80) return c;
  if ((c >= 0xC0 && c <= 0xDE && c != 0xD7)) return c + 32;
  if (c == 0x178) return 0xFF;
  if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177)) return c | 1;
  if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) {
    return (c & 1) ? c + 1 : c;
  }
  if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2) return c + 32;
  if (c >= 0x400 && c <= 0x40F) return c + 0x50;
  if (c >= 0x410 && c <= 0x42F) return c + 0x20;
  if ((c >= 0x460 && c <= 0x481) || (c >= 0x48A && c <= 0x4BF)) return c | 1;
  return c;
}

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
