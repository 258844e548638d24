#!/usr/bin/env bash
# DNS queries per second for `origin.shop.test A` over UDP: CdnPlatform's authoritative server
# (bench/DnsThroughput, the code the control plane runs) beside BIND 9 serving the same zone, one after the
# other in the same run, both on loopback, measured by dnsperf.
# Usage: bench/dns-throughput.sh [--seconds 10] [--clients 4]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=10; clients=4
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --clients) clients="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
if ! command -v dnsperf >/dev/null || ! command -v named >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dnsperf bind9 >/dev/null
fi
work="$(mktemp -d)"
ours_port=8153; bind_port=8154
cleanup() { [ -n "${ours_pid:-}" ] && kill "$ours_pid" 2>/dev/null; [ -n "${bind_pid:-}" ] && kill "$bind_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

cat > "$work/db.shop.test" <<ZONE
\$TTL 3600
@       IN SOA ns.shop.test. hostmaster.shop.test. 1 3600 600 86400 30
@       IN NS  ns.shop.test.
ns      IN A   127.0.0.1
origin 5 IN A  127.0.21.1
origin 5 IN A  127.0.21.2
www   30 IN A  127.0.10.1
www   30 IN A  127.0.10.2
www   30 IN A  127.0.10.3
ZONE
cat > "$work/named.conf" <<CONF
options { directory "$work"; listen-on port $bind_port { 127.0.0.1; }; listen-on-v6 { none; };
          recursion no; pid-file "$work/named.pid"; minimal-responses yes; };
zone "shop.test" { type primary; file "$work/db.shop.test"; };
CONF
printf 'origin.shop.test A\n' > "$work/queries.txt"

dotnet build -c Release bench/DnsThroughput >/dev/null
sleep infinity | dotnet bench/DnsThroughput/bin/Release/net10.0/DnsThroughput.dll --port "$ours_port" >/dev/null &
ours_pid=$!
named -g -c "$work/named.conf" -u "$(id -un)" >"$work/named.log" 2>&1 &
bind_pid=$!
for port in "$ours_port" "$bind_port"; do
  for _ in $(seq 1 100); do dig @127.0.0.1 -p "$port" +short +time=1 +tries=1 origin.shop.test A >/dev/null 2>&1 && break; sleep 0.1; done
done

echo "# $(date -u '+%Y-%m-%d %H:%M') UTC, $(nproc) cores, dnsperf $seconds s with $clients clients, origin.shop.test A over UDP"
for round in 1 2; do
  for server in "CdnPlatform:$ours_port" "BIND $(named -v | cut -d' ' -f2):$bind_port"; do
    name="${server%:*}"; port="${server##*:}"
    result="$(dnsperf -s 127.0.0.1 -p "$port" -d "$work/queries.txt" -l "$seconds" -c "$clients" -q 200 2>&1)"
    qps="$(grep 'Queries per second' <<<"$result" | awk '{print $4}')"
    lost="$(grep 'Queries lost' <<<"$result" | awk '{print $3}')"
    latency="$(grep 'Average Latency' <<<"$result" | sed 's/.*: //')"
    echo "round $round  $name  qps=$qps  lost=$lost  latency=$latency"
  done
done
