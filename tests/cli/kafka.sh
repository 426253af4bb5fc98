# kafka: tsconsume | ... | tsproduce against tsbroker (librdkafka's mock
# cluster): end to end against the same pipeline on a file, kill -9 of any
# stage and restart, a broker down mid-stream, two instances in one group,
# malformed messages, unreachable brokers. Every wait is bounded.
. "$TSD_ROOT/tests/cli/lib.sh"
command -v kcat >/dev/null || { echo "kafka.sh: kcat missing" >&2; exit 1; }

PIDS=
trap 'for p in $PIDS; do kill $p 2>/dev/null; done; wait 2>/dev/null; rm -rf "$D"' EXIT
tsbroker -p 4 -t in4 -t in5 --control ctl </dev/null >bs 2>broker.err & PIDS="$PIDS $!"
for i in $(seq 50); do [ -s bs ] && break; sleep 0.1; done
B=$(cat bs)
export B
ok broker-up 'test -n "$B"'

readall() { tsconsume -q -b "$B" -t "$1" -e --no-header | grep -v '^#'; }
export -f readall

# ---- end to end: tsgen -> topic -> tsconsume | paa | tsproduce -> topic,
# compared record by record with paa on the file
tsgen --series-count 6 --points 2000 -S 3 >in1.csv
paa -w 1h -Z in1.csv >want1.csv
ck produce-input 0 '' 'tsproduce -b $B -t in1 --commit none <in1.csv'
ck kcat-sees-input 0 '' 'test $(kcat -C -b $B -t in1 -e -q | wc -l) = 12000'
ck e2e-run 0 '' 'tsconsume -q -b $B -G g1 -t in1 -e | paa -w 1h -Z | tsproduce -b $B -t out1 -G g1 --commit ack'
readall out1 >got1
ck e2e-same 0 '' 'test "$(idcheck want1.csv got1)" = "0 0 0 0" && test $(wc -l <got1) = $(($(wc -l <want1.csv) - 1))'
ck e2e-order 0 '' 'cmp -s <(grep "^s2," got1) <(grep "^s2," want1.csv)'
# committed: a restart of the group reads nothing more
ck e2e-committed 0 '' 'test $(tsconsume -q -b $B -G g1 -a -t in1 -e | grep -vc "^#") = 0'
# plain kcat reads the output as CSV lines, one per sample, keyed by series
ck kcat-reads-output 0 '' 'kcat -C -b $B -t out1 -e -q -f "%k|%s\n" | awk -F"|" "{ split(\$2, f, \",\"); if (f[1] != \$1) exit 1 } END { exit NR != $(wc -l <got1) }"'
# and kcat writes input: time,value lines keyed by the series name
ck kcat-writes-input 0 '' 'printf "2024-01-01 00:00:00,1\n2024-01-01 00:01:00,2\n" | kcat -P -b $B -t k1 -k sensor9 &&
	tsconsume -q -b $B -t k1 -e --no-header | grep -v "^#" | tr "\n" " " | grep -qx "sensor9,2024-01-01 00:00:00,1 sensor9,2024-01-01 00:01:00,2 "'
ck binary-payloads 0 '' 'head -301 in1.csv | tsproduce -b $B -t bin1 -o bin --commit none &&
	kcat -C -b $B -t bin1 -e -q -c 1 -f "%S\n" | grep -qx 56 &&
	tsconsume -q -b $B -t bin1 -e --output-format bin | tsconv -o csv --no-header | grep -v "^#" | sort | cmp -s - <(tail -n +2 in1.csv | head -300 | sort)'

# CSV lines go out as they came (no reformatting) unless asked otherwise
ck raw-verbatim 0 '' 'printf "series,timestamp,value\ns,2024-01-01 00:00:00,1.50\n" | tsproduce -b $B -t raw1 --commit none &&
	kcat -C -b $B -t raw1 -e -q | grep -qx "s,2024-01-01 00:00:00,1.50"'
ck raw-precision 0 '' 'printf "series,timestamp,value\ns,2024-01-01 00:00:00,1.50\n" | tsproduce -b $B -t raw2 --commit none --precision 3 &&
	kcat -C -b $B -t raw2 -e -q | grep -qx "s,2024-01-01 00:00:00,1.5"'
ck raw-single-named 0 '' 'printf "timestamp,value\n2024-01-01 00:00:00,1.50\n" | tsproduce -b $B -t raw3 --commit none -N "a,b" &&
	kcat -C -b $B -t raw3 -e -q -f "%k|%s\n" | grep -qx "a,b|\"a,b\",2024-01-01 00:00:00,1.50"'
