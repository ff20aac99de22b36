#!/usr/bin/env bash
# Runs the web chat's end-to-end test (chat_test.mjs) in headless Debian
# chromium through playwright-core, both installed by
# `deploy/install-deps.sh --test`. Without them it prints SKIPPED and exits
# 77, which ctest counts as skipped (SKIP_RETURN_CODE), never as a pass.
# Usage: tests/browser/run.sh [BOT_BINARY] [OUT_DIR]
#   (defaults build/bin/bot and build/browser: screenshots, the saved test)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
bot=${1:-$repo/build/bin/bot}
out=${2:-$(dirname "$(dirname "$bot")")/browser}
chromium=${CHROMIUM:-/usr/bin/chromium}
SKIP=77

skip() {
  echo "SKIPPED: browser test: $*; run deploy/install-deps.sh --test"
  exit $SKIP
}
[ -x "$chromium" ] || skip "$chromium is absent"
command -v node >/dev/null || skip "node is absent"
[ -f "$here/node_modules/playwright-core/package.json" ] ||
  skip "playwright-core is not installed in tests/browser/node_modules"
[ -x "$bot" ] || { echo "browser test: $bot is not built" >&2; exit 1; }

mkdir -p "$out"
rm -f "$out"/fail-*.png
cd "$repo"
CHROMIUM=$chromium exec timeout 170 node "$here/chat_test.mjs" "$bot" "$out"
