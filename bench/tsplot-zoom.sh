#!/bin/bash
# bench/tsplot-zoom.sh: tsplot --serve holding 1e7 samples of one series:
# the time from a zoom request (GET /data for a range at 1000 pixel
# columns) to its whole answer, for the whole range and for 1% of it,
# beside the time to fetch the page itself (the HTTP floor on loopback).
# Goal: a zoom answered in under 50 ms. Median of 20 requests each.
#
# Usage: bench/tsplot-zoom.sh [BINDIR]   (default build/rel/bin); B=... also works.
set -u
BIN=${1:-${B:+$B/bin}}
BIN=${BIN:-$(cd "$(dirname "$0")/.." && pwd)/build/rel/bin}
export PATH="$BIN:$PATH"
N=${N:-10000000}
for p in tsplot curl awk; do
	command -v $p >/dev/null || { echo "bench/tsplot-zoom.sh: $p not found" >&2; exit 1; }
done
W=$(mktemp -d); trap 'kill $spid 2>/dev/null; wait 2>/dev/null; rm -rf "$W"' EXIT
PORT=$((30000 + $$ % 20000))
awk -v n="$N" 'BEGIN { for (i = 0; i < n; i++) printf "%d,%d\n", 1704067200 + i, (i * 7919) % 5003 }' >"$W/d.csv"
tsplot --serve $PORT --history "$N" "$W/d.csv" 2>"$W/err" &
spid=$!
for _ in $(seq 1 1200); do
	curl -s "http://127.0.0.1:$PORT/data?w=2" 2>/dev/null | grep -q "\"held\":$N," && break
	sleep 0.1
done
curl -s "http://127.0.0.1:$PORT/data?w=2" | grep -q "\"held\":$N," || { echo "bench/tsplot-zoom.sh: tsplot did not take $N samples" >&2; exit 1; }
med() { # URL -> median ms of 20 requests, and the bytes of the answer
	for _ in $(seq 1 20); do curl -s -o /dev/null -w '%{time_total} %{size_download}\n' "$1"; done |
		sort -n | awk 'NR == 10 { printf "%.1f ms, %d bytes", $1 * 1000, $2 }'
}
t0=1704067200000; span=$((N * 1000)); a=$((t0 + span * 45 / 100)); b=$((a + span / 100))
page=$(med "http://127.0.0.1:$PORT/")
full=$(med "http://127.0.0.1:$PORT/data?w=1000")
zoom=$(med "http://127.0.0.1:$PORT/data?w=1000&t0=$a&t1=$b")
rss=$(ps -o rss= -p $spid)
echo "tsplot --serve, $N samples held ($((rss / 1024)) MB RSS), 1000 columns, median of 20:"
printf '  %-34s %s\n' "zoom to 1% (re-aggregated)" "$zoom" "whole range (re-aggregated)" "$full" \
	"reference: the page itself" "$page"
ms=$(echo "$full $zoom" | awk '{ print ($1 > $5 ? $1 : $5) }')
echo "  goal: under 50 ms: $(awk -v m="$ms" 'BEGIN { print (m < 50 ? "met" : "not met") }') (slowest $ms ms)"
