#!/usr/bin/env bash
# What metrics and access logs cost on the hit path (issue 15's bar: within 3 %): the same edge build five times,
# in one run, in front of one origin, hit by wrk in turns:
#   bare       Edge:Metrics:Enabled=false, no access log: nothing wraps the request path;
#   metrics    /metrics on (the default), no access log;
#   control    the same as metrics, a second process: the noise floor, what two identical edges differ by;
#   sampled    metrics, and the JSON access log with Edge:AccessLog:SampleRate=$SAMPLE (0.1; 5xx always);
#   observed   metrics, and the access log of every request.
# The order of the turns changes round by round (a fixed order showed up to 10 % between first and last place), and
# the edges are started afresh each round (FRESH=1): a process's own luck (JIT, where its threads land) otherwise stays
# with one target for the whole run. The median of ROUNDS is printed with its ratio to bare, for requests/s and for
# the server's CPU time per request (its processes' user + system time over the run / requests), the steadier of the
# two: it does not depend on the share of the 2 cores wrk leaves. With NGINX=1 (the default
# when nginx is installed) the peer's own cost of an access log is measured in the same rotation: nginx proxy_cache
# with access_log off, and with a JSON line per request (the same fields, buffer=64k flush=100ms, as close to our
# writer as nginx gets), its ratio to itself. Logs go to tmpfs: on a disk, the kernel's writeback of one edge's lines
# lands on whichever edge runs next (LOG_DIR=/var/tmp measures the disk as well).
# Env: DUR (s per run, 5), CONN (64), ROUNDS (6), PATHS ("/page.html /asset.bin": 1 KiB and 100 KiB), NGINX (0/1),
#   FRESH (1: new edge processes every round; 0: one set for the run), SAMPLE (the sampled edge's rate, 0.1).
# Usage: bench/observability-overhead.sh
set -euo pipefail
cd "$(dirname "$0")/.."
DUR=${DUR:-5} CONN=${CONN:-64} ROUNDS=${ROUNDS:-6} PATHS=${PATHS:-/page.html /asset.bin} FRESH=${FRESH:-1} SAMPLE=${SAMPLE:-0.1}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
dotnet build src/CdnPlatform.Edge -c Release -nologo -v quiet >/dev/null
work=$(mktemp -d -p "${LOG_DIR:-/dev/shm}")
mkdir "$work/www"
head -c 1024 /dev/urandom > "$work/www/page.html"; head -c 102400 /dev/urandom > "$work/www/asset.bin"
python3 -m http.server 18100 --bind 127.0.0.1 --directory "$work/www" >/dev/null 2>&1 &
pids=($!)
epids=()
trap 'kill "${pids[@]}" "${epids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT
edge=(dotnet src/CdnPlatform.Edge/bin/Release/net10.0/CdnPlatform.Edge.dll --origin http://127.0.0.1:18100
  --Logging:LogLevel:Default Warning --Edge:Sites:0:DefaultTtlSeconds 3600)
start_edges() {
  "${edge[@]}" --urls http://127.0.0.1:18101 --Edge:Metrics:Enabled false & epids+=($!)
  "${edge[@]}" --urls http://127.0.0.1:18102 & epids+=($!)
  "${edge[@]}" --urls http://127.0.0.1:18103 --Edge:AccessLog:Enabled true --Edge:AccessLog:Path "$work/sampled.log" \
    --Edge:AccessLog:SampleRate "$SAMPLE" & epids+=($!)
  "${edge[@]}" --urls http://127.0.0.1:18104 --Edge:AccessLog:Enabled true --Edge:AccessLog:Path "$work/observed.log" & epids+=($!)
  "${edge[@]}" --urls http://127.0.0.1:18105 & epids+=($!)
  for port in 18101 18102 18103 18104 18105; do
    for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$port/page.html" && break; sleep 0.1; done
  done
}
stop_edges() {
  kill "${epids[@]}" 2>/dev/null || true
  wait "${epids[@]}" 2>/dev/null || true
  epids=()
}
start_edges
edges=(bare=18101 metrics=18102 sampled=18103 observed=18104 control=18105)
targets=("${edges[@]}")
if [ "${NGINX:-$(command -v nginx >/dev/null && echo 1 || echo 0)}" = 1 ]; then
  mkdir -m 777 "$work/ncache"; chmod 755 "$work"
  for n in bare logged; do
    port=$([ $n = bare ] && echo 18106 || echo 18107)
    log=$([ $n = bare ] && echo "access_log off;" || echo "access_log $work/nginx.log json buffer=64k flush=100ms;")
    cat > "$work/nginx-$n.conf" <<NG
