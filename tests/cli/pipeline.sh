# Whole pipelines as users write them (issue 11): several series in CSV
# and in binary, the output shape following the input, on 3 and on 1000
# series.
. "$TSD_ROOT/tests/cli/lib.sh"

tsgen --series-count 3 --points 2000 --step 1s -S 3 >m3.csv
tsgen --series-count 1 --points 2000 --step 1s -S 3 >m1.csv
tsgen --series-count 1000 --points 600 --step 1s -S 4 >m1000.csv

# the README pipeline, to a chart, with no flag
ok readme-pipeline 'tsgen --series-count 3 --step 1s | dwt -w 256 | thresh --ratio 8 | merge | tsplot --output x.png && test -s x.png'
# several series come out long, read back, and hold every series
for n in 3 1000; do
	ok "dwt-thresh-merge-csv-$n" "dwt -w 256 m$n.csv | thresh --ratio 8 | merge >r$n.csv &&
		head -1 r$n.csv | grep -qx series,timestamp,value && tsconv r$n.csv | cmp -s - r$n.csv &&
		test \$(tail -n +2 r$n.csv | cut -d, -f1 | sort -u | wc -l) = $n"
	# binary: one -o bin at the start, binary all the way, one -o csv at the end
	ok "dwt-thresh-merge-bin-$n" "tsconv -o bin m$n.csv | dwt -w 256 | thresh --ratio 8 | merge | tsconv -o csv >b$n.csv &&
		cmp -s b$n.csv r$n.csv"
	ok "bin-stays-bin-$n" "tsconv -o bin m$n.csv | dwt -w 256 | thresh --ratio 8 | merge | head -c 4 | od -An -tx1 | grep -q '89 54 53 44'"
	ok "dwt-tscore-merge-csv-$n" "dwt -w 256 m$n.csv | tscore | merge >s$n.csv && tsconv s$n.csv | cmp -s - s$n.csv &&
		test \$(tail -n +2 s$n.csv | cut -d, -f1 | sort -u | wc -l) = $n"
done
# one series keeps the two columns, through CSV and through binary
ok single-two-columns 'dwt -w 256 m1.csv | thresh --ratio 8 | merge >r1.csv && head -1 r1.csv | grep -qx timestamp,s1 &&
	tsconv -o bin m1.csv | dwt -w 256 | thresh --ratio 8 | merge -o csv | cmp -s - r1.csv'
# each series of a multi-series run equals that series run alone
ok series-alone 'tsconv -s s2 m3.csv | dwt -w 256 | thresh --ratio 8 | merge | cut -d, -f2- | tail -n +2 >a &&
	grep "^s2," r3.csv | cut -d, -f2- >b && cmp -s a b && test -s a'

# every sample tool: several series in, several out (long); one in, two columns
for t in "paa -w 60" "lttb -n 10" "minmax -n 10" "m4 -n 12" "minmaxlttb -n 10" "nth -n 10" "sdt --compdev 0.5" "deadband --excdev 0.5"; do
	n=${t%% *}
	ok "$n-multi-long" "$t m3.csv >o.csv && head -1 o.csv | grep -qx series,timestamp,value &&
		test \$(tail -n +2 o.csv | cut -d, -f1 | sort -u | wc -l) = 3 && tsconv o.csv | cmp -s - o.csv"
	ok "$n-single" "$t m1.csv | head -1 | grep -qx timestamp,s1"
	ok "$n-bin-in-bin-out" "tsconv -o bin m3.csv | $t | tsconv -o csv | cmp -s - o.csv &&
		tsconv -o bin m3.csv | $t | head -c 4 | od -An -tx1 | grep -q '89 54 53 44'"
done
# sax writes words (text) from binary input too; -D decodes them to samples
ok sax-bin-in 'tsconv -o bin m3.csv | sax -w 60 | head -1 | grep -q ^series,start &&
	sax -w 60 m3.csv | sax -D | head -1 | grep -qx series,timestamp,value'
# wide input comes out long (the reduced series do not share times)
printf 'time,a,b\n1,1,5\n2,2,6\n3,3,7\n4,4,8\n' >w.csv
ok wide-in-long-out 'nth -k 2 w.csv | head -1 | grep -qx series,time,value && nth -k 2 w.csv | tsconv | cmp -s - <(nth -k 2 w.csv)'
# a forced single shape with a second series fails, naming the line
ck forced-single 1 "tsconv: m3.csv:3: a second series ('s2') in single-series CSV output; use --shape long" \
	'tsconv --shape single m3.csv >/dev/null'

