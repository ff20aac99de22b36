#include "bot/edge/http_server.h"

#include <httplib.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "bot/edge/yaml_loader.h"
#include "tests/support/test_support.h"

using nlohmann::json;

namespace {

using bot::testing::kJoinFacts;
using bot::testing::kJoinIntents;

struct Fixture {
  bot::testing::LoopbackServer server{bot::testing::KnowledgeFromYaml(kJoinFacts, kJoinIntents)};
  httplib::Client client{"127.0.0.1", server.port()};
  httplib::Result Ask(const std::string& body) {
    return client.Post("/api/v1/ask", body, "application/json");
  }
};

std::string ErrorOf(const httplib::Result& r) {
  json j = json::parse(r->body, nullptr, false);
  return j.is_object() && j.contains("error") ? j["error"].get<std::string>() : "<no error field>";
}

}  // namespace

TEST_CASE("HTTP ask answers with the reply object", "[http]") {
  Fixture f;
  auto r = f.Ask(R"({"text": "When did Belarus join the OSCE?", "session": "s1"})");
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->get_header_value("Content-Type").find("application/json") == 0);
  json j = json::parse(r->body);
  CHECK(j["intent"] == "m.joined");
  CHECK(j["fallback"] == false);
  CHECK(j["answer"].get<std::string>().find("1992") != std::string::npos);
  CHECK(j["facts"][0]["id"] == "m.since");
  CHECK(j["facts"][0]["source"] == "doc#4");
  CHECK(j["captures"].is_object());
}

TEST_CASE("HTTP ask returns a fallback with a null intent for unknown questions", "[http]") {
  Fixture f;
  auto r = f.Ask(R"({"text": "What is the weather?"})");
  REQUIRE(r);
  CHECK(r->status == 200);
  json j = json::parse(r->body);
  CHECK(j["intent"].is_null());
  CHECK(j["fallback"] == true);
}

TEST_CASE("HTTP ask rejects bad input with 400 and a JSON error", "[http]") {
  Fixture f;
  auto [body, message] = GENERATE(table<std::string, std::string>({
      {"{not json", "not valid JSON"},
      {"[1, 2]", "must be a JSON object"},
      {"\"text\"", "must be a JSON object"},
      {"{}", "missing field `text`"},
      {R"({"text": 42})", "`text` must be a string"},
      {R"({"text": null})", "`text` must be a string"},
      {R"({"text": "   "})", "`text` is blank"},
      {R"({"text": "hi", "session": 5})", "`session` must be a string"},
      {std::string("{\"text\": \"caf\xC3\x28\"}"), "not valid UTF-8"},
      // The parser alone decides a body it accepts is valid: these must fail.
      {std::string("{\"text\": \"a\xC0\xAF\"}"), "not valid UTF-8"},      // overlong
      {std::string("{\"text\": \"a\xED\xA0\x80\"}"), "not valid UTF-8"},  // surrogate
      {std::string("{\"text\": \"a\xF5\x80\x80\x80\"}"), "not valid UTF-8"},
      {std::string("{\"text\": \"ok\"} \xFF"), "not valid UTF-8"},  // outside the string
      // Appended, not `"..." + std::string(...)`: GCC 12 warns falsely.
      {std::string("{\"text\": \"").append(1001, 'a').append("\"}"), "longer than 1000"},
      {"", "not valid JSON"},
  }));
  CAPTURE(body.substr(0, 40));
  auto r = f.Ask(body);
  REQUIRE(r);
  CHECK(r->status == 400);
  CHECK(ErrorOf(r).find(message) != std::string::npos);
}

TEST_CASE("HTTP ask accepts exactly 1000 characters, counted as characters", "[http]") {
  Fixture f;
  std::string text;
  for (int i = 0; i < 1000; ++i) text += "\xD0\x91";  // 2 bytes, 1 character
  auto r = f.Ask("{\"text\": \"" + text + "\"}");
  REQUIRE(r);
  CHECK(r->status == 200);
}

TEST_CASE("HTTP ask rejects a body over 16 KiB with 413", "[http]") {
  Fixture f;
  auto r = f.Ask(std::string("{\"text\": \"hi\", \"pad\": \"").append(17 * 1024, 'x').append("\"}"));
  REQUIRE(r);
  CHECK(r->status == 413);
  CHECK(ErrorOf(r) == "request body too large");
}

