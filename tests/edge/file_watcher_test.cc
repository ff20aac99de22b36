#include "bot/edge/file_watcher.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "tests/support/test_support.h"

namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

constexpr auto kDebounce = 100ms;

// Waits (generously) until the watcher has fired `n` times.
bool WaitFired(const bot::edge::FileWatcher& w, size_t n) {
  for (int i = 0; i < 500 && w.fired() < n; ++i) std::this_thread::sleep_for(10ms);
  return w.fired() >= n;
}

}  // namespace

TEST_CASE("FileWatcher cares about YAML files and Kubernetes' ..data swap only",
          "[file_watcher]") {
  using bot::edge::FileWatcher;
  CHECK(FileWatcher::Relevant("membership.yaml"));
  CHECK(FileWatcher::Relevant("a.yml"));
  CHECK(FileWatcher::Relevant("..data"));
  CHECK_FALSE(FileWatcher::Relevant(".membership.yaml.swp"));
  CHECK_FALSE(FileWatcher::Relevant("membership.yaml~"));
  CHECK_FALSE(FileWatcher::Relevant("4913"));
  CHECK_FALSE(FileWatcher::Relevant("intent.schema.json"));
}

TEST_CASE("FileWatcher sees an editor-style save (write a temp file, rename it over)",
          "[file_watcher]") {
  bot::testing::TempDir dir;
  dir.Write("intents/a.yaml", "intents: []\n");
  std::atomic<int> calls{0};
  bot::edge::FileWatcher w({dir.path() + "/intents"}, kDebounce, [&] { ++calls; });
  REQUIRE(w.Start().ok());
  dir.Write("intents/.a.yaml.tmp", "intents: [] # edited\n");
  fs::rename(dir.path() + "/intents/.a.yaml.tmp", dir.path() + "/intents/a.yaml");
  REQUIRE(WaitFired(w, 1));
  CHECK(calls == 1);
  w.Stop();
}

TEST_CASE("FileWatcher fires once for a burst of writes", "[file_watcher]") {
  bot::testing::TempDir dir;
  dir.Write("facts/a.yaml", "facts: []\n");
  bot::edge::FileWatcher w({dir.path() + "/facts"}, kDebounce, [] {});
  REQUIRE(w.Start().ok());
  for (int i = 0; i < 20; ++i) dir.Write("facts/a.yaml", "facts: [] # " + std::to_string(i) + "\n");
  REQUIRE(WaitFired(w, 1));
  std::this_thread::sleep_for(3 * kDebounce);
  CHECK(w.fired() == 1);
}

TEST_CASE("FileWatcher ignores swap files and other non-YAML files", "[file_watcher]") {
  bot::testing::TempDir dir;
  dir.Write("intents/a.yaml", "intents: []\n");
  bot::edge::FileWatcher w({dir.path() + "/intents"}, kDebounce, [] {});
  REQUIRE(w.Start().ok());
  dir.Write("intents/.a.yaml.swp", "x");
  dir.Write("intents/notes.txt", "x");
  std::this_thread::sleep_for(4 * kDebounce);
  CHECK(w.fired() == 0);
  // A real edit afterwards still counts: the watcher is alive.
  dir.Write("intents/b.yaml", "intents: []\n");
  CHECK(WaitFired(w, 1));
}

TEST_CASE("FileWatcher watches a directory again after it is replaced", "[file_watcher]") {
  bot::testing::TempDir dir;
  dir.Write("intents/a.yaml", "intents: []\n");
  bot::edge::FileWatcher w({dir.path() + "/intents"}, kDebounce, [] {});
  REQUIRE(w.Start().ok());
  dir.Write("next/a.yaml", "intents: [] # new\n");
  fs::rename(dir.path() + "/intents", dir.path() + "/old");
  fs::rename(dir.path() + "/next", dir.path() + "/intents");
  REQUIRE(WaitFired(w, 1));
  // Let the re-watch (retried every 500 ms if the swap raced it) settle.
  std::this_thread::sleep_for(1s);
  size_t before = w.fired();
  dir.Write("intents/a.yaml", "intents: [] # edited in the new directory\n");
  CHECK(WaitFired(w, before + 1));
}

TEST_CASE("FileWatcher refuses a directory that does not exist", "[file_watcher]") {
  bot::edge::FileWatcher w({"/nonexistent/intents"}, kDebounce, [] {});
  auto s = w.Start();
  CHECK_FALSE(s.ok());
  CHECK_THAT(s.message(), Catch::Contains("/nonexistent/intents"));
}
