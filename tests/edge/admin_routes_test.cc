#include "bot/edge/admin_routes.h"

#include <httplib.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "bot/edge/file_watcher.h"
#include "bot/edge/log.h"
#include "tests/support/test_support.h"

namespace {

using namespace std::chrono_literals;
using nlohmann::json;
namespace fs = std::filesystem;

const char kToken[] = "s3cret-admin-token";

std::string FactsV(int n) {
  return "facts:\n  - id: f.v" + std::to_string(n) + "\n    text: Version " +
         std::to_string(n) + ".\n    source: doc#" + std::to_string(n) + "\n";
}

std::string IntentsV(int n) {
  return "intents:\n  - id: answer.v" + std::to_string(n) +
         "\n    patterns: ['\\banswer\\b']\n    answer:\n      facts: [f.v" +
         std::to_string(n) + "]\n    examples: ['the answer']\n";
}

// Writes like an editor that saves atomically: a temp file, then rename.
void EditorSave(const bot::testing::TempDir& dir, const std::string& name,
                const std::string& text) {
  std::string tmp = name.substr(0, name.rfind('/') + 1) + ".tmp-save";
  dir.Write(tmp, text);
  fs::rename(dir.path() + "/" + tmp, dir.path() + "/" + name);
}

// A served knowledge in a temp dir with the admin routes and a reloader.
struct Service {
  explicit Service(const std::string& token, int version = 1) {
    dir.Write("facts/f.yaml", FactsV(version));
    dir.Write("intents/i.yaml", IntentsV(version));
    sources.intents_dir = dir.path() + "/intents";
    sources.facts_dir = dir.path() + "/facts";
    auto loaded = bot::edge::LoadKnowledge(sources);
    REQUIRE(loaded.ok());
    holder = std::make_unique<bot::edge::KnowledgeHolder>(loaded.value());
    reloader = std::make_unique<bot::edge::Reloader>(holder.get(), sources);
    bot::edge::HttpOptions options;
    options.host = "127.0.0.1";
    options.port = 0;
    server = std::make_unique<bot::edge::HttpServer>(holder.get(), options);
    bot::edge::AddAdminRoutes(server.get(), holder.get(), reloader.get(), token);
    REQUIRE(server->Start().ok());
  }
  ~Service() { server->Stop(); }
  httplib::Client Client() const {
    httplib::Client c("127.0.0.1", server->port());
    c.set_read_timeout(10, 0);
    return c;
  }

  bot::testing::TempDir dir;
  bot::edge::KnowledgeSources sources;
  std::unique_ptr<bot::edge::KnowledgeHolder> holder;
  std::unique_ptr<bot::edge::Reloader> reloader;
  std::unique_ptr<bot::edge::HttpServer> server;
};

httplib::Headers Bearer(const std::string& token) {
  return {{"Authorization", "Bearer " + token}};
}

template <typename F>
bool WaitFor(F condition) {
  for (int i = 0; i < 1000 && !condition(); ++i) std::this_thread::sleep_for(10ms);
  return condition();
}

}  // namespace

TEST_CASE("Admin routes do not exist without an admin token", "[admin]") {
  Service s("");
  auto c = s.Client();
  auto status = c.Get("/admin/status", Bearer(""));
  REQUIRE(status);
  CHECK(status->status == 404);
  auto reload = c.Post("/admin/reload", Bearer("anything"), "", "application/json");
  REQUIRE(reload);
  CHECK(reload->status == 404);
}

TEST_CASE("Admin routes require the exact bearer token", "[admin]") {
  Service s(kToken);
  auto c = s.Client();
  SECTION("missing") {
    auto r = c.Get("/admin/status");
    REQUIRE(r);
    CHECK(r->status == 401);
    CHECK(r->get_header_value("WWW-Authenticate") == "Bearer");
  }
  SECTION("wrong, a prefix of it, or another scheme") {
    for (const httplib::Headers& h :
         {Bearer("wrong"), Bearer("s3cret"), Bearer(std::string(kToken) + "x"),
          httplib::Headers{{"Authorization", std::string("Basic ") + kToken}}}) {
      auto r = c.Get("/admin/status", h);
      REQUIRE(r);
      CHECK(r->status == 401);
      CHECK(r->body.find(kToken) == std::string::npos);
    }
  }
  SECTION("right") {
    auto r = c.Get("/admin/status", Bearer(kToken));
    REQUIRE(r);
    CHECK(r->status == 200);
  }
}