TEST_CASE("HTTP answers 405 with Allow for a wrong method and 404 for unknown paths", "[http]") {
  Fixture f;
  auto get = f.client.Get("/api/v1/ask");
  REQUIRE(get);
  CHECK(get->status == 405);
  CHECK(get->get_header_value("Allow") == "POST");
  CHECK(ErrorOf(get).find("method not allowed") != std::string::npos);
  auto post = f.client.Post("/healthz", "", "text/plain");
  REQUIRE(post);
  CHECK(post->status == 405);
  auto missing = f.client.Get("/nope");
  REQUIRE(missing);
  CHECK(missing->status == 404);
  CHECK(ErrorOf(missing) == "no such endpoint");
}

TEST_CASE("HTTP URLs put an IPv6 address in brackets", "[http]") {
  using bot::edge::HttpUrl;
  CHECK(HttpUrl("127.0.0.1", 8080) == "http://127.0.0.1:8080");
  CHECK(HttpUrl("localhost", 80) == "http://localhost:80");
  CHECK(HttpUrl("::1", 8080) == "http://[::1]:8080");
  CHECK(HttpUrl("::", 9000) == "http://[::]:9000");
  CHECK(HttpUrl("fe80::1%eth0", 1) == "http://[fe80::1%eth0]:1");
  CHECK(HttpUrl("[::1]", 8080) == "http://[::1]:8080");  // already bracketed
}

TEST_CASE("HTTP health, intents and facts endpoints describe what is loaded", "[http]") {
  Fixture f;
  auto health = f.client.Get("/healthz");
  REQUIRE(health);
  CHECK(health->status == 200);
  CHECK(json::parse(health->body) == json{{"status", "ok"}});
  auto intents = f.client.Get("/api/v1/intents");
  REQUIRE(intents);
  CHECK(json::parse(intents->body)["intents"][0]["id"] == "m.joined");
  auto facts = f.client.Get("/api/v1/facts");
  REQUIRE(facts);
  CHECK(json::parse(facts->body)["facts"][0]["id"] == "m.since");
}

TEST_CASE("HTTP listings answer 503, not a crash, before knowledge is loaded", "[http]") {
  bot::testing::LoopbackServer server(nullptr);
  httplib::Client client("127.0.0.1", server.port());
  for (const char* path : {"/api/v1/intents", "/api/v1/facts"}) {
    CAPTURE(path);
    auto res = client.Get(path);
    REQUIRE(res);
    CHECK(res->status == 503);
  }
}

TEST_CASE("HTTP ask and explain name the knowledge version that answered", "[http]") {
  bot::testing::TempDir dir;
  dir.Write("facts/f.yaml", kJoinFacts);
  dir.Write("intents/i.yaml", kJoinIntents);
  auto loaded = bot::edge::LoadKnowledge({dir.path() + "/intents", dir.path() + "/facts"});
  REQUIRE(loaded.ok());
  const std::string hash = loaded.value()->version().content_hash;
  REQUIRE(hash.size() == 64);
  bot::testing::LoopbackServer server(loaded.value());
  httplib::Client client("127.0.0.1", server.port());
  for (const char* path : {"/api/v1/ask", "/api/v1/explain"}) {
    CAPTURE(path);
    auto r = client.Post(path, R"({"text": "join?", "session": "v1"})", "application/json");
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->get_header_value("X-Knowledge-Version") == hash);
  }
}

TEST_CASE("HTTP explain lists candidates and the winner", "[http]") {
  Fixture f;
  auto r = f.client.Post("/api/v1/explain", R"({"text": "join?"})", "application/json");
  REQUIRE(r);
  CHECK(r->status == 200);
  json j = json::parse(r->body);
  CHECK(j["question_normalized"] == "join?");
  CHECK(j["winner"] == "m.joined");
  CHECK(j["candidates"][0]["where"] == "intents.yaml:3");
  CHECK(j["reply"]["intent"] == "m.joined");
}

TEST_CASE("HTTP keeps serving many keep-alive clients at once", "[http]") {
  Fixture f;
  // More idle keep-alive connections than the warm pool: the pool must grow
  // instead of making the next client wait for a read timeout.
  std::vector<std::unique_ptr<httplib::Client>> idle;
  for (int i = 0; i < 20; ++i) {
    idle.push_back(std::make_unique<httplib::Client>("127.0.0.1", f.server.port()));
    idle.back()->set_keep_alive(true);
    REQUIRE(idle.back()->Get("/healthz"));
  }
  httplib::Client fresh("127.0.0.1", f.server.port());
  fresh.set_read_timeout(2, 0);
  auto r = fresh.Get("/healthz");
  REQUIRE(r);
  CHECK(r->status == 200);
}

