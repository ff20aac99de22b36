#include "bot/edge/degraded.h"

#include "bot/edge/log.h"
#include "bot/edge/metrics.h"

namespace bot::edge {

DegradedModes& DegradedModes::Global() {
  static auto* modes = [] {
    Metrics::Global().Describe(
        "bot_degraded", Metrics::Type::kGauge,
        "1 while a feature runs degraded because the shared state (Redis) is unreachable: "
        "dedup (webhooks 503), rate_limit (local buckets), context (answers without it).");
    return new DegradedModes();
  }();
  return *modes;
}

void DegradedModes::Set(const std::string& feature, bool degraded) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    bool was = degraded_.count(feature) != 0;
    if (was == degraded) return;  // one line per change, not per request
    if (degraded) {
      degraded_.insert(feature);
    } else {
      degraded_.erase(feature);
    }
  }
  Metrics::Set("bot_degraded", {{"feature", feature}}, degraded ? 1 : 0);
  Log(degraded ? LogLevel::kWarn : LogLevel::kInfo,
      {{"event", "degraded_mode"}, {"feature", feature}, {"state", degraded ? "on" : "off"}});
}

bool DegradedModes::degraded(const std::string& feature) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return degraded_.count(feature) != 0;
}

std::vector<std::string> DegradedModes::Degraded() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return {degraded_.begin(), degraded_.end()};
}

}  // namespace bot::edge
