#!/usr/bin/env bash
# The miss path's cost (issue 14 item 5): requests that all miss, straight to the origin and through the edge, at the
# same concurrency (wrk, 1 thread, 64 connections, a new query string per request so every one is a miss). The
# origin is nginx serving a 1 KiB file (/page.html, cacheable: each miss is fetched and stored) and the same file
# under /nostore (Cache-Control: no-store: the edge passes it). The edge runs standalone (Release). Rounds alternate.
# nginx's proxy_cache in front of the same origin (127.0.0.1:18302) is the peer.
# wrk's own latency figures are not used: with a request() in Lua its histogram disagreed with its request rate.
# BASELINE=DLL runs another build of the edge (e.g. a worktree's src/CdnPlatform.Edge/bin/Release/net10.0/CdnPlatform.Edge.dll)
# on 127.0.0.1:18303 in the same rotation (its miss+store only): an A/B of a change in one run.
# Env: ROUNDS (3), DUR (seconds, 8), BASELINE. Needs nginx and wrk (Debian packages). Usage: bench/miss-overhead.sh
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-3}; dur=${DUR:-8}
for tool in nginx wrk; do command -v $tool >/dev/null || { echo "$tool is missing: apt-get install -y $tool" >&2; exit 2; }; done
dotnet build src/CdnPlatform.Edge -c Release -nologo -v quiet >/dev/null
work=$(mktemp -d); chmod 755 "$work"; mkdir -p "$work/www/nostore" "$work/ncache"; chmod 777 "$work/ncache"
head -c 1024 /dev/urandom > "$work/www/page.html"; cp "$work/www/page.html" "$work/www/nostore/page.html"
cat > "$work/nginx.conf" <<NG
worker_processes 1; pid $work/nginx.pid; error_log $work/nginx.err; daemon off;
events { worker_connections 2048; }
http { access_log off; server { listen 127.0.0.1:18300; root $work/www;
  location = /healthz { return 200 "ok"; }
  location /nostore/ { add_header Cache-Control "no-store"; }
  location / { add_header Cache-Control "public, max-age=3600"; } }
  # The peer: nginx's own proxy_cache in front of the same origin (kept-alive upstream connections, as the edge
  # keeps), every request a miss it fetches and stores.
  proxy_cache_path $work/ncache keys_zone=z:10m max_size=1g;
  server { listen 127.0.0.1:18302; location / { proxy_pass http://origin; proxy_cache z;
    proxy_http_version 1.1; proxy_set_header Connection ""; } }
  upstream origin { server 127.0.0.1:18300; keepalive 64; } }
NG
nginx -c "$work/nginx.conf" & pids=($!)
dotnet src/CdnPlatform.Edge/bin/Release/net10.0/CdnPlatform.Edge.dll --origin http://127.0.0.1:18300 \
  --urls http://127.0.0.1:18301 --Logging:LogLevel:Default Warning >"$work/edge.log" 2>&1 & pids+=($!)
baseline=${BASELINE:-}
if [ -n "$baseline" ]; then
  dotnet "$baseline" --origin http://127.0.0.1:18300 --urls http://127.0.0.1:18303 --Logging:LogLevel:Default Warning >"$work/base.log" 2>&1 & pids+=($!)
fi
trap 'kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
for port in 18301 ${baseline:+18303}; do
  for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/page.html" && break; sleep 0.1; done
done
cat > "$work/unique.lua" <<'LUA'
local i = 0
local run = tostring(os.time()) .. tostring(math.random(1e9))
request = function() i = i + 1; return wrk.format("GET", wrk.path .. "?miss=" .. run .. "-" .. i) end
LUA
rate() { wrk -t1 -c64 -d"${dur}s" -s "$work/unique.lua" "$1" | awk '/Requests\/sec/ {print $2} /Non-2xx/ {print "NON2XX", $0 > "/dev/stderr"}'; }
# Warm-up: the JIT and the connection pools.
for url in http://127.0.0.1:18300/page.html http://127.0.0.1:18301/page.html http://127.0.0.1:18301/nostore/page.html http://127.0.0.1:18302/page.html \
    ${baseline:+http://127.0.0.1:18303/page.html}; do
  wrk -t1 -c64 -d3s -s "$work/unique.lua" "$url" >/dev/null
done
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -r); date: $(date -u +%F)"
for r in $(seq "$rounds"); do
  o=$(rate http://127.0.0.1:18300/page.html); f=$(rate http://127.0.0.1:18301/page.html); p=$(rate http://127.0.0.1:18301/nostore/page.html)
  n=$(rate http://127.0.0.1:18302/page.html)
  b=""; [ -z "$baseline" ] || { x=$(rate http://127.0.0.1:18303/page.html); b="  baseline miss+store $x ($(awk "BEGIN { printf \"%.2f\", $x / $o }")x; this build $(awk "BEGIN { printf \"%.2f\", $f / $x }")x of it)"; }
  echo "round $r: origin $o  edge miss+store $f ($(awk "BEGIN { printf \"%.2f\", $f / $o }")x)  edge pass $p ($(awk "BEGIN { printf \"%.2f\", $p / $o }")x)  nginx proxy_cache miss+store $n ($(awk "BEGIN { printf \"%.2f\", $n / $o }")x)$b"
done
