// DegradedModes: which features run in a degraded mode because the shared
// state (Redis) cannot be reached: "dedup" (webhooks answer 503 so the
// platform redelivers), "rate_limit" (a local bucket per replica),
// "context" (answers without the conversation). Each change of a feature
// writes one log line (degraded_mode on/off), not one per request, and sets
// the gauge bot_degraded{feature}. /readyz reports the features that are
// degraded. Process-wide, like Metrics::Global(); thread-safe.
#pragma once

#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace bot::edge {

class DegradedModes {
 public:
  static DegradedModes& Global();
  // `feature` works (false) or is degraded (true) as of now.
  void Set(const std::string& feature, bool degraded);
  bool degraded(const std::string& feature) const;
  // The degraded features, sorted; empty when all is well.
  std::vector<std::string> Degraded() const;

 private:
  mutable std::mutex mutex_;
  std::set<std::string> degraded_;
};

}  // namespace bot::edge
