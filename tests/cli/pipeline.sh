# Whole pipelines as users write them (issue 11): several series in CSV
# and in binary, the output shape following the input, on 3 and on 1000
# series.
. "$TSD_ROOT/tests/cli/lib.sh"

tsgen -n 3 -p 2000 -r 1s -s 3 >m3.csv
tsgen -n 1 -p 2000 -r 1s -s 3 >m1.csv
tsgen -n 1000 -p 600 -r 1s -s 4 >m1000.csv

# the README pipeline, to a chart, with no flag
ok readme-pipeline 'tsgen -n 3 -r 1s | dwt -w 256 | thresh --ratio 8 | merge | tsplot --output x.png && test -s x.png'
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
