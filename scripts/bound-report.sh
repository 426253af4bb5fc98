#!/bin/bash
# bound-report.sh: the learned scorer and magnitude selection against the
# least-squares reference (thresh --exact) at the same number of kept
# details, on the validation series that tstrain never saw. The windows
# are orthonormal (dwt -m periodization, 256 samples, J 5), where the
# reference is the proven optimum of the reconstruction's squared error.
# For each series and ratio R, tseval's nrmse against the original of
#   the reconstruction:  ... | thresh [-e] --ratio R | merge --full
#   the reduced series:  ... | thresh [-e] --ratio R | merge
# for the learned scorer (tscore first) and the reference. Magnitude
# selection is the reference here except in the short last window.
# Prints two markdown tables.
#   B=build/rel scripts/bound-report.sh [MODEL]   (default: built-in)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
B=${B:-$ROOT/build/rel}
DATA=${DATA:-/work/shared/data/nab}
PATH=$B/bin:$PATH
VAL="art_daily_jumpsdown ec2_cpu_utilization_5f5533 ec2_request_latency_system_failure machine_temperature_system_failure"
margs=()
[ $# -ge 1 ] && margs=(-M "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

nrmse() {
	tseval -o csv "$1" "$2" 2>/dev/null | awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$1 != "(all)" { print $(c["nrmse"]); exit }'
}

echo "| series | R | reconstruction nrmse: learned | reference | learned/reference | reduced series nrmse: learned | reference | learned/reference |"
echo "|---|---|---|---|---|---|---|---|"
for R in 8 16; do
	for s in $VAL; do
		f=$DATA/$s.csv
		dwt -w 256 -J 5 -m periodization "$f" 2>/dev/null >"$tmp/c.csv"
		tscore "${margs[@]}" <"$tmp/c.csv" >"$tmp/sc.csv"
		thresh --ratio "$R" <"$tmp/sc.csv" >"$tmp/l.csv"
		thresh --exact --ratio "$R" <"$tmp/c.csv" 2>/dev/null >"$tmp/x.csv"
		for k in l x; do
			merge --full "$tmp/$k.csv" >"$tmp/$k.full"
			merge "$tmp/$k.csv" >"$tmp/$k.red"
		done
		fl=$(nrmse "$f" "$tmp/l.full"); fx=$(nrmse "$f" "$tmp/x.full")
		rl=$(nrmse "$f" "$tmp/l.red"); rx=$(nrmse "$f" "$tmp/x.red")
		awk -v s="$s" -v R="$R" -v fl="$fl" -v fx="$fx" -v rl="$rl" -v rx="$rx" 'BEGIN {
			if (fx > fl * (1 + 1e-12)) { print "bound-report: " s ": the reference is worse than the scorer" > "/dev/stderr"; exit 1 }
			printf "| %s | %d | %.4g | %.4g | %.2f | %.4g | %.4g | %.2f |\n",
				s, R, fl, fx, (fx > 0 ? fl / fx : 1), rl, rx, (rx > 0 ? rl / rx : 1) }'
	done
done

# The reduced series' own optimum (thresh --exact-reduced tries every
# choice of details), on windows small enough for that: 16 samples, haar,
# J 3 (14 details a window). Ratios 2 and 4 (R 8 would leave no details
# beyond the coarse grid of 2 points).
echo
echo "| series | R | reduced series nrmse: learned | magnitude | exact | learned/exact | magnitude/exact |"
echo "|---|---|---|---|---|---|---|"
for R in 2 4; do
	for s in $VAL; do
		f=$DATA/$s.csv
		dwt -W haar -w 16 -J 3 "$f" 2>/dev/null >"$tmp/c.csv"
		tscore "${margs[@]}" <"$tmp/c.csv" | thresh --ratio "$R" | merge >"$tmp/l.red"
		thresh --ratio "$R" <"$tmp/c.csv" | merge >"$tmp/m.red"
		thresh --exact-reduced --ratio "$R" <"$tmp/c.csv" | merge >"$tmp/x.red"
		rl=$(nrmse "$f" "$tmp/l.red"); rm=$(nrmse "$f" "$tmp/m.red"); rx=$(nrmse "$f" "$tmp/x.red")
		awk -v s="$s" -v R="$R" -v rl="$rl" -v rm="$rm" -v rx="$rx" 'BEGIN {
			printf "| %s | %d | %.4g | %.4g | %.4g | %.2f | %.2f |\n",
				s, R, rl, rm, rx, (rx > 0 ? rl / rx : 1), (rx > 0 ? rm / rx : 1) }'
	done
done
