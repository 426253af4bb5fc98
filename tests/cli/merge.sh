# merge: the reduced series and --full, scores without thresh, several
# series, CONTROL records, bad coefficient streams with exact messages.
. "$TSD_ROOT/tests/cli/lib.sh"
NAB=$DATA/nab; [ -d "$NAB" ] || NAB=$DATA
MT=$NAB/machine_temperature_system_failure.csv

tsgen --points 1030 -S 4 >g.csv
dwt -w 100 -J 3 g.csv >c.csv

ck help 0 '' 'merge --help | grep -q "^usage: merge"'
ck bad-score 2 "merge: --score: '2' out of range 0..1
Try 'merge --help' for more information." 'merge --score 2 c.csv'
ck samples 1 "merge: g.csv:2: expected wavelet coefficients (dwt output), found samples" 'merge g.csv'

# nothing dropped: the reduced series is every sample, the same as --full
ck all-kept 0 '' 'merge c.csv | cmp -s - <(merge --full c.csv) && test $(merge --no-header c.csv | wc -l) = 1030'
ck single-shape 0 '' 'merge c.csv | head -1 | grep -qx timestamp,s1'
ck times 0 '' 'merge --full --no-header c.csv | cut -d, -f1 | cmp -s - <(tsconv --no-header g.csv | cut -d, -f1)'
# the coarse grid alone: ceil(n / 2^J) points per window, at block centres
ck coarse-only 0 '' 'test $(thresh --keep 0 c.csv | merge --no-header | wc -l) = 138'
ck coarse-times 0 '' 'thresh --keep 0 c.csv | merge --no-header | head -2 | cut -d, -f1 | tr "\n" " " |
	grep -qx "2024-01-01 00:03:00 2024-01-01 00:11:00 "'
# --values sample: every point is a sample of the reconstruction at an input time
ck points-on-reconstruction 0 '' 'thresh -r 4 c.csv >t.csv && merge --full t.csv | tail -n +2 | sort >full &&
	merge --values sample t.csv | tail -n +2 | sort | comm -23 - full | wc -l | grep -qx 0'
# the fit (default): same times as --values sample, values fitted
ck fit-times 0 '' 'cmp -s <(merge t.csv | cut -d, -f1) <(merge --values sample t.csv | cut -d, -f1) &&
	! cmp -s <(merge t.csv) <(merge --values sample t.csv)'
# the fit follows the original closer than the reconstruction's samples do (NAB, 1/8 and 1/16)
for r in 8 16; do
	ok "fit-nrmse-$r" "tsconv $MT 2>/dev/null >mt.csv && dwt -w 1024 -J 7 mt.csv | thresh -r $r >mt.c &&
		merge mt.c >fit.csv && merge --values sample mt.c >smp.csv &&
		a=\$(tseval -o csv mt.csv fit.csv | awk -F, 'NR == 2 { print \$6 }') &&
		b=\$(tseval -o csv mt.csv smp.csv | awk -F, 'NR == 2 { print \$6 }') &&
		awk -v a=\"\$a\" -v b=\"\$b\" 'BEGIN { exit !(a > 0 && a < 0.95 * b) }'"
done
# no point outside the range of the reconstruction (a square wave: the
# least-squares lines would overshoot its edges without the clamp)
printf 'time,value\n' >sq.csv; for i in $(seq 0 511); do echo "$i,$(( (i / 37) % 2 * 10 ))"; done >>sq.csv
ck fit-range 0 '' 'dwt -w 128 -J 4 sq.csv | thresh -r 8 >sq.c && merge --full --no-header sq.c |
	awk -F, "NR == 1 || \$2 < lo { lo = \$2 } NR == 1 || \$2 > hi { hi = \$2 } END { print lo, hi }" >rng &&
	merge --no-header sq.c | awk -F, -v r="$(cat rng)" "BEGIN { split(r, b, \" \") } \$2 < b[1] || \$2 > b[2] { bad = 1 } END { exit bad }"'
ck bad-values 2 "merge: --values: 'mean' is not fit or sample
Try 'merge --help' for more information." 'merge --values mean c.csv'

# scores without thresh: merge keeps details scored 0.5 or more
awk -F, 'BEGIN { OFS = "," } NR > 1 && ($3 == "A" || $3 == "D") { $9 = ($5 % 2) ? "0.75" : "0.25" } 1' c.csv >s.csv
ck scores-default 0 '' 'merge --no-header s.csv | cmp -s - <(thresh --score 0.5 s.csv | merge --no-header)'
ck scores-low 0 '' 'merge --score 0.2 --full s.csv | cmp -s - <(merge --full c.csv)'

# several series: each the same as alone, reduced and full
tsgen --series-count 3 --points 700 -S 9 >multi.csv
for s in s1 s2 s3; do
	ok "multi-$s" "dwt -w 128 -J 3 multi.csv | thresh -r 5 | merge --shape long --no-header | grep '^$s,' | cut -d, -f2- >a.out &&
		tsconv -s $s multi.csv | dwt -w 128 -J 3 | thresh -r 5 | merge --no-header | cut -d, -f2- >b.out && cmp -s a.out b.out && test -s a.out"
