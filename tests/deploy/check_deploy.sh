#!/usr/bin/env bash
# Checks the deploy recipes with the real tools: the systemd unit with
# `systemd-analyze verify`, nginx.conf with `nginx -t` (throwaway self-signed
# certificate), the Kubernetes manifests as YAML (kinds, probes, replicas),
# the Dockerfile's build steps (same install script as CI, every COPY source
# exists) and deploy/bot.yaml with `bot config check`.
# Usage: tests/deploy/check_deploy.sh [path/to/bot]   (installs nginx if missing)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bot="$(realpath "${1:-$root/build/bin/bot}")"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }

need() {  # need COMMAND PACKAGE
  command -v "$1" >/dev/null 2>&1 && return 0
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing $2 for $1"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$2" >/dev/null \
    || { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$2" >/dev/null; }
}
need systemd-analyze systemd
need nginx nginx-light
need openssl openssl
python3 -c 'import yaml' 2>/dev/null || need python3 python3-yaml

# 1. systemd: verify needs ExecStart's binary to exist, so point it at ours.
[ -x "$bot" ] || { echo "no bot binary at $bot (build it first)"; exit 2; }
sed "s#/usr/local/bin/bot#$bot#g" "$root/deploy/bot.service" > "$tmp/bot.service"
if out=$(systemd-analyze verify "$tmp/bot.service" 2>&1) && [ -z "$out" ]; then
  ok "systemd-analyze verify deploy/bot.service"
else
  bad "systemd-analyze verify deploy/bot.service"; echo "$out"
fi
for key in DynamicUser=yes ProtectSystem=strict NoNewPrivileges=yes 'CapabilityBoundingSet=$' \
           Restart=on-failure EnvironmentFile=; do
  grep -Eq "^$key" "$root/deploy/bot.service" && ok "bot.service has ${key%\$}" || bad "bot.service lacks ${key%\$}"
done
if grep -Ei '^Environment=.*(TOKEN|SECRET)' "$root/deploy/bot.service"; then bad "a secret inline in bot.service"; fi

# 2. nginx: a throwaway certificate and private pid/log paths.
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=bot.example.org" \
  -keyout "$tmp/privkey.pem" -out "$tmp/fullchain.pem" 2>/dev/null
mkdir -p "$tmp/logs"
sed -e "s#/etc/ssl/bot/#$tmp/#g" -e "s#/run/nginx.pid#$tmp/nginx.pid#" \
    -e "s#/var/log/nginx/#$tmp/logs/#g" "$root/deploy/nginx.conf" > "$tmp/nginx.conf"
if out=$(nginx -t -q -p "$tmp" -c "$tmp/nginx.conf" 2>&1); then
  ok "nginx -t deploy/nginx.conf"
else
  bad "nginx -t deploy/nginx.conf"; echo "$out"
fi
for key in 'X-Request-Id' 'client_max_body_size' 'proxy_request_buffering on' 'ssl_certificate '; do
  grep -q "$key" "$root/deploy/nginx.conf" && ok "nginx.conf has $key" || bad "nginx.conf lacks $key"
done

# nginx must not let through what the bot then refuses, nor refuse what the
# bot takes: per location, client_max_body_size equals the bot's body limit
# for that route (webhooks: http.webhook_max_body_bytes, the rest:
# http.max_body_bytes, as `bot config check` reports them for deploy/bot.yaml),
# and the header buffers stay inside the bot's HTTP limits: a request line
# of 8 KiB at most (414 above) and a head of 16 KiB at most (431 above; 1 KiB
# of it is left for the headers nginx adds). Exactly one X-Request-Id reaches
# the client: nginx's own add_header needs proxy_hide_header of the bot's.
# Usage: check_nginx_limits NGINX_CONF BOT_CONFIG_CHECK_OUTPUT
check_nginx_limits() {
  python3 - "$1" "$2" <<'PY'
import re, sys

conf = open(sys.argv[1]).read()
effective = dict(re.findall(r"^(\S+)\s+= (\S+)", open(sys.argv[2]).read(), re.M))
api_limit = int(effective["http.max_body_bytes"])
webhook_limit = int(effective["http.webhook_max_body_bytes"])
REQUEST_LINE_MAX, HEAD_MAX, NGINX_ADDS = 8 * 1024, 16 * 1024, 1024

def size(text):
    m = re.fullmatch(r"(\d+)([kKmMgG]?)", text)
    return int(m.group(1)) * {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}[m.group(2).lower()]

# A small parser: blocks of directives, each directive a list of words.
tokens = re.findall(r'"[^"]*"|\'[^\']*\'|[{};]|[^\s{};]+', re.sub(r"#[^\n]*", "", conf))
def block(i):
    items, words = [], []
    while i < len(tokens):
        t = tokens[i]
        i += 1
        if t == ";":
            items.append((words, None)); words = []
        elif t == "{":
            children, i = block(i)
            items.append((words, children)); words = []
        elif t == "}":
            return items, i
        else:
            words.append(t)
    return items, i
root, _ = block(0)

def directives(items, name):
    return [w[1:] for w, c in items if c is None and w and w[0] == name]
def children(items, name):
    return [(w[1:], c) for w, c in items if c is not None and w and w[0] == name]

errors = []
http = children(root, "http")[0][1]
def inherited(levels, name):  # the innermost level that sets it wins
    for items in reversed(levels):
        found = directives(items, name)
        if found:
            return found
    return []

for server_words, server in children(http, "server"):
    levels = [http, server]
    small = size((inherited(levels, "client_header_buffer_size") or [["1k"]])[-1][0])
    number, each = (inherited(levels, "large_client_header_buffers") or [["4", "8k"]])[-1]
    number, each = int(number), size(each)
    if each > REQUEST_LINE_MAX:
        errors.append(f"large_client_header_buffers {each} B lets a request line over the bot's "
                      f"{REQUEST_LINE_MAX} B through (the bot answers 414)")
    if small + number * each + NGINX_ADDS > HEAD_MAX:
        errors.append(f"client_header_buffer_size + large_client_header_buffers allow "
                      f"{small + number * each} B of head; with the {NGINX_ADDS} B nginx adds "
                      f"that is over the bot's {HEAD_MAX} B (the bot answers 431)")
    for location_words, location in children(server, "location"):
        if not directives(location, "proxy_pass"):
            continue
        path = location_words[-1]
        where = "location " + " ".join(location_words)
        want = webhook_limit if path.startswith("/webhooks/") else api_limit
        got = size((inherited(levels + [location], "client_max_body_size") or [["1m"]])[-1][0])
        if got != want:
            errors.append(f"{where}: client_max_body_size is {got} B, the bot's limit is {want} B")
        headers = [h[0].lower() for h in inherited(levels + [location], "add_header")]
        hidden = [h[0].lower() for h in inherited(levels + [location], "proxy_hide_header")]
        if "x-request-id" in headers and "x-request-id" not in hidden:
            errors.append(f"{where}: X-Request-Id is sent twice (add_header, and the bot's own "
                          "passed through without proxy_hide_header)")
for e in errors:
    print("  " + e)
sys.exit(1 if errors else 0)
PY
}
"$bot" config check --config "$root/deploy/bot.yaml" > "$tmp/effective.txt" 2>&1
if check_nginx_limits "$root/deploy/nginx.conf" "$tmp/effective.txt"; then
  ok "nginx.conf limits match the bot's"
else
  bad "nginx.conf limits differ from the bot's"
fi
# The check itself must bite: a copy with the webhook limit nginx used to
# have, and one sending X-Request-Id twice.
sed 's#client_max_body_size 256k;#client_max_body_size 1m;#' "$root/deploy/nginx.conf" > "$tmp/mismatch.conf"
sed '/proxy_hide_header X-Request-Id;/d' "$root/deploy/nginx.conf" > "$tmp/twice.conf"
for conf in "$tmp/mismatch.conf" "$tmp/twice.conf"; do
  if ! cmp -s "$conf" "$root/deploy/nginx.conf" && ! check_nginx_limits "$conf" "$tmp/effective.txt" >/dev/null; then
    ok "a mismatched copy ($(basename "$conf")) fails the limits check"
  else
    bad "the limits check missed $(basename "$conf")"
  fi
done

# 3. Kubernetes manifests.
if python3 - "$root/deploy/k8s" <<'PY'
import glob, sys, yaml
docs = []
for path in sorted(glob.glob(sys.argv[1] + "/*.yaml")):
    with open(path) as f:
        docs += [(path, d) for d in yaml.safe_load_all(f) if d]
kinds = {d["kind"] for _, d in docs}
errors = []
for want in ["Deployment", "Service", "ConfigMap", "HorizontalPodAutoscaler", "PodDisruptionBudget",
             "StatefulSet", "Secret"]:
    if want not in kinds:
        errors.append("no " + want)
for path, d in docs:
    for key in ("apiVersion", "kind", "metadata"):
        if key not in d:
            errors.append(f"{path}: no {key}")
    if d["kind"] != "Deployment":
        continue
    spec = d["spec"]
    if spec.get("replicas", 1) < 2:
        errors.append("Deployment: fewer than 2 replicas")
    if spec.get("strategy", {}).get("type") != "RollingUpdate":
        errors.append("Deployment: not a rolling update")
    for c in spec["template"]["spec"]["containers"]:
        if c.get("readinessProbe", {}).get("httpGet", {}).get("path") != "/readyz":
            errors.append("readinessProbe is not GET /readyz")
        if c.get("livenessProbe", {}).get("httpGet", {}).get("path") != "/healthz":
            errors.append("livenessProbe is not GET /healthz")
        if "requests" not in c.get("resources", {}) or "limits" not in c.get("resources", {}):
            errors.append("container without resource requests and limits")
        for e in c.get("env", []):
            if any(w in e["name"] for w in ("TOKEN", "SECRET", "REDIS_URL", "PASSWORD")) and "value" in e:
                errors.append("secret inline in the Deployment: " + e["name"])
        redis_url = [e for e in c.get("env", []) if e["name"] == "BOT_REDIS_URL"]
        if not redis_url or "secretKeyRef" not in redis_url[0].get("valueFrom", {}):
            errors.append("Deployment: BOT_REDIS_URL does not come from a Secret (secretKeyRef)")
# Redis for the replicas: a StatefulSet with a volume claim, redis-server
# with appendonly, and a Service in front of it.
sets = [d for _, d in docs if d["kind"] == "StatefulSet"]
if not sets:
    errors.append("no StatefulSet (Redis)")
for d in sets:
    spec = d["spec"]
    if not spec.get("volumeClaimTemplates"):
        errors.append("StatefulSet %s: no volumeClaimTemplates (persistence)" % d["metadata"]["name"])
    words = " ".join(" ".join(c.get("command", []) + c.get("args", []))
                     for c in spec["template"]["spec"]["containers"])
    if "redis-server" not in words or "--appendonly yes" not in words:
        errors.append("StatefulSet %s: not redis-server --appendonly yes" % d["metadata"]["name"])
    if not any(x["kind"] == "Service" and x["spec"].get("selector") == spec["selector"]["matchLabels"]
               for _, x in docs):
        errors.append("StatefulSet %s: no Service selects it" % d["metadata"]["name"])
# No real secret committed: Secrets only in *.example.yaml, with placeholders.
for path, d in docs:
    if d["kind"] != "Secret":
        continue
    if not path.endswith(".example.yaml"):
        errors.append(f"{path}: a Secret outside an *.example.yaml")
    for key, value in {**d.get("stringData", {}), **d.get("data", {})}.items():
        if "CHANGE-ME" not in str(value):
            errors.append(f"{path}: {key} is not a CHANGE-ME placeholder")
for e in errors:
    print("  " + e)
print(f"  {len(docs)} documents, kinds: {', '.join(sorted(kinds))}")
sys.exit(1 if errors else 0)
PY
then ok "k8s manifests parse with the expected kinds and probes"; else bad "k8s manifests"; fi
grep -h "^ *port: [0-9]" "$root/deploy/k8s/configmap.yaml" >/dev/null && ok "k8s bot.yaml in ConfigMap" || bad "no bot.yaml in ConfigMap"
python3 -c 'import sys,yaml; d=[x for x in yaml.safe_load_all(open(sys.argv[1])) if x and x["metadata"]["name"]=="bot-config"][0]; open(sys.argv[2],"w").write(d["data"]["bot.yaml"])' \
  "$root/deploy/k8s/configmap.yaml" "$tmp/k8s-bot.yaml"

# 4. Dockerfile: same install script as CI, every COPY source present.
grep -q 'deploy/install-deps.sh --build' "$root/deploy/Dockerfile" && ok "Dockerfile builds with deploy/install-deps.sh" || bad "Dockerfile does not use deploy/install-deps.sh"
grep -q '^USER ' "$root/deploy/Dockerfile" && grep -q '^HEALTHCHECK' "$root/deploy/Dockerfile" \
  && ok "Dockerfile runs as non-root with a HEALTHCHECK" || bad "Dockerfile USER/HEALTHCHECK"
bash -n "$root/deploy/install-deps.sh" && ok "install-deps.sh parses" || bad "install-deps.sh syntax"
while read -r src; do
  [ -e "$root/$src" ] && ok "COPY source $src exists" || bad "COPY source $src missing"
done < <(grep -E '^COPY [^-]' "$root/deploy/Dockerfile" | awk '{print $2}')

# 5. The shipped configs are valid for the bot itself.
for cfg in "$root/deploy/bot.yaml" "$tmp/k8s-bot.yaml"; do
  if out=$(env -i PATH="$PATH" "$bot" config check --config "$cfg" 2>&1); then
    ok "bot config check $(basename "$cfg")"
  else
    bad "bot config check $cfg"; echo "$out"
  fi
done

[ "$fail" -eq 0 ] && echo "deploy checks passed" || echo "deploy checks FAILED"
exit "$fail"
