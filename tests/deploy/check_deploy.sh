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

# 3. Kubernetes manifests.
if python3 - "$root/deploy/k8s" <<'PY'
import glob, sys, yaml
docs = []
for path in sorted(glob.glob(sys.argv[1] + "/*.yaml")):
    with open(path) as f:
        docs += [(path, d) for d in yaml.safe_load_all(f) if d]
kinds = {d["kind"] for _, d in docs}
errors = []
for want in ["Deployment", "Service", "ConfigMap", "HorizontalPodAutoscaler", "PodDisruptionBudget"]:
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
            if any(w in e["name"] for w in ("TOKEN", "SECRET")) and "value" in e:
                errors.append("secret inline in the Deployment: " + e["name"])
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
