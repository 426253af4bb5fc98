# The downsampler tools (nth, minmax, m4, lttb, minmaxlttb, sdt, deadband):
# hand-worked examples, LTTB point for point against an independent
# implementation on NAB files, first/last/count invariants on tsgen data,
# the SDT and deadband deviation bounds measured by tseval, bad input.
. "$TSD_ROOT/tests/cli/lib.sh"

# NAB files: $DATA is the NAB directory or its parent
NAB=$DATA; [ -d "$DATA/nab" ] && NAB=$DATA/nab

# first column of the data rows, on one line
col1() { tail -n +2 | cut -d, -f1 | tr '\n' ' '; }
export -f col1

# ---- hand-worked examples ----
# h.csv: t = 0..9 s, v = 0 3 1 4 1 5 9 2 6 5
printf 't,v\n0,0\n1,3\n2,1\n3,4\n4,1\n5,5\n6,9\n7,2\n8,6\n9,5\n' >h.csv
# nth -k 3: rows 0 3 6 9 (9 is also the last)
ck nth-hand 0 '' 'nth -k 3 h.csv | col1 >got; echo >>got'
echo '0 3 6 9 ' >want; same nth-hand-rows got want
# minmax -n 6: first, last, (6-2)/2 = 2 buckets of rows 1..8: {1..4} =
# 3 1 4 1: min at 2 (first of the two 1s), max at 3; {5..8} = 5 9 2 6:
# max at 6, min at 7
ck minmax-hand 0 '' 'minmax -n 6 h.csv | col1 >got; echo >>got'
echo '0 2 3 6 7 9 ' >want; same minmax-hand-rows got want
# m4 -n 8: 2 buckets of 5 rows. {0..4} = 0 3 1 4 1: first 0 = min 0, max 3,
# last 4; {5..9} = 5 9 2 6 5: first 5, max 6, min 7, last 9
ck m4-hand 0 '' 'm4 -n 8 h.csv | col1 >got; echo >>got'
echo '0 3 4 5 6 7 9 ' >want; same m4-hand-rows got want
# lttb -n 4: rows 1..8 in 2 buckets {1..4} {5..8}. Bucket 1, a = (0,0),
# c = mean of bucket 2 = (6.5, 5.5); twice the area |5.5 x - 6.5 y|:
# rows 1..4 give 14, 4.5, 9.5, 15.5 -> row 4. Bucket 2, a = (4,1), c = the
# last (9,5): |-5 (y - 1) - 4 (4 - x)|: rows 5..8 give 16, 32, 7, 9 -> 6.
ck lttb-hand 0 '' 'lttb -n 4 h.csv | col1 >got; echo >>got'
echo '0 4 6 9 ' >want; same lttb-hand-rows got want
# minmaxlttb -n 4: 10 <= 4 * 4 samples, so plain LTTB
ck minmaxlttb-hand 0 '' 'minmaxlttb -n 4 h.csv | col1 >got; echo >>got'
same minmaxlttb-hand-rows got want
# sdt --compdev 0.5 on 0 1 2 3 2 1 0: the line from (0,0) passes every
# sample to (3,3); (4,2) would leave (3,3) 1.5 away, so 3 is archived;
# from there the line to (6,0) is exact; the last is always kept.
printf 't,v\n0,0\n1,1\n2,2\n3,3\n4,2\n5,1\n6,0\n' >s.csv
ck sdt-hand 0 '' 'sdt --compdev 0.5 s.csv | col1 >got; echo >>got'
echo '0 3 6 ' >want; same sdt-hand-rows got want
# deadband --excdev 0.5 on 0 0 0 5 5 5 1 1: 3 changes by 5 (kept with 2
# before it), 6 changes by 4 (kept with 5), 7 is the last.
printf 't,v\n0,0\n1,0\n2,0\n3,5\n4,5\n5,5\n6,1\n7,1\n' >db.csv
ck deadband-hand 0 '' 'deadband --excdev 0.5 db.csv | col1 >got; echo >>got'
echo '0 2 3 5 6 7 ' >want; same deadband-hand-rows got want
# windows of 5 samples: each window keeps its own first and last
ck lttb-windows 0 '' 'lttb -w 5 -n 3 h.csv | col1 >got; echo >>got'
# window {0..4}: one bucket {1..3}, a = (0,0), c = (4,1): |1 x - 4 y|
# = 11, 2, 13 -> row 3; window {5..9}: {6..8}, a = (5,5), c = (9,5):
# |(-4)(y - 5)| = 16, 12, 4 -> row 6
echo '0 3 4 5 6 9 ' >want; same lttb-windows-rows got want

