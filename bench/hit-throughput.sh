#!/usr/bin/env bash
# Cache-hit throughput of the edge beside nginx proxy_cache, Varnish and a bare Kestrel, in one run:
# starts the edge in standalone mode (Release) in front of the origin ../shared/bench/peers.sh starts at
# 127.0.0.1:18000, with a default TTL standing in for nginx's proxy_cache_valid and Varnish's beresp.ttl.
# Env: as peers.sh (DUR, CONN, ROUNDS); BASELINE_DIR=a folder holding an earlier build of the edge
# (a copy of src/CdnPlatform.Edge/bin/Release/net10.0) adds it as "baseline" to the same interleaved run,
# so a change to the hit path is compared with what it replaced on the same machine at the same moment.
# Usage: bench/hit-throughput.sh
set -euo pipefail
cd "$(dirname "$0")/.."
peers=${PEERS_SH:-../shared/bench/peers.sh}
dotnet build src/CdnPlatform.Edge -c Release -nologo -v quiet >/dev/null
dotnet src/CdnPlatform.Edge/bin/Release/net10.0/CdnPlatform.Edge.dll --origin http://127.0.0.1:18000 \
  --urls http://127.0.0.1:18090 --Logging:LogLevel:Default Warning --Edge:Sites:0:DefaultTtlSeconds 3600 &
edge=$!
extra=()
if [ -n "${BASELINE_DIR:-}" ]; then
  dotnet "$BASELINE_DIR/CdnPlatform.Edge.dll" --origin http://127.0.0.1:18000 \
    --urls http://127.0.0.1:18091 --Logging:LogLevel:Default Warning --Edge:Sites:0:DefaultTtlSeconds 3600 &
  baseline=$!
  extra+=("baseline=http://127.0.0.1:18091")
fi
# VARIANT_ENV="NAME=VALUE ..." adds the current build once more, run with those environment variables, as "variant":
# a runtime setting compared with the defaults in the same interleaved run.
if [ -n "${VARIANT_ENV:-}" ]; then
  env $VARIANT_ENV dotnet src/CdnPlatform.Edge/bin/Release/net10.0/CdnPlatform.Edge.dll --origin http://127.0.0.1:18000 \
    --urls http://127.0.0.1:18092 --Logging:LogLevel:Default Warning --Edge:Sites:0:DefaultTtlSeconds 3600 &
  variant=$!
  extra+=("variant=http://127.0.0.1:18092")
fi
trap 'kill $edge ${baseline:-} ${variant:-} 2>/dev/null || true' EXIT
sleep 2
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -r); date: $(date -u +%F)"
bash "$peers" "cdnplatform=http://127.0.0.1:18090" "${extra[@]}"