# --batch: samples of a series gather into messages of N lines (or one
# SAMPLES frame); the same records come out, in order per series
ck batch-csv 0 '' 'tsproduce -b $B -t bat1 --commit none --batch 50 <in1.csv &&
	test $(kcat -C -b $B -t bat1 -e -q -f "x\n" | wc -l) = 240 &&
	readall bat1 | sort | cmp -s - <(tail -n +2 in1.csv | sort)'
ck batch-bin 0 '' 'tsproduce -b $B -t bat2 -o bin --commit none --batch 64 <in1.csv &&
	tsconsume -q -b $B -t bat2 -e --output-format bin | tsconv -o csv --no-header | grep -v "^#" | sort | cmp -s - <(tail -n +2 in1.csv | sort)'
ck batch-e2e 0 '' 'tsconsume -q -b $B -G gb -t in1 -e | paa -w 1h -Z | tsproduce -b $B -t outb -G gb --commit ack --batch 7 &&
	readall outb >gotb && test "$(idcheck want1.csv gotb)" = "0 0 0 0" && cmp -s <(grep "^s2," gotb) <(grep "^s2," want1.csv)'
ck batch-usage 2 "tsproduce: --batch: '0' out of range 1..1000000
Try 'tsproduce --help' for more information." 'tsproduce -b $B -t x --batch 0 </dev/null'

# ---- kill -9 of a random stage at random moments, then restarts; finally a
# run to the end. Every input record is reflected and nothing conflicts;
# duplicates (at least once) are counted and bounded.
tsgen --series-count 4 --points 6000 -S 5 >in2.csv
paa -w 1h -Z in2.csv >want2.csv
tsproduce -b $B -t in2 --commit none <in2.csv
RANDOM=7
kills=0
for round in 1 2 3 4 5 6 7 8; do
	rm -f f1 f2; mkfifo f1 f2
	tsconsume -q -b $B -G g2 -a -t in2 -e >f1 2>>crash.err & c=$!
	paa -w 1h -Z <f1 >f2 2>>crash.err & a=$!
	tsproduce -b $B -t out2 -G g2 --commit ack --commit-interval 20ms <f2 2>>crash.err & s=$!
	sleep 0.$((RANDOM % 3))$((RANDOM % 10))
	set -- $c $a $s; shift $((RANDOM % 3)); kill -9 $1 2>/dev/null && kills=$((kills + 1))
	wait $c $a $s 2>/dev/null
done
ck crash-final 0 '' 'tsconsume -q -b $B -G g2 -a -t in2 -e | paa -w 1h -Z | tsproduce -b $B -t out2 -G g2 --commit ack'
readall out2 >got2
read miss extra bad dup < <(idcheck want2.csv got2)
echo "kafka.sh: kill -9: $kills kills, $(wc -l <got2) records out, $dup duplicates (of $(($(wc -l <want2.csv) - 1)))" >&2
ok crash-complete "test '$miss $extra $bad' = '0 0 0' || { echo 'missing $miss extra $extra conflicting $bad'; tail -5 crash.err; } >&2 && test '$miss $extra $bad' = '0 0 0'"
ok crash-some-kills 'test '"$kills"' -ge 3'
# a duplicate comes from output not yet committed when a stage died: what
# one commit interval (20 ms, most of a round here) and the windows still
# open held, at most one round's output per round
ok crash-dups-bounded 'test '"$dup"' -le $(( 8 * 3199 ))'

# commits advance window by window mid-stream: a pipeline cut after 1000
# lines of output commits most of what it read, so a restart reads again
# only what the open windows held (before positions were placed per
# partition, it read everything again)
ck midstream-cut 1 '*' 'tsconsume -q -b $B -G g8 -a -t in2 -e | paa -w 1h -Z | head -n 1000 |
	tsproduce -b $B -t out8 -G g8 --commit ack --commit-interval 0'
ck midstream-committed 0 '' 'n=$(tsconsume -q -b $B -G g8 -a -t in2 -e | grep -vc "^#"); test $n -gt 0 && test $n -lt 20000'
ck midstream-rest 0 '' 'tsconsume -q -b $B -G g8 -a -t in2 -e | paa -w 1h -Z | tsproduce -b $B -t out8 -G g8 --commit ack &&
	readall out8 >got8 && read m e b d < <(idcheck want2.csv got8) && test "$m $e $b" = "0 0 0" && test $d -le 8'


