#!/usr/bin/env bash
# Webhook acknowledgement with the shared state in Redis on loopback: wrk
# posts Telegram updates (tests/load/webhook.lua: a new update_id each, 5000
# chats) to one `bot serve` with BOT_REDIS_URL set, whose answers go to
# tests/load/fake_platform.py (never failing). Each acknowledged webhook
# has claimed its id (dedup), taken a token (rate limit) and queued its
# answer in the stream. Prints the webhook p99, the Redis commands and their
# server time per webhook (INFO commandstats), and whether the queue
# drained (every answer sent, the stream empty).
#
# usage: tests/bench/webhook_redis.sh [BUILD_DIR]      (default: build)
# env:   DURATION=10s CONNECTIONS=32 WEBHOOK_DELAY_MS=20 (pause per request
#        and connection: sets the offered rate); WITHOUT_REDIS=1 runs the same
#        load with everything in process, for comparison on the same machine
# Needs wrk, redis-server, redis-cli, python3. Exits 1 when p99 >= 5 ms, a
# webhook was not answered 200, or the queue did not drain.
set -euo pipefail

cd "$(dirname "$0")/../.."
BUILD_DIR=${1:-build}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-32}
export WEBHOOK_DELAY_MS=${WEBHOOK_DELAY_MS:-20}
BOT="$BUILD_DIR/bin/bot"
for tool in wrk redis-server redis-cli python3; do
  command -v $tool >/dev/null || { echo "webhook_redis.sh: $tool is missing" >&2; exit 2; }
done
[[ -x $BOT ]] || { echo "webhook_redis.sh: $BOT not built" >&2; exit 2; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
REDIS_PORT=$(free_port)
BOT_PORT=$(free_port)
WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
  --loglevel warning >/dev/null 2>&1 &
PIDS+=($!)
coproc FAKE { exec python3 tests/load/fake_platform.py 0; }
PIDS+=($FAKE_PID)
read -r FAKE_PORT <&"${FAKE[0]}"
rcli() { redis-cli -p "$REDIS_PORT" "$@"; }
for _ in $(seq 100); do rcli ping >/dev/null 2>&1 && break; sleep 0.05; done

SECRET=bench-webhook-secret
REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
[[ ${WITHOUT_REDIS:-0} == 1 ]] && REDIS_URL=
BOT_REDIS_URL="$REDIS_URL" \
BOT_TELEGRAM_TOKEN="123456:BENCH-token" BOT_TELEGRAM_SECRET="$SECRET" \
BOT_TELEGRAM_API="http://127.0.0.1:$FAKE_PORT" BOT_RATE_LIMIT_BURST=10000 BOT_RATE_LIMIT_PER_MINUTE=100000 \
  "$BOT" serve --port "$BOT_PORT" --log-level warn 2>"$WORK/serve.log" &
PIDS+=($!)
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$BOT_PORT/readyz" >/dev/null && break; sleep 0.05; done

rcli config resetstat >/dev/null
OUT=$(TELEGRAM_SECRET=$SECRET wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency \
  -s tests/load/webhook.lua "http://127.0.0.1:$BOT_PORT" 2>&1)
LINE=$(grep '^WEBHOOK' <<<"$OUT")
val() { sed -n "s/.* $1=\([0-9]*\).*/\1/p" <<<"$LINE"; }
REQUESTS=$(val requests)
P99_US=$(val p99_us)
ERRORS=$(( $(val errors_connect) + $(val errors_read) + $(val errors_write) + $(val errors_status) + $(val errors_timeout) ))

# Drained: the stream empty (every answer sent and acknowledged).
DRAINED=no
for _ in $(seq 600); do
  if [[ -z $REDIS_URL ]]; then
    [[ $(curl -fs "http://127.0.0.1:$FAKE_PORT/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["ok"])') -ge $REQUESTS ]] && { DRAINED=yes; break; }
  else
    [[ $(rcli xlen bot:out:stream) == 0 ]] && { DRAINED=yes; break; }
  fi
  sleep 0.1
done
STATS=$(rcli info commandstats)
[[ $DRAINED == yes ]] || { echo "left: $(rcli xlen bot:out:stream) entries, pending:"; rcli xpending bot:out:stream bot; rcli xinfo groups bot:out:stream; }
SENT=$(curl -fs "http://127.0.0.1:$FAKE_PORT/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["ok"])')

echo "webhooks: $REQUESTS in $DURATION at $CONNECTIONS connections, p99 $(awk "BEGIN{printf \"%.2f\", $P99_US/1000}") ms, not 200: $ERRORS"
echo "answers sent: $SENT, queue drained: $DRAINED"
# Redis's own time per command, per webhook (after the drain: both the
# acknowledging and the sending side). Commands the client sends are round
# trips; the others run inside the scripts (their time is in evalsha's;
# EXISTS is both: one sent (the dedup look), one in the enqueue script).
python3 - "$REQUESTS" <<PY
import re, sys
n = max(1, int(sys.argv[1]))
sent_by_client = {"evalsha", "eval", "set", "exists", "xreadgroup", "xautoclaim", "xclaim", "xgroup"}
trips = trip_us = 0
rows = []
for line in """$STATS""".splitlines():
    m = re.match(r"cmdstat_(\\w+):calls=(\\d+),usec=(\\d+)", line)
    if not m or m.group(1) in ("info", "config", "ping", "xlen"):
        continue
    name, calls, us = m.group(1), int(m.group(2)), int(m.group(3))
    if name in sent_by_client:
        trips += calls
        trip_us += us
    rows.append((name, calls / n, us / calls if calls else 0, name in sent_by_client))
print(f"redis per webhook: {trips / n:.2f} round trips, {trip_us / n:.1f} us of server time")
for name, per, us, top in sorted(rows, key=lambda r: (not r[3], -r[1])):
    where = "sent" if top else "in a script"
    print(f"  {name:12s} {per:5.2f} per webhook, {us:6.1f} us each ({where})")
PY

fail=0
[[ $P99_US -lt 5000 ]] || { echo "FAIL: webhook p99 >= 5 ms"; fail=1; }
[[ $ERRORS -eq 0 ]] || { echo "FAIL: $ERRORS webhooks not answered 200"; fail=1; }
[[ $DRAINED == yes ]] || { echo "FAIL: the stream did not drain"; fail=1; }
exit $fail
