#!/bin/bash
# No made-up values: dwt sends each window's sample range with its END,
# thresh and tscore pass it on, and merge keeps the reduced series (fit,
# sample and --full) within it. A 0/10 square wave rang to about -1.5 and
# 11.5 before.
. "$(dirname "$0")/lib.sh"

# three series of a 0/10 square wave (period 74 samples, phase per series)
awk 'BEGIN { print "series,timestamp,value"
	for (i = 0; i < 1024; i++) for (s = 1; s <= 3; s++)
		printf "s%d,%d,%d\n", s, i, (int((i + 11 * s) / 37) % 2) * 10 }' >sq.csv

# range FILE: the smallest and largest value of a long CSV
range() { awk -F, 'NR > 1 && $3 != "" { if (n++ == 0 || $3 < lo) lo = $3; if (n == 1 || $3 > hi) hi = $3 }
	END { print lo + 0, hi + 0 }' "$1"; }
export -f range

for v in fit sample; do
	ck csv-$v 0 '*' "dwt -w 64 -J 3 sq.csv | thresh --ratio 8 | merge --values $v >m.csv"
	ok csv-$v-range "test \"\$(range m.csv)\" = '0 10'"
	ck bin-$v 0 '*' "tsconv -o bin sq.csv | dwt -w 64 -J 3 | thresh --ratio 8 | merge --values $v | tsconv -o csv >mb.csv"
	ok bin-$v-range "test \"\$(range mb.csv)\" = '0 10'"
	same bin-$v-same m.csv mb.csv
done
ck full 0 '*' 'dwt -w 64 -J 3 sq.csv | thresh --ratio 8 | merge --full >f.csv'
ok full-range 'test "$(range f.csv)" = "0 10"'
# through tscore (scores, then thresh by score) the range still arrives
ck tscore 0 '*' 'dwt -w 256 -J 5 sq.csv | tscore | thresh --ratio 8 | merge >s.csv'
ok tscore-range 'test "$(range s.csv)" = "0 10"'

# the range is in every E row, exactly, and survives binary and back
ck e-rows 0 '*' 'dwt -w 64 -J 3 sq.csv >c.csv'
ok e-rows-all 'test "$(grep -c ",E," c.csv)" -gt 0 && ! grep ",E," c.csv | grep -qv ",E,,,,,0,10$"'
ck e-bin 0 '' 'tsconv -o bin c.csv | tsconv -o csv >cb.csv'
same e-bin-same c.csv cb.csv
ck thresh-keeps 0 '*' 'thresh --ratio 8 c.csv >t.csv'
ok thresh-keeps-e 'test "$(grep -c ",E,,,,,0,10$" t.csv)" = "$(grep -c ",E," c.csv)"'
ck tscore-keeps 0 '*' 'tscore c.csv >k.csv'
ok tscore-keeps-e 'test "$(grep -c ",E,,,,,0,10$" k.csv)" = "$(grep -c ",E," c.csv)"'

# an old stream (E rows without a range) still merges, unclamped: the
# ringing shows, so the clamp above is what removed it
sed 's/,E,,,,,0,10$/,E,,,,,,/' c.csv >old.csv
ck old 0 '*' 'thresh --ratio 8 old.csv | merge --values sample >o.csv'
ok old-rings 'r=$(range o.csv); test "$r" != "0 10"'

# a bad range is a located error, nothing half-written
printf 'series,window,kind,level,index,t0,t1,value,score\ns,0,W,1,2,0,1,haar,periodization\ns,0,A,1,0,0,1,1,\ns,0,D,1,0,0,1,0,\ns,0,E,,,,,5,1\n' >bad.csv
ck bad-order 1 'merge: bad.csv:5: window 0: the range of an E row is two numbers, the smallest first' 'merge bad.csv'
sed 's/,5,1$/,5,/' bad.csv >bad2.csv
ck bad-half 1 'merge: bad2.csv:5: window 0: the range of an E row is two numbers, the smallest first' 'merge bad2.csv'
