#!/usr/bin/env bash
# Eviction policies on synthetic traces: replays Zipf traces (α 0.8 and 1.0, 100k objects, log-normal sizes)
# through the real MemoryCacheStore under CLOCK and S3-FIFO, beside an LRU yardstick, and prints the object
# and byte hit ratios as a markdown table (see bench/eviction/Program.cs). Seeded: the same arguments, the
# same table. Takes about half a minute with the defaults on 2 cores.
# Usage: bench/eviction.sh [--objects 100000] [--requests 4000000] [--seed 14]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/eviction -c Release -nologo -v quiet >/dev/null
dotnet bench/eviction/bin/Release/net10.0/EvictionReplay.dll "$@"
