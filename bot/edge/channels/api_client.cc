#include "bot/edge/channels/api_client.h"

#include <algorithm>

namespace bot::edge::channels {

ApiResponse ApiClient::Post(const ApiCall& call) {
  ApiResponse out;
  auto client = std::make_shared<httplib::Client>(call.base);
  client->set_connection_timeout(timeouts_.connect);
  client->set_write_timeout(timeouts_.connect);
  client->set_read_timeout(call.read_timeout.count() > 0 ? call.read_timeout : timeouts_.read);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (cancelled_) {
      out.transport_error = "cancelled";
      return out;
    }
    in_flight_.push_back(client);
  }
  auto result = client->Post(call.path.c_str(), call.headers, call.body,
                             "application/json; charset=utf-8");
  {
    std::lock_guard<std::mutex> lock(mutex_);
    std::erase(in_flight_, client);
  }
  if (!result) {
    out.transport_error = httplib::to_string(result.error());
    return out;
  }
  out.transport_ok = true;
  out.status = result->status;
  out.body = result->body;
  out.headers = result->headers;
  return out;
}

void ApiClient::Cancel() {
  std::lock_guard<std::mutex> lock(mutex_);
  cancelled_ = true;
  for (auto& client : in_flight_) client->stop();
}

}  // namespace bot::edge::channels
