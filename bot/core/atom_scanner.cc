#include "bot/core/atom_scanner.h"

#include <algorithm>
#include <map>
#include <queue>

namespace bot::core {

AtomScanner::AtomScanner(const std::vector<std::string>& atoms)
    : atom_count_(atoms.size()) {
  // Build the trie with maps, then flatten into sorted edge arrays: lookups
  // stay cache-friendly and memory stays proportional to the atoms.
  std::vector<std::map<unsigned char, int>> children(1);
  std::vector<int> output(1, -1);
  for (size_t a = 0; a < atoms.size(); ++a) {
    int state = 0;
    for (unsigned char c : atoms[a]) {
      auto it = children[state].find(c);
      if (it == children[state].end()) {
        children.emplace_back();
        output.push_back(-1);
        int next = static_cast<int>(children.size()) - 1;
        children[state][c] = next;
        state = next;
      } else {
        state = it->second;
      }
    }
    if (output[state] == -1) output[state] = static_cast<int>(a);
  }
  nodes_.resize(children.size());
  for (size_t s = 0; s < children.size(); ++s) {
    nodes_[s].output = output[s];
    nodes_[s].edge_begin = static_cast<unsigned>(edges_.size());
    for (const auto& [byte, target] : children[s]) edges_.push_back({byte, target});
    nodes_[s].edge_end = static_cast<unsigned>(edges_.size());
  }
  // Breadth-first: a node's fail link is the longest proper suffix in the trie.
  std::queue<int> queue;
  for (unsigned e = nodes_[0].edge_begin; e < nodes_[0].edge_end; ++e) {
    nodes_[edges_[e].target].fail = 0;
    queue.push(edges_[e].target);
  }
  while (!queue.empty()) {
    int s = queue.front();
    queue.pop();
    for (unsigned e = nodes_[s].edge_begin; e < nodes_[s].edge_end; ++e) {
      int t = edges_[e].target;
      unsigned char c = edges_[e].byte;
      int f = nodes_[s].fail;
      int fc;
      while ((fc = Child(f, c)) < 0 && f != 0) f = nodes_[f].fail;
      nodes_[t].fail = (fc >= 0 && fc != t) ? fc : 0;
      int tf = nodes_[t].fail;
      nodes_[t].dict_suffix =
          nodes_[tf].output >= 0 ? tf : nodes_[tf].dict_suffix;
      queue.push(t);
    }
  }
  // Identical atoms share a node; remember the duplicates' indices too.
  duplicates_.resize(nodes_.size());
  for (size_t a = 0; a < atoms.size(); ++a) {
    int state = 0;
    for (unsigned char c : atoms[a]) state = Child(state, c);
    if (nodes_[state].output != static_cast<int>(a)) {
      duplicates_[state].push_back(static_cast<int>(a));
    }
  }
}

int AtomScanner::Child(int state, unsigned char c) const {
  const Node& n = nodes_[state];
  unsigned lo = n.edge_begin, hi = n.edge_end;
  while (lo < hi) {
    unsigned mid = (lo + hi) / 2;
    if (edges_[mid].byte < c) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return (lo < n.edge_end && edges_[lo].byte == c) ? edges_[lo].target : -1;
}

int AtomScanner::Next(int state, unsigned char c) const {
  while (true) {
    int child = Child(state, c);
    if (child >= 0) return child;
    if (state == 0) return 0;
    state = nodes_[state].fail;
  }
}

void AtomScanner::Scan(std::string_view text, std::vector<int>* found) const {
  size_t first = found->size();
  int state = 0;
  for (unsigned char c : text) {
    state = Next(state, c);
    for (int s = nodes_[state].output >= 0 ? state : nodes_[state].dict_suffix;
         s >= 0; s = nodes_[s].dict_suffix) {
      found->push_back(nodes_[s].output);
      for (int d : duplicates_[s]) found->push_back(d);
    }
  }
  std::sort(found->begin() + first, found->end());
  found->erase(std::unique(found->begin() + first, found->end()), found->end());
}

size_t AtomScanner::MemoryBytes() const {
  return nodes_.size() * sizeof(Node) + edges_.size() * sizeof(Edge) +
         duplicates_.size() * sizeof(std::vector<int>);
}

}  // namespace bot::core