worker_processes auto; pid $work/nginx-$n.pid; error_log $work/nginx-$n.err; daemon off;
events { worker_connections 4096; }
http { proxy_cache_path $work/ncache/$n keys_zone=$n:10m max_size=1g;
  log_format json escape=json '{"time":"\$time_iso8601","pop":"nginx","site":"\$host","method":"\$request_method","path":"\$uri",'
    '"status":\$status,"bytes":\$body_bytes_sent,"cache":"\$upstream_cache_status","originMs":"\$upstream_response_time",'
    '"totalMs":\$request_time,"client":"\$remote_addr"}';
  $log
  server { listen 127.0.0.1:$port; location / { proxy_pass http://127.0.0.1:18100; proxy_cache $n; proxy_cache_valid 200 1h; } } }
NG
    nginx -c "$work/nginx-$n.conf" & pids+=($!)
  done
  targets+=(nginx-bare=18106 nginx-logged=18107)
fi
sleep 1
warm_targets=("${targets[@]}")
# CPU time (user + system, clock ticks) of the processes listening on a port and their children: what a request costs
# the server, whatever share of the 2 cores wrk left it. Steadier than requests/s on a machine this noisy.
cpu_ticks() {
  local pids
  pids=$(ss -ltnpH "sport = :$1" | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u)
  for p in $pids; do echo "$p"; pgrep -P "$p" || true; done | sort -u |
    while read -r p; do [ -r "/proc/$p/stat" ] && sed 's/.*) //' "/proc/$p/stat" | awk '{print $12 + $13}'; done |
    awk '{s += $1} END {print s + 0}'
}
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -r); date: $(date -u +%F); DUR=$DUR CONN=$CONN ROUNDS=$ROUNDS SAMPLE=$SAMPLE"
: > "$work/results"
for r in $(seq 0 $((ROUNDS - 1))); do
  if [ "$FRESH" = 1 ] && [ "$r" -gt 0 ]; then
    stop_edges; start_edges; warm_targets=("${edges[@]}")
  fi
  # New processes: two requests fill the cache and 2 s of wrk let the JIT reach its final code; neither is counted.
  for t in "${warm_targets[@]}"; do
    for path in $PATHS; do
      for _ in 1 2; do curl -sf -o /dev/null "http://127.0.0.1:${t#*=}$path"; done
      wrk -t1 -c"$CONN" -d2s "http://127.0.0.1:${t#*=}$path" >/dev/null
    done
  done
  warm_targets=()
  for path in $PATHS; do
    for i in "${!targets[@]}"; do
      t=${targets[$(( (i + r) % ${#targets[@]} ))]}
      before=$(cpu_ticks "${t#*=}")
      out=$(wrk -t1 -c"$CONN" -d"${DUR}s" --latency "http://127.0.0.1:${t#*=}$path" 2>&1)
      cpu=$(( $(cpu_ticks "${t#*=}") - before ))
      echo "${t%%=*} $path $(echo "$out" | awk '/Requests\/sec/ {print $2}') $(echo "$out" | awk '$1=="99%" {print $2}') $cpu \
        $(echo "$out" | awk '/requests in/ {print $1}')" >> "$work/results"
    done
  done
done
python3 - "$work/results" <<'PY'
import os, statistics, sys
hz = os.sysconf("SC_CLK_TCK")
def ms(v):
    return float(v[:-2]) if v.endswith("ms") else float(v[:-2]) / 1000 if v.endswith("us") else float(v[:-1]) * 1000
rows = {}
for line in open(sys.argv[1]):
    name, path, rps, p99, ticks, requests = line.split()
    rows.setdefault((name, path), []).append((float(rps), ms(p99), int(ticks) / hz / int(requests) * 1e6))
for path in sorted({p for _, p in rows}, reverse=True):
    for name in ("bare", "metrics", "control", "sampled", "observed", "nginx-bare", "nginx-logged"):
        if (name, path) not in rows:
            continue
        v = rows[(name, path)]
        base = rows[("nginx-bare" if name.startswith("nginx") else "bare", path)]
        bare = statistics.median(x[0] for x in base)
        bare_cpu = statistics.median(x[2] for x in base)
        rps = statistics.median(x[0] for x in v)
        cpu = statistics.median(x[2] for x in v)
        print(f"{name:12s} {path:11s} rps_median={rps:9.0f}  vs_bare={rps / bare:5.3f}  p99_median_ms={statistics.median(x[1] for x in v):6.2f}"
              f"  cpu_us_per_request={cpu:6.2f}  cpu_vs_bare={cpu / bare_cpu:5.3f}  rounds={[round(x[0]) for x in v]}")
PY
echo "access log: $(wc -l < "$work/observed.log") lines written by the observed edge, $(wc -l < "$work/sampled.log") by the sampled one"
[ -f "$work/nginx.log" ] && echo "nginx: $(wc -l < "$work/nginx.log") lines; the last: $(tail -1 "$work/nginx.log")"
