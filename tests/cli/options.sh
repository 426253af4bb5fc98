# One meaning per option letter: the table of tsdown(7) ("One meaning per
# letter") against every tool's --help (the Kafka tools follow kcat's
# letters and are left out), each letter a tool lists accepted by its
# parser, and the old spellings of the deprecation table: they still work,
# give the same output as the new ones, and say so once on stderr.
. "$(dirname "$0")/lib.sh"
PAGE=$ROOT/man/man7/tsdown.7
KAFKA=" tsconsume tsproduce tsbroker tsdown "

# the table: "OPTION@MEANING@TOOLS" rows, T{ T} blocks joined
awk '/^\.SS One meaning per letter/ { on = 1 } on && /^\.TS/ { t = 1; next }
     t && /^\.TE/ { exit }
     t { print }' "$PAGE" | perl -0pe 's/T\{\n//g; s/\nT\}//g' | sed -e 's/\\-/-/g' > table.txt
grep -E '^-[A-Za-z], --' table.txt | awk -F@ '{ split($1, o, ", "); print substr(o[1], 2), o[2] "|" $3 }' > letters.txt
ok "table read" "test \$(wc -l < letters.txt) -ge 30"
ok "one row per letter" "test -z \"\$(cut -d' ' -f1 letters.txt | sort | uniq -d)\""
ok "one letter per long option" "test -z \"\$(cut -d' ' -f2 letters.txt | cut -d'|' -f1 | sort | uniq -d)\""

tools=""
for c in "$ROOT"/cmd/*.c; do
	t=$(basename "$c" .c)
	case $KAFKA in *" $t "*) continue ;; esac
	tools="$tools $t"
done

for t in $tools; do
	"$t" --help > "help.$t" 2>/dev/null || { _res F "$t --help" "exit $?"; continue; }
	# the short options of the help: "  -X, --long[ ARG]"
	grep -oE '^ +-[A-Za-z], --[a-z][a-z-]*( [A-Z]+)?' "help.$t" | sed 's/^ *-//; s/,//' > "opts.$t"
	while read -r l long arg; do
		row=$(awk -v l="$l" '$1 == l' letters.txt)
		if [ -z "$row" ]; then
			_res F "$t -$l" "not in tsdown(7)'s table"
			continue
		fi
		want=${row#* }; want=${want%%|*}
		users=${row#*|}
		if [ "$want" != "$long" ]; then
			_res F "$t -$l" "is $long in its help, $want in tsdown(7)"
			continue
		fi
		case ", $users, " in
		*", $t, "*|*", common, "*|*", all, "*|*"common, "*) _res P "$t -$l $long as in the table" ;;
		*) _res F "$t -$l" "tsdown(7) does not list $t among the tools of -$l ($users)" ;;
		esac
		# the parser takes it (the unknown option after it ends the run)
		[ "$l" = h ] || [ "$l" = V ] && continue
		if [ -n "$arg" ]; then set -- "-$l" 1; else set -- "-$l"; fi
		timeout 10 "$t" "$@" --no-such-option </dev/null >/dev/null 2>"err.$t"
		if grep -q "invalid option" "err.$t"; then
			_res F "$t parses -$l" "$(head -1 "err.$t")"
		else
			_res P "$t parses -$l"
		fi
	done < "opts.$t"
	ok "$t has --help and --version" "grep -qE -- '-h, --help' 'help.$t' && grep -qE -- '-V, --version' 'help.$t'"
done

# the other way: each tool the table names for a letter lists it
while read -r l rest; do
	long=${rest%%|*}; users=${rest#*|}
	for u in $(echo "$users" | tr ',' ' '); do
		case $u in common|all) continue ;; esac
		case " $tools " in *" $u "*) ;; *) _res F "-$l: $u" "no such tool"; continue ;; esac
		ok "$u lists -$l $long" "grep -qE -- '^ +-$l, $long( |\$)' 'help.$u'"
	done
done < letters.txt

# old spellings: same output as the new ones, one note on stderr
note() { echo "$1: $2 is deprecated (one meaning per letter, see tsdown(7)): use $3"; }
tsgen --points 1024 -S 3 > g.csv
dwt -w 256 -m periodization g.csv > c.csv
tscore c.csv > s.csv
thresh -r 8 c.csv | merge > r.csv
dep() { # TOOL OLD NOW 'old command' 'new command'
	local t=$1 old=$2 now=$3
	bash -c "$5" > new.out 2> new.err
	ck "$t $old still works" 0 "$(note "$t" "$old" "$now")" "{ $4; } > old.out"
	same "$t $old gives what $now gives" new.out old.out
	ok "$t $now says nothing" "test ! -s new.err"
	echo "$t $old" >> covered.txt
}
dep tsgen -n '--series-count (from the next release -n is --points, as in the other tools)' 'tsgen -n 2 --points 3' 'tsgen --series-count 2 --points 3'
dep tsgen --series --series-count 'tsgen --series 2 --points 3' 'tsgen --series-count 2 --points 3'
dep tsgen -p --points 'tsgen -p 3' 'tsgen --points 3'
dep tsgen -r --step 'tsgen --points 3 -r 1s' 'tsgen --points 3 --step 1s'
dep tsgen -s -S 'tsgen --points 3 -s 5' 'tsgen --points 3 -S 5'
dep tsgen -l -e 'tsgen --points 3000 --spike-rate 0.01 -l l1.csv && cat l1.csv' 'tsgen --points 3000 --spike-rate 0.01 -e l2.csv && cat l2.csv'
dep tsgen --labels --events 'tsgen --points 3000 --spike-rate 0.01 --labels l3.csv && cat l3.csv' 'tsgen --points 3000 --spike-rate 0.01 --events l4.csv && cat l4.csv'
TS="tstrain -q --width 4 --heads 1 --layers 1 --hidden 4 --radius 2 -w 64 -J 2 -E 1"
dep tstrain -s -S "$TS -s 5 -M m1.tsdm g.csv && cat m1.tsdm" "$TS -S 5 -M m2.tsdm g.csv && cat m2.tsdm"
dep thresh -s --score 'thresh -s 0.3 s.csv' 'thresh --score 0.3 s.csv'
dep thresh -k --keep 'thresh -k 0.5 c.csv' 'thresh --keep 0.5 c.csv'
dep thresh -e --exact 'thresh -e -r 4 c.csv' 'thresh --exact -r 4 c.csv'
dep merge -s --score 'merge -s 0.3 s.csv' 'merge --score 0.3 s.csv'
dep tseval -f -o 'tseval -f csv g.csv r.csv' 'tseval -o csv g.csv r.csv'
dep tseval --format -o 'tseval --format csv g.csv r.csv' 'tseval -o csv g.csv r.csv'
dep tsplot -r --refresh 'tsplot -r 2s --once -T dumb --size 60x15 g.csv' 'tsplot --refresh 2s --once -T dumb --size 60x15 g.csv'
dep tsconv --head --points 'tsconv --head 3 g.csv' 'tsconv --points 3 g.csv'
dep sax --samples --points 'sax --mindist aaaa dddd --samples 16 -a 4' 'sax --mindist aaaa dddd --points 16 -a 4'
ck "a note once per spelling" 0 "$(note thresh -s --score)" 'thresh -s 0.3 -s 0.4 s.csv >/dev/null'
ck "tsplot -o names --output" 2 "tsplot: -o is the output format (csv or bin) in tsdown; write the chart to a file with --output x.png
Try 'tsplot --help' for more information." 'tsplot -o x.png g.csv'

# the deprecation table of tsdown(7) is what was tested here
awk '/^Tool@Old@Now/ { t = 1; next } t && /^\.TE/ { exit } t && /@/' "$PAGE" | sed 's/\\-/-/g' |
	awk -F@ '$1 != "_" { n = split($2, o, ", "); for (i = 1; i <= n; i++) { split(o[i], w, " "); print $1, w[1] } }' |
	sort > listed.txt
sort covered.txt > covered.s
ok "tsdown(7) lists exactly the old spellings tested" "diff listed.txt covered.s"
