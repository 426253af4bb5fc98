#!/bin/bash
# dwt_pipe.sh: samples per second of dwt, and of dwt | merge --full, with
# binary frames in and out through pipes, beside PyWavelets on the
# in-memory array (bench/pywt_pipe.py), on the same 1e7 samples, in the
# same run. Prints the figures and the ratios (goal: 2 or more).
#
# Usage: bench/dwt_pipe.sh [samples [window [wavelet [J [mode]]]]]
# Defaults: 1e7 samples (tsgen), window 4096, db4, 5 levels, symmetric.
# Tools from $B/bin (make bench sets B), else build/rel/bin.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${B:-$root/build/rel}/bin
n=${1:-10000000} window=${2:-4096} wav=${3:-db4} J=${4:-5} mode=${5:-symmetric}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$bin/tsgen" --points "$n" -o bin >"$tmp/x.bin"

now() { date +%s.%N; }
best() { # command (run 5 times); prints samples/s of the fastest
	local b=0 t0 t1 r
	for _ in 1 2 3 4 5; do
		t0=$(now); bash -c "$1"; t1=$(now)
		r=$(awk -v n="$n" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4g", n / (b - a) }')
		b=$(awk -v a="$b" -v r="$r" 'BEGIN { print (r > a) ? r : a }')
	done
	echo "$b"
}
opts="-W $wav -J $J -m $mode -w $window -o bin"
dwt=$(best "cat $tmp/x.bin | $bin/dwt $opts | cat >/dev/null")
file=$(best "$bin/dwt $opts $tmp/x.bin >/dev/null")
# dwt | merge --full and the pipe limit taken in turn, 7 rounds, the best
# of each: a tenth of a second a run on a shared 2-core machine, so that
# both see the same spells of other load
rt=0 pipe=0
for _ in 1 2 3 4 5 6 7; do
	for which in rt pipe; do
		if [ $which = rt ]; then
			c="cat $tmp/x.bin | $bin/dwt $opts | $bin/merge --full -o bin | cat >/dev/null"
		else
			c="cat $tmp/x.bin | cat | cat >/dev/null"
		fi
		t0=$(now); bash -c "$c"; t1=$(now)
		r=$(awk -v n="$n" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4g", n / (b - a) }')
		eval "$which=\$(awk -v a=\"\$$which\" -v r=\"\$r\" 'BEGIN { print (r > a) ? r : a }')"
	done
done
py=$(/usr/bin/python3 "$root/bench/pywt_pipe.py" "$tmp/x.bin" "$window" "$wav" "$J" "$mode")
get() { echo "$py" | awk -v k="$1" '$1 == k { print $2 }'; }
pw=$(get pywt_wavedec_whole) pwin=$(get pywt_wavedec_windows) prt=$(get pywt_wavedec_waverec_whole)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "dwt_pipe: $n samples, $wav J=$J $mode, dwt windows of $window, binary frames through pipes"
printf '  %-44s %10s samples/s\n' "dwt" "$dwt" "pywt.wavedec, whole array in memory" "$pw" \
	"pywt.wavedec, same windows, in memory" "$pwin" "dwt | merge --full" "$rt" \
	"pywt.wavedec + waverec, whole array" "$prt"
printf '  %-44s %10s samples/s\n' "dwt, file in, /dev/null out (no pipes)" "$file" \
	"cat | cat | cat of the same frames (pipe limit)" "$pipe"
echo "  ratio dwt / pywt.wavedec (whole):            $(ratio "$dwt" "$pw") (goal >= 2)"
echo "  ratio dwt / pywt.wavedec (same windows):     $(ratio "$dwt" "$pwin")"
echo "  ratio dwt|merge --full / wavedec+waverec:    $(ratio "$rt" "$prt") (goal >= 2)"
slow=$(ratio "$pipe" "$rt")
echo "  time of dwt|merge --full / the pipe limit:   $slow (goal <= 1.5: $(awk -v r="$slow" 'BEGIN { print (r <= 1.5) ? "met" : "not met" }'))"
