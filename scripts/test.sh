#!/usr/bin/env bash
# Runs every test suite (unit tests, golden/integration tests against the built process, and the
# local Maelstrom runner's tests, which run real nodes under it) and
# ends with one line: "N passed, N failed[, N skipped]". Exits non-zero if anything failed.
#   scripts/test.sh          everything (what CI runs)
#   scripts/test.sh --fast   the inner loop: leaves out tests marked [Trait("Category", "EndToEnd")]
#                            (clusters over time, full runner runs): about a minute instead of five
set -uo pipefail
cd "$(dirname "$0")/.."

filter=()
case "${1:-}" in
  --fast) filter=(--filter "Category!=EndToEnd") ;;
  "") ;;
  *) echo "usage: scripts/test.sh [--fast]" >&2; exit 2 ;;
esac

log=$(mktemp)
trap 'rm -f "$log"' EXIT

# The build's status is taken directly: a failed build must never leave the suites to run old binaries.
dotnet build CacheNode.sln -c Release -nologo -v quiet >>"$log" 2>&1
build_status=$?
grep -E "error|Warn|warn" "$log" | sort -u || true
if [ "$build_status" -ne 0 ]; then
  echo "build failed" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

status=0
for project in tests/CacheNode.UnitTests tests/CacheNode.IntegrationTests tests/CacheNode.Maelstrom.Tests; do
  echo "== $project" >&2
  dotnet test "$project" -c Release --no-build -nologo "${filter[@]}" 2>&1 | tee -a "$log" | grep -vE "^\s*$" >&2
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
done

# Sum the runners' own summary lines, e.g. "Passed!  - Failed:     0, Passed:    78, Skipped:     0, ...".
read -r passed failed skipped < <(grep -E "^(Passed|Failed)! +- Failed:" "$log" | awk -F'[:,]' '
  { f += $2; p += $4; s += $6 } END { printf "%d %d %d\n", p, f, s }')
runs=$(grep -cE "^(Passed|Failed)! +- Failed:" "$log")
if [ "$runs" -lt 3 ]; then
  echo "expected a summary from each of the 3 test projects, found $runs" >&2
  status=1
  failed=$((failed + 1))
fi
[ "$failed" -eq 0 ] || status=1

if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
exit "$status"
