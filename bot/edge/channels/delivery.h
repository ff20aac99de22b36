// Delivery: one answer on its way to one chat, as data: the event it
// answers, its platform calls once rendered, which call is next, how many
// tries that call has had and when the next try is due. It owns that state
// (the sender advances it, the queue keeps it while it waits), holds no
// pointers, and could be stored and resumed by another process.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "bot/edge/channels/channel.h"
#include "bot/edge/clock.h"

namespace bot::edge::channels {

class Delivery {
 public:
  // The answer to `event` on `channel`, or with `slow_down` the editors'
  // "please slow down" instead of one.
  Delivery(std::string channel, Event event, bool slow_down = false);

  const std::string& channel() const { return channel_; }
  const Event& event() const { return event_; }
  bool slow_down() const { return slow_down_; }
  // "channel:chat": deliveries with one key go out in order, one at a time.
  const std::string& chat_key() const { return chat_key_; }
  // "channel:event id", or "" when the platform gave no id.
  std::string dedup_key() const;

  // The id a shared queue gave it (a Redis stream entry id); "" in memory.
  const std::string& queue_id() const { return queue_id_; }
  void set_queue_id(std::string id) { queue_id_ = std::move(id); }

  // What a shared queue stores: the channel, the event and slow_down, as
  // JSON (never the rendered calls: they carry tokens, and are rendered
  // again by whichever process takes it). Decode gives nullopt for bytes
  // that are not an encoded Delivery.
  std::string Encode() const;
  static std::optional<Delivery> Decode(const std::string& bytes);

  // Whether the calls are known yet (answering happens when it is first
  // taken, not when the webhook arrives).
  bool rendered() const { return rendered_; }
  void Render(std::vector<ApiCall> calls);
  // Rendered and every call sent.
  bool done() const { return rendered_ && next_ >= calls_.size(); }
  // The call to send now. REQUIRES: rendered() && !done().
  const ApiCall& current() const { return calls_[next_]; }
  // Calls sent so far: the index of current().
  size_t sent() const { return next_; }
  size_t calls() const { return calls_.size(); }

  // Tries of current() so far.
  int attempts() const { return attempts_; }
  void CountAttempt() { ++attempts_; }
  // current() went through: on to the next call, with no tries yet.
  void Advance();

  // When to try again (meaningful while waiting in a queue).
  SteadyTime retry_at() const { return retry_at_; }
  void RetryAt(SteadyTime when) { retry_at_ = when; }

 private:
  std::string channel_;
  Event event_;
  bool slow_down_ = false;
  std::string chat_key_;
  std::string queue_id_;
  bool rendered_ = false;
  std::vector<ApiCall> calls_;
  size_t next_ = 0;
  int attempts_ = 0;
  SteadyTime retry_at_{};
};

}  // namespace bot::edge::channels
