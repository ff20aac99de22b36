// The local web chat page: GET /chat and its script and style sheet, files
// of bot/web/ embedded into the binary at build time (bot/web/embed.cmake).
// The page talks to the public /api/v1/ask and /api/v1/explain like any
// client, so it tests what production runs; GET /chat/version tells it the
// knowledge version in service, so it notices a reload. Every response
// carries a strict Content-Security-Policy: scripts, styles and requests
// from this origin only, no inline code, no framing.
#pragma once

#include <string>
#include <string_view>

#include "bot/edge/http_server.h"
#include "bot/edge/knowledge_holder.h"

namespace bot::edge {

// The Content-Security-Policy of every /chat response.
extern const char kWebChatPolicy[];

// Whether `bot serve` serves the page. `setting` is the config value of
// `web.chat`: "auto" (the default) serves it when `host` is a loopback
// address (127.0.0.0/8, ::1, localhost), "true"/"false" (or 1/0, yes/no,
// on/off) force it either way.
bool WebChatEnabled(const std::string& setting, const std::string& host);

// One embedded file by name ("chat.html", "chat.css", "chat.js"); empty
// when there is no such file.
std::string_view WebChatFile(std::string_view name);

// Registers GET /chat, /chat/chat.css, /chat/chat.js and /chat/version.
// `holder` must outlive the server. REQUIRES: before server->Bind().
void AddWebChatRoutes(HttpServer* server, KnowledgeHolder* holder);

}  // namespace bot::edge