# ---- a broker down for 3 s mid-stream (input paced live), nothing lost
tsgen --series-count 3 --points 600 --step 1s -S 9 >in4.csv
paa -w 1m -Z in4.csv >want4.csv
tsgen --series-count 3 --points 600 --step 1s -S 9 --realtime=100 | tsproduce -b $B -t in4 --commit ack --timeout 30s 2>down.err & gp=$!
tsconsume -q -b $B -G g4 -a -t in4 -c 1800 --timeout 30s 2>>down.err | paa -w 1m -Z 2>>down.err |
	tsproduce -b $B -t out4 -G g4 --commit ack --timeout 30s 2>>down.err & pp=$!
sleep 2; echo "down 1" >ctl; sleep 3; echo "up 1" >ctl
( sleep 45; kill $gp $pp 2>/dev/null ) & watchdog=$!
wait $gp; r1=$?; wait $pp; r2=$?
kill $watchdog 2>/dev/null
ok broker-down-exit 'test "'"$r1 $r2"'" = "0 0"'
readall out4 >got4
ok broker-down-complete 'test "$(idcheck want4.csv got4 | cut -d" " -f1-3)" = "0 0 0"'

# ---- two instances in one group split the partitions; stopping one hands
# its partitions to the other; the union of their outputs is complete
tsgen --series-count 8 --points 600 --step 1s -S 11 >in5.csv
tsgen --series-count 8 --points 600 --step 1s -S 11 --realtime=50 | tsproduce -b $B -t in5 --commit ack & gp=$!
for x in A B; do
	rm -f a$x b$x; mkfifo a$x b$x
	# a short rebalance timeout: the mock otherwise can hold a join for minutes
	tsconsume -b $B -G g5 -t in5 -X session.timeout.ms=6000 -X max.poll.interval.ms=10000 >a$x 2>err$x & eval c$x=$!
	tsconv <a$x >b$x 2>>err$x &
	tsproduce -b $B -t out5 -G g5 --commit ack <b$x 2>>err$x & eval s$x=$!
done
PIDS="$PIDS $cA $cB $sA $sB"
# stop A once both hold partitions
for i in $(seq 400); do grep -q "assigned 2 partitions" errA 2>/dev/null && grep -q "assigned 2 partitions" errB 2>/dev/null && break; sleep 0.1; done
sleep 1; kill -TERM $cA
# B takes A's partitions over (the mock may be slow to rebalance; when the
# join itself was slow, the input can be all read before A stops, so the
# output's completeness alone does not wait for the handoff)
for i in $(seq 400); do grep -q "assigned 4 partitions" errB 2>/dev/null && break; sleep 0.1; done
wait $gp
for i in $(seq 60); do
	[ "$(readall out5 | idcheck in5.csv - | cut -d' ' -f1)" = 0 ] && break
	sleep 0.5
done
kill -TERM $cB; wait $cB $sA $sB 2>/dev/null
readall out5 >got5
ok group-complete 'test "$(idcheck in5.csv got5 | cut -d" " -f1-3)" = "0 0 0" || { idcheck in5.csv got5; echo A; cat errA; echo B; cat errB; } >&2'
ok group-split 'grep -q "assigned 2 partitions" errA && grep -q "assigned 2 partitions" errB || { echo A:; cat errA; echo B:; cat errB; } >&2; grep -q "assigned 2 partitions" errA && grep -q "assigned 2 partitions" errB'
ok group-handoff 'grep -q "assigned 4 partitions" errB'

# ---- two instances with --commit txn (the default) in one group: each
# has its own transactional id, both make progress, neither is fenced
tsgen --series-count 8 --points 300 -S 13 >in6.csv
for x in A B; do
	rm -f t$x u$x txerr$x; mkfifo t$x u$x
	tsconsume -b $B -G g6 -t in6 -X session.timeout.ms=6000 -X max.poll.interval.ms=10000 >t$x 2>>txerr$x & eval c$x=$!
	tee raw6$x <t$x >u$x &
	tsproduce -b $B -t out6 -G g6 --commit-interval 50ms <u$x 2>>txerr$x & eval s$x=$!
done
PIDS="$PIDS $cA $cB $sA $sB"
for i in $(seq 400); do grep -q "assigned 2 partitions" txerrA 2>/dev/null && grep -q "assigned 2 partitions" txerrB 2>/dev/null && break; sleep 0.1; done
tsproduce -b $B -t in6 --commit none <in6.csv
for i in $(seq 100); do
	[ "$(readall out6 | idcheck in6.csv - | cut -d' ' -f1)" = 0 ] && break
	sleep 0.2
