#!/usr/bin/env bash
# Re-proof under the runner's fidelity mode: every strategy at 3 and 5 nodes, under Maelstrom's
# partitions and under the runner-only kill (SIGKILL, restart) and pause (SIGSTOP, SIGCONT), each run
# with CacheNode's own checks (--node-checks: flush, the lost-writes read-back, a clean exit).
# Prints one Markdown row per run (`compare --faults`) and exits non-zero if any run is not valid.
#   [TIME=20] [SEED=1] scripts/reprove.sh [extra runner args...]
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/runner-env.sh
time_limit=${TIME:-20}
seed=${SEED:-1}

status=0
runs=()
for strategy in write-through cache-aside write-behind; do
  # Write-behind holds writes dirty for a second, so kills and pauses catch acked writes not yet flushed.
  extra=()
  [ "$strategy" = write-behind ] && extra=(--env CACHENODE_WRITE_DELAY_MS=1000)
  for nodes in 3 5; do
    for nemesis in partition kill pause; do
      args=(test -w lin-kv --bin scripts/cachenode --node-count "$nodes" --time-limit "$time_limit" --rate 100
            --concurrency 2n --latency 5 --nemesis "$nemesis" --nemesis-interval 3 --seed "$seed" --node-checks
            --env "CACHENODE_STRATEGY=$strategy" --env CACHENODE_LOG=warn "${extra[@]}" "$@")
      echo "+ dotnet $runner ${args[*]}" >&2
      set +e
      output=$(dotnet "$runner" "${args[@]}" 2>&1)
      code=$?
      set -e
      tail -n 1 <<<"$output" >&2
      [ "$code" -eq 0 ] || status=1
      report=$(grep -E '^report: ' <<<"$output" | sed -E 's/^report: //; s#/index.html$##' || true)
      [ -n "$report" ] && runs+=("$report")
    done
  done
done

dotnet "$runner" compare --faults "${runs[@]}"
exit "$status"
