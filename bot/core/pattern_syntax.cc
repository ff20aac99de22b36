#include "bot/core/pattern_syntax.h"

#include <algorithm>
#include <cctype>

#include "bot/core/utf8.h"

namespace bot::core {
namespace {

using Kind = SyntaxNode::Kind;

bool IsAsciiAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool IsOctal(char c) { return c >= '0' && c <= '7'; }

// What one backslash escape stands for.
struct Escape {
  enum class Kind { kChar, kPerl, kAssertion, kOpaque } kind = Kind::kOpaque;
  char32_t value = 0;  // kChar: the character; kAssertion: its letter
  uint8_t perl = 0;    // kPerl
};

// Recursive descent over RE2's syntax, by its rules where the tree models
// the construct (what `{` means, which escapes are characters), so that
// reading resumes where RE2's own parser would.
class Parser {
 public:
  explicit Parser(std::string_view p) : p_(p) {}

  PatternSyntax Parse() {
    PatternSyntax out;
    out.root = Alternation();
    // Only a `)` stops the top level early.
    if (!AtEnd()) Fail(pos_, "unmatched )");
    out.error = std::move(error_);
    return out;
  }

 private:
  bool AtEnd() const { return pos_ >= p_.size(); }
  bool At(char c) const { return pos_ < p_.size() && p_[pos_] == c; }

  void Fail(size_t at, const char* message) {
    if (!error_) error_ = SyntaxError{at, message};
  }

  // A node of `kind` spanning from `begin` to here.
  SyntaxNode Make(Kind kind, size_t begin) const {
    SyntaxNode n;
    Set(&n, kind, begin);
    return n;
  }
  void Set(SyntaxNode* n, Kind kind, size_t begin) const {
    n->kind = kind;
    n->begin = begin;
    n->end = pos_;
  }

  SyntaxNode Alternation() {
    const size_t begin = pos_;
    std::vector<SyntaxNode> branches;
    branches.push_back(Concat());
    while (At('|')) {
      ++pos_;
      branches.push_back(Concat());
    }
    if (branches.size() == 1) return std::move(branches[0]);
    SyntaxNode alt = Make(Kind::kAlternation, begin);
    alt.kids = std::move(branches);
    return alt;
  }

  SyntaxNode Concat() {
    const size_t begin = pos_;
    std::vector<SyntaxNode> items;
    // Items are built in place: moving nodes is most of what parsing costs.
    items.reserve(std::min<size_t>(p_.size() - pos_, 16));
    while (!AtEnd() && !At('|') && !At(')')) {
      Atom(&items.emplace_back());
      Repeats(&items.back());
    }
    if (items.size() == 1) return std::move(items[0]);
    SyntaxNode cat = Make(items.empty() ? Kind::kEmpty : Kind::kConcat, begin);
    cat.kids = std::move(items);
    return cat;
  }

  // Wraps `item` in each repetition operator that follows it. RE2 refuses
  // a repetition of a repetition; the tree nests them and leaves that to RE2.
  void Repeats(SyntaxNode* item) {
    while (!AtEnd()) {
      const char c = p_[pos_];
      int min = 0, max = -1;
      if (c == '*') {
        ++pos_;
      } else if (c == '+') {
        min = 1;
        ++pos_;
      } else if (c == '?') {
        max = 1;
        ++pos_;
      } else if (c != '{' || !Counted(&min, &max)) {
        return;
      }
      SyntaxNode rep = Make(Kind::kRepeat, item->begin);
      rep.op = c;
      rep.min = min;
      rep.max = max;
      if (At('?')) {
        ++pos_;
        rep.greedy = false;
        rep.end = pos_;
      }
      rep.kids.push_back(std::move(*item));
      *item = std::move(rep);
    }
  }

  // A decimal count as RE2 reads one: no leading zero, saturated far above
  // RE2's limit of 1000 (which RE2 reports itself).
  bool Integer(size_t* i, int* out) const {
    const size_t start = *i;
    if (*i + 1 < p_.size() && p_[*i] == '0' && p_[*i + 1] >= '0' && p_[*i + 1] <= '9') {
      return false;
    }
    int v = 0;
    while (*i < p_.size() && p_[*i] >= '0' && p_[*i] <= '9') {
      v = std::min(v * 10 + (p_[*i] - '0'), 100000);
      ++*i;
    }
    *out = v;
    return *i > start;
  }