done
ok multi-binary "dwt -o bin -w 128 -J 3 multi.csv | thresh -r 5 -o bin | merge -o csv | cmp -s - <(dwt -w 128 -J 3 multi.csv | thresh -r 5 | merge --shape long)"
# several series come out long with no flag, and read back as they went in
ok multi-long-csv 'dwt -w 128 -J 3 multi.csv | merge --full >m.csv && head -1 m.csv | grep -qx series,timestamp,value &&
	tsconv m.csv | cmp -s - m.csv && test $(cut -d, -f1 m.csv | sort -u | wc -l) = 4'
ck multi-single-forced 1 "merge: <stdin>:9: a second series ('s2') in single-series CSV output; use --shape long" \
	'tsconv -n 7 multi.csv | dwt -W haar -w 2 -J 1 | merge --shape single >/dev/null'

# CONTROL records pass through
printf '#tsd pos topic=t partition=0 offset=5\ntime,value\n1,1\n2,2\n3,3\n#tsd pos topic=t partition=0 offset=7\n#tsd pos topic=- partition=-1 offset=-1\n' >ctl.csv
ok control 'test "$(dwt -J 1 -W haar ctl.csv | thresh -r 2 | merge | grep -c "^#tsd pos topic=t partition=0 offset=[57]$")" = 2'

# bad coefficient streams: the series and window named, exit 1, no output
dwt -W haar -w 8 -J 2 -m periodization g.csv | sed 1d | head -40 >h.csv  # without its '#tsd shape' line   # windows 0..2 and a bit of 3
ck unknown-wavelet 1 "merge: <stdin>:2: series 's1' window 0: unknown wavelet 'db99'" \
	'sed "2s/haar/db99/" h.csv | merge >out; rc=$?; [ ! -s out ] || exit 9; exit $rc'
ck unknown-mode 1 "merge: <stdin>:2: series 's1' window 0: unknown mode 'sideways'" \
	'sed "2s/periodization/sideways/" h.csv | merge >out; rc=$?; [ ! -s out ] || exit 9; exit $rc'
ck missing-level 1 "merge: <stdin>:7: series 's1' window 0: detail level 1 missing" \
	'awk -F, "!(\$2 == 0 && \$3 == \"D\" && \$4 == 1)" h.csv | merge >out; rc=$?; [ ! -s out ] || exit 9; exit $rc'
ck levels-swapped 1 "merge: <stdin>:5: series 's1' window 0: detail level 2 index 1 where 0 was due (missing or out of order)" \
	'awk "NR == 5 { l = \$0; next } NR == 6 { print; print l; next } 1" h.csv | merge >out; rc=$?; [ ! -s out ] || exit 9; exit $rc'
ck late-level 1 "merge: <stdin>:5: series 's1' window 0: detail level 2 missing before detail level 1" \
	'awk "NR == 5 || NR == 6 { l = l \$0 \"\n\"; next } NR == 8 { print; printf \"%s\", l; next } 1" h.csv | merge'
ck late-approximation 1 "merge: <stdin>:4: series 's1' window 0: approximation (level 2) incomplete (1 of 2 coefficients) before detail level 2" \
	'awk "NR == 4 { l = \$0; next } NR == 6 { print; print l; next } 1" h.csv | merge'
# in a selected window details may be missing, but an approximation after details is out of order
ck selected-order 1 "merge: <stdin>:7: series 's1' window 0: approximation (level 2) after detail level 1 (out of order)" \
	'head -31 h.csv | thresh --keep 0.5 | awk "NR == 3 { l = \$0 } /,D,1,/ && !done { print; print l; done = 1; next } 1" | merge'
ck too-deep 1 "merge: <stdin>:2: series 's1' window 0: 5 levels of haar do not fit 8 samples" \
	'sed "2s/,W,2,/,W,5,/" h.csv | merge'
# the windows before the cut are written whole, the cut one not at all
ck truncated 1 "merge: <stdin>: series 's1' window 3: input ends inside the window (no END)" 'merge <h.csv >out; rc=$?; [ "$(tail -c1 out | od -An -tx1 | tr -d " ")" = 0a ] || exit 9; exit $rc'
ok truncated-whole-windows 'test "$(($(wc -l < out) - 1))" -gt 0 && ! grep -q "s1,.*window 3" out'
ck no-window 1 "merge: <stdin>:2: series 's1' window 0: coefficients of window 0 outside a WINDOW .. END" \
	'sed 2d h.csv | merge'

# the done criterion: about one eighth of the points, and the error printed
ok nab-ratio-8 "test \$(dwt -w 256 -J 4 $MT 2>/dev/null | thresh --ratio 8 | merge | tail -n +2 | wc -l) = 2835"
ok reduce-error "$ROOT/scripts/reduce-error.sh $MT 8 >err.txt && grep -q '^points: 22695 in, 2835 out' err.txt &&
	awk '/^reduced series:/ { exit !(\$4 < 0.01) }' err.txt"

# man page examples
ok man-example-1 "dwt -w 256 -J 4 $MT 2>/dev/null | thresh --ratio 8 | merge >reduced.csv && head -1 reduced.csv | grep -qx timestamp,value"
ok man-example-2 "dwt -W sym8 $MT 2>/dev/null | merge --full | tail -n +2 | wc -l | grep -qx 22683"
ok man-example-3 "dwt -w 1d -o bin $MT 2>/dev/null | thresh -b 48 -o bin | merge -t s -o csv >daily.csv && test \$(wc -l <daily.csv) -gt 1000"
