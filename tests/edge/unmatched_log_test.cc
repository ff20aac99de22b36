#include "bot/edge/unmatched_log.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "bot/edge/crypto.h"
#include "tests/support/test_support.h"

namespace {

std::vector<nlohmann::json> Lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<nlohmann::json> out;
  std::string line;
  while (std::getline(in, line)) out.push_back(nlohmann::json::parse(line));
  return out;
}

bot::core::Reply FallbackReply() {
  bot::core::Reply r;
  r.fallback = true;
  r.text = "Sorry";
  return r;
}

}  // namespace

TEST_CASE("UnmatchedLog records fallbacks only, with the session hashed", "[unmatched_log]") {
  bot::testing::TempDir dir;
  std::string path = dir.path() + "/unmatched.jsonl";
  bot::edge::UnmatchedLogOptions options;
  options.path = path;
  options.salt = "pepper";
  auto log = bot::edge::UnmatchedLog::Open(options);
  REQUIRE(log.ok());
  bot::core::Reply answered;
  answered.intent = "membership.joined";
  log.value()->Record({"When did Belarus join?", "chat-42", "http"}, answered);
  log.value()->Record({"Who won the  World Cup?", "chat-42", "http"}, FallbackReply());
  log.value()->Record({"And the weather?", "", "cli"}, FallbackReply());

  auto lines = Lines(path);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0]["text"] == "Who won the  World Cup?");
  CHECK(lines[0]["normalized"] == "who won the world cup?");
  CHECK(lines[0]["channel"] == "http");
  CHECK(lines[0]["session"] == bot::edge::Sha256Hex(std::string("pepper") + '\0' + "chat-42").substr(0, 32));
  CHECK_FALSE(lines[1].contains("session"));
  std::ifstream raw(path);
  std::stringstream all;
  all << raw.rdbuf();
  CHECK(all.str().find("chat-42") == std::string::npos);
}

TEST_CASE("UnmatchedLog rotates and keeps a bounded number of files", "[unmatched_log]") {
  bot::testing::TempDir dir;
  std::string path = dir.path() + "/u.jsonl";
  bot::edge::UnmatchedLogOptions options;
  options.path = path;
  options.max_bytes = 1000;
  options.keep = 2;
  auto log = bot::edge::UnmatchedLog::Open(options);
  REQUIRE(log.ok());
  for (int i = 0; i < 100; ++i) {
    log.value()->Record({"question number " + std::to_string(i), "s", "http"}, FallbackReply());
  }
  namespace fs = std::filesystem;
  CHECK(fs::exists(path));
  CHECK(fs::exists(path + ".1"));
  CHECK(fs::exists(path + ".2"));
  CHECK_FALSE(fs::exists(path + ".3"));
  for (const std::string& p : {path, path + ".1", path + ".2"}) {
    CHECK(fs::file_size(p) <= 1000);
  }
  // The newest line is in the live file.
  CHECK(Lines(path).back()["text"] == "question number 99");
  CHECK(log.value()->write_errors() == 0);
}

TEST_CASE("UnmatchedLog::Open fails for a path it cannot write", "[unmatched_log]") {
  bot::edge::UnmatchedLogOptions options;
  options.path = "/nonexistent/dir/u.jsonl";
  auto log = bot::edge::UnmatchedLog::Open(options);
  CHECK_FALSE(log.ok());
}
