# store-pg: tsstore and tsquery against a real PostgreSQL server that this
# script starts (initdb and pg_ctl into a temporary folder, a Unix socket
# only, stopped at the end): round trip, upsert, schema, refused values,
# the server stopped for 10 s mid-run, and kill -9 of random stages of
# tsconsume --positions | dwt | thresh | merge | tsstore against tsbroker.
# A server that cannot be started is a failure, not a skip.
. "$TSD_ROOT/tests/cli/lib.sh"
. "$TSD_ROOT/scripts/pgtemp.sh"

PIDS=
trap 'for p in $PIDS; do kill $p 2>/dev/null; done; wait 2>/dev/null; pg_stop; rm -rf "$D"' EXIT
pg_start 2>pg.err
ok pg-start "test -n '${PGDB:-}' || { cat pg.err >&2; false; }"
[ -n "${PGDB:-}" ] || exit 1
export PGDB
psql() { command psql -X -q -A -t "$PGDB" "$@"; }
export -f psql


# ---- round trip, replay (through the staging table), upsert, schema
tsgen --series-count 3 --points 2000 -S 2 >in.csv
N=$(($(wc -l <in.csv) - 1))
ck store 0 '' 'tsstore "$PGDB" in.csv'
ck query-same 0 '' 'tsquery "$PGDB" >out.csv && cmp -s <(sort out.csv) <(sort in.csv)'
ck replay-no-dup 0 '' 'tsstore "$PGDB" in.csv && test $(psql -c "select count(*) from tsd_samples") = '$N
ck upsert 0 '' 'printf "series,timestamp,value\ns2,2024-01-01 00:05:00,42.5\ns2,2024-01-01 00:05:00.5,1\n" | tsstore --order any "$PGDB" &&
	tsquery "$PGDB" -s s2 --from "2024-01-01 00:05" --to "2024-01-01 00:05:01" --no-header | tr "\n" " " | grep -qx "s2,2024-01-01 00:05:00,42.5 s2,2024-01-01 00:05:00.500,1 " &&
	test $(psql -c "select count(*) from tsd_samples") = $(('$N' + 1))'
ck schema 0 '' 'test "$(psql -c "select data_type from information_schema.columns where table_name = '"'tsd_samples'"' and column_name = '"'time'"'")" = "timestamp with time zone" &&
	test "$(psql -c "select pg_get_constraintdef(oid) from pg_constraint where conrelid = '"'tsd_samples'"'::regclass and contype = '"'p'"'")" = "PRIMARY KEY (series, \"time\")"'
ck index-used 0 '' 'psql -c "set enable_seqscan = off; explain select time, value from tsd_samples where series = '"'s1'"' and time >= now() - interval '"'1 day'"' and time < now() order by time" | grep -q "Index Scan using tsd_samples_pkey"'
ck glob-range 0 '' 'test "$(tsquery "$PGDB" -s "s[13]" --from 2024-01-01T01:00:00Z --to "2024-01-01 01:02" -t s --no-header | cut -d, -f1,2 | tr "\n" " ")" = "s1,1704070800 s1,1704070860 s3,1704070800 s3,1704070860 "'
ck binary-out 0 '' 'tsquery "$PGDB" -s s3 -o bin | tsconv -o csv --no-header | cmp -s - <(grep "^s3," out.csv)'
printf 's,2024-01-01 00:00:00,1\n#tsd pos topic=t partition=0 offset=5\n#tsd pos topic=- partition=-1 offset=-1\n' >pos.csv
ck positions 0 '' 'tsstore "$PGDB" pos.csv && test "$(psql -c "select topic, partition, next_offset from tsd_positions")" = "t|0|5"'
ck cut-stream 1 "tsstore: the input carried source positions but ended without the source's end mark (did a stage before fail?): nothing stored since the last commit" \
	'printf "s,2024-01-02 00:00:00,1\n#tsd pos topic=t partition=0 offset=7\ns,2024-01-02 00:01:00,2\n" | tsstore "$PGDB"'