done
kill -TERM $cA $cB; wait $cA $cB $sA $sB 2>/dev/null
ok txn-two-split 'grep -q "assigned 2 partitions" txerrA && grep -q "assigned 2 partitions" txerrB'
ok txn-two-ids 'a=$(grep "transactional id" txerrA) && b=$(grep "transactional id" txerrB) && test -n "$a" && test "$a" != "$b" &&
	grep -q "tsproduce.out6.g6.$(hostname)." txerrA || { cat txerrA txerrB; false; } >&2'
ok txn-two-progress 'test $(grep -vc "^#" raw6A) -gt 0 && test $(grep -vc "^#" raw6B) -gt 0 &&
	test "$(readall out6 | idcheck in6.csv - | cut -d" " -f1-3)" = "0 0 0" && ! grep -qi fenced txerrA txerrB'

# ---- KIP-447: each assignment's records come after a group record (the
# member's generation); tsproduce commits their positions with it, so that
# a real broker refuses a commit from a generation that lost the partitions
# (the mock does not check generations: this shows the metadata travels)
gmem() { grep -a '^#tsd group ' "$1" | tail -1 | cut -d' ' -f5-; }
pmem() { grep 'offsets commit with the generation of member ' "$1" | tail -1 | sed 's/.*of member //'; }
export -f gmem pmem
ok txn-two-generation 'a=$(gmem raw6A) && b=$(gmem raw6B) && test -n "$a" && test -n "$b" && test "$a" != "$b" &&
	test "$(pmem txerrA)" = "$a" && test "$(pmem txerrB)" = "$b" ||
	{ echo "A: $(gmem raw6A) / $(pmem txerrA)"; echo "B: $(gmem raw6B) / $(pmem txerrB)"; false; } >&2'
ok txn-group-first 'awk "/^#tsd group /{g=1} !/^#/{if (!g) exit 1; exit 0}" raw6A'
# a partition starts at the later of GROUP's offsets (ack) and
# GROUP.members' (txn); tsproduce --commit ack -G NAME commits to any group
for i in 0 1 2 3 4 5 6 7 8 9; do echo "k8,2024-01-01 00:00:0$i,$i"; done >in8.csv
tsproduce -b $B -t in8 --commit none <in8.csv
tsconsume -q -b $B -G x8 -a -t in8 -e -c 4 | tsproduce -q -b $B -t sink8 -G g8.members --commit ack
ck start-members-offset 0 '' 'test "$(tsconsume -q -b $B -G g8 -a -t in8 -e --no-header | grep -v "^#" | head -1)" = "k8,2024-01-01 00:00:04,4"'
tsconsume -q -b $B -G x9 -a -t in8 -e -c 7 | tsproduce -q -b $B -t sink8 -G g8 --commit ack
ck start-later-offset 0 '' 'test "$(tsconsume -q -b $B -G g8 -a -t in8 -e --no-header | grep -v "^#" | head -1)" = "k8,2024-01-01 00:00:07,7"'
# a commit refused for an old generation aborts the transaction and
# tsproduce goes on (the mock checks no generation: the refusal is staged)
n6=$(wc -l <raw6A)
{ head -n $((n6 / 2)) raw6A; grep -a '^#tsd group ' raw6A | head -1; tail -n +$((n6 / 2 + 1)) raw6A; } >fence.csv
echo "err TxnOffsetCommit ILLEGAL_GENERATION 1" >ctl; sleep 0.5
ck txn-fenced-goes-on 0 '*' 'tsproduce -b $B -t out9 -G g6 --commit txn <fence.csv 2>e9; test "$(grep -c "send offsets to transaction: .*: a newer generation of the group owns the partitions; the transaction is aborted and its records go out again from their new reader" e9)" = 1 || { cat e9; false; } >&2'
# every stage passes the record on, in CSV and in binary
{ echo '#tsd group 00000001 0b30 member-1'; tsgen --series-count 2 --points 256 -S 3 --no-events; } >grp.csv
ck group-through-csv 0 '' 'dwt -w 64 -J 3 grp.csv | tscore | thresh --ratio 4 | merge --shape long | grep -qx "#tsd group 00000001 0b30 member-1"'
ck group-through-bin 0 '' 'tsconv -o bin grp.csv | dwt -w 64 -J 3 -o bin | thresh --ratio 4 -o bin | merge -o bin | tsconv -o csv | grep -qx "#tsd group 00000001 0b30 member-1"'
ck group-through-paa 0 '' 'paa -w 64 -g 8 grp.csv | grep -qx "#tsd group 00000001 0b30 member-1"'
# another librdkafka's metadata: committed without the generation, said once
{ echo '#tsd group 00000001 0b30 m'; echo 'k,2024-01-01 00:00:00,1'; echo '#tsd pos topic=in6 partition=0 offset=1'; } >grp-old.csv
ck group-other-version 0 '*' 'tsproduce -b $B -t out7 -G g7 <grp-old.csv 2>e7; grep -c "librdkafka 00000001, this is [0-9a-f]\{8\}: offsets go to group .g7. without the generation (no fencing)" e7 | grep -qx 1'
{ echo '#tsd group 0000000x 0b30 m'; echo 'k,2024-01-01 00:00:00,1'; } >grp-bad.csv
ck group-malformed 1 "tsproduce: grp-bad.csv:1: a group record that is not VERSION HEX MEMBER" 'tsproduce -q -b $B -t out7 -G g7 grp-bad.csv'

