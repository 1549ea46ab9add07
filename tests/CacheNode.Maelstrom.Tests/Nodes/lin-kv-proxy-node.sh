#!/usr/bin/env bash
# A third-party style lin-kv node for the runner's tests: a stateless proxy that speaks only Maelstrom's
# protocol. It answers init with init_ok and forwards each client read / write / cas to the lin-kv
# service under a fresh msg_id, remembering which client request that id stands for; when lin-kv
# answers, the client gets read_ok {value}, write_ok, cas_ok, or lin-kv's error with the same code and
# text. Any number of requests may be outstanding; the node never waits for a reply. Any other request
# type (flush, stats, ...) is answered with error 10 "not supported". Its histories are linearizable
# because lin-kv's are. flush-error-node.sh runs this same script.
#
# Messages are parsed by maelstrom-protocol.sh (plain bash; its limits are listed there). Keys, values,
# from and to must be JSON scalars: a request whose field is missing or is an object or array gets
# error 12 "malformed request".
# - A request without msg_id is still served; its reply then carries no in_reply_to.
# - A reply whose in_reply_to matches no outstanding request (or does not come from lin-kv) is logged
#   to stderr and dropped; replies are never answered.
# Logs go to stderr only.

source "$(dirname "${BASH_SOURCE[0]}")/maelstrom-protocol.sh"
declare -A client_of request_id_of expected_of   # fresh lin-kv msg_id -> client, client msg_id, ok type

while IFS= read -r line || [[ -n $line ]]; do
  [[ -n $line ]] || continue
  parse_message "$line" || continue

  if field in_reply_to "$BODY"; then
    answered=$REPLY
    if [[ $src != '"lin-kv"' || ! $answered =~ ^[0-9]+$ || -z ${client_of[$answered]+set} ]]; then
      echo "dropping a reply that answers no outstanding request: $line" >&2
      continue
    fi
    client=${client_of[$answered]} client_request=${request_id_of[$answered]} expected=${expected_of[$answered]}
    unset "client_of[$answered]" "request_id_of[$answered]" "expected_of[$answered]"
    if [[ $type == '"error"' ]] && field code "$BODY" && [[ $REPLY =~ ^-?[0-9]+$ ]]; then
      code=$REPLY
      if field text "$BODY" && [[ $REPLY == \"* ]]; then
        error "$client" "$client_request" "$code" "$REPLY"
      else
        reply "$client" "$client_request" "\"type\":\"error\",\"code\":$code"
      fi
    elif [[ $type == '"read_ok"' && $expected == '"read_ok"' ]] && field value "$BODY"; then
      reply "$client" "$client_request" "\"type\":\"read_ok\",\"value\":$REPLY"
    elif [[ $type == "$expected" && $type != '"read_ok"' ]]; then
      reply "$client" "$client_request" "\"type\":$type"
    else
      echo "lin-kv sent an unexpected reply (wanted $expected): $line" >&2
      error "$client" "$client_request" 13 '"unexpected reply from lin-kv"'
    fi
    continue
  fi

  case $type in
    '"init"')
      field node_id "$BODY" && me=$REPLY
      printf '{"src":%s,"dest":%s,"body":{"type":"init_ok","in_reply_to":%s}}\n' "$me" "$src" "${request_id:-null}"
      ;;
    '"read"'|'"write"'|'"cas"')
      forward="\"type\":$type"
      names=(key)
      [[ $type == '"write"' ]] && names=(key value)
      [[ $type == '"cas"' ]] && names=(key from to)
      malformed=''
      for name in "${names[@]}"; do
        if field "$name" "$BODY"; then forward+=",\"$name\":$REPLY"; else malformed=$name; break; fi
      done
      if [[ -n $malformed ]]; then
        error "$src" "$request_id" 12 "\"malformed request: $malformed is missing or not a scalar\""
        continue
      fi
      if [[ $type == '"cas"' ]] && field create_if_not_exists "$BODY"; then
        forward+=",\"create_if_not_exists\":$REPLY"
      fi
      ((next_id++))
      client_of[$next_id]=$src request_id_of[$next_id]=$request_id expected_of[$next_id]="\"${type:1:-1}_ok\""
      printf '{"src":%s,"dest":"lin-kv","body":{%s,"msg_id":%d}}\n' "$me" "$forward" "$next_id"
      ;;
    *)
      error "$src" "$request_id" 10 '"not supported"'
      ;;
  esac
done
