#!/bin/bash
# tsplot: charts from known data (PNG pixels, dumb text against plain
# gnuplot), live refresh, the web page in headless Chromium, bad input.
. "$TSD_ROOT/tests/cli/lib.sh"

# Two known series, 10 points each, 10 s apart from 2024-01-01 00:00:00:
# "lo" constant 2 and "hi" constant 8 (for the PNG), "up" 0..9 and "down"
# 9..0 (for the text chart).
{
	echo series,timestamp,value
	for i in 0 1 2 3 4 5 6 7 8 9; do
		echo "lo,$((1704067200 + i * 10)),2"
		echo "hi,$((1704067200 + i * 10)),8"
	done
} >flat.csv
{
	echo series,timestamp,value
	for i in 0 1 2 3 4 5 6 7 8 9; do
		echo "up,$((1704067200 + i * 10)),$i"
		echo "down,$((1704067200 + i * 10)),$((9 - i))"
	done
} >updown.csv

# pixels of a PNG as "x y r g b" lines, decoded by gnuplot itself
pixels() {
	gnuplot -e "set table '$2'; plot '$1' binary filetype=png with rgbimage; unset table" &&
		awk 'NF >= 5 && $1 ~ /^[0-9]/ { print $1, $2, $3, $4, $5 }' "$2" >"$2.p" && mv "$2.p" "$2"
}
# rows (y) and x extent of the pixels of one colour (give or take 60 in
# the sum of the channels: anti-aliased edges) left of x = 760 (the
# key, outside the plot on the right, is left out): "n ymin ymax xmin xmax"
colour_box() {
	awk -v r="$2" -v g="$3" -v b="$4" 'function d(a, b) { return a > b ? a - b : b - a }
		$1 < 760 && d($3, r) + d($4, g) + d($5, b) <= 60 {
		n++; if (n == 1 || $2 < y0) y0 = $2; if (n == 1 || $2 > y1) y1 = $2
		if (n == 1 || $1 < x0) x0 = $1; if (n == 1 || $1 > x1) x1 = $1 }
		END { print n + 0, y0 + 0, y1 + 0, x0 + 0, x1 + 0 }' "$1"
}

# --- PNG of known data: size, both curves in the plot area, y axis range
ck png-write 0 '' 'tsplot --yrange 0:10 --output flat.png flat.csv'
ok png-size 'file flat.png | grep -q "PNG image data, 900 x 500"'
pixels flat.png flat.tab
# the first two hues of tsplot's palette: 31,119,180 (lo) and 214,39,40 (hi)
read -r nlo lo_y0 lo_y1 lo_x0 lo_x1 < <(colour_box flat.tab 31 119 180)
read -r nhi hi_y0 hi_y1 hi_x0 hi_x1 < <(colour_box flat.tab 214 39 40)
# each line is a horizontal stroke (lw 1: at most 3 rows) across the plot
ok png-curves-present "[ $nlo -gt 300 ] && [ $nhi -gt 300 ]"
ok png-curves-flat "[ $((lo_y1 - lo_y0)) -le 3 ] && [ $((hi_y1 - hi_y0)) -le 3 ]"
ok png-same-x-extent "[ $((lo_x0 - hi_x0)) -le 1 ] && [ $((hi_x0 - lo_x0)) -le 1 ] && [ $((lo_x1 - lo_x0)) -gt 500 ]"
# y axis 0..10: the strokes at 2 and 8 sit 6/10 of the plot height apart
# and hi is above lo; the key's samples lie right of the plot area
ok png-axis-range "[ $hi_y0 -gt $lo_y0 ] && [ $(( (hi_y0 - lo_y0) * 10 / 6 )) -gt 300 ] && [ $(( (hi_y0 - lo_y0) * 10 / 6 )) -lt 470 ]"
ck png-svg 0 '' 'tsplot --output flat.svg flat.csv && grep -q "<svg" flat.svg && grep -c "<path" flat.svg >/dev/null'