ck cut-stream-nothing 0 '' 'test $(psql -c "select next_offset from tsd_positions where partition = 0") = 5 && test $(psql -c "select count(*) from tsd_samples where series = '"'s'"'") = 1'

# ---- values the database refuses: named by the record
printf "series,timestamp,value\nc1,2024-01-01 00:00:00,1\nc1,2024-01-01 00:02:00,99\n" >in4.csv
psql -c "alter table tsd_samples add constraint cap check (value <= 50)"
ck refused 1 'tsstore: in4.csv: record 2 (series '"'c1'"', time 2024-01-01 00:02:00, value 99): the database refused it: postgresql: new row for relation "tsd_samples" violates check constraint "cap"' \
	'tsstore "$PGDB" in4.csv'
ck refused-nothing 0 '' 'test $(psql -c "select count(*) from tsd_samples where series = '"'c1'"'") = 0'
psql -c "alter table tsd_samples drop constraint cap"
ck refused-utf8 0 '' 'printf "series,timestamp,value\nbad\xff,2024-01-01,1\n" | tsstore "$PGDB" 2>err.u8; test $? = 1 &&
	grep -q "^tsstore: <stdin>: record 1 (series .bad.*., time 2024-01-01 00:00:00, value 1): the database refused it: postgresql: invalid byte sequence for encoding \"UTF8\": 0xff$" err.u8'
ck refused-ns 1 "tsstore: <stdin>:2: series 'x', time 2024-01-01 00:00:00.000000001, value 1: the database refused it: PostgreSQL keeps times to the microsecond: this one has nanoseconds" \
	'printf "series,timestamp,value\nx,2024-01-01 00:00:00.000000001,1\n" | tsstore "$PGDB"'
ck unreachable 0 '' 'tsstore "host=$PGDIR/none port=5432 user=postgres dbname=postgres" </dev/null 2>&1 | grep -q "^tsstore: postgresql: connection to server on socket"'

# ---- through Kafka
command -v tsbroker >/dev/null || { echo "store-pg.sh: tsbroker missing" >&2; exit 1; }
tsbroker -p 4 -t in1 -t in2 </dev/null >bs 2>broker.err & PIDS="$PIDS $!"
for i in $(seq 50); do [ -s bs ] && break; sleep 0.1; done
B=$(cat bs)
export B
ok broker-up 'test -n "$B"'
# the default reduction: thresh --ratio's per-series budget and merge's fit
# carry state from window to window; it is saved before each position,
# stored with it, and loaded back after the seek (tsconsume --positions)
P='dwt -w 1h -J 3 -W haar -o bin | thresh -r 4 -o bin | merge -o bin'
export P

# ---- the server stopped for 10 s while a live stream is stored: tsstore
# waits, reconnects, resends the open transaction; nothing is lost
psql -c "truncate tsd_samples, tsd_series, tsd_positions, tsd_carry"
# windows of 1 min of 1 s samples: at 100 times real speed, rows come out
# every 0.6 s for 15 s
P1='dwt -w 1m -J 3 -W haar -o bin | thresh -r 4 -o bin | merge -o bin'
tsgen --series-count 3 --points 1500 --step 1s -S 9 >in1.csv
eval "$P1" <in1.csv | tsconv -o csv --no-header >want1.csv
tsgen --series-count 3 --points 1500 --step 1s -S 9 --realtime=100 | tsproduce -b $B -t in1 --commit none 2>gen.err & gp=$!
tsconsume -q -b $B -G g1 -a -t in1 -c 4500 --positions "$PGDB" 2>down.err | eval "$P1" 2>>down.err |
	tsstore --retry 60s "$PGDB" 2>>down.err & sp=$!
