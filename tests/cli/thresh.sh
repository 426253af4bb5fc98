# thresh: the rules, budgets honoured point for point through merge,
# scores, errors with their exact messages.
. "$TSD_ROOT/tests/cli/lib.sh"
NAB=$DATA/nab; [ -d "$NAB" ] || NAB=$DATA
MT=$NAB/machine_temperature_system_failure.csv

tsgen --points 1030 -S 4 >g.csv
dwt -w 100 -J 3 g.csv >c.csv   # 10 windows of 100 (13 coarse points) and a tail of 30 (J 2, 8 coarse)
pts() { merge --no-header | wc -l; }; export -f pts

ck help 0 '' 'thresh --help | grep -q "^usage: thresh"'
ck two-rules 2 "thresh: one rule at most: --score, -x, -u, --keep, -b or -r
Try 'thresh --help' for more information." 'thresh -u -r 4 c.csv'
ck bad-ratio 2 "thresh: -r: ratio '0.5' out of range 1..1e9
Try 'thresh --help' for more information." 'thresh -r 0.5 c.csv'
ck samples 1 "thresh: g.csv:2: expected wavelet coefficients (dwt output), found samples" 'thresh g.csv'

# budgets: exactly P points per window, the coarse grid at least
ck budget-20 0 '' 'test $(thresh -b 20 c.csv | pts) = 220'
ck budget-13 0 'thresh: 10 windows kept no detail: the budget (13 points in the first) is no more than the coarse grid (13 points); raise -J or the window (see thresh(1))' 'test $(thresh -b 13 c.csv | pts) = 143'
ck budget-below-coarse 0 'thresh: 11 windows kept no detail: the budget (5 points in the first) is no more than the coarse grid (13 points); raise -J or the window (see thresh(1))' 'test $(thresh -b 5 c.csv | pts) = 138'  # 10 x 13 + 8: the coarse grids
ck budget-all 0 '' 'test $(thresh -b 100 c.csv | pts) = 1030'
ck budget-per-window 0 '' 'thresh -b 17 c.csv | merge --no-header -t s | awk -F, "{print int((\$1 - 1704067200) / 6000)}" |
	uniq -c | awk "{c[NR] = \$1} END {for (i = 1; i <= 10; i++) if (c[i] != 17) exit 1; exit c[11] != 17}"'
ck ratio-4 0 '' 'test $(thresh -r 4 c.csv | pts) = 258'     # 10 x 25 + 30/4 -> 8 (7.5 rounds up)
ck ratio-nab 0 '' "test \$(dwt -w 256 -J 4 $MT 2>/dev/null | thresh --ratio 8 | pts) = 2835"  # 88 x 32 + 155/8 -> 19
ck keep-all 0 '' 'test $(thresh --keep 1 c.csv | grep -c ",D,") = $(grep -c ",D," c.csv)'
ck keep-none 0 '' 'test $(thresh --keep 0 c.csv | grep -c ",D,") = 0 && test $(thresh --keep 0 c.csv | grep -c ",A,") = $(grep -c ",A," c.csv)'
ck keep-half 0 '' 'test $(thresh -x 0 c.csv | grep -c ",D,") = $(grep -c ",D," c.csv)'

# universal threshold, by hand: sigma = median |cD1| / 0.6745, thr = sigma sqrt(2 ln n)
ck universal 0 '' 'thresh -u c.csv | awk -F, "\$2 == 0 && \$3 == \"D\"" | cut -d, -f8 >kept &&
	awk -F, "\$2 == 0 && \$3 == \"D\" && \$4 == 1 { v = \$8 < 0 ? -\$8 : \$8; print v }" c.csv | sort -g >d1 &&
	n=$(wc -l <d1) && med=$(awk -v n=$n "NR == int((n + 1) / 2) { a = \$1 } NR == int(n / 2) + 1 { b = \$1 } END { print (a + b) / 2 }" d1) &&
	awk -F, -v m=$med "\$2 == 0 && \$3 == \"D\" { v = \$8 < 0 ? -\$8 : \$8; if (v >= m / 0.6745 * sqrt(2 * log(100))) print \$8 }" c.csv | cmp -s - kept'
ck default-universal 0 '' 'thresh c.csv | cmp -s - <(thresh -u c.csv)'
ck selected-flag 0 '' 'thresh -r 4 c.csv | grep -c ",WS," | grep -qx 11'

