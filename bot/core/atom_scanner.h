// AtomScanner: finds which of a fixed set of literal strings ("atoms") occur
// in a text, and where, in one pass (Aho-Corasick compiled to a DFA over
// byte classes: one table lookup per byte of text). ASCII letters in the text
// match their lower-case form, so atoms are given in lower case. The matcher
// uses it both to feed RE2's FilteredRE2 the atoms a question contains and to
// find every occurrence of the words its simple patterns are made of.
// Immutable after construction; Scan/ForEachHit are const and thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bot::core {

class AtomScanner {
 public:
  explicit AtomScanner(const std::vector<std::string>& atoms);

  // Appends to `found` the index of every atom occurring in `text`, each
  // once, ascending.
  void Scan(std::string_view text, std::vector<int>* found) const;

  // Calls on_hit(atom, end) for every occurrence of every atom in `text`
  // (`end` is the offset just past it), in order of increasing `end`.
  template <typename OnHit>
  void ForEachHit(std::string_view text, OnHit&& on_hit) const {
    const uint32_t* table = table_.data();
    const uint32_t stride = classes_;
    uint32_t row = 0;  // the current state's first table entry
    for (size_t i = 0; i < text.size(); ++i) {
      const uint32_t next = table[row + byte_class_[static_cast<unsigned char>(text[i])]];
      row = next & ~kHasOutput;
      if (next & kHasOutput) {
        const uint32_t state = row / stride;
        const uint32_t begin = output_begin_[state], end = output_begin_[state + 1];
        for (uint32_t o = begin; o < end; ++o) on_hit(outputs_[o], i + 1);
      }
    }
  }

  size_t atom_count() const { return atom_count_; }
  // Length in bytes of atom `a`.
  size_t atom_length(int a) const { return lengths_[a]; }
  size_t MemoryBytes() const;

 private:
  // A table entry is the next state's row offset (state * classes_), with
  // this bit set when some atom ends there: the scan loop then reads only
  // the table until a hit.
  static constexpr uint32_t kHasOutput = 0x80000000u;
  uint32_t classes_ = 1;           // byte class 0: bytes in no atom
  uint8_t byte_class_[256] = {};
  std::vector<uint32_t> table_;    // state * classes_ + class -> entry
  std::vector<uint32_t> output_begin_;  // per state, into outputs_ (+1 sentinel)
  std::vector<int> outputs_;       // atoms ending at each state, suffixes too
  std::vector<uint32_t> lengths_;
  size_t atom_count_ = 0;
};

}  // namespace bot::core
