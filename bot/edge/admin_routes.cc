#include "bot/edge/admin_routes.h"

#include <cctype>
#include <nlohmann/json.hpp>

#include "bot/edge/crypto.h"
#include "bot/edge/json_codec.h"
#include "bot/edge/log.h"

namespace bot::edge {
namespace {

nlohmann::json VersionJson(const core::Knowledge& k, double load_ms) {
  const core::KnowledgeVersion& v = k.version();
  return {{"content_hash", v.content_hash},
          {"files", v.files},
          {"intents", k.intents().intents().size()},
          {"facts", k.facts().facts().size()},
          {"loaded_at", v.loaded_at},
          {"load_ms", load_ms}};
}

nlohmann::json StatusJson(const KnowledgeHolder& holder, const Reloader& reloader) {
  auto k = holder.Get();
  Reloader::Stats s = reloader.stats();
  nlohmann::json out = {{"version", k ? VersionJson(*k, s.load_ms) : nlohmann::json(nullptr)},
                        {"reloads", {{"succeeded", s.succeeded}, {"failed", s.failed}}},
                        {"last_error", s.last_error.empty() ? nlohmann::json(nullptr)
                                                            : nlohmann::json(s.last_error)}};
  if (!s.last_error.empty()) out["last_error_at"] = s.last_error_at;
  return out;
}

}  // namespace

bool BearerMatches(const std::string& authorization, const std::string& token) {
  // The scheme is case-insensitive (RFC 9110 11.1); the token is not.
  static constexpr std::string_view kScheme = "bearer ";
  if (token.empty() || authorization.size() < kScheme.size()) return false;
  for (size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(authorization[i])) != kScheme[i]) return false;
  }
  return ConstantTimeEquals(std::string_view(authorization).substr(kScheme.size()), token);
}

void AddAdminRoutes(HttpServer* server, KnowledgeHolder* holder, Reloader* reloader,
                    const std::string& token) {
  if (token.empty()) return;
  auto guarded = [token](auto inner) {
    return [token, inner](const httplib::Request& req, httplib::Response& res) {
      if (!BearerMatches(req.get_header_value("Authorization"), token)) {
        res.set_header("WWW-Authenticate", "Bearer");
        SendJson(res, 401, Dump(ErrorJson("missing or wrong admin token")));
        Log(LogLevel::kWarn, {{"event", "admin"}, {"path", req.path}, {"result", "unauthorized"},
                              {"remote", req.remote_addr}});
        return;
      }
      inner(req, res);
    };
  };
  server->Route("GET", "/admin/status",
                guarded([holder, reloader](const httplib::Request&, httplib::Response& res) {
                  SendJson(res, 200, Dump(StatusJson(*holder, *reloader)));
                }));
  server->Route("POST", "/admin/reload",
                guarded([holder, reloader](const httplib::Request&, httplib::Response& res) {
                  core::Status s = reloader->Reload("admin");
                  nlohmann::json out = StatusJson(*holder, *reloader);
                  out["result"] = s.ok() ? "ok" : "error";
                  if (!s.ok()) out["error"] = s.message();
                  // 422: the request was fine, the files are not; the old
                  // knowledge keeps serving.
                  SendJson(res, s.ok() ? 200 : 422, Dump(out));
                }));
}

}  // namespace bot::edge
