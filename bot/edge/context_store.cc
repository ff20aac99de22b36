#include "bot/edge/context_store.h"

#include <chrono>

namespace bot::edge {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

bool ValidSessionId(std::string_view id) {
  if (id.empty() || id.size() > kMaxSessionIdBytes) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.' || c == ':' || c == '@';
    if (!ok) return false;
  }
  return true;
}

InMemoryContextStore::InMemoryContextStore(ContextStoreOptions options)
    : options_(options) {
  if (options_.max_sessions > 0) index_.reserve(options_.max_sessions + 1);
}

core::ConversationContext InMemoryContextStore::Load(const std::string& key, int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = index_.find(key);
  if (it == index_.end()) return {};
  if (now_ms - it->second->touched_ms > options_.ttl_ms) {
    EraseLocked(it->second);
    return {};
  }
  return *it->second->context;
}

std::shared_ptr<const core::ConversationContext> InMemoryContextStore::Share(const std::string& key,
                                                                             int64_t now_ms) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = index_.find(key);
    if (it != index_.end()) {
      if (now_ms - it->second->touched_ms <= options_.ttl_ms) return it->second->context;
      EraseLocked(it->second);
    }
  }
  // None: the one empty context, shared by every turn that has none.
  static const std::shared_ptr<const core::ConversationContext> empty =
      std::make_shared<const core::ConversationContext>();
  return empty;
}

void InMemoryContextStore::Save(const std::string& key, core::ConversationContext context,
                                int64_t now_ms) {
  // Wrapped before the lock is taken (the one allocation of a turn); the
  // context it replaces is freed by the last turn still reading it, after
  // the lock is released.
  std::shared_ptr<core::ConversationContext> shared =
      Keeps(context) ? std::make_shared<core::ConversationContext>(std::move(context)) : nullptr;
  std::shared_ptr<core::ConversationContext> replaced;
  std::lock_guard<std::mutex> lock(mutex_);
  StoreLocked(key, std::move(shared), now_ms, &replaced);
}

void InMemoryContextStore::Keep(const std::string& key, core::ConversationContext* context,
                                int64_t now_ms) {
  if (Keeps(*context)) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto found = index_.find(key);
    // Only this store holds the entry's context (use_count is read under
    // the lock every Share takes, so no reader can appear meanwhile): its
    // contents are swapped, the caller gets the old buffers back.
    if (found != index_.end() && found->second->context.use_count() == 1) {
      Entry& e = *found->second;
      swap(*e.context, *context);
      bytes_ -= e.bytes;
      e.touched_ms = now_ms;
      e.bytes = BytesOf(e);
      bytes_ += e.bytes;
      lru_.splice(lru_.begin(), lru_, found->second);
      return;
    }
  }
  Save(key, std::move(*context), now_ms);
}

void InMemoryContextStore::StoreLocked(const std::string& key,
                                       std::shared_ptr<core::ConversationContext> shared,
                                       int64_t now_ms,
                                       std::shared_ptr<core::ConversationContext>* replaced) {
  auto found = index_.find(key);
  if (found != index_.end()) {
    if (!shared) {
      *replaced = std::move(found->second->context);
      EraseLocked(found->second);
      return;
    }
    // The usual turn: the entry is updated where it is and moves to the
    // front, no node or key allocated.
    Entry& e = *found->second;
    bytes_ -= e.bytes;
    *replaced = std::move(e.context);
    e.context = std::move(shared);
    e.touched_ms = now_ms;
    e.bytes = BytesOf(e);
    bytes_ += e.bytes;
    lru_.splice(lru_.begin(), lru_, found->second);
    return;
  }
  if (!shared) return;
  // Expired entries gather at the tail: drop them, then the least recently
  // used while full. Each entry is dropped once, so this is O(1) amortised.
  while (!lru_.empty() && (now_ms - lru_.back().touched_ms > options_.ttl_ms ||
                           index_.size() >= options_.max_sessions)) {
    EraseLocked(std::prev(lru_.end()));
  }
  lru_.push_front({key, std::move(shared), now_ms, 0});
  Entry& e = lru_.front();
  e.bytes = BytesOf(e);
  bytes_ += e.bytes;
  index_.emplace(std::string_view(e.key), lru_.begin());
}

size_t InMemoryContextStore::BytesOf(const Entry& e) {
  // Node and map overhead, roughly: list node, hash node, bucket.
  return sizeof(Entry) + 4 * sizeof(void*) + e.key.capacity() + sizeof(std::string_view) +
         sizeof(List::iterator) + 2 * sizeof(void*) + e.context->ApproximateBytes() +
         4 * sizeof(void*);  // the shared pointer's control block
}

bool InMemoryContextStore::Erase(const std::string& key) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = index_.find(key);
  if (it == index_.end()) return false;
  EraseLocked(it->second);
  return true;
}

void InMemoryContextStore::EraseLocked(List::iterator it) {
  bytes_ -= it->bytes;
  index_.erase(std::string_view(it->key));
  lru_.erase(it);
}

size_t InMemoryContextStore::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return index_.size();
}

size_t InMemoryContextStore::ApproximateBytes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return bytes_;
}

}  // namespace bot::edge
