#include "bot/edge/http_server.h"

#include <sys/resource.h>
#include <sys/socket.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <limits>

#include "bot/core/answerer.h"
#include "bot/core/conversation.h"
#include "bot/edge/degraded.h"
#include "bot/edge/http_headers.h"
#include "bot/edge/json_codec.h"
#include "bot/edge/metrics.h"
#include "bot/edge/request_log.h"
#include "bot/edge/thread_pool.h"

namespace bot::edge {

// httplib fixes the listen backlog at 5, so bursts of new connections lose
// SYNs and wait a 1 s retransmit. Re-listening on the bound socket with a
// larger backlog is allowed and takes effect at once.
//
// httplib calls process_and_close_socket() on a pool thread for each
// accepted socket; overriding it hands the socket to HttpServer, which
// frames requests itself and calls the protected process_request() with one
// canonical request at a time.
class HttpServer::Server : public httplib::Server {
 public:
  explicit Server(HttpServer* owner) : owner_(owner) {}
  void RaiseBacklog(int backlog) { ::listen(svr_sock_, backlog); }
  bool ServeFramed(FramedStream& stream, bool close_connection, bool& connection_closed) {
    return process_request(stream, close_connection, connection_closed, nullptr);
  }

 private:
  bool process_and_close_socket(socket_t sock) override {
    owner_->Accept(sock);
    return true;
  }
  HttpServer* owner_;
};

void SendJson(httplib::Response& res, int status, const std::string& body) {
  res.status = status;
  res.set_content(body, "application/json; charset=utf-8");
}

int HttpStatusFor(const core::Status& status) {
  switch (status.code()) {
    case core::Status::Code::kOk:
      return 200;
    case core::Status::Code::kInvalidArgument:
      return 400;
    case core::Status::Code::kNotFound:
      return 404;
    default:
      return 500;
  }
}

namespace {

ParkingOptions ParkingOptionsFrom(const HttpOptions& o) {
  ParkingOptions p;
  p.keep_alive_timeout = std::chrono::seconds(o.keep_alive_timeout_s);
  p.request_timeout = std::chrono::milliseconds(o.read_timeout_ms);
  p.max_connections = o.max_connections;
  return p;
}

// Lets the process hold as many sockets as the hard limit allows (the soft
// limit is often 1,024) and returns how many it may hold.
size_t RaiseDescriptorLimit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024;
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  return limit.rlim_cur == RLIM_INFINITY ? SIZE_MAX : static_cast<size_t>(limit.rlim_cur);
}

}  // namespace

HttpServer::HttpServer(KnowledgeHolder* knowledge, HttpOptions options)
    : knowledge_(knowledge),
      options_(std::move(options)),
      server_(std::make_unique<Server>(this)),
      parking_(ParkingOptionsFrom(options_),
               [this](std::unique_ptr<HttpConnection> c) { Dispatch(std::move(c)); }, &open_) {
  size_t min_threads = options_.min_threads, max_threads = options_.max_threads;
  server_->new_task_queue = [this, min_threads, max_threads] {
    auto* pool = new DynamicThreadPool(min_threads, max_threads);
    pool_ = pool;
    return pool;
  };
  server_->set_tcp_nodelay(true);
  server_->set_read_timeout(std::chrono::milliseconds(options_.read_timeout_ms));
  server_->set_write_timeout(std::chrono::milliseconds(options_.write_timeout_ms));
  server_->set_keep_alive_timeout(options_.keep_alive_timeout_s);
  server_->set_keep_alive_max_count(options_.keep_alive_max_count);
  // Body limits are the framer's, per route, before a byte of the body is
  // held (http_framing.h): httplib's own check would only repeat it.
  server_->set_payload_max_length(std::numeric_limits<size_t>::max());
  server_->set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;  // a route already wrote its JSON error
    std::string message = res.status == 404   ? "no such endpoint"
                          : res.status == 413 ? "request body too large"
                          : res.status == 405 ? "method not allowed"
                                              : "request failed";
    SendJson(res, res.status, Dump(ErrorJson(message)));
  });
  server_->set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
        // The last net: a bug, never the client's fault, and never detail.
        SendJson(res, 500, Dump(ErrorJson("internal error")));
      });
  // Access log and X-Request-Id. Body limits were enforced by the framer.
  server_->set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    const std::string* route = RouteOf(req.path);
    BeginRequest(req, res, route ? *route : "unmatched");
    return httplib::Server::HandlerResponse::Unhandled;
  });
  server_->set_logger(
      [](const httplib::Request& req, const httplib::Response& res) { EndRequest(req, res); });
  AddApiRoutes();
}

