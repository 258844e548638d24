#!/usr/bin/env bash
# Purge propagation latency under load over a real local Redis (see bench/PurgeLatency/Program.cs).
# Usage: bench/purge-latency.sh [--seconds 60] [--rate 100] [--traffic 300] [--warmup 5] [--separate [--ready-to-run]]
#   --separate       the network runs as `cdnctl up` in its own process
#   --ready-to-run   ... published with ReadyToRun, as the Dockerfiles build the nodes
set -euo pipefail
cd "$(dirname "$0")/.."
command -v redis-server >/dev/null || { apt-get update -qq && apt-get install -y -qq redis-server >/dev/null; }
args=()
for arg in "$@"; do
  if [[ "$arg" == "--ready-to-run" ]]; then
    out="$(mktemp -d)"
    trap 'rm -rf "$out"' EXIT
    dotnet publish src/CdnPlatform.Cli -c Release --use-current-runtime --self-contained false -p:PublishReadyToRun=true -o "$out" >/dev/null
    args+=(--cdnctl "$out/cdnctl")
  else
    args+=("$arg")
  fi
done
dotnet run -c Release --project bench/PurgeLatency -- "${args[@]}"
