// HttpServer: the local HTTP API over cpp-httplib. Routes stay thin: parse,
// call core, serialise. Other edges (channels, admin, metrics) add routes
// through Route() before Start(). Every path answers 405 with an Allow header
// for methods it lacks, unknown paths 404, and every error body is JSON.
// httplib routes and writes replies, but the connections are ours: each
// request is framed and bounded first (http_framing.h), and a connection
// waits for its next bytes parked, without a thread (connection_parking.h).
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
#include "bot/edge/connection_parking.h"
#include "bot/edge/context_store.h"
#include "bot/edge/http_framing.h"
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
  size_t max_connections = 10000;  // open at once; idle ones shed above 3/4
  // How long a worker waits for a client's next request before parking the
  // connection: saves a hand-over for busy keep-alive clients.
  int keep_alive_linger_ms = 10;
  FramingLimits framing;  // request line, header block and field count
  bool api_routes = true;     // /api/v1/*; off for the admin-only server
  bool metrics_route = true;  // GET /metrics; off when an admin port serves it
  // Where conversations' contexts live: with one, a `session` in
  // /api/v1/ask is a conversation (follow-up questions are read with its
  // context) and DELETE /api/v1/sessions/{id} forgets one; without one,
  // every question stands alone. Outlives the server.
  ContextStore* contexts = nullptr;
};

// "http://HOST:PORT", an IPv6 address in brackets ("http://[::1]:8080"),
// as logs print where a server listens.
std::string HttpUrl(const std::string& host, int port);

class HttpServer {
 public:
  using Handler = httplib::Server::Handler;

  HttpServer(KnowledgeHolder* knowledge, HttpOptions options);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  enum class Body { kOptional, kRequired };
  // Registers `handler` for `method` ("GET", "POST") on `path`: literal,
  // or with one parameter as its last segment ("/api/v1/sessions/{id}":
  // any text without '/', possibly empty, is req.matches[1]). The path as
  // written is the route's label in logs and metrics.
  // A larger body than `max_body_bytes` (0: options.max_body_bytes) gets 413
  // before it is read; with kRequired, a request without Content-Length (or
  // a chunked body) gets 411, else an absent body is empty.
  // REQUIRES: before Start().
  void Route(const std::string& method, const std::string& path, Handler handler,
             size_t max_body_bytes = 0, Body body = Body::kOptional);

  // Binds the socket; on success port() is the bound port.
  core::Status Bind();
  // Serves until Stop(); blocks. REQUIRES: Bind() succeeded.
  void Listen();
  // Bind() + Listen() on a background thread; returns once accepting.
  core::Status Start();
  // Stops accepting and waits for Listen() to return.
  void Stop();

  int port() const { return port_; }
  // Connections open now, and those parked (waiting without a thread).
  size_t open_connections() const { return open_.load(std::memory_order_relaxed); }
  size_t parked_connections() const { return parking_.parked(); }

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
  BodyRule RuleFor(std::string_view method, std::string_view path) const;
  // The registered route (as written) that serves `path`, or nullptr.
  const std::string* RouteOf(std::string_view path) const;
  // Serves `connection` while it has complete requests; then parks it.
  void Serve(std::unique_ptr<HttpConnection> connection);
  void Accept(int fd);
  void Dispatch(std::unique_ptr<HttpConnection> connection);
  void CloseAfterReply(std::unique_ptr<HttpConnection> connection);

  KnowledgeHolder* knowledge_;
  HttpOptions options_;
  std::unique_ptr<Server> server_;
  // path -> method -> body rule; looked up once per request.
  std::unordered_map<std::string, std::map<std::string, BodyRule, std::less<>>> routes_;
  // Routes with a parameter: (the path up to it, the route as written).
  std::vector<std::pair<std::string, std::string>> param_routes_;
  std::atomic<size_t> open_{0};
  std::atomic<size_t> serving_{0};  // connections a worker is serving now
  std::atomic<httplib::TaskQueue*> pool_{nullptr};  // httplib's, while listening
  ConnectionParking parking_;
  std::atomic<bool> stopping_{false};
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
