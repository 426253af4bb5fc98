# store: tsstore and tsquery on SQLite: round trip, upsert, ranges and
# globs, positions with the rows they cover, refused values, a locked file,
# --follow; and kill -9 of random stages of tsconsume --positions | dwt |
# thresh | merge | tsstore against tsbroker (the mock cluster), checked
# against the same pipeline on the file. Every wait is bounded.
. "$TSD_ROOT/tests/cli/lib.sh"
command -v sqlite3 >/dev/null || { echo "store.sh: sqlite3 missing" >&2; exit 1; }

PIDS=
trap 'for p in $PIDS; do kill $p 2>/dev/null; done; wait 2>/dev/null; rm -rf "$D"' EXIT


# ---- round trip, replay, upsert
tsgen --series-count 3 --points 2000 -S 2 >in.csv
ck store 0 '' 'tsstore sqlite:r.db in.csv'
ck query-same 0 '' 'tsquery sqlite:r.db >out.csv && cmp -s <(sort out.csv) <(sort in.csv)'
ck query-order 0 '' 'tsquery sqlite:r.db --no-header | cut -d, -f1 | uniq | tr "\n" " " | grep -qx "s1 s2 s3 "'
N=$(($(wc -l <in.csv) - 1))
ck replay-no-dup 0 '' 'tsstore sqlite:r.db in.csv && test $(sqlite3 r.db "select count(*) from tsd_samples") = '$N
ck upsert 0 '' 'printf "series,timestamp,value\ns2,2024-01-01 00:05:00,42.5\n" | tsstore sqlite:r.db &&
	tsquery sqlite:r.db -s s2 --from "2024-01-01 00:05" --to "2024-01-01 00:06" --no-header | grep -qx "s2,2024-01-01 00:05:00,42.5" &&
	test $(sqlite3 r.db "select count(*) from tsd_samples") = '$N
ck schema-pk 0 '' 'sqlite3 r.db .schema | grep -q "PRIMARY KEY (series, time)" && sqlite3 r.db "EXPLAIN QUERY PLAN SELECT time, value FROM tsd_samples WHERE series = 1 AND time >= 0 AND time < 9 ORDER BY time" | grep -q "SEARCH tsd_samples USING PRIMARY KEY (series=? AND time>? AND time<?)"'

# ---- selection: glob, --from/--to (to excluded), --since, binary out
ck glob 0 '' 'test "$(tsquery sqlite:r.db -s "s[13]" --no-header | cut -d, -f1 | sort -u | tr "\n" " ")" = "s1 s3 "'
ck glob-none 0 '' 'test -z "$(tsquery sqlite:r.db -s "x*")"'
ck range 0 '' 'tsquery sqlite:r.db -s s1 --from 2024-01-01T01:00:00Z --to "2024-01-01 02:00" --no-header >rg &&
	test $(wc -l <rg) = 60 && head -1 rg | grep -qx "s1,2024-01-01 01:00:00,.*" && tail -1 rg | grep -q "^s1,2024-01-01 01:59:00,"'
ck binary-out 0 '' 'tsquery sqlite:r.db -s s3 -o bin | tsconv -o csv --no-header | cmp -s - <(grep "^s3," out.csv)'
now=$(date -u +%s)
printf 'series,timestamp,value\nlive,%s,1\nlive,%s,2\n' $((now - 48 * 3600)) $((now - 3600)) | tsstore sqlite:r.db
ck since 0 '' 'test "$(tsquery sqlite:r.db -s live --since 24h -t s --no-header)" = "live,'$((now - 3600))',2"'
ck time-format 0 '' 'tsquery sqlite:r.db -s s1 -t ns --no-header | head -1 | grep -qx "s1,1704067200000000000,.*"'

# ---- positions: stored with the rows before them; a stream cut before
# the source's end mark stores nothing since the last commit
printf 's,2024-01-01 00:00:00,1\n#tsd pos topic=t partition=0 offset=5\ns,2024-01-01 00:01:00,2\n#tsd pos topic=t partition=1 offset=9\n#tsd pos topic=- partition=-1 offset=-1\n' >pos.csv
ck positions 0 '' 'tsstore sqlite:p.db pos.csv && test "$(sqlite3 p.db "select topic, partition, next_offset from tsd_positions order by partition" | tr "\n" " ")" = "t|0|5 t|1|9 " &&
	test $(sqlite3 p.db "select count(*) from tsd_samples") = 2'
