#include "bot/edge/request_log.h"

#include <atomic>
#include <cstdint>
#include <mutex>
#include <random>

#include "bot/edge/http_headers.h"
#include "bot/edge/log.h"
#include "bot/edge/metrics.h"

namespace bot::edge {
namespace {

thread_local RequestInfo t_request;
thread_local bool t_active = false;
std::atomic<bool> g_log_text{false};

void DescribeHttpMetrics() {
  static std::once_flag once;
  std::call_once(once, [] {
    auto& m = Metrics::Global();
    m.Describe("bot_http_requests_total", Metrics::Type::kCounter,
               "HTTP requests by route, method and status code.");
    m.Describe("bot_http_request_duration_seconds", Metrics::Type::kHistogram,
               "HTTP request latency from routing to the response written.", kLatencyBuckets);
    m.Describe("bot_answers_total", Metrics::Type::kCounter,
               "Answers given, by channel and intent (\"fallback\" when none matched).");
    m.Describe("bot_fallbacks_total", Metrics::Type::kCounter,
               "Questions no intent matched, by channel.");
  });
}

std::string MethodLabel(const std::string& method) {
  for (const char* known : {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"}) {
    if (method == known) return method;
  }
  return "other";
}

}  // namespace

RequestInfo* CurrentRequest() { return t_active ? &t_request : nullptr; }

void NoteChannel(const std::string& channel) {
  if (t_active) t_request.channel = channel;
}

void NoteQuestion(const std::string& text) {
  if (t_active && g_log_text.load(std::memory_order_relaxed)) t_request.text = text;
}

void NoteAnswer(const core::Reply& reply, const std::string& channel) {
  DescribeHttpMetrics();
  // Reused per thread: assigning into existing nodes allocates nothing, and
  // this runs for every answer.
  thread_local Labels answer_labels{{"channel", ""}, {"intent", ""}};
  answer_labels["channel"] = channel;
  answer_labels["intent"] = reply.intent ? *reply.intent : "fallback";
  Metrics::Inc("bot_answers_total", answer_labels);
  if (reply.fallback) Metrics::Inc("bot_fallbacks_total", {{"channel", channel}});
  if (!t_active) return;
  t_request.channel = channel;
  t_request.intent = reply.intent.value_or("");
  t_request.fallback = reply.fallback;
}

void NoteResponseUnsent() {
  if (t_active) t_request.unsent = true;
}

void SetLogText(bool on) { g_log_text = on; }
bool LogTextEnabled() { return g_log_text.load(std::memory_order_relaxed); }

std::string NewRequestId() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(16, '0');
  for (uint64_t bits = rng(), i = 16; i-- > 0; bits >>= 4) id[i] = kHex[bits & 15];
  return id;
}

std::string RequestIdFrom(std::string_view header) {
  if (header.empty() || header.size() > 128) return NewRequestId();
  for (char c : header) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == ':' || c == '-';
    if (!ok) return NewRequestId();
  }
  return std::string(header);
}

void BeginRequest(const httplib::Request& req, httplib::Response& res, std::string route) {
  DescribeHttpMetrics();
  t_request = RequestInfo{};
  t_request.start = std::chrono::steady_clock::now();
  t_request.id = RequestIdFrom(HeaderValue(req.headers, "X-Request-Id"));
  t_request.method = MethodLabel(req.method);
  t_request.route = std::move(route);
  t_active = true;
  res.set_header("X-Request-Id", t_request.id);
}

void EndRequest(const httplib::Request& req, const httplib::Response& res) {
  DescribeHttpMetrics();
  if (!t_active) {
    // httplib answered (400, 414, ...) before routing: no route, no clock.
    t_request = RequestInfo{};
    t_request.start = std::chrono::steady_clock::now();
    t_request.id = NewRequestId();
    t_request.method = MethodLabel(req.method);
    t_request.route = "unmatched";
  }
  auto latency = std::chrono::duration_cast<std::chrono::microseconds>(
                     std::chrono::steady_clock::now() - t_request.start)
                     .count();
  // Reused per thread, as in NoteAnswer: every request passes here.
  thread_local Labels request_labels{{"route", ""}, {"method", ""}, {"code", ""}};
  thread_local Labels latency_labels{{"route", ""}};
  request_labels["route"] = t_request.route;
  request_labels["method"] = t_request.method;
  request_labels["code"] = std::to_string(res.status);
  latency_labels["route"] = t_request.route;
  Metrics::Inc("bot_http_requests_total", request_labels);
  Metrics::Observe("bot_http_request_duration_seconds", latency_labels,
                   static_cast<double>(latency) / 1e6);

  const LogLevel level = res.status >= 500 ? LogLevel::kError : LogLevel::kInfo;
  if (!LogEnabled(level)) {
    t_active = false;
    return;  // every request pays for this line: skip building it when unused
  }
  nlohmann::json line = {{"event", "request"},       {"request_id", t_request.id},
                         {"method", t_request.method}, {"route", t_request.route},
                         {"status", res.status},      {"latency_us", latency}};
  if (!t_request.channel.empty()) line["channel"] = t_request.channel;
  if (!t_request.intent.empty()) line["intent"] = t_request.intent;
  if (t_request.fallback) line["fallback"] = *t_request.fallback;
  if (!t_request.text.empty()) line["text"] = t_request.text;
  if (t_request.unsent) line["sent"] = false;
  t_active = false;  // the id is already in `line`; Log must not add a stale one
  Log(level, std::move(line));
}

}  // namespace bot::edge