# scores: keep at or above the threshold (default 0.5 when scored)
awk -F, 'BEGIN { OFS = "," } NR > 1 && ($3 == "A" || $3 == "D") { $9 = ($5 % 2) ? "0.75" : "0.25" } 1' c.csv >s.csv
ck score-default 0 '' 'test $(thresh s.csv | grep -c ",D,") = $(grep -c ",D,.*,0.75$" s.csv)'
ck score-0.2 0 '' 'test $(thresh --score 0.2 s.csv | grep -c ",D,") = $(grep -c ",D," s.csv)'
ck score-keeps-scores 0 '' 'thresh s.csv | grep ",D," | grep -vq ",0.75$" && exit 1 || exit 0'

# a second pass keeps a subset, and the budget still holds
ck twice 0 '' 'test $(thresh -r 2 c.csv | thresh -b 20 | pts) = 215'  # the tail kept 15 points, fewer than 20

# bad streams: named series and window, nothing of the bad window written
ck missing-level 1 "thresh: c.csv:4: series 's1' window 0: approximation (level 3) missing before detail level 3" \
	'awk -F, "!(\$2 == 0 && \$3 == \"A\")" c.csv >m.csv && mv m.csv c.csv.bad && cp c.csv c.orig && cp c.csv.bad c.csv && thresh c.csv; rc=$?; cp c.orig c.csv; exit $rc'
ck truncated 1 "thresh: <stdin>: series 's1' window 10: input ends inside the window (no END)" 'head -n -1 c.csv | thresh >out; rc=$?; [ -z "$(grep ",10,W" out)" ] || exit 9; exit $rc'

# man page examples
ok man-example-1 "dwt -w 256 -J 4 $MT 2>/dev/null | thresh --ratio 8 | merge >reduced.csv && test \$(wc -l <reduced.csv) = 2836"
ok man-example-2 "dwt -w 256 -J 4 $MT 2>/dev/null | thresh --budget 40 | merge --no-header | wc -l | grep -qx 3560"
ok man-example-3 "dwt -w 256 -J 4 $MT 2>/dev/null | thresh --universal | merge --full >denoised.csv && test \$(wc -l <denoised.csv) = 22684"

# --exact: the least-squares reference on orthonormal windows
dwt -w 128 -J 3 -m periodization g.csv >p.csv   # 8 windows of 128 and a tail of 6 (not a multiple of 8)
ck exact-needs-count 2 "thresh: --exact: says how to choose, not how many: give --keep, -b or -r too
Try 'thresh --help' for more information." 'thresh --exact p.csv'
ck exact-symmetric 1 "thresh: c.csv:123: series 's1' window 0: --exact needs an orthonormal transform, and db4 in mode symmetric has more coefficients than samples (use dwt -m periodization, or -W haar)" 'thresh --exact -r 4 c.csv'
ck exact-tail-counted 0 "thresh: 1 window of a length not a multiple of 2^J: kept by magnitude, not proven least-squares" 'head -n 1030 g.csv | dwt -w 128 -J 3 -m periodization | thresh --exact -r 4 >/dev/null'
ck exact-haar-any-mode 0 "thresh: 1 window of a length not a multiple of 2^J: kept by magnitude, not proven least-squares" 'dwt -W haar -w 64 -J 3 g.csv | thresh --exact -b 20 | pts | grep -qx 326'
# Parseval through the tools: the squared error of merge --full over the
# 8 orthonormal windows is the sum of squares of the dropped details
ck exact-parseval 0 '' 'thresh --exact -r 4 p.csv 2>/dev/null >t.csv && merge --full --no-clamp t.csv >f.csv &&
	a=$(awk -F, "FNR == 1 { next } NR == FNR { if (\$3 == \"D\") k[\$2\",\"\$4\",\"\$5] = 1; next }
		\$3 == \"D\" && \$2 < 8 && !((\$2\",\"\$4\",\"\$5) in k) { s += \$8 * \$8 } END { printf \"%.15g\", s }" t.csv p.csv) &&
	b=$(paste -d, g.csv f.csv | awk -F, "NR > 1 && NR <= 1025 { d = \$2 - \$4; s += d * d } END { printf \"%.15g\", s }") &&
	awk -v a=$a -v b=$b "BEGIN { exit !(a > 0 && (a - b) ^ 2 <= 1e-18 * a * a) }"'
