// KnowledgeHolder: the one mutable cell of the service, the snapshot in
// service. Readers take a shared_ptr copy and keep using it for the whole
// request even if a reload swaps in a new snapshot meanwhile. Thread-safe.
#pragma once

#include <memory>
#include <mutex>

#include "bot/core/knowledge.h"

namespace bot::edge {

class KnowledgeHolder {
 public:
  explicit KnowledgeHolder(std::shared_ptr<const core::Knowledge> initial = nullptr)
      : current_(std::move(initial)) {}

  std::shared_ptr<const core::Knowledge> Get() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return current_;
  }
  void Set(std::shared_ptr<const core::Knowledge> next) {
    std::lock_guard<std::mutex> lock(mutex_);
    current_.swap(next);
    // `next` (the old snapshot) is released outside the lock when it goes
    // out of scope, unless a request still holds it.
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const core::Knowledge> current_;
};

}  // namespace bot::edge