# --- dumb terminal: the same picture as plain gnuplot drawing the raw data
ck dumb-stdout 0 '' 'tsplot -T dumb --size 80,20 updown.csv >dumb.txt'
{
	for i in 0 1 2 3 4 5 6 7 8 9; do echo "$((1704067200 + i * 10)) $i"; done >up.dat
	for i in 0 1 2 3 4 5 6 7 8 9; do echo "$((1704067200 + i * 10)) $((9 - i))"; done >down.dat
	# tsplot's settings: the left margin, 30 s tics (4 labels of 8 fit
	# the 56 characters left of the key), the curves in name order
	gnuplot -e 'set terminal dumb size 80,20 mono; set termoption noenhanced; set xdata time;
		set timefmt "%s"; set grid; set key outside right top; set lmargin 10;
		set xrange [1704067200:1704067290]; set xtics 1704067200, 30; set format x "%H:%M:%S";
		plot "down.dat" using 1:2 with lines lw 1 lc 2 title "down",
		"up.dat" using 1:2 with lines lw 1 lc 1 title "up"' >want.txt
}
same dumb-like-gnuplot dumb.txt want.txt
ok dumb-has-axis 'grep -q "00:01:30" dumb.txt && grep -q "00:00:00" dumb.txt'
ck dumb-file 0 '' 'tsplot --output d.txt --size 80,20 updown.csv && cmp -s d.txt want.txt'
ck select-pattern 0 '' 'tsplot -s "u*" -T dumb --size 80,20 updown.csv | grep -c "up \*" | grep -qx 1 &&
	! tsplot -s "u*" -T dumb --size 80,20 updown.csv | grep -q down'

# --- many points: M4 keeps a bounded amount; the spike survives
ck m4-many 0 '' 'tsgen --series-count 1 --points 200000 --step 1s --no-events --noise 0 | awk -F, "NR == 100001 { \$2 = 1000 } 1" OFS=, |
	tsplot -v --output many.png 2>err.txt; grep -q "200000 samples, 1 series" err.txt'
pixels many.png many.tab
# the tallest column of blue-tinted pixels (the spike is anti-aliased
# over two columns) spans most of the plot height
tall=$(awk '$1 < 760 && $5 - $3 > 60 { n[$1]++ } END { m = 0; for (x in n) if (n[x] > m) m = n[x]; print m }' many.tab)
ok m4-spike-drawn "[ $tall -gt 300 ]"

# --- overlay: two inputs, one panel per series, the key names both
ck overlay 0 '' 'tsgen --series-count 2 --points 300 --step 1s >o.csv; paa -Z -w 30 -g 10 o.csv >p.csv;
	tsplot --panels -T dumb --size 100,30 o.csv p.csv --labels original,paa >ov.txt &&
	grep -q " s1 " ov.txt && grep -q " s2 " ov.txt && grep -q "original" ov.txt && grep -q "paa" ov.txt'

# --- live: fed at a steady rate, the file is rewritten at each refresh;
# SIGINT ends cleanly (exit 0) with a last chart
: >hashes
(tsgen --series-count 3 --points 0 --step 1s --realtime=60 | timeout --preserve-status -s INT 4 \
	tsplot --span 2m --refresh 300ms --output live.png -v 2>live.err; echo $? >live.rc) &
for i in $(seq 1 18); do sleep 0.25; [ -f live.png ] && md5sum <live.png >>hashes; done
wait
ok live-exit-0 '[ "$(cat live.rc)" = 0 ]'
ok live-refreshed "[ \$(sort -u hashes | wc -l) -ge 4 ]"
ok live-counts 'grep -Eq "tsplot: [0-9]+ samples, 3 series, ([5-9]|[1-9][0-9]) refreshes" live.err'
ok live-no-tmp '[ -z "$(ls -A | grep "^\.live\.png\.")" ]'

