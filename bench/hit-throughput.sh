#!/usr/bin/env bash
# Cache-hit throughput of the edge beside nginx proxy_cache, Varnish and a bare Kestrel, in one run:
# starts the edge in standalone mode (Release) in front of the origin ../shared/bench/peers.sh starts at
# 127.0.0.1:18000, with a default TTL standing in for nginx's proxy_cache_valid and Varnish's beresp.ttl.
# Env: as peers.sh (DUR, CONN, ROUNDS). Usage: bench/hit-throughput.sh
set -euo pipefail
cd "$(dirname "$0")/.."
peers=${PEERS_SH:-../shared/bench/peers.sh}
dotnet build src/CdnPlatform.Edge -c Release -nologo -v quiet >/dev/null
dotnet src/CdnPlatform.Edge/bin/Release/net10.0/CdnPlatform.Edge.dll --origin http://127.0.0.1:18000 \
  --urls http://127.0.0.1:18090 --Logging:LogLevel:Default Warning --Edge:Sites:0:DefaultTtlSeconds 3600 &
edge=$!
trap 'kill $edge 2>/dev/null || true' EXIT
sleep 2
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -r); date: $(date -u +%F)"
bash "$peers" "cdnplatform=http://127.0.0.1:18090"
