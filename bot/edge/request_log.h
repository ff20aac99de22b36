// Request log: the per-request context behind the access log. HttpServer
// calls BeginRequest() from its pre-routing hook and EndRequest() from its
// logger hook; both run on the connection's worker thread, as does the route
// handler, so handlers annotate the request through CurrentRequest() and the
// Note*() helpers without any plumbing. EndRequest() writes one JSON line
// (time, request_id, method, route, status, latency_us, channel, intent,
// fallback; the question only when SetLogText(true)) and records the HTTP
// metrics. edge::Log() adds the current request id to every line a handler
// logs. Thread-safe (the context is thread-local).
#pragma once

#include <httplib.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "bot/core/message.h"

namespace bot::edge {

struct RequestInfo {
  std::string id;
  std::string method;
  std::string route;    // a registered path or "unmatched": bounded for metrics
  std::string channel;  // "http", "telegram", ... empty when not a question
  std::string intent;
  std::optional<bool> fallback;
  std::string text;     // the question, kept only when SetLogText(true)
  bool unsent = false;  // the reply could not be written: the client left
  std::chrono::steady_clock::time_point start;
};

// The request this thread is serving, or nullptr outside a request.
RequestInfo* CurrentRequest();

// Annotations for the access log; no-ops outside a request.
void NoteChannel(const std::string& channel);
void NoteQuestion(const std::string& text);
// Notes the answer and counts it: bot_answers_total{channel,intent} and, for
// a fallback, bot_fallbacks_total{channel}. Channels call this too.
void NoteAnswer(const core::Reply& reply, const std::string& channel);

// The reply of the current request did not reach the client (it left, or
// stopped reading): the access log says so instead of implying delivery.
void NoteResponseUnsent();

// Whether question text may appear in logs (--log-text); off by default.
void SetLogText(bool on);
bool LogTextEnabled();

// A new random request id: 16 lowercase hex digits.
std::string NewRequestId();
// `header` when it is a sane id (1-128 chars of [A-Za-z0-9._:-]), else a new
// one: a client cannot inject log syntax or huge values.
std::string RequestIdFrom(std::string_view header);

// Starts the context for `req` (its route label already chosen) and echoes
// the id in the X-Request-Id response header.
void BeginRequest(const httplib::Request& req, httplib::Response& res, std::string route);
// Writes the access-log line, records metrics and ends the context. Works
// even without BeginRequest (requests httplib rejects before routing).
void EndRequest(const httplib::Request& req, const httplib::Response& res);

}  // namespace bot::edge
