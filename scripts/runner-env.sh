# Sourced (from the repository root) by the scripts that drive the bundled runner: builds the node and
# the runner unless SKIP_BUILD=1, and sets $runner to the runner's assembly.
if [ "${SKIP_BUILD:-}" != 1 ]; then
  scripts/build.sh >&2
  dotnet build maelstrom/CacheNode.Maelstrom -c Release -nologo -v quiet >&2
fi
runner=maelstrom/CacheNode.Maelstrom/bin/Release/net10.0/CacheNode.Maelstrom.dll
