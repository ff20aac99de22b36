// Splitting answers to a platform's length limit, and the small text
// transformations the adapters share (Slack escaping and entity decoding).
// Pure functions over valid UTF-8; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace bot::edge::channels {

// Length of UTF-8 `text` in UTF-16 code units (what Telegram counts; code
// points above U+FFFF count twice, everything else once).
size_t Utf16Units(std::string_view text);

// Splits `text` into parts of at most `max_units` UTF-16 units each, in
// order. Prefers a paragraph break, then a sentence end, then a line break,
// then a space, within the second half of the window; otherwise cuts at a
// code point boundary (never inside a UTF-8 sequence or surrogate pair).
// Whitespace at a cut is dropped. Empty text gives no parts.
std::vector<std::string> SplitMessage(std::string_view text, size_t max_units);

// Escapes & < > as Slack mrkdwn requires.
std::string EscapeSlack(std::string_view text);

// Turns Slack's incoming text into plain text: user/channel mentions and
// special mentions are dropped or reduced to their label, links become their
// label (or URL), then &lt; &gt; &amp; are decoded.
std::string DecodeSlack(std::string_view text);

}  // namespace bot::edge::channels
