#!/usr/bin/env bash
# Runs README's main job under the real Maelstrom (a JVM program) where it is installed: the same
# 3-node lin-kv test with partitions, once per write strategy. Finds Maelstrom through MAELSTROM_HOME
# (the unpacked release, holding the `maelstrom` script) or `maelstrom` on PATH. Extra arguments are
# passed to every `maelstrom test` (e.g. --time-limit 60).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -n "${MAELSTROM_HOME:-}" ] && [ -x "$MAELSTROM_HOME/maelstrom" ]; then
  maelstrom="$MAELSTROM_HOME/maelstrom"
elif command -v maelstrom >/dev/null 2>&1; then
  maelstrom=$(command -v maelstrom)
else
  cat >&2 <<'MSG'
maelstrom.sh: Maelstrom is not installed here.
  Get a release from https://github.com/jepsen-io/maelstrom/releases (it needs a JDK, Graphviz and
  gnuplot), unpack it, and set MAELSTROM_HOME to the unpacked folder (or put `maelstrom` on PATH).
  Without it, scripts/run.sh runs the same tests with the bundled local runner.
MSG
  exit 2
fi

scripts/build.sh
status=0
for strategy in write-through cache-aside write-behind; do
  cmd=("$maelstrom" test -w lin-kv --bin scripts/cachenode --node-count 3 --time-limit 20 --rate 100
       --concurrency 2n --latency 5 --nemesis partition "$@")
  echo "+ CACHENODE_STRATEGY=$strategy ${cmd[*]}"
  if CACHENODE_STRATEGY=$strategy "${cmd[@]}"; then
    echo "VERDICT $strategy: valid (real Maelstrom)"
  else
    echo "VERDICT $strategy: INVALID or failed (real Maelstrom; see store/latest)"
    status=1
  fi
done
exit "$status"