# ---- kcat's flags: -o is the start offset; the older spellings work for
# a release, with a notice
printf 'k1,2024-01-01 00:00:00,1\nk1,2024-01-01 00:01:00,2\nk1,2024-01-01 00:02:00,3\n' | tsproduce -b $B -t kc --commit none
ck kcat-o-beginning 0 '' 'tsconsume -q -b $B -t kc -p 0 -o beginning -e --no-header | grep -vc "^#" | grep -qx 3 ||
	tsconsume -q -b $B -t kc -o beginning -e --no-header | grep -vc "^#" | grep -qx 3'
ck kcat-o-end 0 '' 'test $(tsconsume -q -b $B -t kc -o end -e | grep -vc "^#") = 0'
ck kcat-o-tail 0 '' 'tsconsume -q -b $B -t kc -o -1 -e --no-header | grep -v "^#" | grep -qx "k1,2024-01-01 00:02:00,3"'
ck kcat-o-abs 0 '' 'test $(tsconsume -q -b $B -t kc -o 1 -e | grep -c "^k1,") = 2'
ck kcat-u 0 '' 'test $(tsconsume -q -b $B -t kc -u -e | grep -c "^k1,") = 3'
ck kcat-o-bin-old 0 "tsconsume: -o bin: the output format is --output-format now; -o is the start offset, as in kcat (this spelling goes in the next release)" \
	'tsconsume -b $B -t kc -o bin -e | tsconv -o csv --no-header | grep -c "^k1," | grep -qx 3'
ck kcat-O-old 0 "tsconsume: -O: the start offset is -o now, as in kcat (this spelling goes in the next release)" \
	'test $(tsconsume -b $B -t kc -O end -e | grep -vc "^#") = 0'
ck kcat-o-bad 2 "tsconsume: -o: 'soon' is not an integer
Try 'tsconsume --help' for more information." 'tsconsume -b $B -t kc -o soon'
# -o's rule (tool_kafka_start_offset), a usage error before any broker is
# asked: with -G only where a partition without a committed offset starts
for o in 5 -1 stored s@0; do
	ck kcat-o-group-$o 2 "tsconsume: -o: with -G only 'beginning' or 'end' (where no offset is committed)
Try 'tsconsume --help' for more information." "tsconsume -b 127.0.0.1:1 -G g -t kc -o $o"
done
ck kcat-o-tail-zero 2 "tsconsume: -o: '0' out of range 1..2147483647
Try 'tsconsume --help' for more information." 'tsconsume -b 127.0.0.1:1 -t kc -o -0'
ck kcat-o-time-bad 2 "tsconsume: -o: 'x' is not an integer
Try 'tsconsume --help' for more information." 'tsconsume -b 127.0.0.1:1 -t kc -o s@x'
ck kcat-o-time-empty 2 "tsconsume: -o: '' is not an integer
Try 'tsconsume --help' for more information." 'tsconsume -b 127.0.0.1:1 -t kc -o s@'
ck kcat-K 0 '' 'printf "sensor9:2024-01-01 00:00:00,1\na,b:2024-01-01 00:01:00,2\n" | tsproduce -b $B -t kk -K : --commit none &&
	kcat -C -b $B -t kk -e -q -f "%k|%s\n" | sort | tr "\n" " " | grep -qx "a,b|\"a,b\",2024-01-01 00:01:00,2 sensor9|sensor9,2024-01-01 00:00:00,1 "'