TEST_CASE("BearerMatches accepts only `Bearer <token>`", "[admin]") {
  CHECK(bot::edge::BearerMatches("Bearer abc", "abc"));
  CHECK_FALSE(bot::edge::BearerMatches("Bearer abcd", "abc"));
  CHECK_FALSE(bot::edge::BearerMatches("Bearer ABC", "abc"));
  CHECK_FALSE(bot::edge::BearerMatches("Bearerabc", "abc"));
  CHECK_FALSE(bot::edge::BearerMatches("Bearer ", ""));
  CHECK_FALSE(bot::edge::BearerMatches("", "abc"));
}

TEST_CASE("BearerMatches takes the scheme in any case, as RFC 9110 says", "[admin]") {
  CHECK(bot::edge::BearerMatches("bearer abc", "abc"));
  CHECK(bot::edge::BearerMatches("BEARER abc", "abc"));
  CHECK(bot::edge::BearerMatches("bEaReR abc", "abc"));
  CHECK_FALSE(bot::edge::BearerMatches("beare abc", "abc"));
  Service s(kToken);
  auto r = s.Client().Get("/admin/status",
                          httplib::Headers{{"Authorization", std::string("bearer ") + kToken}});
  REQUIRE(r);
  CHECK(r->status == 200);
}

TEST_CASE("GET /admin/status shows the version in service", "[admin]") {
  Service s(kToken);
  auto r = s.Client().Get("/admin/status", Bearer(kToken));
  REQUIRE(r);
  REQUIRE(r->status == 200);
  auto j = json::parse(r->body);
  const auto& v = s.holder->Get()->version();
  CHECK(j["version"]["content_hash"] == v.content_hash);
  CHECK(j["version"]["content_hash"].get<std::string>().size() == 64);
  CHECK(j["version"]["files"].size() == 2);
  CHECK(j["version"]["intents"] == 1);
  CHECK(j["version"]["facts"] == 1);
  CHECK(j["version"]["loaded_at"] == v.loaded_at);
  CHECK(j["version"]["load_ms"].is_number());
  CHECK(j["last_error"].is_null());
}

TEST_CASE("POST /admin/reload swaps in a good edit and refuses a broken one", "[admin]") {
  Service s(kToken);
  auto c = s.Client();
  std::string first_hash = s.holder->Get()->version().content_hash;

  s.dir.Write("intents/i.yaml", "intents:\n  - id: broken\n    patterns: ['(']\n");
  auto bad = c.Post("/admin/reload", Bearer(kToken), "", "application/json");
  REQUIRE(bad);
  CHECK(bad->status == 422);
  auto j = json::parse(bad->body);
  CHECK(j["result"] == "error");
  CHECK_THAT(j["last_error"].get<std::string>(), Catch::Contains("i.yaml:3:"));
  CHECK(j["version"]["content_hash"] == first_hash);
  CHECK(s.holder->Get()->version().content_hash == first_hash);

  s.dir.Write("facts/f.yaml", FactsV(2));
  s.dir.Write("intents/i.yaml", IntentsV(2));
  auto good = c.Post("/admin/reload", Bearer(kToken), "", "application/json");
  REQUIRE(good);
  CHECK(good->status == 200);
  auto g = json::parse(good->body);
  CHECK(g["result"] == "ok");
  CHECK(g["last_error"].is_null());
  CHECK(g["reloads"]["failed"] == 1);
  CHECK(g["reloads"]["succeeded"] == 1);
  CHECK(g["version"]["content_hash"] != first_hash);
  CHECK(s.holder->Get()->intents().IndexOf("answer.v2") == 0);
}

