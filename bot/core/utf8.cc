#include "bot/core/utf8.h"

#include <algorithm>

#include <cstdint>
#include <cstring>

#include <array>

namespace bot::core {

char32_t DecodeUtf8(std::string_view s, size_t* ip) {
  size_t& i = *ip;
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) {
    ++i;
    return c;
  }
  int len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
  if (len == 0 || c > 0xF4 || i + len > s.size()) {
    ++i;
    return kInvalidCodePoint;
  }
  char32_t cp = c & (0x3F >> (len - 1));
  for (int k = 1; k < len; ++k) {
    unsigned char cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) {
      ++i;
      return kInvalidCodePoint;
    }
    cp = (cp << 6) | (cc & 0x3F);
  }
  static constexpr std::array<char32_t, 5> kMin = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++i;
    return kInvalidCodePoint;
  }
  i += len;
  return cp;
}

void AppendUtf8(char32_t cp, std::string* out_ptr) {
  char bytes[4];
  out_ptr->append(bytes, static_cast<size_t>(WriteUtf8(cp, bytes) - bytes));
}

bool IsValidUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    // Most text is ASCII: skip it eight bytes at a time.
    uint64_t block;
    if (i + 8 <= text.size() &&
        (std::memcpy(&block, text.data() + i, 8), (block & 0x8080808080808080u) == 0)) {
      i += 8;
      continue;
    }
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++i;
      continue;
    }
    if (DecodeUtf8(text, &i) == kInvalidCodePoint) return false;
  }
  return true;
}

size_t FindInvalidUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const size_t start = i;
    if (DecodeUtf8(text, &i) == kInvalidCodePoint) return start;
  }
  return std::string_view::npos;
}

std::string ReplaceInvalidUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const size_t start = i;
    if (DecodeUtf8(text, &i) == kInvalidCodePoint) {
      AppendUtf8(0xFFFD, &out);
    } else {
      out.append(text, start, i - start);
    }
  }
  return out;
}

size_t CountCodePoints(std::string_view text) {
  size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

std::string_view TruncateUtf8(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t end = max_bytes;
  // Step back over continuation bytes to the start of the cut sequence.
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

std::string_view FirstCodePoints(std::string_view text, size_t n) {
  size_t i = 0, count = 0;
  while (i < text.size() && count < n) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    i += c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
    ++count;
  }
  return text.substr(0, std::min(i, text.size()));
}

}  // namespace bot::core