HttpServer::~HttpServer() { Stop(); }

std::string HttpUrl(const std::string& host, int port) {
  const bool v6 = host.find(':') != std::string::npos && host.front() != '[';
  return "http://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

namespace {

// `text` with regex characters escaped: it matches itself only.
std::string RegexLiteral(std::string_view text) {
  std::string pattern;
  for (char c : text) {
    if (std::strchr(".^$|()[]{}*+?\\", c)) pattern += '\\';
    pattern += c;
  }
  return pattern;
}

// httplib's pattern (a regex) for a route: the path itself, or with a last
// segment "{name}" as a group of anything but '/'. Literal parts are
// escaped, so "/chat/chat.css" does not also match "/chat/chatXcss".
bool HasParam(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash != std::string::npos && path.size() >= slash + 3 && path[slash + 1] == '{' &&
         path.back() == '}';
}
std::string PatternOf(const std::string& path) {
  if (!HasParam(path)) return RegexLiteral(path);
  return RegexLiteral(std::string_view(path).substr(0, path.rfind('/') + 1)) + "([^/]*)";
}

}  // namespace

void HttpServer::Route(const std::string& method, const std::string& path, Handler handler,
                       size_t max_body_bytes, Body body) {
  BodyRule rule;
  rule.max_bytes = max_body_bytes ? max_body_bytes : options_.max_body_bytes;
  rule.required = body == Body::kRequired;
  routes_[path][method] = rule;
  const std::string pattern = PatternOf(path);
  if (HasParam(path) &&
      std::none_of(param_routes_.begin(), param_routes_.end(),
                   [&](const auto& r) { return r.second == path; })) {
    param_routes_.emplace_back(path.substr(0, path.rfind('/') + 1), path);
  }
  if (method == "GET") {
    server_->Get(pattern, std::move(handler));
  } else if (method == "POST") {
    server_->Post(pattern, std::move(handler));
  } else if (method == "PUT") {
    server_->Put(pattern, std::move(handler));
  } else if (method == "DELETE") {
    server_->Delete(pattern, std::move(handler));
  }
}

const std::string* HttpServer::RouteOf(std::string_view path) const {
  if (auto route = routes_.find(std::string(path)); route != routes_.end()) return &route->first;
  for (const auto& [prefix, route] : param_routes_) {
    if (path.size() >= prefix.size() && path.substr(0, prefix.size()) == prefix &&
        path.find('/', prefix.size()) == std::string_view::npos) {
      return &route;
    }
  }
  return nullptr;
}

void HttpServer::AddApiRoutes() {
  Route("GET", "/healthz", [](const httplib::Request&, httplib::Response& res) {
    SendJson(res, 200, R"({"status":"ok"})");
  });
  Route("GET", "/readyz", [this](const httplib::Request&, httplib::Response& res) {
    if (draining_) {
      SendJson(res, 503, R"({"status":"draining"})");
    } else if (!knowledge_->Get()) {
      SendJson(res, 503, R"({"status":"knowledge not loaded"})");
    } else if (auto degraded = DegradedModes::Global().Degraded(); !degraded.empty()) {
      // Degraded, not down: this replica still answers (the API fully), so
      // balancers keep sending to it.
      SendJson(res, 200,
               Dump(nlohmann::json{{"status", "degraded"}, {"degraded", degraded}}));
    } else {
      SendJson(res, 200, R"({"status":"ready"})");
    }
  });
  if (options_.metrics_route) {
    Route("GET", "/metrics", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(Metrics::Global().Render(), "text/plain; version=0.0.4; charset=utf-8");
    });
  }
  if (!options_.api_routes) return;
  auto with_question = [this](bool explain) {
    return [this, explain](const httplib::Request& req, httplib::Response& res) {
      auto request = ParseAskRequest(req.body);
      if (!request.ok()) {
        SendJson(res, HttpStatusFor(request.status()),
                 Dump(ErrorJson(request.status().message())));
        return;
      }
      auto knowledge = knowledge_->Get();
      if (!knowledge) {
        SendJson(res, 503, Dump(ErrorJson("knowledge is not loaded")));
        return;
      }
      // Which knowledge answered: a client keeping turns (the web chat)
      // knows when a later explanation comes from another version.
      res.set_header("X-Knowledge-Version", knowledge->version().content_hash);
      core::Question q{request.value().text, request.value().session, "http"};
      q.lang = request.value().lang;
      NoteChannel("http");
      NoteQuestion(q.text);
      // A session is a conversation only when there is a store to keep it.
      const std::string key = options_.contexts && !q.session.empty() ? "http:" + q.session : "";
      const int64_t now = NowMs();
      // Read-only and shared with the store, not copied.
      static const core::ConversationContext kNone;
      std::shared_ptr<const core::ConversationContext> shared =
          key.empty() ? nullptr : options_.contexts->Share(key, now);
      const core::ConversationContext& context = shared ? *shared : kNone;
      if (explain) {
        if (key.empty()) {
          SendJson(res, 200, Dump(ExplanationToJson(*knowledge, core::Explain(*knowledge, q))));
          return;
        }
        // Explaining shows the conversation; it does not take a turn.
        core::Turn turn = core::ExplainTurn(*knowledge, q, context);
        SendJson(res, 200, Dump(TurnToJson(*knowledge, context, turn)));
        return;
      }
      core::Reply reply;
      if (key.empty()) {
        reply = core::Answer(*knowledge, q);
      } else {
        // One turn per thread, reused: its buffers and the context the store
        // hands back are written over, so a turn allocates nothing for its
        // context.
        thread_local core::Turn turn;
        core::AnswerTurn(*knowledge, q, context, &turn);
        shared.reset();  // `context` is not read past here; the store may reuse it
        options_.contexts->Keep(key, &turn.next, now);
        reply = std::move(turn.reply);
      }
      NoteAnswer(reply, "http");
      if (answer_observer_) answer_observer_(q, reply);
      SendJson(res, 200, ReplyJson(reply));
    };
  };
  Route("POST", "/api/v1/ask", with_question(false), 0, Body::kRequired);
  Route("POST", "/api/v1/explain", with_question(true), 0, Body::kRequired);
  auto listing = [this](nlohmann::json (*to_json)(const core::Knowledge&)) {
    return [this, to_json](const httplib::Request&, httplib::Response& res) {
      auto knowledge = knowledge_->Get();
      if (!knowledge) {
        SendJson(res, 503, Dump(ErrorJson("knowledge is not loaded")));
        return;
      }
      SendJson(res, 200, Dump(to_json(*knowledge)));
    };
  };
  Route("DELETE", "/api/v1/sessions/{id}",
        [this](const httplib::Request& req, httplib::Response& res) {
          const std::string id = req.matches.size() > 1 ? req.matches[1].str() : "";
          if (!ValidSessionId(id)) {
            SendJson(res, 400, Dump(ErrorJson("a session id is at most " +
                                              std::to_string(kMaxSessionIdBytes) +
                                              " characters: ASCII letters, digits and -_.:@")));
            return;
          }
          const bool forgot = options_.contexts && options_.contexts->Erase("http:" + id);
          SendJson(res, 200, Dump(nlohmann::json{{"session", id}, {"forgotten", forgot}}));
        });
  Route("GET", "/api/v1/intents", listing(&IntentsToJson));
  Route("GET", "/api/v1/facts", listing(&FactsToJson));
}

