#!/usr/bin/env bash
# Issue 5's benchmark, side by side in one session under the bundled runner (3 nodes, latency 5 ms):
#  1. write latency of write-behind against write-through, on 3 nodes and on one (and flush lag
#     under that steady load);
#  2. a hot-key write storm (10 keys, 200 writes/s) at write_delay 50 ms and 500 ms: database writes
#     per client write;
#  3. write-behind with nodes killed and partitions: lost writes after the final flush and read-back.
# Prints Markdown tables from the runs' own results.json (runner `compare --writes`). Arguments go to
# every run, e.g. scripts/bench-write-behind.sh --time-limit 10. SKIP_BUILD=1 reuses the last build.
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/runner-env.sh

run() {
  local out
  out=$(dotnet "$runner" test -w lin-kv --bin scripts/cachenode --node-count 3 --time-limit 20 --concurrency 4n \
        --latency 5 --seed 42 --node-checks --env CACHENODE_LOG=warn "$@" 2>&1) || true
  grep -E '^report: ' <<<"$out" | sed 's/^report: //; s#/index.html$##'
}

echo "running: write latency" >&2
latency=()
for nodes in 3 1; do
  for strategy in write-through write-behind; do
    latency+=("$(run --rate 200 --keys 100 --read-ratio 0.5 --env "CACHENODE_STRATEGY=$strategy" --env CACHENODE_DB=lin-kv --node-count "$nodes")")
  done
done

echo "running: hot-key storm" >&2
storm=("$(run --rate 200 --keys 10 --read-ratio 0 --env CACHENODE_STRATEGY=write-through)")
for delay in 50 500; do
  storm+=("$(run --rate 200 --keys 10 --read-ratio 0 --env CACHENODE_STRATEGY=write-behind --env "CACHENODE_WRITE_DELAY_MS=$delay")")
done

echo "running: kills" >&2
kills=("$(run --rate 200 --keys 10 --read-ratio 0.5 --env CACHENODE_STRATEGY=write-behind --nemesis kill,partition --nemesis-interval 2)")

echo
echo "### Write latency, 3 nodes and 1, 200 ops/s, read ratio 0.5, 100 Zipf keys, latency 5 ms"
echo
dotnet "$runner" compare --writes "${latency[@]}"
echo
echo "### Hot-key write storm, 3 nodes, 200 writes/s (write and cas) over 10 Zipf keys"
echo
dotnet "$runner" compare --writes "${storm[@]}"
echo
echo "### Write-behind with nodes killed and partitions every 2 s"
echo
dotnet "$runner" compare --writes "${kills[@]}"
