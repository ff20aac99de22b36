#include "bot/core/pattern_specificity.h"

#include <algorithm>

namespace bot::core {

int PatternSpecificity(const SyntaxNode& n) {
  using Kind = SyntaxNode::Kind;
  switch (n.kind) {
    case Kind::kLiteral:
      return 1;
    case Kind::kGroup:
      return PatternSpecificity(n.kids[0]);
    case Kind::kRepeat:
      return PatternSpecificity(n.kids[0]) * std::min(n.min, 100);
    case Kind::kConcat: {
      int total = 0;
      for (const SyntaxNode& kid : n.kids) total += PatternSpecificity(kid);
      return total;
    }
    case Kind::kAlternation: {
      int least = PatternSpecificity(n.kids[0]);
      for (size_t k = 1; k < n.kids.size(); ++k) {
        least = std::min(least, PatternSpecificity(n.kids[k]));
      }
      return least;
    }
    default:
      return 0;
  }
}

int PatternSpecificity(std::string_view pattern) {
  return PatternSpecificity(ParsePattern(pattern).root);
}

}  // namespace bot::core
