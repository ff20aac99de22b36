#include "bot/edge/metrics.h"

#include <catch2/catch.hpp>
#include <string>

namespace bot::edge {
namespace {

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_CASE("Metrics renders counters with HELP, TYPE and sorted labels", "[metrics]") {
  Metrics m;
  m.Describe("bot_events_total", Metrics::Type::kCounter, "Events seen.");
  m.Add("bot_events_total", {{"result", "ignored"}, {"channel", "telegram"}});
  m.Add("bot_events_total", {{"channel", "telegram"}, {"result", "ignored"}}, 2);
  std::string text = m.Render();
  CHECK(Contains(text, "# HELP bot_events_total Events seen.\n"));
  CHECK(Contains(text, "# TYPE bot_events_total counter\n"));
  CHECK(Contains(text, "bot_events_total{channel=\"telegram\",result=\"ignored\"} 3\n"));
  CHECK(m.Value("bot_events_total", {{"channel", "telegram"}, {"result", "ignored"}}) == 3);
}

TEST_CASE("Metrics escapes label values and keeps them bounded", "[metrics]") {
  Metrics m;
  m.Add("bot_x_total", {{"v", "a\"b\\c\nd"}});
  CHECK(Contains(m.Render(), "bot_x_total{v=\"a\\\"b\\\\c\\nd\"} 1\n"));
  m.Add("bot_y_total", {{"v", std::string(500, 'z')}});
  CHECK(Contains(m.Render(), "bot_y_total{v=\"" + std::string(Metrics::kMaxLabelValueBytes, 'z') +
                                 "\"} 1\n"));
}

TEST_CASE("Metrics folds label sets beyond the cardinality bound into `other`", "[metrics]") {
  Metrics m;
  for (size_t i = 0; i < Metrics::kMaxSeriesPerFamily + 50; ++i) {
    m.Add("bot_users_total", {{"user", std::string("u").append(std::to_string(i))}});
  }
  CHECK(m.Value("bot_users_total", {{"user", "other"}}) == 50);
  std::string text = m.Render();
  size_t lines = 0;
  for (size_t at = 0; (at = text.find("bot_users_total{", at)) != std::string::npos; ++at) lines++;
  CHECK(lines == Metrics::kMaxSeriesPerFamily + 1);
}

TEST_CASE("Metrics renders cumulative histogram buckets, sum and count", "[metrics]") {
  Metrics m;
  m.Describe("bot_latency_seconds", Metrics::Type::kHistogram, "Latency.", {0.1, 1});
  m.Record("bot_latency_seconds", {{"route", "/a"}}, 0.05);
  m.Record("bot_latency_seconds", {{"route", "/a"}}, 0.5);
  m.Record("bot_latency_seconds", {{"route", "/a"}}, 5);
  std::string text = m.Render();
  CHECK(Contains(text, "# TYPE bot_latency_seconds histogram\n"));
  CHECK(Contains(text, "bot_latency_seconds_bucket{route=\"/a\",le=\"0.1\"} 1\n"));
  CHECK(Contains(text, "bot_latency_seconds_bucket{route=\"/a\",le=\"1\"} 2\n"));
  CHECK(Contains(text, "bot_latency_seconds_bucket{route=\"/a\",le=\"+Inf\"} 3\n"));
  CHECK(Contains(text, "bot_latency_seconds_sum{route=\"/a\"} 5.55\n"));
  CHECK(Contains(text, "bot_latency_seconds_count{route=\"/a\"} 3\n"));
}

TEST_CASE("Metrics ignores invalid names, negative increments and type clashes", "[metrics]") {
  Metrics m;
  m.Add("bad name", {});
  m.Add("bot_ok_total", {{"bad-label", "x"}});
  m.Add("bot_ok_total", {}, -1);
  m.Add("bot_ok_total", {});
  m.Record("bot_ok_total", {}, 1);  // a counter is not a histogram
  CHECK(m.Render() == "# TYPE bot_ok_total counter\nbot_ok_total 1\n");
}

TEST_CASE("Metrics keeps label sets apart whatever bytes their values hold", "[metrics]") {
  Metrics m;
  // Joined with separators, these two would read alike.
  m.Add("bot_x_total", {{"a", "x"}, {"b", "y"}});
  m.Add("bot_x_total", {{"a", std::string("x\0b\0y", 5)}});
  m.Add("bot_x_total", {{"a", std::string("x\0b\0y", 5)}});
  CHECK(m.Value("bot_x_total", {{"a", "x"}, {"b", "y"}}) == 1);
  CHECK(m.Value("bot_x_total", {{"a", std::string("x\0b\0y", 5)}}) == 2);
  m.Add("bot_x", {{"a", "x"}});  // a name that is a prefix of another
  CHECK(m.Value("bot_x", {{"a", "x"}}) == 1);
}

TEST_CASE("Metrics starts a cleared series afresh", "[metrics]") {
  Metrics m;
  m.Add("bot_y_total", {{"k", "v"}}, 5);
  m.Record("bot_y_total", {{"k", "v"}}, 1);  // still a counter after the lookup
  m.Clear("bot_y_total");
  CHECK(m.Value("bot_y_total", {{"k", "v"}}) == 0);
  m.Add("bot_y_total", {{"k", "v"}});
  m.Add("bot_y_total", {{"k", "v"}});
  CHECK(m.Value("bot_y_total", {{"k", "v"}}) == 2);
  CHECK(m.Render() == "# TYPE bot_y_total counter\nbot_y_total{k=\"v\"} 2\n");
}

TEST_CASE("Metrics collectors publish gauges at render time", "[metrics]") {
  Metrics m;
  int depth = 3;
  m.AddCollector([&depth](Metrics& self) {
    self.Clear("bot_info");
    self.SetGauge("bot_queue_depth", {}, depth);
    self.SetGauge("bot_info", {{"version", std::to_string(depth)}}, 1);
  });
  CHECK(Contains(m.Render(), "bot_queue_depth 3\n"));
  depth = 7;
  std::string text = m.Render();
  CHECK(Contains(text, "bot_queue_depth 7\n"));
  CHECK(Contains(text, "bot_info{version=\"7\"} 1\n"));
  CHECK_FALSE(Contains(text, "bot_info{version=\"3\"}"));
}

}  // namespace
}  // namespace bot::edge
