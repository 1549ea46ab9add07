#!/usr/bin/env bash
# For the runner's crash tests: an echo node that answers init and a few echoes, then exits 1 in the
# middle of the test, as a node that crashes would.
count=0
while IFS= read -r line; do
  [[ $line =~ \"msg_id\":([0-9]+) ]] && id=${BASH_REMATCH[1]}
  [[ $line =~ \"src\":\"([^\"]+)\" ]] && src=${BASH_REMATCH[1]}
  [[ $line =~ \"dest\":\"([^\"]+)\" ]] && me=${BASH_REMATCH[1]}
  case "$line" in
    *'"type":"init"'*) echo "{\"src\":\"$me\",\"dest\":\"$src\",\"body\":{\"type\":\"init_ok\",\"in_reply_to\":$id}}" ;;
    *'"type":"echo"'*)
      [[ $line =~ \"echo\":(\"[^\"]*\") ]] && value=${BASH_REMATCH[1]}
      echo "{\"src\":\"$me\",\"dest\":\"$src\",\"body\":{\"type\":\"echo_ok\",\"echo\":$value,\"in_reply_to\":$id}}"
      count=$((count + 1))
      if [ "$count" -ge 3 ]; then echo "exit-later-node: crashing on purpose" >&2; exit 1; fi
      ;;
  esac
done
