#!/usr/bin/env bash
# Runs every libFuzzer target for N seconds each (default 30) with ASan+UBSan,
# as many at once as there are cores.
# Seeds: tests/fuzz/seeds/<target>/, the shipped intents/facts and the
# broken fixtures (YAML loaders) and ../shared/channels/payloads (JSON
# parsers). Crashes are kept in
# tests/fuzz/crashes/<target>/ (ignored by git; move a reproducer to
# tests/fuzz/regressions/<target>/ once triaged, they are seeds too); the exit
# code is 1 if any target crashed.
# Usage: tests/fuzz/run.sh [SECONDS] [BUILD_DIR]   (builds with clang if needed;
# BUILD_DIR is relative to the project root or absolute)
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
seconds="${1:-30}"
build="${2:-$root/build-fuzz}"
case "$build" in /*) ;; *) build="$root/$build" ;; esac
if ! command -v clang++ >/dev/null; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends clang libclang-rt-14-dev
fi
# A build directory already set up with BOT_FUZZ=ON (run_all.sh's, which
# has the tests too) is used as it is; otherwise a fuzz-only one is made.
if ! grep -qs '^BOT_FUZZ:BOOL=ON' "$build/CMakeCache.txt"; then
  CC=clang CXX=clang++ cmake -S "$root" -B "$build" -DBOT_FUZZ=ON -DBOT_TESTS=OFF \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null || exit 2
fi
targets=$(cd "$root/tests/fuzz" && ls *_fuzz.cc | sed 's/\.cc$//')
cmake --build "$build" -j2 --target $targets >/dev/null || exit 2

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# One target runs on each core at a time; each writes its report to a
# file, printed in order once all are done.
fuzz_one() {
  local t=$1 name="${1%_fuzz}"
  local corpus="$work/$name"
  mkdir -p "$corpus" "$root/tests/fuzz/crashes/$name"
  cp "$root/tests/fuzz/seeds/$name/"* "$root/tests/fuzz/regressions/$name/"* "$corpus/" 2>/dev/null
  case "$name" in
    yaml_loaders) cp "$root"/intents/*.yaml "$root"/facts/*.yaml "$corpus/" 2>/dev/null
                  local i=0 j=0 f
                  for f in "$root"/tests/data/broken/*/*/*.yaml; do cp "$f" "$corpus/broken$((j++)).yaml"; done
                  for f in "$root"/intents/tests/*.yaml; do [ -f "$f" ] && cp "$f" "$corpus/test$((i++)).yaml"; done ;;
    reply) ;;  # its own seeds: the first byte picks where the text goes
    *) cp "$root"/../shared/channels/payloads/*.json "$corpus/" 2>/dev/null ;;
  esac
  {
    echo "== $t: ${seconds}s, $(ls "$corpus" | wc -l) seeds"
    "$build/bin/$t" "$corpus" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$root/tests/fuzz/crashes/$name/" 2>"$work/$t.log"
    local rc=$?
    grep -E "^(stat::number_of_executed_units|stat::new_units_added|stat::peak_rss_mb)" "$work/$t.log" | tr '\n' ' '
    echo
    if [ $rc -ne 0 ]; then
      echo "!! $t failed (exit $rc):"
      grep -E "ERROR|SUMMARY|runtime error" "$work/$t.log" | head -5
    fi
  } >"$work/$t.report"
}
jobs=$(nproc 2>/dev/null || echo 2)
for t in $targets; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
  fuzz_one "$t" &
done
wait
failed=0
for t in $targets; do
  cat "$work/$t.report"
  grep -q '^!! ' "$work/$t.report" && failed=1
done
[ $failed -eq 0 ] && echo "fuzz: no crashes" || echo "fuzz: CRASHES (see tests/fuzz/crashes/)"
exit $failed
