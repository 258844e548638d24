#!/usr/bin/env bash
# cdnload beside wrk on the same cached page of the local network, in one interleaved run (issue 13's bar):
#  1. throughput: cdnload's closed model with 64 users vs `wrk -t2 -c64`, each ROUNDS times, alternating;
#  2. latency accuracy at a rate well below saturation, on the cached page at ams and on the same page rendered by
#     the origin (through primary-gw1): cdnload's open model vs wrk paced with a Lua delay() (wrk has no rate flag;
#     wrk2 is not packaged), p50 and p99 side by side. wrk is paced on ONE connection: several connections with the
#     same delay() stay in step and send in bursts (10 at once every 10 ms), which queue on two cores and doubled
#     wrk's p50 against cdnload's evenly spaced arrivals at the same mean rate.
# Starts `cdnctl up` (in memory) itself and loads ams (127.0.10.1:8080), Host www.shop.test, path /.
#     cdnload's rate in each round is the one wrk reached in that round (its pacing adds a timer's overshoot to
#     every request, so it lands below RATE), so both measure the same load.
# A 10 s wrk run warms the edge (JIT tiers, pools) before the first round. Medians over the rounds at the end.
# KEEP_AWAKE=1 runs a nice-19 busy loop during the latency rounds: on this VM an idle vCPU takes ~0.1 ms to wake,
# which wrk pays on every answer and cdnload (whose dispatcher spins before each send) does not; with a core kept
# awake both measure the edge rather than the VM's idle states.
# PIN=CPU runs cdnload's latency rounds under `taskset -c CPU`: its dispatcher (which sends) and .NET's socket thread
# (which receives) then share one core, as wrk's single thread does; unpinned, the answer wakes the socket thread on
# the core it last ran on, often the idle one, whose exit from idle costs this VM ~30 µs (bench/RESULTS.md).
# TARGETS="name=url ..." replaces the latency rounds' targets (default "edge=<ams> origin=<primary-gw1>"), e.g. to add
# a server that is not a .NET process beside the tool: TARGETS="edge=http://127.0.10.1:8080/ nginx=http://127.0.50.1:8080/".
# THROUGHPUT=0 skips the throughput rounds.
# WITH_NGINX=1 also starts Debian's nginx (one worker, no access log) at 127.0.50.1:8080 serving a 1.4 KB page and a one-page
# sitemap, and adds it to the latency targets as "nginx": a server whose ~50 µs answers are steady and which is not a
# second .NET process on the tool's cores, so what differs between the two tools there is the tools (bench/RESULTS.md).
# LOAD_ENV="NAME=VALUE ..." sets environment variables for cdnload's latency rounds only (not for the network).
# Env: DUR (seconds per run, default 10), ROUNDS (default 5), RATE (default 300), PACED_CONN (wrk connections when paced, 1).
# Needs wrk (Debian package wrk). Usage: bench/load-vs-wrk.sh
set -euo pipefail
cd "$(dirname "$0")/.."
dur=${DUR:-10}; rounds=${ROUNDS:-5}; rate=${RATE:-300}; paced=${PACED_CONN:-1}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
dotnet build src/CdnPlatform.Cli -c Release -nologo -v quiet >/dev/null
dotnet build src/CdnPlatform.LoadTest -c Release -nologo -v quiet >/dev/null
work=$(mktemp -d)
log="$work/up.log"
setsid dotnet src/CdnPlatform.Cli/bin/Release/net10.0/cdnctl.dll up --api-key bench-key-0123456789 >"$log" 2>&1 &
up=$!
trap '[ -n "${awake:-}" ] && kill "$awake" 2>/dev/null; [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null; kill -TERM -- -$up 2>/dev/null || kill -TERM $up 2>/dev/null || true; wait $up 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 60); do grep -q "CdnPlatform is up" "$log" && break; sleep 1; done
grep -q "CdnPlatform is up" "$log" || { cat "$log"; exit 1; }
url=http://127.0.10.1:8080/
# The primary's first gateway: the same page rendered by an origin node every time (no cache in front), ~0.5 ms.
origin=http://127.0.21.1:8080/
curl -s -o /dev/null -H 'Host: www.shop.test' "$url"; curl -s -o /dev/null -H 'Host: www.shop.test' "$url"
curl -si -H 'Host: www.shop.test' "$url" | grep -i '^cache-status' || true
targets=${TARGETS:-edge=$url origin=$origin}
if [ "${WITH_NGINX:-0}" = 1 ]; then
  command -v nginx >/dev/null || PATH=$PATH:/usr/sbin
  command -v nginx >/dev/null || { echo "nginx is missing: apt-get install -y nginx" >&2; exit 2; }
  mkdir -p "$work/www" "$work/nginx"; chmod 755 "$work" "$work/www"
  head -c 1050 /dev/urandom | base64 -w 100 >"$work/www/index.html"
  printf '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>http://www.shop.test/</loc></url></urlset>\n' >"$work/www/sitemap.xml"
  cat >"$work/nginx.conf" <<NGINX
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx; proxy_temp_path $work/nginx; fastcgi_temp_path $work/nginx; uwsgi_temp_path $work/nginx; scgi_temp_path $work/nginx;
  server { listen 127.0.50.1:8080; root $work/www; location / { index index.html; } }
}
NGINX
  # env -u: nginx takes a variable NGINX for listening sockets handed over by an upgrade, and would not daemonise.
  env -u NGINX nginx -c "$work/nginx.conf" -p "$work/nginx" </dev/null >/dev/null 2>>"$work/nginx/error.log"
  curl -sf -o /dev/null http://127.0.50.1:8080/sitemap.xml || { echo "nginx did not start at 127.0.50.1:8080" >&2; exit 1; }
  targets="$targets nginx=http://127.0.50.1:8080/"
