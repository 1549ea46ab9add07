#!/usr/bin/env bash
# Builds CacheNode for running: a Release publish into artifacts/cachenode, precompiled (ReadyToRun)
# because Maelstrom waits for init_ok and precompiled code starts faster. Falls back to a plain
# Release publish where the ReadyToRun compiler package cannot be restored (an offline machine).
set -euo pipefail
cd "$(dirname "$0")/.."

out=artifacts/cachenode
case "$(uname -m)" in
  x86_64) rid=linux-x64 ;;
  aarch64 | arm64) rid=linux-arm64 ;;
  *) rid="" ;;
esac

if [ -n "$rid" ] && dotnet publish src/CacheNode -c Release -r "$rid" --self-contained false \
    -p:PublishReadyToRun=true -o "$out" -nologo -v quiet; then
  echo "built $out (ReadyToRun, $rid)" >&2
else
  echo "ReadyToRun publish unavailable; publishing a plain Release build" >&2
  dotnet publish src/CacheNode -c Release -o "$out" -nologo -v quiet
  echo "built $out" >&2
fi
