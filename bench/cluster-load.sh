#!/usr/bin/env bash
# The clustered origin's figures (see bench/ClusterLoad/Program.cs): publish → fresh at every edge, and
# steady load through the edges while nodes, gateways or a rolling deploy come and go.
# Usage: bench/cluster-load.sh publish [--count 100] [--rate 200]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v redis-server >/dev/null || { apt-get update -qq && apt-get install -y -qq redis-server >/dev/null; }
dotnet run -c Release --project bench/ClusterLoad -- "$@" 2> >(grep -v '^\(warn\|info\|      \)' >&2)
