// Admin endpoints of `bot serve`: POST /admin/reload rebuilds the knowledge
// (a broken edit changes nothing and is reported), GET /admin/status shows
// the version in service and the last reload error. They exist only when an
// admin token is configured (BOT_ADMIN_TOKEN); without one the paths are
// simply unknown (404). Every request must carry `Authorization: Bearer
// <token>` (the scheme in any case), the token compared in constant time;
// otherwise 401. The token is never logged or echoed.
#pragma once

#include <string>

#include "bot/edge/http_server.h"
#include "bot/edge/knowledge_holder.h"
#include "bot/edge/reloader.h"

namespace bot::edge {

// Registers the routes on `server` when `token` is non-empty; does nothing
// otherwise. `holder` and `reloader` must outlive the server.
// REQUIRES: before server->Bind().
void AddAdminRoutes(HttpServer* server, KnowledgeHolder* holder, Reloader* reloader,
                    const std::string& token);

// True when `authorization` is "Bearer <token>", the scheme in any case and
// the token exactly (compared in constant time in the token's length).
bool BearerMatches(const std::string& authorization, const std::string& token);

}  // namespace bot::edge
