# unkeyed: a topic written without keys (kcat -P without -K, as plant
# gateways often do) spreads each series over 4 partitions, read in no
# particular order. tsconsume warns once per series; a windowing stage
# with --lateness puts every sample back in order; samples later than the
# bound go to --late with their count. (README, "Kafka: key messages by
# series"; tsconsume(1).)
. "$TSD_ROOT/tests/cli/lib.sh"
command -v kcat >/dev/null || { echo "unkeyed.sh: kcat missing" >&2; exit 1; }

PIDS=
trap 'for p in $PIDS; do kill $p 2>/dev/null; done; wait 2>/dev/null; rm -rf "$D"' EXIT
tsbroker -p 4 -t raw -t keyed -t late </dev/null >bs 2>broker.err & PIDS="$PIDS $!"
for i in $(seq 100); do [ -s bs ] && break; sleep 0.1; done
B=$(cat bs)
export B
ok broker-up 'test -n "$B"'

# 3 series of 400 samples at 1 s, one message per line, no key: librdkafka's
# partitioner puts each message on a random partition (sticky for 10 ms by
# default, which on loopback puts most of them on one: turned off here)
tsgen --series-count 3 --points 400 --step 1s -S 5 | tail -n +2 >in.csv
ok produce 'kcat -P -b $B -t raw -X sticky.partitioning.linger.ms=0 <in.csv'
ok spread 'for p in 0 1 2 3; do test $(kcat -C -b $B -t raw -p $p -e -q | wc -l) -gt 50 || exit 1; done'
# every stage below sorts its output (series interleave as they come)
sort in.csv >want.csv

# without a bound, a series read from 4 partitions loses samples as late
ck no-bound 0 '*' 'tsconsume -q -b $B -t raw -e | nth -k 1 >nobound.csv 2>nobound.err'
ok no-bound-says 'grep -q "^nth: .* dropped" nobound.err'
ok no-bound-loses 'test $(grep -vc "^#\|^series" nobound.csv) -lt 1200'

# the warning: once for each series, naming two partitions of raw
ok warn 'tsconsume -b $B -t raw -e 2>w.err >/dev/null; grep -c "^tsconsume: series .s[123]. comes from raw \[[0-3]\] and raw \[[0-3]\]: no order across partitions" w.err >n; test $(cat n) = 3 && test $(grep -c "comes from" w.err) = 3'
ok warn-quiet 'tsconsume -q -b $B -t raw -e 2>q.err >/dev/null; ! grep -q "comes from" q.err'
# a keyed topic (tsproduce keys by series) gives no warning
ok keyed-produce 'tsproduce -b $B -t keyed --commit none <want.csv'
ok keyed-no-warning 'tsconsume -b $B -t keyed -e 2>k.err >/dev/null; ! grep -q "comes from" k.err'

# with a bound larger than the skew, every sample, in order, nothing late
ck bound 0 '' 'tsconsume -q -b $B -t raw -e | nth -k 1 --lateness 1h --late late.csv | grep -v "^#" | tail -n +2 | sort >got.csv'
same bound-all want.csv got.csv
ok bound-late-empty 'test -f late.csv && ! test -s late.csv'
# the same through a group, as the README's command does
ck group 0 '' 'tsconsume -q -b $B -t raw -G g -e | nth -k 1 --lateness 1h | grep -v "^#" | tail -n +2 | sort >gotg.csv'
same group-all want.csv gotg.csv
# dwt downstream: the same windows as on the sorted file
dwt -w 64 -J 2 want.csv | sort >dwant.csv
ck dwt 0 '' 'tsconsume -q -b $B -t raw -e | dwt -w 64 -J 2 --lateness 1h | grep -v "^#" | sort >dgot.csv'
same dwt-windows dwant.csv dgot.csv

# late beyond the bound: s1 at even seconds, then 5 odd seconds from its
# start, 5 minutes late, all keyed to one partition so nothing else is late
tsgen --series-count 3 --points 600 --step 1s -S 6 | tail -n +2 | grep '^s1,' >one.csv
awk -F, 'NR % 2 == 1' one.csv >even.csv
awk -F, 'NR % 2 == 0 && NR <= 10' one.csv >odd5.csv
ok late-produce 'cat even.csv odd5.csv | kcat -P -b $B -t late -p 0'
ck late-count 0 "nth: 5 samples later than the lateness bound (per series: 's1' 5) written to late.out" \
	'tsconsume -q -b $B -t late -e | nth -k 1 --lateness 30s --late late.out | grep -v "^#" >lgot.csv'
ok late-file 'test $(grep -vc "^series" late.out) = 5 && grep -v "^series" late.out | cmp -s - odd5.csv'
ok late-rest 'test $(grep -vc "^series\|^time" lgot.csv) = 300'
