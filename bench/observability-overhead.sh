#!/usr/bin/env bash
# What metrics and access logs cost on the hit path (issue 15's bar: within 3 %): the same edge build twice in one
# interleaved run of ../shared/bench/peers.sh, beside nginx, Varnish and a bare Kestrel:
#   observed   /metrics on (the default) and the JSON access log on, every request, to a file on disk;
#   sampled    the same with Edge:AccessLog:SampleRate=0.1 (one request in ten logged, 5xx always);
#   metrics    /metrics on, no access log (what the default costs);
#   bare       Edge:Metrics:Enabled=false, no access log: nothing wraps the request path.
# Env: as peers.sh (DUR, CONN, ROUNDS). Usage: bench/observability-overhead.sh
set -euo pipefail
cd "$(dirname "$0")/.."
peers=${PEERS_SH:-../shared/bench/peers.sh}
dotnet build src/CdnPlatform.Edge -c Release -nologo -v quiet >/dev/null
# On tmpfs by default: on a disk, the kernel's writeback of the last run's lines lands on whichever target runs next
# (measured: the next target lost ~9 %). LOG_DIR=/var/tmp measures the disk as well.
log=$(mktemp -d -p "${LOG_DIR:-/dev/shm}")
edge=(dotnet src/CdnPlatform.Edge/bin/Release/net10.0/CdnPlatform.Edge.dll --origin http://127.0.0.1:18000
  --Logging:LogLevel:Default Warning --Edge:Sites:0:DefaultTtlSeconds 3600)
"${edge[@]}" --urls http://127.0.0.1:18093 --Edge:AccessLog:Enabled true --Edge:AccessLog:Path "$log/access.log" &
observed=$!
"${edge[@]}" --urls http://127.0.0.1:18094 --Edge:Metrics:Enabled false &
bare=$!
"${edge[@]}" --urls http://127.0.0.1:18095 &
metrics=$!
"${edge[@]}" --urls http://127.0.0.1:18096 --Edge:AccessLog:Enabled true --Edge:AccessLog:Path "$log/sampled.log" --Edge:AccessLog:SampleRate 0.1 &
sampled=$!
trap 'kill $observed $bare $metrics $sampled 2>/dev/null || true; rm -rf "$log"' EXIT
sleep 2
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -r); date: $(date -u +%F)"
# The edge that logs every request runs last in each round, so what it leaves behind falls on nginx, not on the others.
bash "$peers" "bare=http://127.0.0.1:18094" "metrics=http://127.0.0.1:18095" "sampled=http://127.0.0.1:18096" "observed=http://127.0.0.1:18093"
# Every request was logged unless the queue overflowed (standalone mode's catch-all site answers every Host, so the
# edge's own /metrics with the dropped count is not reachable here: compare with wrk's request totals).
echo "access log: $(wc -l < "$log/access.log") lines written by the observed edge, $(wc -l < "$log/sampled.log") by the sampled one"
