#include "bot/core/matcher.h"

#include <algorithm>

namespace bot::core {

RE2::Options Matcher::PatternOptions() {
  RE2::Options options;
  options.set_case_sensitive(false);
  options.set_log_errors(false);
  options.set_encoding(RE2::Options::EncodingUTF8);
  return options;
}

std::unique_ptr<Matcher> Matcher::Compile(const std::vector<std::string>& patterns,
                                          std::vector<PatternError>* errors) {
  // Atoms shorter than this would make the prefilter pass almost everything.
  constexpr int kMinAtomLength = 3;
  std::unique_ptr<Matcher> m(new Matcher());
  m->filter_ = std::make_unique<re2::FilteredRE2>(kMinAtomLength);
  m->to_filtered_.assign(patterns.size(), -1);
  RE2::Options options = PatternOptions();
  for (size_t i = 0; i < patterns.size(); ++i) {
    int id = -1;
    RE2::ErrorCode code = m->filter_->Add(patterns[i], options, &id);
    if (code != RE2::NoError) {
      // Compile again on its own to recover RE2's message and argument.
      RE2 probe(patterns[i], options);
      errors->push_back({static_cast<int>(i), probe.error(), probe.error_arg()});
      continue;
    }
    m->to_filtered_[i] = id;
    m->to_input_.push_back(static_cast<int>(i));
  }
  std::vector<std::string> atoms;
  if (!m->to_input_.empty()) m->filter_->Compile(&atoms);
  m->atom_count_ = atoms.size();
  m->scanner_ = std::make_unique<AtomScanner>(atoms);
  return m;
}

void Matcher::Match(std::string_view text, std::vector<int>* matches) const {
  matches->clear();
  if (to_input_.empty()) return;
  std::vector<int> atoms;
  scanner_->Scan(text, &atoms);
  std::vector<int> ids;
  filter_->AllMatches(re2::StringPiece(text.data(), text.size()), atoms, &ids);
  for (int id : ids) matches->push_back(to_input_[id]);
  std::sort(matches->begin(), matches->end());
}

void Matcher::MatchNaive(std::string_view text, std::vector<int>* matches) const {
  matches->clear();
  re2::StringPiece piece(text.data(), text.size());
  for (size_t id = 0; id < to_input_.size(); ++id) {
    if (RE2::PartialMatch(piece, filter_->GetRE2(static_cast<int>(id)))) {
      matches->push_back(to_input_[id]);
    }
  }
}

const RE2* Matcher::pattern(int i) const {
  if (i < 0 || static_cast<size_t>(i) >= to_filtered_.size()) return nullptr;
  int id = to_filtered_[i];
  return id < 0 ? nullptr : &filter_->GetRE2(id);
}

namespace {

// A tiny recursive-descent reader of RE2 syntax that only counts what must
// be matched literally. Unknown constructs count as zero: never an error.
class SpecificityReader {
 public:
  explicit SpecificityReader(std::string_view p) : p_(p) {}
  int Alternation() {
    int best = Concatenation();
    while (pos_ < p_.size() && p_[pos_] == '|') {
      ++pos_;
      best = std::min(best, Concatenation());
    }
    return best;
  }

 private:
  int Concatenation() {
    int total = 0;
    while (pos_ < p_.size() && p_[pos_] != '|' && p_[pos_] != ')') {
      int item = Atom();
      total += Quantified(item);
    }
    return total;
  }

  int Quantified(int item) {
    if (pos_ >= p_.size()) return item;
    char c = p_[pos_];
    int result = item;
    if (c == '*' || c == '?') {
      ++pos_;
      result = 0;
    } else if (c == '+') {
      ++pos_;
    } else if (c == '{') {
      size_t close = p_.find('}', pos_);
      if (close == std::string_view::npos) return item;
      std::string_view body = p_.substr(pos_ + 1, close - pos_ - 1);
      int min = 0;
      for (char d : body) {
        if (d < '0' || d > '9') break;
        min = min * 10 + (d - '0');
        if (min > 100) break;
      }
      pos_ = close + 1;
      result = item * std::min(min, 100);
    } else {
      return item;
    }
    if (pos_ < p_.size() && p_[pos_] == '?') ++pos_;  // non-greedy
    return result;
  }

  int Atom() {
    char c = p_[pos_];
    if (c == '(') {
      ++pos_;
      if (pos_ < p_.size() && p_[pos_] == '?') {
        // (?:...), (?P<name>...), (?i) or (?i:...)
        ++pos_;
        if (pos_ < p_.size() && p_[pos_] == 'P') {
          size_t close = p_.find('>', pos_);
          pos_ = close == std::string_view::npos ? p_.size() : close + 1;
        } else {
          while (pos_ < p_.size() && p_[pos_] != ':' && p_[pos_] != ')') ++pos_;
          if (pos_ < p_.size() && p_[pos_] == ')') {
            ++pos_;
            return 0;  // flags only
          }
          if (pos_ < p_.size()) ++pos_;
        }
      }
      int inner = Alternation();
      if (pos_ < p_.size() && p_[pos_] == ')') ++pos_;
      return inner;
    }
    if (c == '[') {
      ++pos_;
      if (pos_ < p_.size() && p_[pos_] == '^') ++pos_;
      if (pos_ < p_.size() && p_[pos_] == ']') ++pos_;
      while (pos_ < p_.size() && p_[pos_] != ']') {
        if (p_[pos_] == '\\') {
          pos_ += 2;
          continue;
        }
        if (p_[pos_] == '[' && pos_ + 1 < p_.size() && p_[pos_ + 1] == ':') {
          size_t close = p_.find(":]", pos_);
          pos_ = close == std::string_view::npos ? p_.size() : close + 1;
        }
        ++pos_;
      }
      pos_ = std::min(pos_ + 1, p_.size());
      return 0;
    }
    if (c == '\\') {
      ++pos_;
      if (pos_ >= p_.size()) return 0;
      char e = p_[pos_++];
      if (e == 'p' || e == 'P') {
        if (pos_ < p_.size() && p_[pos_] == '{') {
          size_t close = p_.find('}', pos_);
          pos_ = close == std::string_view::npos ? p_.size() : close + 1;
        } else {
          ++pos_;
        }
        return 0;
      }
      if (std::string_view("bBAzdDwWsSQE").find(e) != std::string_view::npos) {
        return 0;
      }
      return 1;  // an escaped literal such as \. or \?
    }
    ++pos_;
    if (c == '.' || c == '^' || c == '$') return 0;
    // Count code points, not bytes, so Cyrillic weighs like Latin.
    return (static_cast<unsigned char>(c) & 0xC0) == 0x80 ? 0 : 1;
  }

  std::string_view p_;
  size_t pos_ = 0;
};

}  // namespace

int PatternSpecificity(std::string_view pattern) {
  SpecificityReader reader(pattern);
  return reader.Alternation();
}

}  // namespace bot::core
