# dwt: options, errors with their exact messages, the coefficient stream,
# and the round trip dwt | merge --full over wavelets x modes x window
# lengths (odd ones and short tails included), CSV and binary.
. "$TSD_ROOT/tests/cli/lib.sh"
NAB=$DATA/nab; [ -d "$NAB" ] || NAB=$DATA
MT=$NAB/machine_temperature_system_failure.csv

printf 'time,value\n1,1\n2,2\n3,3\n4,5\n5,4\n6,7\n7,1\n' >tiny.csv
tsgen --points 1000 -S 3 >one.csv

ck help 0 '' 'dwt --help | grep -q "^usage: dwt"'
ck list 0 '' 'dwt --list | grep -c "^wavelet " | grep -qx 45 && dwt --list | grep -qx "mode periodization"'
ck unknown-wavelet 2 "dwt: -W: unknown wavelet 'db99' (see dwt --list)
Try 'dwt --help' for more information." 'dwt -W db99 tiny.csv'
ck unknown-mode 2 "dwt: -m: unknown mode 'sideways' (see dwt --list)
Try 'dwt --help' for more information." 'dwt -m sideways tiny.csv'
ck bad-levels 2 "dwt: -J: '0' out of range 1..32
Try 'dwt --help' for more information." 'dwt -J 0 tiny.csv'
# a window too short for J levels is transformed with the levels it allows
# (one at least, of any length), never an exit; full count windows that
# are too short for J are said once on stderr
ck shorter-than-filter 0 "dwt: 1 window held too few samples for 4 levels of db4 and got fewer (the first: series 'value' window 0, 5 samples; 4 levels need 112)" \
	'dwt -w 5 tiny.csv | grep -q ",W,1,5,"'
ck too-deep 0 "dwt: 5 windows held too few samples for 6 levels of db4 and got fewer (the first: series 's1' window 0, 200 samples; 6 levels need 448)" \
	'dwt -w 200 -J 6 one.csv | merge --full | tail -n +2 | cut -d, -f1 | cmp -s - <(tail -n +2 one.csv | cut -d, -f1)'
ck short-time-windows 0 '' 'tsgen --series-count 3 --points 2000 | dwt -w 1h >/dev/null'
ck samples-expected 1 "dwt: <stdin>:3: expected samples, found wavelet coefficients" 'dwt tiny.csv | dwt'

# the stream: a window header, the bands in wavedec order, the end
dwt -W haar -w 16 -J 2 -m periodization one.csv >c16.csv
ok stream-shape 'head -1 c16.csv | grep -qx "#tsd shape single" &&
	sed -n 2p c16.csv | grep -qx "series,window,kind,level,index,t0,t1,value,score" &&
	sed -n 3p c16.csv | grep -qx "s1,0,W,2,16,2024-01-01 00:00:00,2024-01-01 00:15:00,haar,periodization" &&
	awk -F, "\$2==0{k=k \$3 \$4}END{exit k!=\"W2\" \"A2A2A2A2\" \"D2D2D2D2\" \"D1D1D1D1D1D1D1D1\" \"E\"}" c16.csv'
ok stream-count 'test "$(grep -c ",W," c16.csv)" = 63'  # 62 full windows and a tail of 8
# haar by hand: cA = (x0 + x1)/sqrt 2, cD = (x0 - x1)/sqrt 2 (pywt's signs)
printf 'time,value\n1,1\n2,3\n' >two.csv
ck haar-values 0 '' 'dwt -W haar -J 1 -m periodization two.csv | cut -d, -f3,8 | tail -n +4 | tr "\n" " " |
	grep -qx "A,2.8284271247461903 D,-1.4142135623730954 E,1 "'  # pywt.dwt([1.0, 3.0], "haar", "periodization"); E: the samples' range 1..3

# the last, short window: the deepest level it allows, one level at least
ck tail-levels 0 '' 'dwt tiny.csv | sed -n 3p | grep -qx "value,0,W,1,7,1,7,db4,symmetric"'
ck tail-partial 0 '' 'tsgen --points 300 | dwt -w 256 -J 4 | grep ",W," | cut -d, -f4,5 | tr "\n" " " | grep -qx "4,256 2,44 "'

# round trip: every mode, several wavelets, windows of odd and even length
# holding 1 to 3 levels, a short tail; values to 1e-9 relative, times exact
rt() { # file, dwt options...
	local f=$1; shift
	dwt "$@" "$f" | merge --full --no-header >rt.out || return 3
	tsconv --order drop --no-header "$f" 2>/dev/null | awk -F, -v out=rt.out '
		{ getline l <out; split(l, o, ","); if (o[1] != $1) { print "time " $1 " vs " o[1]; exit 1 }
		  s = $2 > 0 ? $2 : -$2; if (s < 1) s = 1; e = $2 - o[2]; if (e < 0) e = -e
		  if (e > 1e-9 * s) { print "value " $2 " vs " o[2]; exit 1 }; n++ }
		END { if ((getline l <out) > 0) { print "extra output"; exit 1 }; exit n == 0 }'
}
tsgen --points 997 -S 5 >r997.csv
for w in haar db2 db4 sym7 coif3 db20; do
	F=$(dwt --list | awk -v w=$w '$1 == "wavelet" && $2 == w { print $3 }')
	for m in symmetric periodization zero constant reflect periodic smooth antisymmetric antireflect; do
		for len in $((F * 2 - 1)) $((F * 4 + 3)) $((F * 8)); do
			J=1; [ $len -ge $(((F - 1) * 4)) ] && J=2
			ok "roundtrip-$w-$m-$len" "$(declare -f rt); rt r997.csv -W $w -m $m -w $len -J $J"
		done
	done
