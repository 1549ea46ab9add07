#!/usr/bin/env bash
# A third-party style lin-kv node for the runner's tests, and the classic wrong one: every node process
# keeps its own private dictionary (a bash associative array) and answers read / write / cas from it,
# never talking to other nodes or to lin-kv. A read of a missing key is error 20, a cas on a missing key
# is error 20 (unless the request sets create_if_not_exists to true), and a cas whose from does not
# match is error 22. With one node it is a correct register store; with more than one, a client
# reading through another node sees a stale value, so a linearizability checker must reject it.
# Any other request type is answered with error 10 "not supported". It speaks only Maelstrom's protocol.
#
# Plain bash (no jq, sed or other tools per message). Limits of the regex parsing:
# - key, value, from and to must be JSON scalars (integers, other numbers, strings, true/false/null);
#   a request whose field is missing or is an object or array gets error 12 "malformed request".
# - Keys and values are kept and compared as raw JSON text: 1 and 1.0, or "a" and "\u0061", are different.
# - The body may hold nested objects: they are set aside before fields are read, so a nested field never
#   shadows a body field. This step treats strings as opaque, but braces inside two different string
#   values of one message with nested objects could still confuse it.
# - Fields are matched by name anywhere in their object, in any order, with optional whitespace around
#   the colon; the first occurrence of a duplicated name wins.
# - A request without msg_id is still served; its reply then carries no in_reply_to. Messages that are
#   replies (they carry in_reply_to) are logged to stderr and dropped.
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
next_id=0    # msg_ids of this node's replies
declare -A data   # raw JSON key -> raw JSON value

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

# quoted TEXT: sets REPLY to TEXT escaped for use inside a JSON string.
quoted() {
  REPLY=${1//\\/\\\\}
  REPLY=${REPLY//\"/\\\"}
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
  if field in_reply_to "$BODY"; then
    echo "dropping a reply; this node sends no requests: $line" >&2
    continue
  fi
  request_id=''
  field msg_id "$BODY" && request_id=$REPLY

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
