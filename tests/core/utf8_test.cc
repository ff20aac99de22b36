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
