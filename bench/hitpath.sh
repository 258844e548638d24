#!/usr/bin/env bash
# The edge's own steps of a cache hit (key, lookup with Vary, header writing), each alone, with BenchmarkDotNet:
# time and bytes allocated per call. Issue 14 asks that a hit allocate nothing beyond Kestrel's own.
# Env: JOB (BenchmarkDotNet job, default short). Usage: bench/hitpath.sh
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet run -c Release --project bench/hitpath -- --filter '*' --job "${JOB:-short}" --exporters markdown 2>&1 \
  | sed -n '/^| Method/,/^$/p;/^|/p' | awk '!seen[$0]++'
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -r); date: $(date -u +%F)"
