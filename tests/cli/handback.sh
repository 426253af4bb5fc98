# handback: partitions move between two pipelines of one consumer group and
# come back. B runs alone; A joins and takes half of the partitions; A is
# killed with -9 (every stage); its partitions return to B, which reads
# them again from A's committed offsets. After a drain, the union of the
# outputs holds every record of the same pipeline run on the file, with
# the same values, and nothing else: with count windows and with time
# windows. Waits are on what the tools say (assignments) and on data
# read, each bounded.
. "$TSD_ROOT/tests/cli/lib.sh"
command -v kcat >/dev/null || { echo "handback.sh: kcat missing" >&2; exit 1; }

PIDS=
trap 'for p in $PIDS; do kill -9 $p 2>/dev/null; done; wait 2>/dev/null; rm -rf "$D"' EXIT
tsbroker -p 4 -t inc -t int -t outc -t outt </dev/null >bs 2>broker.err & PIDS="$PIDS $!"
for i in $(seq 100); do [ -s bs ] && break; sleep 0.1; done
B=$(cat bs)
export B
ok broker-up 'test -n "$B"'

# wait up to $1 tenths of a second for a command to succeed
waitfor() { local n=$1; shift; for i in $(seq "$n"); do eval "$*" && return 0; sleep 0.1; done; return 1; }
count() { grep -c "$1" "$2" 2>/dev/null; }
export -f count

# 8 series, 2400 steps: three parts, produced one after another
tsgen --series-count 8 --points 2400 -S 21 >in.csv
tail -n +2 in.csv | sed -n '1,6400p' >part1
tail -n +2 in.csv | sed -n '6401,12800p' >part2
tail -n +2 in.csv | sed -n '12801,$p' >part3

# one instance X of the pipeline with window W, writing to topic OUT; its
# process ids in P$X, what it read in raw$X, its messages in err$X
start() {
	local x=$1 w=$2 out=$3 g=$4 in=$5
	rm -f f0$x f1$x f2$x f3$x f4$x; mkfifo f0$x f1$x f2$x f3$x f4$x
	# a short session: the group notices a killed member in seconds (not
	# under 4.5 s: the mock coordinator waits 3 s before a first election
	# and times out members that wait longer than their session; tsbroker(1))
	tsconsume -b $B -G $g -t $in -X session.timeout.ms=4500 -X heartbeat.interval.ms=300 \
		-X max.poll.interval.ms=10000 >f0$x 2>>err$x & local c=$!
	tee -a raw$x <f0$x >f1$x & local e=$!
	dwt -w $w -J 3 <f1$x >f2$x 2>>err$x & local d=$!
	thresh --ratio 4 <f2$x >f3$x 2>>err$x & local t=$!
	merge --values sample --shape long <f3$x >f4$x 2>>err$x & local m=$!
	tsproduce -b $B -t $out -G $g --commit ack --commit-interval 50ms <f4$x 2>>err$x & local s=$!
	eval P$x=\"$c $e $d $t $m $s\"
	PIDS="$PIDS $c $e $d $t $m $s"
}

scenario() {
	local name=$1 w=$2 out=$3 g=$4 in=$5
	rm -f errA errB rawA rawB
	tsproduce -b $B -t $in --commit none <part1
	# (a record without a value is a missing sample: no message carries it)
	dwt -w $w -J 3 in.csv | thresh --ratio 4 | merge --values sample --shape long 2>/dev/null | grep -v ",$" >want.$name
	# B alone takes the 4 partitions and reads part 1
	start B $w $out $g $in
	waitfor 300 '[ "$(count "assigned 4 partitions" errB)" = 1 ]' &&
		waitfor 300 '[ "$(grep -vc "^#" rawB)" -ge 6400 ]'
	ok $name-B-alone 'test "$(count "assigned 4 partitions" errB)" = 1 && test $(grep -vc "^#" rawB) -ge 6400'
	# A joins: each holds 2; B's open windows of the partitions it gave
	# up are discarded
	start A $w $out $g $in
	waitfor 400 '[ "$(count "assigned 2 partitions" errA)" -ge 1 ] && [ "$(count "assigned 2 partitions" errB)" -ge 1 ]'
	ok $name-A-joins 'grep -q "assigned 2 partitions" errA && grep -q "assigned 2 partitions" errB && grep -q "^#tsd revoke" rawB'
	# part 2 in ten pieces; A is killed with -9 while it reads
	for k in 0 1 2 3 4; do
		sed -n "$((k * 640 + 1)),$((k * 640 + 640))p" part2 | tsproduce -b $B -t $in --commit none
	done
	waitfor 300 '[ "$(grep -vc "^#" rawA)" -ge 1000 ]'
	kill -9 $PA 2>/dev/null
	wait $PA 2>/dev/null
	ok $name-A-read 'test $(grep -vc "^#" rawA) -ge 1000'
	for k in 5 6 7 8 9; do
		sed -n "$((k * 640 + 1)),$((k * 640 + 640))p" part2 | tsproduce -b $B -t $in --commit none
	done
	# A's partitions return to B (read again from A's committed offsets)
	waitfor 400 '[ "$(count "assigned 4 partitions" errB)" -ge 2 ]'
	ok $name-handed-back 'test "$(count "assigned 4 partitions" errB)" -ge 2'
	tsproduce -b $B -t $in --commit none <part3
	# B reads to the end of every partition (it writes each end position),
	# then is stopped: it flushes nothing (no end mark)
	tsconsume -q -b $B -t $in -e | awk -v t="^#tsd pos topic=$in " '$0 ~ t { last[$4] = $0 }
		END { for (p in last) print last[p] }' >ends
	waitfor 300 '[ "$(grep -xFf ends rawB | sort -u | wc -l)" = "$(wc -l <ends)" ]'
	ok $name-B-read-all 'test "$(grep -xFf ends rawB | sort -u | wc -l)" = 4'
	set -- $PB; kill -TERM $1; wait $PB 2>/dev/null
	# the drain: from the committed offsets to the end, flushing the last windows
	ck $name-drain 0 '*' "tsconsume -q -b $B -G $g -a -t $in -e | dwt -w $w -J 3 | thresh --ratio 4 |
		merge --values sample --shape long | tsproduce -b $B -t $out -G $g --commit ack"
	tsconsume -q -b $B -t $out -e --no-header | grep -v '^#' >got.$name
	read miss extra bad dup < <(idcheck want.$name got.$name)
	echo "handback.sh: $name windows: $miss lost, $extra extra, $bad wrong, $dup identical duplicates" \
		"(of $(($(wc -l <want.$name) - 1)) records; B discarded windows at $(count '^#tsd revoke' rawB) revocations)" >&2
	ok $name-complete "test '$miss $extra $bad' = '0 0 0' || { echo '$name: $miss lost, $extra extra, $bad wrong'; tail -n 3 errA errB; } >&2; test '$miss $extra $bad' = '0 0 0'"
}

scenario count 64 outc hc inc
scenario time 64m outt ht int
