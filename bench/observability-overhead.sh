#!/usr/bin/env bash
# What metrics and access logs cost on the hit path (issue 15's bar: within 3 %): the same edge build four times,
# in one run, in front of one origin, hit by wrk in turns:
#   bare       Edge:Metrics:Enabled=false, no access log: nothing wraps the request path;
#   metrics    /metrics on (the default), no access log;
#   sampled    metrics, and the JSON access log with Edge:AccessLog:SampleRate=0.1 (5xx always);
#   observed   metrics, and the access log of every request.
# The order of the four turns round by round (a fixed order showed up to 10 % between first and last place), and the
# median of ROUNDS is printed with its ratio to bare. Logs go to tmpfs: on a disk, the kernel's writeback of one
# edge's lines lands on whichever edge runs next (LOG_DIR=/var/tmp measures the disk as well).
# Env: DUR (s per run, 5), CONN (64), ROUNDS (6), PATHS ("/page.html /asset.bin": 1 KiB and 100 KiB).
# Usage: bench/observability-overhead.sh
set -euo pipefail
cd "$(dirname "$0")/.."
DUR=${DUR:-5} CONN=${CONN:-64} ROUNDS=${ROUNDS:-6} PATHS=${PATHS:-/page.html /asset.bin}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
dotnet build src/CdnPlatform.Edge -c Release -nologo -v quiet >/dev/null
work=$(mktemp -d -p "${LOG_DIR:-/dev/shm}")
mkdir "$work/www"
head -c 1024 /dev/urandom > "$work/www/page.html"; head -c 102400 /dev/urandom > "$work/www/asset.bin"
python3 -m http.server 18100 --bind 127.0.0.1 --directory "$work/www" >/dev/null 2>&1 &
pids=($!)
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT
edge=(dotnet src/CdnPlatform.Edge/bin/Release/net10.0/CdnPlatform.Edge.dll --origin http://127.0.0.1:18100
  --Logging:LogLevel:Default Warning --Edge:Sites:0:DefaultTtlSeconds 3600)
"${edge[@]}" --urls http://127.0.0.1:18101 --Edge:Metrics:Enabled false & pids+=($!)
"${edge[@]}" --urls http://127.0.0.1:18102 & pids+=($!)
"${edge[@]}" --urls http://127.0.0.1:18103 --Edge:AccessLog:Enabled true --Edge:AccessLog:Path "$work/sampled.log" \
  --Edge:AccessLog:SampleRate 0.1 & pids+=($!)
"${edge[@]}" --urls http://127.0.0.1:18104 --Edge:AccessLog:Enabled true --Edge:AccessLog:Path "$work/observed.log" & pids+=($!)
targets=(bare=18101 metrics=18102 sampled=18103 observed=18104)
sleep 3
for t in "${targets[@]}"; do
  for path in /page.html /asset.bin; do
    for _ in 1 2; do curl -sf -o /dev/null "http://127.0.0.1:${t#*=}$path"; done
    wrk -t1 -c"$CONN" -d2s "http://127.0.0.1:${t#*=}$path" >/dev/null   # warm-up, not counted
  done
done
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -r); date: $(date -u +%F); DUR=$DUR CONN=$CONN ROUNDS=$ROUNDS"
: > "$work/results"
for r in $(seq 0 $((ROUNDS - 1))); do
  for path in $PATHS; do
    for i in 0 1 2 3; do
      t=${targets[$(( (i + r) % 4 ))]}
      out=$(wrk -t1 -c"$CONN" -d"${DUR}s" --latency "http://127.0.0.1:${t#*=}$path" 2>&1)
      echo "${t%%=*} $path $(echo "$out" | awk '/Requests\/sec/ {print $2}') $(echo "$out" | awk '$1=="99%" {print $2}')" >> "$work/results"
    done
  done
done
python3 - "$work/results" <<'PY'
import statistics, sys
def ms(v):
    return float(v[:-2]) if v.endswith("ms") else float(v[:-2]) / 1000 if v.endswith("us") else float(v[:-1]) * 1000
rows = {}
for line in open(sys.argv[1]):
    name, path, rps, p99 = line.split()
    rows.setdefault((name, path), []).append((float(rps), ms(p99)))
for path in sorted({p for _, p in rows}, reverse=True):
    bare = statistics.median(x[0] for x in rows[("bare", path)])
    for name in ("bare", "metrics", "sampled", "observed"):
        v = rows[(name, path)]
        rps = statistics.median(x[0] for x in v)
        print(f"{name:9s} {path:11s} rps_median={rps:9.0f}  vs_bare={rps / bare:5.3f}  p99_median_ms={statistics.median(x[1] for x in v):6.2f}  rounds={[round(x[0]) for x in v]}")
PY
echo "access log: $(wc -l < "$work/observed.log") lines written by the observed edge, $(wc -l < "$work/sampled.log") by the sampled one"
