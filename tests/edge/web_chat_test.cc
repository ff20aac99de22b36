#include "bot/edge/web_chat.h"

#include <httplib.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>

#include "bot/edge/reloader.h"
#include "tests/support/test_support.h"

namespace {

using nlohmann::json;

// A server with the chat routes over knowledge loaded from a temp dir.
struct ChatService {
  explicit ChatService(const std::string& fact_text = "Belarus joined on 30 January 1992.") {
    Write(fact_text);
    sources.intents_dir = dir.path() + "/intents";
    sources.facts_dir = dir.path() + "/facts";
    auto loaded = bot::edge::LoadKnowledge(sources);
    REQUIRE(loaded.ok());
    holder = std::make_unique<bot::edge::KnowledgeHolder>(loaded.value());
    bot::edge::HttpOptions options;
    options.port = 0;
    server = std::make_unique<bot::edge::HttpServer>(holder.get(), options);
    bot::edge::AddWebChatRoutes(server.get(), holder.get());
    REQUIRE(server->Start().ok());
  }
  ~ChatService() { server->Stop(); }
  void Write(const std::string& fact_text) {
    dir.Write("facts/f.yaml",
              "facts:\n  - id: m.since\n    text: " + fact_text + "\n    source: doc#4\n");
    dir.Write("intents/i.yaml", bot::testing::kJoinIntents);
  }
  httplib::Client Client() const {
    httplib::Client c("127.0.0.1", server->port());
    c.set_read_timeout(10, 0);
    return c;
  }

  bot::testing::TempDir dir;
  bot::edge::KnowledgeSources sources;
  std::unique_ptr<bot::edge::KnowledgeHolder> holder;
  std::unique_ptr<bot::edge::HttpServer> server;
};

}  // namespace

TEST_CASE("Web chat is on by default only on a loopback host", "[web_chat]") {
  using bot::edge::WebChatEnabled;
  auto [setting, host, expected] = GENERATE(table<std::string, std::string, bool>({
      {"auto", "127.0.0.1", true},
      {"auto", "127.0.0.2", true},
      {"auto", "localhost", true},
      {"auto", "::1", true},
      {"auto", "0.0.0.0", false},
      {"auto", "192.168.1.5", false},
      {"auto", "::", false},
      {"true", "0.0.0.0", true},
      {"1", "0.0.0.0", true},
      {"on", "0.0.0.0", true},
      {"false", "127.0.0.1", false},
      {"0", "127.0.0.1", false},
      {"no", "localhost", false},
  }));
  CAPTURE(setting, host);
  CHECK(WebChatEnabled(setting, host) == expected);
}

TEST_CASE("Web chat serves the page, its script and style with a strict policy",
          "[web_chat]") {
  ChatService s;
  auto c = s.Client();
  for (auto [path, type] : std::vector<std::pair<std::string, std::string>>{
           {"/chat", "text/html; charset=utf-8"},
           {"/chat/chat.css", "text/css; charset=utf-8"},
           {"/chat/chat.js", "text/javascript; charset=utf-8"}}) {
    CAPTURE(path);
    auto r = c.Get(path.c_str());
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->get_header_value("Content-Type") == type);
    CHECK(r->get_header_value("Content-Security-Policy") == bot::edge::kWebChatPolicy);
    CHECK(r->get_header_value("X-Content-Type-Options") == "nosniff");
    CHECK_FALSE(r->body.empty());
  }
  auto post = c.Post("/chat", "x", "text/plain");
  REQUIRE(post);
  CHECK(post->status == 405);
}

TEST_CASE("Web chat routes match their path exactly, a dot only a dot", "[web_chat]") {
  // httplib routes are regexes: an unescaped "/chat/chat.css" also matched
  // "/chat/chatXcss" and served the style sheet there.
  ChatService s;
  auto c = s.Client();
  for (const char* path : {"/chat/chatXcss", "/chat/chat-js", "/chatX", "/chat/chat.cssX"}) {
    CAPTURE(path);
    auto r = c.Get(path);
    REQUIRE(r);
    CHECK(r->status == 404);
  }
  auto css = c.Get("/chat/chat.css");
  REQUIRE(css);
  CHECK(css->status == 200);
}

TEST_CASE("Web chat policy allows no inline code and nothing from elsewhere", "[web_chat]") {
  const std::string policy = bot::edge::kWebChatPolicy;
  CHECK(policy.find("default-src 'none'") != std::string::npos);
  CHECK(policy.find("script-src 'self';") != std::string::npos);
  CHECK(policy.find("style-src 'self';") != std::string::npos);
  CHECK(policy.find("unsafe") == std::string::npos);
  CHECK(policy.find("frame-ancestors 'none'") != std::string::npos);
  // The page itself keeps to it: no inline script or style, no handler
  // attributes, no URL of another host.
  const std::string html(bot::edge::WebChatFile("chat.html"));
  REQUIRE_FALSE(html.empty());
  CHECK(html.find("<style") == std::string::npos);
  CHECK(html.find(" style=") == std::string::npos);
  CHECK_FALSE(std::regex_search(html, std::regex(R"(<script(?![^>]*\bsrc=))")));
  CHECK_FALSE(std::regex_search(html, std::regex(R"(\son[a-z]+=)")));
  for (const char* name : {"chat.html", "chat.css", "chat.js"}) {
    CAPTURE(name);
    const std::string body(bot::edge::WebChatFile(name));
    REQUIRE_FALSE(body.empty());
    CHECK_FALSE(std::regex_search(body, std::regex(R"((https?:)?//[a-z0-9-]+\.[a-z])")));
  }
  CHECK(bot::edge::WebChatFile("nope.js").empty());
}

TEST_CASE("Web chat version names the knowledge in service and changes on reload",
          "[web_chat]") {
  ChatService s;
  auto c = s.Client();
  auto first = c.Get("/chat/version");
  REQUIRE(first);
  REQUIRE(first->status == 200);
  json v1 = json::parse(first->body);
  CHECK(v1["content_hash"] == s.holder->Get()->version().content_hash);
  CHECK(v1["intents"] == 1);
  CHECK(v1["facts"] == 1);
  CHECK(v1["loaded_at"].is_string());

  s.Write("Belarus joined the CSCE on 30 January 1992.");
  bot::edge::Reloader reloader(s.holder.get(), s.sources);
  REQUIRE(reloader.Reload("test").ok());
  auto second = c.Get("/chat/version");
  REQUIRE(second);
  json v2 = json::parse(second->body);
  CHECK(v2["content_hash"] != v1["content_hash"]);
}

TEST_CASE("Web chat routes do not exist unless added", "[web_chat]") {
  bot::testing::LoopbackServer server(
      bot::testing::KnowledgeFromYaml(bot::testing::kJoinFacts, bot::testing::kJoinIntents));
  httplib::Client c("127.0.0.1", server.port());
  auto r = c.Get("/chat");
  REQUIRE(r);
  CHECK(r->status == 404);
}
