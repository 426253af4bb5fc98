#!/bin/bash
# store.sh: tsstore against the databases' own bulk loaders on the same
# file in the same run: into SQLite beside sqlite3's .import into a plain
# table, into PostgreSQL (a throwaway server, scripts/pgtemp.sh) beside
# psql's \copy into a plain table, and into a table with tsstore's key;
# tsstore with its default transactions (50000 rows) and with the whole file
# in one transaction, as the loaders do; rows/s, best of 3. tsstore does more: it
# parses the times, upserts by (series, time) through the primary key and
# writes the series table. Then tsquery of one day of one series out of
# 1e7 stored rows (the (series, time) key is used: the query plan is shown).
# Usage: B=build/rel bench/store.sh [ROWS [BIGROWS]]   (tools from $B/bin)
set -eu
BIN=${B:-build/rel}/bin
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
export PATH=$BIN:$PATH
ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=${1:-1000000}
BIG=${2:-10000000}
T=$(mktemp -d)
chmod 755 "$T"
. "$ROOT/scripts/pgtemp.sh"
trap 'pg_stop; rm -rf "$T"' EXIT
cd "$T"

now() { date +%s.%N; }
# best of 3 wall times of "$@", each after the preparation $PREP
best() {
	local b= a e d
	for k in 1 2 3; do
		eval "$PREP"
		a=$(now); "$@" >/dev/null; e=$(now)
		d=$(awk -v a="$a" -v e="$e" 'BEGIN { printf "%.3f", e - a }')
		if [ -z "$b" ] || awk -v d="$d" -v b="$b" 'BEGIN { exit !(d < b) }'; then b=$d; fi
	done
	echo "$b"
}
rate() { awk -v n="$N" -v s="$1" 'BEGIN { printf "%9.0f rows/s  (%.3f s)", n / s, s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", b / a }'; }

tsgen --series-count 10 --points $((N / 10)) -S 1 --no-events >f.csv
N=$(($(wc -l <f.csv) - 1))
echo "store bench: $N rows of 10 series, long CSV ($(($(wc -c <f.csv) / N)) bytes a row)"

# ---- SQLite
PREP='rm -f ref.db*'
ref=$(best sqlite3 -cmd '.mode csv' ref.db '.import f.csv t')
PREP='rm -f key.db*; sqlite3 key.db "PRAGMA journal_mode=WAL; CREATE TABLE t (series TEXT NOT NULL, time TEXT NOT NULL, value REAL NOT NULL, PRIMARY KEY (series, time)) WITHOUT ROWID" >/dev/null'
key=$(best sqlite3 -cmd '.mode csv' key.db '.import --skip 1 f.csv t')
PREP='rm -f ts.db*'
ts=$(best tsstore sqlite:ts.db f.csv)
test "$(sqlite3 ts.db 'select count(*) from tsd_samples')" = "$N"
test "$(sqlite3 ref.db 'select count(*) from t')" = "$N"
test "$(sqlite3 key.db 'select count(*) from t')" = "$N"
echo "sqlite   sqlite3 .import (plain table)  $(rate "$ref")"
echo "sqlite   sqlite3 .import (keyed table)  $(rate "$key")  (PRIMARY KEY (series, time), WAL, as tsstore's)"
echo "sqlite   tsstore (upsert, key)          $(rate "$ts")  $(ratio "$ts" "$ref") of .import, $(ratio "$ts" "$key") of keyed .import"
PREP='rm -f ts1.db*'
ts1=$(best tsstore -B $N sqlite:ts1.db f.csv)
echo "sqlite   tsstore -B $N (one txn)     $(rate "$ts1")  $(ratio "$ts1" "$ref") of .import, $(ratio "$ts1" "$key") of keyed .import"
# the same rows again: every one an update
PREP=':'
again=$(best tsstore sqlite:ts.db f.csv)
echo "sqlite   tsstore, all rows again        $(rate "$again")"