# ---- LTTB against an independent implementation ----
# testdata/lttb/<name>.<n>.t: row indices chosen by the npm package
# downsample-lttb 0.0.1 (Steinarsson's own JavaScript LTTB) with x = epoch
# seconds, made by scripts/gen-lttb-ref.sh from every row of the file.
# Some NAB files repeat or go back in time (the reference keeps those
# rows), so the tool reads with --order any. The reference rows' times
# must equal the tool's output times, line for line.
if [ -n "$NAB" ] && [ -f "$NAB/art_daily_jumpsup.csv" ]; then
	for f in art_daily_jumpsup ec2_request_latency_system_failure machine_temperature_system_failure; do
		for n in 100 500 1000; do
			ck "lttb-ref $f $n" 0 '' "lttb --whole --order any -n $n $NAB/$f.csv | tail -n +2 | cut -d, -f1 >got &&
				awk -F, 'NR == FNR { k[\$1 + 2] = 1; next } FNR in k { print \$1 }' $ROOT/testdata/lttb/$f.$n.t $NAB/$f.csv >want"
			same "lttb-ref $f $n rows" got want
		done
	done
else
	_res F lttb-ref "NAB data not found (TSD_DATA)"
fi

# ---- first and last kept, counts honoured (3 series of 5000, long) ----
tsgen -n 3 -p 5000 -s 7 --gap-rate 0 >g.csv
# per series: count, first time, last time
ends() { awk -F, 'NR > 1 { if (!($1 in n)) f[$1] = $2; n[$1]++; l[$1] = $2 }
	END { for (s in n) print s, n[s], f[s], l[s] }' "$1" | sort; }
ends g.csv >g.ends
# check OUT WANT_COUNT (or "le:K" for at most K, at least 4)
ck_ends() {
	ends "$1" | awk -v want="$2" 'NR == FNR { f[$1] = $3 " " $4; next }
		{ cnt = $2 + 0; ok = ($3 " " $4 == f[$1]);
		  if (want ~ /^le:/) { k = substr(want, 4) + 0; ok = ok && cnt <= k && cnt >= 4 }
		  else ok = ok && cnt == want + 0;
		  if (!ok) { print "bad", $0; bad = 1 } n++ }
		END { exit bad || n != 3 }' g.ends -
}
export -f ends ck_ends
for m in lttb minmax minmaxlttb m4; do
	want=100; [ $m = m4 ] && want=le:100
	ck "$m whole -n" 0 '' "$m --whole -n 100 g.csv >o.csv"
	ok "$m whole -n ends/count" "ck_ends o.csv $want"
	# 5 windows of 1000: 20 points each
	ck "$m windows" 0 '' "$m -w 1000 -n 20 g.csv >o.csv"
	ok "$m windows ends/count" "ck_ends o.csv $want"
	# -r 8: floor(5000 / 8) = 625, even for minmax, a multiple of 4 for m4
	want=625; [ $m = minmax ] && want=624; [ $m = m4 ] && want=le:624
	ck "$m ratio" 0 '' "$m --whole -r 8 g.csv >o.csv"
	ok "$m ratio ends/count" "ck_ends o.csv $want"
done
# nth -r 8: the smallest stride keeping at most 625 of 5000 is 9 (556:
# 0, 9, ..., 4995 and 4999); sdt and deadband fitted to at most 625
ck "nth ratio" 0 '' 'nth --whole -r 8 g.csv >o.csv'
ok "nth ratio ends/count" "ck_ends o.csv 557"
for m in sdt deadband; do
	ck "$m ratio" 0 '' "$m --whole -r 8 g.csv >o.csv"
	ok "$m ratio at most 625" "ends o.csv | awk '{ if (\$2 > 625 || \$2 < 300) exit 1 }' && ends o.csv | awk '{print \$1, \$3, \$4}' | cmp -s - <(awk '{print \$1, \$3, \$4}' g.ends)"
done

# ---- deviation bounds, measured by tseval's max error ----
# SDT: the line between kept samples stays within CompDev of every
# sample (CompMin 0); deadband: within 2 * ExcDev. Tolerance 1e-9
# relative, for the rounding of slopes. A bound never approached would
# make the check vacuous, so maxabs must also reach dev/2 (sdt comes
# within 0.5% of dev on this data, deadband reaches 1.2 to 1.6 dev).
tsgen -n 3 -p 20000 -s 3 >b.csv
bound() { # ORIG REDUCED LIMIT LOWEST
	tseval -f csv "$1" "$2" | awk -F, -v lim="$3" -v low="$4" 'NR > 1 && $1 != "(all)" {
		if ($7 > lim * (1 + 1e-9) || $7 < low) { print $1, $7, lim; bad = 1 } n++ }
		END { exit bad || n != 3 }'
}
export -f bound
for dev in 0.05 0.3 1; do
	ck "sdt compdev $dev" 0 '' "sdt --compdev $dev --whole b.csv >o.csv"
	ok "sdt max error <= $dev" "bound b.csv o.csv $dev $(awk "BEGIN{print $dev/2}")"
	ck "sdt compdev $dev windows" 0 '' "sdt --compdev $dev -w 777 b.csv >o.csv"
	ok "sdt windows max error <= $dev" "bound b.csv o.csv $dev $(awk "BEGIN{print $dev/2}")"
	ck "deadband excdev $dev" 0 '' "deadband --excdev $dev --whole b.csv >o.csv"
	ok "deadband max error <= 2*$dev" "bound b.csv o.csv $(awk "BEGIN{print 2*$dev, $dev/2}")"
