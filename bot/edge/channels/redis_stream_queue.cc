#include "bot/edge/channels/redis_stream_queue.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <random>

#include "bot/edge/degraded.h"
#include "bot/edge/log.h"
#include "bot/edge/metrics.h"

namespace bot::edge::channels {
namespace {

// KEYS[1] the stream, KEYS[2] the chat's list. ARGV: max_len, ttl_s, chat,
// delivery. The new entry's id, or nil when the stream is full (MAXLEN
// trimming would drop an entry not yet acknowledged).
constexpr char kEnqueueScript[] = R"lua(
if redis.call('XLEN', KEYS[1]) >= tonumber(ARGV[1]) then return false end
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'chat', ARGV[3], 'd', ARGV[4])
redis.call('RPUSH', KEYS[2], id)
redis.call('EXPIRE', KEYS[2], ARGV[2])
return id
)lua";

// The same, claiming the event's dedup key KEYS[3] in the same step
// (ARGV[5]: its TTL): 0 when it was claimed already (nothing queued).
constexpr char kClaimEnqueueScript[] = R"lua(
if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
if redis.call('XLEN', KEYS[1]) >= tonumber(ARGV[1]) then return false end
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'chat', ARGV[3], 'd', ARGV[4])
redis.call('RPUSH', KEYS[2], id)
redis.call('EXPIRE', KEYS[2], ARGV[2])
redis.call('SET', KEYS[3], '2', 'EX', ARGV[5])
return id
)lua";

// The webhook's admission (Admit): KEYS[1] the stream, KEYS[2] the chat's
// list, KEYS[3] the event's dedup key, KEYS[4] the user's bucket. ARGV[1]
// max_len, [2] ttl_s, [3] chat, [4] the delivery, [5] the dedup TTL, [6]
// the delivery as a slow-down, [7..11] take_token's (RedisRateBucket).
// {code, id}: 0 queued, 1 queued as a slow-down, 2 dropped (flooding), 3
// a repeat, 4 full; nothing claimed but for 0 and 1. The order is the
// hub's without the merge: a repeat takes no token; a token is taken
// before a full stream refuses (the bucket's event memory keeps the
// redelivery from paying twice).
const std::string& AdmitScript() {
  static const std::string script = std::string(bot::edge::RedisRateBucket::kLua) + R"lua(
if redis.call('EXISTS', KEYS[3]) == 1 then return {3} end
local decision = take_token(KEYS[4], ARGV[7], ARGV[8], ARGV[9], ARGV[10], ARGV[11])
if decision == 2 then return {2} end
if redis.call('XLEN', KEYS[1]) >= tonumber(ARGV[1]) then return {4} end
local d = ARGV[4]
if decision == 1 then d = ARGV[6] end
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'chat', ARGV[3], 'd', d)
redis.call('RPUSH', KEYS[2], id)
redis.call('EXPIRE', KEYS[2], ARGV[2])
redis.call('SET', KEYS[3], '2', 'EX', ARGV[5])
return {decision, id}
)lua";
  return script;
}

// KEYS[1] the chat's list, KEYS[2] the stream. ARGV[1] an entry id. 1 when
// it is the chat's oldest entry not yet acknowledged (the list's head; ids
// at the head whose entries are gone are dropped; a list that is gone or
// starts later, e.g. expired, holds nothing older).
constexpr char kHeadScript[] = R"lua(
local function older(a, b)
  local am, as = string.match(a, '^(%d+)-(%d+)$')
  local bm, bs = string.match(b, '^(%d+)-(%d+)$')
  if not am or not bm then return false end
  if tonumber(am) ~= tonumber(bm) then return tonumber(am) < tonumber(bm) end
  return tonumber(as) < tonumber(bs)
end
for i = 1, 1000 do
  local h = redis.call('LINDEX', KEYS[1], 0)
  if (not h) or h == ARGV[1] or older(ARGV[1], h) then return 1 end
  if #redis.call('XRANGE', KEYS[2], h, h) > 0 then return 0 end
  redis.call('LPOP', KEYS[1])
end
return 0
)lua";

// KEYS[1] the stream, KEYS[2] the chat's list, KEYS[3] the entry's
// remembered answer. ARGV: group, id. The chat's next entry id, or "".
constexpr char kAckScript[] = R"lua(
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[1], ARGV[2])
redis.call('LREM', KEYS[2], 1, ARGV[2])
redis.call('DEL', KEYS[3])
return redis.call('LINDEX', KEYS[2], 0) or ''
)lua";

// KEYS[1] the stream. ARGV: group, consumer, the ids it holds. Resets the
// idle time of those it still owns; returns those another consumer owns
// now. Ids no longer pending at all (acknowledged elsewhere, or Redis lost
// its data) are neither: the holder goes on, and the records decide.
constexpr char kHeartbeatScript[] = R"lua(
local lost = {}
for i = 3, #ARGV do
  local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1)
  if #p > 0 then
    if p[1][2] == ARGV[2] then
      redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[i], 'JUSTID')
    else
      lost[#lost + 1] = ARGV[i]
    end
  end
end
return lost
)lua";

