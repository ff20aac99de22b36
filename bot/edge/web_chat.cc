#include "bot/edge/web_chat.h"

#include <cstddef>

#include "bot/edge/json_codec.h"

namespace bot::edge {

namespace web_assets {
// Defined in the generated web_assets.cc (bot/web/embed.cmake).
struct Embedded {
  const char* name;
  const unsigned char* data;
  std::size_t size;
};
extern const Embedded kFiles[];
extern const std::size_t kFileCount;
}  // namespace web_assets

const char kWebChatPolicy[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

namespace {

bool IsLoopbackHost(const std::string& host) {
  return host == "localhost" || host == "::1" || host == "[::1]" || host.rfind("127.", 0) == 0;
}

// Headers of every page response: the policy, and no sniffing, framing or
// referrer. The page is small; it is never cached, so a new binary shows.
void SetPageHeaders(httplib::Response& res) {
  res.set_header("Content-Security-Policy", kWebChatPolicy);
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("Cache-Control", "no-cache");
}

HttpServer::Handler ServeFile(const char* name, const char* content_type) {
  std::string body(WebChatFile(name));
  return [body, content_type](const httplib::Request&, httplib::Response& res) {
    SetPageHeaders(res);
    res.set_content(body, content_type);
  };
}

}  // namespace

bool WebChatEnabled(const std::string& setting, const std::string& host) {
  if (setting == "true" || setting == "1" || setting == "yes" || setting == "on") return true;
  if (setting == "false" || setting == "0" || setting == "no" || setting == "off") return false;
  return IsLoopbackHost(host);  // "auto"
}

std::string_view WebChatFile(std::string_view name) {
  for (std::size_t i = 0; i < web_assets::kFileCount; ++i) {
    const auto& f = web_assets::kFiles[i];
    if (name == f.name) return {reinterpret_cast<const char*>(f.data), f.size};
  }
  return {};
}

void AddWebChatRoutes(HttpServer* server, KnowledgeHolder* holder) {
  server->Route("GET", "/chat", ServeFile("chat.html", "text/html; charset=utf-8"));
  server->Route("GET", "/chat/chat.css", ServeFile("chat.css", "text/css; charset=utf-8"));
  server->Route("GET", "/chat/chat.js",
                ServeFile("chat.js", "text/javascript; charset=utf-8"));
  server->Route("GET", "/chat/version", [holder](const httplib::Request&, httplib::Response& res) {
    SetPageHeaders(res);
    res.set_header("Cache-Control", "no-store");
    auto k = holder->Get();
    if (!k) {
      SendJson(res, 503, Dump(ErrorJson("knowledge is not loaded")));
      return;
    }
    const core::KnowledgeVersion& v = k->version();
    nlohmann::json j = {{"content_hash", v.content_hash},
                        {"loaded_at", v.loaded_at},
                        {"intents", k->intents().intents().size()},
                        {"facts", k->facts().facts().size()}};
    SendJson(res, 200, Dump(j));
  });
}

}  // namespace bot::edge
