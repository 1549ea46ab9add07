#!/usr/bin/env bash
# Issue 4's benchmark: CacheNode's strategies against the cacheless proxy baseline, side by side in
# one session under the bundled runner, then the same with network partitions. Prints Markdown
# tables built from the runs' own results.json (runner `compare`). Arguments go to every run, e.g.
#   scripts/bench-cluster.sh --time-limit 10
# Environment: SKIP_BUILD=1 reuses the last build; NODES (default 3).
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/runner-env.sh
nodes="${NODES:-3}"

run() {
  local out
  out=$(dotnet "$runner" test -w lin-kv --bin scripts/cachenode --node-count "$nodes" --time-limit 30 --rate 500 \
        --concurrency 4n --latency 5 --keys 100 --read-ratio 0.9 --seed 42 --node-checks --env CACHENODE_LOG=warn "$@" 2>&1) || true
  grep -E '^report: ' <<<"$out" | sed 's/^report: //; s#/index.html$##'
}

for nemesis in none partition; do
  dirs=()
  for strategy in proxy write-through cache-aside write-behind; do
    echo "running $strategy, nemesis $nemesis" >&2
    dirs+=("$(run --env "CACHENODE_STRATEGY=$strategy" --nemesis "$nemesis" --nemesis-interval 5 "$@")")
  done
  echo
  echo "### $nodes nodes, read ratio 0.9, 100 Zipf keys, latency 5 ms, nemesis: $nemesis"
  echo
  dotnet "$runner" compare "${dirs[@]}"
done
