#!/usr/bin/env bash
# Runs the HTTP cache-tests suite (http-cache-tests 0.4.5, cache-tests.fyi) against the edge engine in
# standalone mode, and with --peers against Debian's nginx and Varnish configured as in the suite's own
# docker folder, all in one run. Prints `name required P/T optimal P/T` per cache, scored by the suite's
# rules (a test whose dependency failed does not count as passed).
# --floor R O fails the run (exit 1) when the edge passes fewer than R required or O optimal tests; scripts/test.sh
# runs it so that the score cannot drop unnoticed.
# Usage: scripts/cache-conformance.sh [--peers] [--failures] [--keep DIR] [--floor R O]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
peers=0; failures=""; keep=""; floor=()
while [ $# -gt 0 ]; do
  case "$1" in
    --peers) peers=1 ;;
    --failures) failures="--failures" ;;
    --keep) keep="$2"; shift ;;
    --floor) floor=(--floor "$2" "$3"); shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

suite_home=${XDG_CACHE_HOME:-$HOME/.cache}/cdn-cache-tests
suite=$suite_home/node_modules/http-cache-tests
if [ ! -f "$suite/package.json" ] || ! grep -q '"version": "0.4.5"' "$suite/package.json"; then
  mkdir -p "$suite_home"
  (cd "$suite_home" && npm init -y >/dev/null && npm install --no-audit --no-fund http-cache-tests@0.4.5 >/dev/null)
fi
if [ $peers = 1 ]; then
  for tool in nginx varnishd; do
    command -v $tool >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx varnish >/dev/null; break; }
  done
fi

work=$(mktemp -d); chmod 755 "$work"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; [ -n "$keep" ] && cp -r "$work"/*.json "$keep"/ 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_for() { for _ in $(seq 100); do curl -s -o /dev/null "$1" && return 0; sleep 0.1; done; echo "nothing answers at $1" >&2; return 1; }

origin_port=$(free_port)
(cd "$suite" && npm_config_port=$origin_port npm_config_protocol=http npm_config_pidfile="$work/server.pid" exec node server/server.mjs >"$work/server.log" 2>&1) &
pids+=($!)
wait_for "http://127.0.0.1:$origin_port/"

dotnet build src/CdnPlatform.Edge -c Release -nologo -v quiet >/dev/null
edge_port=$(free_port)
dotnet src/CdnPlatform.Edge/bin/Release/net10.0/CdnPlatform.Edge.dll --origin "http://127.0.0.1:$origin_port" \
  --urls "http://127.0.0.1:$edge_port" --Logging:LogLevel:Default Warning \
  --Edge:Sites:0:CacheResponsesWithSetCookie true >"$work/edge.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$edge_port/healthz"
targets=("cdnplatform=127.0.0.1:$edge_port")

if [ $peers = 1 ]; then
  nginx_port=$(free_port)
  mkdir -p "$work/ncache/tmp"; chmod -R 777 "$work/ncache"
  # The suite's docker/nginx/nginx.conf, with its paths and ports made local.
  sed -e "s#/var/cache/nginx/tmp#$work/ncache/tmp#; s#/var/cache/nginx#$work/ncache#; s#listen *8002#listen 127.0.0.1:$nginx_port#; s#localhost:8000#127.0.0.1:$origin_port#" \
    "$suite/docker/nginx/nginx.conf" > "$work/site.conf"
  cat > "$work/nginx.conf" <<NG
worker_processes 1; pid $work/nginx.pid; error_log $work/nginx.err; daemon off;
events { worker_connections 2048; }
http { access_log off; include $work/site.conf; }
NG
  nginx -c "$work/nginx.conf" & pids+=($!)
  varnish_port=$(free_port)
  # Debian's default.vcl with the backend moved to the suite's origin, and the docker folder's varnishd flags.
  sed -e "s/\.port = \"8080\"/.port = \"$origin_port\"/" /etc/varnish/default.vcl > "$work/default.vcl"
  varnishd -F -j unix -a "127.0.0.1:$varnish_port" -f "$work/default.vcl" -n "$work/varnish" \
    -p default_ttl=0 -p default_grace=0 -p default_keep=3600 -s malloc,64M >"$work/varnish.log" 2>&1 & pids+=($!)
  wait_for "http://127.0.0.1:$nginx_port/"; wait_for "http://127.0.0.1:$varnish_port/"
  targets+=("nginx=127.0.0.1:$nginx_port" "varnish=127.0.0.1:$varnish_port")
fi

for t in "${targets[@]}"; do
  name=${t%%=*}; addr=${t#*=}
  (cd "$suite" && npm run --silent cli --base="http://$addr" 2>/dev/null) > "$work/$name.json"
  if [ "$name" = cdnplatform ]; then
    node "$root/scripts/cache-conformance-summary.mjs" "$suite" "$name" "$work/$name.json" $failures "${floor[@]}"
  else
    node "$root/scripts/cache-conformance-summary.mjs" "$suite" "$name" "$work/$name.json" $failures
  fi
done
