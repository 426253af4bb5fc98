#!/bin/bash
# fidelity-report.sh: every downsampling method at ratios 4, 8, 16, 32 and
# 64 on every NAB series, measured by tseval against the original; writes
# doc/fidelity.md (markdown tables) and doc/fidelity-*.png (gnuplot,
# pngcairo: error against ratio).
#
# usage: scripts/fidelity-report.sh [NAB_DIR [OUT_DIR]]
#   NAB_DIR  default ../shared/data/nab (then /work/shared/data/nab)
#   OUT_DIR  default doc
# The tools are taken from $TSD_BIN, default build/rel/bin (make first).
set -eu
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=${TSD_BIN:-$ROOT/build/rel/bin}
NAB=${1:-}
if [ -z "$NAB" ]; then
	NAB=../shared/data/nab
	[ -d "$NAB" ] || NAB=/work/shared/data/nab
fi
OUT=${2:-doc}
RATIOS="4 8 16 32 64"
W=800
H=200
export PATH="$BIN:$PATH"
for t in tsconv tseval lttb minmaxlttb minmax m4 nth sdt deadband paa; do
	[ -x "$BIN/$t" ] || { echo "fidelity-report: $BIN/$t missing; run make" >&2; exit 1; }
done
command -v gnuplot >/dev/null || { echo "fidelity-report: gnuplot missing" >&2; exit 1; }