fi

cdnload() { dotnet src/CdnPlatform.LoadTest/bin/Release/net10.0/cdnload.dll "$@"; }
cat >"$work/closed.json" <<JSON
{ "name": "closed-64", "model": "closed", "users": 64, "duration": "${dur}s", "pages": 1, "connections": 64 }
JSON
cat >"$work/open.json" <<JSON
{ "name": "open", "model": "open", "rate": $rate, "duration": "${dur}s", "pages": 1, "connections": 64 }
JSON
# Each wrk connection waits PACED_CONN/RATE s after every answer (wrk's timers count whole ms): at a latency far below
# that, the rate is close to RATE.
# done() writes wrk's whole latency histogram (microseconds, count) to WRK_HIST, for the correction below.
cat >"$work/paced.lua" <<LUA
function delay() return $(awk "BEGIN { print $paced * 1000 / $rate }") end
function done(summary, latency, requests)
  local path = os.getenv("WRK_HIST")
  if path == nil then return end
  local out = io.open(path, "w")
  for i = 1, 1000000 do
    local value, count = latency(i)
    if value == 0 then break end
    out:write(value, " ", count, "\n")
  end
  out:close()
end
LUA
# A cdnload JSON report's figures on one line: rate, p50, p99 from the intended send time, then p50, p99 of the
# service time (from the actual send, wrk's definition), then the dispatcher's own lag at p99 (ms).
figures() {
  python3 -c "
import json, sys
r = json.load(open(sys.argv[1])); t = r['total']; s = r['serviceTime']; l = r.get('sendLag') or {'p99': 0}
print('%.0f %.3f %.3f %.3f %.3f %.3f' % (t['rate'], t['latency']['p50'], t['latency']['p99'], s['p50'], s['p99'], l['p99']))" "$1"
}
# wrk's p50 and p99 (ms) from its histogram (file $1, paced at $2 requests/s) corrected for coordinated omission the way wrk2 and HdrHistogram's
# recordValueWithExpectedInterval do: a request that took v > I (I = 1/rate, the interval the paced connection was
# meant to keep) held back the ones due after it, which are added as v-I, v-2I, ... So a stall counts for every
# request that should have been sent during it, as it does in cdnload's open model.
corrected() {
  python3 - "$1" "$2" <<'PY'
import sys
interval = 1e6 / float(sys.argv[2])
hist = {}
for line in open(sys.argv[1]):
    v, c = (float(x) for x in line.split())
    hist[v] = hist.get(v, 0) + c
    missed = v - interval
    while missed > 0:
        hist[missed] = hist.get(missed, 0) + c
        missed -= interval
values = sorted(hist)
total = sum(hist.values())
def pct(p):
    seen = 0
    for v in values:
        seen += hist[v]
        if seen >= total * p / 100:
            return v / 1000
print('%.3f %.3f' % (pct(50), pct(99)))
PY
}
# wrk's Requests/sec, p50 and p99 (converted to ms) from its --latency output.
wrkfigures() {
  python3 - "$1" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
unit = {'us': 0.001, 'ms': 1.0, 's': 1000.0}
def pct(p):
    m = re.search(r'^\s*%s%%\s+([\d.]+)(us|ms|s)\s*$' % p, text, re.M)
    return float(m.group(1)) * unit[m.group(2)]
rps = float(re.search(r'Requests/sec:\s+([\d.]+)', text).group(1))
print('%.0f %.3f %.3f' % (rps, pct(50), pct(99)))
PY
}

