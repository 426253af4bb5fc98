#!/bin/bash
# Foundation benchmarks: CSV parsing and binary pass-through, each beside
# a reference measured in the same run on the same file.
#   CSV -> binary (tsconv)   vs   mawk -F, '{s+=$2} END{print s}'
#   binary pass-through      vs   cat | cat (the pipe limit)
# Best of 3 wall-clock runs each. $B is the build directory.
set -eu
BIN=${B:?}/bin
N=${BENCH_ROWS:-10000000}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT

best() { # best of 3 wall-clock seconds of a shell command
	local b=999999 s e t
	for _ in 1 2 3; do
		s=$(date +%s.%N); bash -c "$1" >/dev/null; e=$(date +%s.%N)
		b=$(awk -v s="$s" -v e="$e" -v b="$b" 'BEGIN { t = e - s; print (t < b ? t : b) }')
	done
	printf '%.3f' "$b"
}

echo "== foundation: $N rows, one series, ISO timestamps (tsgen)"
"$BIN/tsgen" --points "$N" --step 1s --no-events --precision 10 > "$T/p10.csv"
"$BIN/tsgen" --points "$N" --step 1s --no-events > "$T/p17.csv"
"$BIN/tsconv" -o bin "$T/p10.csv" > "$T/p10.bin"
for f in p10 p17; do
	digits=${f#p}
	m=$(best "mawk -F, '{s+=\$2} END{print s}' $T/$f.csv")
	c=$(best "$BIN/tsconv -o bin $T/$f.csv")
	awk -v n="$N" -v c="$c" -v m="$m" -v d="$digits" 'BEGIN {
		printf "%-40s %7.3f s %6.2f Mrows/s | mawk sum %7.3f s %6.2f Mrows/s | tsconv speed / mawk %.2fx\n",
			"CSV -> binary, " d " significant digits", c, n / c / 1e6, m, n / m / 1e6, m / c }'
done
sz=$(stat -c %s "$T/p10.bin")
k=$(best "cat $T/p10.bin | cat | cat")
p=$(best "cat $T/p10.bin | $BIN/tsconv -o bin | cat")
awk -v n="$N" -v sz="$sz" -v p="$p" -v k="$k" 'BEGIN {
	printf "%-40s %7.3f s %6.0f MB/s     | cat      %7.3f s %6.0f MB/s     | time vs cat %.2fx\n",
		"binary pass-through, cat | tsconv | cat", p, sz / p / 1e6, k, sz / k / 1e6, p / k }'
echo "goals: CSV -> binary at least as fast as mawk (ratio >= 1); pass-through within 2x of cat"
