#!/usr/bin/env bash
# Builds CacheNode and its benchmark in Release, then runs the benchmark; arguments pass through.
# Usage: scripts/bench.sh [--requests N] [--peer "CMD"] [--out FILE]   (--help for the rest)
# The Markdown report goes to stdout (and --out FILE); build output and progress go to stderr.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Build from the repository root so its global.json picks the SDK; run from the caller's directory so
# a relative --out lands where the caller expects.
(
  cd "$root"
  dotnet build src/CacheNode -c Release -nologo -v quiet
  dotnet build src/CacheNode.Bench -c Release -nologo -v quiet
) >&2

# --node comes first so that a --node in "$@" wins.
exec dotnet "$root/src/CacheNode.Bench/bin/Release/net10.0/CacheNode.Bench.dll" \
  --node "$root/src/CacheNode/bin/Release/net10.0/CacheNode.dll" "$@"