done
# CompMax 10m on 1-minute data without gaps: kept samples at most 10m apart
tsgen -p 3000 --no-events --noise 0.01 >c.csv
ck sdt-compmax 0 '' 'sdt --compdev 1 --compmax 10m -t s c.csv >o.csv'
ok sdt-compmax-gaps "awk -F, 'NR > 2 && \$1 - p > 600 { exit 1 } { p = \$1 } END { exit NR < 300 }' o.csv"
ck deadband-excmax 0 '' 'deadband --excdev 1 --excmax 10m -t s c.csv >o.csv'
ok deadband-excmax-gaps "awk -F, 'NR > 2 && \$1 - p > 600 { exit 1 } { p = \$1 } END { exit NR < 300 }' o.csv"

# ---- control records pass through, after the window holding the samples before them ----
printf 't,v\n0,0\n1,3\n2,1\n#tsd pos topic=k partition=0 offset=5\n3,3\n#tsd pos topic=- partition=-1 offset=-1\n' >ctl.csv
ck control 0 '' 'lttb -n 2 -w 3 ctl.csv | grep -c "^#tsd pos topic=k partition=0 offset=5$" >got'
echo 1 >want; same control-kept got want
ok control-after-window 'lttb -n 2 -w 3 ctl.csv | awk -F, "/offset=5/ { p = NR } /^2,1/ { a = NR } END { exit !(p > a && a > 0) }"'
# a position inside a window (samples on both sides) is never passed on
ok control-inside-dropped '! lttb -n 2 -w 4 ctl.csv | grep -q "offset=5"'
head -5 ctl.csv > ctl-cut.csv
ck control-no-end 1 "lttb: the input carried source positions but ended without the source's end mark (did the source fail?): open windows not flushed" 'lttb -n 2 ctl-cut.csv'

# ---- bad input and usage ----
ck no-size 2 "lttb: give the output size: -n POINTS or -r RATIO
Try 'lttb --help' for more information." 'lttb h.csv'
ck both-sizes 2 "minmax: -n and -r: give one of them
Try 'minmax --help' for more information." 'minmax -n 4 -r 2 h.csv'
ck m4-granule 2 "m4: -n: m4 needs a multiple of 4 points, not 6
Try 'm4 --help' for more information." 'm4 -n 6 h.csv'
ck minmax-granule 2 "minmax: -n: minmax needs a multiple of 2 points, not 5
Try 'minmax --help' for more information." 'minmax -n 5 h.csv'
ck lttb-one 2 "lttb: -n: '1' out of range 2..1073741824
Try 'lttb --help' for more information." 'lttb -n 1 h.csv'
ck ratio-below-1 2 "nth: -r: ratio '0.5' must be at least 1
Try 'nth --help' for more information." 'nth -r 0.5 h.csv'
ck sdt-both 2 "sdt: --compdev and -n/-r: give one of them
Try 'sdt --help' for more information." 'sdt --compdev 1 -n 10 h.csv'
ck sdt-none 2 "sdt: give --compdev X, -n POINTS or -r RATIO
Try 'sdt --help' for more information." 'sdt h.csv'
ck deadband-neg 2 "deadband: --excdev: '-1' must be a finite number >= 0
Try 'deadband --help' for more information." 'deadband --excdev -1 h.csv'
ck nth-both 2 "nth: -k and -n/-r: give one of them
Try 'nth --help' for more information." 'nth -k 2 -n 3 h.csv'
ck bad-window 2 "lttb: -w: 'x' is neither a sample count nor a duration with its unit (e.g. 256, 90s, 5m, 1.5h)
Try 'lttb --help' for more information." 'lttb -w x -n 3 h.csv'
ck max-window 1 "lttb: h.csv:7: a window of series 'v' holds more than 5 samples; use a shorter -w or raise --max-window" \
	'lttb -w 1h --max-window 5 -n 3 h.csv'