# ---- PostgreSQL
if pg_start; then
	psq() { psql -X -q -A -t "$PGDB" "$@"; }
	psq -c 'create table t (series text, time timestamptz, value double precision)'
	PREP='psq -c "truncate t"'
	ref=$(best psq -c '\copy t from f.csv csv header')
	PREP='psq -c "drop table if exists tsd_samples, tsd_series, tsd_positions, tsd_carry" 2>/dev/null'
	ts=$(best tsstore "$PGDB" f.csv)
	ts1=$(best tsstore -B $N "$PGDB" f.csv)
	test "$(psq -c 'select count(*) from tsd_samples')" = "$N"
	test "$(psq -c 'select count(*) from t')" = "$N"
	psq -c 'create table k (series text collate "C" not null, time timestamptz not null, value double precision not null, primary key (series, time))'
	PREP='psq -c "truncate k"'
	key=$(best psq -c '\copy k from f.csv csv header')
	echo "postgres psql \\copy (plain table)      $(rate "$ref")"
	echo "postgres psql \\copy (keyed table)      $(rate "$key")  (PRIMARY KEY (series, time), as tsstore's)"
	echo "postgres tsstore (COPY, key)           $(rate "$ts")  $(ratio "$ts" "$ref") of \\copy, $(ratio "$ts" "$key") of keyed \\copy"
	echo "postgres tsstore -B $N (one txn)    $(rate "$ts1")  $(ratio "$ts1" "$ref") of \\copy, $(ratio "$ts1" "$key") of keyed \\copy (\\copy is one transaction too)"
	PREP=':'
	again=$(best tsstore "$PGDB" f.csv)
	echo "postgres tsstore, all rows again       $(rate "$again")  (staging table, ON CONFLICT)"
else
	echo "postgres: no server could be started" >&2
	exit 1
fi

# ---- one day of one series out of $BIG rows
rm -f f.csv
a=$(now)
tsgen --series-count 10 --points $((BIG / 10)) -S 2 --no-events -o bin | tsstore sqlite:big.db
e=$(now)
echo "sqlite   $BIG rows stored from tsgen in $(awk -v a="$a" -v e="$e" 'BEGIN { printf "%.1f s", e - a }')" \
     "($(($(stat -c %s big.db) / 1048576)) MB)"
sqlite3 big.db "EXPLAIN QUERY PLAN SELECT time, value FROM tsd_samples WHERE series = 's07' AND time >= 1 AND time < 2 ORDER BY time" |
	sed 's/^/sqlite   plan: /'
PREP=':'
q=$(best tsquery sqlite:big.db -s s07 --from 2024-06-01 --to 2024-06-02)
test "$(tsquery sqlite:big.db -s s07 --from 2024-06-01 --to 2024-06-02 --no-header | wc -l)" = 1440
echo "sqlite   tsquery -s s07, one day (1440 rows) of $BIG: $(awk -v q="$q" 'BEGIN { printf "%.0f ms", q * 1000 }') (process start included)"
psq -c 'drop table if exists tsd_samples, tsd_series, tsd_positions, tsd_carry, t, k' 2>/dev/null
a=$(now)
tsgen --series-count 10 --points $((BIG / 10)) -S 2 --no-events -o bin | tsstore "$PGDB"
e=$(now)
echo "postgres $BIG rows stored from tsgen in $(awk -v a="$a" -v e="$e" 'BEGIN { printf "%.1f s", e - a }')"
psq -c "explain select time, value from tsd_samples where series = 's07' and time >= '2024-06-01' and time < '2024-06-02' order by time" |
	head -2 | sed 's/^/postgres plan: /'
q=$(best tsquery "$PGDB" -s s07 --from 2024-06-01 --to 2024-06-02)
test "$(tsquery "$PGDB" -s s07 --from 2024-06-01 --to 2024-06-02 --no-header | wc -l)" = 1440
echo "postgres tsquery -s s07, one day (1440 rows) of $BIG: $(awk -v q="$q" 'BEGIN { printf "%.0f ms", q * 1000 }') (process start and connection included)"
