#!/usr/bin/env bash
# Does the edge's memory stay within its budget when far more is asked of it than fits (issue 14 item 2)?
# The edge runs standalone with Edge:CacheBytes = BUDGET_MIB in front of nginx (127.0.0.1:18200), which serves one
# file per size class; a distinct query string makes each request a distinct object to the edge. wrk replays a Zipf
# trace over OBJECTS distinct objects (10x what fits by default) with sizes from a log-normal (median 8 KiB, capped
# at 1 MiB), 64 connections. Every second the edge's RSS (ps) and its store's own count (/healthz bytes, entries,
# evictions) are sampled. Reported: the idle RSS before any request (the fixed overhead), the peak and final RSS
# under load, and the bar: peak <= idle + budget x 1.1.
# Env: BUDGET_MIB (64), OBJECTS (0 = 10x what fits at the mean size), REQUESTS (600000), ZIPF (0.8), EVICTION (the
# edge's default). Needs nginx and wrk (Debian packages). Usage: bench/memory-budget.sh
set -euo pipefail
cd "$(dirname "$0")/.."
budget=${BUDGET_MIB:-64}; objects=${OBJECTS:-0}; requests=${REQUESTS:-600000}; zipf=${ZIPF:-0.8}
for tool in nginx wrk; do command -v $tool >/dev/null || { echo "$tool is missing: apt-get install -y $tool" >&2; exit 2; }; done
dotnet build src/CdnPlatform.Edge -c Release -nologo -v quiet >/dev/null
work=$(mktemp -d); chmod 755 "$work"; mkdir -p "$work/www"
# The trace: sizes and popularity per object, written as request paths for wrk's Lua to replay in order.
python3 - "$work" "$budget" "$objects" "$requests" "$zipf" <<'PY'
import math, os, random, sys
work, budget, objects, requests, s = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
rng = random.Random(14)
classes = [1 << k for k in range(10, 21)]  # 1 KiB .. 1 MiB
def size_class():
    size = min(rng.lognormvariate(math.log(8192), 1.2), 1 << 20)
    return min(classes, key=lambda c: abs(c - size))
if objects == 0:
    mean = sum(size_class() for _ in range(20000)) / 20000
    objects = int(10 * budget * 1024 * 1024 / mean)
sizes = [size_class() for _ in range(objects)]
for c in classes:
    with open(os.path.join(work, 'www', 'o%d.bin' % c), 'wb') as f:
        f.write(b'x' * c)
weights = [1 / (i + 1) ** s for i in range(objects)]
total = sum(weights)
cdf, acc = [], 0.0
for w in weights:
    acc += w / total
    cdf.append(acc)
import bisect
with open(os.path.join(work, 'paths.txt'), 'w') as out:
    for _ in range(requests):
        i = min(bisect.bisect_left(cdf, rng.random()), objects - 1)
        out.write('/o%d.bin?id=%d\n' % (sizes[i], i))
distinct_bytes = sum(sizes)
print('trace: %d objects, %.0f MiB distinct (%.1fx the %d MiB budget), %d requests, Zipf %.2f' % (
    objects, distinct_bytes / 2**20, distinct_bytes / 2**20 / budget, budget, requests, s))
PY
cat > "$work/nginx.conf" <<NG
worker_processes 1; pid $work/nginx.pid; error_log $work/nginx.err; daemon off;
events { worker_connections 2048; }
http { access_log off; server { listen 127.0.0.1:18200; root $work/www;
  location = /healthz { return 200 "ok"; }
  location / { add_header Cache-Control "public, max-age=3600"; } } }
NG
nginx -c "$work/nginx.conf" & pids=($!)
extra=(); [ -n "${EVICTION:-}" ] && extra=(--Edge:Eviction "$EVICTION")
# A site for one Host (not --origin's catch-all), so that /healthz asked by address is the edge's own report.
dotnet src/CdnPlatform.Edge/bin/Release/net10.0/CdnPlatform.Edge.dll --Edge:Name mem --Edge:Sites:0:Name shop \
  --Edge:Sites:0:Hosts:0 www.shop.test --Edge:Sites:0:Origin http://127.0.0.1:18200 --urls http://127.0.0.1:18201 --Logging:LogLevel:Default Warning --Edge:CacheBytes $((budget * 1024 * 1024)) "${extra[@]}" \
  >"$work/edge.log" 2>&1 & edge=$!; pids+=($edge)