printf 't,v\n0,0\n2,1\n1,2\n3,0\n' >u.csv
ck unsorted-drop 0 "sdt: u.csv: 1 sample not later than the one before dropped (first at line 4; see --order)" \
	'sdt --compdev 1 u.csv'
ck unsorted-any 1 "sdt: u.csv: end of input: series 'v' window 0: times must increase strictly (read with --order drop or strict)" \
	'sdt --compdev 1 --order any u.csv'
ck coefs 1 "lttb: <stdin>:2: expected samples, found wavelet coefficients" \
	'printf "series,window,kind,level,index,t0,t1,value,score\nv,0,A,1,0,0,4,0,\n" | lttb -n 3'
ck full-disk 1 '*' 'lttb -n 4 h.csv >/dev/full'
for m in nth minmax m4 lttb minmaxlttb sdt deadband; do
	ck "$m help" 0 '' "$m --help | grep -q '^usage: $m '"
done

# ---- the EXAMPLES of the man pages of these tools and tseval ----
# Convention of tests/cli/manpages.sh: in an .EX block of EXAMPLES, a line
# "$ command" is run by bash with pipefail in a directory holding the NAB
# files (and anomaly_windows.json); the lines after it are its exact
# standard output. Commands of one page share the directory, in order.
unroff() {
	sed -e 's/\\e/\x01/g' -e 's/\\-/-/g' -e "s/\\\\(aq/'/g" -e 's/\\(dq/"/g' \
	    -e 's/\\&//g' -e 's/\x01/\\/g'
}
for n in nth minmax m4 lttb minmaxlttb sdt deadband tseval; do
	p=$ROOT/man/man1/$n.1
	X=$D/ex-$n
	mkdir -p "$X"
	ln -s "$NAB"/*.csv "$NAB"/anomaly_windows.json "$X"/ 2>/dev/null
	awk -v dir="$X" '
		/^\.SH/ { inex = ($2 == "EXAMPLES") }
		inex && /^\.EX/ { blk = 1; next }
		/^\.EE/ { blk = 0; next }
		blk && /^\$ / { k++; f = dir "/cmd." k; print substr($0, 3) > f; close(f);
				w = dir "/want." k; printf "" > w; close(w); next }
		blk && k { w = dir "/want." k; print >> w; close(w) }
		END { print k + 0 > (dir "/count") }
	' "$p"
	cnt=$(cat "$X/count")
	ok "$n.1 has examples" "test $cnt -gt 0"
	for k in $(seq 1 "$cnt"); do
		unroff <"$X/cmd.$k" >"$X/run.$k"
		unroff <"$X/want.$k" >"$X/exp.$k"
		label="$n.1 example $k"
		ok "$label" "cd '$X' && bash -o pipefail run.$k </dev/null >out.$k"
		same "$label: output" "$X/exp.$k" "$X/out.$k"
	done
done

# -r over the whole series, the rule thresh --ratio follows: round(4032 / 7)
# = 576 points from windows of 1000 and a tail of 32 (per window, floor:
# 4 x 142 + 4 = 572)
tsgen -p 4032 -s 11 >r4032.csv
for t in lttb minmaxlttb sdt deadband; do
	ok "ratio-whole-$t" "test \$($t -w 1000 -r 7 --no-header r4032.csv | wc -l) = 576"
done
ok ratio-whole-m4 'n=$(m4 -w 1000 -r 7 --no-header r4032.csv | wc -l); test $n -le 576 && test $n -ge 572'
# -n on quantised noisy data: exactly the count asked (search, then top-up)
tsgen -p 3000 -r 1s -s 4 --noise 0.005 --level 1 --amplitude 0.2 --period 20m --no-header --shape single -t s |
	awk -F, '{ printf "%s,%.3f\n", $1, int($2 / 0.002 + 0.5) * 0.002 }' >quant.csv
for t in sdt deadband; do
	for k in 40 188 375; do
		ok "count-$t-$k" "test \$($t --whole -n $k --no-header quant.csv | wc -l) = $k"
	done
done
