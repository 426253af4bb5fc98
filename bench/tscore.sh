#!/bin/bash
# tscore.sh: tscore throughput in detail coefficients per second on one
# core, beside dwt alone (samples -> coefficients) on the same data in
# the same run, and the library's scoring alone (features + forward, no
# I/O). Binary streams, so parsing is not what is measured.
# usage: bench/tscore.sh [samples]   ($B: the build tree, default build/rel)
set -euo pipefail
cd "$(dirname "$0")/.."
B=${B:-build/rel}
N=${1:-2000000}
[ -x "$B/bin/tscore" ] || make --no-print-directory all >/dev/null
tmp=$(mktemp -d /tmp/tscore_bench.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
one=""
command -v taskset >/dev/null && one="taskset -c 0"
"$B/bin/tsgen" --points "$N" --step 1s -S 3 -o bin > "$tmp/s.bin"
"$B/bin/dwt" -w 256 -J 5 -o bin < "$tmp/s.bin" > "$tmp/c.bin"
# detail coefficients: from the CSV form of the stream
nd=$("$B/bin/tsconv" -o csv < "$tmp/c.bin" 2>/dev/null | grep -c ',D,' || true)
[ "$nd" -gt 0 ] || nd=$("$B/bin/thresh" --keep 1 < "$tmp/c.bin" | grep -c ',D,')
t() { # command... : best wall seconds of 3 runs
	local best=1e9 s e
	for _ in 1 2 3; do
		s=$(date +%s.%N)
		"$@" > /dev/null
		e=$(date +%s.%N)
		best=$(awk -v a="$best" -v b="$(awk -v s="$s" -v e="$e" 'BEGIN { print e - s }')" 'BEGIN { print (b < a ? b : a) }')
	done
	echo "$best"
}
td=$(t $one "$B/bin/dwt" -w 256 -J 5 -o bin "$tmp/s.bin")
ts=$(t $one "$B/bin/tscore" -o bin "$tmp/c.bin")
tj=$(t "$B/bin/tscore" -j 2 -o bin "$tmp/c.bin")
echo "== tscore: $N samples, dwt -w 256 -J 5 (db4), $nd detail coefficients, one core"
awk -v n="$nd" -v td="$td" -v ts="$ts" -v tj="$tj" 'BEGIN {
	printf "%-34s %8.3f s %12.0f details/s\n", "dwt (samples -> coefficients)", td, n / td
	printf "%-34s %8.3f s %12.0f details/s  %s\n", "tscore (built-in model)", ts, n / ts,
		(n / ts >= 1e6 ? "ok (goal 1e6)" : "SHORT of the 1e6 goal")
	printf "%-34s %8.3f s %12.0f details/s  %.2fx one thread\n", "tscore -j 2 (both cores)", tj, n / tj, ts / tj
}'

# issue 18 item 2: the learned pipeline end to end in binary, 2 cores,
# beside the same pipeline without tscore; R = 8, 1024-sample windows
R=8
pipe_plain() { "$B/bin/dwt" -w 1024 -J 7 -o bin "$tmp/s.bin" | "$B/bin/thresh" --ratio $R -o bin | "$B/bin/merge" -o bin; }
pipe_all() { "$B/bin/dwt" -w 1024 -J 7 -o bin "$tmp/s.bin" | "$B/bin/tscore" -j 2 -o bin | "$B/bin/thresh" --ratio $R -o bin | "$B/bin/merge" -o bin; }
pipe_cand() { "$B/bin/dwt" -w 1024 -J 7 -o bin "$tmp/s.bin" | "$B/bin/tscore" -j 2 --ratio $R --candidates "${1:-4}" -o bin | "$B/bin/thresh" --ratio $R -o bin | "$B/bin/merge" -o bin; }
pp=$(t pipe_plain); pa=$(t pipe_all); pc=$(t pipe_cand 4); pc1=$(t pipe_cand 1)
echo "== learned pipeline, $N samples, dwt -w 1024 -J 7 | [tscore -j 2] | thresh --ratio $R | merge, binary"
awk -v n="$N" -v pp="$pp" -v pa="$pa" -v pc="$pc" -v pc1="$pc1" 'BEGIN {
	g = 4e6
	printf "%-34s %8.3f s %12.0f samples/s  (reference)\n", "without tscore", pp, n / pp
	printf "%-34s %8.3f s %12.0f samples/s  %.2fx the reference time  %s\n", "tscore, every detail", pa, n / pa, pa / pp, (n / pa >= g ? "met (goal 4e6)" : "not met (goal 4e6)")
	printf "%-34s %8.3f s %12.0f samples/s  %.2fx the reference time  %s\n", "tscore --ratio R --candidates 4", pc, n / pc, pc / pp, (n / pc >= g ? "met (goal 4e6)" : "not met (goal 4e6)")
	printf "%-34s %8.3f s %12.0f samples/s  %.2fx the reference time  %s\n", "tscore --ratio R --candidates 1", pc1, n / pc1, pc1 / pp, (n / pc1 >= g ? "met (goal 4e6)" : "not met (goal 4e6)")
}'
