#include "bot/edge/http_server.h"

#include <sys/socket.h>

#include <charconv>
#include <chrono>
#include <cstdint>

#include "bot/core/answerer.h"
#include "bot/edge/http_headers.h"
#include "bot/edge/json_codec.h"
#include "bot/edge/metrics.h"
#include "bot/edge/request_log.h"
#include "bot/edge/thread_pool.h"

namespace bot::edge {

// httplib fixes the listen backlog at 5, so bursts of new connections lose
// SYNs and wait a 1 s retransmit. Re-listening on the bound socket with a
// larger backlog is allowed and takes effect at once.
class HttpServer::Server : public httplib::Server {
 public:
  void RaiseBacklog(int backlog) { ::listen(svr_sock_, backlog); }
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

HttpServer::HttpServer(KnowledgeHolder* knowledge, HttpOptions options)
    : knowledge_(knowledge), options_(std::move(options)), server_(std::make_unique<Server>()) {
  size_t min_threads = options_.min_threads, max_threads = options_.max_threads;
  server_->new_task_queue = [min_threads, max_threads] {
    return new DynamicThreadPool(min_threads, max_threads);
  };
  server_->set_tcp_nodelay(true);
  server_->set_read_timeout(std::chrono::milliseconds(options_.read_timeout_ms));
  server_->set_write_timeout(std::chrono::milliseconds(options_.write_timeout_ms));
  server_->set_keep_alive_timeout(options_.keep_alive_timeout_s);
  server_->set_keep_alive_max_count(options_.keep_alive_max_count);
  server_->set_payload_max_length(options_.max_body_bytes);
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
  // Access log + X-Request-Id, and per-route body limits checked from
  // Content-Length before httplib reads the body.
  server_->set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    auto route = routes_.find(req.path);
    BeginRequest(req, res, route != routes_.end() ? req.path : "unmatched");
    if (route == routes_.end()) return httplib::Server::HandlerResponse::Unhandled;
    auto limit = route->second.find(req.method);
    if (limit == route->second.end()) return httplib::Server::HandlerResponse::Unhandled;
    const std::string_view length = HeaderValue(req.headers, "Content-Length");
    if (!length.empty()) {
      uint64_t bytes = 0;  // not a number: httplib answers that itself
      std::from_chars(length.data(), length.data() + length.size(), bytes);
      if (length.size() > 18 || bytes > limit->second) {
        SendJson(res, 413, Dump(ErrorJson("request body too large")));
        return httplib::Server::HandlerResponse::Handled;
      }
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  server_->set_logger(
      [](const httplib::Request& req, const httplib::Response& res) { EndRequest(req, res); });
  AddApiRoutes();
}

HttpServer::~HttpServer() { Stop(); }

httplib::Server& HttpServer::http() { return *server_; }

void HttpServer::Route(const std::string& method, const std::string& path, Handler handler,
                       size_t max_body_bytes) {
  size_t limit = max_body_bytes ? max_body_bytes : options_.max_body_bytes;
  routes_[path][method] = limit;
  // httplib's own cap (for chunked bodies) is the largest route limit.
  if (limit > options_.max_body_bytes) server_->set_payload_max_length(limit);
  if (limit != options_.max_body_bytes) {
    handler = [limit, inner = std::move(handler)](const httplib::Request& req,
                                                  httplib::Response& res) {
      if (req.body.size() > limit) {  // a chunked body has no Content-Length
        SendJson(res, 413, Dump(ErrorJson("request body too large")));
        return;
      }
      inner(req, res);
    };
  }
  if (method == "GET") {
    server_->Get(path, std::move(handler));
  } else if (method == "POST") {
    server_->Post(path, std::move(handler));
  } else if (method == "PUT") {
    server_->Put(path, std::move(handler));
  } else if (method == "DELETE") {
    server_->Delete(path, std::move(handler));
  }
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
      core::Question q{request.value().text, request.value().session, "http"};
      NoteChannel("http");
      NoteQuestion(q.text);
      if (explain) {
        SendJson(res, 200, Dump(ExplanationToJson(*knowledge, core::Explain(*knowledge, q))));
      } else {
        core::Reply reply = core::Answer(*knowledge, q);
        NoteAnswer(reply, "http");
        if (answer_observer_) answer_observer_(q, reply);
        SendJson(res, 200, ReplyJson(reply));
      }
    };
  };
  Route("POST", "/api/v1/ask", with_question(false));
  Route("POST", "/api/v1/explain", with_question(true));
  Route("GET", "/api/v1/intents", [this](const httplib::Request&, httplib::Response& res) {
    auto knowledge = knowledge_->Get();
    SendJson(res, 200, Dump(IntentsToJson(*knowledge)));
  });
  Route("GET", "/api/v1/facts", [this](const httplib::Request&, httplib::Response& res) {
    auto knowledge = knowledge_->Get();
    SendJson(res, 200, Dump(FactsToJson(*knowledge)));
  });
}

void HttpServer::AddMethodNotAllowed() {
  // Sorted, so the Allow header does not depend on hash order.
  std::map<std::string, std::map<std::string, size_t>> sorted(routes_.begin(), routes_.end());
  for (const auto& [path, methods] : sorted) {
    std::string allow;
    for (const auto& [m, limit] : methods) allow += (allow.empty() ? "" : ", ") + m;
    auto reject = [allow](const httplib::Request&, httplib::Response& res) {
      res.set_header("Allow", allow);
      SendJson(res, 405, Dump(ErrorJson("method not allowed; use " + allow)));
    };
    if (!methods.count("GET")) server_->Get(path, reject);
    if (!methods.count("POST")) server_->Post(path, reject);
    if (!methods.count("PUT")) server_->Put(path, reject);
    if (!methods.count("DELETE")) server_->Delete(path, reject);
    if (!methods.count("PATCH")) server_->Patch(path, reject);
    server_->Options(path, reject);
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
  return core::Status::Ok();
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
  if (server_->is_running()) server_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace bot::edge