TEST_CASE("Reloading while clients hammer /api/v1/ask never fails or mixes snapshots",
          "[admin][reload]") {
  Service s(kToken);
  bot::edge::FileWatcher watcher({s.sources.intents_dir, s.sources.facts_dir}, 100ms,
                                 [&] { s.reloader->Reload("watch"); });
  REQUIRE(watcher.Start().ok());

  // Request logs of thousands of asks would drown the test output.
  bot::edge::SetLogLevel(bot::edge::LogLevel::kError);
  std::atomic<bool> stop{false};
  std::atomic<int> requests{0}, failures{0}, inconsistent{0}, backwards{0};
  std::atomic<int> latest_seen{0};
  struct Joiner {
    std::atomic<bool>* stop;
    std::vector<std::thread> threads;
    ~Joiner() {
      *stop = true;
      for (auto& t : threads) t.join();
      bot::edge::SetLogLevel(bot::edge::LogLevel::kInfo);
    }
  } joiner{&stop, {}};
  auto& clients = joiner.threads;
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&] {
      httplib::Client c("127.0.0.1", s.server->port());
      c.set_keep_alive(true);
      c.set_tcp_nodelay(true);
      int last = 0;
      while (!stop) {
        auto r = c.Post("/api/v1/ask", R"({"text":"what is the answer?"})", "application/json");
        ++requests;
        if (!r || r->status != 200) {
          ++failures;
          continue;
        }
        auto j = json::parse(r->body, nullptr, false);
        if (j.is_discarded() || !j["intent"].is_string() || j["facts"].size() != 1) {
          ++inconsistent;
          continue;
        }
        // Intent, fact and text must all come from the same version.
        std::string intent = j["intent"];
        int v = intent.back() - '0';
        if (intent != "answer.v" + std::to_string(v) ||
            j["facts"][0]["id"] != "f.v" + std::to_string(v) ||
            j["answer"] != "Version " + std::to_string(v) + ".") {
          ++inconsistent;
          continue;
        }
        if (v < last) ++backwards;
        last = v;
        int seen = latest_seen;
        while (v > seen && !latest_seen.compare_exchange_weak(seen, v)) {
        }
      }
    });
  }
  auto client = s.Client();
  REQUIRE(WaitFor([&] { return requests > 50; }));
  CHECK(latest_seen == 1);

  // An editor-style save of both files is picked up by the watcher.
  EditorSave(s.dir, "facts/f.yaml", FactsV(2));
  EditorSave(s.dir, "intents/i.yaml", IntentsV(2));
  REQUIRE(WaitFor([&] { return latest_seen == 2; }));

  // A broken edit keeps version 2 in service and is reported.
  EditorSave(s.dir, "intents/i.yaml", "intents:\n  - id: answer.v3\n    patterns: [\n");
  REQUIRE(WaitFor([&] { return s.reloader->stats().failed >= 1; }));
  int before = requests;
  REQUIRE(WaitFor([&] { return requests > before + 50; }));
  CHECK(latest_seen == 2);
  auto status = client.Get("/admin/status", Bearer(kToken));
  REQUIRE(status);
  auto j = json::parse(status->body);
  CHECK_THAT(j["last_error"].get<std::string>(), Catch::Contains("i.yaml:"));
  CHECK(s.holder->Get()->intents().IndexOf("answer.v2") == 0);

  // A fixed edit (written in place this time) goes live.
  s.dir.Write("facts/f.yaml", FactsV(3));
  s.dir.Write("intents/i.yaml", IntentsV(3));
  REQUIRE(WaitFor([&] { return latest_seen == 3; }));
  before = requests;
  REQUIRE(WaitFor([&] { return requests > before + 50; }));

  stop = true;
  for (auto& t : clients) t.join();
  clients.clear();
  watcher.Stop();
  INFO("requests: " << requests);
  CHECK(failures == 0);
  CHECK(inconsistent == 0);
  CHECK(backwards == 0);
  CHECK(s.reloader->stats().succeeded >= 2);
}
