#!/usr/bin/env bash
# A broken node for the runner's own tests: answers init correctly, then answers every echo with an
# in_reply_to that is a string, not the request's integer msg_id.
while IFS= read -r line; do
  id=$(sed -E 's/.*"msg_id":([0-9]+).*/\1/' <<<"$line")
  src=$(sed -E 's/.*"src":"([^"]+)".*/\1/' <<<"$line")
  me=$(sed -E 's/.*"dest":"([^"]+)".*/\1/' <<<"$line")
  case "$line" in
    *'"type":"init"'*) echo "{\"src\":\"$me\",\"dest\":\"$src\",\"body\":{\"type\":\"init_ok\",\"in_reply_to\":$id}}" ;;
    *'"type":"echo"'*) echo "{\"src\":\"$me\",\"dest\":\"$src\",\"body\":{\"type\":\"echo_ok\",\"echo\":\"x\",\"in_reply_to\":\"$id\"}}" ;;
  esac
done
