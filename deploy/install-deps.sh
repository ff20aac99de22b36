#!/usr/bin/env bash
# Installs the Debian 12 packages the bot needs to build, run and test.
# Idempotent: installs only what is missing. Run as root (or with sudo).
# Usage: deploy/install-deps.sh [--runtime|--build|--test]   (default --test)
set -euo pipefail

runtime=(libre2-9 libyaml-cpp0.7 libssl3 libcpp-httplib0.11 libhiredis0.14 ca-certificates)
build=(cmake g++ make pkg-config libcpp-httplib-dev nlohmann-json3-dev libre2-dev
       libyaml-cpp-dev libssl-dev libhiredis-dev catch2)
# Tools the test suite uses beyond the build: wrk for the load test and the
# HTTP bench, curl for examples and scripts, python3 for the fake platform of
# the load test and the YAML checks of the deploy recipes, clang (with its
# sanitizer and libFuzzer runtimes) for the sanitizer and fuzz build,
# redis-server for the shared-state tests (each starts its own on loopback),
# nginx-light for deploy/replicas.sh (replicas behind one URL, its test and
# bench) and the `nginx -t` of tests/deploy/check_deploy.sh.
test=(curl python3 python3-yaml wrk clang libclang-rt-14-dev redis-server nginx-light)
# The web chat's browser test: Debian's chromium, driven by playwright-core
# from npm (tests/browser/package.json, installed into tests/browser/
# node_modules, git-ignored). Playwright's own browser download is never used.
browser=(chromium)
# A Node.js that is already installed (e.g. one that bundles npm) is kept.
command -v npm >/dev/null 2>&1 || browser+=(nodejs npm)

case "${1:---test}" in
  --runtime) wanted=("${runtime[@]}") ;;
  --build) wanted=("${runtime[@]}" "${build[@]}") ;;
  --test) wanted=("${runtime[@]}" "${build[@]}" "${test[@]}" "${browser[@]}") ;;
  *) echo "usage: $0 [--runtime|--build|--test]" >&2; exit 2 ;;
esac

# playwright-core into tests/browser/node_modules (--test only), once.
install_playwright() {
  [ "${1:---test}" = "--test" ] || return 0
  local dir
  dir="$(cd "$(dirname "$0")/.." && pwd)/tests/browser"
  [ -f "$dir/node_modules/playwright-core/package.json" ] && return 0
  echo "install-deps: npm install playwright-core into tests/browser/node_modules"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --prefix "$dir" --no-audit --no-fund \
    --no-package-lock --loglevel=error
}

missing=()
for p in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#wanted[@]} packages present"
  install_playwright "$@"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
install_playwright "$@"
