# Manual pages: every page formats without a groff warning, every tool
# (cmd/<tool>.c) has its section 1 page and that page names every option
# of the tool's --help, and the EXAMPLES of the pages in EXAMPLE_PAGES run and
# print exactly what the page shows.
#
# Example convention (man/*.1, *.5, *.7): inside an .EX/.EE block of the
# EXAMPLES section, a line "$ command" is a command, run by bash with
# pipefail in a scratch directory holding (links to) the NAB data files;
# the lines after it, up to the next "$ " line or .EE, are its exact
# standard output (none: it must print nothing). Commands of one page run
# in order in the same directory, so a later one may read what an earlier
# one wrote. Lines in .EX blocks of other sections are not run.
. "$(dirname "$0")/lib.sh"
MAN=$ROOT/man
# $DATA is the NAB directory, or the directory above it
NABDIR=$DATA
[ -d "$DATA/nab" ] && NABDIR=$DATA/nab

# the pages whose examples are run and compared with what they show (the
# pages in the "$ command" convention; tests/cli/docs.sh runs the others)
EXAMPLE_PAGES="tsdown.1 tsconv.1 tsgen.1 paa.1 sax.1 tsd-frames.5 tsd-csv.5 tsdown.7 tsstore.1 tsquery.1 tsd-store.5 deadband.1 lttb.1 m4.1 minmax.1 minmaxlttb.1 nth.1 sdt.1 tseval.1 tscore.1 tstrain.1"

# the options of TOOL_COMMON_HELP (cli/tool.h)
COMMON_OPTS="-o --output-format -d --delimiter -t --time-format --time-unit -N --name
--shape --order --precision --no-header --max-series --progress --no-progress -h --help -V --version"
COMMON_OPTS=$(echo $COMMON_OPTS)

# roff source to plain text, enough to search for option names
plain() { sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\&//g' "$1"; }

for p in "$MAN"/man?/*.[157]; do
	[ -e "$p" ] || continue
	n=$(basename "$p")
	ck "groff -ww $n" 0 '' "groff -man -Tutf8 -ww -z '$p'"
	case $n in
	*.1) ok "$n has EXIT STATUS and EXAMPLES" "grep -qE '^\.SH \"?EXIT STATUS' '$p' && grep -q '^\.SH EXAMPLES' '$p'" ;;
	esac
done

for c in "$ROOT"/cmd/*.c; do
	t=$(basename "$c" .c)
	ok "man page of $t" "test -f '$MAN/man1/$t.1'"
	[ -f "$MAN/man1/$t.1" ] && command -v "$t" >/dev/null || continue
	plain "$MAN/man1/$t.1" > "$D/$t.txt"
	# every long and short option that --help lists; the options all tools
	# share (cli/tool.h) may instead be left to tsconv(1) or tsdown(7)
	refers=0
	grep -qE '^\.BR (tsconv|tsdown) \((1|7)\)' "$MAN/man1/$t.1" && [ "$t" != tsconv ] && refers=1
	for o in $("$t" --help | grep -oE -- '(^|[ ,;])--?[A-Za-z][A-Za-z0-9-]*' | sed 's/^[ ,;]//' | sort -u); do
		case " $COMMON_OPTS " in
		*" $o "*) [ $refers = 1 ] && continue ;;
		esac
		ok "$t.1 documents $o" "grep -qE -- '(^|[^A-Za-z0-9-])$o([^A-Za-z0-9-]|\$)' '$D/$t.txt'"
	done
done


for n in $EXAMPLE_PAGES; do
	p=$MAN/man${n##*.}/$n
	if [ ! -f "$p" ]; then
		_res F "$n examples" "no such page"
		continue
	fi
	X=$D/ex-$n
	mkdir -p "$X"
	ln -s "$NABDIR"/*.csv "$NABDIR"/*.json "$X"/ 2>/dev/null
	# split the EXAMPLES blocks into cmd.K and want.K
	awk -v dir="$X" '
		/^\.SH/ { inex = ($2 == "EXAMPLES") }
		inex && /^\.EX/ { blk = 1; next }
		/^\.EE/ { blk = 0; next }
		blk && /^\$ / { k++; f = dir "/cmd." k; print substr($0, 3) > f; close(f);
				w = dir "/want." k; printf "" > w; close(w); next }
		blk && k { w = dir "/want." k; print >> w; close(w) }
		END { print k + 0 > (dir "/count") }
	' "$p"
	cnt=$(cat "$X/count")
	ok "$n has examples" "test $cnt -gt 0"
	for k in $(seq 1 "$cnt"); do
		unroff < "$X/cmd.$k" > "$X/run.$k"
		unroff < "$X/want.$k" > "$X/exp.$k"
		label="$n example $k: $(head -c 70 "$X/run.$k")"
		ok "$label" "cd '$X' && bash -o pipefail run.$k < /dev/null > out.$k"
		same "$label: output" "$X/exp.$k" "$X/out.$k"
	done
done
