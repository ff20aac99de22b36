#!/usr/bin/env bash
# Load with faults: a bounded wrk run against `bot serve` while the knowledge
# is reloaded repeatedly (SIGHUP every 100 ms), 1,000 idle/trickling
# connections are held open, and Telegram webhook updates arrive (~150/s)
# whose answers go to a fake platform API that fails half of its sends.
# Passes when there are zero failed requests, zero 5xx, a normal client is
# served within a second while the 1,000 connections are open, every webhook
# answer is either delivered or given up within the retry limit (and the
# send queue drains), and memory stays bounded. Prints the figures.
# Usage: tests/load/run.sh [path/to/bot] [SECONDS=10] [CONNECTIONS=64]
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bot="$(realpath "${1:-$root/build/bin/bot}")"
seconds="${2:-10}"
conns="${3:-64}"
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)"; exit 2; }
tmp="$(mktemp -d)"
cp -r "$root/intents" "$root/facts" "$tmp/"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# The fake platform prints its port first.
coproc FAKE { exec python3 "$root/tests/load/fake_platform.py" 0.5; }
fake_pid=$FAKE_PID
read -r fake_port <&"${FAKE[0]}"
secret="load-test-webhook-secret"
BOT_TELEGRAM_TOKEN="123456:LOAD-token" BOT_TELEGRAM_SECRET="$secret" \
BOT_TELEGRAM_API="http://127.0.0.1:$fake_port" \
"$bot" serve --port "$port" --intents "$tmp/intents" --facts "$tmp/facts" --log-level warn \
  2>"$tmp/serve.log" &
