#!/usr/bin/env bash
# Webhook acknowledgement with the shared state in Redis on loopback: wrk
# posts Telegram updates (tests/load/webhook.lua: a new update_id each, 5000
# chats) to one `bot serve` with BOT_REDIS_URL set, whose answers go to
# a fake platform API (never failing): tests/bench/fake_platform_server when
# built (cmake --build build --target fake_platform_server), else
# tests/load/fake_platform.py. Each acknowledged webhook
# has claimed its id (dedup), taken a token (rate limit) and queued its
# answer in the stream.
#
# For each bot (BEFORE's first when set, then BUILD_DIR's) and each number
# of connections, on a fresh Redis and bot: the webhook p50/p99, the load
# average before and after (the machine may be shared), and whether the
# queue drained (every answer sent, the stream empty). Then, per bot, the
# Redis round trips per webhook, before its 200 and after (sending), with
# Redis's own time for them: every command a client sent, from Redis's
# SLOWLOG at threshold 0 (one entry per command; those a script calls, with
# the client "?:0", are inside its round trip) during a run at one
# connection. Each run also prints the server's own handler time (its
# latency histogram) and a concurrent redis-cli --latency, to tell time
# spent waiting for Redis from time queued before the handler. A command naming a
# dedup key or a rate bucket is on the webhook's path, but for the
# dedup "done" mark (SET ... XX) that follows the send (builds before the
# one-script admission; it sends none since).
#
# usage: tests/bench/webhook_redis.sh [BUILD_DIR]      (default: build)
# env:   DURATION=10s (in seconds) CONNECTIONS="1 32" WEBHOOK_DELAY_MS=20 (pause per request
#        and connection: sets the offered rate); BEFORE=path/to/bot (another
#        build, e.g. main's, measured first in the same run); COUNT_DURATION=3s
#        (the round-trip count's run); WITHOUT_REDIS=1 runs the same load with
#        everything in process, for comparison on the same machine
# Needs wrk, redis-server, redis-cli (7: --json), python3, curl. Exits 1 when
# BUILD_DIR's bot has p99 >= 5 ms at its most connections, a webhook was not
# answered 200, or a queue did not drain.
set -euo pipefail

cd "$(dirname "$0")/../.."
BUILD_DIR=${1:-build}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-1 32}
COUNT_DURATION=${COUNT_DURATION:-3s}
export WEBHOOK_DELAY_MS=${WEBHOOK_DELAY_MS:-20}
BOTS=()
[[ -n ${BEFORE:-} ]] && BOTS+=("before:$BEFORE")
BOTS+=("this:$BUILD_DIR/bin/bot")
for tool in wrk redis-server redis-cli python3 curl; do
  command -v $tool >/dev/null || { echo "webhook_redis.sh: $tool is missing" >&2; exit 2; }
