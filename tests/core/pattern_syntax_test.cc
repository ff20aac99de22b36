#include "bot/core/pattern_syntax.h"

#include <catch2/catch.hpp>
#include <fstream>

#include "bot/core/matcher.h"
#include "bot/core/utf8.h"
#include "re2/re2.h"
#include "tests/support/test_support.h"

using bot::core::DescribeSyntax;
using bot::core::ParsePattern;
using bot::core::SyntaxNode;

namespace {

// The tree of a pattern that parses without a structural error.
std::string Tree(const std::string& pattern) {
  auto syntax = ParsePattern(pattern);
  CHECK(syntax.ok());
  return DescribeSyntax(syntax.root);
}

}  // namespace

TEST_CASE("ParsePattern reads the syntax intents use into a tree with byte spans",
          "[pattern_syntax]") {
  auto [pattern, tree] = GENERATE(table<std::string, std::string>({
      {"", "empty@0-0"},
      {"osce", R"((cat@0-4 "osce"@0-4))"},
      {R"(\bjoin(ed)?)", R"((cat@0-11 \b@0-2 "join"@2-6 (?@6-11 (group@6-10 (cat@7-9 "ed"@7-9)))))"},
      {R"(^(hi|hello)\b)",
       R"((cat@0-13 ^@0-1 (group@1-11 (alt@2-10 (cat@2-4 "hi"@2-4) (cat@5-10 "hello"@5-10))) \b@11-13))"},
      {R"(\bjoin\w*\b.*\bosce\b)",
       R"((cat@0-21 \b@0-2 "join"@2-6 (*@6-9 \w@6-8) \b@9-11 (*@11-13 .@11-12) \b@13-15 "osce"@15-19 \b@19-21))"},
      {"(?i)^osce$", R"((cat@0-10 (?i)@0-4 ^@4-5 "osce"@5-9 $@9-10))"},
      {R"((?P<year>(19|20)\d\d))",
       R"((group<year>@0-21 (cat@9-20 (group@9-16 (alt@10-15 (cat@10-12 "19"@10-12) (cat@13-15 "20"@13-15))) \d@16-18 \d@18-20)))"},
      {"(?i:osce)|a||b", R"((alt@0-14 (?i:@0-9 (cat@4-8 "osce"@4-8)) "a"@10-11 empty@12-12 "b"@13-14))"},
      // Spans count bytes: Cyrillic letters take two.
      {"бел[ао]рус", R"((cat@0-18 "бел"@0-6 [ао]@6-12 "рус"@12-18))"},
      {R"([^a-z\d]+)", R"((+@0-9 [^a-z\d]@0-8))"},
      {"[]a-]", "[]a-]@0-5"},
      {R"(a{2,3}?b{2,}c{4}.*?)",
       R"((cat@0-19 ({2,3}?@0-7 "a"@0-1) ({2,}@7-12 "b"@7-8) ({4}@12-16 "c"@12-13) (*?@16-19 .@16-17)))"},
      // A brace that starts no repetition is a literal, as in RE2.
      {"x{,3}y{01}", R"((cat@0-10 "x{,3}y{01}"@0-10))"},
      {R"(\.\?\ \n)", R"((cat@0-8 ".? \x0a"@0-8))"},
      {R"(\Bx\A\z)", R"((cat@0-7 \B@0-2 "x"@2-3 \A@3-5 \z@5-7))"},
  }));
  CAPTURE(pattern);
  CHECK(Tree(pattern) == tree);
}

TEST_CASE("ParsePattern keeps what the tree does not model as one opaque node",
          "[pattern_syntax]") {
  auto [pattern, tree] = GENERATE(table<std::string, std::string>({
      {R"(\pL+\x41)", "(cat@0-8 (+@0-4 other@0-3) other@4-8)"},
      {R"(\p{Greek}\x{44F}\101\C\D)", "(cat@0-24 other@0-9 other@9-16 other@16-20 other@20-22 other@22-24)"},
      {R"([[:alpha:]]x)", R"((cat@0-12 other@0-11 "x"@11-12))"},
      {R"([a\pL])", "other@0-6"},
      {R"(\Qa.b\Ec)", R"((cat@0-8 other@0-7 "c"@7-8))"},
      {"(?=ahead)b", R"((cat@0-10 other@0-9 "b"@9-10))"},
      {"(?P=name)", "other@0-9"},
  }));
  CAPTURE(pattern);
  CHECK(Tree(pattern) == tree);
}

