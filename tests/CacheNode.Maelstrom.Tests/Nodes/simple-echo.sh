# Sourced by the simplest test nodes (flat messages, string echoes): answers init and echo, no more.
me=""

# answer LINE: replies to an init or an echo (learning this node's id from dest); returns 0 only after
# answering an echo.
answer() {
  local id="" src="" value=""
  [[ $1 =~ \"msg_id\":([0-9]+) ]] && id=${BASH_REMATCH[1]}
  [[ $1 =~ \"src\":\"([^\"]+)\" ]] && src=${BASH_REMATCH[1]}
  [[ $1 =~ \"dest\":\"([^\"]+)\" ]] && me=${BASH_REMATCH[1]}
  case "$1" in
    *'"type":"init"'*)
      echo "{\"src\":\"$me\",\"dest\":\"$src\",\"body\":{\"type\":\"init_ok\",\"in_reply_to\":$id}}"
      return 1
      ;;
    *'"type":"echo"'*)
      [[ $1 =~ \"echo\":(\"[^\"]*\") ]] && value=${BASH_REMATCH[1]}
      echo "{\"src\":\"$me\",\"dest\":\"$src\",\"body\":{\"type\":\"echo_ok\",\"echo\":$value,\"in_reply_to\":$id}}"
      return 0
      ;;
  esac
  return 1
}
