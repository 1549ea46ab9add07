#!/usr/bin/env bash
# The main job: builds CacheNode and the bundled local Maelstrom-compatible runner, then runs a
# 3-node lin-kv test with network partitions once per write strategy, printing one verdict line per
# strategy and the report path. Extra arguments go to every run and win over the defaults, e.g.
#   scripts/run.sh --node-count 1 --time-limit 5 --nemesis none
#   scripts/run.sh --strategy write-behind            (one strategy only; the runs take ~25 s each)
# Exits non-zero if any run is not valid.
set -euo pipefail
cd "$(dirname "$0")/.."

strategies="write-through cache-aside write-behind"
if [ "${1:-}" = --strategy ]; then
  [ -n "${2:-}" ] || { echo "run.sh: --strategy needs a name (write-through, cache-aside, write-behind, proxy)" >&2; exit 2; }
  strategies=$2
  shift 2
fi

source scripts/runner-env.sh

status=0
verdicts=()
for strategy in $strategies; do
  echo
  echo "=== $strategy"
  args=(test -w lin-kv --bin scripts/cachenode --node-count 3 --time-limit 20 --rate 100 --concurrency 2n
        --latency 5 --nemesis partition --nemesis-interval 5 --seed 7 --node-checks --env "CACHENODE_STRATEGY=$strategy" "$@")
  echo "+ dotnet $runner ${args[*]}"
  set +e
  output=$(dotnet "$runner" "${args[@]}" 2>&1)
  code=$?
  set -e
  echo "$output" | cut -c1-400
  report=$(grep -E '^report: ' <<<"$output" | sed 's/^report: //' || true)
  verdict=$(tail -n 1 <<<"$output")
  lost=$(grep -E '^lost writes' <<<"$output" | sed -E 's/ \(.*//' || true)
  if [ "$code" -eq 0 ]; then
    verdicts+=("VERDICT $strategy: valid — ${verdict#VALID: }; ${lost:-lost writes not checked} — report: $report")
  else
    verdicts+=("VERDICT $strategy: INVALID — ${verdict}; ${lost:-lost writes not checked} — report: $report")
    status=1
  fi
done

echo
printf '%s\n' "${verdicts[@]}"
exit "$status"
