#!/usr/bin/env bash
# Builds CacheNode for running into artifacts/cachenode, the fastest way this machine allows, and says
# which it built:
# - Native AOT (a native executable, artifacts/cachenode/CacheNode) where a C toolchain is present
#   (clang and zlib, e.g. `apt-get install clang zlib1g-dev`): it starts in milliseconds, and a node
#   that Maelstrom starts many times, or that a person pipes into, waits on start-up most of all;
# - else ReadyToRun (precompiled CacheNode.dll, run with dotnet);
# - else, where neither compiler package can be restored (an offline machine), a plain Release build.
# CACHENODE_BUILD=r2r skips the AOT attempt.
set -euo pipefail
cd "$(dirname "$0")/.."

out=artifacts/cachenode
case "$(uname -m)" in
  x86_64) rid=linux-x64 ;;
  aarch64 | arm64) rid=linux-arm64 ;;
  *) rid="" ;;
esac

# The first clang on PATH, plain or versioned (Debian installs clang-14 and may not link clang).
compiler=""
for candidate in clang $(compgen -c clang- 2>/dev/null | grep -E '^clang-[0-9]+$' | sort -t- -k2 -nr); do
  if command -v "$candidate" >/dev/null 2>&1; then compiler=$candidate; break; fi
done
has_zlib() { [ -e /usr/lib/x86_64-linux-gnu/libz.a ] || [ -e /usr/lib/aarch64-linux-gnu/libz.a ] || [ -e /usr/lib/libz.a ] || [ -e /usr/lib64/libz.a ]; }

rm -rf "$out"
if [ -n "$rid" ] && [ -n "$compiler" ] && has_zlib && [ "${CACHENODE_BUILD:-}" != r2r ] \
   && dotnet publish src/CacheNode -c Release -r "$rid" -p:PublishAot=true -p:CppCompilerAndLinker="$compiler" \
        -o "$out" -nologo -v quiet; then
  rm -f "$out"/*.dbg
  echo "built $out/CacheNode (Native AOT, $rid, $compiler)" >&2
elif [ -n "$rid" ] && dotnet publish src/CacheNode -c Release -r "$rid" --self-contained false \
    -p:PublishReadyToRun=true -o "$out" -nologo -v quiet; then
  echo "built $out/CacheNode.dll (ReadyToRun, $rid)" >&2
else
  echo "ReadyToRun publish unavailable; publishing a plain Release build" >&2
  dotnet publish src/CacheNode -c Release -o "$out" -nologo -v quiet
  echo "built $out/CacheNode.dll" >&2
fi
