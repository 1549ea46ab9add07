#!/usr/bin/env bash
# Soak: one node (write-through, local store) fed as fast as it reads with writes of ever-new keys and
# reads of recent ones, LINES lines in all, its RSS sampled every 2 s. Shows that the cache stays
# bounded by max_entries (stats at the end: entries, evictions) and what an entry costs in memory.
#   [MAX_ENTRIES=100000] scripts/soak.sh [lines=20000000]
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${SKIP_BUILD:-}" = 1 ] || scripts/build.sh
lines=${1:-20000000}
max_entries=${MAX_ENTRIES:-100000}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

init='{"src":"c1","dest":"n1","body":{"type":"init","msg_id":0,"node_id":"n1","node_ids":["n1"]}}'
# Idle: a node that has only been initialized.
{ echo "$init"; sleep 2; } | CACHENODE_MAX_ENTRIES=$max_entries scripts/cachenode >/dev/null 2>&1 &
idle_pid=$!
sleep 1.5
idle_kb=$(awk '/^VmRSS/ {print $2}' "/proc/$idle_pid/status")
wait "$idle_pid" || true

awk -v n="$lines" -v init="$init" 'BEGIN {
  print init
  for (i = 1; i <= n; i++) {
    if (i % 2) printf "{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"type\":\"write\",\"msg_id\":%d,\"key\":\"k%d\",\"value\":{\"n\":%d,\"pad\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}}}\n", i, i, i
    else printf "{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"type\":\"read\",\"msg_id\":%d,\"key\":\"k%d\"}}\n", i, i - 1 - (i % 1000)
  }
  printf "{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"type\":\"stats\",\"msg_id\":%d}}\n", n + 1
}' | (echo "$BASHPID" >"$out/pid"; CACHENODE_MAX_ENTRIES=$max_entries exec scripts/cachenode 2>"$out/stderr") | tail -n 1 >"$out/stats" &
node_pid=$!
start=$SECONDS
echo "| seconds | RSS MiB |"
echo "|---:|---:|"
peak=0
while kill -0 "$node_pid" 2>/dev/null; do
  # The pipeline's middle process is the node (the launcher execs it): it wrote its own pid.
  pid=$(cat "$out/pid" 2>/dev/null || true)
  if [ -n "$pid" ] && [ -r "/proc/$pid/status" ]; then
    kb=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    [ -n "$kb" ] && [ "$kb" -gt "$peak" ] && peak=$kb
    [ -n "$kb" ] && printf '| %d | %.1f |\n' $((SECONDS - start)) "$(echo "$kb / 1024" | bc -l)"
  fi
  sleep 2
done
wait "$node_pid" || true

entries=$(grep -o '"entries":[0-9]*' "$out/stats" | cut -d: -f2)
evictions=$(grep -o '"evictions":[0-9]*' "$out/stats" | cut -d: -f2)
echo
echo "lines $lines in $((SECONDS - start)) s; max_entries $max_entries; at the end: entries ${entries:-?}, evictions ${evictions:-?}"
printf 'RSS: idle %.1f MiB, peak %.1f MiB; per cached entry about %.0f bytes\n' \
  "$(echo "$idle_kb / 1024" | bc -l)" "$(echo "$peak / 1024" | bc -l)" "$(echo "($peak - $idle_kb) * 1024 / ${entries:-1}" | bc -l)"
