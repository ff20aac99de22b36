#include "bot/core/atom_scanner.h"

#include <catch2/catch.hpp>

using bot::core::AtomScanner;

TEST_CASE("AtomScanner finds overlapping and nested atoms once each", "[atom_scanner]") {
  AtomScanner scanner({"he", "she", "his", "hers", "she"});
  std::vector<int> found;
  scanner.Scan("ushers", &found);
  CHECK(found == std::vector<int>{0, 1, 3, 4});
}

TEST_CASE("AtomScanner finds nothing in unrelated text and handles empty input", "[atom_scanner]") {
  AtomScanner scanner({"osce", "vienna"});
  std::vector<int> found;
  scanner.Scan("minsk", &found);
  CHECK(found.empty());
  scanner.Scan("", &found);
  CHECK(found.empty());
  AtomScanner none({});
  none.Scan("anything", &found);
  CHECK(found.empty());
}