work=$(mktemp -d /tmp/fidelity.XXXXXX)
trap 'rm -rf "$work"' EXIT
files=("$NAB"/*.csv)
events=$NAB/anomaly_windows.json
notes=$work/notes
: >"$notes"

METHODS="lttb minmaxlttb minmax m4 nth sdt deadband paa"
if [ -x "$BIN/dwt" ] && [ -x "$BIN/thresh" ] && [ -x "$BIN/merge" ]; then
	METHODS="$METHODS dwt"
else
	echo "- dwt | thresh | merge: skipped, the tools were not in $BIN when this ran." >>"$notes"
fi

label() {
	case $1 in
	paa) echo "paa -Z (group means)" ;;
	dwt) echo "dwt+thresh+merge" ;;
	*) echo "$1" ;;
	esac
}

reduce() { # METHOD RATIO: the reduced stream of every file, on stdout
	case $1 in
	paa) paa -Z -w 4096 -g "$2" "${files[@]}" ;;
	dwt) dwt -w 1024 -J 7 "${files[@]}" | thresh --ratio "$2" | merge --shape long ;;
	*) "$1" --whole -r "$2" "${files[@]}" ;;
	esac
}

# The original as the tools read it (several files: series named after
# them; NAB's repeated times dropped, as every tool here drops them).
tsconv "${files[@]}" >"$work/orig.csv" 2>"$work/log"
nseries=$(tail -n +2 "$work/orig.csv" | cut -d, -f1 | sort -u | wc -l)
npoints=$(($(wc -l <"$work/orig.csv") - 1))

res=$work/results.csv
: >"$res"
: >"$work/peaks2"
for m in $METHODS; do
	for r in $RATIOS; do
		if ! reduce "$m" "$r" >"$work/red.csv" 2>>"$work/log"; then
			echo "- $(label "$m") at ratio $r: the reduction failed ($(tail -n 1 "$work/log"))." >>"$notes"
			continue
		fi
		if ! tseval -o csv --width $W --height $H -e "$events" "$work/orig.csv" "$work/red.csv" \
			>"$work/ev.csv" 2>>"$work/log"; then
			echo "- $(label "$m") at ratio $r: tseval refused it ($(tail -n 1 "$work/log"))." >>"$notes"
			continue
		fi
		tail -n +2 "$work/ev.csv" | sed "s/^/$m,$r,/" >>"$res"
		# peaks again within 2% of each series' range (fairer to methods
		# that write new values: paa's means, merge's reconstruction)
		tseval -o csv --tol 2% -e "$events" "$work/orig.csv" "$work/red.csv" \
			2>>"$work/log" | awk -F, -v m="$m" -v r="$r" '$1 == "(all)" { print m, r, $12, $13 }' >>"$work/peaks2"
	done
done

# Per method and ratio, from the '(all)' row and the per-series rows:
# achieved point ratio, pooled NRMSE, mean per-series NRMSE, pooled
# event-window NRMSE, % of window extremes kept, mean differing pixels per
# chart, error-free charts, mean DSSIM.
# results.csv fields: 1 method 2 R 3 series 4 n 5 m 6 ratio 7 bytes_ratio
# 8 nrmse 9 maxabs 10 maxabs_time 11 win_n 12 win_nrmse 13 win_maxabs
# 14 peaks_kept 15 peaks 16 pixels 17 dssim
awk -F, -v OFS='\t' '
	$3 != "(all)" { k = $1 SUBSEP $2; s[k] += $8; c[k]++; ef[k] += ($16 == 0); next }
	{ k = $1 SUBSEP $2; row[k] = $0; order[++n] = k }
	END {
		for (i = 1; i <= n; i++) {
			k = order[i]; split(row[k], f, ",")
			print f[1], f[2], f[6], f[8], s[k] / c[k], f[12], \
				(f[15] ? 100 * f[14] / f[15] : 0), f[16] / c[k], ef[k], c[k], f[17], f[7]
		}
	}' "$res" | sort -t"$(printf '\t')" -k1,1 -k2,2n >"$work/agg0.tsv"
awk -v OFS='\t' 'NR == FNR { p[$1 SUBSEP $2] = $4 ? 100 * $3 / $4 : 0; next }
	{ print $0, p[$1 SUBSEP $2] }' "$work/peaks2" FS='\t' "$work/agg0.tsv" >"$work/agg.tsv"
# agg.tsv: 1 method 2 R 3 ratio 4 nrmse 5 mean_nrmse 6 win_nrmse 7 peaks%
# 8 pixels/chart 9 error-free 10 charts 11 dssim 12 bytes_ratio 13 peaks% at 2%

awk -F'\t' '$3 < 0.8 * $2 { printf "- %s at ratio %s reaches only %.2f.\n", $1, $2, $3 }' "$work/agg.tsv" |
	sed 's/^- dwt /- dwt+thresh+merge /' >>"$notes"
case " $METHODS " in *" dwt "*)
	echo "- dwt+thresh+merge with -J 7 keeps at least one approximation coefficient per 2^7 = 128 samples; windows of 1024 samples." >>"$notes" ;;
esac

table() { # COLUMN FORMAT TITLE
	local col=$1 fmt=$2
	printf '\n### %s\n\n| method |' "$3"
	for r in $RATIOS; do printf ' %s |' "$r"; done
	printf '\n|---|'
	for r in $RATIOS; do printf -- '---:|'; done
	printf '\n'
	for m in $METHODS; do
		printf '| %s |' "$(label "$m")"
		for r in $RATIOS; do
			v=$(awk -F'\t' -v m="$m" -v r="$r" -v c="$col" -v fmt="$fmt" \
				'$1 == m && $2 == r { printf fmt, $c; found = 1 } END { if (!found) printf "-" }' \
				"$work/agg.tsv")
			printf ' %s |' "$v"
		done
		printf '\n'
	done
}

# gnuplot data: one block per method (ratio achieved, then the figures)
: >"$work/plot.dat"
for m in $METHODS; do
	awk -F'\t' -v m="$m" '$1 == m { print $3, $4, $6, $7, $8, $11, $13 }' "$work/agg.tsv" >>"$work/plot.dat"
	# an empty block still needs one line for gnuplot's index to count it
	awk -F'\t' -v m="$m" '$1 == m { f = 1 } END { exit f }' "$work/agg.tsv" && echo "# none" >>"$work/plot.dat"
	printf '\n\n' >>"$work/plot.dat"
done
plot() { # NAME COLUMN YLABEL LOGY
	local i=0 cmd="" colours=('#1f77b4' '#2ca02c' '#17becf' '#ff7f0e' '#bcbd22' '#d62728' '#9467bd' '#000000' '#e377c2')
	for m in $METHODS; do
		# a method without results has an empty block: leave it out
		if awk -F'\t' -v m="$m" '$1 == m { f = 1 } END { exit !f }' "$work/agg.tsv"; then
			cmd="$cmd${cmd:+, }'$work/plot.dat' index $i using 1:$2 with linespoints lw 2 pt $((i + 1)) lc rgb '${colours[$i]}' title '$(label "$m")'"
		fi
		i=$((i + 1))
	done
	gnuplot <<EOF
set terminal pngcairo size 900,560 enhanced font 'DejaVu Sans,11'
set output '$OUT/fidelity-$1.png'
set logscale x 2
$([ "$4" = log ] && echo "set logscale y")
set xrange [3:100]
set xtics (4, 8, 16, 32, 64)
set xlabel 'compression ratio achieved (original points / kept points)'
set ylabel '$3'
set key outside right top
set grid
set title '$3 against ratio, $nseries NAB series ($npoints points)'
plot $cmd
EOF
}
mkdir -p "$OUT"
plot nrmse 2 'NRMSE (RMSE / range, pooled)' log
plot window-nrmse 3 'NRMSE inside anomaly windows' log
plot peaks 4 'window extremes kept exactly (%)' lin
plot peaks-2pct 7 'window extremes kept within 2% of range (%)' lin
plot pixels 5 'differing pixels per 800x200 chart' log
plot dssim 6 'DSSIM of 800x200 anti-aliased charts' log

{
	cat <<EOF
# Fidelity of the downsamplers on NAB

Made by \`scripts/fidelity-report.sh\` on $(date -u +%Y-%m-%d) from the $nseries
series of \`$(basename "$NAB")\` ($npoints points after dropping repeated
times). Each method reduces every whole series at the nominal ratios
$RATIOS (\`lttb --whole -r R\`, likewise minmaxlttb, minmax, m4, nth, sdt,
deadband; \`paa -Z -w 4096 -g R\`$(case " $METHODS " in *" dwt "*) echo "; \`dwt -w 1024 -J 7 | thresh --ratio R | merge\`" ;; esac)),
and \`tseval -e anomaly_windows.json --width $W --height $H\` compares the
result with the original, read as a consumer reads it: straight lines
between the kept points, evaluated at every original timestamp.

- **NRMSE**: RMSE divided by the series' range, pooled over all samples of
  all series (each sample's error normalised by its own series' range).
- **window NRMSE**: the same over the samples inside NAB's anomaly windows.
- **peaks kept**: of each window's largest and smallest value, the share
  that the reduced series reproduces at a time the original had it,
  exactly (tolerance 0) or within 2% of the series' range.
- **pixels**: pixels that differ between 1-bit ${W}x${H} line charts of the
  original and the reduced series (0 is the M4 paper's error-free chart),
  mean per series; **DSSIM** = (1 - SSIM) / 2 of anti-aliased charts, mean.

sdt and deadband are fitted per series (bisection on CompDev / ExcDev) to
keep at most n/R points; m4 and nth may keep fewer than asked (m4 drops
duplicates, nth keeps every k-th for the smallest k that fits), so the
charts plot against the ratio achieved. paa writes group means at group
centres, not original points: its peaks are rarely exact. Each method
sees whole series; in streaming use (\`-w\`), every window also keeps its
own first and last point.
EOF
	if [ -s "$notes" ]; then
		printf '\nNotes on this run:\n\n'
		cat "$notes"
	fi
	printf '\n## Tables\n'
	table 3 '%.2f' 'Ratio achieved (points)'
	table 12 '%.2f' 'Ratio achieved (CSV bytes)'
	table 4 '%.4f' 'NRMSE, pooled'
	table 5 '%.4f' 'NRMSE, mean over series'
	table 6 '%.4f' 'NRMSE inside anomaly windows'
	table 7 '%.1f' 'Anomaly-window extremes kept exactly (%)'
	table 13 '%.1f' 'Anomaly-window extremes kept within 2% of the range (%)'
	table 8 '%.0f' "Differing pixels per ${W}x${H} chart (mean)"
	table 9 '%d' "Error-free charts (of $nseries)"
	table 11 '%.4f' 'DSSIM (mean)'
	cat <<EOF

## Charts

![NRMSE against ratio](fidelity-nrmse.png)

![NRMSE inside anomaly windows](fidelity-window-nrmse.png)

![Anomaly-window extremes kept](fidelity-peaks.png)

![Anomaly-window extremes kept within 2%](fidelity-peaks-2pct.png)

![Differing pixels per chart](fidelity-pixels.png)

![DSSIM](fidelity-dssim.png)
EOF
} >"$OUT/fidelity.md"
echo "fidelity-report: wrote $OUT/fidelity.md and $OUT/fidelity-*.png" >&2
