#!/usr/bin/env bash
# Detection power, side by side: how often does a run catch CacheNode with an order that is NOT
# linearizable? For each order in ORDERS (default both):
#   write-first  CACHENODE_UNSAFE_WRITE_FIRST=1: database write first, peers revoked after, then the ack
#   ack-first    CACHENODE_UNSAFE_ACK_FIRST=1: database write, ack, peers revoked after the ack
#   no-backup    CACHENODE_UNSAFE_NO_BACKUP=1: write-behind keeps dirty entries on their owner alone;
#                runs with the runner-only kill nemesis, so a crash loses acked writes not yet flushed
# ten seeded runs in the runner's fidelity mode (what `maelstrom test` does), and ten with the runner
# as it was before fidelity mode (git commit c77b6c0: client hops delayed, 8 uniform keys, 50/25/25,
# symmetric partitions), built into a temporary worktree. Prints one line per run and a summary.
#   [ORDERS="write-first ack-first"] scripts/detection-power.sh [runs=10] [extra runner args...]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
shift || true
old_commit=c77b6c0

source scripts/runner-env.sh
old=$(mktemp -d)
trap 'git worktree remove --force "$old/src" >/dev/null 2>&1 || true; rm -rf "$old"' EXIT
git worktree add -q "$old/src" "$old_commit"
dotnet build "$old/src/maelstrom/CacheNode.Maelstrom" -c Release -nologo -v quiet -o "$old/bin" >&2
store=$(mktemp -d)

orders=${ORDERS:-write-first ack-first no-backup}
for order in $orders; do
  case $order in
    write-first) unsafe=CACHENODE_UNSAFE_WRITE_FIRST=1 ;;
    ack-first) unsafe=CACHENODE_UNSAFE_ACK_FIRST=1 ;;
    no-backup) unsafe=CACHENODE_UNSAFE_NO_BACKUP=1 ;;
    *) echo "unknown order: $order" >&2; exit 2 ;;
  esac
  strategy=(--env CACHENODE_STRATEGY=write-through)
  checks=()
  if [ "$order" = no-backup ]; then
    # The old runner always flushed, read the database back and checked lost writes; fidelity mode
    # does so only when asked (--node-checks).
    strategy=(--env CACHENODE_STRATEGY=write-behind --env CACHENODE_WRITE_DELAY_MS=1000 --nemesis kill --nemesis-interval 2)
    checks=(--node-checks)
  fi
  common=(test -w lin-kv --bin scripts/cachenode --node-count 3 --time-limit 10 --rate 100 --concurrency 2n --latency 5
          "${strategy[@]}" --env "$unsafe" --env CACHENODE_LOG=warn --store "$store" "$@")
  caught_new=0
  caught_old=0
  for seed in $(seq 1 "$runs"); do
    new=$(dotnet "$runner" "${common[@]}" "${checks[@]}" --seed "$seed" 2>&1 | tail -n 1) || true
    before=$(dotnet "$old/bin/CacheNode.Maelstrom.dll" "${common[@]}" --seed "$seed" 2>&1 | tail -n 1) || true
    [[ $new == INVALID* ]] && caught_new=$((caught_new + 1))
    [[ $before == INVALID* ]] && caught_old=$((caught_old + 1))
    echo "$order seed $seed: fidelity ${new%%:*}, old ${before%%:*}"
  done
  echo "$order caught: fidelity mode $caught_new/$runs, old mode $caught_old/$runs"
done
