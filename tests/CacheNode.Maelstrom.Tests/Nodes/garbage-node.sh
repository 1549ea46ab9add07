#!/usr/bin/env bash
# A broken node for the runner's own tests: answers init correctly, then writes a line that is not a
# Maelstrom message to stdout (a stray debug print), and echoes otherwise.
while IFS= read -r line; do
  id=$(sed -E 's/.*"msg_id":([0-9]+).*/\1/' <<<"$line")
  src=$(sed -E 's/.*"src":"([^"]+)".*/\1/' <<<"$line")
  me=$(sed -E 's/.*"dest":"([^"]+)".*/\1/' <<<"$line")
  case "$line" in
    *'"type":"init"'*)
      echo "{\"src\":\"$me\",\"dest\":\"$src\",\"body\":{\"type\":\"init_ok\",\"in_reply_to\":$id}}"
      echo "DEBUG: initialized"
      ;;
    *'"type":"echo"'*)
      echo_value=$(sed -E 's/.*"echo":("[^"]*").*/\1/' <<<"$line")
      echo "{\"src\":\"$me\",\"dest\":\"$src\",\"body\":{\"type\":\"echo_ok\",\"echo\":$echo_value,\"in_reply_to\":$id}}"
      ;;
  esac
done
