# Sourced by the bash test nodes: just enough of Maelstrom's protocol, in plain bash (no jq, sed or
# other tools per message). Limits of the regex parsing:
# - key, value, from and to must be JSON scalars (integers, other numbers, strings, true/false/null).
# - The body may hold nested objects: they are set aside before fields are read, so a nested field never
#   shadows a body field. This step treats strings as opaque, but braces inside two different string
#   values of one message with nested objects could still confuse it.
# - Fields are matched by name anywhere in their object, in any order, with optional whitespace around
#   the colon; the first occurrence of a duplicated name wins. Scalars are copied as raw JSON text, so
#   strings keep their escapes, and a number is passed on exactly as written.

me=''        # this node's id as a JSON string, from init (or, before init, the dest of what it receives)
next_id=0    # msg_ids this node sends

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

# parse_message LINE: sets src, type and request_id (empty without msg_id) from a message, and me from
# its dest until init names it; logs to stderr and fails for a line that is not a message or has no type.
parse_message() {
  if ! split "$1" || ! field src "$TOP"; then
    echo "ignoring a line that is not a message: $1" >&2
    return 1
  fi
  src=$REPLY
  if [[ -z $me ]] && field dest "$TOP"; then me=$REPLY; fi
  if ! field type "$BODY"; then
    echo "ignoring a message without a type: $1" >&2
    return 1
  fi
  type=$REPLY
  request_id=''
  field msg_id "$BODY" && request_id=$REPLY
  return 0
}
