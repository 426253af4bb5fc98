#!/bin/bash
# tsplot with hostile text: series names, file names, --title, --labels,
# --output, $TMPDIR and -T that try to make gnuplot run a command (each
# would `touch pwned`); control characters that reach a terminal; write
# errors; an empty input; half-open connections against --serve.
. "$TSD_ROOT/tests/cli/lib.sh"

printf 'timestamp,value\n1704067200,1\n1704067210,2\n1704067220,3\n' >one.csv
# the payloads: backquotes, breaking out of double and single quotes to
# call system(), a macro, a newline that would start a new command
P1='a`touch pwned`b'
P2='x" . system("touch pwned") . "y'
P3="x' . system('touch pwned') . 'y"
P4='m@GPVAL_PWD@n'
P5=$'n\nsystem("touch pwned")\n#'
PAY=("$P1" "$P2" "$P3" "$P4" "$P5")
safe() { # NAME: no command ran
	if [ -e pwned ]; then _res F "$1" "a command ran: pwned exists"; rm -f pwned; else _res P "$1"; fi
}

for i in 0 1 2 3 4; do
	p=${PAY[$i]}
	# a series name (-N names the one series of the input: any bytes)
	tsplot -N "$p" --output n$i.txt one.csv 2>n$i.err; rc=$?
	ok name-$i "[ $rc = 0 ]"; safe name-$i-safe
	# the name shows literally (a newline as '?')
	want=$(printf '%s' "$p" | tr '\n' '?')
	ok name-$i-literal "grep -aqF -- \"\$(printf '%s' '$(printf '%s' "$want" | sed "s/'/'\\\\''/g")')\" n$i.txt"
	# --title and --labels
	tsplot --title "$p" --output t$i.txt one.csv 2>t$i.err; rc=$?
	ok title-$i "[ $rc = 0 ]"; safe title-$i-safe
	tsplot --labels "$p,b" --output l$i.txt one.csv one.csv 2>l$i.err; rc=$?
	ok labels-$i "[ $rc = 0 ]"; safe labels-$i-safe
	# a file name as the key label of one of two inputs
	cp one.csv "$p"
	tsplot --output f$i.txt one.csv "$p" 2>f$i.err; rc=$?
	ok filename-$i "[ $rc = 0 ]"; safe filename-$i-safe
	rm -f -- "$p"
	# -T: refused whole (usage error), nothing run
	tsplot -T "dumb $p" one.csv >/dev/null 2>T$i.err; rc=$?
	ok term-$i-refused "[ $rc = 2 ] && grep -q 'is not a terminal name followed by options' T$i.err"; safe term-$i-safe
	tsplot -T "dumb;$p" one.csv >/dev/null 2>/dev/null; rc=$?
	ok term-$i-glued "[ $rc = 2 ]"; safe term-$i-glued-safe
done
ok title-literal "grep -aqF 'x\" . system(\"touch pwned\") . \"y' t1.txt && grep -aqF 'm@GPVAL_PWD@n' t3.txt"
ok labels-literal "grep -aqF \"x' . system('touch pwned') . 'y\" l2.txt"
ok filename-literal 'grep -aqF "one.csv" f0.txt && grep -aqF "a\`touch pwned\`b" f0.txt'
# -T with honest options still works
ck term-options 0 '' 'tsplot -T "dumb feed" one.csv | grep -q "00:00" &&
	tsplot -T "pngcairo font '"'DejaVu Sans,8'"'" --output fo.png one.csv && file fo.png | grep -q PNG' 

# --output: file names with the payloads are written as named; a newline
# in the name is refused
for i in 0 1 2 3; do
	p=${PAY[$i]}
	tsplot --output "$p.txt" one.csv 2>o$i.err; rc=$?
	ok output-$i "[ $rc = 0 ] && [ -s \"\$(printf '%s' '$(printf '%s' "$p" | sed "s/'/'\\\\''/g").txt')\" ]"; safe output-$i-safe