  // `{n}`, `{n,}`, `{n,m}` at pos_; anything else is a literal `{`.
  bool Counted(int* min, int* max) {
    size_t i = pos_ + 1;
    if (!Integer(&i, min)) return false;
    *max = *min;
    if (i < p_.size() && p_[i] == ',') {
      ++i;
      *max = -1;
      if (i < p_.size() && p_[i] != '}' && !Integer(&i, max)) return false;
    }
    if (i >= p_.size() || p_[i] != '}') return false;
    pos_ = i + 1;
    return true;
  }

  // Reads one item without its repetition into `n`, a new node.
  void Atom(SyntaxNode* n) {
    const size_t begin = pos_;
    const char c = p_[pos_];
    switch (c) {
      case '(':
        return Group(n);
      case '[':
        return Class(n);
      case '\\':
        return EscapeNode(n);
      case '.':
        ++pos_;
        return Set(n, Kind::kAnyChar, begin);
      case '^':
      case '$':
        ++pos_;
        Set(n, Kind::kAssertion, begin);
        n->value = static_cast<unsigned char>(c);
        return;
      case '*':
      case '+':
      case '?':
        ++pos_;
        Fail(begin, "no argument for repetition operator");
        return Set(n, Kind::kOther, begin);
      default:
        break;
    }
    // `{` that starts no repetition, `}` and `]` stand for themselves.
    const char32_t cp = DecodeUtf8(p_, &pos_);
    Set(n, cp == kInvalidCodePoint ? Kind::kOther : Kind::kLiteral, begin);
    if (cp != kInvalidCodePoint) n->value = cp;
  }

  void Group(SyntaxNode* n) {
    const size_t begin = pos_++;
    SyntaxNode& g = *n;
    Set(&g, Kind::kGroup, begin);
    if (!At('?')) {
      g.capturing = true;
    } else if (p_.substr(pos_, 2) == "?:") {
      pos_ += 2;
    } else if (p_.substr(pos_, 3) == "?P<" || p_.substr(pos_, 2) == "?<") {
      // `(?<name>` is RE2's newer spelling; this RE2 rejects it by itself.
      pos_ += p_[pos_ + 1] == 'P' ? 3 : 2;
      size_t close = p_.find('>', pos_);
      if (close == std::string_view::npos) {
        Fail(begin, "missing >");
        close = p_.size();
      }
      g.capturing = true;
      g.name = std::string(p_.substr(pos_, close - pos_));
      pos_ = std::min(close + 1, p_.size());
    } else {
      size_t i = pos_ + 1;
      while (i < p_.size() && std::string_view("imsU-").find(p_[i]) != std::string_view::npos) {
        ++i;
      }
      g.flags = std::string(p_.substr(pos_ + 1, i - pos_ - 1));
      if (i < p_.size() && p_[i] == ')') {
        pos_ = i + 1;
        return Set(&g, Kind::kFlags, begin);
      }
      if (i < p_.size() && p_[i] == ':') {
        pos_ = i + 1;
      } else {
        // Lookarounds, `(?P=name)` and the like: read on to find its end.
        ++pos_;
        g.kind = Kind::kOther;
        g.flags.clear();
      }
    }
    SyntaxNode body = Alternation();
    if (g.kind == Kind::kGroup) g.kids.push_back(std::move(body));
    if (AtEnd()) {
      Fail(begin, "missing )");
    } else {
      ++pos_;
    }
    g.end = pos_;
  }

