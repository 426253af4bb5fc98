#!/bin/bash
# tsplot charts people read: time ticks that fit (dates across days, no
# overlapping labels), panels in name order beyond 10 series instead of a
# key over the data, one hue per series, no empty stretch before the data.
# A gnuplot wrapper keeps the commands tsplot sent, to check them; the PNGs
# are kept in $TSD_SHOTS when it is set (to look at them).
. "$TSD_ROOT/tests/cli/lib.sh"
SHOTS=${TSD_SHOTS:-$D}
# gnuplot, with a copy of every command in cmds.txt
cat >gp <<'GP'
#!/bin/sh
tee -a "$(dirname "$0")/cmds.txt" | exec gnuplot "$@"
GP
chmod +x gp
GP="$D/gp"

# --- 2 days of 50 series: panels in name order, dates on the axis, no key
# over the data (gnuplot says nothing: no "key too tall" warning)
tsgen --series-count 50 --points 2880 --step 1m -o bin >fifty.bin
: >cmds.txt
ck fifty-png 0 '' "tsplot --gnuplot '$GP' --output '$SHOTS/fifty.png' fifty.bin"
ok fifty-size 'file "'"$SHOTS"'/fifty.png" | grep -q "PNG image data, 1800 x 2380"'
# the panel titles in the order sent: s1, s2, ..., s9, s10, ..., s50
grep -o "^set title 's[0-9]*'" cmds.txt | sed "s/set title '//; s/'//" >order.txt
seq -w 1 50 | sed 's/^/s/' >want-order.txt
same fifty-sorted order.txt want-order.txt
ok fifty-layout 'grep -q "^set multiplot layout 13,4" cmds.txt'
ok fifty-no-key '! grep "^plot " cmds.txt | grep -v "notitle$" | grep -q .'
ok fifty-dates 'grep -q "^set format x \"%H:%M\\\\n%m-%d\"" cmds.txt'
# one hue per series: 50 different colours
ok fifty-hues '[ "$(grep -o "lc rgb '"'"'#[0-9a-f]*'"'"'" cmds.txt | sort -u | wc -l)" = 50 ]'

# --- an original and its downsampled copy: the same hue, the original
# lighter, the key outside the plot
tsgen --series-count 3 --points 1440 --step 1m >o.csv
paa -w 16 o.csv >p.csv 2>/dev/null
: >cmds.txt
ck overlay-png 0 '' "tsplot --gnuplot '$GP' --output '$SHOTS/overlay.png' o.csv p.csv --labels original,paa"
ok overlay-key-outside 'grep -q "^set key outside right top" cmds.txt'
# s1 original: #1f77b4 lightened 55% -> #9ac1dd; s1 paa: #1f77b4
ok overlay-hue 'grep -q "using 1:2 with lines lw 1 lc rgb '"'"'#9ac1dd'"'"' title '"'"'s1 original'"'"'" cmds.txt &&
	grep -q "lc rgb '"'"'#1f77b4'"'"' title '"'"'s1 paa'"'"'" cmds.txt'

# --- tick labels never run together: text charts 71 characters wide (a
# 640 px chart at about 9 px a character) over spans from 30 s to 60 days
for span in 30 1200 18000 172800 5184000; do
	n=30
	awk -v n=$n -v s=$span 'BEGIN { print "timestamp,value"; for (i = 0; i <= n; i++) printf "%d,%d\n", 1704067200 + int(i * s / n), i % 7 }' >span$span.csv
	tsplot -T dumb --size 71,16 span$span.csv >span$span.txt 2>span$span.err
	# the tick line: the line after the bottom border of the plot
	awk '/^ *[-0-9.]* *\+-+.*\+ *$/ { last = NR } { line[NR] = $0 } END { print line[last + 1] }' span$span.txt >ticks$span.txt
	ok ticks-$span '[ ! -s span'$span'.err ] && n=$(wc -w <ticks'$span'.txt) && [ "$n" -ge 2 ] &&
		! grep -Eq "[0-9][0-9]:[0-9][0-9]:?[0-9]*[0-9][0-9]:[0-9]" ticks'$span'.txt &&
		grep -Eq "^ *([0-9:-]+ +)+[0-9:-]+ *$" ticks'$span'.txt'
done
# across days the dates show (second line under the times)
ok ticks-dates 'grep -q "01-02" span172800.txt'

# --- a rolling window starts at the first sample while less than the
# window has come: 5 minutes of data in a 1 h window
awk 'BEGIN { print "timestamp,value"; for (i = 0; i < 300; i++) printf "%d,%d\n", 1704067200 + i, i % 10 }' >five.csv
: >cmds.txt
ck span-no-empty 0 '' "tsplot --gnuplot '$GP' --span 1h --once -T dumb five.csv >/dev/null"
ok span-starts-at-data 'grep -q "^set xrange \[1704067200:1704067499\]" cmds.txt'
