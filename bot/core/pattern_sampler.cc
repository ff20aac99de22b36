#include "bot/core/pattern_sampler.h"

#include <algorithm>
#include <optional>
#include <set>
#include <utility>

#include "bot/core/pattern_syntax.h"
#include "bot/core/utf8.h"

namespace bot::core {
namespace {

struct CharClass {
  bool negated = false;
  std::vector<std::pair<char32_t, char32_t>> ranges;
  bool word = false, digit = false, space = false;

  bool Contains(char32_t c) const {
    bool in = false;
    for (const auto& [lo, hi] : ranges) in = in || (c >= lo && c <= hi);
    bool ascii_word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                      (c >= '0' && c <= '9') || c == '_';
    in = in || (word && ascii_word) || (digit && c >= '0' && c <= '9') ||
         (space && (c == ' ' || c == '\t' || c == '\n' || c == '\r'));
    return in != negated;
  }

  // One member, preferring readable ones; `choice` varies positive classes.
  std::optional<char32_t> Pick(int choice) const {
    if (!negated) {
      std::vector<char32_t> options;
      for (const auto& [lo, hi] : ranges) options.push_back(lo);
      if (word) options.push_back('x');
      if (digit) options.push_back('1');
      if (space) options.push_back(' ');
      if (options.empty()) return std::nullopt;
      return options[static_cast<size_t>(choice) % options.size()];
    }
    for (char32_t c : {U' ', U'x', U'1', U'-', U'.', U'q'}) {
      if (Contains(c)) return c;
    }
    return std::nullopt;
  }
};

// What the sampler makes of a syntax node: assertions and flags match the
// empty string, groups are what they hold.
struct Node {
  enum class Kind { kEmpty, kLiteral, kClass, kAny, kConcat, kAlternation, kRepeat };
  Kind kind = Kind::kEmpty;
  char32_t literal = 0;
  CharClass cls;
  std::vector<Node> kids;
  int min = 0, max = -1;  // kRepeat; max -1 = unbounded
  int id = 0;             // decorrelates choices between nodes
};

// Lowers a syntax tree to sampler nodes. Ids are handed out in the order
// the sampler's own parser once created its nodes (one per alternation or
// concatenation read, whether kept or not; two for an escaped character),
// so that sample i of a pattern stays the same string.
class Lowering {
 public:
  // False when the tree holds syntax the sampler does not model.
  bool ok() const { return ok_; }

  // The root, or a group's body.
  Node Alternation(const SyntaxNode& body) {
    Node alt = Make(Node::Kind::kAlternation);
    if (body.kind != SyntaxNode::Kind::kAlternation) return Concat(body);
    for (const SyntaxNode& branch : body.kids) alt.kids.push_back(Concat(branch));
    return alt;
  }

 private:
  Node Make(Node::Kind kind) {
    Node n;
    n.kind = kind;
    n.id = next_id_++;
    return n;
  }

  Node Concat(const SyntaxNode& branch) {
    Node cat = Make(Node::Kind::kConcat);
    if (branch.kind == SyntaxNode::Kind::kConcat) {
      for (const SyntaxNode& item : branch.kids) cat.kids.push_back(Item(item));
    } else if (branch.kind != SyntaxNode::Kind::kEmpty) {
      cat.kids.push_back(Item(branch));
    }
    return cat;
  }

  Node Item(const SyntaxNode& n) {
    using Kind = SyntaxNode::Kind;
    switch (n.kind) {
      case Kind::kRepeat: {
        Node inner = Item(n.kids[0]);
        Node rep = Make(Node::Kind::kRepeat);
        rep.min = n.min;
        rep.max = n.max;
        rep.kids.push_back(std::move(inner));
        return rep;
      }
      case Kind::kGroup:
        return Alternation(n.kids[0]);
      case Kind::kAnyChar:
        return Make(Node::Kind::kAny);
      case Kind::kClass: {
        Node c = Make(Node::Kind::kClass);
        c.cls.negated = n.negated;
        c.cls.ranges = n.ranges;
        c.cls.digit = n.perl & SyntaxNode::kDigit;
        c.cls.word = n.perl & SyntaxNode::kWord;
        c.cls.space = n.perl & SyntaxNode::kSpace;
        return c;
      }
      case Kind::kLiteral: {
        if (n.escaped) ++next_id_;
        Node l = Make(Node::Kind::kLiteral);
        l.literal = n.value;
        return l;
      }
      case Kind::kOther:
        ok_ = false;
        return Make(Node::Kind::kEmpty);
      default:  // assertions, flags
        return Make(Node::Kind::kEmpty);
    }
  }

  int next_id_ = 0;
  bool ok_ = true;
};

bool IsGap(const Node& n) {
  return n.kind == Node::Kind::kRepeat && n.kids[0].kind == Node::Kind::kAny;
}

// Sample number `i`: alternation k of node n takes branch (i + n.id) mod k,
// so `limit` samples cover every branch of any alternation up to that size.
void Generate(const Node& n, int i, std::string* out) {
  switch (n.kind) {
    case Node::Kind::kEmpty:
      return;
    case Node::Kind::kLiteral:
      AppendUtf8(n.literal, out);
      return;
    case Node::Kind::kClass:
      if (auto c = n.cls.Pick(i + n.id)) AppendUtf8(*c, out);
      return;
    case Node::Kind::kAny:
      *out += 'x';
      return;
    case Node::Kind::kConcat:
      for (const Node& k : n.kids) Generate(k, i, out);
      return;
    case Node::Kind::kAlternation:
      Generate(n.kids[static_cast<size_t>(i + n.id) % n.kids.size()], i, out);
      return;
    case Node::Kind::kRepeat: {
      if (IsGap(n)) {
        // A gap: a space keeps the words around it apart.
        *out += ' ';
        for (int k = 1; k < n.min; ++k) *out += 'x';
        if (n.min > 1) *out += ' ';
        return;
      }
      int count = n.min;
      bool single_char = n.kids[0].kind == Node::Kind::kClass ||
                         n.kids[0].kind == Node::Kind::kLiteral;
      if (!single_char && (n.max == -1 || n.max > n.min) && (i + n.id) % 2 == 0) {
        ++count;
      }
      for (int k = 0; k < count; ++k) Generate(n.kids[0], i, out);
      return;
    }
  }
}

int MaxBranches(const Node& n) {
  int m = n.kind == Node::Kind::kAlternation ? static_cast<int>(n.kids.size()) : 1;
  for (const Node& k : n.kids) m = std::max(m, MaxBranches(k));
  return m;
}

std::string CollapseSpaces(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    out += c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace

std::vector<std::string> PatternSamples(const std::string& pattern, size_t limit) {
  const PatternSyntax syntax = ParsePattern(pattern);
  if (!syntax.ok()) return {};
  Lowering lowering;
  const Node tree = lowering.Alternation(syntax.root);
  if (!lowering.ok()) return {};
  std::vector<std::string> out;
  std::set<std::string> seen;
  int rounds = std::max(static_cast<int>(limit), std::min(64, 2 * MaxBranches(tree)));
  for (int i = 0; i < rounds && out.size() < limit; ++i) {
    std::string s;
    Generate(tree, i, &s);
    s = CollapseSpaces(s);
    size_t lead = s.find_first_not_of(' ');
    s = lead == std::string::npos ? "" : s.substr(lead);
    if (seen.insert(s).second) out.push_back(s);
  }
  return out;
}

}  // namespace bot::core
