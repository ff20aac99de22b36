#!/usr/bin/env bash
# Several `bot serve` replicas behind one URL, on loopback, without root:
# N replicas (default 3) on free ports, one redis-server they share (started
# here on a free port unless BOT_REDIS_URL is set) and Debian's nginx in
# front (round robin over the replicas), with every file it writes (config,
# pid, logs, temp paths) in one state directory. Prints the URL, then waits
# and stops everything on Ctrl-C / SIGTERM.
#
# usage: deploy/replicas.sh [start] [-n N] [--bot PATH] [--dir DIR] [--detach]
#        deploy/replicas.sh stop DIR
#   -n N      replicas (default 3, at most 16)
#   --bot     the bot binary (default build/bin/bot)
#   --dir     state directory (default: a new mktemp -d, removed on stop)
#   --detach  start, print, exit 0; `replicas.sh stop DIR` stops them later
# env: every BOT_* variable reaches the replicas (channel tokens and API
#      URLs, rate limits, log level); BOT_REDIS_URL selects an existing Redis
#      instead of starting one. NGINX_WORKERS (default 1).
# Writes DIR/state (shell syntax: URL, REDIS_URL, REDIS_PORT, REDIS_CONF,
# REDIS_PID, NGINX_PID, REPLICA_PORTS, REPLICA_PIDS) for scripts and tests;
# the Redis it starts keeps an append-only file in DIR/redis, so
# `redis-server $REDIS_CONF` after a crash brings back what it held.
# Needs nginx, redis-server (unless BOT_REDIS_URL), curl and python3
# (deploy/install-deps.sh --test). Exits 2 when one is missing, 1 when
# something did not start.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
me="replicas.sh"

stop_dir() {  # stop_dir DIR: TERM everything started there, then KILL
  local dir=$1 pids=() pid
  [ -f "$dir/state" ] || { echo "$me: no $dir/state" >&2; return 1; }
  # shellcheck disable=SC1091
  . "$dir/state"
  # Redis by its pid file: a server restarted by hand from $REDIS_CONF
  # (after a crash test) wrote its own.
  local redis_pid=${REDIS_PID:-}
  [ -n "${REDIS_CONF:-}" ] && [ -s "$dir/redis.pid" ] && redis_pid=$(cat "$dir/redis.pid")
  pids=($NGINX_PID $REPLICA_PIDS $redis_pid)
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 100); do
    local alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ $alive -eq 0 ] && break
    sleep 0.1
  done
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  if [ -f "$dir/.temporary" ]; then rm -rf "$dir"; fi
}

if [ "${1:-}" = "stop" ]; then
  [ $# -eq 2 ] || { echo "usage: $0 stop DIR" >&2; exit 2; }
  stop_dir "$2"
  exit $?
fi
[ "${1:-}" = "start" ] && shift

replicas=3
bot="$root/build/bin/bot"
dir=""
detach=0
while [ $# -gt 0 ]; do
  case "$1" in
    -n) replicas=$2; shift 2 ;;
    --bot) bot=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    --detach) detach=1; shift ;;
    *) echo "usage: $0 [start] [-n N] [--bot PATH] [--dir DIR] [--detach] | stop DIR" >&2; exit 2 ;;
  esac
done
[[ $replicas =~ ^[0-9]+$ ]] && [ "$replicas" -ge 1 ] && [ "$replicas" -le 16 ] \
  || { echo "$me: -n wants 1..16, not $replicas" >&2; exit 2; }
need=(nginx curl python3)
[ -z "${BOT_REDIS_URL:-}" ] && need+=(redis-server)
for tool in "${need[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || PATH="$PATH:/usr/sbin" command -v "$tool" >/dev/null 2>&1 \
    || { echo "$me: $tool is missing (deploy/install-deps.sh --test)" >&2; exit 2; }
done
export PATH="$PATH:/usr/sbin"
[ -x "$bot" ] || { echo "$me: no bot binary at $bot (build it first)" >&2; exit 2; }
bot="$(realpath "$bot")"

if [ -z "$dir" ]; then
  dir="$(mktemp -d "${TMPDIR:-/tmp}/bot-replicas.XXXXXX")"
  touch "$dir/.temporary"
else
  mkdir -p "$dir"
fi
dir="$(realpath "$dir")"
mkdir -p "$dir/nginx" "$dir/redis"

# Free loopback ports, all picked while each is held (no two the same).
read -r -a ports <<<"$(python3 - $((replicas + 2)) <<'PY'
import socket, sys
held = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    held.append(s)
print(" ".join(str(s.getsockname()[1]) for s in held))
PY
)"
nginx_port=${ports[0]}
redis_port=${ports[1]}
replica_ports=("${ports[@]:2}")

# wait_for PID TRIES COMMAND...: runs COMMAND every 50 ms until it succeeds;
# fails after TRIES tries or as soon as process PID has exited.
wait_for() {
  local pid=$1 tries=$2
  shift 2
  for _ in $(seq "$tries"); do
    "$@" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.05
  done
  return 1
}
tcp_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1"); }
http_ok() { curl -fs -o /dev/null "$1/healthz"; }

started=()
fail() {
  echo "$me: $*" >&2
  for pid in "${started[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "$me: logs are in $dir" >&2
  exit 1
}