# clamped to the samples' range (the default), the error can only fall
ck exact-parseval-clamped 0 '' 'merge --full t.csv >fc.csv &&
	a=$(paste -d, g.csv f.csv | awk -F, "NR > 1 && NR <= 1025 { d = \$2 - \$4; s += d * d } END { printf \"%.15g\", s }") &&
	b=$(paste -d, g.csv fc.csv | awk -F, "NR > 1 && NR <= 1025 { d = \$2 - \$4; s += d * d } END { printf \"%.15g\", s }") &&
	awk -v a=$a -v b=$b "BEGIN { exit !(b <= a * (1 + 1e-12)) }"'

# ranks by magnitude whatever the scores, so no scored selection beats it
ck exact-ignores-scores 0 '' 'tscore p.csv | thresh --exact -r 4 2>/dev/null | merge --full >fs.csv && thresh --exact -r 4 p.csv 2>/dev/null | merge --full | cmp -s - fs.csv'
ck exact-beats-learned 0 '' "dwt -w 1024 -J 7 -m periodization $MT 2>/dev/null >pm.csv &&
	thresh --exact -r 8 pm.csv 2>/dev/null | merge --full >ex.csv && tscore pm.csv | thresh -r 8 | merge --full >le.csv &&
	x=\$(tseval -o csv $MT ex.csv 2>/dev/null | awk -F, 'NR == 2 { print \$6 }') &&
	l=\$(tseval -o csv $MT le.csv 2>/dev/null | awk -F, 'NR == 2 { print \$6 }') &&
	awk -v x=\$x -v l=\$l 'BEGIN { exit !(x > 0 && x <= l) }'"

# --exact-reduced: every choice tried, for the reduced series itself
dwt -W haar -w 16 -J 3 g.csv >h16.csv   # 14 details a window
ck exact-reduced-count 0 '' 'test $(thresh --exact-reduced -r 4 h16.csv | pts) = $(thresh -r 4 h16.csv | pts)'
ck exact-reduced-beats-magnitude 0 '' 'thresh --exact-reduced -r 4 h16.csv | merge >xr.csv && thresh -r 4 h16.csv | merge >mr.csv &&
	x=$(tseval -o csv g.csv xr.csv | awk -F, "NR == 2 { print \$6 }") && m=$(tseval -o csv g.csv mr.csv | awk -F, "NR == 2 { print \$6 }") &&
	awk -v x=$x -v m=$m "BEGIN { exit !(x > 0 && x < m) }"'
ck exact-reduced-too-many 1 "thresh: c.csv:123: series 's1' window 0: --exact-reduced tries every choice of details, and this window has 101 (at most 20: use a shorter -w or fewer levels)" 'thresh --exact-reduced -r 4 c.csv'
ck exact-one-kind 2 "thresh: --exact and --exact-reduced: one at most
Try 'thresh --help' for more information." 'thresh --exact --exact-reduced -r 4 h16.csv'
# the trap the live demo once fell in: 1 point in 8 on 64-sample windows
# with J 3 leaves the whole budget to the coarse grid (the short last
# window alone does not warn)
ck starved-warns 0 "thresh: 17 windows kept no detail: the budget (8 points in the first) is no more than the coarse grid (8 points); raise -J or the window (see thresh(1))" 'dwt -w 64 -J 3 g.csv | thresh --ratio 8 >/dev/null'
ck starved-tail-quiet 0 '' 'dwt -w 128 -J 4 g.csv | thresh --ratio 8 >/dev/null'

# --ratio over the whole series: round(1140 / 8) = 143 points, not the
# per-window 11 x 13 + 5 = 148 (haar keeps J 4 in the 40-sample tail)
tsgen --points 1140 -S 5 >g1140.csv
ck ratio-whole-series 0 '' 'test $(dwt -W haar -w 100 -J 4 g1140.csv | thresh -r 8 | pts) = 143'
ck ratio-whole-series-7 0 '' 'test $(dwt -W haar -w 100 -J 4 g1140.csv | thresh -r 7 | pts) = 163'
# several series: each its own budget
tsgen --series-count 3 --points 1140 -S 6 >g3.csv
ck ratio-per-series 0 '' 'dwt -W haar -w 100 -J 4 g3.csv | thresh -r 8 | merge --shape long --no-header |
	cut -d, -f1 | sort | uniq -c | awk "\$1 != 143 { bad = 1 } END { exit bad || NR != 3 }"'
