#!/usr/bin/env bash
# In-process answer benchmark of this build against a previous one, in one
# run: `bot bench --json` of both, alternated ROUNDS times on the same
# questions, each build's best round kept, and this build's ratio printed.
# With valgrind installed it also counts instructions per answer (callgrind,
# the difference of two runs of N and 3N answers divided by 2N, so start-up
# and compilation cancel out): steadier than answers/s on a shared machine.
#
# usage: tests/bench/answers.sh BOT BASELINE_BOT
#   e.g. git worktree add /tmp/prev HEAD~1 && cmake -S /tmp/prev -B /tmp/prev/build \
#          -DCMAKE_BUILD_TYPE=Release && cmake --build /tmp/prev/build --target bot
#        tests/bench/answers.sh build/bin/bot /tmp/prev/build/bin/bot
# env:   SECONDS_PER_ROUND=3 ROUNDS=3 ANSWERS=2000 (callgrind; 0 skips it)
#        INTENTS=intents FACTS=facts, BASELINE_INTENTS, BASELINE_FACTS (default:
#        the same) - a baseline older than a knowledge format change needs its
#        own copy of the knowledge.
#        QUESTIONS=file (one question a line; default: the knowledge's examples)
# Exits 2 when a build is missing or a run fails; the ratio is reported, not
# judged (time limits belong to the issue asking for them).
set -euo pipefail
cd "$(dirname "$0")/../.."

[[ $# -eq 2 ]] || { sed -n '2,19p' "$0" >&2; exit 2; }
NEW=$1
OLD=$2
ROUNDS=${ROUNDS:-3}
SECONDS_PER_ROUND=${SECONDS_PER_ROUND:-3}
ANSWERS=${ANSWERS:-2000}
INTENTS=${INTENTS:-intents}
FACTS=${FACTS:-facts}
BASELINE_INTENTS=${BASELINE_INTENTS:-$INTENTS}
BASELINE_FACTS=${BASELINE_FACTS:-$FACTS}
for exe in "$NEW" "$OLD"; do
  [[ -x $exe ]] || { echo "answers.sh: $exe is not an executable" >&2; exit 2; }
done
command -v jq >/dev/null || { echo "answers.sh: needs jq (apt-get install jq)" >&2; exit 2; }

questions=()
[[ -n ${QUESTIONS:-} ]] && questions=(--questions "$QUESTIONS")
bench() {  # bench BOT INTENTS FACTS EXTRA...
  local bot=$1 intents=$2 facts=$3
  shift 3
  "$bot" bench --intents "$intents" --facts "$facts" "${questions[@]}" "$@"
}

best_new=0 best_old=0
for ((round = 1; round <= ROUNDS; round++)); do
  for which in old new; do
    if [[ $which == new ]]; then
      out=$(bench "$NEW" "$INTENTS" "$FACTS" --json --seconds "$SECONDS_PER_ROUND")
    else
      out=$(bench "$OLD" "$BASELINE_INTENTS" "$BASELINE_FACTS" --json --seconds "$SECONDS_PER_ROUND")
    fi
    rate=$(jq -r '.answers_per_sec | floor' <<<"$out")
    printf 'round %d %-4s %9d answers/s  p50 %5.1f us  p99 %6.1f us  compile %6.1f ms  rss %5.1f MB\n' \
      "$round" "$which" "$rate" "$(jq -r .p50_us <<<"$out")" "$(jq -r .p99_us <<<"$out")" \
      "$(jq -r .compile_ms <<<"$out")" "$(jq -r .rss_mb <<<"$out")"
    if [[ $which == new ]]; then
      ((rate > best_new)) && best_new=$rate
    else
      ((rate > best_old)) && best_old=$rate
    fi
  done
done
echo "best: this build $best_new answers/s, baseline $best_old answers/s," \
  "ratio $(awk -v a="$best_new" -v b="$best_old" 'BEGIN { printf "%.1f%%", 100 * a / b }')"

if [[ $ANSWERS -gt 0 ]] && command -v valgrind >/dev/null; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  instructions() {  # instructions BOT INTENTS FACTS N
    valgrind --tool=callgrind --callgrind-out-file="$work/out" \
      "$1" bench --intents "$2" --facts "$3" "${questions[@]}" --answers "$4" >/dev/null 2>"$work/err" ||
      { cat "$work/err" >&2; exit 2; }
    sed -n 's/^summary: //p' "$work/out"
  }
  per_answer() {  # per_answer BOT INTENTS FACTS
    local small large
    small=$(instructions "$1" "$2" "$3" "$ANSWERS")
    large=$(instructions "$1" "$2" "$3" $((3 * ANSWERS)))
    echo $(((large - small) / (2 * ANSWERS)))
  }
  new_instr=$(per_answer "$NEW" "$INTENTS" "$FACTS")
  old_instr=$(per_answer "$OLD" "$BASELINE_INTENTS" "$BASELINE_FACTS")
  echo "instructions per answer: this build $new_instr, baseline $old_instr," \
    "throughput ratio by instructions" \
    "$(awk -v a="$new_instr" -v b="$old_instr" 'BEGIN { printf "%.1f%%", 100 * b / a }')"
else
  echo "instructions per answer: skipped (valgrind is not installed, or ANSWERS=0)"
fi
