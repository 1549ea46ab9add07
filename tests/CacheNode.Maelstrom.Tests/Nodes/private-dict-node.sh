#!/usr/bin/env bash
# A third-party style lin-kv node for the runner's tests, and the classic wrong one: every node process
# keeps its own private dictionary (a bash associative array) and answers read / write / cas from it,
# never talking to other nodes or to lin-kv. A read of a missing key is error 20, a cas on a missing key
# is error 20 (unless the request sets create_if_not_exists to true), and a cas whose from does not
# match is error 22. With one node it is a correct register store; with more than one, a client
# reading through another node sees a stale value, so a linearizability checker must reject it.
# Any other request type is answered with error 10 "not supported". It speaks only Maelstrom's protocol.
#
# Messages are parsed by maelstrom-protocol.sh (plain bash; its limits are listed there). Keys, values,
# from and to must be JSON scalars: a request whose field is missing or is an object or array gets
# error 12 "malformed request".
# - Keys and values are kept and compared as raw JSON text: 1 and 1.0, or "a" and "\u0061", are different.
# - A request without msg_id is still served; its reply then carries no in_reply_to. Messages that are
#   replies (they carry in_reply_to) are logged to stderr and dropped.
# Logs go to stderr only.

source "$(dirname "${BASH_SOURCE[0]}")/maelstrom-protocol.sh"
declare -A data   # raw JSON key -> raw JSON value

# quoted TEXT: sets REPLY to TEXT escaped for use inside a JSON string.
quoted() {
  REPLY=${1//\\/\\\\}
  REPLY=${REPLY//\"/\\\"}
}

while IFS= read -r line || [[ -n $line ]]; do
  [[ -n $line ]] || continue
  parse_message "$line" || continue
  if field in_reply_to "$BODY"; then
    echo "dropping a reply; this node sends no requests: $line" >&2
    continue
  fi

  case $type in
    '"init"')
      field node_id "$BODY" && me=$REPLY
      printf '{"src":%s,"dest":%s,"body":{"type":"init_ok","in_reply_to":%s}}\n' "$me" "$src" "${request_id:-null}"
      continue
      ;;
    '"read"') names=(key) ;;
    '"write"') names=(key value) ;;
    '"cas"') names=(key from to) ;;
    *)
      error "$src" "$request_id" 10 '"not supported"'
      continue
      ;;
  esac

  declare -A arg=()
  malformed=''
  for name in "${names[@]}"; do
    if field "$name" "$BODY"; then arg[$name]=$REPLY; else malformed=$name; break; fi
  done
  if [[ -n $malformed ]]; then
    error "$src" "$request_id" 12 "\"malformed request: $malformed is missing or not a scalar\""
    continue
  fi
  key=${arg[key]}

  case $type in
    '"read"')
      if [[ -n ${data[$key]+set} ]]; then
        reply "$src" "$request_id" "\"type\":\"read_ok\",\"value\":${data[$key]}"
      else
        error "$src" "$request_id" 20 '"key does not exist"'
      fi
      ;;
    '"write"')
      data[$key]=${arg[value]}
      reply "$src" "$request_id" '"type":"write_ok"'
      ;;
    '"cas"')
      if [[ -z ${data[$key]+set} ]]; then
        if field create_if_not_exists "$BODY" && [[ $REPLY == true ]]; then
          data[$key]=${arg[to]}
          reply "$src" "$request_id" '"type":"cas_ok"'
        else
          error "$src" "$request_id" 20 '"key does not exist"'
        fi
      elif [[ ${data[$key]} != "${arg[from]}" ]]; then
        quoted "current value ${data[$key]} is not ${arg[from]}"
        error "$src" "$request_id" 22 "\"$REPLY\""
      else
        data[$key]=${arg[to]}
        reply "$src" "$request_id" '"type":"cas_ok"'
      fi
      ;;
  esac
done
