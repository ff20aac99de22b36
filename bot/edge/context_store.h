// ContextStore: where conversations keep their context between turns,
// keyed by conversation ("http:SESSION", "telegram:CHAT:USER"). The
// interface is what the HTTP API and the channels use; InMemoryContextStore
// is the one-machine implementation (the scale-out work puts Redis behind
// the same interface). Contexts expire after an idle time and a number of
// turns; the caller passes the time in (milliseconds on any monotonic clock).
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "bot/core/conversation.h"

namespace bot::edge {

// A session id a client may send: 1 to kMaxSessionIdBytes bytes of ASCII
// letters, digits and `-_.:@`. Anything else is refused (400), so keys stay
// small and printable in logs.
constexpr size_t kMaxSessionIdBytes = 128;
bool ValidSessionId(std::string_view id);

// Milliseconds on the steady clock: the `now_ms` the servers pass.
int64_t NowMs();

struct ContextStoreOptions {
  int64_t ttl_ms = 600 * 1000;  // context.ttl_s: idle time before a context is forgotten
  int max_turns = 20;           // context.max_turns: answered turns one context may span
  size_t max_sessions = 10000;  // context.max_sessions: least recently used beyond are dropped
};

class ContextStore {
 public:
  virtual ~ContextStore() = default;
  // The context of `key`, or an empty one when there is none, it expired
  // (idle longer than the TTL at `now_ms`) or the store cannot be read.
  virtual core::ConversationContext Load(const std::string& key, int64_t now_ms) = 0;
  // The same, shared and read-only: what a turn reads (AnswerTurn takes the
  // context by const reference), without a copy where the store keeps
  // contexts in memory. Never null. The default wraps Load.
  virtual std::shared_ptr<const core::ConversationContext> Share(const std::string& key,
                                                                 int64_t now_ms) {
    return std::make_shared<const core::ConversationContext>(Load(key, now_ms));
  }
  // Remembers `context` for `key` as of `now_ms`. An empty context, or one
  // that spans more than max_turns, forgets the key instead. By value: a
  // caller done with its context moves it in.
  virtual void Save(const std::string& key, core::ConversationContext context,
                    int64_t now_ms) = 0;
  // Save for a caller that keeps its buffers between turns: takes
  // `*context` and may leave in it the storage of the context it replaced
  // (its values are then stale: AnswerTurn into a Turn rewrites them all).
  // The caller must hold no Share of `key` by then. The default saves a
  // move of it.
  virtual void Keep(const std::string& key, core::ConversationContext* context, int64_t now_ms) {
    Save(key, std::move(*context), now_ms);
  }
  // Forgets `key`; whether there was a context.
  virtual bool Erase(const std::string& key) = 0;
};

// LRU with TTL, bounded by max_sessions; each context is bounded by
// core's limits (kMaxContextQuestionBytes, kMaxContextEntities, ...), so
// the store holds at most max_sessions * kMaxEntryBytes bytes.
// Thread-safe (one mutex); O(1) per call.
class InMemoryContextStore final : public ContextStore {
 public:
  // An upper bound on one entry: key, context and list/map overhead.
  static constexpr size_t kMaxEntryBytes = 8 * 1024;

  explicit InMemoryContextStore(ContextStoreOptions options = {});
  InMemoryContextStore(const InMemoryContextStore&) = delete;
  InMemoryContextStore& operator=(const InMemoryContextStore&) = delete;

  core::ConversationContext Load(const std::string& key, int64_t now_ms) override;
  // The entry's own context, shared: no copy per turn.
  std::shared_ptr<const core::ConversationContext> Share(const std::string& key,
                                                         int64_t now_ms) override;
  void Save(const std::string& key, core::ConversationContext context,
            int64_t now_ms) override;
  // Swaps `*context` into the entry when no turn still reads the one it
  // holds: no allocation, and the caller gets the old one's buffers.
  void Keep(const std::string& key, core::ConversationContext* context, int64_t now_ms) override;
  bool Erase(const std::string& key) override;

  size_t size() const;
  // Heap bytes held by the entries (keys, contexts, node overhead), as
  // counted on insertion.
  size_t ApproximateBytes() const;
  const ContextStoreOptions& options() const { return options_; }

 private:
  struct Entry {
    std::string key;
    // Shared with the turns reading it (as const). Save replaces it; Keep
    // swaps its contents only while no one else holds it.
    std::shared_ptr<core::ConversationContext> context;
    int64_t touched_ms = 0;
    size_t bytes = 0;
  };
  using List = std::list<Entry>;
  void EraseLocked(List::iterator it);
  // Save's work once `shared` (null: forget) is built, under the lock.
  void StoreLocked(const std::string& key, std::shared_ptr<core::ConversationContext> shared,
                   int64_t now_ms, std::shared_ptr<core::ConversationContext>* replaced);
  bool Keeps(const core::ConversationContext& context) const {
    return !context.empty() && context.turns <= options_.max_turns && options_.max_sessions > 0;
  }
  // What entry `e` holds on the heap, roughly (node and map overhead too).
  static size_t BytesOf(const Entry& e);

  const ContextStoreOptions options_;
  mutable std::mutex mutex_;
  List lru_;  // most recently used first
  std::unordered_map<std::string_view, List::iterator> index_;  // views into lru_ keys
  size_t bytes_ = 0;
};

}  // namespace bot::edge
