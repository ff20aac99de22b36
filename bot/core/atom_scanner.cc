#include "bot/core/atom_scanner.h"

#include <algorithm>
#include <map>

namespace bot::core {

AtomScanner::AtomScanner(const std::vector<std::string>& atoms)
    : atom_count_(atoms.size()) {
  // Byte classes: every byte some atom uses gets its own class, and an ASCII
  // capital shares the class of its lower-case letter.
  for (const std::string& a : atoms) {
    for (unsigned char c : a) {
      unsigned char lower = (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
      if (byte_class_[lower] == 0) byte_class_[lower] = static_cast<uint8_t>(classes_++);
      // More than 255 distinct bytes cannot happen (class 0 is "other").
    }
  }
  for (int c = 'A'; c <= 'Z'; ++c) byte_class_[c] = byte_class_[c - 'A' + 'a'];

  // The trie, with children as sorted maps while building.
  std::vector<std::map<uint32_t, uint32_t>> children(1);
  std::vector<std::vector<int>> own(1);
  lengths_.reserve(atoms.size());
  for (size_t a = 0; a < atoms.size(); ++a) {
    uint32_t state = 0;
    for (unsigned char c : atoms[a]) {
      unsigned char lower = (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
      uint32_t cls = byte_class_[lower];
      auto it = children[state].find(cls);
      if (it == children[state].end()) {
        uint32_t next = static_cast<uint32_t>(children.size());
        children[state][cls] = next;
        children.emplace_back();
        own.emplace_back();
        state = next;
      } else {
        state = it->second;
      }
    }
    own[state].push_back(static_cast<int>(a));
    lengths_.push_back(static_cast<uint32_t>(atoms[a].size()));
  }

  // Breadth-first: fail links, then the full transition table (a missing
  // edge goes where the fail state's edge goes), and each state's outputs:
  // its own atoms and those of its fail state (already complete, as it is
  // shallower).
  const size_t n = children.size();
  table_.assign(n * classes_, 0);
  std::vector<uint32_t> fail(n, 0);
  std::vector<std::vector<int>> out(n);
  std::vector<uint32_t> order;
  order.reserve(n);
  order.push_back(0);
  for (const auto& [cls, child] : children[0]) table_[cls] = child;
  for (size_t head = 0; head < order.size(); ++head) {
    uint32_t s = order[head];
    out[s] = own[s];
    if (s != 0) {
      const auto& inherited = out[fail[s]];
      out[s].insert(out[s].end(), inherited.begin(), inherited.end());
      for (uint32_t c = 0; c < classes_; ++c) {
        table_[s * classes_ + c] = table_[fail[s] * classes_ + c];
      }
    }
    for (const auto& [cls, child] : children[s]) {
      fail[child] = s == 0 ? 0 : table_[fail[s] * classes_ + cls];
      table_[s * classes_ + cls] = child;
      order.push_back(child);
    }
  }
  // Class 0 never continues a match.
  for (size_t s = 0; s < n; ++s) table_[s * classes_] = 0;

  // Entries become row offsets flagged with kHasOutput; states beyond what
  // the flag leaves room for cannot occur (RE2 atoms are few and short).
  for (uint32_t& next : table_) {
    const bool has_output = !out[next].empty();
    next = next * classes_ | (has_output ? kHasOutput : 0);
  }

  output_begin_.reserve(n + 1);
  for (size_t s = 0; s < n; ++s) {
    output_begin_.push_back(static_cast<uint32_t>(outputs_.size()));
    outputs_.insert(outputs_.end(), out[s].begin(), out[s].end());
  }
  output_begin_.push_back(static_cast<uint32_t>(outputs_.size()));
}

void AtomScanner::Scan(std::string_view text, std::vector<int>* found) const {
  size_t first = found->size();
  ForEachHit(text, [found](int atom, size_t) { found->push_back(atom); });
  std::sort(found->begin() + first, found->end());
  found->erase(std::unique(found->begin() + first, found->end()), found->end());
}

size_t AtomScanner::MemoryBytes() const {
  return table_.size() * sizeof(uint32_t) + output_begin_.size() * sizeof(uint32_t) +
         outputs_.size() * sizeof(int) + lengths_.size() * sizeof(uint32_t);
}

}  // namespace bot::core