// KEYS[1] a call's idempotency record. ARGV: consumer, ttl_ms, send_bound
// ms. {verdict, detail}: {"send", ""} (new, ours, or tried and ended),
// {"sent", ""}, {"wait", ms left of the other's send_bound}, or {"taken",
// the record} (another's send began longer than send_bound ago: it died
// during the call). Writes "sending|<consumer>|<now>" unless sent or wait.
constexpr char kBeginSendScript[] = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local v = redis.call('GET', KEYS[1])
if v == 'sent' then return {'sent', ''} end
local verdict = {'send', ''}
if v then
  local owner, since = string.match(v, '^sending|(.*)|(%d+)$')
  if owner and owner ~= ARGV[1] then
    local left = tonumber(since) + tonumber(ARGV[3]) - now
    if left > 0 then return {'wait', tostring(left)} end
    verdict = {'taken', v}
  elseif not owner and string.sub(v, 1, 6) ~= 'tried|' then
    verdict = {'taken', v}  -- a record of another version: its holder is gone
  end
end
redis.call('SET', KEYS[1], 'sending|' .. ARGV[1] .. '|' .. now, 'PX', ARGV[2])
return verdict
)lua";

// KEYS[1] a call's idempotency record. ARGV: consumer, ttl_ms. "tried" if
// the record still says this consumer is sending (never over "sent", nor
// over the record of a consumer that took the entry over).
constexpr char kEndSendScript[] = R"lua(
local v = redis.call('GET', KEYS[1])
if v and string.match(v, '^sending|(.*)|%d+$') == ARGV[1] then
  redis.call('SET', KEYS[1], 'tried|' .. ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
)lua";

// KEYS[1] the stream. ARGV: group, this consumer, idle ms. Deletes the
// other consumers with nothing pending idle longer than that; how many.
// One script: no read can hand one an entry between the look and the
// delete (which would drop that entry from the pending list).
constexpr char kDropConsumersScript[] = R"lua(
local n = 0
for _, c in ipairs(redis.call('XINFO', 'CONSUMERS', KEYS[1], ARGV[1])) do
  local f = {}
  for i = 1, #c - 1, 2 do f[c[i]] = c[i + 1] end
  if f['name'] ~= ARGV[2] and tonumber(f['pending']) == 0 and
     tonumber(f['idle']) > tonumber(ARGV[3]) then
    redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], f['name'])
    n = n + 1
  end
end
return n
)lua";

void DescribeMetrics() {
  static std::once_flag once;
  std::call_once(once, [] {
    auto& m = Metrics::Global();
    m.Describe("bot_channel_stream_full_total", Metrics::Type::kCounter,
               "Answers refused (webhook 503) because the outbound stream held max_len "
               "unacknowledged entries: trimming would have dropped one.");
    m.Describe("bot_channel_stream_length", Metrics::Type::kGauge,
               "Entries in the outbound stream not yet acknowledged, all replicas together.");
    m.Describe("bot_channel_stream_claimed_total", Metrics::Type::kCounter,
               "Outbound entries this replica took over (XAUTOCLAIM) from one that stopped "
               "acknowledging them.");
    m.Describe("bot_channel_stream_skipped_sends_total", Metrics::Type::kCounter,
               "Platform calls not sent because their idempotency record says another "
               "process sent them (a reclaimed entry whose ack was lost).");
    m.Describe("bot_channel_send_queue_depth", Metrics::Type::kGauge,
               "Answers queued or waiting for a retry, all channels together.");
    m.Describe("bot_channel_stream_unconfirmed_resends_total", Metrics::Type::kCounter,
               "Platform calls sent again after taking an entry over from a replica that "
               "died during the call: delivered twice if the platform had taken the first.");
    m.Describe("bot_channel_stream_consumers_deleted_total", Metrics::Type::kCounter,
               "Consumers of stopped replicas removed from the group (nothing pending, idle "
               "longer than claim_idle).");
  });
}

std::string DefaultConsumer() {
  char host[256] = {0};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = 0;
  std::random_device rd;
  char suffix[16];
  std::snprintf(suffix, sizeof suffix, "%08x", static_cast<unsigned>(rd()));
  return std::string(host[0] ? host : "bot") + ":" + std::to_string(getpid()) + ":" + suffix;
}

bool IsOk(const std::optional<RedisReply>& r) { return r && !r->is_error(); }

}  // namespace

RedisStreamQueue::RedisStreamQueue(std::shared_ptr<RedisClient> redis, RedisStreamOptions options,
                                   const Clock& clock)
    : redis_(std::move(redis)), options_(std::move(options)), clock_(clock) {
  DescribeMetrics();
  if (options_.rate_limit) bucket_.emplace(*options_.rate_limit, options_.rate_prefix);
  if (options_.consumer.empty()) options_.consumer = DefaultConsumer();
  options_.prefetch = std::max<size_t>(1, options_.prefetch);
  options_.claim_idle = std::max(options_.claim_idle, std::chrono::milliseconds(3));
  {
    std::lock_guard<std::mutex> lock(mutex_);
    Depth();
  }
  EnsureGroup();  // the fetcher retries while Redis is down
  fetcher_ = std::thread([this] { Fetch(); });
}

