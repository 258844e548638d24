#!/usr/bin/env bash
# The datacenter-loss drill of issue 12, on the whole local network: `cdnctl up --redis auto` (automatic failover
# on, each datacenter its own process group), then `cdnctl drill dc-loss` ROUNDS times on that same network (each
# round kills the primary under load, waits for the automatic failover, starts the primary and fails back).
# Usage: bench/dc-drill.sh [ROUNDS=3] [extra cdnctl drill options, e.g. --manual --after-seconds 20]
#        DRILL=switchover bench/dc-drill.sh 3   (the planned switchover and back instead of the loss)
#        DRILL=standby-loss bench/dc-drill.sh 3 (DR, the standby, killed under load and started again; nothing switches)
#        DRILL=stall bench/dc-drill.sh 3 --redis-only (the active datacenter's Redis paused until failed away from, then resumed;
#                                                     without --redis-only the whole datacenter is paused)
# Prints each round's report; the JSON reports land in $OUT (default a temp directory, printed at the end).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v redis-server >/dev/null || { apt-get update -qq && apt-get install -y -qq redis-server >/dev/null; }
rounds="${1:-3}"; shift || true
out="${OUT:-$(mktemp -d)}"
mkdir -p "$out"
dotnet build src/CdnPlatform.Cli -c Release -nologo -v quiet >/dev/null
cdnctl=(dotnet src/CdnPlatform.Cli/bin/Release/net10.0/cdnctl.dll)
key="drill-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
"${cdnctl[@]}" up --redis auto --api-key "$key" >"$out/up.log" 2>&1 &
up=$!
trap 'kill -TERM $up 2>/dev/null; wait $up 2>/dev/null || true' EXIT
for _ in $(seq 1 90); do grep -q "Ctrl+C" "$out/up.log" && break; sleep 1; done
grep -q "Ctrl+C" "$out/up.log" || { cat "$out/up.log"; echo "cdnctl up did not come up" >&2; exit 1; }
export CDN_CONTROL=http://127.0.0.1:8700 CDN_API_KEY="$key"
status=0
for round in $(seq 1 "$rounds"); do
  echo "== round $round"
  "${cdnctl[@]}" drill "${DRILL:-dc-loss}" --json "$out/round-$round.json" "$@" | sed -n '/drill: /,$p' || status=1
done
echo "reports: $out"
exit $status