  // Reads the escape whose backslash is at pos_ - 1.
  Escape ReadEscape(bool in_class) {
    Escape e;
    const char c = p_[pos_];
    if (static_cast<unsigned char>(c) >= 0x80) {
      DecodeUtf8(p_, &pos_);  // RE2 escapes no non-ASCII character
      return e;
    }
    ++pos_;
    switch (c) {
      case 'd':
      case 'w':
      case 's':
        e.kind = Escape::Kind::kPerl;
        e.perl = c == 'd' ? SyntaxNode::kDigit : c == 'w' ? SyntaxNode::kWord : SyntaxNode::kSpace;
        return e;
      case 'b':
      case 'B':
      case 'A':
      case 'z':
        if (!in_class) e.kind = Escape::Kind::kAssertion;
        e.value = static_cast<unsigned char>(c);
        return e;
      case 'a':
      case 'f':
      case 'n':
      case 'r':
      case 't':
      case 'v':
        e.kind = Escape::Kind::kChar;
        e.value = std::string_view("\a\f\n\r\t\v")[std::string_view("afnrtv").find(c)];
        return e;
      case 'p':
      case 'P':
      case 'x':
        if (At('{')) {
          const size_t close = p_.find('}', pos_);
          pos_ = close == std::string_view::npos ? p_.size() : close + 1;
        } else if (c == 'x') {
          for (int k = 0; k < 2 && !AtEnd() && std::isxdigit(static_cast<unsigned char>(p_[pos_])); ++k) {
            ++pos_;
          }
        } else if (!AtEnd()) {
          DecodeUtf8(p_, &pos_);
        }
        return e;
      case 'Q':
        if (!in_class) {
          const size_t close = p_.find("\\E", pos_);
          pos_ = close == std::string_view::npos ? p_.size() : close + 2;
        }
        return e;
      default:
        break;
    }
    if (IsOctal(c)) {
      for (int k = 0; k < 2 && !AtEnd() && IsOctal(p_[pos_]); ++k) ++pos_;
      return e;
    }
    if (!IsAsciiAlnum(c)) {  // punctuation, `_`, space: the character itself
      e.kind = Escape::Kind::kChar;
      e.value = static_cast<unsigned char>(c);
    }
    return e;  // `\D`, `\C`, `\E`, `\q`...: RE2 decides
  }

  void EscapeNode(SyntaxNode* n) {
    const size_t begin = pos_++;
    if (AtEnd()) {
      Fail(begin, "trailing \\");
      return Set(n, Kind::kOther, begin);
    }
    const Escape e = ReadEscape(/*in_class=*/false);
    Set(n, Kind::kOther, begin);
    switch (e.kind) {
      case Escape::Kind::kChar:
        n->kind = Kind::kLiteral;
        n->value = e.value;
        n->escaped = true;
        break;
      case Escape::Kind::kPerl:
        n->kind = Kind::kClass;
        n->perl = e.perl;
        break;
      case Escape::Kind::kAssertion:
        n->kind = Kind::kAssertion;
        n->value = e.value;
        break;
      case Escape::Kind::kOpaque:
        break;
    }
  }

  // One member character of a class at pos_ into *c; false when the member
  // is no single character (a Perl class, added to `cls`, or opaque).
  bool ClassChar(SyntaxNode* cls, char32_t* c, bool* opaque) {
    if (!At('\\')) {
      *c = DecodeUtf8(p_, &pos_);
      if (*c == kInvalidCodePoint) *opaque = true;
      return !*opaque;
    }
    ++pos_;
    cls->escaped = true;
    if (AtEnd()) return false;  // the class is reported unclosed
    const Escape e = ReadEscape(/*in_class=*/true);
    if (e.kind == Escape::Kind::kChar) {
      *c = e.value;
      return true;
    }
    if (e.kind == Escape::Kind::kPerl) {
      cls->perl |= e.perl;
    } else {
      *opaque = true;
    }
    return false;
  }

  void Class(SyntaxNode* out) {
    const size_t begin = pos_++;
    SyntaxNode& n = *out;
    Set(&n, Kind::kClass, begin);
    n.bracketed = true;
    bool opaque = false;
    if (At('^')) {
      n.negated = true;
      ++pos_;
    }
    // A `]` first is a member, not the end.
    for (bool first = true; !AtEnd() && (first || !At(']')); first = false) {
      if (At('[') && p_.substr(pos_ + 1, 1) == ":") {
        const size_t close = p_.find(":]", pos_ + 2);
        if (close != std::string_view::npos) {  // `[:alpha:]`
          pos_ = close + 2;
          opaque = true;
          continue;
        }
      }
      char32_t lo = 0, hi = 0;
      if (!ClassChar(&n, &lo, &opaque)) continue;
      hi = lo;
      if (At('-') && pos_ + 1 < p_.size() && p_[pos_ + 1] != ']') {
        ++pos_;
        // A range to a Perl class (`a-\d`) is an error RE2 reports.
        if (!ClassChar(&n, &hi, &opaque)) opaque = true;
      }
      n.ranges.push_back({lo, hi});
    }
    if (AtEnd()) {
      Fail(begin, "missing ]");
    } else {
      ++pos_;
    }
    if (opaque) n = SyntaxNode();
    Set(&n, opaque ? Kind::kOther : Kind::kClass, begin);
  }

