#include "bot/edge/channels/text_split.h"

#include <catch2/catch.hpp>

#include "bot/core/utf8.h"

using namespace bot::edge::channels;  // NOLINT: test file

TEST_CASE("SplitMessage keeps short text whole and cuts long text at sentence ends",
          "[channels][split]") {
  CHECK(SplitMessage("", 10).empty());
  CHECK(SplitMessage("Short.", 10) == std::vector<std::string>{"Short."});
  // A sentence end in the second half of the window wins over a later space.
  CHECK(SplitMessage("Alpha beta gamma. Delta epsilon.", 25) ==
        std::vector<std::string>{"Alpha beta gamma.", "Delta epsilon."});
  // Without one, the last space; without a space, a hard cut.
  CHECK(SplitMessage("aaaa bbbb cccc dddd", 10) == std::vector<std::string>{"aaaa bbbb", "cccc dddd"});
  CHECK(SplitMessage("abcdefghij", 4) == std::vector<std::string>{"abcd", "efgh", "ij"});
  auto para = SplitMessage("Para one line.\n\nPara two is here", 20);
  CHECK(para == std::vector<std::string>{"Para one line.", "Para two is here"});
}

TEST_CASE("SplitMessage never cuts inside a UTF-8 sequence or a surrogate pair",
          "[channels][split]") {
  std::string cyrillic;
  for (int i = 0; i < 50; ++i) cyrillic += "Ж";     // 2 bytes, 1 unit each
  std::string emoji;
  for (int i = 0; i < 50; ++i) emoji += "\U0001F600";  // 4 bytes, 2 units each
  for (const std::string& text : {cyrillic, emoji}) {
    auto parts = SplitMessage(text, 7);
    std::string joined;
    for (const auto& p : parts) {
      CHECK(Utf16Units(p) <= 7);
      CHECK(bot::core::IsValidUtf8(p));
      joined += p;
    }
    CHECK(joined == text);
  }
  CHECK(Utf16Units("a\U0001F600Ж") == 4);
}

TEST_CASE("Slack text is escaped on the way out and decoded on the way in", "[channels][slack]") {
  CHECK(EscapeSlack("a & b < c > d") == "a &amp; b &lt; c &gt; d");
  CHECK(DecodeSlack("<@U0BOT> is parking free?") == "is parking free?");
  CHECK(DecodeSlack("hours &amp; parking? see &lt;this&gt;") == "hours & parking? see <this>");
  CHECK(DecodeSlack("look at <https://osce.org|the OSCE> and <#C1|general>") ==
        "look at the OSCE and #general");
  CHECK(DecodeSlack("<https://osce.org>") == "https://osce.org");
}
