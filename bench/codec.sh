#!/bin/bash
# Record codec benchmarks, each beside a reference measured in the same run
# on the same input (issue 11 item 4):
#   dwt -w 1024 -J 7 | thresh --ratio 16 | merge --shape long, 50 series:
#       in CSV between the stages   vs   the same pipeline in binary
#       goal: CSV within 2x of binary
#   CSV parse + format, tsconv CSV -> CSV, one series
#       vs   mawk -F, '{print $1","$2*1}' on the same file
#       goal: tsconv at least 2x mawk's speed
#   shortest round-trip formatting in the library (tsd_format_double) vs
#       printf %.17g on the same values (bench/fmt_bench.c), and strict parsing vs strtod
# Best of 3 wall-clock runs each. $B is the build directory.
set -eu
BIN=${B:?}/bin
S=${BENCH_CODEC_SERIES:-50}
P=${BENCH_CODEC_POINTS:-100000}
N=${BENCH_CODEC_ROWS:-2000000}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT

best() { # best of 3 wall-clock seconds of a shell command
	local b=999999 s e
	for _ in 1 2 3; do
		s=$(date +%s.%N); bash -c "$1" >/dev/null; e=$(date +%s.%N)
		b=$(awk -v s="$s" -v e="$e" -v b="$b" 'BEGIN { t = e - s; print (t < b ? t : b) }')
	done
	printf '%.3f' "$b"
}
verdict() { awk -v x="$1" -v g="$2" -v le="$3" 'BEGIN { ok = le ? x <= g : x >= g; print (ok ? "met" : "not met") }'; }

echo "== codec: $S series x $P points through dwt -w 1024 -J 7 | thresh --ratio 16 | merge --shape long"
"$BIN/tsgen" --series-count "$S" --points "$P" --step 1s > "$T/in.csv"
"$BIN/tsconv" -o bin "$T/in.csv" > "$T/in.bin"
PATH="$BIN:$PATH" bash -c "dwt -w 1024 -J 7 < $T/in.csv | thresh --ratio 16 | merge --shape long" > "$T/c.out"
PATH="$BIN:$PATH" bash -c "dwt -w 1024 -J 7 -o bin < $T/in.bin | thresh --ratio 16 -o bin | merge --shape long -o bin | tsconv -o csv" > "$T/b.out"
cmp -s "$T/c.out" "$T/b.out" || { echo "codec: the CSV and binary pipelines disagree" >&2; exit 1; }
c=$(PATH="$BIN:$PATH" best "dwt -w 1024 -J 7 < $T/in.csv | thresh --ratio 16 | merge --shape long")
b=$(PATH="$BIN:$PATH" best "dwt -w 1024 -J 7 -o bin < $T/in.bin | thresh --ratio 16 -o bin | merge --shape long -o bin")
r=$(awk -v c="$c" -v b="$b" 'BEGIN { printf "%.2f", c / b }')
printf '%-40s %7.3f s | binary %7.3f s | CSV / binary %sx (goal <= 2x: %s)\n' \
	"3-stage pipeline in CSV" "$c" "$b" "$r" "$(verdict "$r" 2 1)"

echo "== codec: CSV parse + format, $N rows, one series, 17 significant digits"
"$BIN/tsgen" --points "$N" --step 1s --no-events > "$T/p17.csv"
m=$(best "mawk -F, '{print \$1\",\"\$2*1}' $T/p17.csv")
c=$(best "$BIN/tsconv $T/p17.csv")
r=$(awk -v c="$c" -v m="$m" 'BEGIN { printf "%.2f", m / c }')
awk -v n="$N" -v c="$c" -v m="$m" -v r="$r" -v v="$(verdict "$r" 2 0)" 'BEGIN {
	printf "%-40s %7.3f s %6.2f Mrows/s | mawk print %7.3f s %6.2f Mrows/s | speed / mawk %sx (goal >= 2x: %s)\n",
		"tsconv CSV -> CSV", c, n / c / 1e6, m, n / m / 1e6, r, v }'
${CC:-cc} -O2 -Ilib -o "$T/fmt_bench" bench/fmt_bench.c "$B/libtsd.a" -lm
"$T/fmt_bench"
