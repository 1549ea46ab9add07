#!/usr/bin/env bash
# A third-party style lin-kv node for the runner's tests: a stateless proxy that speaks only Maelstrom's
# protocol. It answers init with init_ok and forwards each client read / write / cas to the lin-kv
# service under a fresh msg_id, remembering which client request that id stands for; when lin-kv
# answers, the client gets read_ok {value}, write_ok, cas_ok, or lin-kv's error with the same code and
# text. Any number of requests may be outstanding; the node never waits for a reply. Any other request
# type (flush, stats, ...) is answered with error 10 "not supported". Its histories are linearizable
# because lin-kv's are. flush-error-node.sh runs this same script.
#
# Plain bash (no jq, sed or other tools per message). Limits of the regex parsing:
# - key, value, from and to must be JSON scalars (integers, other numbers, strings, true/false/null);
#   a request whose field is missing or is an object or array gets error 12 "malformed request".
# - The body may hold nested objects: they are set aside before fields are read, so a nested field never
#   shadows a body field. This step treats strings as opaque, but braces inside two different string
#   values of one message with nested objects could still confuse it.
# - Fields are matched by name anywhere in their object, in any order, with optional whitespace around
#   the colon; the first occurrence of a duplicated name wins. Scalars are copied as raw JSON text, so
#   strings keep their escapes, and a number is passed on exactly as written.
# - A request without msg_id is still served; its reply then carries no in_reply_to.
# - A reply whose in_reply_to matches no outstanding request (or does not come from lin-kv) is logged
#   to stderr and dropped; replies are never answered.
# Logs go to stderr only.

string_re='"(\\.|[^"\\])*"'
scalar_re="($string_re|-?[0-9][-+.eE0-9]*|true|false|null)"
ws='[[:space:]]*'
# An object with no object inside it (strings are skipped whole, so a brace in a string does not count).
innermost_re="\\{([^{}\"]|$string_re)*\\}"

# field NAME TEXT: sets REPLY to the raw JSON text of scalar field NAME in TEXT; fails if there is none.
field() {
  local re="\"$1\"$ws:$ws$scalar_re"
  [[ $2 =~ $re ]] || return 1
  REPLY=${BASH_REMATCH[1]}
}

# split LINE: sets TOP to the message's own fields and BODY to its body's fields, with nested objects
# replaced by @n@ placeholders so that their fields are not mistaken for the body's.
split() {
  local s=$1 braces=${1//[^\{]/} object n=0
  local -a parts
  if (( ${#braces} == 2 )); then
    # Only the message and its body are objects: their field names (src, dest, id / type, msg_id, ...)
    # do not overlap, so both can be read from the whole line.
    TOP=$1 BODY=$1
    return 0
  fi
  while [[ $s =~ $innermost_re ]]; do
    object=${BASH_REMATCH[0]}
    parts[n]=$object
    s=${s/"$object"/@$n@}
    ((n++))
  done
  (( n > 0 )) || return 1
  TOP=${parts[n-1]}
  local body_re="\"body\"$ws:$ws@([0-9]+)@"
  [[ $TOP =~ $body_re ]] || return 1
  BODY=${parts[BASH_REMATCH[1]]}
}

me=''        # this node's id as a JSON string, from init (or, before init, the dest of what we receive)
next_id=0    # msg_ids this node sends: to lin-kv and on its replies
declare -A client_of request_id_of expected_of   # fresh lin-kv msg_id -> client, client msg_id, ok type

# reply DEST REQUEST_MSG_ID BODY_FIELDS: sends a reply body {BODY_FIELDS,"in_reply_to":..,"msg_id":..}.
reply() {
  local in_reply_to=''
  [[ -n $2 ]] && in_reply_to=",\"in_reply_to\":$2"
  ((next_id++))
  printf '{"src":%s,"dest":%s,"body":{%s%s,"msg_id":%d}}\n' "$me" "$1" "$3" "$in_reply_to" "$next_id"
}

error() { # error DEST REQUEST_MSG_ID CODE TEXT_AS_JSON_STRING
  reply "$1" "$2" "\"type\":\"error\",\"code\":$3,\"text\":$4"
}

while IFS= read -r line || [[ -n $line ]]; do
  [[ -n $line ]] || continue
  if ! split "$line" || ! field src "$TOP"; then
    echo "ignoring a line that is not a message: $line" >&2
    continue
  fi
  src=$REPLY
  if [[ -z $me ]] && field dest "$TOP"; then me=$REPLY; fi
  if ! field type "$BODY"; then
    echo "ignoring a message without a type: $line" >&2
    continue
  fi
  type=$REPLY
  request_id=''
  field msg_id "$BODY" && request_id=$REPLY

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
