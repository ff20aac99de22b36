#include "bot/core/utf8.h"

#include <catch2/catch.hpp>

using bot::core::FindInvalidUtf8;
using bot::core::ReplaceInvalidUtf8;

TEST_CASE("FindInvalidUtf8 points at the first byte that starts no well-formed sequence",
          "[utf8]") {
  CHECK(FindInvalidUtf8("") == std::string_view::npos);
  CHECK(FindInvalidUtf8("Belarus\xe2\x80\x99s") == std::string_view::npos);
  CHECK(FindInvalidUtf8("Belarus\x92s") == 7);         // Windows-1252 apostrophe
  CHECK(FindInvalidUtf8("ab\xc0\xaf") == 2);          // overlong '/'
  CHECK(FindInvalidUtf8("a\xed\xa0\x80") == 1);       // surrogate
  CHECK(FindInvalidUtf8("\xf0\x9f\x98") == 0);        // truncated
  CHECK(FindInvalidUtf8("ok \xf4\x90\x80\x80") == 3);  // beyond U+10FFFF
}

TEST_CASE("ReplaceInvalidUtf8 keeps valid text and marks each bad byte with U+FFFD",
          "[utf8]") {
  CHECK(ReplaceInvalidUtf8("Минск \xe2\x80\x99") == "Минск \xe2\x80\x99");
  CHECK(ReplaceInvalidUtf8("Belarus\x92s") == "Belarus\xef\xbf\xbds");
  CHECK(ReplaceInvalidUtf8("\xff\xfe") == "\xef\xbf\xbd\xef\xbf\xbd");
  CHECK(bot::core::IsValidUtf8(ReplaceInvalidUtf8("x\xed\xa0\x80y")));
}

TEST_CASE("TruncateUtf8 cuts at a code point boundary, never inside a sequence", "[utf8]") {
  using bot::core::TruncateUtf8;
  CHECK(TruncateUtf8("short", 10) == "short");
  CHECK(TruncateUtf8("abcdef", 3) == "abc");
  CHECK(TruncateUtf8("Минск", 3) == "М");          // 2-byte letters: the cut one goes whole
  CHECK(TruncateUtf8("a\U0001F600b", 4) == "a");  // inside the 4-byte emoji
  CHECK(TruncateUtf8("a\U0001F600b", 5) == "a\U0001F600");
  CHECK(TruncateUtf8("", 0).empty());
  CHECK(bot::core::IsValidUtf8(TruncateUtf8("Беларусь", 7)));
}

TEST_CASE("FirstCodePoints counts characters, not bytes", "[utf8]") {
  using bot::core::FirstCodePoints;
  CHECK(FirstCodePoints("Минск", 2) == "Ми");
  CHECK(FirstCodePoints("a\U0001F600b", 2) == "a\U0001F600");
  CHECK(FirstCodePoints("abc", 10) == "abc");
  CHECK(FirstCodePoints("abc", 0).empty());
}
