#!/usr/bin/env bash
# The cluster benchmark: CacheNode's strategies against the cacheless proxy baseline, side by side in one
# session under the bundled runner, at several cluster sizes, without faults and with partitions. Prints
# one Markdown table per cluster size and nemesis, built from the runs' own results.json (runner
# `compare --scale`): database requests per op, hit ratio, messages per write against the holders each
# write revoked, background messages per node per second; with a nemesis, what each kind of side of the
# partitions did (compare --sides). Arguments go to every run, e.g.
#   scripts/bench-cluster.sh --time-limit 10
# Environment: SKIP_BUILD=1 reuses the last build; NODES (default "3 5 9 15"); STRATEGIES (default
# "proxy write-through cache-aside write-behind"); NEMESES (default "none partition").
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/runner-env.sh
sizes="${NODES:-3 5 9 15}"
strategies="${STRATEGIES:-proxy write-through cache-aside write-behind}"
nemeses="${NEMESES:-none partition}"

run() {
  local out
  out=$(dotnet "$runner" test -w lin-kv --bin scripts/cachenode --time-limit 20 --rate 300 \
        --concurrency 2n --latency 5 --keys 100 --read-ratio 0.9 --seed 42 --node-checks --env CACHENODE_LOG=warn "$@" 2>&1) || true
  grep -E '^report: ' <<<"$out" | sed 's/^report: //; s#/index.html$##'
}

echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), read ratio 0.9, 100 Zipf keys, latency 5 ms, 300 ops/s, seed 42; $(nproc) cores"
for nodes in $sizes; do
  for nemesis in $nemeses; do
    dirs=()
    for strategy in $strategies; do
      echo "running $strategy, $nodes nodes, nemesis $nemesis" >&2
      dirs+=("$(run --node-count "$nodes" --env "CACHENODE_STRATEGY=$strategy" --nemesis "$nemesis" --nemesis-interval 5 "$@")")
    done
    echo
    echo "### $nodes nodes, nemesis: $nemesis"
    echo
    dotnet "$runner" compare --scale "${dirs[@]}"
    if [ "$nemesis" != none ]; then
      echo
      dotnet "$runner" compare --sides "${dirs[@]}"
    fi
  done
done