RedisStreamQueue::~RedisStreamQueue() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    quit_ = true;
  }
  fetcher_wake_.notify_all();
  work_.notify_all();
  if (fetcher_.joinable()) fetcher_.join();
}

bool RedisStreamQueue::ParseId(const std::string& id, StreamId* out) {
  unsigned long long ms = 0, seq = 0;
  char extra = 0;
  if (std::sscanf(id.c_str(), "%llu-%llu%c", &ms, &seq, &extra) != 2) return false;
  *out = {ms, seq};
  return true;
}

std::string RedisStreamQueue::FormatId(const StreamId& id) {
  return std::to_string(id.first) + "-" + std::to_string(id.second);
}

std::string RedisStreamQueue::RecordKey(const std::string& id, size_t call) const {
  return options_.prefix + "sent:" + id + ":" + std::to_string(call);
}

void RedisStreamQueue::Note(bool ok) {
  DegradedModes::Global().Set("send_queue", !ok);
  // Admitting, dedup is this queue's script too: the webhook answers 503
  // exactly while this client cannot reach Redis, and the fetcher's calls
  // end the mode once Redis is back, webhooks or not.
  if (admits()) DegradedModes::Global().Set("dedup", !ok);
}

void RedisStreamQueue::Depth() {
  Metrics::Set("bot_channel_send_queue_depth", {}, static_cast<double>(held_));
}

bool RedisStreamQueue::EnsureGroup() {
  auto r = redis_->Run({"XGROUP", "CREATE", StreamKey(), options_.group, "0", "MKSTREAM"});
  // BUSYGROUP: it exists already. "0": entries added before the group (by
  // a replica that started first, or after Redis lost its data) are read.
  return r && (!r->is_error() || r->str.rfind("BUSYGROUP", 0) == 0);
}

bool RedisStreamQueue::Enqueue(Delivery delivery) {
  return Offer(std::move(delivery)) == Offered::kQueued;
}

OutboundQueue::Offered RedisStreamQueue::Offer(Delivery delivery) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (closed_) return Offered::kFull;
  }
  const std::string chat = delivery.chat_key();
  auto r = redis_->Eval(kEnqueueScript, {StreamKey(), ChatKey(chat)},
                        {std::to_string(options_.max_len),
                         std::to_string(options_.record_ttl.count()), chat, delivery.Encode()});
  Note(IsOk(r));
  if (!IsOk(r)) return Offered::kUnavailable;
  if (r->is_nil()) {
    Metrics::Inc("bot_channel_stream_full_total");
    return Offered::kFull;
  }
  return Offered::kQueued;
}

OutboundQueue::ClaimedEnqueue RedisStreamQueue::EnqueueClaiming(Delivery delivery,
                                                                const std::string& dedup_id) {
  if (!claims_dedup() || dedup_id.empty()) {
    return OutboundQueue::EnqueueClaiming(std::move(delivery), dedup_id);
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (closed_) return ClaimedEnqueue::kFull;
  }
  const std::string chat = delivery.chat_key();
  auto r = redis_->Eval(kClaimEnqueueScript,
                        {StreamKey(), ChatKey(chat), options_.dedup_prefix + dedup_id},
                        {std::to_string(options_.max_len),
                         std::to_string(options_.record_ttl.count()), chat, delivery.Encode(),
                         std::to_string(options_.dedup_ttl.count())});
  Note(IsOk(r));
  if (!IsOk(r)) return ClaimedEnqueue::kUnavailable;
  if (r->type == RedisReply::Type::kInteger) return ClaimedEnqueue::kRepeat;
  if (r->is_nil()) {
    Metrics::Inc("bot_channel_stream_full_total");
    return ClaimedEnqueue::kFull;
  }
  return ClaimedEnqueue::kQueued;
}

OutboundQueue::Admitted RedisStreamQueue::Admit(Delivery delivery, const std::string& dedup_id,
                                                const std::string& rate_key) {
  if (!admits() || dedup_id.empty()) return Admitted::kUnavailable;  // REQUIRES broken
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (closed_) return Admitted::kFull;
  }
  const std::string chat = delivery.chat_key();
  std::vector<std::string> args{std::to_string(options_.max_len),
                                std::to_string(options_.record_ttl.count()),
                                chat,
                                delivery.Encode(),
                                std::to_string(options_.dedup_ttl.count()),
                                Delivery(delivery.channel(), delivery.event(), true).Encode()};
  for (std::string& a : bucket_->Args(delivery.event().id)) args.push_back(std::move(a));
  auto r = redis_->Eval(
      AdmitScript(),
      {StreamKey(), ChatKey(chat), options_.dedup_prefix + dedup_id, bucket_->Key(rate_key)},
      args);
  const bool ok = IsOk(r) && r->type == RedisReply::Type::kArray && !r->elements.empty() &&
                  r->elements[0].type == RedisReply::Type::kInteger;
  Note(ok);  // and "dedup": unknown whether the id is another replica's, it fails closed
  if (!ok) return Admitted::kUnavailable;
  DegradedModes::Global().Set("rate_limit", false);
  switch (r->elements[0].integer) {
    case 0: return Admitted::kQueued;
    case 1: return Admitted::kSlowedDown;
    case 2: return Admitted::kDropped;
    case 3: return Admitted::kRepeat;
    default:
      Metrics::Inc("bot_channel_stream_full_total");
      return Admitted::kFull;
  }
}

