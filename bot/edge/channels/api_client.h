// ApiClient: the one way the channels talk HTTP to a platform: one POST of
// an ApiCall, no retries (the sender decides those), with connect, read and
// write timeouts. Used for sends (sender.h), Telegram's long poll and the
// `bot telegram` verb alike. Cancel() cuts every exchange in flight and
// refuses later ones (a long poll blocks for its whole timeout otherwise).
// Thread-safe.
#pragma once

#include <httplib.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <vector>

#include "bot/edge/channels/channel.h"

namespace bot::edge::channels {

struct HttpTimeouts {
  std::chrono::milliseconds connect{5000};  // also the write timeout
  std::chrono::milliseconds read{15000};    // unless the call sets its own
};

class ApiClient {
 public:
  explicit ApiClient(HttpTimeouts timeouts = {}) : timeouts_(timeouts) {}
  ApiClient(const ApiClient&) = delete;
  ApiClient& operator=(const ApiClient&) = delete;

  // POSTs `call` (a JSON body) once. A connection failure or timeout (or a
  // cancelled client) comes back as !transport_ok with the reason.
  ApiResponse Post(const ApiCall& call);
  // Stops every Post in flight; later ones fail at once.
  void Cancel();

 private:
  const HttpTimeouts timeouts_;
  std::mutex mutex_;
  bool cancelled_ = false;
  std::vector<std::shared_ptr<httplib::Client>> in_flight_;
};

}  // namespace bot::edge::channels
