#!/usr/bin/env bash
# Purge propagation latency under load over a real local Redis (see bench/PurgeLatency/Program.cs).
# Usage: bench/purge-latency.sh [--seconds 60] [--rate 100]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v redis-server >/dev/null || { apt-get update -qq && apt-get install -y -qq redis-server >/dev/null; }
dotnet run -c Release --project bench/PurgeLatency -- "$@"
