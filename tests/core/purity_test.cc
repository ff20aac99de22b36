// Keeps the dependency direction honest: core includes no I/O, JSON, YAML,
// HTTP or threads.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <regex>

#include "tests/support/test_support.h"

TEST_CASE("Core sources include nothing from the outside world", "[purity]") {
  namespace fs = std::filesystem;
  const std::regex forbidden(
      R"(#include\s*[<"](httplib\.h|nlohmann/|yaml-cpp/|fstream|iostream|thread|mutex|chrono|filesystem|bot/edge/|bot/app/))");
  int files = 0;
  for (const auto& entry : fs::directory_iterator(bot::testing::SourceDir() + "/bot/core")) {
    std::ifstream in(entry.path());
    std::string line;
    int number = 0;
    ++files;
    while (std::getline(in, line)) {
      ++number;
      INFO(entry.path().string() << ":" << number << ": " << line);
      CHECK_FALSE(std::regex_search(line, forbidden));
    }
  }
  CHECK(files >= 10);
}