pid=$!
cleanup() {
  kill "$reloader" "$fake_pid" 2>/dev/null; kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
for i in $(seq 100); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.05; done
rss() { awk '/^VmRSS/{print $2}' "/proc/$pid/status"; }
rss_start=$(rss)

# Faults: reload continuously during the run.
( while kill -HUP "$pid" 2>/dev/null; do sleep 0.1; done ) &
reloader=$!

# 1,000 idle and slow connections (keep-alive clients idle after one answer,
# and tricklers sending a header byte a second), and a normal client's
# latency meanwhile.
python3 - "$port" >"$tmp/slow.out" <<'PY' &
import socket, sys, time
port = int(sys.argv[1])
idle, slow = [], []
for i in range(1000):
    s = socket.create_connection(("127.0.0.1", port))
    if i % 2:
        s.send(b"POST /api/v1/ask HTTP/1.1\r\nHost: x\r\n")  # never finishes
        slow.append(s)
    else:
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        s.recv(1000)  # then stays open, idle
        idle.append(s)
time.sleep(0.5)
worst = 0.0
for i in range(40):
    if i % 4 == 0:
        for s in slow:
            try:
                s.send(b"X")
            except OSError:
                pass
    t = time.time()
    c = socket.create_connection(("127.0.0.1", port))
    c.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    ok = c.recv(100).startswith(b"HTTP/1.1 200")
    c.close()
    worst = max(worst, time.time() - t)
    if not ok:
        worst = 99
    time.sleep(0.05)
print(f"SLOW held=1000 normal_client_worst_ms={worst*1000:.1f}", flush=True)
time.sleep(2)
PY
slow=$!

TELEGRAM_SECRET="$secret" WEBHOOK_DELAY_MS=5 wrk -t1 -c1 -d"${seconds}s" --latency \
  -s "$root/tests/load/webhook.lua" "http://127.0.0.1:$port" >"$tmp/webhook.out" 2>&1 &
webhooks=$!
out=$(wrk -t2 -c"$conns" -d"${seconds}s" --latency -s "$root/tests/load/ask.lua" "http://127.0.0.1:$port" 2>&1)
wait "$slow"
wait "$webhooks"
kill "$reloader" 2>/dev/null; wait "$reloader" 2>/dev/null

# Retries back off for up to ~8 s (0.5 s doubling, 5 tries): let the queue drain.
metric() { curl -fs "http://127.0.0.1:$port/metrics" | awk -v m="$1" '$1 ~ "^"m {s+=$2} END{print s+0}'; }
for _ in $(seq 300); do
  [ "$(metric bot_channel_send_queue_depth)" = 0 ] && break
  sleep 0.1
done
rss_end=$(rss)
hwm=$(awk '/^VmHWM/{print $2}' "/proc/$pid/status")
metrics=$(curl -fs "http://127.0.0.1:$port/metrics")
reloads_ok=$(echo "$metrics" | awk '/^bot_reloads_total\{.*result="ok"/{s+=$2} END{print s+0}')
reloads_err=$(echo "$metrics" | awk '/^bot_reloads_total\{.*result="error"/{s+=$2} END{print s+0}')
fivexx=$(echo "$metrics" | awk '/^bot_http_requests_total\{code="5/{s+=$2} END{print s+0}')
echo "$out" | grep -E "Requests/sec|Latency |non-2xx|Socket errors|LOAD|99%"
line=$(echo "$out" | grep '^LOAD')
val() { echo "$line" | sed -n "s/.*$1=\([0-9]*\).*/\1/p"; }
errors=$(( $(val errors_connect) + $(val errors_read) + $(val errors_write) + $(val errors_status) + $(val errors_timeout) ))
echo "reloads ok=$reloads_ok error=$reloads_err  5xx=$fivexx  failed_requests=$errors"

# Webhooks against a platform failing half its sends.
wline=$(grep '^WEBHOOK' "$tmp/webhook.out")
wval() { echo "$wline" | sed -n "s/.*$1=\([0-9]*\).*/\1/p"; }
webhook_errors=$(( $(wval errors_connect) + $(wval errors_read) + $(wval errors_write) + $(wval errors_status) + $(wval errors_timeout) ))
accepted=$(metric 'bot_channel_events_total\{channel="telegram",result="accepted"')
sent=$(metric 'bot_channel_sends_total\{channel="telegram",result="sent"')
retried=$(metric 'bot_channel_sends_total\{channel="telegram",result="retried"')
gave_up=$(metric 'bot_channel_sends_total\{channel="telegram",result="failed"')
depth=$(metric bot_channel_send_queue_depth)
platform=$(curl -fs "http://127.0.0.1:$fake_port/stats")
echo "webhooks: updates=$(wval requests) failed_requests=$webhook_errors p99_us=$(wval p99_us) accepted=$accepted"
echo "sends: delivered=$sent retried=$retried gave_up=$gave_up queue_left=$depth  platform=$platform"
echo "rss_kb start=$rss_start end=$rss_end peak=$hwm"
fail=0
[ "$errors" -eq 0 ] || { echo "FAIL: $errors failed requests"; fail=1; }
[ "$fivexx" -eq 0 ] || { echo "FAIL: $fivexx responses were 5xx"; fail=1; }
[ "$reloads_ok" -gt 0 ] || { echo "FAIL: no reload happened"; fail=1; }
[ "$hwm" -lt 262144 ] || { echo "FAIL: peak RSS above 256 MiB"; fail=1; }
[ "$webhook_errors" -eq 0 ] || { echo "FAIL: $webhook_errors webhook requests failed"; fail=1; }
[ "$accepted" -gt 0 ] || { echo "FAIL: no webhook update was accepted"; fail=1; }
[ "$depth" -eq 0 ] || { echo "FAIL: $depth answers still queued"; fail=1; }
[ $((sent + gave_up)) -eq "$accepted" ] || { echo "FAIL: $accepted accepted but $sent delivered + $gave_up given up"; fail=1; }
# Five tries at a 50% failure rate give up on about 1 answer in 32.
[ $((gave_up * 10)) -le "$accepted" ] || { echo "FAIL: gave up on $gave_up of $accepted answers"; fail=1; }
worst=$(sed -n 's/.*normal_client_worst_ms=\([0-9]*\).*/\1/p' "$tmp/slow.out")
echo "1000 idle/slow connections held: a normal client's worst latency ${worst:-?} ms"
[ -n "$worst" ] && [ "$worst" -lt 1000 ] || { echo "FAIL: normal client delayed by ${worst:-?} ms"; fail=1; }
[ $fail -eq 0 ] && echo "load: passed" || echo "load: FAILED"
exit $fail
