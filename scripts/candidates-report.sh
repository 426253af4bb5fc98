#!/bin/bash
# candidates-report.sh: what scoring only candidates costs (issue 18) and
# where the learned scorer stands against magnitude selection (issue 14),
# at equal points, on NAB's series and on tsgen's plant family (held-out
# seeds: the built-in model never saw them). For each R, per series:
#   magnitude:  dwt -w 1024 -J 7 | thresh --ratio R | merge
#   learned:    dwt ... | tscore | thresh --ratio R | merge
#   cand K:     dwt ... | tscore --ratio R --candidates K | thresh ... | merge
#   paa:        paa -Z -w 4096 -g R (the reference)
# Prints markdown: median NRMSE / PAA's, median event-window max error /
# range (NAB's labelled windows; spike and step windows of the plant
# family), and learned vs magnitude wins/ties/losses on NRMSE.
#   scripts/candidates-report.sh [NAB_DIR]   ($TSD_BIN: the tools; $MODEL:
#                                             a model file instead of the
#                                             built-in one)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${TSD_BIN:-$PWD/build/rel/bin}
NAB=${1:-../shared/data/nab}
[ -d "$NAB" ] || NAB=/work/shared/data/nab
export PATH="$BIN:$PATH"
RATIOS=${RATIOS:-8 16 32 64}
tmp=$(mktemp -d /tmp/candrep.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# the plant family: 8 series of 4 hours at 1 Hz, seed 101 (not a training seed)
tsgen --family plant --series-count 8 --points 14400 -S 101 -e "$tmp/plant.e4" > "$tmp/plant.csv"
cut -d, -f1-3 "$tmp/plant.e4" > "$tmp/plant.ev"
tsconv "$NAB"/*.csv > "$tmp/nab.csv" 2>/dev/null

red() { # METHOD R INPUT
	case $1 in
	paa) paa -Z -w 4096 -g "$2" "$3" ;;
	magnitude) dwt -w 1024 -J 7 "$3" | thresh --ratio "$2" | merge --shape long ;;
	learned) dwt -w 1024 -J 7 "$3" | tscore ${MODEL:+-M "$MODEL"} | thresh --ratio "$2" | merge --shape long ;;
	cand*) dwt -w 1024 -J 7 "$3" | tscore ${MODEL:+-M "$MODEL"} --ratio "$2" --candidates "${1#cand}" | thresh --ratio "$2" | merge --shape long ;;
	esac
}
METHODS="paa magnitude learned cand4 cand1"
for set in nab plant; do
	ev=$NAB/anomaly_windows.json
	[ $set = plant ] && ev=$tmp/plant.ev
	for r in $RATIOS; do
		for m in $METHODS; do
			red $m $r "$tmp/$set.csv" 2>/dev/null > "$tmp/red.csv"
			tseval --no-charts -o csv -e "$ev" "$tmp/$set.csv" "$tmp/red.csv" 2>/dev/null |
				awk -F, -v s=$set -v r=$r -v m=$m 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
					$1 != "(all)" { print s, r, m, $1, $(c["nrmse"]), $(c["win_maxabs"]), $(c["range"]), $(c["m"]) }'
		done
	done
done > "$tmp/rows"
med() { sort -g | awk '{ a[NR] = $1 } END { if (!NR) { print "-"; exit } printf "%.3f", NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
for set in nab plant; do
	echo
	echo "### $set: median NRMSE / PAA's (per series), event-window max error / range"
	echo
	echo "| method | $(echo $RATIOS | sed 's/ / | /g') |"
	echo "|---|$(for r in $RATIOS; do printf -- '---|'; done)"
	for m in $METHODS; do
		printf '| %s |' "$m"
		for r in $RATIOS; do
			v=$(awk -v s=$set -v r=$r -v m=$m '$1 == s && $2 == r && $3 == "paa" { p[$4] = $5 }
				$1 == s && $2 == r && $3 == m { q[$4] = $5 } END { for (k in q) if (p[k] > 0) print q[k] / p[k] }' "$tmp/rows" | med)
			printf ' %s |' "$v"
		done
		echo
	done
	for m in $METHODS; do
		printf '| %s event max err / range |' "$m"
		for r in $RATIOS; do
			v=$(awk -v s=$set -v r=$r -v m=$m '$1 == s && $2 == r && $3 == m && $6 != "" && $7 > 0 { print $6 / $7 }' "$tmp/rows" | med)
			printf ' %s |' "$v"
		done
		echo
	done
	printf '| learned vs magnitude, NRMSE wins/ties/losses |'
	for r in $RATIOS; do
		awk -v s=$set -v r=$r '$1 == s && $2 == r && $3 == "magnitude" { g[$4] = $5 }
			$1 == s && $2 == r && $3 == "learned" { l[$4] = $5 }
			END { for (k in l) { if (l[k] < g[k] * 0.999) w++; else if (l[k] > g[k] * 1.001) L++; else t++ }
				printf " %d/%d/%d |", w, t, L }' "$tmp/rows"
	done
	echo
	printf '| points, magnitude / learned / cand4 (all series) |'
	for r in $RATIOS; do
		awk -v s=$set -v r=$r '$1 == s && $2 == r { n[$3] += $8 } END { printf " %d/%d/%d |", n["magnitude"], n["learned"], n["cand4"] }' "$tmp/rows"
	done
	echo
done
