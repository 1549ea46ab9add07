#!/usr/bin/env bash
# For the runner's kill test: an echo node that, when its input ends, writes a marker file named after
# itself into $EOF_MARKER_DIR and exits 0. A real crash (SIGKILL) never gets there; a node whose stdin is
# closed first does.
source "$(dirname "${BASH_SOURCE[0]}")/simple-echo.sh"
while IFS= read -r line; do
  answer "$line" || true
done
touch "${EOF_MARKER_DIR:-/tmp}/$me-$$.eof"
