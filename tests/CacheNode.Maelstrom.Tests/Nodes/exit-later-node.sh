#!/usr/bin/env bash
# For the runner's crash tests: an echo node that answers init and a few echoes, then exits 1 in the
# middle of the test, as a node that crashes would.
source "$(dirname "${BASH_SOURCE[0]}")/simple-echo.sh"
count=0
while IFS= read -r line; do
  if answer "$line"; then
    count=$((count + 1))
    if [ "$count" -ge 3 ]; then echo "exit-later-node: crashing on purpose" >&2; exit 1; fi
  fi
done
