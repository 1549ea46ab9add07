#!/usr/bin/env bash
# Long fuzz runs of the real node process: the seeded hostile-line generator and store model of
# tests/CacheNode.IntegrationTests/Fuzz (CI runs it with 20,000 lines), here with many more lines and
# seeds. Prints one line per seed: lines, replies, lines dropped as documented, time, faults.
#   scripts/fuzz.sh [lines=1000000] [seeds="1"]
set -euo pipefail
cd "$(dirname "$0")/.."
lines=${1:-1000000}
seeds=${2:-1}
dotnet build tests/CacheNode.IntegrationTests -c Release -nologo -v quiet >&2
status=0
for seed in $seeds; do
  FUZZ_LINES=$lines FUZZ_SEED=$seed dotnet test tests/CacheNode.IntegrationTests -c Release --no-build \
      --filter "FullyQualifiedName~Fuzz.FuzzTests" --logger "console;verbosity=normal" >/tmp/fuzz.$$.log 2>&1 || status=1
  grep -aE "fuzz seed" /tmp/fuzz.$$.log | sed 's/^ *//'
  [ "$status" -eq 0 ] || grep -aE "msg |expected|stderr|exit code" /tmp/fuzz.$$.log | head -20
done
rm -f /tmp/fuzz.$$.log
exit "$status"
