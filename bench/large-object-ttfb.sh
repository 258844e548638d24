#!/usr/bin/env bash
# Time to first byte of a large object on a miss, through the edge against straight from the origin (issue 14's bar:
# <= 1.1x). nginx on 127.0.0.1:18100 serves the files (the origin); the edge runs standalone in front of it twice:
#  - as configured by default (MaxObjectBytes 8 MiB): the 50 MiB object is passed through, never buffered;
#  - with MaxObjectBytes 64 MiB (CacheBytes 1 GiB): the same object is stored while it streams to the visitor.
# Every request is a miss (a query string no one asked before); curl reads the whole body and reports
# time_starttransfer (first byte) and time_total. Rounds alternate origin / pass-through edge / storing edge / nginx
# proxy_cache (127.0.0.1:18103, storing while streaming) as the peer.
# BASELINE=DLL adds another build of the edge (e.g. a worktree's src/CdnPlatform.Edge/bin/Release/net10.0/CdnPlatform.Edge.dll)
# on 127.0.0.1:18104, configured as the storing edge, to the rotation: an A/B of a change in the same run.
# Env: ROUNDS (default 15), SIZE_MIB (default 50), BASELINE. Needs nginx (Debian package nginx). Usage: bench/large-object-ttfb.sh
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-15}; size=${SIZE_MIB:-50}
command -v nginx >/dev/null || { echo "nginx is missing: apt-get install -y nginx" >&2; exit 2; }
dotnet build src/CdnPlatform.Edge -c Release -nologo -v quiet >/dev/null
work=$(mktemp -d); chmod 755 "$work"; mkdir -p "$work/www" "$work/ncache"; chmod 777 "$work/ncache"
head -c "$((size * 1024 * 1024))" /dev/urandom > "$work/www/big.bin"
cat > "$work/nginx.conf" <<NG
worker_processes 1; pid $work/nginx.pid; error_log $work/nginx.err; daemon off;
events { worker_connections 1024; }
http {
  access_log off;
  proxy_cache_path $work/ncache levels=1:2 keys_zone=big:10m max_size=4g inactive=1h use_temp_path=off;
  # The peer: nginx's own proxy_cache in front of the same origin, storing while it streams, as the edge does.
  server {
    listen 127.0.0.1:18103;
    location / { proxy_pass http://127.0.0.1:18100; proxy_cache big; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
  server {
    listen 127.0.0.1:18100;
    root $work/www;
    # The edge probes its origin's /healthz.
    location = /healthz { return 200 "ok"; }
    location / { add_header Cache-Control "public, max-age=3600"; }
  }
}
NG
nginx -c "$work/nginx.conf" & pids=($!)
baseline=${BASELINE:-}
edge() { dotnet "${dll:-src/CdnPlatform.Edge/bin/Release/net10.0/CdnPlatform.Edge.dll}" --origin http://127.0.0.1:18100 \
  --urls "http://127.0.0.1:$1" --Logging:LogLevel:Default Warning "${@:2}" >"$work/edge-$1.log" 2>&1 & pids+=($!); }
edge 18101
edge 18102 --Edge:MaxObjectBytes 67108864 --Edge:CacheBytes 1073741824
ports="18100 18101 18102 18103"
if [ -n "$baseline" ]; then dll=$baseline edge 18104 --Edge:MaxObjectBytes 67108864 --Edge:CacheBytes 1073741824; ports="$ports 18104"; fi
trap 'kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
for port in $ports; do
  for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/big.bin?warm" && break; sleep 0.1; done
done
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -r); date: $(date -u +%F); object ${size} MiB"
measure() { curl -s -o /dev/null -w '%{time_starttransfer} %{time_total} %{size_download}\n' "$1"; }
for r in $(seq "$rounds"); do
  echo "origin $(measure "http://127.0.0.1:18100/big.bin?r=$r")"
  echo "pass $(measure "http://127.0.0.1:18101/big.bin?r=$r")"
  echo "store $(measure "http://127.0.0.1:18102/big.bin?r=$r")"
  echo "nginx $(measure "http://127.0.0.1:18103/big.bin?r=$r")"
  if [ -n "$baseline" ]; then echo "base $(measure "http://127.0.0.1:18104/big.bin?r=$r")"; fi
done > "$work/rounds.txt"
# The storing edge kept each object: one more request for the last is a hit.
curl -s -o /dev/null -D - "http://127.0.0.1:18102/big.bin?r=$rounds" | grep -i '^cache-status' || true
python3 - "$work/rounds.txt" "$size" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
want = int(sys.argv[2]) * 1024 * 1024
assert all(int(r[3]) == want for r in rows), "a download was short"
def med(kind, i): return statistics.median(float(r[i]) for r in rows if r[0] == kind)
o_first, o_total = med('origin', 1), med('origin', 2)
print('%-32s first byte %7.2f ms   whole %8.1f ms' % ('origin (nginx)', o_first * 1e3, o_total * 1e3))
kinds = [('pass', 'edge, passed through (> 8 MiB)'), ('store', 'edge, stored while streamed'), ('nginx', 'nginx proxy_cache (peer)')]
if any(r[0] == 'base' for r in rows):
    kinds.append(('base', 'baseline build, stored'))
for kind, label in kinds:
    f, t = med(kind, 1), med(kind, 2)
    print('%-32s first byte %7.2f ms   whole %8.1f ms   TTFB x%.2f, whole x%.2f' % (label, f * 1e3, t * 1e3, f / o_first, t / o_total))
PY