# --- a closed gnuplot ends tsplot with a message
(tsgen --series-count 1 --points 0 --step 1s --realtime=10 | tsplot --span 1m --refresh 200ms --output k.png 2>kill.err; echo $? >kill.rc) &
sleep 1.5
tp=$(pgrep -n -x tsplot -P $$ 2>/dev/null || true)
for p in $(pgrep -x tsplot); do [ -n "$(pgrep -P "$p" -x gnuplot)" ] && grep -q "k.png" /proc/$p/cmdline 2>/dev/null && tp=$p; done
gp=$(pgrep -P "$tp" -x gnuplot)
[ -n "$gp" ] && kill -9 "$gp"
wait
ok gnuplot-killed '[ "$(cat kill.rc)" = 1 ] && grep -qx "tsplot: gnuplot has exited (killed by signal 9)" kill.err'

PORT=$((20000 + $$ % 20000))
# --- bad input
ck no-match 1 "tsplot: no series matches 'nope'" 'tsplot -s nope --output x.png flat.csv'
ck gnuplot-missing 1 "tsplot: cannot run '/nonexistent/gnuplot': No such file or directory" \
	'tsplot --gnuplot /nonexistent/gnuplot --output x.png flat.csv'
ck gnuplot-not-in-path 1 "tsplot: cannot run 'gnuplot': No such file or directory (Debian: install gnuplot-nox or gnuplot-qt)" \
	'PATH=/nonexistent '"$(command -v tsplot)"' --output x.png flat.csv'
ck gnuplot-fails 1 "tsplot: 'false' exited at start (status 1)" 'tsplot --gnuplot false --output x.png flat.csv'
if gnuplot -e 'print GPVAL_TERMINALS' 2>&1 | grep -qw qt; then
	ck no-terminal 1 "tsplot: this gnuplot has no 'nosuch' terminal" 'tsplot -T nosuch flat.csv'
else
	ck no-terminal 1 "tsplot: this gnuplot has no 'qt' terminal (Debian: install gnuplot-qt)" 'tsplot -T qt flat.csv'
fi
ck gnuplot-error-shown 1 "tsplot: gnuplot: gnuplot> set terminal pngcairo nosuch size 900,500
tsplot: gnuplot:                                ^
tsplot: gnuplot:          line 0: unrecognized terminal option
tsplot: gnuplot refused the chart settings (status 1)" 'tsplot -T "pngcairo nosuch" --output x.png flat.csv'
ck port-in-use 1 "tsplot: --serve 127.0.0.1:$((PORT + 1)): Address already in use" \
	'timeout -s INT 3 tsplot --serve '$((PORT + 1))' flat.csv 2>/dev/null & sleep 1; tsplot --serve '$((PORT + 1))' flat.csv; rc=$?; wait; exit $rc'
ck bad-number 1 "tsplot: <stdin>:3: bad number 'x'" \
	'printf "timestamp,value\n2024-01-01 00:00:00,1\n2024-01-01 00:00:01,x\n" | tsplot -T dumb'
ck coefficients 1 "tsplot: <stdin>:3: expected samples, found wavelet coefficients" \
	'tsgen --series-count 1 --points 64 | dwt -w 64 -J 2 | tsplot -T dumb'
ck bad-size 2 "tsplot: --size: '3x3' is not WxH (10x5 to 20000x20000)
Try 'tsplot --help' for more information." 'tsplot --size 3x3'
ck bad-yrange 2 "tsplot: --yrange: 'a:b' is not LO:HI (numbers, * or empty)
Try 'tsplot --help' for more information." 'tsplot --yrange a:b'
ck no-output-term 2 "tsplot: --output: say the terminal with -T (no .png, .svg or .txt ending)
Try 'tsplot --help' for more information." 'tsplot --output chart.gif'

# --- the man page's cron example
ck man-cron 0 '' 'tsgen --series-count 2 --points 1440 --step 1m | tsplot --span 6h --output chart.png && file chart.png | grep -q PNG'

# the README's live demo, three minutes of data at 60x, into a PNG
ck live-demo 0 '' 'ONCE=3 B=$(dirname "$TSD_BIN") bash "$TSD_ROOT/scripts/live-demo.sh" --output live.png &&
	file live.png | grep -q "PNG image data"'
