#!/usr/bin/env bash
# For the runner's fail-fast test: a node that prints a banner on stdout before it answers init (a
# common mistake). Maelstrom stops routing its output at that line, so its init_ok can never arrive.
echo "garbage-before-init-node: about to print a banner on stdout" >&2
echo "Starting garbage-before-init-node v1.0"
while IFS= read -r line; do
  :
done