# ---- outages: a window is transformed from what it has, never an exit
ok outage-dwt-5m 'tsgen --series-count 3 --points 4000 --step 1s --gap-rate 0.002 --gap-len 300 | dwt -w 5m >/dev/null'
ok outage-readme 'tsgen --series-count 3 --points 4000 --step 1s | dwt -w 256 | thresh --ratio 8 | merge >/dev/null'
ok outage-hour-windows 'tsgen --series-count 3 --points 2000 | dwt -w 1h | thresh --ratio 8 | merge >/dev/null'
# 5 minutes missing in s2 (00:10:00 to 00:14:59) of 3 series at 1 Hz
tsgen --series-count 3 --points 1800 --step 1s -S 6 --no-events >full.csv
awk -F, '!($1 == "s2" && $2 >= "2024-01-01 00:10:00" && $2 < "2024-01-01 00:15:00")' full.csv >out5.csv
for w in 5m 256; do
	ok "outage-$w-runs" "dwt -w $w out5.csv | thresh --ratio 8 | merge >o$w.csv && dwt -w $w full.csv | thresh --ratio 8 | merge >f$w.csv"
	# s2 shows one gap marker inside the outage, and no point in it
	ok "outage-$w-one-marker" "test \$(grep -c ',\$' o$w.csv) = 1 &&
		grep ',\$' o$w.csv | awk -F, '\$1 == \"s2\" && \$2 > \"2024-01-01 00:09:59\" && \$2 < \"2024-01-01 00:15:00\" { ok = 1 } END { exit !ok }' &&
		! awk -F, '\$1 == \"s2\" && \$3 != \"\" && \$2 >= \"2024-01-01 00:10:00\" && \$2 < \"2024-01-01 00:15:00\"' o$w.csv | grep -q ."
	# the other series are untouched
	ok "outage-$w-others-same" "grep -v '^s2,' o$w.csv | cmp -s - <(grep -v '^s2,' f$w.csv)"
	# the same through binary, and through another windowing stage
	ok "outage-$w-binary" "tsconv -o bin out5.csv | dwt -w $w | thresh --ratio 8 | merge | tsconv -o csv | cmp -s - o$w.csv"
	ok "outage-$w-lttb-keeps-gap" "lttb -w $w -n 16 o$w.csv | grep -c ',\$' | grep -qx 1"
	# the marker inside a binary run (a NaN value) closes the window too
	ok "outage-$w-lttb-keeps-gap-binary" "tsconv -o bin o$w.csv | lttb -w $w -n 16 -o csv | cmp -s - <(lttb -w $w -n 16 o$w.csv)"
done
# the chart: the line breaks at the marker (a blank line in gnuplot's data)
ok outage-paa-marker 'paa -w 1m -Z out5.csv | grep -c ",\$" | grep -qx 1'
ok outage-gap-off 'test $(paa -w 1m -Z --gap off out5.csv | grep -c ",\$") = 0'

# ---- bounded lateness: out-of-order input windowed as if in order
tsgen --series-count 3 --points 900 --step 1s -S 7 --no-events >ord.csv
# each row moved by up to 20 rows (about 7 s of event time)
(head -1 ord.csv; tail -n +2 ord.csv | awk 'BEGIN { srand(3) } { print rand() * 20 + NR "\t" $0 }' | sort -n | cut -f2-) >shuf.csv
for t in "paa -w 60 -Z" "dwt -w 64 -J 2" "lttb -w 64 -n 8" "sax -w 60"; do
	n=${t%% *}
	ok "lateness-$n" "$t ord.csv | sort >a && $t --lateness 30s shuf.csv | sort >b && cmp -s a b"
	ok "lateness-$n-binary" "$t ord.csv | sort >a && tsconv -o bin shuf.csv | $t --lateness 30s -o csv | sort >b && cmp -s a b"
done
# 5 samples of s1 a minute late: beyond a 10 s bound, into the late file
awk -F, 'NR > 1 && NR < 1400 && $1 == "s1" && NR % 97 == 0 { held[NR + 180] = $0; next } { print } (NR in held) { print held[NR] }' ord.csv >late5.csv
ck late-count 0 "paa: 5 samples later than the lateness bound (per series: 's1' 5) written to late.out" \
	'paa -w 60 -Z --lateness 10s --late late.out late5.csv >/dev/null'
ok late-file 'test $(tail -n +2 late.out | wc -l) = 5 && tail -n +2 late.out | while read -r l; do grep -qxF "$l" ord.csv || exit 1; done'
ck late-no-file 0 "paa: 5 samples later than the lateness bound (per series: 's1' 5) dropped (see --late)" \
	'paa -w 60 -Z --lateness 10s late5.csv >/dev/null'
ck late-none-empty-file 0 '' 'paa -w 60 -Z --lateness 10s --late none.out ord.csv >/dev/null && test -f none.out && ! test -s none.out'
