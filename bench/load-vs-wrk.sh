#!/usr/bin/env bash
# cdnload beside wrk on the same cached page of the local network, in one interleaved run (issue 13's bar):
#  1. throughput: cdnload's closed model with 64 users vs `wrk -t2 -c64`, each ROUNDS times, alternating;
#  2. latency accuracy at a rate well below saturation: cdnload's open model at RATE requests/s vs wrk paced to
#     the same rate with a Lua delay() (wrk has no rate flag; wrk2 is not packaged), p50 and p99 side by side.
# Starts `cdnctl up` (in memory) itself and loads ams (127.0.10.1:8080), Host www.shop.test, path /.
# Env: DUR (seconds per run, default 10), ROUNDS (default 3), RATE (default 1000), PACED_CONN (wrk connections when paced, 10).
# Needs wrk (Debian package wrk). Usage: bench/load-vs-wrk.sh
set -euo pipefail
cd "$(dirname "$0")/.."
dur=${DUR:-10}; rounds=${ROUNDS:-3}; rate=${RATE:-1000}; paced=${PACED_CONN:-10}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
dotnet build src/CdnPlatform.Cli -c Release -nologo -v quiet >/dev/null
dotnet build src/CdnPlatform.LoadTest -c Release -nologo -v quiet >/dev/null
work=$(mktemp -d)
log="$work/up.log"
setsid dotnet src/CdnPlatform.Cli/bin/Release/net10.0/cdnctl.dll up --api-key bench-key-0123456789 >"$log" 2>&1 &
up=$!
trap 'kill -TERM -- -$up 2>/dev/null || kill -TERM $up 2>/dev/null || true; wait $up 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 60); do grep -q "CdnPlatform is up" "$log" && break; sleep 1; done
grep -q "CdnPlatform is up" "$log" || { cat "$log"; exit 1; }
url=http://127.0.10.1:8080/
curl -s -o /dev/null -H 'Host: www.shop.test' "$url"; curl -s -o /dev/null -H 'Host: www.shop.test' "$url"
curl -si -H 'Host: www.shop.test' "$url" | grep -i '^cache-status' || true

cdnload() { dotnet src/CdnPlatform.LoadTest/bin/Release/net10.0/cdnload.dll "$@"; }
cat >"$work/closed.json" <<JSON
{ "name": "closed-64", "model": "closed", "users": 64, "duration": "${dur}s", "pages": 1, "connections": 64 }
JSON
cat >"$work/open.json" <<JSON
{ "name": "open-$rate", "model": "open", "rate": $rate, "duration": "${dur}s", "pages": 1, "connections": 64 }
JSON
# Each wrk connection waits PACED_CONN/RATE s after every answer: at a latency far below that, the rate is close to RATE.
cat >"$work/paced.lua" <<LUA
function delay() return $(awk "BEGIN { print $paced * 1000 / $rate }") end
LUA
# A cdnload JSON report's figures (rate, p50, p99 in ms) on one line.
figures() { python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['total']; print('%.0f %.3f %.3f' % (r['rate'], r['latency']['p50'], r['latency']['p99']))" "$1"; }
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

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -r); date: $(date -u +%F); wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}')"
echo "== throughput, closed model, 64 connections, ${dur}s each (rps)"
for r in $(seq "$rounds"); do
  wrk -t2 -c64 -d"${dur}s" --latency -H 'Host: www.shop.test' "$url" >"$work/wrk.txt"
  w=$(wrkfigures "$work/wrk.txt")
  cdnload run "$work/closed.json" --target "ams=$url" --plain --json "$work/closed-out.json" >/dev/null
  c=$(figures "$work/closed-out.json")
  echo "round $r: wrk ${w%% *}  cdnload ${c%% *}  ratio $(awk "BEGIN { printf \"%.2f\", ${c%% *} / ${w%% *} }")"
done
echo "== latency at $rate rps (open model vs wrk paced with $paced connections): rps p50 p99 (ms)"
for r in $(seq "$rounds"); do
  wrk -t2 -c"$paced" -d"${dur}s" --latency -s "$work/paced.lua" -H 'Host: www.shop.test' "$url" >"$work/wrk.txt"
  w=$(wrkfigures "$work/wrk.txt")
  cdnload run "$work/open.json" --target "ams=$url" --plain --json "$work/open-out.json" >/dev/null
  c=$(figures "$work/open-out.json")
  echo "round $r: wrk $w  cdnload $c"
done