bool RedisStreamQueue::Add(const std::string& id, const std::string& chat,
                           const std::string& bytes, bool recovered) {
  StreamId sid;
  std::optional<Delivery> delivery = Delivery::Decode(bytes);
  if (!ParseId(id, &sid) || !delivery || delivery->chat_key() != chat) {
    // Not ours to read (a foreign writer, or a version that encodes
    // differently): dropped, once, with a line, never retried forever.
    Log(LogLevel::kError, {{"event", "stream_entry_unreadable"}, {"id", id}});
    WriteOrReplay([this, id, chat] {
      std::string h;
      return AckInRedis(id, chat, &h);
    });
    return false;
  }
  delivery->set_queue_id(id);
  std::lock_guard<std::mutex> lock(mutex_);
  Chat& c = chats_[chat];
  if (c.entries.count(sid)) return false;
  c.entries.emplace(sid, std::move(*delivery));
  if (recovered) recovered_.insert(id);
  ++held_;
  Depth();
  if (!c.busy && !c.ready) blocked_.insert(chat);
  return true;
}

void RedisStreamQueue::Fetch() {
  using Real = std::chrono::steady_clock;
  const auto heartbeat_every = std::max(options_.claim_idle / 3, std::chrono::milliseconds(1));
  const auto claim_every = std::max(options_.claim_interval, std::chrono::milliseconds(1));
  Real::time_point next_heartbeat = Real::now() + heartbeat_every;
  Real::time_point next_claim = Real::now();  // at start: what a dead replica left
  while (true) {
    bool closed;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (quit_) return;
      closed = closed_;
    }
    Replay();
    if (Real::now() >= next_heartbeat) {
      Heartbeat();
      next_heartbeat = Real::now() + heartbeat_every;
    }
    if (!closed && Real::now() >= next_claim) {
      Claim();
      next_claim = Real::now() + claim_every;
    }
    CheckBlocked();
    // Read blocks up to read_block; while Redis is down it fails at once.
    if (!closed && Read()) {
      CheckBlocked();
    } else {
      // Nothing to read (closed, full, or Redis backing off): wait, then
      // heartbeat and re-check the blocked chats.
      std::unique_lock<std::mutex> lock(mutex_);
      fetcher_wake_.wait_for(lock, options_.read_block, [this] { return quit_; });
    }
  }
}

void RedisStreamQueue::AddEntries(const RedisReply& entries, std::string* last_id,
                                  bool recovered) {
  for (const RedisReply& entry : entries.elements) {
    if (entry.elements.size() < 2) continue;
    std::string chat, bytes;
    const auto& fields = entry.elements[1].elements;
    for (size_t i = 0; i + 1 < fields.size(); i += 2) {
      if (fields[i].str == "chat") chat = fields[i + 1].str;
      if (fields[i].str == "d") bytes = fields[i + 1].str;
    }
    if (last_id) *last_id = entry.elements[0].str;
    if (fields.empty()) {
      // Pending but deleted (its ack, replayed late, went through): done.
      redis_->Run({"XACK", StreamKey(), options_.group, entry.elements[0].str});
      continue;
    }
    Add(entry.elements[0].str, chat, bytes, recovered);
  }
}

bool RedisStreamQueue::ReadOwn() {
  // This consumer's pending entries, all of them, page by page (the
  // history read, "0" onwards). Held ones come back too and are ignored.
  std::string after = "0";
  for (int page = 0; page < 1000; ++page) {
    auto r = redis_->Run({"XREADGROUP", "GROUP", options_.group, options_.consumer, "COUNT",
                          "100", "STREAMS", StreamKey(), after});
    if (!r) {
      Note(false);
      return false;
    }
    if (r->is_error()) {
      if (r->str.rfind("NOGROUP", 0) == 0) EnsureGroup();
      return r->str.rfind("NOGROUP", 0) == 0;  // no group: nothing pending
    }
    Note(true);
    if (r->type != RedisReply::Type::kArray || r->elements.empty() ||
        r->elements[0].elements.size() < 2 || r->elements[0].elements[1].elements.empty()) {
      return true;
    }
    AddEntries(r->elements[0].elements[1], &after, /*recovered=*/true);
  }
  return true;
}

