// Specificity: how much literal text a pattern demands, which ranks a more
// specific pattern above a vaguer one that matched the same question. Read
// off the pattern's syntax tree (pattern_syntax.h). Pure functions.
#pragma once

#include <string_view>

#include "bot/core/pattern_syntax.h"

namespace bot::core {

// Characters that must appear in every match: each literal counts one (a
// code point, so Cyrillic weighs like Latin), a group what it holds, `x+`
// and `x{n,...}` what x does times n (n at most 100), an alternation its
// least demanding branch; classes, `.`, anchors, optional parts and syntax
// the tree does not model count nothing. Never fails, even on a pattern
// RE2 rejects.
int PatternSpecificity(std::string_view pattern);
int PatternSpecificity(const SyntaxNode& node);

}  // namespace bot::core