void HttpServer::AddMethodNotAllowed() {
  // Sorted, so the Allow header does not depend on hash order.
  std::map<std::string, std::map<std::string, BodyRule, std::less<>>> sorted(routes_.begin(),
                                                                           routes_.end());
  for (const auto& [path, methods] : sorted) {
    std::string allow;
    for (const auto& [m, rule] : methods) allow += (allow.empty() ? "" : ", ") + m;
    auto reject = [allow](const httplib::Request&, httplib::Response& res) {
      res.set_header("Allow", allow);
      SendJson(res, 405, Dump(ErrorJson("method not allowed; use " + allow)));
    };
    const std::string pattern = PatternOf(path);
    if (!methods.count("GET")) server_->Get(pattern, reject);
    if (!methods.count("POST")) server_->Post(pattern, reject);
    if (!methods.count("PUT")) server_->Put(pattern, reject);
    if (!methods.count("DELETE")) server_->Delete(pattern, reject);
    if (!methods.count("PATCH")) server_->Patch(pattern, reject);
    server_->Options(pattern, reject);
  }
}

core::Status HttpServer::Bind() {
  AddMethodNotAllowed();
  if (options_.port == 0) {
    port_ = server_->bind_to_any_port(options_.host);
    if (port_ <= 0) return core::Status::IoError("cannot bind to " + options_.host);
  } else {
    if (!server_->bind_to_port(options_.host, options_.port)) {
      return core::Status::IoError("cannot bind to " + options_.host + ":" +
                                   std::to_string(options_.port) +
                                   " (in use, or not allowed)");
    }
    port_ = options_.port;
  }
  server_->RaiseBacklog(options_.listen_backlog);
  // Keep descriptors for files and outbound calls beside the connections.
  const size_t descriptors = RaiseDescriptorLimit();
  if (descriptors < options_.max_connections + 256) {
    options_.max_connections = descriptors > 512 ? descriptors - 256 : descriptors / 2;
  }
  parking_.set_max_connections(options_.max_connections);
  if (!parking_.Start()) return core::Status::IoError("cannot create the connection poller");
  return core::Status::Ok();
}

