# docs: the documentation runs. Every command of README.md's code blocks
# and every EXAMPLES block of the manual pages is run as written, so the
# documentation cannot drift from the tools. (manpages.sh also compares the
# output of the pages in its EXAMPLE_PAGES with what the page shows; this
# script runs the blocks of every other page.)
#
# The environment a reader is assumed to have, and nothing more:
#   - a scratch directory holding links to the NAB data files and to the
#     source tree's scripts/ (pages name scripts/reduce-error.sh);
#   - $B, the address of a Kafka broker (a tsbroker); README's HOST and
#     BROKERS are that address; its topic 'sensors' holds 3 series
#     (machine1..3) of the last 6 hours at 1 s;
#   - `make ...` lines run in the source tree, `make install` with
#     DESTDIR set to a scratch root (whose bin is then on PATH), `make demo`
#     with OUT set to a scratch folder; `make test` is not run (it is what
#     runs this).
# A block that would run until stopped (a live source: --realtime with no
# end, tsconsume without -e, --serve) is stopped after $LIVE seconds; it
# passes when it was still running and had said nothing on stderr but
# notices (partitions assigned, a series from two partitions, a
# transactional id, a serving address). Every other block must exit 0, with
# no option spelling that is deprecated. Then the
# files and topics the blocks were to write are checked.
. "$TSD_ROOT/tests/cli/lib.sh"
command -v kcat >/dev/null || { echo "docs.sh: kcat missing" >&2; exit 1; }
LIVE=${LIVE:-10}
NABDIR=$DATA
[ -d "$DATA/nab" ] && NABDIR=$DATA/nab
unset MAKEFLAGS MFLAGS MAKELEVEL

PIDS=
trap 'for p in $PIDS; do kill -- -$p $p 2>/dev/null; done; wait 2>/dev/null; rm -rf "$D"' EXIT
tsbroker -p 4 </dev/null >bs 2>broker.err & PIDS="$PIDS $!"
for i in $(seq 100); do [ -s bs ] && break; sleep 0.1; done
B=$(cat bs)
export B
ok broker-up 'test -n "$B"'
start=$(date -u -d '6 hours ago' +%Y-%m-%dT%H:%M:%SZ)
ok sensors "tsgen --series-count 3 --prefix machine --points 21600 --step 1s --start $start | tsproduce -b \$B -t sensors --commit none"

# the commands of a text: code lines (.EX blocks of EXAMPLES for a page,
# indented blocks for markdown) joined where a line ends in | or \; for a
# page whose examples use the "$ command" convention, only those lines.
# One command per line of output, blocks separated by a line "--".
page_cmds() {
	awk '/^\.SH/ { inex = ($2 == "EXAMPLES") }
		inex && /^\.EX/ { blk = 1; next }
		/^\.EE/ { if (blk) print "--"; blk = 0; next }
		blk { print }' "$1" | unroff >ex.raw
	if grep -q '^\$ ' ex.raw; then
		awk '/^\$ / { print substr($0, 3); next } /^--$/ { print }' ex.raw
	else
		cat ex.raw
	fi | join_cont
}
readme_cmds() { # each command of an indented block is its own block
	awk 'prev == "" && /^    [^ ]/ { inb = 1 }
		/^$/ { inb = 0 }
		inb { sub(/^    /, ""); print }
		{ prev = $0 }' "$1" | join_cont | awk '{ print; print "--" }'
}
join_cont() {
	awk '{ line = line $0 }
		/[|\\] *$/ && !/^--$/ { sub(/\\ *$/, "", line); line = line " "; next }
		{ print line; line = "" }'
}
live_block() { grep -qE -- '--realtime|--serve|tsconsume ' "$1" && ! grep -qE -- 'tsconsume [^|]* -e( |$)' "$1"; }

# stop what a block left running in directory $1 (a broker it started in
# the background, the stages of a live pipeline)
reap() {
	local p c
	for p in /proc/[0-9]*; do
		c=$(readlink "$p/cwd" 2>/dev/null) || continue
		[ "$c" = "$1" ] && kill -9 "${p#/proc/}" 2>/dev/null
	done
}

