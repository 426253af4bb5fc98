#!/bin/bash
# scorer-report.sh: the learned scorer against magnitude selection at the
# same output size, on the validation series that tstrain never saw.
# Prints a markdown table (the lead puts it in README; doc/scorer.md
# keeps it with the method). For each series and output size n/R:
#   learned:   dwt -w 256 -J 5 | tscore | thresh --ratio R | merge
#   magnitude: dwt -w 256 -J 5 | thresh --ratio R | merge
# and tseval's figures against the original: nrmse (RMSE / range over the
# whole series) and win_maxabs (largest absolute error inside NAB's
# anomaly windows). -J 5 because -J 4 already spends 1/16 of the points on
# the coarse grid, leaving no details at R = 16.
#   B=build/rel scripts/scorer-report.sh [MODEL]   (default: built-in)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
B=${B:-$ROOT/build/rel}
DATA=${DATA:-/work/shared/data/nab}
THRESH=${THRESH:-$B/bin/thresh}
PATH=$B/bin:$PATH
VAL="art_daily_jumpsdown ec2_cpu_utilization_5f5533 ec2_request_latency_system_failure machine_temperature_system_failure"
margs=()
[ $# -ge 1 ] && margs=(-M "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# field NAME of tseval's CSV row for the series
field() {
	awk -F, -v want="$2" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$1 != "(all)" { print $(c[want]); exit }' "$1"
}

echo "| series | R | points | nrmse learned | nrmse magnitude | learned/magnitude | win maxabs learned | win maxabs magnitude | learned/magnitude |"
echo "|---|---|---|---|---|---|---|---|---|"
declare -A sum
for R in 8 16; do
	for s in $VAL; do
		f=$DATA/$s.csv
		dwt -w 256 -J 5 "$f" 2>/dev/null > "$tmp/c.csv"
		tscore "${margs[@]}" < "$tmp/c.csv" | "$THRESH" --ratio "$R" | merge > "$tmp/l.csv"
		"$THRESH" --ratio "$R" < "$tmp/c.csv" | merge > "$tmp/m.csv"
		for k in l m; do
			tseval -e "$DATA/anomaly_windows.json" --name-from-file -o csv \
				"$f" "$tmp/$k.csv" 2>/dev/null > "$tmp/$k.ev"
		done
		nl=$(field "$tmp/l.ev" nrmse); nm=$(field "$tmp/m.ev" nrmse)
		wl=$(field "$tmp/l.ev" win_maxabs); wm=$(field "$tmp/m.ev" win_maxabs)
		pl=$(field "$tmp/l.ev" m); pm=$(field "$tmp/m.ev" m)
		[ "$pl" = "$pm" ] || { echo "scorer-report: $s R=$R: $pl learned points, $pm magnitude" >&2; exit 1; }
		awk -v s="$s" -v R="$R" -v p="$pl" -v nl="$nl" -v nm="$nm" -v wl="$wl" -v wm="$wm" 'BEGIN {
			printf "| %s | %d | %d | %.4g | %.4g | %.3f | %.4g | %.4g | %.3f |\n",
				s, R, p, nl, nm, (nm > 0 ? nl / nm : 1), wl, wm, (wm > 0 ? wl / wm : 1) }'
	done
done
