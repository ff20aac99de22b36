#include "bot/edge/channels/text_split.h"

#include <algorithm>

namespace bot::edge::channels {
namespace {

// Bytes in the UTF-8 sequence that starts with `lead` (1 for stray bytes, so
// the walk always advances).
size_t SequenceLength(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead >> 5) == 0x6) return 2;
  if ((lead >> 4) == 0xE) return 3;
  if ((lead >> 3) == 0x1E) return 4;
  return 1;
}

bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

// The best cut in text[0, window): returns the end of the first part (the
// next part starts after the whitespace that follows).
size_t ChooseCut(std::string_view text, size_t window) {
  std::string_view head = text.substr(0, window);
  size_t floor = window / 2;
  // Paragraph break.
  size_t p = head.rfind("\n\n");
  if (p != std::string_view::npos && p >= floor) return p;
  // Sentence end: . ! ? (or an ellipsis) followed by whitespace.
  for (size_t i = head.size(); i-- > floor;) {
    char c = head[i];
    if ((c == '.' || c == '!' || c == '?') && i + 1 < text.size() && IsSpace(text[i + 1])) {
      return i + 1;
    }
    // U+2026 HORIZONTAL ELLIPSIS is E2 80 A6.
    if (static_cast<unsigned char>(c) == 0xA6 && i >= 2 &&
        static_cast<unsigned char>(head[i - 2]) == 0xE2 &&
        static_cast<unsigned char>(head[i - 1]) == 0x80 && i + 1 < text.size() &&
        IsSpace(text[i + 1])) {
      return i + 1;
    }
  }
  p = head.rfind('\n');
  if (p != std::string_view::npos && p >= floor) return p;
  p = head.rfind(' ');
  if (p != std::string_view::npos && p >= floor) return p;
  return window;  // a code point boundary by construction
}

}  // namespace

size_t Utf16Units(std::string_view text) {
  size_t units = 0;
  for (size_t i = 0; i < text.size();) {
    size_t n = SequenceLength(static_cast<unsigned char>(text[i]));
    units += n == 4 ? 2 : 1;
    i += n;
  }
  return units;
}

std::vector<std::string> SplitMessage(std::string_view text, size_t max_units) {
  std::vector<std::string> parts;
  if (max_units < 2) max_units = 2;  // room for one surrogate pair
  auto trim_front = [](std::string_view s) {
    while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
    return s;
  };
  auto trim_back = [](std::string_view s) {
    while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
    return s;
  };
  std::string_view rest = trim_front(trim_back(text));
  while (!rest.empty()) {
    // The longest prefix (in bytes) that fits in max_units.
    size_t bytes = 0, units = 0;
    while (bytes < rest.size()) {
      size_t n = SequenceLength(static_cast<unsigned char>(rest[bytes]));
      size_t u = n == 4 ? 2 : 1;
      if (units + u > max_units || bytes + n > rest.size()) break;
      units += u;
      bytes += n;
    }
    if (bytes == rest.size()) {
      parts.emplace_back(rest);
      break;
    }
    size_t cut = ChooseCut(rest, bytes);
    std::string_view part = trim_back(rest.substr(0, cut));
    if (part.empty()) part = rest.substr(0, cut = bytes);
    parts.emplace_back(part);
    rest = trim_front(rest.substr(cut));
  }
  return parts;
}

std::string EscapeSlack(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string DecodeSlack(std::string_view text) {
  // First the <...> controls (their literal brackets are always escaped in
  // user text, so a raw '<' starts a control).
  std::string plain;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '<') {
      plain += text[i];
      continue;
    }
    size_t close = text.find('>', i);
    if (close == std::string_view::npos) {
      plain += text.substr(i);
      break;
    }
    std::string_view inner = text.substr(i + 1, close - i - 1);
    size_t bar = inner.find('|');
    std::string_view target = inner.substr(0, bar);
    std::string_view label = bar == std::string_view::npos ? "" : inner.substr(bar + 1);
    if (!target.empty() && (target[0] == '@' || target[0] == '!')) {
      plain += label;  // mentions: keep only a label, if any
    } else if (!target.empty() && target[0] == '#') {
      if (!label.empty()) {
        // Appended piecewise: `"#" + std::string(label)` trips GCC 12's
        // -Wstringop-overflow false positive.
        plain += '#';
        plain += label;
      }
    } else {
      plain += label.empty() ? target : label;
    }
    i = close;
  }
  std::string out;
  out.reserve(plain.size());
  for (size_t i = 0; i < plain.size(); ++i) {
    std::string_view s = std::string_view(plain).substr(i);
    if (s.rfind("&amp;", 0) == 0) {
      out += '&';
      i += 4;
    } else if (s.rfind("&lt;", 0) == 0) {
      out += '<';
      i += 3;
    } else if (s.rfind("&gt;", 0) == 0) {
      out += '>';
      i += 3;
    } else {
      out += plain[i];
    }
  }
  // Dropped mentions leave edge spaces ("<@U1> is parking free?").
  size_t b = out.find_first_not_of(' ');
  size_t e = out.find_last_not_of(' ');
  return b == std::string::npos ? "" : out.substr(b, e - b + 1);
}

}  // namespace bot::edge::channels