done
for entry in "${BOTS[@]}"; do
  [[ -x ${entry#*:} ]] || { echo "webhook_redis.sh: ${entry#*:} not built" >&2; exit 2; }
done

# The fake platform: the C++ one when built (the Python one takes a share
# of the 2 cores that is not part of what is measured).
FAKE_PLATFORM=(python3 tests/load/fake_platform.py)
[[ -x $BUILD_DIR/bin/fake_platform_server ]] && FAKE_PLATFORM=("$BUILD_DIR/bin/fake_platform_server")
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
rcli() { redis-cli -p "$REDIS_PORT" "$@"; }
sent() { curl -fs "http://127.0.0.1:$FAKE_PORT/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["ok"])'; }

# A fresh Redis, fake platform and `bot serve` ($1) on free ports.
start() {
  REDIS_PORT=$(free_port)
  BOT_PORT=$(free_port)
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
    --loglevel warning >/dev/null 2>&1 &
  PIDS+=($!)
  : >"$WORK/fake.port"
  "${FAKE_PLATFORM[@]}" 0 >"$WORK/fake.port" &
  PIDS+=($!)
  for _ in $(seq 100); do [[ -s $WORK/fake.port ]] && break; sleep 0.05; done
  FAKE_PORT=$(head -1 "$WORK/fake.port")
  for _ in $(seq 100); do rcli ping >/dev/null 2>&1 && break; sleep 0.05; done
  local url="redis://127.0.0.1:$REDIS_PORT/0"
  [[ ${WITHOUT_REDIS:-0} == 1 ]] && url=
  REDIS_URL=$url
  BOT_REDIS_URL="$url" \
  BOT_TELEGRAM_TOKEN="123456:BENCH-token" BOT_TELEGRAM_SECRET=bench-webhook-secret \
  BOT_TELEGRAM_API="http://127.0.0.1:$FAKE_PORT" BOT_RATE_LIMIT_BURST=10000 BOT_RATE_LIMIT_PER_MINUTE=100000 \
    "$1" serve --port "$BOT_PORT" --log-level warn 2>>"$WORK/serve.log" &
  PIDS+=($!)
  for _ in $(seq 200); do curl -fs "http://127.0.0.1:$BOT_PORT/readyz" >/dev/null && break; sleep 0.05; done
}
stop() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  PIDS=()
}

# wrk at $1 connections for $2; sets REQUESTS P50_US P99_US ERRORS.
load() {
  local threads=2
  [[ $1 -lt 2 ]] && threads=1
  local out
  out=$(TELEGRAM_SECRET=bench-webhook-secret wrk -t$threads -c"$1" -d"$2" --latency \
    -s tests/load/webhook.lua "http://127.0.0.1:$BOT_PORT" 2>&1)
  local line
  line=$(grep '^WEBHOOK' <<<"$out") || { echo "$out" >&2; exit 1; }
  val() { sed -n "s/.* $1=\([0-9]*\).*/\1/p" <<<"$line"; }
  REQUESTS=$(val requests)
  P99_US=$(val p99_us)
  ERRORS=$(( $(val errors_connect) + $(val errors_read) + $(val errors_write) + $(val errors_status) + $(val errors_timeout) ))
  # webhook.lua prints no p50: wrk's own latency distribution.
  P50_US=$(awk '$1=="50%" {v=$2; if (v ~ /ms$/) {sub(/ms/,"",v); print v*1000} else if (v ~ /us$/) {sub(/us/,"",v); print v} else {sub(/s/,"",v); print v*1e6}}' <<<"$out")
}

# Waits for every answer to be sent (the stream empty); sets DRAINED.
drain() {
  DRAINED=no
  for _ in $(seq 600); do
    if [[ -z $REDIS_URL ]]; then
      [[ $(sent) -ge $1 ]] && { DRAINED=yes; return; }
    else
      [[ $(rcli xlen bot:out:stream) == 0 ]] && { DRAINED=yes; return; }
    fi
    sleep 0.1
  done
  [[ -n $REDIS_URL ]] && echo "left: $(rcli xlen bot:out:stream) entries" >&2
  return 0
}

ms() { awk "BEGIN{printf \"%.2f\", $1/1000}"; }
fail=0
echo "webhook_redis.sh $(date -u +%FT%TZ), $(nproc) cores, DURATION=$DURATION WEBHOOK_DELAY_MS=$WEBHOOK_DELAY_MS${WITHOUT_REDIS:+ WITHOUT_REDIS=1}, fake platform: ${FAKE_PLATFORM[*]}"
for entry in "${BOTS[@]}"; do
  name=${entry%%:*}
  bot=${entry#*:}
  last_p99=0
  for c in $CONNECTIONS; do
    start "$bot"
    before_load=$(loadavg)
    # Meanwhile another client PINGs Redis: its round trip on this machine.
    # (--raw: one line after -i seconds, the run's length.)
    if [[ -n $REDIS_URL ]]; then
      rcli --latency --raw -i "${DURATION%s}" >"$WORK/ping.txt" 2>/dev/null &
      PING_PID=$!
    fi
    load "$c" "$DURATION"
    [[ -n $REDIS_URL ]] && { wait "$PING_PID" 2>/dev/null || true; }
    after_load=$(loadavg)
    drain "$REQUESTS"
    echo "$name ($bot): $c connections: $REQUESTS webhooks in $DURATION, p50 $(ms "$P50_US") ms, p99 $(ms "$P99_US") ms, not 200: $ERRORS, answers sent: $(sent), drained: $DRAINED; load average $before_load -> $after_load"
    # Where the time went: the server's own handler time (routing to the
    # response written: JSON, secret, the Redis round trips), from its
    # histogram; the rest of wrk's latency is before routing (the server's
    # threads) or in wrk.
    curl -fs "http://127.0.0.1:$BOT_PORT/metrics" | python3 -c '
import re, sys
b = []
for l in sys.stdin:
    if "bot_http_request_duration_seconds" in l and "/webhooks/telegram" in l:
        m = re.search(r"le=\"([^\"]+)\"\} (\S+)", l)
        if m: b.append((float("inf") if m.group(1) == "+Inf" else float(m.group(1)), float(m.group(2))))
        m = re.search(r"_sum\{.*\} (\S+)", l)
        if m: total = float(m.group(1))
b.sort()
n = b[-1][1] if b else 0
if n:
    within = ", ".join("%g ms %.1f%%" % (le * 1000, 100 * c / n) for le, c in b if 0.0009 < le <= 0.025)
    p99 = next(le for le, c in b if c >= 0.99 * n)
    print("    server handler time: mean %.2f ms, p99 <= %g ms; within %s" % (total / n * 1000, p99 * 1000, within))'
    [[ -n $REDIS_URL && -s $WORK/ping.txt ]] && echo "    redis-cli --latency meanwhile (min max avg samples, ms): $(tail -1 "$WORK/ping.txt")"
    [[ $name == this ]] && last_p99=$P99_US
    [[ $ERRORS -eq 0 ]] || { echo "FAIL: $ERRORS webhooks not answered 200"; fail=1; }
    [[ $DRAINED == yes ]] || { echo "FAIL: the queue did not drain"; fail=1; }
    stop
  done
  [[ $name == this && $last_p99 -ge 5000 ]] && { echo "FAIL: webhook p99 >= 5 ms"; fail=1; }
  [[ ${WITHOUT_REDIS:-0} == 1 ]] && continue

  # Round trips: every command sent, from the slowlog, at one connection
  # (after three first webhooks, so that loading the scripts is not counted).
  start "$bot"
  for id in 1 2 3; do  # ids wrk's run does not use
    curl -fs -o /dev/null -H 'Content-Type: application/json' \
      -H 'X-Telegram-Bot-Api-Secret-Token: bench-webhook-secret' \
      --data "{\"update_id\":90000000$id,\"message\":{\"message_id\":$id,\"from\":{\"id\":99,\"is_bot\":false,\"first_name\":\"W\"},\"chat\":{\"id\":99,\"type\":\"private\"},\"date\":1767225600,\"text\":\"When did Belarus join the OSCE?\"}}" \
      "http://127.0.0.1:$BOT_PORT/webhooks/telegram"
  done
  drain 3
  rcli config set slowlog-log-slower-than 0 >/dev/null
  rcli config set slowlog-max-len 1000000 >/dev/null
  rcli slowlog reset >/dev/null
  load 1 "$COUNT_DURATION"
  drain "$REQUESTS"
  sleep 0.3  # the last ack
  rcli --json slowlog get 1000000 >"$WORK/slowlog.json"
  python3 - "$name" "$REQUESTS" "$WORK/slowlog.json" <<'PY'
import json, re, sys
name, n, path = sys.argv[1], max(1, int(sys.argv[2])), sys.argv[3]
entries = json.load(open(path))
def namespace(key):
    return re.sub(r"^(bot:(dedup|rate|out:chat|out:sent|out:answer|ctx)):.*", r"\1:*", key)
rows = {}
for _, _, us, args, client, *_ in entries:
    verb = args[0].upper()
    if client == "?:0":  # called by a script: inside its round trip
        continue
    if verb in ("SLOWLOG", "CONFIG", "PING", "INFO", "XLEN"):
        continue
    if verb in ("EVALSHA", "EVAL"):
        keys = args[3:3 + int(args[2])]
        label = "script " + ",".join(namespace(k) for k in keys)
    else:
        keys = args[1:2]
        label = verb + " " + namespace(args[1]) if len(args) > 1 else verb
        if verb == "SET" and "XX" in (a.upper() for a in args[3:]):
            label += " XX"
    webhook = any(k.startswith(("bot:dedup:", "bot:rate:")) for k in keys) and not label.endswith(" XX")
    calls, total = rows.get((webhook, label), (0, 0))
    rows[(webhook, label)] = (calls + 1, total + us)
for webhook in (True, False):
    part = {k[1]: v for k, v in rows.items() if k[0] == webhook}
    calls = sum(c for c, _ in part.values())
    us = sum(t for _, t in part.values())
    when = "before its 200" if webhook else "after (sending, background)"
    print(f"{name}: Redis per webhook {when}: {calls / n:.2f} round trips, {us / n:.1f} us of Redis time")
    for label, (c, t) in sorted(part.items(), key=lambda kv: -kv[1][0]):
        print(f"    {c / n:5.2f} x {label}  ({t / c:.1f} us each)")
PY
  stop
done
exit $fail
