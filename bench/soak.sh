#!/usr/bin/env bash
# A soak: the whole Redis-backed network (`cdnctl up --redis auto --origin-processes`: the edges, control plane and
# gateways in cdnctl's process, each datacenter a process group with its Redis and three node processes) under
# bench/soak.json (cdnload, open model, browse + shop journeys, a CMS publish every 2 s) for DURATION, sampling every
# process's RSS, threads and open descriptors and every Redis's memory and key count every 30 s. It answers: does
# anything grow without bound over a sale day's steady load, does any error or warning appear with nothing failing?
# Usage: DURATION=20m RATE=250 bench/soak.sh        (the report, samples and logs land in $OUT, printed at the end)
#        UP_ARGS= bench/soak.sh                      (the embedded default network: `cdnctl up` with no options)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v redis-server >/dev/null || { apt-get update -qq && apt-get install -y -qq redis-server >/dev/null; }
out="${OUT:-$(mktemp -d)}"; mkdir -p "$out"
dotnet build src/CdnPlatform.Cli -c Release -nologo -v quiet >/dev/null
dotnet build src/CdnPlatform.LoadTest -c Release -nologo -v quiet >/dev/null
key="soak-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
# UP_ARGS="" soaks the embedded default instead (everything in cdnctl's process and memory, no Redis).
# shellcheck disable=SC2086
dotnet src/CdnPlatform.Cli/bin/Release/net10.0/cdnctl.dll up ${UP_ARGS---redis auto --origin-processes} --api-key "$key" >"$out/up.log" 2>&1 &
up=$!
sampler=
trap 'kill $sampler 2>/dev/null || true; kill -TERM $up 2>/dev/null; wait $up 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do grep -q "Ctrl+C" "$out/up.log" && break; sleep 1; done
grep -q "Ctrl+C" "$out/up.log" || { cat "$out/up.log"; echo "cdnctl up did not come up" >&2; exit 1; }
cms=$(awk '/^  cms key/{print $3}' "$out/up.log")
ports=$(awk '/^  redis /{split($3,a,":"); print a[2]}' "$out/up.log")
header_lines=$(wc -l <"$out/up.log")

descendants() { local c; for c in $(pgrep -P "$1"); do echo "$c"; descendants "$c"; done; }
sample() {
  while true; do
    local t; t=$(date +%s)
    for pid in $up $(descendants $up); do
      [ -r /proc/$pid/status ] || continue
      local name
      name=$(tr '\0' ' ' </proc/$pid/cmdline | grep -o " up \|cdnctl-dc-[a-z]*\|--urls [^ ]*\|redis-server [^ ]*" | head -1 | sed 's/--urls http:\/\//node-/; s/ up /cdnctl-up/; s/cdnctl-dc-/datacenter-host-/; s/redis-server /redis-/; s/ //g')
      [ -n "$name" ] || continue
      echo "$t proc $name $(awk '/VmRSS/{print $2}' /proc/$pid/status) $(awk '/Threads/{print $2}' /proc/$pid/status) $(ls /proc/$pid/fd 2>/dev/null | wc -l)"
    done
    for p in $ports; do
      echo "$t redis $p $(redis-cli -p "$p" info memory | awk -F: '/^used_memory:/{print $2}' | tr -d '\r') $(redis-cli -p "$p" dbsize)"
    done
    sleep 30
  done
}
sample >"$out/samples.txt" 2>/dev/null &
sampler=$!

status=0
CDN_CONTROL=http://127.0.0.1:8700 CDN_API_KEY="$key" dotnet src/CdnPlatform.LoadTest/bin/Release/net10.0/cdnload.dll run bench/soak.json \
  --cms-key "$cms" --plain --duration "${DURATION:-20m}" --rate "${RATE:-250}" --json "$out/soak.json" --html "$out/soak.html" >"$out/load.log" 2>&1 || status=$?
kill $sampler 2>/dev/null || true
sleep 1

echo "== the load (cdnload exit $status)"
grep -v "^\[ *[0-9.]*s\] \|^\[ *[0-9.]*s/" "$out/load.log" | grep -v "│ *[0-9.]*s │ \(publish\|purge-fresh\)" | sed -n '/requests/,$p' | head -40
echo "== processes: RSS (MiB) at a quarter of the run, at half, at the end; threads and descriptors at the end"
python3 - "$out/samples.txt" <<'PY'
import sys, collections
procs = collections.defaultdict(list); redis = collections.defaultdict(list)
for line in open(sys.argv[1]):
    f = line.split()
    if len(f) == 6 and f[1] == "proc": procs[f[2]].append((int(f[0]), int(f[3]), int(f[4]), int(f[5])))
    if len(f) == 5 and f[1] == "redis": redis[f[2]].append((int(f[0]), int(f[3]), int(f[4])))
def at(rows, q): return rows[min(len(rows) - 1, int(len(rows) * q))]
print(f"{'process':28} {'rss 1/4':>8} {'rss 1/2':>8} {'rss end':>8} {'2nd half':>9} {'threads':>8} {'fds':>6}")
for name, rows in sorted(procs.items()):
    a, b, c = at(rows, .25), at(rows, .5), rows[-1]
    print(f"{name:28} {a[1]/1024:8.1f} {b[1]/1024:8.1f} {c[1]/1024:8.1f} {(c[1]-b[1])/1024:+9.1f} {c[2]:8} {c[3]:6}")
print(f"{'redis':28} {'MiB 1/4':>8} {'MiB 1/2':>8} {'MiB end':>8} {'keys 1/2':>9} {'keys end':>8}")
for port, rows in sorted(redis.items()):
    a, b, c = at(rows, .25), at(rows, .5), rows[-1]
    print(f"{port:28} {a[1]/2**20:8.2f} {b[1]/2**20:8.2f} {c[1]/2**20:8.2f} {b[2]:9} {c[2]:8}")
PY
echo "== warnings and errors the network logged during the load: $(tail -n +$((header_lines + 1)) "$out/up.log" | grep -c -E "warn:|fail:|crit:" || true)"
tail -n +$((header_lines + 1)) "$out/up.log" | grep -E "warn:|fail:|crit:" -A1 | cut -c1-200 | head -20
echo "reports: $out"
exit $status