  std::string_view p_;
  size_t pos_ = 0;
  std::optional<SyntaxError> error_;
};

void AppendChar(char32_t c, std::string* out) {
  if (c < 0x20) {
    static const char kHex[] = "0123456789abcdef";
    *out += "\\x";
    *out += kHex[c >> 4];
    *out += kHex[c & 15];
  } else if (c <= 0x10FFFF) {
    AppendUtf8(c, out);
  }
}

void AppendSpan(const SyntaxNode& n, std::string* out) {
  *out += '@' + std::to_string(n.begin) + '-' + std::to_string(n.end);
}

void Describe(const SyntaxNode& n, std::string* out);

void DescribeKids(const SyntaxNode& n, std::string* out) {
  for (size_t k = 0; k < n.kids.size(); ++k) {
    const SyntaxNode& kid = n.kids[k];
    *out += ' ';
    if (n.kind == Kind::kConcat && kid.kind == Kind::kLiteral) {
      size_t last = k;
      *out += '"';
      for (; last < n.kids.size() && n.kids[last].kind == Kind::kLiteral; ++last) {
        AppendChar(n.kids[last].value, out);
      }
      *out += "\"@" + std::to_string(kid.begin) + '-' + std::to_string(n.kids[last - 1].end);
      k = last - 1;
      continue;
    }
    Describe(kid, out);
  }
}

void Describe(const SyntaxNode& n, std::string* out) {
  switch (n.kind) {
    case Kind::kEmpty:
      *out += "empty";
      break;
    case Kind::kLiteral:
      *out += '"';
      AppendChar(n.value, out);
      *out += '"';
      break;
    case Kind::kAnyChar:
      *out += '.';
      break;
    case Kind::kClass: {
      std::string perl;
      if (n.perl & SyntaxNode::kDigit) perl += "\\d";
      if (n.perl & SyntaxNode::kWord) perl += "\\w";
      if (n.perl & SyntaxNode::kSpace) perl += "\\s";
      if (!n.bracketed) {
        *out += perl;
        break;
      }
      *out += n.negated ? "[^" : "[";
      for (const auto& [lo, hi] : n.ranges) {
        AppendChar(lo, out);
        if (hi != lo) {
          *out += '-';
          AppendChar(hi, out);
        }
      }
      *out += perl + "]";
      break;
    }
    case Kind::kAssertion:
      if (n.value != '^' && n.value != '$') *out += '\\';
      AppendChar(n.value, out);
      break;
    case Kind::kFlags:
      *out += "(?" + n.flags + ")";
      break;
    case Kind::kOther:
      *out += "other";
      break;
    case Kind::kGroup:
    case Kind::kRepeat:
    case Kind::kConcat:
    case Kind::kAlternation: {
      *out += '(';
      if (n.kind == Kind::kGroup) {
        *out += !n.capturing ? "?" + n.flags + ":" : n.name.empty() ? "group" : "group<" + n.name + ">";
      } else if (n.kind == Kind::kRepeat) {
        if (n.op != '{') {
          *out += n.op;
        } else {
          *out += '{' + std::to_string(n.min);
          if (n.max != n.min) *out += ',' + (n.max < 0 ? "" : std::to_string(n.max));
          *out += '}';
        }
        if (!n.greedy) *out += '?';
      } else {
        *out += n.kind == Kind::kConcat ? "cat" : "alt";
      }
      AppendSpan(n, out);
      DescribeKids(n, out);
      *out += ')';
      return;
    }
  }
  AppendSpan(n, out);
}

}  // namespace

PatternSyntax ParsePattern(std::string_view pattern) { return Parser(pattern).Parse(); }

std::string DescribeSyntax(const SyntaxNode& node) {
  std::string out;
  Describe(node, &out);
  return out;
}

}  // namespace bot::core