ck cut-stream 1 "tsstore: the input carried source positions but ended without the source's end mark (did a stage before fail?): nothing stored since the last commit" \
	'printf "s,2024-01-02 00:00:00,1\n#tsd pos topic=t partition=0 offset=7\ns,2024-01-02 00:01:00,2\n" | tsstore sqlite:p.db'
ck cut-stream-nothing 0 '' 'test $(sqlite3 p.db "select count(*) from tsd_samples") = 2 && test $(sqlite3 p.db "select next_offset from tsd_positions where partition = 0") = 5'
# a commit once input pauses: what ended at a position is stored while
# the stream is still open
ck commit-on-pause 0 '' '{ printf "s,2024-01-03 00:00:00,1\n#tsd pos topic=t partition=0 offset=11\n"; sleep 3; } | tsstore -d , sqlite:p.db & sp=$!
	for i in $(seq 50); do [ "$(sqlite3 p.db "select next_offset from tsd_positions where partition = 0")" = 11 ] && break; sleep 0.1; done
	r=$(sqlite3 p.db "select count(*) from tsd_samples where time = 1704240000000000000"); kill $sp; wait $sp; test "$r" = 1'

# ---- carried state: the pipeline cut (no end mark) part way, then started
# again at the stored position with the stored state, gives the rows of the
# uninterrupted run; without the state it would not
C='dwt -w 1h -J 3 -W haar -o bin | thresh -r 4 -o bin | merge -o bin'
export C
tsgen --series-count 8 --points 2400 -S 11 >cin.csv
eval "$C" <cin.csv | tsconv -o csv --no-header >cwant.csv
awk 'NR > 1 { print; print "#tsd pos topic=c partition=0 offset=" NR - 1 }' cin.csv >cpos.csv
ck carry-saved 1 '' 'head -n 19200 cpos.csv | eval "$C" 2>/dev/null | tsstore -B 2000 -d , sqlite:cy.db 2>/dev/null'
off=$(sqlite3 cy.db "select next_offset from tsd_positions")
export off
ck carry-stored 0 '' 'test "$off" -gt 4000 && test "$(sqlite3 cy.db "select count(*) from tsd_carry")" = 16 &&
	sqlite3 cy.db "select state from tsd_carry where key = '"'thresh 2:s3'"'" | grep -qx "thresh 2:s3 upto=[0-9]* n=[0-9]* pts=[0-9]*"'
cut=$(grep -n "offset=$off\$" cpos.csv | cut -d: -f1)
{ echo "series,timestamp,value"; tail -n +$((cut + 1)) cpos.csv; echo "#tsd pos topic=- partition=-1 offset=-1"; } >crest.csv
ck carry-restart 0 '' '{ sqlite3 cy.db "select state from tsd_carry" | sed "s/^/#tsd load /"; cat crest.csv; } | eval "$C" | tsstore sqlite:cy.db &&
	test "$(idcheck cwant.csv <(tsquery sqlite:cy.db))" = "0 0 0 0"'
ck carry-needed 0 '' 'eval "$C" <crest.csv | tsstore sqlite:cz.db && test "$(idcheck cwant.csv <(tsquery sqlite:cz.db) | cut -d" " -f2,3)" != "0 0"'

# ---- bad input and faults
ck refused 1 "tsstore: in4.csv: record 2 (series 's1', time 2024-01-01 00:02:00, value 99): the database refused it: sqlite: no values over 50" \
	'printf "series,timestamp,value\ns1,2024-01-01 00:00:00,1\ns1,2024-01-01 00:02:00,99\n" >in4.csv &&
	tsstore sqlite:c.db </dev/null &&
	sqlite3 c.db "CREATE TRIGGER cap BEFORE INSERT ON tsd_samples WHEN new.value > 50 BEGIN SELECT RAISE(ABORT, '"'"'no values over 50'"'"'); END" &&
	tsstore sqlite:c.db in4.csv'
ck refused-nothing 0 '' 'test $(sqlite3 c.db "select count(*) from tsd_samples") = 0'
# rows go in by statements of 256: the refused one is still named
awk 'BEGIN { print "series,timestamp,value"; for (i = 1; i <= 600; i++) printf "b,%d,%d\n", 1704067200 + 60 * i, i == 300 ? 99 : 1 }' >in5.csv
ck refused-batch 1 "tsstore: in5.csv: record 300 (series 'b', time 2024-01-01 05:00:00, value 99): the database refused it: sqlite: no values over 50" \
	'tsstore sqlite:c.db in5.csv'