BodyRule HttpServer::RuleFor(std::string_view method, std::string_view path) const {
  if (const std::string* route = RouteOf(path)) {
    const auto& methods = routes_.at(*route);
    auto rule = methods.find(method);
    if (rule != methods.end()) return rule->second;
  }
  // Unknown routes get 404 or 405 from httplib; their bodies are still read
  // (or refused) so the connection stays in step.
  return BodyRule{options_.max_body_bytes, false};
}

void HttpServer::Accept(int fd) {
  auto c = std::make_unique<HttpConnection>(
      fd, options_.framing,
      [this](std::string_view method, std::string_view path) { return RuleFor(method, path); },
      &open_);
  if (open_connections() > options_.max_connections) {
    c->Refuse(503, "too many connections; try again later", "unmatched",
              std::chrono::milliseconds(0));
    CloseAfterReply(std::move(c));
    return;
  }
  Serve(std::move(c));
}

void HttpServer::Dispatch(std::unique_ptr<HttpConnection> c) {
  httplib::TaskQueue* pool = pool_.load();
  if (!pool) return;  // not listening: closes it
  // std::function must be copyable, so the connection travels in a box; a
  // dropped task (pool shut down) still closes it.
  auto box = std::make_shared<std::unique_ptr<HttpConnection>>(std::move(c));
  pool->enqueue([this, box] { Serve(std::move(*box)); });
}

void HttpServer::CloseAfterReply(std::unique_ptr<HttpConnection> c) {
  c->BeginLingeringClose();
  parking_.Park(std::move(c));
}

void HttpServer::Serve(std::unique_ptr<HttpConnection> c) {
  struct Serving {  // counts the workers busy with a connection
    explicit Serving(std::atomic<size_t>* n) : n_(n) { n_->fetch_add(1); }
    ~Serving() { n_->fetch_sub(1); }
    std::atomic<size_t>* n_;
  } serving(&serving_);
  const auto write_timeout = std::chrono::milliseconds(options_.write_timeout_ms);
  const auto linger = std::chrono::milliseconds(options_.keep_alive_linger_ms);
  while (true) {
    RequestFramer::State state = c->Pump();
    if (state == RequestFramer::State::kRefused) {
      const std::string& path = c->framer().path();
      c->Refuse(c->framer().status(), c->framer().message(),
                RouteOf(path) ? *RouteOf(path) : "unmatched", write_timeout);
      CloseAfterReply(std::move(c));
      return;
    }
    if (state == RequestFramer::State::kReady) {
      FramedRequest request = c->framer().Take();
      c->deadline = {};
      ++c->served;
      const bool close = !request.keep_alive || c->eof() || stopping_ ||
                         c->served >= options_.keep_alive_max_count;
      FramedStream stream(c.get(), std::move(request.bytes), write_timeout);
      bool closed = false;
      const bool ok = server_->ServeFramed(stream, close, closed);
      if (stream.write_failed()) return;  // the client is gone: close
      if (!ok || closed || close) {
        CloseAfterReply(std::move(c));
        return;
      }
      continue;  // a pipelined request may be buffered already
    }
    if (c->eof()) return;  // closed by the client: nothing to answer
    // A busy keep-alive client sends its next request at once: wait a
    // moment for it rather than hand the connection over, unless workers
    // are getting scarce.
    const bool crowded = serving_.load(std::memory_order_relaxed) > options_.max_threads / 2;
    if (!c->framer().started() && !stopping_ && !crowded && linger.count() > 0 &&
        c->WaitReadable(linger)) {
      continue;
    }
    if (stopping_ && !c->framer().started()) return;  // idle at shutdown: close
    parking_.Park(std::move(c));
    return;
  }
}

void HttpServer::Listen() { server_->listen_after_bind(); }

core::Status HttpServer::Start() {
  core::Status bound = Bind();
  if (!bound.ok()) return bound;
  thread_ = std::thread([this] { Listen(); });
  for (int i = 0; i < 500 && !server_->is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return core::Status::Ok();
}

void HttpServer::Stop() {
  // Parked connections first: complete requests are answered on the pool,
  // which must still run; then httplib stops accepting and drains the pool.
  stopping_ = true;
  parking_.Stop();
  if (server_->is_running()) server_->stop();
  if (thread_.joinable()) thread_.join();
  pool_ = nullptr;
}

}  // namespace bot::edge
