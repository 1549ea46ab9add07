#!/usr/bin/env bash
# A third-party style lin-kv node for the runner's tests that knows nothing of CacheNode's extra
# requests: it is the lin-kv proxy (lin-kv-proxy-node.sh, which this script runs in its place), so
# read / write / cas are forwarded to lin-kv and answered correctly, while flush, stats and any other
# unknown request type get error 10 "not supported". See lin-kv-proxy-node.sh for the parsing limits.
here=.
[[ ${BASH_SOURCE[0]} == */* ]] && here=${BASH_SOURCE[0]%/*}
exec "$BASH" "$here/lin-kv-proxy-node.sh" "$@"
