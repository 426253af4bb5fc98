#!/bin/bash
# tsplot's live window (gnuplot's x11 terminal) under Xvfb: a screenshot
# now and one two seconds later both show the curves, and they differ
# (the window scrolls with the data). Run by `make test-x11`, which
# installs xvfb, x11-apps (xwd) and netpbm when missing and unpacks
# gnuplot-x11 (it conflicts with gnuplot-nox) into build/x11; not part of
# `make test` (an X server and a second gnuplot).
# Screenshots are kept in $TSD_SHOTS when it is set.
. "$TSD_ROOT/tests/cli/lib.sh"
SHOTS=${TSD_SHOTS:-$D}
GP=${TSD_GNUPLOT_X11:-$(command -v gnuplot-x11 || command -v gnuplot-qt)}
for p in Xvfb xwd xwdtopnm pnmtopng; do
	command -v $p >/dev/null || { _res F x11-tools "$p is missing (make test-x11 installs it)"; exit 0; }
done
[ -n "$GP" ] || { _res F x11-gnuplot "no gnuplot-x11 (make test-x11 installs it)"; exit 0; }
term=x11
case $GP in *-qt) term=qt ;; esac

N=$((90 + $$ % 100))
Xvfb :$N -screen 0 1200x700x24 -nolisten tcp >xvfb.log 2>&1 &
xpid=$!
export DISPLAY=:$N
for _ in $(seq 1 100); do xwd -root -silent >/dev/null 2>&1 && break; sleep 0.1; done
shot() { xwd -root -silent | xwdtopnm 2>/dev/null | pnmtopng >"$SHOTS/$1"; }
# pixels of a PNG as "x y r g b" lines, decoded by gnuplot itself
pixels() {
	gnuplot -e "set table '$2'; plot '$1' binary filetype=png with rgbimage; unset table" &&
		awk 'NF >= 5 && $1 ~ /^[0-9]/ { print $1, $2, $3, $4, $5 }' "$2" >"$2.p" && mv "$2.p" "$2"
}
# pixels of the first two hues (31,119,180 and 214,39,40), give or take 60
hue_pixels() {
	awk 'function d(a, b) { return a > b ? a - b : b - a }
		d($3, 31) + d($4, 119) + d($5, 180) <= 60 || d($3, 214) + d($4, 39) + d($5, 40) <= 60 { n++ }
		END { print n + 0 }' "$1"
}

(tsgen -n 2 -p 0 -r 1s --realtime=60 | timeout --preserve-status -s INT 15 \
	tsplot --gnuplot "$GP" -T $term --span 2m -r 300ms -v 2>x11.err; echo $? >x11.rc) &
# the window is up once a screenshot shows the curves
n1=0
for _ in $(seq 1 40); do
	sleep 0.25
	shot x11-1.png && pixels "$SHOTS/x11-1.png" s1.tab && n1=$(hue_pixels s1.tab)
	[ "$n1" -gt 200 ] && break
done
sleep 2
shot x11-2.png
pixels "$SHOTS/x11-2.png" s2.tab
n2=$(hue_pixels s2.tab)
wait %2 2>/dev/null
for _ in $(seq 1 200); do [ -s x11.rc ] && break; sleep 0.1; done
kill $xpid 2>/dev/null
wait $xpid 2>/dev/null
ok x11-curves-shown "[ $n1 -gt 200 ] && [ $n2 -gt 200 ]"
ok x11-curves-move '! cmp -s "'"$SHOTS"'/x11-1.png" "'"$SHOTS"'/x11-2.png" && ! cmp -s s1.tab s2.tab'
ok x11-exit-0 '[ "$(cat x11.rc)" = 0 ]'
ok x11-refreshed 'grep -Eq "tsplot: [0-9]+ samples, 2 series, ([1-9][0-9]) refreshes" x11.err'