( trap 'kill $sl 2>/dev/null; exit 0' TERM; sleep 60 & sl=$!; wait $sl; kill $gp $sp 2>/dev/null ) & watchdog=$!
# down once the first rows are stored
for i in $(seq 100); do [ -n "$(tsquery "$PGDB" --no-header 2>/dev/null | head -1)" ] && break; sleep 0.1; done
n_before=$(tsquery "$PGDB" --no-header | wc -l)
pg_down; sleep 10; pg_up
ok down-10s-midrun "kill -0 $sp && test $n_before -gt 0 && test $n_before -lt $(wc -l <want1.csv)"
wait $gp; wait $sp; src=$?
kill $watchdog 2>/dev/null; wait $watchdog 2>/dev/null
ok down-10s-exit "test $src = 0 || cat down.err >&2; test $src = 0"
ok down-10s-retried 'grep -q "the connection was lost and the transaction sent again" down.err || { cat -v down.err; tail -3 $PGDIR/log; } >&2; grep -q "the connection was lost and the transaction sent again" down.err'
tsquery "$PGDB" >got1.csv
read miss extra bad dup < <(idcheck want1.csv got1.csv)
echo "store-pg.sh: server down 10 s: $(grep -c . got1.csv) rows of $(wc -l <want1.csv): $miss lost, $extra extra, $bad wrong" >&2
ok down-10s-nothing-lost "test '$miss $extra $bad $dup' = '0 0 0 0'"

# ---- kill -9 of a random stage at random moments (20 kills) while the
# topic grows, then a drain: every (series, time) of the reference exactly
# once, with the reference value
psql -c "truncate tsd_samples, tsd_series, tsd_positions, tsd_carry"
tsgen --series-count 8 --points 40000 -S 7 >in2.csv
eval "$P" <in2.csv | tsconv -o csv --no-header >want2.csv
awk 'NR == 1 { h = $0; next } { c = int((NR - 2) / 16000); f = "chunk" c ".csv"; if (!(f in s)) { print h >f; s[f] = 1 } print >f }' in2.csv
RANDOM=${STORE_SEED:-17}
kills=0 rounds=0
while [ $rounds -lt 20 ]; do
	tsproduce -b $B -t in2 --commit none -o bin --batch 50 <chunk$rounds.csv
	rounds=$((rounds + 1))
	rm -f f1 f2 f3 f4; mkfifo f1 f2 f3 f4
	tsconsume -q -b $B -G g2 -a -t in2 -o bin --positions "$PGDB" >f1 2>>crash.err & c=$!
	dwt -w 1h -J 3 -W haar -o bin <f1 >f2 2>>crash.err & w=$!
	thresh -r 4 -o bin <f2 >f3 2>>crash.err & t=$!
	merge -o bin <f3 >f4 2>>crash.err & m=$!
	tsstore "$PGDB" <f4 2>>crash.err & s=$!
	sleep 0.$((RANDOM % 4))$((RANDOM % 10))
	set -- $c $w $t $m $s; shift $((RANDOM % 5)); kill -9 $1 2>/dev/null && kills=$((kills + 1))
	{
		for i in $(seq 3); do kill -0 $c $w $t $m $s 2>/dev/null || break; sleep 0.1; done
		kill -TERM $c $w $t $m $s 2>/dev/null
		wait $c $w $t $m $s 2>/dev/null
	} 2>/dev/null
done
ck crash-final 0 '' 'tsconsume -q -b $B -G g2 -a -t in2 -e -o bin --positions "$PGDB" | eval "$P" | tsstore "$PGDB"'
tsquery "$PGDB" >got2.csv
read miss extra bad dup < <(idcheck want2.csv got2.csv)
echo "store-pg.sh: kill -9 (postgresql): $kills kills in $rounds rounds; $(($(wc -l <got2.csv) - 1)) rows stored of $(wc -l <want2.csv): $miss lost, $extra extra, $bad wrong, $dup duplicates" >&2
ok crash-exactly-once "test '$miss $extra $bad $dup' = '0 0 0 0' || tail -5 crash.err >&2; test '$miss $extra $bad $dup' = '0 0 0 0'"
ok crash-20-kills 'test '"$kills"' -ge 20'
ok crash-count "test $(($(wc -l <got2.csv) - 1)) = $(grep -vc ",\$" want2.csv)"