bool RedisStreamQueue::Read() {
  size_t room;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    room = options_.prefetch - std::min(options_.prefetch, held_);
  }
  // After a read whose reply never came (a timeout: Redis may have handed
  // out entries all the same), and at start (a consumer name may be
  // stable across restarts): this consumer's own pending entries first,
  // without waiting claim_idle for them.
  if (read_own_) {
    if (!ReadOwn()) return false;
    read_own_ = false;
  }
  if (room == 0) return false;
  auto r = redis_->Run({"XREADGROUP", "GROUP", options_.group, options_.consumer, "COUNT",
                        std::to_string(room), "BLOCK",
                        std::to_string(options_.read_block.count()), "STREAMS", StreamKey(), ">"});
  if (!r) {
    read_own_ = true;
    Note(false);
    return false;
  }
  if (r->is_error()) {
    if (r->str.rfind("NOGROUP", 0) == 0) EnsureGroup();  // Redis lost its data
    return false;
  }
  Note(true);
  if (r->type != RedisReply::Type::kArray) return true;  // nil: nothing within read_block
  for (const RedisReply& stream : r->elements) {
    if (stream.elements.size() >= 2) AddEntries(stream.elements[1], nullptr, false);
  }
  return true;
}

void RedisStreamQueue::Claim() {
  std::string cursor = "0-0";
  for (int pass = 0; pass < 10; ++pass) {
    size_t room;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      room = options_.prefetch - std::min(options_.prefetch, held_);
    }
    // A few even when full: the entries this replica's held ones wait for
    // (their chats' heads) may be among them.
    const bool full = room == 0;
    room = std::max<size_t>(room, 8);
    auto r = redis_->Run({"XAUTOCLAIM", StreamKey(), options_.group, options_.consumer,
                          std::to_string(options_.claim_idle.count()), cursor, "COUNT",
                          std::to_string(room)});
    if (!r) {
      Note(false);
      return;
    }
    if (r->is_error()) {
      if (r->str.rfind("NOGROUP", 0) == 0) EnsureGroup();
      return;
    }
    if (r->elements.size() < 2) return;
    for (const RedisReply& entry : r->elements[1].elements) {
      if (entry.elements.size() < 2 || entry.elements[1].type != RedisReply::Type::kArray) continue;
      std::string chat, bytes;
      const auto& fields = entry.elements[1].elements;
      for (size_t i = 0; i + 1 < fields.size(); i += 2) {
        if (fields[i].str == "chat") chat = fields[i + 1].str;
        if (fields[i].str == "d") bytes = fields[i + 1].str;
      }
      // Ours already (a heartbeat came late): nothing changes.
      if (Add(entry.elements[0].str, chat, bytes, /*recovered=*/true)) {
        Metrics::Inc("bot_channel_stream_claimed_total");
        Log(LogLevel::kInfo, {{"event", "stream_entry_claimed"}, {"id", entry.elements[0].str}});
      }
    }
    cursor = r->elements[0].str;
    if (cursor == "0-0" || full) break;
  }
  if (auto len = redis_->Run({"XLEN", StreamKey()}); len && !len->is_error()) {
    Metrics::Set("bot_channel_stream_length", {}, static_cast<double>(len->integer));
  }
  DropIdleConsumers();
}

void RedisStreamQueue::DropIdleConsumers() {
  auto r = redis_->Eval(kDropConsumersScript, {StreamKey()},
                        {options_.group, options_.consumer,
                         std::to_string(options_.claim_idle.count())});
  if (r && r->type == RedisReply::Type::kInteger && r->integer > 0) {
    Metrics::Inc("bot_channel_stream_consumers_deleted_total", {},
                 static_cast<double>(r->integer));
    Log(LogLevel::kInfo, {{"event", "stream_consumers_deleted"}, {"count", r->integer}});
  }
}

void RedisStreamQueue::Heartbeat() {
  std::vector<std::string> args{options_.group, options_.consumer};
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& [chat, c] : chats_) {
      for (const auto& [sid, d] : c.entries) args.push_back(FormatId(sid));
    }
  }
  if (args.size() == 2) return;
  auto r = redis_->Eval(kHeartbeatScript, {StreamKey()}, args);
  if (!r || r->type != RedisReply::Type::kArray) {
    if (!r) Note(false);
    return;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  for (const RedisReply& lost : r->elements) {
    StreamId sid;
    if (!ParseId(lost.str, &sid)) continue;
    for (auto it = chats_.begin(); it != chats_.end(); ++it) {
      Chat& c = it->second;
      auto e = c.entries.find(sid);
      if (e == c.entries.end()) continue;
      Log(LogLevel::kWarn, {{"event", "stream_entry_lost"}, {"id", lost.str}});
      if (c.busy && e->first == c.ready_id) {
        lost_.insert(lost.str);  // taken or waiting: dropped at its Ack or next turn
      } else {
        if (c.ready && c.ready_id == sid) {
          c.ready = false;
          ready_.erase(std::remove(ready_.begin(), ready_.end(), it->first), ready_.end());
          blocked_.insert(it->first);
        }
        c.entries.erase(e);
        recovered_.erase(lost.str);
        --held_;
        Depth();
        if (c.entries.empty()) {
          blocked_.erase(it->first);
          chats_.erase(it);
        }
      }
      break;
    }
  }
  if (held_ == 0) idle_.notify_all();
}

