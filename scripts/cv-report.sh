#!/bin/bash
# cv-report.sh: the learned scorer against magnitude selection and the
# classic methods, cross-validated: no series is scored by a model that
# was trained on it.
#
# NAB's series are cut into K folds (sorted by name, dealt round robin).
# For each fold a model is trained by tstrain on the other folds' series
# (windows of 1024, J = 7, as the default pipeline; targets from the
# greedy oracle on merge's reduced series with the peak term, i.e. on
# what is measured) and scores only that fold's series. A plant family
# from tsgen (noisy 1 Hz sensors: slow process, noise, quantisation,
# steps, spikes) is scored by the first fold's model, which never saw a
# plant series. Every method writes the same number of points per series
# (n/R, exact budgets):
#   paa        paa -Z -w 4096 -g R                 (group means)
#   magnitude  dwt -w 1024 -J 7 | thresh --ratio R | merge
#   learned    dwt -w 1024 -J 7 | tscore -M FOLD | thresh --ratio R | merge
#   sdt        sdt --whole -r R                    (swinging door)
#   lttb       lttb --whole -r R
# and tseval measures each against its original: nrmse (RMSE / range of
# the whole series, read by straight lines) and, on NAB, win_maxabs (the
# largest error inside the labelled anomaly windows) / range.
#
# Prints markdown: per data set and ratio, the median over series of each
# method's nrmse / paa's, the median event error / range, and learned
# against magnitude: wins / ties (within 0.5%) / losses by nrmse.
#
#   scripts/cv-report.sh [NAB_DIR]   (K folds, default 4; EPOCHS, default 20;
#                                     PLANT series, default 12; TRAIN, the
#                                     tstrain objective; CAND, tscore's
#                                     --candidates (with --ratio R) for the
#                                     learned method; B, the build dir)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
B=${B:-$ROOT/build/rel}
NAB=${1:-$ROOT/../shared/data/nab}
[ -d "$NAB" ] || NAB=/work/shared/data/nab
K=${K:-4}
EPOCHS=${EPOCHS:-20}
PLANT=${PLANT:-12}
# the training objective: the greedy oracle on merge's reduced series with
# the peak term (what is measured); "--greedy 0" is the energy oracle
TRAIN=${TRAIN:---greedy 1 --peak 1}
RATIOS="8 16 32 64"
METHODS="paa magnitude learned sdt lttb"
PATH=$B/bin:$PATH
for t in tsgen tstrain tscore dwt thresh merge paa sdt lttb tseval; do
	[ -x "$B/bin/$t" ] || { echo "cv-report: $B/bin/$t missing; run make" >&2; exit 1; }
done
tmp=$(mktemp -d /tmp/cv-report.XXXXXX)
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
events=$NAB/anomaly_windows.json