namespace {

// Two facts and intents where the second question leans on the first.
const char kOfficeFacts[] = R"(facts:
  - id: oom
    text: The OSCE Office in Minsk worked from 2003 to 2010.
    source: doc#12
    period: [2003, 2010]
)";
const char kOfficeIntents[] = R"(intents:
  - id: oom
    patterns: ['\boffice in minsk\b']
    answer: {facts: [oom]}
)";

const char kOfficeLexicon[] = R"(concepts:
  when:
    interrogative: true
    asks_for: date
    en: [when, until when]
  opener:
    follow_up: opener
    en: [and]
)";

std::shared_ptr<const bot::core::Knowledge> OfficeKnowledge() {
  std::vector<bot::core::Diagnostic> d;
  bot::core::KnowledgeParts parts;
  parts.facts = bot::edge::ParseFactsYaml(kOfficeFacts, "facts.yaml", &d);
  parts.intents = bot::edge::ParseIntentsYaml(kOfficeIntents, "intents.yaml", &d);
  parts.concepts = bot::edge::ParseLexiconYaml(kOfficeLexicon, "lexicon.yaml", &d);
  auto k = bot::core::Knowledge::Build(std::move(parts), &d);
  REQUIRE_FALSE(bot::core::HasErrors(d));
  return k;
}

struct SessionFixture {
  bot::edge::InMemoryContextStore contexts;
  bot::edge::HttpOptions Options() {
    bot::edge::HttpOptions o;
    o.port = 0;
    o.contexts = &contexts;
    return o;
  }
  bot::testing::LoopbackServer server{OfficeKnowledge(), Options()};
  httplib::Client client{"127.0.0.1", server.port()};
  json Post(const std::string& path, const std::string& body) {
    auto r = client.Post(path.c_str(), body, "application/json");
    REQUIRE(r);
    REQUIRE(r->status == 200);
    return json::parse(r->body);
  }
};

}  // namespace

TEST_CASE("HTTP ask reads a follow-up with its session's context and says how", "[http]") {
  SessionFixture f;
  json first = f.Post("/api/v1/ask", R"({"text": "Was there an OSCE office in Minsk?", "session": "s1"})");
  CHECK(first["intent"] == "oom");
  CHECK_FALSE(first.contains("context"));
  // "and" opens an elliptical follow-up, completed with the last question.
  json second = f.Post("/api/v1/ask", R"({"text": "and until when?", "session": "s1"})");
  CHECK(second["intent"] == "oom");
  CHECK(second["context"]["read_as"] == "until when was there an osce office in minsk");
  // Another session has no context.
  json other = f.Post("/api/v1/ask", R"({"text": "and until when?", "session": "s2"})");
  CHECK(other["fallback"] == true);
  // Explain shows the context and the reading without taking a turn.
  json explained = f.Post("/api/v1/explain", R"({"text": "and until when?", "session": "s1"})");
  CHECK(explained["context"]["reading"] == "ellipsis");
  CHECK(explained["context"]["previous"]["intent"] == "oom");
  CHECK(explained["reply"]["intent"] == "oom");
  // DELETE forgets it.
  auto d = f.client.Delete("/api/v1/sessions/s1");
  REQUIRE(d);
  CHECK(d->status == 200);
  CHECK(json::parse(d->body)["forgotten"] == true);
  json after = f.Post("/api/v1/ask", R"({"text": "and until when?", "session": "s1"})");
  CHECK(after["fallback"] == true);
}

TEST_CASE("HTTP refuses session ids that are too long or not plain ASCII", "[http]") {
  SessionFixture f;
  std::string long_id(bot::edge::kMaxSessionIdBytes + 1, 'a');
  auto r = f.client.Post("/api/v1/ask", R"({"text": "office in minsk", "session": ")" + long_id + "\"}",
                         "application/json");
  REQUIRE(r);
  CHECK(r->status == 400);
  r = f.client.Post("/api/v1/ask", R"({"text": "office in minsk", "session": "a b"})",
                    "application/json");
  REQUIRE(r);
  CHECK(r->status == 400);
  auto d = f.client.Delete(("/api/v1/sessions/" + long_id).c_str());
  REQUIRE(d);
  CHECK(d->status == 400);
}
