#!/usr/bin/env bash
# Builds CacheNode as users run it (scripts/build.sh: Native AOT, else ReadyToRun) and its benchmark, then runs
# the benchmark against that build; arguments pass through.
# Usage: scripts/bench.sh [--requests N] [--peer "CMD"] [--out FILE]   (--help for the rest)
# The Markdown report goes to stdout (and --out FILE); build output and progress go to stderr.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Build from the repository root so its global.json picks the SDK; run from the caller's directory so
# a relative --out lands where the caller expects.
(
  cd "$root"
  scripts/build.sh
  dotnet build src/CacheNode.Bench -c Release -nologo -v quiet
) >&2

# The native executable if build.sh made one (Native AOT), else the assembly. --node comes first so
# that a --node in "$@" wins.
node="$root/artifacts/cachenode/CacheNode"
[ -x "$node" ] || node="$root/artifacts/cachenode/CacheNode.dll"
exec dotnet "$root/src/CacheNode.Bench/bin/Release/net10.0/CacheNode.Bench.dll" --node "$node" "$@"