void RedisStreamQueue::CheckBlocked() {
  std::vector<std::pair<std::string, StreamId>> fronts;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const std::string& chat : blocked_) {
      auto it = chats_.find(chat);
      if (it == chats_.end() || it->second.entries.empty() || it->second.busy) continue;
      fronts.emplace_back(chat, it->second.entries.begin()->first);
      if (fronts.size() >= 64) break;
    }
  }
  for (const auto& [chat, sid] : fronts) {
    auto r = redis_->Eval(kHeadScript, {ChatKey(chat), StreamKey()}, {FormatId(sid)});
    if (!r) {
      Note(false);
      return;
    }
    if (r->type != RedisReply::Type::kInteger || r->integer != 1) continue;
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = chats_.find(chat);
    if (it == chats_.end() || it->second.busy || it->second.ready ||
        it->second.entries.empty() || it->second.entries.begin()->first != sid) {
      continue;  // changed meanwhile: checked again next time
    }
    blocked_.erase(chat);
    it->second.ready = true;
    it->second.ready_id = sid;
    ready_.push_back(chat);
    work_.notify_one();
  }
}

void RedisStreamQueue::PromoteDue() {
  const SteadyTime now = clock_.Now();
  while (!waiting_.empty() && waiting_.begin()->first <= now) {
    const std::string chat = waiting_.begin()->second;
    waiting_.erase(waiting_.begin());
    Chat& c = chats_.at(chat);
    c.ready = true;
    ready_.push_back(chat);
  }
}

std::optional<Delivery> RedisStreamQueue::TakeDue(std::chrono::milliseconds max_wait) {
  using Real = std::chrono::steady_clock;
  std::unique_lock<std::mutex> lock(mutex_);
  const Real::time_point give_up = Real::now() + max_wait;
  while (true) {
    PromoteDue();
    if (!ready_.empty()) {
      std::string chat = std::move(ready_.front());
      ready_.pop_front();
      Chat& c = chats_.at(chat);
      c.ready = false;
      c.busy = true;
      if (lost_.erase(FormatId(c.ready_id))) {  // another consumer has it now
        DropTaken(chat, FormatId(c.ready_id));
        continue;
      }
      // Stays in place (moved from) until Ack or RetryLater.
      return std::move(c.entries.at(c.ready_id));
    }
    if ((stopped_ && held_ == 0) || quit_) return std::nullopt;
    const Real::time_point now = Real::now();
    if (now >= give_up) return std::nullopt;
    Real::time_point until = give_up;
    if (!waiting_.empty()) {
      const auto due_in =
          std::max(waiting_.begin()->first - clock_.Now(), Real::duration::zero());
      until = std::min(until, now + due_in);
    }
    work_.wait_until(lock, until);
  }
}

void RedisStreamQueue::DropTaken(const std::string& chat, const std::string& id) {
  auto it = chats_.find(chat);
  if (it == chats_.end()) return;
  Chat& c = it->second;
  StreamId sid;
  if (ParseId(id, &sid) && c.entries.erase(sid)) {
    --held_;
    Depth();
  }
  recovered_.erase(id);
  c.busy = false;
  if (c.entries.empty()) {
    blocked_.erase(chat);
    chats_.erase(it);
  } else {
    blocked_.insert(chat);  // the next one's turn is Redis's to say
  }
  if (held_ == 0) {
    idle_.notify_all();
    work_.notify_all();
  }
}

bool RedisStreamQueue::AckInRedis(const std::string& id, const std::string& chat,
                                  std::string* head) {
  auto r = redis_->Eval(kAckScript, {StreamKey(), ChatKey(chat), AnswerKey(id)},
                        {options_.group, id});
  if (!r) Note(false);
  if (!IsOk(r)) return false;
  Note(true);
  *head = r->str;
  return true;
}

void RedisStreamQueue::Ack(const Delivery& delivery) {
  const std::string id = delivery.queue_id();
  const std::string chat = delivery.chat_key();
  bool release = false, lost = false;
  StreamId next{};
  bool has_next = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    lost = lost_.erase(id) > 0;
    // Stopping and not finished: handed back, for another replica.
    release = stopped_ && !delivery.done() && !lost;
    DropTaken(chat, id);
    auto it = chats_.find(chat);
    if (it != chats_.end()) {
      next = it->second.entries.begin()->first;
      has_next = true;
    }
  }
  if (lost) return;  // another consumer finishes it
  if (release) {
    Release({id});
    return;
  }
  std::string head;
  if (!AckInRedis(id, chat, &head)) {
    WriteOrReplay([this, id, chat] {
      std::string h;
      return AckInRedis(id, chat, &h);
    });
    return;
  }
  // The fast path: our next entry of the chat is its head now.
  StreamId head_id;
  if (!has_next || !ParseId(head, &head_id) || head_id != next) return;
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = chats_.find(chat);
  if (it == chats_.end() || it->second.busy || it->second.ready ||
      it->second.entries.empty() || it->second.entries.begin()->first != next) {
    return;
  }
  blocked_.erase(chat);
  it->second.ready = true;
  it->second.ready_id = next;
  ready_.push_back(chat);
  work_.notify_one();
}