TEST_CASE("ParsePattern says where a pattern's structure breaks and keeps what it read",
          "[pattern_syntax]") {
  auto [pattern, offset, message, tree] =
      GENERATE(table<std::string, size_t, std::string, std::string>({
          {"(unclosed", 0, "missing )", R"((group@0-9 (cat@1-9 "unclosed"@1-9)))"},
          {"ab)cd", 2, "unmatched )", R"((cat@0-2 "ab"@0-2))"},
          {"x[abc", 1, "missing ]", R"((cat@0-5 "x"@0-1 [abc]@1-5))"},
          {"a\\", 1, "trailing \\", R"((cat@0-2 "a"@0-1 other@1-2))"},
          {"a|*b", 2, "no argument for repetition operator", R"((alt@0-4 "a"@0-1 (cat@2-4 other@2-3 "b"@3-4)))"},
          {"(?P<year", 0, "missing >", "(group<year>@0-8 empty@8-8)"},
      }));
  CAPTURE(pattern);
  auto syntax = ParsePattern(pattern);
  REQUIRE_FALSE(syntax.ok());
  CHECK(syntax.error->offset == offset);
  CHECK(syntax.error->message == message);
  CHECK(DescribeSyntax(syntax.root) == tree);
}

TEST_CASE("ParsePattern marks escapes and reads classes member by member", "[pattern_syntax]") {
  auto escaped = ParsePattern(R"(\.a)").root;
  REQUIRE(escaped.kids.size() == 2);
  CHECK(escaped.kids[0].escaped);
  CHECK(escaped.kids[0].value == '.');
  CHECK_FALSE(escaped.kids[1].escaped);

  auto cls = ParsePattern(R"([^a-c\d_])").root;
  REQUIRE(cls.kind == SyntaxNode::Kind::kClass);
  CHECK(cls.negated);
  CHECK(cls.bracketed);
  CHECK(cls.escaped);
  CHECK(cls.perl == SyntaxNode::kDigit);
  CHECK(cls.ranges == std::vector<std::pair<char32_t, char32_t>>{{'a', 'c'}, {'_', '_'}});

  auto perl = ParsePattern(R"(\w)").root;
  CHECK(perl.kind == SyntaxNode::Kind::kClass);
  CHECK_FALSE(perl.bracketed);
  CHECK_FALSE(perl.escaped);
  CHECK(perl.perl == SyntaxNode::kWord);

  auto rep = ParsePattern("x{2,}?").root;
  REQUIRE(rep.kind == SyntaxNode::Kind::kRepeat);
  CHECK(rep.op == '{');
  CHECK(rep.min == 2);
  CHECK(rep.max == -1);
  CHECK_FALSE(rep.greedy);
}

namespace {

// Parses an RE2-valid pattern and checks that the tree spans all of it and
// that each node's span holds that node's own text.
void CheckSpans(const std::string& pattern) {
  auto syntax = ParsePattern(pattern);
  CAPTURE(pattern);
  REQUIRE(syntax.ok());
  CHECK(syntax.root.begin == 0);
  CHECK(syntax.root.end == pattern.size());
  bot::core::ForEachNode(syntax.root, [&](const SyntaxNode& n) {
    REQUIRE(n.begin <= n.end);
    REQUIRE(n.end <= pattern.size());
    const std::string text = pattern.substr(n.begin, n.end - n.begin);
    for (const SyntaxNode& kid : n.kids) {
      CHECK(kid.begin >= n.begin);
      CHECK(kid.end <= n.end);
    }
    switch (n.kind) {
      case SyntaxNode::Kind::kGroup:
        CHECK(text.front() == '(');
        CHECK(text.back() == ')');
        break;
      case SyntaxNode::Kind::kLiteral:
        if (n.escaped) {
          CHECK(text.size() == 2);
          CHECK(text[0] == '\\');
        } else {
          std::string written;
          bot::core::AppendUtf8(n.value, &written);
          CHECK(text == written);
        }
        break;
      case SyntaxNode::Kind::kClass:
        CHECK(text.front() == (n.bracketed ? '[' : '\\'));
        break;
      default:
        break;
    }
  });
}

}  // namespace

TEST_CASE("ParsePattern reads every shipped pattern whole, each span on its text",
          "[pattern_syntax]") {
  auto k = bot::testing::ShippedKnowledge();
  for (const auto& intent : k->intents().intents()) {
    for (const auto& p : intent.patterns) CheckSpans(p.text);
    for (const auto& p : intent.exclude) CheckSpans(p.text);
  }
}

TEST_CASE("ParsePattern reads every benchmark pattern whole, each span on its text",
          "[pattern_syntax]") {
  BOT_REQUIRE_SHARED();  // the benchmark set lives there
  std::ifstream in(bot::testing::SharedDir() + "/bench/patterns_1000.txt");
  std::string pattern;
  size_t read = 0;
  while (std::getline(in, pattern)) {
    RE2 re(pattern, bot::core::Matcher::PatternOptions());
    if (!re.ok()) continue;
    ++read;
    CheckSpans(pattern);
  }
  CHECK(read == 1000);
}
