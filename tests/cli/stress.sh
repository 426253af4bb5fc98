# stress: kill -9 twenty times over two pipelines of one consumer group
# (tsconsume | dwt | thresh | merge | tsproduce --commit ack), each time a
# random stage of a random instance, once that instance holds partitions;
# the killed instance restarts and rejoins. Input arrives paced through the
# whole run. After a drain, every record of the same pipeline on the file
# is there with its value, nothing else; duplicates are identical. Prints
# how many kills hit an instance while it was reading data.
. "$TSD_ROOT/tests/cli/lib.sh"

PIDS=
trap 'for p in $PIDS; do kill -9 $p 2>/dev/null; done; wait 2>/dev/null; rm -rf "$D"' EXIT
tsbroker -p 4 -t in -t out </dev/null >bs 2>broker.err & PIDS="$PIDS $!"
for i in $(seq 100); do [ -s bs ] && break; sleep 0.1; done
B=$(cat bs)
export B
ok broker-up 'test -n "$B"'

# 8 series of 4000 steps at 100 steps a second: 40 s of input
tsgen --series-count 8 --points 4000 -S 31 >in.csv
# (a record without a value is a missing sample: no message carries it)
dwt -w 64 -J 3 in.csv | thresh --ratio 4 | merge --values sample --shape long 2>/dev/null | grep -v ",$" >want.csv
tsgen --series-count 8 --points 4000 -S 31 --realtime=6000 | tsproduce -b $B -t in --commit none & gp=$!
PIDS="$PIDS $gp"

N=0
# start instance X: its stages' ids in P$X (tsconsume first), its notices in
# err$X.$N, what its consumer read in raw$X.$N
start() {
	local x=$1
	N=$((N + 1))
	rm -f f0$x f1$x f2$x f3$x f4$x; mkfifo f0$x f1$x f2$x f3$x f4$x
	tsconsume -b $B -G g -t in -X session.timeout.ms=4500 -X heartbeat.interval.ms=200 \
		-X max.poll.interval.ms=10000 >f0$x 2>err$x.$N & local c=$!
	tee raw$x.$N <f0$x >f1$x & local e=$!
	dwt -w 64 -J 3 <f1$x >f2$x 2>>err$x.$N & local d=$!
	thresh --ratio 4 <f2$x >f3$x 2>/dev/null & local t=$!
	merge --values sample --shape long <f3$x >f4$x 2>>err$x.$N & local m=$!
	tsproduce -b $B -t out -G g --commit ack --commit-interval 50ms <f4$x 2>>err$x.$N & local s=$!
	eval P$x=\"$c $e $d $t $m $s\" E$x=err$x.$N R$x=raw$x.$N
	PIDS="$PIDS $c $e $d $t $m $s"
}
lines() { grep -vc '^#' "$1" 2>/dev/null || true; }

start A
start B
RANDOM=17
kills=0 active=0 held=0
for round in $(seq 20); do
	x=$([ $((RANDOM % 2)) = 0 ] && echo A || echo B)
	eval "pids=\$P$x err=\$E$x raw=\$R$x"
	# wait until this instance holds partitions (bounded: 120 s; a
	# sanitized build on a loaded machine can take over 30 s to rejoin)
	for i in $(seq 1200); do grep -q "assigned [1-9]" $err 2>/dev/null && break; sleep 0.1; done
	if grep -q "assigned [1-9]" $err; then
		held=$((held + 1))
	else
		echo "round $round: instance $x holds no partition after 120 s: $(tail -3 $err | tr '\n' ' ')" >>unheld
	fi
	sleep 0.$((RANDOM % 5))$((RANDOM % 10))
	before=$(lines $raw); sleep 0.2; after=$(lines $raw)
	set -- $pids; shift $((RANDOM % 6))
	if kill -9 $1 2>/dev/null; then
		kills=$((kills + 1))
		[ "$after" -gt "$before" ] && active=$((active + 1))
	fi
	# the rest of the instance goes too (a stage cut off may wait on input)
	{ sleep 0.2; kill -9 $pids; wait $pids; } 2>/dev/null
	start $x
done
wait $gp
ok stress-kills "test $kills = 20 && test $held = 20 || { echo 'kills $kills, held $held'; cat unheld; false; } >&2"
# both read to the end, then stop (no end mark: nothing flushed) ...
tsconsume -q -b $B -t in -e | awk '/^#tsd pos topic=in / { last[$4] = $0 } END { for (p in last) print last[p] }' >ends
for i in $(seq 200); do
	[ "$(cat $RA $RB | grep -xFf ends | sort -u | wc -l)" = "$(wc -l <ends)" ] && break
	sleep 0.1
done
{ set -- $PA; kill -TERM $1; set -- $PB; kill -TERM $1; wait $PA $PB; } 2>/dev/null
# ... and the drain reads from the committed offsets to the end
ck stress-drain 0 '*' 'tsconsume -q -b $B -G g -a -t in -e | dwt -w 64 -J 3 | thresh --ratio 4 |
	merge --values sample --shape long | tsproduce -b $B -t out -G g --commit ack'
tsconsume -q -b $B -t out -e --no-header | grep -v '^#' >got.csv
read miss extra bad dup < <(idcheck want.csv got.csv)
echo "stress.sh: kill -9: $kills kills over 2 instances ($active while reading data): $miss lost, $extra extra, $bad wrong, $dup identical duplicates (of $(($(wc -l <want.csv) - 1)) records)" >&2
ok stress-complete "test '$miss $extra $bad' = '0 0 0'"
