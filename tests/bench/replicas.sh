#!/usr/bin/env bash
# Throughput of 1 against N replicas behind nginx (deploy/replicas.sh), on
# this machine: wrk at CONNECTIONS connections through nginx, first
# POST /api/v1/ask (tests/load/ask.lua: no Redis on that path), then
# Telegram webhooks (tests/load/webhook.lua, a new update each: dedup claim,
# rate limit and the queued answer in Redis; the answers go to
# tests/load/fake_platform.py). For each run: requests/s, p50/p99, and the
# CPU time per request of every process (wrk, nginx, the replicas, Redis,
# the fake platform) from /proc, which is what bounds the throughput when
# they all share the same cores.
#
# usage: tests/bench/replicas.sh [BUILD_DIR]      (default: build)
# env:   DURATION=8s CONNECTIONS=32 COUNTS="1 3" WHAT="ask webhook"
# Needs wrk, nginx, redis-server, curl, python3. Prints a table; exits 2
# when a tool is missing, 1 when a run had errors.
set -euo pipefail

cd "$(dirname "$0")/../.."
BUILD_DIR=${1:-build}
DURATION=${DURATION:-8s}
CONNECTIONS=${CONNECTIONS:-32}
COUNTS=${COUNTS:-1 3}
WHAT=${WHAT:-ask webhook}
BOT="$BUILD_DIR/bin/bot"
export PATH="$PATH:/usr/sbin"
for tool in wrk nginx redis-server curl python3; do
  command -v $tool >/dev/null || { echo "replicas.sh: $tool is missing" >&2; exit 2; }
done
[[ -x $BOT ]] || { echo "replicas.sh: $BOT not built" >&2; exit 2; }

WORK=$(mktemp -d)
FAKE_PID=""
cleanup() {
  [[ -f $WORK/run/state ]] && deploy/replicas.sh stop "$WORK/run" >/dev/null 2>&1 || true
  [[ -n $FAKE_PID ]] && kill "$FAKE_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

coproc FAKE { exec python3 tests/load/fake_platform.py 0; }
FAKE_PID=$FAKE_PID
read -r FAKE_PORT <&"${FAKE[0]}"
SECRET=bench-webhook-secret

# CPU seconds (user + system) of the given pids, children included.
cpu() {
  local total=0 pid
  for pid in "$@"; do
    [[ -r /proc/$pid/stat ]] || continue
    total=$(( total + $(awk '{sub(/.*\) /, ""); print $12 + $13 + $14 + $15}' "/proc/$pid/stat") ))
  done
  echo "$total"
}
TICK=$(getconf CLK_TCK)

printf '%-8s %-8s %9s %8s %8s %7s   %s\n' load replicas "req/s" "p50 ms" "p99 ms" errors \
  "CPU us/request: wrk nginx bots redis fake = total"
fail=0
for n in $COUNTS; do
  rm -rf "$WORK/run"
  BOT_TELEGRAM_TOKEN="123456:BENCH-token" BOT_TELEGRAM_SECRET="$SECRET" \
  BOT_TELEGRAM_API="http://127.0.0.1:$FAKE_PORT" BOT_RATE_LIMIT_BURST=10000 \
  BOT_RATE_LIMIT_PER_MINUTE=100000 BOT_LOG_LEVEL=warn \
    deploy/replicas.sh --detach -n "$n" --bot "$BOT" --dir "$WORK/run" >/dev/null 2>"$WORK/start.log" \
    || { cat "$WORK/start.log" >&2; exit 1; }
  # shellcheck disable=SC1091
  . "$WORK/run/state"
  REDIS_PID=$(cat "$WORK/run/redis.pid" 2>/dev/null || echo "$REDIS_PID")
  for what in $WHAT; do
    if [[ $what == ask ]]; then script=tests/load/ask.lua; else script=tests/load/webhook.lua; fi
    # Warm up (connections, caches), then measure.
    TELEGRAM_SECRET=$SECRET WEBHOOK_DELAY_MS=0 wrk -t2 -c"$CONNECTIONS" -d1s -s "$script" "$URL" >/dev/null 2>&1
    # nginx's workers are children of its master (never reaped while running).
    NGINX_PIDS="$NGINX_PID $(pgrep -P "$NGINX_PID" | tr '\n' ' ')"
    before=$(cpu $NGINX_PIDS); bots_before=$(cpu $REPLICA_PIDS); redis_before=$(cpu "$REDIS_PID")
    fake_before=$(cpu "$FAKE_PID")
    shell_before=$(cpu $$)  # wrk's time: this shell's reaped children
    start=$(date +%s.%N)
    TELEGRAM_SECRET=$SECRET WEBHOOK_DELAY_MS=0 wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency \
      -s "$script" "$URL" >"$WORK/wrk.out" 2>&1 || true
    end=$(date +%s.%N)
    wrk_cpu=$(( $(cpu $$) - shell_before ))
    nginx_cpu=$(( $(cpu $NGINX_PIDS) - before )); bots_cpu=$(( $(cpu $REPLICA_PIDS) - bots_before ))
    redis_cpu=$(( $(cpu "$REDIS_PID") - redis_before )); fake_cpu=$(( $(cpu "$FAKE_PID") - fake_before ))
    line=$(grep -E '^(LOAD|WEBHOOK)' "$WORK/wrk.out" || true)
    [[ -n $line ]] || { cat "$WORK/wrk.out" >&2; exit 1; }
    val() { sed -n "s/.* $1=\([0-9]*\).*/\1/p" <<<"$line"; }
    requests=$(val requests)
    errors=$(( $(val errors_connect) + $(val errors_read) + $(val errors_write) + $(val errors_status) + $(val errors_timeout) ))
    p99=$(val p99_us)
    # webhook.lua prints no p50: take wrk's own latency distribution.
    p50=$(awk '$1=="50%" {v=$2; if (v ~ /ms$/) {sub(/ms/,"",v); print v*1000} else if (v ~ /us$/) {sub(/us/,"",v); print v} else {sub(/s/,"",v); print v*1e6}}' "$WORK/wrk.out")
    [[ $errors -eq 0 ]] || fail=1
    python3 - "$what" "$n" "$requests" "$start" "$end" "$p50" "$p99" "$errors" "$TICK" \
      "$wrk_cpu" "$nginx_cpu" "$bots_cpu" "$redis_cpu" "$fake_cpu" <<'PY'
import sys
what, n, req, start, end, p50, p99, errors, tick = sys.argv[1:10]
cpu = [int(x) / int(tick) for x in sys.argv[10:15]]
req = max(1, int(req))
per = [c / req * 1e6 for c in cpu]
print(f"{what:8s} {n:8s} {req / (float(end) - float(start)):9.0f} {float(p50) / 1000:8.2f} "
      f"{int(p99) / 1000:8.2f} {errors:>7s}   " + " ".join(f"{p:.0f}" for p in per) + f" = {sum(per):.0f}")
PY
  done
  deploy/replicas.sh stop "$WORK/run" >/dev/null 2>&1 || true
done
echo "($(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg); wrk -t2 -c$CONNECTIONS -d$DURATION through nginx)"
exit $fail
