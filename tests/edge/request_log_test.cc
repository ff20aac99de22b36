#include "bot/edge/request_log.h"

#include <httplib.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "bot/edge/http_server.h"
#include "bot/edge/metrics.h"
#include "tests/support/test_support.h"

using nlohmann::json;

namespace bot::edge {
namespace {

using testing::kJoinFacts;
using testing::kJoinIntents;

// Redirects fd 2 into a file for the object's life; lines() reads it back.
class StderrCapture {
 public:
  StderrCapture() : path_(dir_.path() + "/stderr.log") {
    std::fflush(stderr);
    saved_ = dup(2);
    FILE* f = std::fopen(path_.c_str(), "w");
    dup2(fileno(f), 2);
    std::fclose(f);
  }
  ~StderrCapture() { Restore(); }
  void Restore() {
    if (saved_ < 0) return;
    std::fflush(stderr);
    dup2(saved_, 2);
    close(saved_);
    saved_ = -1;
  }
  std::vector<json> Requests() {
    std::fflush(stderr);
    std::ifstream in(path_);
    std::vector<json> out;
    for (std::string line; std::getline(in, line);) {
      json j = json::parse(line, nullptr, false);
      if (j.is_object() && j.value("event", "") == "request") out.push_back(j);
    }
    return out;
  }

