# Hostile input: every stdin tool over the corpus of testdata/hostile
# (written by scripts/gen-hostile.py), then the cases of issue 17 one by
# one. Each run of the sweep must end by itself (timeout-bounded), with
# exit 0 or 1, never a signal or a usage error; exit 1 must come with a
# message that names the input file (and its line or frame when the data
# is at fault); and no output may hold a non-finite value.
. "$(dirname "$0")/lib.sh"
H=$ROOT/testdata/hostile
T=${TSD_HOSTILE_TIMEOUT:-30}

mkdir -p corpus
for f in "$H"/*; do
	case $f in
	*.gz) gzip -dc "$f" > "corpus/$(basename "$f" .gz)" ;;
	*) ln -s "$f" "corpus/$(basename "$f")" ;;
	esac
done
# a 4 MiB line with no delimiter: made here, not kept in the repository
{ echo timestamp,value; head -c $((4 << 20)) /dev/zero | tr '\0' 1; echo; } > corpus/huge-line.csv

# tool invocations: NAME|COMMAND with F for the file
RUNS='tsconv|tsconv -o csv F
tsconv-bin|tsconv -o bin F | tsconv -o csv
paa|paa -o csv -w 4 -g 2 F
paa-span|paa -o csv -w 1h -g 2 F
sax|sax -o csv -w 8 -g 2 F
dwt|dwt -o csv -W haar -w 8 -J 2 F
dwt-db4|dwt -o csv -w 64 F
thresh|thresh -o csv F
tscore|tscore -o csv F
merge|merge -o csv F
merge-full|merge -o csv --full F
dwt-thresh-merge|dwt -W haar -w 8 -J 2 -o bin F | thresh -r 2 | merge -o csv --full --shape long
dwt-tscore|dwt -W haar -w 16 -J 2 -o bin F | tscore -o bin | thresh | merge -o csv --shape long
lttb|lttb -o csv -w 16 -n 4 F
minmax|minmax -o csv -w 16 -n 4 F
m4|m4 -o csv -w 16 -n 4 F
minmaxlttb|minmaxlttb -o csv -w 64 -n 4 F
sdt|sdt -o csv -w 16 -n 4 F
deadband|deadband -o csv -w 16 -n 4 F
nth|nth -o csv -w 16 -k 3 F
tseval|tseval F F
tseval-charts|tseval --width 40 --height 12 F F'

nruns=0 nbad=0
while IFS='|' read -r name cmd; do
	tool=${cmd%% *}
	for f in corpus/*; do
		b=$(basename "$f")
		# under the sanitizers (make check) 100,000 series through a
		# pipeline take minutes: that file has its own checks below
		case $TSD_BIN:$b in */san/*:many-series.csv) continue ;; esac
		c=${cmd//F/$f}
		timeout -s KILL "$T" bash -o pipefail -c "$c" >out 2>err
		rc=$?
		nruns=$((nruns + 1))
		why=
		if [ $rc -eq 137 ]; then
			why="no end within ${T}s"
		elif [ $rc -gt 1 ]; then
			why="exit $rc"
		elif [ $rc -eq 1 ] && ! grep -qE "^[a-z0-9]+: ([^ ]*$b|<stdin>)(:[0-9]+:| frame [0-9]+:|: series |: |:[^ ]*: )" err; then
			why="exit 1 without a message naming the input"
		elif grep -aqiE '(^|[,; |])[-+]?(nan|inf|infinity)([,; |]|$)' out; then
			why="a non-finite value in the output: $(grep -aiE -m1 'nan|inf' out | head -c 200)"
		fi
		if [ -n "$why" ]; then
			nbad=$((nbad + 1))
			_res F "$name $b" "$why; $(head -c 400 err)"
		fi
	done
done <<EOF
$RUNS
EOF
_res P "corpus sweep: $nruns runs over $(ls corpus | wc -l) files, $nbad bad"
echo "hostile: $nruns runs over $(ls corpus | wc -l) files" >&2

# ---- the cases one by one (issue 17)

# 0b: a 100-byte frame declaring 2^26 or 2^28 samples takes no memory
rss() { # KB of the largest resident set of a command
	/usr/bin/time -f '%M' -o rss.txt bash -c "$1" >/dev/null 2>&1
	tail -1 rss.txt
}
for n in 2p26 2p28; do
	for t in merge thresh tscore; do
		ck "$t window-$n.bin: a located error" 1 "$t: window-$n.bin: frame 2: series 'a' window 0: $( [ $n = 2p26 ] && echo 67108864 || echo 268435456) samples, more than --max-window 1048576" "$t '$H/window-$n.bin' 2>&1 >/dev/null | sed 's|$H/||' >&2; exit \${PIPESTATUS[0]}"
		k=$(rss "$t --max-window 1073741824 '$H/window-$n.bin'")
		ok "$t --max-window 2^30 window-$n.bin: under 100 MB (${k} KB)" "[ '$k' -lt 102400 ]"
	done
done
ok "merge: a window of 2^30 samples past --max-memory is a located error" \
   "merge --max-window 1073741824 --max-memory 64 '$H/window-2p30-selected.bin' 2>&1 | grep -q 'frame 4: .*need more than --max-memory 64 MB'"
k=$(rss "merge '$H/windows-many-open.bin'")
ok "merge: 64 series with a far coefficient each: under 100 MB (${k} KB)" "[ '$k' -lt 102400 ]"

k=$(rss "tsconv '$H/huge-id.bin'")
ck "a name frame with id 150994944: a located error" 1 "tsconv: huge-id.bin: frame 1: series id 150994944 out of range (more series than --max-series 10000000)" "cd '$H' && tsconv huge-id.bin"
ok "a name frame with id 150994944: under 100 MB (${k} KB)" "[ '$k' -lt 102400 ]"

# 0d: control characters in names never reach the terminal
ck "esc in a name is escaped" 1 "tsconv: esc-in-name.csv:3: bad time 'x'" \
   "cd '$H' && tsconv esc-in-name.csv >/dev/null"
printf 'series,timestamp,value\n\033[2J,x,1\n' > esc.csv
ck "esc in a series name of a message" 1 "paa: esc.csv:2: bad time 'x'" "paa esc.csv"
printf 'series,timestamp,value\n\033[2J\302\233m\n' > esc2.csv
ck "C0 and C1 in a message" 1 'tsconv: esc2.csv:2: expected 3 fields, found 1' "tsconv esc2.csv 2>&1 >/dev/null | grep -qv \$'\\033' && tsconv esc2.csv"
ck "tool_escape: ESC, C1 and a bad byte" 1 'tsconv: esc3.csv:2: bad time '"'"'\x1b[1m\xc2\x9b\xff'"'"'' \
   "printf 'timestamp,value\n\033[1m\302\233\377,1\n' > esc3.csv; tsconv esc3.csv"

# 0e: the series cap
ck "too many series: says the limit and the option" 1 "tsconv: many-series.csv:12: too many series (limit 10); use --max-series" \
   "cd corpus && tsconv --max-series 10 many-series.csv >/dev/null"
ok "--max-series raises it" "tsconv --max-series 100000 corpus/many-series.csv | wc -l | grep -qx 100001"
ck "long name: what it is" 1 "tsconv: long-name.csv:2: series name of 10000 bytes (limit 1024)" "cd '$H' && tsconv long-name.csv"

# 3: non-finite values
ck "binary inf sample: located" 1 "tsconv: inf-sample.bin: frame 2: infinite value at sample 2 of the run" "cd '$H' && tsconv inf-sample.bin"
# a NaN sample is a gap marker: tsconv keeps it (an empty CSV value), others read it as missing
ok "binary nan sample: a gap marker, as an empty value in CSV" "tsconv -o csv '$H/nan-sample.bin' | grep -c ',\$' | grep -qx 2 &&
	nth -k 1 -o csv '$H/nan-sample.bin' | grep -c ',\$' | grep -qx 2"
ck "binary inf coefficient: located" 1 "merge: coef-inf.bin: frame 3: non-finite coefficient at index 1" "cd '$H' && merge coef-inf.bin"
ck "binary nan score: located" 1 "thresh: coef-nan-score.bin: frame 3: score of coefficient 1 not in 0..1" "cd '$H' && thresh coef-nan-score.bin"
ck "dwt of 1.7e308: a located error, not nan" 1 "dwt: max-values.csv:65: series 'value' window 0: coefficient 0 is infinite (the values are too large for double precision)" \
   "cd '$H' && dwt -W haar -w 64 -J 1 max-values.csv >/dev/null"
ck "merge --full of 1e308 details: a located error, not inf" 1 "merge: coef-huge.bin: frame 5: series 'a' at 2023-11-14 22:13:20: result is infinite (the values are too large for double precision)" \
   "cd '$H' && merge --full coef-huge.bin >/dev/null"
ok "tscore of 1e308 coefficients: scores" "tscore -o csv '$H/coef-huge.bin' | grep -c ',D,' | grep -qx 4"
ck "regular run past int64: located" 1 "tsconv: regular-overflow.bin: frame 2: sample times past the 64-bit nanosecond range" "cd '$H' && tsconv regular-overflow.bin"

# 4: windows more than 292 years long
ok "paa: the centre of 1700..2250 is 1975" "paa -Z -w 4 -g 4 '$H/centuries.csv' | grep -q '^1975-01-01 12:00:00,2.5$'"
ok "tsconv: coefficient times of a window 292 years long" "tsconv -o csv '$H/coef-centuries.bin' | grep -q '^a,0,A,2,1,'"
# the interval between two samples more than 2^63 ns apart (found by make
# fuzz: UBSan stopped paa at lib/window.c's gap detection under make check)
printf 'timestamp,value\n-9223372036854775807,1\n6,3\n9223372036854775807,4\n' > wide.csv
ck "paa: samples 2^64 ns apart in one time window" 0 "" "paa -w 30s -g 1 wide.csv | tail -n +2 | cut -d, -f1 | tr '\n' ' ' > got"
ok "paa: samples 2^64 ns apart keep their times" "[ \"\$(cat got)\" = '-9223372036854775807 6000000000 9223372036854775807 ' ]"
# sdt on 1700, 1900, 2100, 2250 with values 1 2 3 4: the straight line from
# the first to the last passes within 0.5 of the two inner samples (2.09,
# 3.18), so only the ends are kept
ck "sdt: 1700..2250" 0 "" "sdt --compdev 0.5 '$H/centuries.csv' > got"
printf '%s\n' timestamp,value '1700-01-01 00:00:00,1' '2250-01-01 00:00:00,4' > want
same "sdt: 1700..2250 keeps the ends" got want
# The archive filters and the point selectors on 1,000 samples from 1700
# to 2250 (two samples more than 2^63 ns apart) against the same samples
# 16 times closer in time (from 1700 to 1734): every rule depends on time
# differences only, scaled by a power of two here, so each must keep the
# same samples. Before the fix, sdt and deadband stopped with "out of the
# range of double precision arithmetic" (or, with -n, kept every sample)
# wherever a kept sample lay 292 years after the last one.
cent() {
	awk -v div="$1" 'BEGIN { srand(7); t0 = -8520336000; step = 17356800; print "timestamp,value"
		for (k = 0; k < 1000; k++) { v = sin(k / 25) * 10 + (rand() - 0.5) + (k == 613 ? 40 : 0)
			printf "%.0f,%.4f\n", t0 + k * step / div, v } }'
}
cent 1 > cent.csv
cent 16 > cent16.csv
while IFS='|' read -r c c16 want; do
	ck "1700..2250: $c" 0 "" "$c --whole --time-unit s cent.csv > c1.out"
	ck "1700..1734: $c16" 0 "" "$c16 --whole --time-unit s cent16.csv > c16.out"
	ok "1700..2250: $c keeps the samples it keeps 16 times closer" \
	   "[ \$(wc -l < c1.out) -gt 2 ] && cmp <(cut -d, -f2 c1.out) <(cut -d, -f2 c16.out)"
	[ -n "$want" ] && ok "1700..2250: $c keeps $want points" "[ \$(wc -l < c1.out) = $((want + 1)) ]"
done <<'EOF2'
sdt --compdev 100|sdt --compdev 100|2
sdt --compdev 0.5|sdt --compdev 0.5|
sdt -n 50|sdt -n 50|50
sdt -r 20|sdt -r 20|50
sdt --compdev 0.5 --compmin 1000000000s|sdt --compdev 0.5 --compmin 62500000s|
sdt --compdev 100 --compmax 86784000s|sdt --compdev 100 --compmax 5424000s|
deadband --excdev 100|deadband --excdev 100|2
deadband -n 50|deadband -n 50|50
deadband --excdev 100 --excmax 86784000s|deadband --excdev 100 --excmax 5424000s|
lttb -n 50|lttb -n 50|50
minmaxlttb -n 50|minmaxlttb -n 50|50
m4 -n 52|m4 -n 52|
minmax -n 50|minmax -n 50|50
nth -k 20|nth -k 20|
EOF2

# 5: a window that ends before it starts
ck "merge: backwards window (binary)" 1 "merge: coef-backwards.bin: frame 2: window 0 ends before it starts" "cd '$H' && merge coef-backwards.bin"
ck "merge: backwards window (CSV)" 1 "merge: backwards-window.csv:2: window 0 ends before it starts" "cd '$H' && merge backwards-window.csv"

# 6: NUL in a series name
ck "NUL in a CSV name" 1 "tsconv: nul-in-name.csv:2: NUL byte in a series name" "cd '$H' && tsconv nul-in-name.csv"
ck "NUL in a binary name" 1 "tsconv: nul-name.bin: frame 2: bad name frame (empty, or a NUL byte inside the name)" "cd '$H' && tsconv nul-name.bin"

# 1: tseval on values near 1e308 ends; 100,000 series with the default
# options (no charts: they are drawn only with --charts) are fast and small
# (the bounds hold for the release build; sanitizers are slower)
ck "tseval: values near 1e308 draw" 0 "" "timeout 20 tseval --charts '$H/extreme-values.csv' '$H/alternating-max.csv' | grep -q '^value  *64  *64 '"
/usr/bin/time -f '%M %e' -o tv.txt tseval corpus/many-series.csv corpus/many-series.csv > tv.out 2>tv.err
rc=$?
read -r kb secs < <(tail -1 tv.txt)
ok "tseval: 100,000 series" "[ $rc = 0 ] && grep -c '^s[0-9]' tv.out | grep -qx 100000"
case $TSD_BIN in
*/san/*) ;;
*)	ok "tseval: 100,000 series, default options, in under 5 s (${secs} s) and 100 MB (${kb} KB)" \
	   "awk 'BEGIN { exit !($secs < 5 && $kb < 102400) }'" ;;
esac

# 7: a report that cannot be written is an error with a message (tsplot
# has its own test)
for c in "$ROOT"/cmd/*.c; do
	t=$(basename "$c" .c)
	[ "$t" = tsplot ] && continue
	command -v "$t" >/dev/null || continue
	ck "$t --help > /dev/full" 1 "$t: write error: No space left on device" "$t --help > /dev/full"
	ck "$t -V > /dev/full" 1 "$t: write error: No space left on device" "$t -V > /dev/full"
done
ck "tscore --info > /dev/full" 1 "tscore: write error: No space left on device" "tscore --info > /dev/full"
ck "sax --mindist > /dev/full" 1 "sax: write error: No space left on device" "sax --mindist abc abd -n 24 -a 4 > /dev/full"
ck "dwt --list > /dev/full" 1 "dwt: write error: No space left on device" "dwt --list > /dev/full"

# 9: small ones
for w in 1.5 0x10 1e3 -3; do
	ck "paa -w $w: neither a count nor a duration with its unit" 2 "paa: -w: '$w' is neither a sample count nor a duration with its unit (e.g. 256, 90s, 5m, 1.5h)
Try 'paa --help' for more information." "paa -w $w /dev/null"
done
ok "paa -w 1.5s and -w 16: a span and a count" "paa -w 1.5s /dev/null && paa -w 16 /dev/null"
ck "thresh -x nan" 2 "thresh: -x: 'nan' is not a finite number
Try 'thresh --help' for more information." "thresh -x nan /dev/null"
mkdir -p adir
for t in tsconv paa dwt merge 'lttb -n 4'; do
	ck "$t on a directory" 1 "${t%% *}: adir: Is a directory" "$t adir"
done
ck "paa on an infinite binary value: the frame" 1 "paa: inf-sample.bin: frame 2: infinite value at sample 2 of the run" "cd '$H' && paa inf-sample.bin"
ck "paa on values near 1.7e308: located" 1 "paa: max-values.bin: frame 2: series 'a' window 0: values out of the range of double precision arithmetic" "cd '$H' && paa -w 32 max-values.bin"

# 2: the windowing tools keep no per-window memory on a long stream
case $TSD_BIN in
*/san/*) ;; # AddressSanitizer's quarantine keeps freed memory resident
*)
	for t in "paa -w 16 -g 4" "lttb -w 16 -n 4" "dwt -W haar -J 2 -w 16"; do
		a=$(rss "tsgen --points 100000 --step 1s -o bin | $t -o bin")
		b=$(rss "tsgen --points 3000000 --step 1s -o bin | $t -o bin")
		ok "${t%% *}: max RSS flat from 1e5 to 3e6 points ($a KB, $b KB)" "[ $b -le $((a + a / 10)) ]"
	done ;;
esac
