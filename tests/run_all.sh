#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test: `bot check` on the
# shipped knowledge, the development question set and a short load run with
# faults against the Release `bot`; then the unit and integration suite (it
# includes the web chat in headless chromium, tests/browser/run.sh as ctest
# `browser_chat`) and the fuzz targets, under ASan+UBSan.
# Each test runs once, in the sanitizer build: compiling the suite a second
# time for a Release run cost CI over three minutes of its 15 on 2 cores,
# and the sanitizers find what a Release run would and more. The Release
# `bot` is what the README starts, so it is built and exercised first.
# This is the README's test command and exactly what CI runs (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)

started=$SECONDS
step() { printf '\n== %s  [%ds]\n' "$*" $((SECONDS - started)); }

step "install dependencies"
./deploy/install-deps.sh --test

step "build bot (Release)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DBOT_SANITIZE=OFF >/dev/null
cmake --build build -j"$jobs" --target bot

step "shipped knowledge: bot check"
build/bin/bot check --strict

step "development question set"
if [ -f ../shared/eval/questions.jsonl ]; then
  build/bin/bot eval ../shared/eval/questions.jsonl --lang en --kind fact --min 95
  build/bin/bot eval ../shared/eval/questions.jsonl --lang en --kind smalltalk --min 95
  build/bin/bot eval ../shared/eval/questions.jsonl --lang en --kind oos --min 100
  build/bin/bot eval ../shared/eval/questions.jsonl || true  # full report, incl. ru
else
  echo "NOTICE: ../shared is absent; the development question set was not scored"
fi

step "load with faults (reloads, idle connections, a platform failing half its sends)"
tests/load/run.sh build/bin/bot 5 64

# One clang build serves both the sanitizer suite and the fuzz targets
# (-fsanitize=fuzzer-no-link only adds coverage hooks the tests ignore):
# a second full build would cost CI about two minutes on 2 cores.
# -O1 and line tables only: the stack traces keep file:line, and the build
# is the slowest step of this script. Only what the tests run is built
# (not the benchmark's bare_http_server).
step "build (clang, ASan+UBSan, with the fuzz targets)"
CC=clang CXX=clang++ cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" \
  -DBOT_FUZZ=ON -DBOT_TESTS=ON >/dev/null
fuzz_targets=$(cd tests/fuzz && ls *_fuzz.cc | sed 's/\.cc$//')
# shellcheck disable=SC2086
cmake --build build-sanitize -j"$jobs" --target bot_tests bot $fuzz_targets

step "unit, integration and browser tests (ASan+UBSan)"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
(cd build-sanitize && ctest --output-on-failure -j"$jobs" --timeout 600)

step "tests/deploy/check_deploy.sh"
tests/deploy/check_deploy.sh

# Each target first replays its seeds and triaged regressions, then
# explores; longer runs are for tests/fuzz/run.sh by hand.
step "tests/fuzz/run.sh (15 s per target)"
tests/fuzz/run.sh 15 build-sanitize

step "all tests passed"