# the folds
mapfile -t nab < <(ls "$NAB"/*.csv | sort)
for i in "${!nab[@]}"; do
	echo "$((i % K)) ${nab[$i]}"
done >"$tmp/folds"
# the plant family, one file per series (seeds 1001..)
for i in $(seq 1 "$PLANT"); do
	tsgen --family plant --series-count 1 --points 20000 -S $((1000 + i)) 2>/dev/null |
		tsconv --shape single >"$tmp/plant$i.csv"
done

# one model per fold, trained on the other folds
for k in $(seq 0 $((K - 1))); do
	mapfile -t train < <(awk -v k="$k" '$1 != k { print $2 }' "$tmp/folds")
	# shellcheck disable=SC2086
	nice tstrain -q -M "$tmp/fold$k.tsdm" -e "$events" -E "$EPOCHS" -w 1024 -J 7 \
		$TRAIN -S 1 "${train[@]}" 2>>"$tmp/log"
done

reduce() { # METHOD R FILE MODEL
	case $1 in
	paa) paa -Z -w 4096 -g "$2" "$3" ;;
	magnitude) dwt -w 1024 -J 7 "$3" | thresh --ratio "$2" | merge ;;
	learned) dwt -w 1024 -J 7 "$3" | tscore -M "$4" ${CAND:+--ratio "$2" --candidates "$CAND"} | thresh --ratio "$2" | merge ;;
	*) "$1" --whole -r "$2" "$3" ;;
	esac
}

# results: set series R method nrmse event_err/range
res=$tmp/res
: >"$res"
score() { # SET FILE MODEL
	local name
	name=$(basename "$2" .csv)
	for r in $RATIOS; do
		for m in $METHODS; do
			reduce "$m" "$r" "$2" "$3" >"$tmp/red.csv" 2>>"$tmp/log" || { echo "cv-report: $m $r $name failed" >&2; continue; }
			ev=()
			[ "$1" = nab ] && ev=(-e "$events" --name-from-file)
			tseval -o csv "${ev[@]}" "$2" "$tmp/red.csv" 2>>"$tmp/log" |
				awk -F, -v s="$1" -v n="$name" -v r="$r" -v m="$m" '
					NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
					$1 != "(all)" && !done {
						ev = ($(c["win_maxabs"]) != "" && $(c["range"]) > 0) ? $(c["win_maxabs"]) / $(c["range"]) : ""
						print s, n, r, m, $(c["nrmse"]), ev; done = 1
					}' >>"$res"
		done
	done
}
while read -r k f; do
	score nab "$f" "$tmp/fold$k.tsdm"
done <"$tmp/folds"
for i in $(seq 1 "$PLANT"); do
	score plant "$tmp/plant$i.csv" "$tmp/fold0.tsdm"
done

median() { sort -g | awk '{ a[NR] = $1 } END { if (!NR) { print "-"; exit } print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

for set in nab plant; do
	nser=$(awk -v s="$set" '$1 == s { print $2 }' "$res" | sort -u | wc -l)
	if [ "$set" = nab ]; then
		printf '\n### NAB: %d series, %d folds (each scored by the model of the other folds)\n' "$nser" "$K"
	else
		printf '\n### tsgen plant family: %d series (scored by a model that saw no plant series)\n' "$nser"
	fi
	printf '\nMedian NRMSE / PAA'"'"'s, equal points:\n\n| method |'
	for r in $RATIOS; do printf ' R=%s |' "$r"; done
	printf '\n|---|'
	for r in $RATIOS; do printf -- '---:|'; done
	printf '\n'
	for m in $METHODS; do
		printf '| %s |' "$m"
		for r in $RATIOS; do
			v=$(awk -v s="$set" -v r="$r" -v m="$m" '$1 == s && $3 == r && $4 == "paa" { p[$2] = $5 }
				$1 == s && $3 == r && $4 == m { v[$2] = $5 }
				END { for (k in v) if (p[k] > 0) print v[k] / p[k] }' "$res" | median)
			printf ' %.3f |' "$v"
		done
		printf '\n'
	done
	if [ "$set" = nab ]; then
		printf '\nMedian largest error inside the anomaly windows / range:\n\n| method |'
		for r in $RATIOS; do printf ' R=%s |' "$r"; done
		printf '\n|---|'
		for r in $RATIOS; do printf -- '---:|'; done
		printf '\n'
		for m in $METHODS; do
			printf '| %s |' "$m"
			for r in $RATIOS; do
				v=$(awk -v s="$set" -v r="$r" -v m="$m" '$1 == s && $3 == r && $4 == m && $6 != "" { print $6 }' "$res" | median)
				printf ' %.3f |' "$v"
			done
			printf '\n'
		done
	fi
	printf '\nLearned against magnitude, by NRMSE (wins / ties within 0.5%% / losses):'
	for r in $RATIOS; do
		awk -v s="$set" -v r="$r" '$1 == s && $3 == r && $4 == "magnitude" { g[$2] = $5 }
			$1 == s && $3 == r && $4 == "learned" { l[$2] = $5 }
			END { for (k in l) { if (l[k] < g[k] * 0.995) w++; else if (l[k] > g[k] * 1.005) lo++; else t++ }
				printf " R=%d: %d / %d / %d;", r, w, t, lo }' "$res"
	done
	printf '\n'
done