 private:
  testing::TempDir dir_;
  std::string path_;
  int saved_ = -1;
};

struct Fixture {
  testing::LoopbackServer server{testing::KnowledgeFromYaml(kJoinFacts, kJoinIntents)};
  httplib::Client client{"127.0.0.1", server.port()};
  Fixture() { client.set_keep_alive(true); }
  // On one keep-alive connection the previous request's log line is written
  // before the next request is read: this makes the log deterministic.
  void Settle() { REQUIRE(client.Get("/healthz")); }
};

TEST_CASE("Request ids are echoed when sane and generated otherwise", "[request_log]") {
  Fixture f;
  auto given = f.client.Get("/healthz", {{"X-Request-Id", "abc-123.def_4:5"}});
  REQUIRE(given);
  CHECK(given->get_header_value("X-Request-Id") == "abc-123.def_4:5");
  auto none = f.client.Get("/healthz");
  REQUIRE(none);
  std::string id = none->get_header_value("X-Request-Id");
  CHECK(id.size() == 16);
  CHECK(id.find_first_not_of("0123456789abcdef") == std::string::npos);
  auto hostile = f.client.Get("/healthz", {{"X-Request-Id", "x\"}, {\"level\":\"fake"}});
  REQUIRE(hostile);
  CHECK(hostile->get_header_value("X-Request-Id").size() == 16);
  CHECK(RequestIdFrom(std::string(129, 'a')).size() == 16);
}

TEST_CASE("Each request writes one JSON access-log line without the question by default",
          "[request_log]") {
  Fixture f;
  StderrCapture capture;
  auto r = f.client.Post("/api/v1/ask", R"({"text":"When did Belarus join?"})",
                         "application/json");
  REQUIRE(r);
  auto fallback = f.client.Post("/api/v1/ask", R"({"text":"weather?"})", "application/json");
  REQUIRE(fallback);
  auto missing = f.client.Get("/nope", {{"X-Request-Id", "req-404"}});
  REQUIRE(missing);
  f.Settle();
  capture.Restore();
  auto lines = capture.Requests();
  REQUIRE(lines.size() >= 3);
  const json& ask = lines[0];
  CHECK(ask["request_id"] == r->get_header_value("X-Request-Id"));
  CHECK(ask["method"] == "POST");
  CHECK(ask["route"] == "/api/v1/ask");
  CHECK(ask["status"] == 200);
  CHECK(ask["latency_us"].is_number_integer());
  CHECK(ask["channel"] == "http");
  CHECK(ask["intent"] == "m.joined");
  CHECK(ask["fallback"] == false);
  CHECK(ask.contains("time"));
  CHECK_FALSE(ask.contains("text"));
  CHECK(lines[1]["fallback"] == true);
  CHECK_FALSE(lines[1].contains("intent"));
  CHECK(lines[2]["request_id"] == "req-404");
  CHECK(lines[2]["route"] == "unmatched");
  CHECK(lines[2]["status"] == 404);
}

TEST_CASE("A route with a parameter is logged under its route, not as unmatched",
          "[request_log]") {
  Fixture f;
  StderrCapture capture;
  auto d = f.client.Delete("/api/v1/sessions/s-42");
  REQUIRE(d);
  auto deeper = f.client.Delete("/api/v1/sessions/s-42/more");
  REQUIRE(deeper);
  f.Settle();
  capture.Restore();
  auto lines = capture.Requests();
  REQUIRE(lines.size() >= 2);
  CHECK(lines[0]["route"] == "/api/v1/sessions/{id}");
  CHECK(lines[0]["method"] == "DELETE");
  CHECK(lines[0]["status"] == 200);
  // Only one segment is the parameter.
  CHECK(lines[1]["route"] == "unmatched");
  CHECK(lines[1]["status"] == 404);
}

TEST_CASE("The question text is logged only when log text is on", "[request_log]") {
  Fixture f;
  StderrCapture capture;
  SetLogText(true);
  auto r = f.client.Post("/api/v1/ask", R"({"text":"When did Belarus join?"})",
                         "application/json");
  SetLogText(false);
  REQUIRE(r);
  f.Settle();
  capture.Restore();
  auto lines = capture.Requests();
  REQUIRE_FALSE(lines.empty());
  CHECK(lines[0]["text"] == "When did Belarus join?");
}

TEST_CASE("GET /metrics exposes requests, latency and answers in Prometheus text",
          "[request_log][metrics]") {
  Fixture f;
  Labels ok = {{"route", "/api/v1/ask"}, {"method", "POST"}, {"code", "200"}};
  Labels answered = {{"channel", "http"}, {"intent", "m.joined"}};
  double before = Metrics::Global().Value("bot_http_requests_total", ok);
  double answers_before = Metrics::Global().Value("bot_answers_total", answered);
  REQUIRE(f.client.Post("/api/v1/ask", R"({"text":"join?"})", "application/json"));
  REQUIRE(f.client.Post("/api/v1/ask", R"({"text":"joined?"})", "application/json"));
  f.Settle();
  auto m = f.client.Get("/metrics");
  REQUIRE(m);
  CHECK(m->status == 200);
  CHECK(m->get_header_value("Content-Type").find("text/plain; version=0.0.4") == 0);
  CHECK(Metrics::Global().Value("bot_http_requests_total", ok) == before + 2);
  CHECK(Metrics::Global().Value("bot_answers_total", answered) == answers_before + 2);
  CHECK(m->body.find("# TYPE bot_http_request_duration_seconds histogram") != std::string::npos);
  CHECK(m->body.find("bot_http_request_duration_seconds_bucket{route=\"/api/v1/ask\",le=\"+Inf\"}") !=
        std::string::npos);
  CHECK(m->body.find("bot_http_requests_total{code=\"200\",method=\"POST\",route=\"/api/v1/ask\"}") !=
        std::string::npos);
}

TEST_CASE("GET /readyz is 200 while serving and 503 while draining", "[request_log][readyz]") {
  Fixture f;
  auto ready = f.client.Get("/readyz");
  REQUIRE(ready);
  CHECK(ready->status == 200);
  f.server.server().SetDraining(true);
  auto draining = f.client.Get("/readyz");
  REQUIRE(draining);
  CHECK(draining->status == 503);
  CHECK(f.client.Get("/healthz")->status == 200);  // alive, just not ready
  f.server.holder().Set(nullptr);
  f.server.server().SetDraining(false);
  CHECK(f.client.Get("/readyz")->status == 503);  // no knowledge
}

TEST_CASE("Body limits are per route and checked before the body is read", "[request_log]") {
  KnowledgeHolder holder(testing::KnowledgeFromYaml(kJoinFacts, kJoinIntents));
  HttpOptions options;
  options.port = 0;
  options.max_body_bytes = 1000;
  HttpServer server(&holder, options);
  server.Route("POST", "/small", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok", "text/plain");
  }, 100);
  server.Route("POST", "/big", [](const httplib::Request& req, httplib::Response& res) {
    res.set_content(std::to_string(req.body.size()), "text/plain");
  }, 5000);
  REQUIRE(server.Start().ok());
  httplib::Client client("127.0.0.1", server.port());
  CHECK(client.Post("/small", std::string(100, 'x'), "text/plain")->status == 200);
  CHECK(client.Post("/small", std::string(101, 'x'), "text/plain")->status == 413);
  CHECK(client.Post("/big", std::string(4000, 'x'), "text/plain")->status == 200);
  CHECK(client.Post("/big", std::string(5001, 'x'), "text/plain")->status == 413);
  auto ask = client.Post("/api/v1/ask", std::string(1001, ' '), "application/json");
  CHECK(ask->status == 413);
  server.Stop();
}

}  // namespace
}  // namespace bot::edge
