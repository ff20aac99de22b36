// HttpServer: the local HTTP API over cpp-httplib. Routes stay thin: parse,
// call core, serialise. Other edges (channels, admin, metrics) add routes
// through Route() before Start(). Every path answers 405 with an Allow header
// for methods it lacks, unknown paths 404, and every error body is JSON.
// Start/Stop from one controlling thread; handlers run on the pool.
#pragma once

#include <httplib.h>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <unordered_map>

#include "bot/core/message.h"
#include "bot/core/status.h"
#include "bot/edge/knowledge_holder.h"

namespace bot::edge {

struct HttpOptions {
  std::string host = "127.0.0.1";
  int port = 8080;              // 0 picks a free port
  size_t min_threads = 8;       // kept warm
  size_t max_threads = 512;     // one per open connection at most
  int read_timeout_ms = 5000;   // per read; bounds slow clients
  int write_timeout_ms = 5000;
  int keep_alive_timeout_s = 5;
  size_t keep_alive_max_count = 1000;
  size_t max_body_bytes = 16 * 1024;  // default per-route limit (413 above)
  int listen_backlog = 1024;
  bool api_routes = true;     // /api/v1/*; off for the admin-only server
  bool metrics_route = true;  // GET /metrics; off when an admin port serves it
};

class HttpServer {
 public:
  using Handler = httplib::Server::Handler;

  HttpServer(KnowledgeHolder* knowledge, HttpOptions options);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Registers `handler` for `method` ("GET", "POST") on the literal `path`.
  // A larger body than `max_body_bytes` (0: options.max_body_bytes) gets 413
  // before it is read. REQUIRES: before Start().
  void Route(const std::string& method, const std::string& path, Handler handler,
             size_t max_body_bytes = 0);

  // Binds the socket; on success port() is the bound port.
  core::Status Bind();
  // Serves until Stop(); blocks. REQUIRES: Bind() succeeded.
  void Listen();
  // Bind() + Listen() on a background thread; returns once accepting.
  core::Status Start();
  // Stops accepting and waits for Listen() to return.
  void Stop();

  int port() const { return port_; }
  httplib::Server& http();

  // While draining, GET /readyz answers 503 so balancers stop sending new
  // work; requests are still served until Stop(). Thread-safe.
  void SetDraining(bool draining) { draining_ = draining; }
  bool draining() const { return draining_; }

  // Called with every question and reply of POST /api/v1/ask (e.g. to log
  // fallbacks); must be thread-safe. REQUIRES: before Start().
  using AnswerObserver = std::function<void(const core::Question&, const core::Reply&)>;
  void set_answer_observer(AnswerObserver observer) { answer_observer_ = std::move(observer); }

 private:
  class Server;
  void AddApiRoutes();
  void AddMethodNotAllowed();

  KnowledgeHolder* knowledge_;
  HttpOptions options_;
  std::unique_ptr<Server> server_;
  // path -> method -> body limit in bytes; looked up once per request.
  std::unordered_map<std::string, std::map<std::string, size_t>> routes_;
  std::atomic<bool> draining_{false};
  AnswerObserver answer_observer_;
  std::thread thread_;
  int port_ = 0;
};

// Sends `j` (with the given status) as the response body.
void SendJson(httplib::Response& res, int status, const std::string& body);
// The HTTP status for a non-ok Status from core or an edge parser.
int HttpStatusFor(const core::Status& status);

}  // namespace bot::edge