echo "cdnload latency rounds pinned to: ${PIN:-no core}"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -r); date: $(date -u +%F); wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}')"
wrk -t2 -c64 -d10s -H 'Host: www.shop.test' "$url" >/dev/null
results="$work/results.txt"
echo "== throughput, closed model, 64 connections, ${dur}s each (rps)"
for r in $(seq "$([ "${THROUGHPUT:-1}" = 0 ] && echo 0 || echo "$rounds")"); do
  wrk -t2 -c64 -d"${dur}s" --latency -H 'Host: www.shop.test' "$url" >"$work/wrk.txt"
  w=$(wrkfigures "$work/wrk.txt")
  cdnload run "$work/closed.json" --target "ams=$url" --plain --json "$work/closed-out.json" >/dev/null
  c=$(figures "$work/closed-out.json")
  c=${c%% *}; echo "round $r: wrk ${w%% *}  cdnload ${c}  ratio $(awk "BEGIN { printf \"%.2f\", $c / ${w%% *} }")"
  echo "throughput $w $c" >>"$results"
done
if [ "${KEEP_AWAKE:-0}" = 1 ]; then nice -n 19 sh -c 'while :; do :; done' & awake=$!; fi
for target in $targets; do
  name=${target%%=*}; at=${target#*=}
  echo "== latency at about $rate rps, $name ($at; open model vs wrk paced on $paced connection(s)), ms"
  echo "   wrk: rps p50 p99 | cdnload: rps p50 p99 (from intended send) p50 p99 (service time, from actual send) send-lag-p99"
  wrk -t1 -c"$paced" -d5s -s "$work/paced.lua" -H 'Host: www.shop.test' "$at" >/dev/null
  for r in $(seq "$rounds"); do
    WRK_HIST="$work/hist.txt" wrk -t1 -c"$paced" -d"${dur}s" --latency -s "$work/paced.lua" -H 'Host: www.shop.test' "$at" >"$work/wrk.txt"
    w=$(wrkfigures "$work/wrk.txt")
    k=$(corrected "$work/hist.txt" "${w%% *}")
    ${LOAD_ENV:+env $LOAD_ENV} ${PIN:+taskset -c "$PIN"} dotnet src/CdnPlatform.LoadTest/bin/Release/net10.0/cdnload.dll run "$work/open.json" --rate "${w%% *}" --target "$name=$at" --plain --json "$work/open-out.json" >/dev/null
    c=$(figures "$work/open-out.json")
    echo "round $r: wrk $w (corrected $k) | cdnload $c"
    echo "latency-$name $w $c $k" >>"$results"
  done
done
[ -n "${awake:-}" ] && kill "$awake"
python3 - "$results" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
def med(kind, i): return statistics.median(float(r[i]) for r in rows if r[0] == kind)
t = [float(r[4]) / float(r[1]) for r in rows if r[0] == 'throughput']
if t: print('== medians: throughput wrk %.0f cdnload %.0f, ratio %.2f (rounds %s)' % (med('throughput', 1), med('throughput', 4), statistics.median(t), ' '.join('%.2f' % x for x in t)))
for kind in dict.fromkeys(r[0] for r in rows if r[0].startswith('latency-')):
    w50, w99, c50, c99, s50, s99, k50, k99 = (med(kind, i) for i in (2, 3, 5, 6, 7, 8, 10, 11))
    print('   %-14s wrk p50 %.3f p99 %.3f (corrected %.3f %.3f) | cdnload from intended p50 %.3f p99 %.3f (x%.2f, x%.2f of corrected) | service time p50 %.3f p99 %.3f (x%.2f, x%.2f of raw) | send lag p99 %.3f' % (
        kind, w50, w99, k50, k99, c50, c99, c50 / k50, c99 / k99, s50, s99, s50 / w50, s99 / w99, med(kind, 9)))
PY