trap 'kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 100); do curl -s -o /dev/null http://127.0.0.1:18201/healthz && break; sleep 0.1; done
sleep 2
idle=$(ps -o rss= -p $edge)
cat > "$work/replay.lua" <<LUA
local paths, n = {}, 0
for line in io.lines("$work/paths.txt") do n = n + 1; paths[n] = line end
local i = 0
request = function()
  i = i + 1
  if i > n then i = 1 end
  return wrk.format("GET", paths[i])
end
LUA
# One wrk thread walks the trace in order (two would each replay it from the start).
wrk -t1 -c64 -d600s -H 'Host: www.shop.test' -s "$work/replay.lua" http://127.0.0.1:18201/ >"$work/wrk.txt" 2>&1 & wrkpid=$!; pids+=($wrkpid)
peak=$idle; samples="$work/samples.txt"
served() { curl -s http://127.0.0.1:18201/healthz | python3 -c 'import json,sys; h=json.load(sys.stdin); m=h["memory"]; print(h["bytes"], h["entries"], h["evictions"], m["nativeBodyBytes"], m["gcHeapBytes"], m["gcCommittedBytes"])'; }
start=$(date +%s)
while kill -0 $wrkpid 2>/dev/null; do
  rss=$(ps -o rss= -p $edge); [ "$rss" -gt "$peak" ] && peak=$rss
  echo "$(( $(date +%s) - start )) $rss $(served)" >>"$samples"
  # Stop once the trace has been replayed once (wrk counts requests only at its end: estimate from the store's churn).
  [ "$(( $(date +%s) - start ))" -ge "${SECONDS_MAX:-90}" ] && kill $wrkpid
  sleep 1
done
wait $wrkpid 2>/dev/null || true
final=$(ps -o rss= -p $edge)
# GCDUMP=1: what the edge's managed heap holds at the end, by type (dotnet tool install -g dotnet-gcdump).
if [ "${GCDUMP:-0}" = 1 ]; then
  PATH="$PATH:$HOME/.dotnet/tools" dotnet-gcdump collect -p $edge -o "$work/edge.gcdump" >/dev/null
  PATH="$PATH:$HOME/.dotnet/tools" dotnet-gcdump report "$work/edge.gcdump" | head -25
fi
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -r); date: $(date -u +%F); eviction: ${EVICTION:-default}"
grep -E "Requests/sec|requests in" "$work/wrk.txt" || true
tail -1 "$samples" | awk '{ printf "store at the end: %.1f MiB in %d entries, %d evictions; native bodies %.1f MiB, GC heap %.1f MiB, GC committed %.1f MiB\n", $3 / 1048576, $4, $5, $6 / 1048576, $7 / 1048576, $8 / 1048576 }'
# The sample at the RSS peak: where the memory was then.
sort -k2 -n "$samples" | tail -1 | awk '{ printf "at the RSS peak (%d s): native bodies %.1f MiB, GC heap %.1f MiB, GC committed %.1f MiB\n", $1, $6 / 1048576, $7 / 1048576, $8 / 1048576 }'
python3 - "$idle" "$peak" "$final" "$budget" <<'PY'
import sys
idle, peak, final, budget = (int(x) for x in sys.argv[1:])
mib = lambda kib: kib / 1024
bar = mib(idle) + budget * 1.1
print('RSS idle %.0f MiB, peak %.0f MiB, final %.0f MiB; budget %d MiB; bar (idle + budget x 1.1) %.0f MiB: %s (peak - idle = %.2fx budget)' % (
    mib(idle), mib(peak), mib(final), budget, bar, 'within' if mib(peak) <= bar else 'OVER', (mib(peak) - mib(idle)) / budget))
PY
