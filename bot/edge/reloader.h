// Reloader: rebuilds the knowledge from its files off the request path and
// swaps it in only when it has no errors; a broken edit changes nothing and
// is remembered as the last error. Reload() calls are serialised; status()
// is safe from any thread.
#pragma once

#include <mutex>
#include <string>

#include "bot/core/status.h"
#include "bot/edge/knowledge_holder.h"
#include "bot/edge/yaml_loader.h"

namespace bot::edge {

class Reloader {
 public:
  // `initial_load_ms`: how long the load of the snapshot already in `holder`
  // took, reported until the first reload.
  Reloader(KnowledgeHolder* holder, KnowledgeSources sources, double initial_load_ms = 0);

  // Loads and, if valid, swaps in the new snapshot. `trigger` names the
  // cause for logs ("sighup", "admin", "watch"). Returns the load status.
  core::Status Reload(const std::string& trigger);

  struct Stats {
    int succeeded = 0;
    int failed = 0;
    std::string last_error;       // empty when the last reload succeeded
    std::string last_error_at;
    double load_ms = 0;           // of the snapshot in service
  };
  Stats stats() const;
  const KnowledgeSources& sources() const { return sources_; }

 private:
  KnowledgeHolder* holder_;
  KnowledgeSources sources_;
  std::mutex reload_mutex_;
  mutable std::mutex stats_mutex_;
  Stats stats_;
};

}  // namespace bot::edge