ck kcat-K-files 2 "tsproduce: -K: reads standard input only
Try 'tsproduce --help' for more information." 'tsproduce -b $B -t kk -K : in1.csv'
ck kcat-u-produce 0 '' 'tsproduce -b $B -t ku -u --commit none <in1.csv && test $(kcat -C -b $B -t ku -e -q | wc -l) = 12000'

# ---- bad input: stop with topic, partition and offset, or dead-letter it
printf 's1,2024-01-01 00:00:00,1\n' | kcat -P -b $B -t bad -p 0
printf 'garbage\n' | kcat -P -b $B -t bad -p 0
printf 's1,2024-01-01 00:01:00,2\n' | kcat -P -b $B -t bad -p 0
ck bad-stops 1 "tsconsume: bad [0] at offset 1: line 1: expected series,time,value or time,value: 'garbage' (use --dead-letter TOPIC to set such messages aside)" \
	'tsconsume -q -b $B -t bad -p 0 -e >out && grep -c "" out'
ck bad-stops-position 0 '' 'tsconsume -q -b $B -t bad -p 0 -e 2>/dev/null | tail -1 | grep -qx "#tsd pos topic=bad partition=0 offset=1"'
ck bad-dead-letter 0 "tsconsume: bad [0] at offset 1: line 1: expected series,time,value or time,value: 'garbage': sent to 'dlq'" \
	'tsconsume -b $B -t bad -p 0 -e --dead-letter dlq 2>&1 >out | grep -v assigned >&2; grep -c "^s1," out | grep -qx 2'
ck bad-dead-letter-kept 0 '' 'kcat -C -b $B -t dlq -e -q -f "%h|%s\n" | grep -q "tsd.topic=bad,tsd.partition=0,tsd.offset=1,.*|garbage$"'
ck bad-binary 1 '*' 'printf "\x89TSD\x01\x00\x00\x00S" | kcat -P -b $B -t badbin -p 0 && tsconsume -q -b $B -t badbin -e'
ck bad-binary-msg 0 '' 'tsconsume -q -b $B -t badbin -e 2>&1 >/dev/null | grep -qx "tsconsume: badbin \[0\] at offset 0: payload ends inside a frame header (use --dead-letter TOPIC to set such messages aside)"'

# ---- unreachable brokers: a clear error after the timeout, not a hang
ck unreachable-consume 1 'tsconsume: cannot reach the brokers (127.0.0.1:9) within 1000 ms: Local: Broker transport failure' \
	'timeout 20 tsconsume -b 127.0.0.1:9 -t x --timeout 1s'
ck unreachable-produce 1 'tsproduce: cannot reach the brokers (127.0.0.1:9) within 1000 ms: Local: Broker transport failure' \
	'echo "s,2024-01-01,1" | timeout 20 tsproduce -b 127.0.0.1:9 -t x --timeout 1s'
ck no-group 1 "tsproduce: the input carries source positions but no group (-G) is given to commit them to; use --commit none to ignore them" \
	'printf "s,2024-01-01,1\n#tsd pos topic=t partition=0 offset=1\n" | tsproduce -b $B -t x --commit ack'
ck cut-stream 1 "tsproduce: the input carried source positions but ended without the source's end mark (did a stage before fail?): nothing committed since the last commit" \
	'printf "s,2024-01-01,1\n#tsd pos topic=t partition=0 offset=1\n" | tsproduce -b $B -t x -G gx --commit ack --commit-interval 1h'
ck usage 2 "tsconsume: no topic (-t TOPIC)
Try 'tsconsume --help' for more information." 'tsconsume -b $B'
ck help 0 '' 'tsconsume --help | grep -q "^usage: tsconsume" && tsproduce --help | grep -q "^usage: tsproduce" && tsbroker --help | grep -q "^usage: tsbroker"'
# a group member stopped by SIGTERM exits 0 in either output format: the
# revocation that closing the consumer brings writes nothing once its
# stdout is closed (with -o bin it was a 'write error', exit 1)
tsgen --series-count 2 --points 100 | tsproduce -b $B -t stop1 --commit none
for fmt in bin csv; do
	ck "sigterm-exit-$fmt" 0 '*' "tsconsume -b \$B -G gstop$fmt -t stop1 --output-format $fmt 2>st.err >st.out & c=\$!
		for i in \$(seq 300); do grep -q assigned st.err && break; sleep 0.1; done; sleep 0.3
		kill -TERM \$c; wait \$c; rc=\$?; cat st.err >&2; ! grep -q 'write error' st.err && exit \$rc"
done