# Redis: appendonly, so a killed server restarted from the same config
# comes back with its keys (what a StatefulSet with a PVC gives in k8s).
redis_pid=""
redis_conf=""
if [ -z "${BOT_REDIS_URL:-}" ]; then
  redis_conf="$dir/redis.conf"
  cat >"$redis_conf" <<EOF
port $redis_port
bind 127.0.0.1
protected-mode yes
daemonize no
dir $dir/redis
pidfile $dir/redis.pid
logfile $dir/redis.log
save ""
appendonly yes
appendfsync everysec
maxclients 1000
EOF
  redis-server "$redis_conf" >/dev/null 2>&1 &
  redis_pid=$!
  started+=("$redis_pid")
  export BOT_REDIS_URL="redis://127.0.0.1:$redis_port/0"
  wait_for "$redis_pid" 100 tcp_open "$redis_port" \
    || fail "redis-server did not start (see $dir/redis.log)"
else
  redis_port=""
fi

# The replicas: the caller's BOT_* environment, each its own port.
replica_pids=()
for i in $(seq "$replicas"); do
  port=${replica_ports[$((i - 1))]}
  (cd "$root" && exec "$bot" serve --host 127.0.0.1 --port "$port" --admin-port 0 --no-watch \
     >"$dir/replica-$i.log" 2>&1) &
  replica_pids+=($!)
  started+=($!)
done
for i in $(seq "$replicas"); do
  wait_for "${replica_pids[$((i - 1))]}" 200 http_ok "http://127.0.0.1:${replica_ports[$((i - 1))]}" \
    || fail "replica $i did not start (see $dir/replica-$i.log)"
done

# nginx: the deploy/nginx.conf settings that matter here (body limits,
# buffering, X-Request-Id), plain HTTP on loopback, everything in $dir.
servers=""
for port in "${replica_ports[@]}"; do servers+="    server 127.0.0.1:$port max_fails=1 fail_timeout=2s;"$'\n'; done
cat >"$dir/nginx/nginx.conf" <<EOF
# Generated by deploy/replicas.sh: $replicas replicas behind one URL.
worker_processes ${NGINX_WORKERS:-1};
pid $dir/nginx/nginx.pid;
error_log $dir/nginx/error.log warn;
daemon off;
events { worker_connections 4096; }
http {
  default_type application/octet-stream;
  server_tokens off;
  tcp_nodelay on;
  access_log off;
  client_body_temp_path $dir/nginx/client_body;
  proxy_temp_path $dir/nginx/proxy;
  fastcgi_temp_path $dir/nginx/fastcgi;
  uwsgi_temp_path $dir/nginx/uwsgi;
  scgi_temp_path $dir/nginx/scgi;
  map \$http_x_request_id \$bot_request_id {
    default \$request_id;
    "~^[A-Za-z0-9._:-]{1,128}\$" \$http_x_request_id;
  }
  keepalive_timeout 30s;
  keepalive_requests 100000;
  client_max_body_size 16k;
  client_body_buffer_size 16k;
  upstream bot {
$servers    keepalive 64;
  }
  server {
    listen 127.0.0.1:$nginx_port;
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_set_header Host \$host;
    proxy_set_header X-Request-Id \$bot_request_id;
    proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
    proxy_hide_header X-Request-Id;
    add_header X-Request-Id \$bot_request_id always;
    # Upstream address in a header, so tests see the spread.
    add_header X-Upstream \$upstream_addr always;
    proxy_request_buffering on;
    proxy_connect_timeout 2s;
    proxy_read_timeout 15s;
    # A POST goes to the next replica only when it could not be sent.
    proxy_next_upstream error;
    location /webhooks/ {
      client_max_body_size 256k;
      client_body_buffer_size 256k;
      proxy_pass http://bot;
    }
    location / {
      proxy_pass http://bot;
    }
  }
}
EOF
nginx -t -q -p "$dir/nginx" -e "$dir/nginx/error.log" -c "$dir/nginx/nginx.conf" \
  || fail "nginx -t refused $dir/nginx/nginx.conf"
nginx -p "$dir/nginx" -e "$dir/nginx/error.log" -c "$dir/nginx/nginx.conf" \
  >"$dir/nginx/stdout.log" 2>&1 &
nginx_pid=$!
started+=("$nginx_pid")
url="http://127.0.0.1:$nginx_port"
wait_for "$nginx_pid" 100 http_ok "$url" || fail "nginx did not start (see $dir/nginx/error.log)"

cat >"$dir/state" <<EOF
URL=$url
REDIS_URL=$BOT_REDIS_URL
REDIS_PORT=$redis_port
REDIS_CONF=$redis_conf
REDIS_PID=$redis_pid
NGINX_PID=$nginx_pid
REPLICA_PORTS="${replica_ports[*]}"
REPLICA_PIDS="${replica_pids[*]}"
EOF
# The URL's password (if any) stays out of the terminal.
shown_redis=$(sed -E 's#(redis://)[^@/]*@#\1***@#' <<<"$BOT_REDIS_URL")
echo "$url"
echo "$me: $replicas replicas (ports ${replica_ports[*]}) behind nginx at $url, Redis $shown_redis, state in $dir" >&2

if [ $detach -eq 1 ]; then
  echo "$me: stop with: $0 stop $dir" >&2
  exit 0
fi
trap 'trap - INT TERM; echo "$me: stopping" >&2; stop_dir "$dir"; exit 0' INT TERM
wait