ck refused-batch-nothing 0 '' 'test $(sqlite3 c.db "select count(*) from tsd_samples") = 0'
ck coefficients 1 "tsstore: <stdin>:3: wavelet coefficients: tsstore stores samples (put merge before it)" \
	'tsgen --points 64 | dwt -w 32 -J 2 | tsstore sqlite:w.db'
ck bad-db 2 "tsstore: 'r.db': not a database name (sqlite:PATH, a PostgreSQL conninfo such as 'host=/run/postgresql dbname=x', or a postgresql:// URI)
Try 'tsstore --help' for more information." 'tsstore r.db </dev/null'
ck no-db 2 "tsquery: no database (sqlite:PATH or a PostgreSQL connection string)
Try 'tsquery --help' for more information." 'tsquery'
ck bad-time 2 "tsquery: --from: 'yesterday' is not a time (ISO-8601 such as 2024-01-01T00:00:00Z, or epoch)
Try 'tsquery --help' for more information." 'tsquery sqlite:r.db --from yesterday'
ck unreadable 1 "tsquery: sqlite:nodir/x.db: unable to open database file" 'tsquery sqlite:nodir/x.db'
# a locked file: wait for the lock (busy timeout), or fail after it
( echo "BEGIN IMMEDIATE; INSERT INTO tsd_series VALUES ('lockholder');"; sleep 2; echo "COMMIT;" ) | sqlite3 r.db & lk=$!
for i in $(seq 50); do [ "$(sqlite3 r.db 'PRAGMA busy_timeout=0; BEGIN IMMEDIATE; ROLLBACK;' 2>&1)" != "" ] && break; sleep 0.05; done
ck locked-fails 1 'tsstore: sqlite:r.db: sqlite: database is locked (nothing of this transaction is stored)' \
	'printf "series,timestamp,value\nlk,2024-01-01,1\n" | tsstore --busy-timeout 200ms sqlite:r.db'
ck locked-waits 0 '' 'printf "series,timestamp,value\nlk,2024-01-01,2\n" | tsstore sqlite:r.db && test $(sqlite3 r.db "select value from tsd_samples where series = '"'lk'"'") = 2.0'
wait $lk

# ---- --follow: rows stored later come out as they are committed
tsquery sqlite:r.db -s "f*" --follow --interval 100ms --no-header >fol 2>fol.err & fp=$!
PIDS="$PIDS $fp"
printf 'series,timestamp,value\nf1,2024-01-01,1\n' | tsstore sqlite:r.db
for i in $(seq 100); do grep -q "^f1," fol && break; sleep 0.1; done
printf 'series,timestamp,value\nf1,2024-01-02,2\nf2,2024-01-01,3\n' | tsstore sqlite:r.db
for i in $(seq 100); do [ $(wc -l <fol) -ge 3 ] && break; sleep 0.1; done
kill -TERM $fp; wait $fp; frc=$?
ok follow 'test '"$frc"' = 0 && test "$(sort fol | tr "\n" " ")" = "f1,2024-01-01 00:00:00,1 f1,2024-01-02 00:00:00,2 f2,2024-01-01 00:00:00,3 "'

# ---- through Kafka: tsconsume --positions starts where tsstore's
# database says, in both assignment paths (-a, and the group's rebalance)
command -v tsbroker >/dev/null || { echo "store.sh: tsbroker missing" >&2; exit 1; }
tsbroker -p 4 -t in1 -t in2 -t in3 </dev/null >bs 2>broker.err & PIDS="$PIDS $!"
for i in $(seq 50); do [ -s bs ] && break; sleep 0.1; done
B=$(cat bs)
export B
ok broker-up 'test -n "$B"'
# the default reduction: thresh --ratio carries a per-series budget from
# window to window and merge's fit joins a window to the one before; both
# save that state before each position, tsstore keeps it with the position,
# and tsconsume --positions gives it back after the seek, so a replay from a
# stored position rebuilds the same rows
P='dwt -w 1h -J 3 -W haar -o bin | thresh -r 4 -o bin | merge -o bin'
export P
tsgen --series-count 4 --points 3000 -S 5 >in1.csv
eval "$P" <in1.csv | tsconv -o csv --no-header >want1.csv
tsproduce -b $B -t in1 --commit none <in1.csv
ck kafka-store 0 '' 'tsconsume -q -b $B -G g1 -a -t in1 -e -o bin --positions sqlite:k.db | eval "$P" | tsstore sqlite:k.db &&
	test "$(idcheck want1.csv <(tsquery sqlite:k.db))" = "0 0 0 0"'
