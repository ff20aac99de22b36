#include "bot/edge/log.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <memory>
#include <mutex>

#include "bot/edge/json_codec.h"
#include "bot/edge/request_log.h"

namespace bot::edge {
namespace {

std::atomic<int> g_level{static_cast<int>(LogLevel::kInfo)};
std::mutex g_write_mutex;

constexpr char kRedacted[] = "[redacted]";
// A token's part after its colon is scrubbed on its own only from this
// length: shorter tails are too likely to be ordinary text.
constexpr size_t kMinSecretTail = 16;

// The forms of the registered secrets to replace, longest first, so that a
// whole token goes before the tail it contains.
using Needles = std::vector<std::string>;
std::mutex g_secrets_mutex;
std::shared_ptr<const Needles> g_secrets;  // null: nothing to scrub
std::atomic<bool> g_have_secrets{false};

std::shared_ptr<const Needles> Secrets() {
  if (!g_have_secrets.load(std::memory_order_acquire)) return nullptr;
  std::lock_guard<std::mutex> lock(g_secrets_mutex);
  return g_secrets;
}

// Percent-encodes every byte but RFC 3986's unreserved ones.
std::string UrlEncoded(const std::string& s, bool lower_hex) {
  const char* hex = lower_hex ? "0123456789abcdef" : "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
        c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

void Scrub(const Needles& needles, std::string* text) {
  for (const std::string& needle : needles) {
    for (size_t at = 0; (at = text->find(needle, at)) != std::string::npos;) {
      text->replace(at, needle.size(), kRedacted);
      at += sizeof kRedacted - 1;
    }
  }
}

void ScrubJson(const Needles& needles, nlohmann::json* j) {
  if (j->is_string()) {
    Scrub(needles, j->get_ptr<std::string*>());
  } else if (j->is_structured()) {
    for (auto& item : *j) ScrubJson(needles, &item);
  }
}

const char* Name(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return "debug";
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarn: return "warn";
    case LogLevel::kError: return "error";
  }
  return "info";
}

}  // namespace

void SetLogLevel(LogLevel level) { g_level = static_cast<int>(level); }

void SetLogSecrets(const std::vector<std::string>& secrets) {
  Needles needles;
  for (const std::string& secret : secrets) {
    if (secret.empty()) continue;
    needles.push_back(secret);
    needles.push_back(UrlEncoded(secret, false));
    needles.push_back(UrlEncoded(secret, true));
    size_t colon = secret.rfind(':');
    if (colon != std::string::npos && secret.size() - colon - 1 >= kMinSecretTail) {
      needles.push_back(secret.substr(colon + 1));
    }
  }
  std::sort(needles.begin(), needles.end(), [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() > b.size() : a < b;
  });
  needles.erase(std::unique(needles.begin(), needles.end()), needles.end());
  std::lock_guard<std::mutex> lock(g_secrets_mutex);
  g_secrets = needles.empty() ? nullptr : std::make_shared<const Needles>(std::move(needles));
  g_have_secrets.store(g_secrets != nullptr, std::memory_order_release);
}

std::string ScrubSecrets(std::string text) {
  if (auto needles = Secrets()) Scrub(*needles, &text);
  return text;
}

bool ParseLogLevel(const std::string& text, LogLevel* level) {
  for (LogLevel l : {LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarn, LogLevel::kError}) {
    if (text == Name(l)) {
      *level = l;
      return true;
    }
  }
  return false;
}

std::string NowIso8601() {
  auto now = std::chrono::system_clock::now();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof buf - n, ".%03dZ", static_cast<int>(ms));
  return buf;
}

bool LogEnabled(LogLevel level) {
  return static_cast<int>(level) >= g_level.load(std::memory_order_relaxed);
}

void Log(LogLevel level, nlohmann::json fields) {
  if (!LogEnabled(level)) return;
  nlohmann::json line = {{"time", NowIso8601()}, {"level", Name(level)}};
  line.update(fields);
  // Every line written while serving a request carries that request's id.
  if (const RequestInfo* request = CurrentRequest(); request && !line.contains("request_id")) {
    line["request_id"] = request->id;
  }
  if (auto needles = Secrets()) ScrubJson(*needles, &line);
  std::string text = Dump(line) + "\n";
  std::lock_guard<std::mutex> lock(g_write_mutex);
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
}

}  // namespace bot::edge
