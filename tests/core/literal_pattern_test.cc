#include "bot/core/literal_pattern.h"

#include <catch2/catch.hpp>

using bot::core::LiteralPattern;
using bot::core::ParsePattern;
using bot::core::ReadLiteralPattern;

namespace {

// The literal pieces as one line: alternatives with `\b` where a boundary is
// checked and `\w*` where a run is, `|` between them, ` .* ` between groups,
// and the anchors; "none" when the pattern is left to RE2.
std::string Pieces(const std::string& pattern) {
  auto syntax = ParsePattern(pattern);
  REQUIRE(syntax.ok());
  std::optional<LiteralPattern> lp = ReadLiteralPattern(syntax.root);
  if (!lp) return "none";
  std::string out = lp->starts_text ? "^ " : "";
  for (size_t g = 0; g < lp->groups.size(); ++g) {
    if (g > 0) out += " .* ";
    for (size_t a = 0; a < lp->groups[g].size(); ++a) {
      const auto& alt = lp->groups[g][a];
      if (a > 0) out += '|';
      out += (alt.boundary_before ? "\\b" : "") + alt.text + (alt.run ? "\\w*" : "") + alt.tail +
             (alt.boundary_after ? "\\b" : "");
    }
  }
  if (lp->ends_text) out += " $" + lp->end_chars;
  return out;
}

}  // namespace

TEST_CASE("ReadLiteralPattern turns the scan's shape into literal pieces", "[literal_pattern]") {
  auto [pattern, pieces] = GENERATE(table<std::string, std::string>({
      {"OSCE", "osce"},
      {R"(\b(how many|how much)\b.*\bdelegates?\b)",
       R"(\bhow many\b|\bhow much\b .* \bdelegate\b|\bdelegates\b)"},
      {R"(\bjoin\w* (the )?osce\b)", R"(\bjoin\w* osce\b|\bjoin\w* the osce\b)"},
      {"join(ed)?", "join|joined"},
      {"hi|hello", "hi|hello"},
      {R"((?i)^(hi|hello)\b)", R"(^ hello\b|hi\b)"},
      {"x[ba]*$", "x $ab"},
      {R"([0-2]\.)", "0.|1.|2."},
      // A `\b` between two characters is decided at once.
      {R"(a\b-)", "a-"},
      // `\w*` that cannot end a word's run, or that ends the pattern.
      {R"(-\w*\b)", R"(-\b)"},
      {R"(x\w*)", "x"},
      {R"(\bx\w*,y)", R"(\bx\w*,y)"},
  }));
  CAPTURE(pattern);
  CHECK(Pieces(pattern) == pieces);
}

TEST_CASE("ReadLiteralPattern leaves other shapes to RE2", "[literal_pattern]") {
  auto pattern = GENERATE(as<std::string>{},
                          R"(a\bb)",       // the boundary can never hold
                          "a|b.*c",        // a top-level branch of two groups
                          "^a|b",          // an anchor on one branch
                          "^.*x",          // that is just `x`
                          R"(x\w*$)",      // a run up to the end
                          "(a)?",          // matches the empty string
                          "a+", "x.y", "[^a]", R"(\w+)",
                          "a]",            // RE2 reads `]` literally; the scan does not try
                          "(?s)x", "a(?i)b",
                          "бел[ао]рус",    // non-ASCII classes
                          R"(\pL)", "");
  CAPTURE(pattern);
  CHECK(Pieces(pattern) == "none");
}
