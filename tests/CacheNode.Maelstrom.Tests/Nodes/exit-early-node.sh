#!/usr/bin/env bash
# For the runner's crash tests: a node that cannot start. It says why on stderr and exits 3 before
# reading anything, as a node with a bad configuration would.
echo "exit-early-node: refusing to start (a test of the runner's crash handling)" >&2
exit 3