void RedisStreamQueue::RetryLater(Delivery delivery) {
  const std::string id = delivery.queue_id();
  const std::string chat = delivery.chat_key();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const bool lost = lost_.erase(id) > 0;
    if (stopped_ || lost) {
      DropTaken(chat, id);
      if (lost) return;
    } else {
      Chat& c = chats_.at(chat);
      StreamId sid;
      ParseId(id, &sid);
      const SteadyTime when = delivery.retry_at();
      c.entries.at(sid) = std::move(delivery);
      c.ready_id = sid;
      waiting_.emplace(when, chat);
      work_.notify_one();
      return;
    }
  }
  Release({id});
}

void RedisStreamQueue::Release(const std::vector<std::string>& ids) {
  if (ids.empty()) return;
  // Idle for longer than claim_idle: another replica's next XAUTOCLAIM
  // takes them at once. Failing that, they are claimed after claim_idle.
  RedisClient::Command c{"XCLAIM", StreamKey(), options_.group, options_.consumer, "0"};
  c.insert(c.end(), ids.begin(), ids.end());
  c.insert(c.end(), {"IDLE", std::to_string(options_.claim_idle.count() + 1000), "JUSTID"});
  Note(IsOk(redis_->Run(c)));
}

OutboundQueue::SendTurn RedisStreamQueue::BeginSend(const Delivery& delivery, size_t call,
                                                    std::chrono::milliseconds* retry_in) {
  if (delivery.queue_id().empty()) return SendTurn::kSend;
  const std::string ttl_ms = std::to_string(
      std::chrono::duration_cast<std::chrono::milliseconds>(options_.record_ttl).count());
  auto r = redis_->Eval(kBeginSendScript, {RecordKey(delivery.queue_id(), call)},
                        {options_.consumer, ttl_ms, std::to_string(options_.send_bound.count())});
  Note(IsOk(r));
  if (!IsOk(r)) return SendTurn::kUnavailable;
  if (r->type != RedisReply::Type::kArray || r->elements.size() < 2) return SendTurn::kUnavailable;
  const std::string& verdict = r->elements[0].str;
  if (verdict == "sent") {
    Metrics::Inc("bot_channel_stream_skipped_sends_total");
    return SendTurn::kAlreadySent;
  }
  if (verdict == "wait") {
    if (retry_in) {
      *retry_in = std::chrono::milliseconds(std::atoll(r->elements[1].str.c_str()) + 1);
    }
    return SendTurn::kWait;
  }
  if (verdict == "taken") {
    // Its holder died during the call: sent again, at least once.
    Metrics::Inc("bot_channel_stream_unconfirmed_resends_total");
    Log(LogLevel::kWarn, {{"event", "send_resumed_unconfirmed"},
                          {"id", delivery.queue_id()},
                          {"call", call}});
  }
  return SendTurn::kSend;
}

void RedisStreamQueue::EndSend(const Delivery& delivery, size_t call) {
  if (delivery.queue_id().empty()) return;
  const std::string key = RecordKey(delivery.queue_id(), call);
  const std::string ttl_ms = std::to_string(
      std::chrono::duration_cast<std::chrono::milliseconds>(options_.record_ttl).count());
  // Lost (Redis down): the record says "sending" until send_bound passes,
  // which only delays a replica taking this entry over.
  auto r = redis_->Eval(kEndSendScript, {key}, {options_.consumer, ttl_ms});
  Note(IsOk(r));
}

std::optional<OutboundQueue::Answer> RedisStreamQueue::Recall(const Delivery& delivery) {
  if (delivery.queue_id().empty()) return std::nullopt;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!recovered_.count(delivery.queue_id())) return std::nullopt;  // first taken here
  }
  // Redis down: answered again (the entry cannot be sent before Redis is
  // back anyway; the one case a taken-over entry is answered twice).
  auto r = redis_->Run({"GET", AnswerKey(delivery.queue_id())});
  Note(IsOk(r));
  if (!IsOk(r) || r->type != RedisReply::Type::kString) return std::nullopt;
  auto j = nlohmann::json::parse(r->str, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  Answer answer;
  for (const char* field : {"parts", "buttons"}) {
    auto it = j.find(field);
    if (it == j.end() || !it->is_array()) return std::nullopt;
    for (const auto& s : *it) {
      if (!s.is_string()) return std::nullopt;
      (field[0] == 'p' ? answer.parts : answer.buttons).push_back(s.get<std::string>());
    }
  }
  return answer;
}

