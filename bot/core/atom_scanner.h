// AtomScanner: finds which of a fixed set of literal strings ("atoms") occur
// in a text, in one pass (Aho-Corasick). The matcher uses it to tell RE2's
// FilteredRE2 which required literals a question contains. Immutable after
// construction; Scan is const and safe from many threads.
#pragma once

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

  size_t MemoryBytes() const;

 private:
  struct Node {
    int fail = 0;
    int output = -1;       // atom ending exactly here, or -1
    int dict_suffix = -1;  // nearest node on the fail chain with an output
    unsigned edge_begin = 0;
    unsigned edge_end = 0;
  };
  struct Edge {
    unsigned char byte;
    int target;
  };
  int Next(int state, unsigned char c) const;
  int Child(int state, unsigned char c) const;

  std::vector<Node> nodes_;
  std::vector<Edge> edges_;  // per node, sorted by byte
  std::vector<std::vector<int>> duplicates_;  // extra atom ids per node
  size_t atom_count_ = 0;
};

}  // namespace bot::core
