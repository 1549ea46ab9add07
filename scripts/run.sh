#!/usr/bin/env bash
# The main job, for now: builds CacheNode and pipes one scripted session through a single node under
# each write strategy, showing every request and reply and checking each reply against what the
# contract promises. A verdict line per strategy; exits non-zero if any reply is wrong.
#
# This is a scripted demo on one node with the embedded database, not a Maelstrom test: the local
# Maelstrom-compatible runner (multi-node, lin-kv, partitions, linearizability checker) is the next
# piece of work and will replace this script.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${SKIP_BUILD:-}" = 1 ] || scripts/build.sh

# Each step: the request body (msg_id is added), then what the reply must contain.
steps=(
  '{"type":"read","key":"a"}|"type":"error","code":20'
  '{"type":"write","key":"a","value":1}|"type":"write_ok"'
  '{"type":"read","key":"a"}|"type":"read_ok","value":1,'
  '{"type":"cas","key":"a","from":1,"to":2}|"type":"cas_ok"'
  '{"type":"cas","key":"a","from":1,"to":3}|"type":"error","code":22'
  '{"type":"read","key":"a"}|"type":"read_ok","value":2,'
  '{"type":"invalidate","key":"a"}|"type":"invalidate_ok"'
  '{"type":"read","key":"a"}|"type":"read_ok","value":2,'
  '{"type":"write","key":"b","value":{"x":[1,2]}}|"type":"write_ok"'
  '{"type":"read","key":"b"}|"type":"read_ok","value":{"x":[1,2]},'
  '{"type":"cas","key":"c","from":0,"to":5,"create_if_not_exists":true}|"type":"cas_ok"'
  '{"type":"read","key":"c"}|"type":"read_ok","value":5,'
  '{"type":"flush"}|"type":"flush_ok"'
  '{"type":"stats"}|"type":"stats_ok"'
)

session() {
  echo '{"src":"c1","dest":"n1","body":{"type":"init","msg_id":1,"node_id":"n1","node_ids":["n1"]}}'
  local id=2
  for step in "${steps[@]}"; do
    local body=${step%%|*}
    echo "{\"src\":\"c1\",\"dest\":\"n1\",\"body\":${body%\}},\"msg_id\":$id}}"
    id=$((id + 1))
  done
}

overall=0
for strategy in write-through cache-aside write-behind; do
  echo
  echo "=== $strategy: one node, embedded database"
  replies=$(session | CACHENODE_STRATEGY=$strategy CACHENODE_LOG=warn scripts/cachenode)
  ok=0
  bad=0
  id=2
  for step in "${steps[@]}"; do
    body=${step%%|*}
    want=${step#*|}
    got=$(grep -F "\"in_reply_to\":$id," <<<"$replies" || true)
    got_body=${got#*\"body\":}
    if [[ "$got" == *"$want"* ]]; then
      ok=$((ok + 1))
      printf '  -> %s\n  <- %s\n' "$body" "${got_body%\}}"
    else
      bad=$((bad + 1))
      printf '  -> %s\n  <- %s   WRONG: expected %s\n' "$body" "${got_body%\}}" "$want"
    fi
    id=$((id + 1))
  done
  if [ "$bad" -eq 0 ]; then
    echo "VERDICT $strategy: valid ($ok of ${#steps[@]} replies as the contract says)"
  else
    echo "VERDICT $strategy: INVALID ($bad of ${#steps[@]} replies wrong)"
    overall=1
  fi
done
exit "$overall"