void RedisStreamQueue::Remember(const Delivery& delivery, const Answer& answer) {
  if (delivery.queue_id().empty()) return;
  const std::string key = AnswerKey(delivery.queue_id());
  const std::string value = nlohmann::json{{"parts", answer.parts}, {"buttons", answer.buttons}}
                                .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  const std::string ttl_ms = std::to_string(
      std::chrono::duration_cast<std::chrono::milliseconds>(options_.record_ttl).count());
  // In order with the "sent" records after it (replayed when Redis is back).
  WriteOrReplay([this, key, value, ttl_ms] {
    auto r = redis_->Run({"SET", key, value, "NX", "PX", ttl_ms});
    Note(IsOk(r));
    return IsOk(r);
  });
}

void RedisStreamQueue::MarkSent(const Delivery& delivery, size_t call) {
  if (delivery.queue_id().empty()) return;
  const std::string key = RecordKey(delivery.queue_id(), call);
  const std::string ttl_ms = std::to_string(
      std::chrono::duration_cast<std::chrono::milliseconds>(options_.record_ttl).count());
  WriteOrReplay([this, key, ttl_ms] {
    auto r = redis_->Run({"SET", key, "sent", "PX", ttl_ms});
    Note(IsOk(r));
    return IsOk(r);
  });
}

void RedisStreamQueue::WriteOrReplay(std::function<bool()> write) {
  std::lock_guard<std::mutex> lock(replay_mutex_);
  // In order: nothing jumps ahead of a write still waiting.
  if (replay_.empty() && write()) return;
  if (replay_.size() >= options_.max_replay) {
    replay_.pop_front();
    Log(LogLevel::kError, {{"event", "stream_replay_dropped"}});
  }
  replay_.push_back(std::move(write));
}

void RedisStreamQueue::Replay() {
  std::lock_guard<std::mutex> lock(replay_mutex_);
  while (!replay_.empty() && replay_.front()()) replay_.pop_front();
}

void RedisStreamQueue::Close() {
  std::lock_guard<std::mutex> lock(mutex_);
  closed_ = true;
}

void RedisStreamQueue::Stop() {
  std::vector<std::string> release;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = true;
    stopped_ = true;
    // Everything not with a worker goes back to the group now.
    for (auto it = chats_.begin(); it != chats_.end();) {
      Chat& c = it->second;
      const bool with_worker =
          c.busy && !c.ready &&
          std::none_of(waiting_.begin(), waiting_.end(),
                       [&](const auto& w) { return w.second == it->first; });
      for (auto e = c.entries.begin(); e != c.entries.end();) {
        if (with_worker && e->first == c.ready_id) {
          ++e;  // handed back at its Ack or RetryLater
          continue;
        }
        release.push_back(FormatId(e->first));
        recovered_.erase(release.back());
        e = c.entries.erase(e);
        --held_;
      }
      if (c.entries.empty()) {
        it = chats_.erase(it);
      } else {
        c.ready = false;
        ++it;
      }
    }
    ready_.clear();
    waiting_.clear();
    blocked_.clear();
    Depth();
    if (held_ == 0) idle_.notify_all();
  }
  work_.notify_all();
  Release(release);
}

bool RedisStreamQueue::finished() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return (stopped_ && held_ == 0) || quit_;
}

bool RedisStreamQueue::WaitIdle(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  return idle_.wait_for(lock, timeout, [this] { return held_ == 0; });
}

size_t RedisStreamQueue::pending() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return held_;
}

size_t RedisStreamQueue::waiting() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return waiting_.size();
}

std::shared_ptr<RedisStreamQueue> StreamQueueFor(const RedisOptions& redis, size_t workers,
                                                 const RetryPolicy& retry, size_t max_len,
                                                 std::chrono::milliseconds claim_idle,
                                                 std::chrono::seconds dedup_ttl,
                                                 std::optional<RateLimitOptions> rate_limit) {
  RedisOptions own = redis;
  // Workers, the fetcher and the webhook threads enqueueing: more than the
  // shared pool, and a timeout well above the blocking read's.
  own.pool_size = workers + 12;
  own.timeout = std::max(own.timeout, std::chrono::milliseconds(1000));
  RedisStreamOptions options;
  options.send_bound = retry.connect_timeout + retry.read_timeout + std::chrono::seconds(1);
  options.claim_idle = claim_idle.count() > 0
                           ? claim_idle
                           : retry.connect_timeout + retry.read_timeout + std::chrono::seconds(10);
  options.max_len = max_len;
  if (dedup_ttl.count() > 0) {
    options.dedup_prefix = "bot:dedup:";
    options.dedup_ttl = dedup_ttl;
    options.rate_limit = rate_limit;
  }
  return std::make_shared<RedisStreamQueue>(std::make_shared<RedisClient>(own), options);
}

}  // namespace bot::edge::channels
