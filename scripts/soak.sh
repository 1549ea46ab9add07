#!/usr/bin/env bash
# Soak: a node (write-through over its local store) fed as fast as it reads with writes cycling
# through KEYS keys (ten times max_entries by default, so the cache must evict all the time) and
# reads of recent ones; its RSS sampled every 5 s. Run twice side by side, with the cache bounded at
# MAX_ENTRIES and with a cache of one entry, so the difference is what the cached entries cost (the
# local store, which holds every key, is the same in both). Shows the cache staying bounded.
#   [MAX_ENTRIES=100000] [KEYS=1000000] scripts/soak.sh [lines=10000000]
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${SKIP_BUILD:-}" = 1 ] || scripts/build.sh
lines=${1:-10000000}
max_entries=${MAX_ENTRIES:-100000}
keys=${KEYS:-$((max_entries * 10))}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
init='{"src":"c1","dest":"n1","body":{"type":"init","msg_id":0,"node_id":"n1","node_ids":["n1"]}}'

# soak MAX_ENTRIES LABEL: prints the RSS samples; leaves peak KiB and the final stats in $out.
soak() {
  awk -v n="$lines" -v k="$keys" -v init="$init" 'BEGIN {
    print init
    for (i = 1; i <= n; i++) {
      if (i % 2) printf "{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"type\":\"write\",\"msg_id\":%d,\"key\":\"k%d\",\"value\":{\"n\":%d,\"pad\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}}}\n", i, i % k, i
      else printf "{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"type\":\"read\",\"msg_id\":%d,\"key\":\"k%d\"}}\n", i, (i - 1 - (i % 1000) + k) % k
    }
    printf "{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"type\":\"stats\",\"msg_id\":%d}}\n", n + 1
  }' | (echo "$BASHPID" >"$out/pid"; CACHENODE_MAX_ENTRIES=$1 exec scripts/cachenode 2>"$out/stderr") | tail -n 1 >"$out/stats.$1" &
  local pipeline=$! start=$SECONDS peak=0 kb pid
  while kill -0 "$pipeline" 2>/dev/null; do
    sleep 5
    pid=$(cat "$out/pid" 2>/dev/null || true)
    kb=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
    if [ -n "$kb" ]; then
      [ "$kb" -gt "$peak" ] && peak=$kb
      printf '| %s | %d | %.1f |\n' "$2" $((SECONDS - start)) "$(echo "$kb / 1024" | bc -l)"
    fi
  done
  wait "$pipeline" || true
  echo "$peak" >"$out/peak.$1"
  echo "$((SECONDS - start))" >"$out/seconds.$1"
}

echo "| cache | seconds | RSS MiB |"
echo "|---|---:|---:|"
soak "$max_entries" "max_entries $max_entries"
soak 1 "max_entries 1"

stat() { grep -o "\"$1\":[0-9]*" "$out/stats.$2" | cut -d: -f2; }
echo
for m in "$max_entries" 1; do
  echo "max_entries $m: $lines lines over $keys keys in $(cat "$out/seconds.$m") s; at the end entries $(stat entries "$m"), evictions $(stat evictions "$m"); peak RSS $(echo "$(cat "$out/peak.$m") / 1024" | bc) MiB"
done
printf 'RSS per cached entry: about %.0f bytes (peak difference / %d entries)\n' \
  "$(echo "($(cat "$out/peak.$max_entries") - $(cat "$out/peak.1")) * 1024 / $max_entries" | bc -l)" "$max_entries"