done
ck output-newline 2 "tsplot: --output: a file name with a control character
Try 'tsplot --help' for more information." 'tsplot --output "$(printf "a\nb.png")" one.csv'
# $TMPDIR (gnuplot writes there first)
for i in 0 1 2 3; do
	p=${PAY[$i]}
	mkdir -p -- "tmp$p"
	TMPDIR="$PWD/tmp$p" tsplot --output td$i.png one.csv 2>td$i.err; rc=$?
	ok tmpdir-$i "[ $rc = 0 ] && file td$i.png | grep -q PNG"; safe tmpdir-$i-safe
done
ck tmpdir-newline 1 "tsplot: TMPDIR: a folder name with a control character or too long" \
	'TMPDIR="$(printf "/tmp/a\nb")" tsplot --output x.png one.csv'

# --- no control character from a name reaches the terminal: ESC and the
# 8-bit CSI (0x9b), raw or as UTF-8 C1 (c2 9b), become '?'
printf 'series,timestamp,value\n' >esc.csv
for t in 0 10 20; do
	printf 'e\033[31mred\233x\302\233y,%d,%d\n' $((1704067200 + t)) $t >>esc.csv
done
ck esc-dumb 0 '' 'tsplot -T dumb --size 80,20 esc.csv >esc.txt'
ok esc-none "! LC_ALL=C grep -aq \$'[\\x1b\\x9b]' esc.txt"
ok esc-shown 'grep -aqF "e?[31mred?x?y" esc.txt'
# UTF-8 is kept
printf 'series,timestamp,value\nTemp\302\260C \316\224,1704067200,1\nTemp\302\260C \316\224,1704067210,2\n' >utf.csv
ck utf8-kept 0 '' 'tsplot -T dumb --size 80,20 utf.csv | grep -qF "$(printf "Temp\302\260C \316\224")"'

# --- the output file: a fresh mkstemp file in the output folder renamed
# over it; a link planted at the old predictable name is left alone
echo keep >victim
ln -s victim x.png.tsplot-tmp
ck output-no-predictable-tmp 0 '' 'tsplot --output x.png one.csv && file x.png | grep -q PNG'
ok output-victim-untouched '[ "$(cat victim)" = keep ] && [ -z "$(ls -A | grep "^\.x\.png\.")" ]'
ok output-mode 'umask 022; tsplot --output m.png one.csv && [ "$(stat -c %a m.png)" = 644 ]'

# --- write errors: a full stdout and a full --output exit 1 (only where
# /dev/full is the device: a sandbox may lack it)
if [ -c /dev/full ]; then
	ck full-stdout 1 'tsplot: write error: No space left on device' 'tsplot --once -T dumb one.csv >/dev/full'
	ck full-output 1 'tsplot: /dev/full: No space left on device' 'tsplot --once -T png --output /dev/full one.csv'
	ok full-still-device '[ -c /dev/full ]'
else
	_res F full-device "/dev/full is not a character device here"
fi

# --- an empty input is an empty chart that says so, exit 0
ck empty-png 0 '' ': | tsplot --output e.png && file e.png | grep -q "PNG image data, 900 x 500"'
ck empty-dumb 0 '' 'printf "timestamp,value\n" | tsplot -T dumb --size 60,12 | grep -q "no data"'

# --- 2,000 half-open connections (from 100 loopback addresses, 20 each;
# then 2,000 from one) do not stop the page, and are closed by the server
# within its 10 s timeout (+5 s)
PORT=$((20000 + ($$ * 7) % 20000))
( (cat one.csv; sleep 40) | tsplot --serve $PORT 2>serve.err & echo $! >serve.pid )
for _ in $(seq 1 50); do grep -q "serving on" serve.err 2>/dev/null && break; sleep 0.1; done
ok serve-line "grep -qx 'tsplot: serving on http://127.0.0.1:$PORT/' serve.err"
ok halfopen-many-addresses "timeout 40 python3 '$TSD_ROOT/tests/cli/halfopen.py' $PORT -n 2000 --per 20 --timeout 15"
ok halfopen-one-address "timeout 20 python3 '$TSD_ROOT/tests/cli/halfopen.py' $PORT -n 2000 --per 2000 --src 200"
pkill -P "$(cat serve.pid)" sleep 2>/dev/null
kill "$(cat serve.pid)" 2>/dev/null
wait
