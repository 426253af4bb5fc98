#!/bin/bash
# bench/tsplot.sh: tsplot against feedgnuplot, in the same run, on the same
# paced input, both redrawing a 10 s rolling window once a second on
# gnuplot's dumb terminal (100x30) into a file.
#
# The feed is bench/pace.c: N series at a given rate of points/s of wall
# clock, written in chunks every 2 ms (the points due, then a flush), event
# time advancing with the wall clock. An earlier version fed tsgen
# --realtime, which writes and flushes every time step: at 1 series that
# is one write per point, and the generator itself stopped near 30 k
# points/s, for both tools (the "stall at 1 series").
#
# For 1, 100 and 1000 series, rates climb 1k, 3k, 10k, ... points/s (T
# seconds each) until a tool no longer keeps up: it keeps up when the run
# ends within T + 1.5 s (the feed was never held back by a full pipe) and
# it drew at least one refresh a second less one (feedgnuplot draws no
# last chart at the end). Reported: the highest sustained rate, and CPU
# (user + system of the tool and its gnuplot) per refresh at that rate;
# the goal is 10x feedgnuplot's rate at every scale.
#
# Usage: bench/tsplot.sh [BINDIR]   (default build/rel/bin); B=... also works.
set -u
BIN=${1:-${B:+$B/bin}}
BIN=${BIN:-$(cd "$(dirname "$0")/.." && pwd)/build/rel/bin}
export PATH="$BIN:$PATH"
T=${T:-4}
RATES=${RATES:-"1000 3000 10000 30000 100000 300000 1000000 3000000"}
SERIES=${SERIES:-"1 100 1000"}
for p in feedgnuplot gnuplot tsplot; do
	command -v $p >/dev/null || { echo "bench/tsplot.sh: $p not found (Debian: feedgnuplot, gnuplot-nox)" >&2; exit 1; }
done
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
${CC:-cc} -O2 -o "$W/pace" "$(dirname "$0")/pace.c" -lm || exit 1

# one trial: TOOL N RATE -> "ok|slow elapsed cpu refreshes"
trial() {
	local tool=$1 n=$2 rate=$3
	if [ "$tool" = tsplot ]; then
		"$W/pace" "$n" "$rate" "$T" | timeout 60 /usr/bin/time -f '%e %U %S' -o "$W/time" \
			tsplot --span 10s --refresh 1s -T dumb --size 100,30 >"$W/out" 2>"$W/err"
	else
		"$W/pace" "$n" "$rate" "$T" feed | timeout 60 /usr/bin/time -f '%e %U %S' -o "$W/time" \
			feedgnuplot --stream 1 --xlen 10 --domain --dataid --maxcurves 2000 --lines --exit \
			--terminal 'dumb 100,30' >"$W/out" 2>"$W/err"
	fi
	read -r el us sy < <(tail -n 1 "$W/time") 2>/dev/null || { echo "fail 0 0 0"; return; }
	local nref cpu verdict
	nref=$(tr -cd '\f' <"$W/out" | wc -c)
	cpu=$(echo "$us $sy" | awk '{ printf "%.3f", $1 + $2 }')
	verdict=$(awk -v el="$el" -v T="$T" -v r="$nref" 'BEGIN { print (el <= T + 1.5 && r >= int(el) - 1) ? "ok" : "slow" }')
	echo "$verdict $el $cpu $nref"
}

printf '%-7s | %-28s | %-28s | %s\n' "" "tsplot: rate pts/s, cpu/refresh" "feedgnuplot: rate, cpu/refresh" "rate ratio"
for n in $SERIES; do
	declare -A best=() cpu=()
	for tool in tsplot feedgnuplot; do
		best[$tool]=0; cpu[$tool]=-
		for rate in $RATES; do
			[ "$rate" -ge "$n" ] || continue
			read -r v el c nref < <(trial $tool "$n" "$rate")
			echo "  $tool n=$n rate=$rate: $v (elapsed $el s, cpu $c s, $nref refreshes)" >&2
			[ "$v" = ok ] || break
			best[$tool]=$rate
			cpu[$tool]=$(awk -v c="$c" -v r="$nref" 'BEGIN { printf "%.1f ms", 1000 * c / r }')
		done
	done
	ratio=$(awk -v a="${best[tsplot]}" -v b="${best[feedgnuplot]}" 'BEGIN { if (b > 0) printf "%.0fx (goal 10x: %s)", a / b, (a >= 10 * b ? "met" : "not met"); else print "inf (feedgnuplot kept up with none)" }')
	printf '%-7s | %10s, %-16s | %10s, %-16s | %s\n' "$n" "${best[tsplot]}" "${cpu[tsplot]}" \
		"${best[feedgnuplot]}" "${cpu[feedgnuplot]}" "$ratio"
	unset best cpu
done
echo "(a rate is the highest tried that was kept up; ${RATES##* } is the top of the ladder)"
