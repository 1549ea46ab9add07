#!/usr/bin/env bash
# For the runner's kill test: an echo node that, when its input ends, writes a marker file named after
# itself into $EOF_MARKER_DIR and exits 0. A real crash (SIGKILL) never gets there; a node whose stdin is
# closed first does.
me=""
while IFS= read -r line; do
  [[ $line =~ \"msg_id\":([0-9]+) ]] && id=${BASH_REMATCH[1]}
  [[ $line =~ \"src\":\"([^\"]+)\" ]] && src=${BASH_REMATCH[1]}
  [[ $line =~ \"dest\":\"([^\"]+)\" ]] && me=${BASH_REMATCH[1]}
  case "$line" in
    *'"type":"init"'*) echo "{\"src\":\"$me\",\"dest\":\"$src\",\"body\":{\"type\":\"init_ok\",\"in_reply_to\":$id}}" ;;
    *'"type":"echo"'*)
      [[ $line =~ \"echo\":(\"[^\"]*\") ]] && value=${BASH_REMATCH[1]}
      echo "{\"src\":\"$me\",\"dest\":\"$src\",\"body\":{\"type\":\"echo_ok\",\"echo\":$value,\"in_reply_to\":$id}}"
      ;;
  esac
done
touch "${EOF_MARKER_DIR:-/tmp}/$me-$$.eof"
