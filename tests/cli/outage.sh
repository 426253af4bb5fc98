# outage: the broker at a fixed address (tsbroker --port) goes down for 10 s
# in the middle of a run and comes back at the same address; the input
# producer and the pipeline ride it out; nothing is lost against the same
# pipeline on the file. Bounded: a watchdog stops everything after 80 s.
. "$TSD_ROOT/tests/cli/lib.sh"

PIDS=
trap 'for p in $PIDS; do kill -9 $p 2>/dev/null; done; wait 2>/dev/null; rm -rf "$D"' EXIT
# a free port of our own: tsbroker refuses one in use
for try in 1 2 3 4 5 6 7 8; do
	PORT=$((20000 + (RANDOM % 20000)))
	rm -f bs; tsbroker --port $PORT -t in -t out --down-after 5s --down-for 10s </dev/null >bs 2>broker.err & bp=$!
	for i in $(seq 50); do [ -s bs ] && break; kill -0 $bp 2>/dev/null || break; sleep 0.1; done
	[ -s bs ] && break
done
PIDS="$PIDS $bp"
B=$(cat bs)
export B PORT
ok fixed-address 'test "$B" = "127.0.0.1:$PORT"'

# 3 series, 1800 steps, paced to last 18 s: the outage falls in the middle
tsgen --series-count 3 --points 1800 --step 1s -S 9 >in.csv
paa -w 1m -Z in.csv | grep -v ",$" >want.csv
tsgen --series-count 3 --points 1800 --step 1s -S 9 --realtime=100 | tsproduce -b $B -t in --commit ack --timeout 40s 2>gen.err & gp=$!
tsconsume -q -b $B -G g -a -t in -c 5400 --timeout 40s 2>pipe.err | paa -w 1m -Z 2>>pipe.err |
	tsproduce -b $B -t out -G g --commit ack --timeout 40s 2>>pipe.err & pp=$!
PIDS="$PIDS $gp $pp"
( for i in $(seq 400); do [ -e done ] && exit; sleep 0.2; done; kill $gp $pp 2>/dev/null ) & wd=$!
wait $gp; r1=$?; wait $pp; r2=$?
touch done; wait $wd
ok outage-seen 'grep -q "down: 1 broker" broker.err && grep -q "up: 1 broker" broker.err'
ok outage-exit "test '$r1 $r2' = '0 0' || { cat gen.err pipe.err; false; } >&2"
tsconsume -q -b $B -t out -e --no-header | grep -v '^#' >got.csv
read miss extra bad dup < <(awk -F, 'NR == FNR { if ($NF != "value") { w[$1 "," $2] = $3; n++ }; next }
	{ k = $1 "," $2; if (!(k in w)) extra++; else if (w[k] != $3) bad++;
	  else if (k in seen) dup++; else { seen[k] = 1; have++ } }
	END { printf "%d %d %d %d\n", n - have, extra + 0, bad + 0, dup + 0 }' want.csv got.csv)
echo "outage.sh: broker down 10 s at $B: $miss lost, $extra extra, $bad wrong, $dup identical duplicates (of $(($(wc -l <want.csv) - 1)))" >&2
ok outage-complete "test '$miss $extra $bad' = '0 0 0'"