ck kafka-positions 0 '' 'test "$(sqlite3 k.db "select sum(next_offset) from tsd_positions where topic = '"'in1'"'")" = $(($(wc -l <in1.csv) - 1))'
ck kafka-restart-nothing 0 '' 'test $(tsconsume -q -b $B -G g1 -a -t in1 -e --positions sqlite:k.db | grep -vc "^#") = 0'
ck kafka-rebalance-seeks 0 '' 'test $(timeout 60 tsconsume -b $B -G g1 -t in1 -e --positions sqlite:k.db 2>err.rb | grep -vc "^#") = 0 && grep -q "assigned 4 partitions" err.rb'
ck kafka-more 0 '' 'tsgen --series-count 4 --points 3000 -S 5 --start 2024-01-03T02:00:00Z >in1b.csv && tsproduce -b $B -t in1 --commit none <in1b.csv &&
	test $(tsconsume -q -b $B -G g1 -a -t in1 -e --positions sqlite:k.db --no-header | grep -vc "^#") = $(($(wc -l <in1b.csv) - 1))'

# ---- kill -9 of a random stage at random moments (20 kills) while the
# topic grows chunk by chunk (a live source; the consumer never reaches an
# end), then a run to the end: every (series, time) of the reference
# exactly once, with the reference value
tsgen --series-count 8 --points 40000 -S 7 >in2.csv
eval "$P" <in2.csv | tsconv -o csv --no-header >want2.csv
awk 'NR == 1 { h = $0; next } { c = int((NR - 2) / 16000); f = "chunk" c ".csv"; if (!(f in s)) { print h >f; s[f] = 1 } print >f }' in2.csv
RANDOM=${STORE_SEED:-13}
kills=0 rounds=0
while [ $rounds -lt 20 ]; do
	tsproduce -b $B -t in2 --commit none -o bin --batch 50 <chunk$rounds.csv
	rounds=$((rounds + 1))
	rm -f f1 f2 f3 f4; mkfifo f1 f2 f3 f4
	tsconsume -q -b $B -G g2 -a -t in2 -o bin --positions sqlite:s.db >f1 2>>crash.err & c=$!
	dwt -w 1h -J 3 -W haar -o bin <f1 >f2 2>>crash.err & w=$!
	thresh -r 4 -o bin <f2 >f3 2>>crash.err & t=$!
	merge -o bin <f3 >f4 2>>crash.err & m=$!
	tsstore sqlite:s.db <f4 2>>crash.err & s=$!
	sleep 0.$((RANDOM % 4))$((RANDOM % 10))
	set -- $c $w $t $m $s; shift $((RANDOM % 5)); kill -9 $1 2>/dev/null && kills=$((kills + 1))
	# the others see the broken pipe or the end of their input; a consumer
	# with nothing to write is stopped as a supervisor would
	{
		for i in $(seq 5); do kill -0 $c $w $t $m $s 2>/dev/null || break; sleep 0.1; done
		kill -TERM $c $w $t $m $s 2>/dev/null
		wait $c $w $t $m $s 2>/dev/null
	} 2>/dev/null
done
ck crash-final 0 '' 'tsconsume -q -b $B -G g2 -a -t in2 -e -o bin --positions sqlite:s.db | eval "$P" | tsstore sqlite:s.db'
tsquery sqlite:s.db >got2.csv
read miss extra bad dup < <(idcheck want2.csv got2.csv)
echo "store.sh: kill -9 (sqlite): $kills kills in $rounds rounds; $(($(wc -l <got2.csv) - 1)) rows stored of $(wc -l <want2.csv): $miss lost, $extra extra, $bad wrong, $dup duplicates" >&2
ok crash-exactly-once "test '$miss $extra $bad $dup' = '0 0 0 0' || tail -5 crash.err >&2; test '$miss $extra $bad $dup' = '0 0 0 0'"
ok crash-20-kills 'test '"$kills"' -ge 20'
ok crash-count "test $(($(wc -l <got2.csv) - 1)) = $(grep -vc ",\$" want2.csv)"

ck help 0 '' 'tsstore --help | grep -q "^usage: tsstore" && tsquery --help | grep -q "^usage: tsquery" && tsconsume --help | grep -q -- "--positions DB"'