# run block file $2 of source $1 in directory $3
run_block() {
	local src=$1 f=$2 dir=$3 name rc
	name="$src: $(head -c 90 "$f" | tr '\n' ';')"
	# a page's port taken by something else on this machine (another test
	# run): the same command on a free port
	if grep -q -- '--serve 8080' "$f" && (: </dev/tcp/127.0.0.1/8080) 2>/dev/null; then
		local port
		for port in $(seq 18080 18180); do (: </dev/tcp/127.0.0.1/$port) 2>/dev/null || break; done
		sed -i "s/--serve 8080/--serve $port/" "$f"
	fi
	if live_block "$f"; then
		(cd "$dir" && exec setsid timeout -s TERM "$LIVE" bash -e -o pipefail "$f" </dev/null >"$f.out" 2>"$f.err")
		rc=$?
		if [ $rc -ne 124 ] && [ $rc -ne 0 ]; then
			_res F "$name" "exit $rc; $(head -c 600 "$f.err")"
		elif grep -vE '^tsconsume: (assigned|revoked) [0-9]+ partitions?$|^tsproduce: transactional id |^tsproduce: offsets commit with the generation of member |^tsplot: serving on http|^tsconsume: series .* comes from .*: no order across partitions' "$f.err" | grep -q .; then
			_res F "$name" "stderr: $(head -c 600 "$f.err")"
		else
			_res P "$name (live, stopped after $LIVE s)"
		fi
		reap "$dir"
	else
		(cd "$dir" && exec setsid timeout -s KILL 600 bash -e -o pipefail "$f" </dev/null >"$f.out" 2>"$f.err")
		rc=$?
		if [ $rc -ne 0 ]; then
			_res F "$name" "exit $rc; $(head -c 600 "$f.err")"
		elif grep -q 'is deprecated' "$f.err"; then
			_res F "$name" "an old spelling: $(grep 'is deprecated' "$f.err" | head -2)"
		else
			_res P "$name"
		fi
		reap "$dir"
	fi
}

# split a command list into block files $2.1, $2.2, ...; prints the count
split_blocks() {
	awk -v p="$2" 'BEGIN { k = 1 } /^--$/ { if (n) { k++; n = 0 }; next } { print > (p "." k); n++ } END { print (n ? k : k - 1) }' "$1"
}

mkdir -p root
export DESTDIR=$D/root
ROOTBIN=$D/root/usr/local/bin

# ---- README.md
W=$D/readme
mkdir -p "$W"
ln -s "$NABDIR"/*.csv "$NABDIR"/*.json "$W"/ 2>/dev/null
ln -s "$ROOT/scripts" "$W/scripts"
readme_cmds "$ROOT/README.md" >readme.cmds
ok readme-has-commands 'test $(grep -vc "^--$" readme.cmds) -ge 8'
n=$(split_blocks readme.cmds "$W/blk")
for k in $(seq 1 "$n"); do
	f=$W/blk.$k
	sed -i 's/\bHOST\b/$B/g; s/\bBROKERS\b/$B/g' "$f"
	case "$(cat "$f")" in
	"make test"*)
		_res P "README: make test (the command that runs this test; not run again)"
		continue ;;
	"make demo"*)
		sed -i "s|^make demo|OUT=$D/demo make -s -C '$ROOT' demo|" "$f" ;;
	"make "*)
		sed -i "s|^make |make -s -C '$ROOT' |" "$f" ;;
	"tsdown "*|PATH=*)
		sed -i "1s|^|PATH=$ROOTBIN:\$PATH; |" "$f" ;;
	esac
	run_block README "$f" "$W"
done
# what the README's blocks were to make
ok readme-reduced-topic 'test $(kcat -C -b $B -t reduced -e -q | wc -l) -gt 0'
ok readme-raw-csv 'test $(wc -l <readme/raw.csv) -gt 3'
ok readme-stored 'test -s readme/r.db && tsquery sqlite:readme/r.db -s "machine*" --since 24h | tail -n +2 | grep -q .'
ok readme-day-png 'file readme/day.png | grep -q "PNG image"'
ok readme-demo 'file demo/*.png | grep -q "PNG image" && test -s demo/machine.bin'
ok readme-installed 'test -x root/usr/local/bin/tsdown && root/usr/local/bin/tsdown --path | grep -q "lib/tsdown/bin"'

# ---- manual pages not run by manpages.sh
done_pages=$(sed -n 's/^EXAMPLE_PAGES="\(.*\)"/\1/p' "$ROOT/tests/cli/manpages.sh")
ok manpages-list-found "test -n '$done_pages'"
for p in "$ROOT"/man/man[157]/*.[157]; do
	pn=$(basename "$p")
	case " $done_pages " in *" $pn "*) continue ;; esac
	W=$D/page-$pn
	mkdir -p "$W"
	ln -s "$NABDIR"/*.csv "$NABDIR"/*.json "$W"/ 2>/dev/null
	ln -s "$ROOT/scripts" "$W/scripts"
	page_cmds "$p" >"$W/cmds"
	n=$(split_blocks "$W/cmds" "$W/blk")
	ok "$pn has examples" "test $n -gt 0"
	for k in $(seq 1 "$n"); do
		run_block "$pn" "$W/blk.$k" "$W"
	done
done
# what the pages' blocks were to make
ok tsplot-chart 'file page-tsplot.1/chart.png | grep -q "PNG image"'
# (12 samples of the NAB file repeat a time and are dropped: 22684 of 22696)
ok dwt-round-trip 'test $(wc -l <page-dwt.1/same.csv) -ge $(($(wc -l <page-dwt.1/machine_temperature_system_failure.csv) - 12))'
ok merge-reduced 'test $(wc -l <page-merge.1/reduced.csv) -gt 2000 && test $(wc -l <page-merge.1/reduced.csv) -lt 3000'
ok tsproduce-committed 'test $(kcat -C -b $B -t out1 -e -q | wc -l) -gt 0'