done
ok roundtrip-binary "$(declare -f rt); dwt -o bin -w 101 -J 3 r997.csv | merge --full -o bin | tsconv -o csv --no-header >b.out &&
	dwt -w 101 -J 3 r997.csv | merge --full --no-header | cmp -s - b.out"
# NAB has gaps: irregular windows carry their times, restored exactly
ok roundtrip-nab-irregular "$(declare -f rt); rt $NAB/elb_request_count_8c0756.csv -w 256 -J 4 2>/dev/null && test \$(dwt $NAB/elb_request_count_8c0756.csv 2>/dev/null | grep -c ',WI,') = 8"
ok roundtrip-nab "$(declare -f rt); rt $MT -w 256 -J 4 2>/dev/null"
ok roundtrip-time-window "$(declare -f rt); rt $MT -w 1d -J 4 -W sym4 2>/dev/null"
ok roundtrip-tiny "$(declare -f rt); rt tiny.csv -W db20"

# several series: each the same as alone
tsgen --series-count 3 --points 700 -S 9 >multi.csv
for s in s1 s2 s3; do
	ok "multi-$s" "dwt -w 128 -J 3 multi.csv | merge --full --shape long --no-header | grep '^$s,' | cut -d, -f2- >a.out &&
		tsconv -s $s multi.csv | dwt -w 128 -J 3 | merge --full --no-header | cut -d, -f2- >b.out && cmp -s a.out b.out && test -s a.out"
done

# CONTROL records pass through in order
printf '#tsd pos topic=t partition=0 offset=5\ntime,value\n1,1\n2,2\n#tsd pos topic=t partition=0 offset=7\n3,3\n#tsd pos topic=- partition=-1 offset=-1\n' >ctl.csv
# offset 5 comes before any sample; offset 7 falls inside the window (samples
# on both sides) and is never passed on; the end mark follows the window
ok control 'test "$(dwt -J 1 -W haar ctl.csv | grep -c "^#tsd pos topic=t partition=0 offset=[57]$")" = 1'
ok control-held 'dwt -J 1 -W haar ctl.csv | awk "/offset=7/ { bad = 1 } /offset=-1/ { p = NR } /,E,/ { e = NR } END { exit !(p > e && e > 0 && !bad) }"'
head -5 ctl.csv > ctl-cut.csv
ck control-no-end 1 "dwt: the input carried source positions but ended without the source's end mark (did the source fail?): open windows not flushed" 'dwt -J 1 -W haar ctl-cut.csv'
# the same through binary runs
ok control-binary 'tsconv -o bin ctl.csv | dwt -J 1 -W haar | tsconv -o csv | awk "/offset=7/ { bad = 1 } /offset=-1/ { p = NR } /,E,/ { e = NR } END { exit !(p > e && e > 0 && !bad) }"'

# man page examples
ok man-example-1 "dwt -w 256 -J 4 $MT >coefs.csv 2>/dev/null && test \$(grep -c ',W,' coefs.csv) = 89"
ok man-example-2 "dwt -W sym8 -m periodization -w 1d -o bin $MT 2>/dev/null | merge --full -o csv >same.csv &&
	test \$(wc -l <same.csv) = 22684 && head -1 same.csv | grep -qx timestamp,value"
ok man-example-3 'dwt --list | grep -qx "wavelet coif5 30"' 

# -r without -J: windows of 1024 (or more for large R) at their deepest level
tsgen --points 3000 -S 3 >r3000.csv
ck ratio-levels 0 '' 'dwt -r 8 r3000.csv | awk -F, "\$3 == \"W\" { print \$4, \$5 }" | tr "\n" " " | grep -qx "7 1024 7 1024 7 952 "'
ck ratio-large 0 '' 'dwt -r 200 r3000.csv | awk -F, "\$3 == \"W\" { print \$4, \$5; exit }" | grep -qx "8 3000"'
ck ratio-cramped 0 'dwt: -r 64: 11 windows of 256 samples allow only 5 levels, a coarse point per 32 samples, so thresh --ratio 64 keeps no detail there; use a window of at least 896 samples' \
	'dwt -w 256 -r 64 r3000.csv >/dev/null'
ck ratio-exact 0 '' 'test $(dwt -r 16 r3000.csv | thresh -r 16 | merge --no-header | wc -l) = 188'
ck bad-ratio 2 "dwt: -r: ratio '0.5' out of range 1..1e9
Try 'dwt --help' for more information." 'dwt -r 0.5 r3000.csv'
