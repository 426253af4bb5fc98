# A throwaway PostgreSQL server for tests and benchmarks (source this file).
#   pg_start        initdb into a new folder under /tmp and start the server
#                   there, listening on a Unix socket in that folder only (no
#                   TCP); sets PGDIR and PGDB (a conninfo for tsstore/psql).
#                   As root, the server runs as the user postgres.
#   pg_down, pg_up  stop it (fast: sessions are cut) and start it again
#   pg_stop         stop it and remove the folder
# Each returns non-zero with a message on stderr when it fails.
pg_bin() {
	local b
	b=$(pg_config --bindir 2>/dev/null)
	[ -x "$b/initdb" ] || b=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
	[ -x "$b/initdb" ] || { echo "pgtemp: no initdb (apt-get install postgresql)" >&2; return 1; }
	echo "$b"
}

pg_as() {
	# from / : the server's user may not enter the caller's folder
	if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else (cd / && "$@"); fi
}

pg_start() {
	PGBIN=$(pg_bin) || return 1
	PGDIR=$(mktemp -d /tmp/tsdpg.XXXXXX) || return 1
	chmod 755 "$PGDIR"
	[ "$(id -u)" = 0 ] && chown postgres: "$PGDIR"
	pg_as "$PGBIN/initdb" -D "$PGDIR/data" -A trust -U postgres -E UTF8 --locale=C >"$PGDIR/initdb.log" 2>&1 ||
		{ echo "pgtemp: initdb failed:" >&2; tail -5 "$PGDIR/initdb.log" >&2; return 1; }
	pg_up || return 1
	PGDB="host=$PGDIR port=5432 user=postgres dbname=postgres"
	export PGDIR PGDB PGBIN
}

pg_up() {
	pg_as "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w -t 60 \
		-o "-c listen_addresses='' -c unix_socket_directories='$PGDIR' -p 5432 ${PG_OPTS:-}" start >/dev/null ||
		{ echo "pgtemp: the server did not start:" >&2; tail -5 "$PGDIR/log" >&2; return 1; }
}

pg_down() {
	pg_as "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast -w -t 60 stop >/dev/null
}

pg_stop() {
	[ -n "${PGDIR:-}" ] && [ -d "$PGDIR" ] || return 0
	pg_down 2>/dev/null
	rm -rf "$PGDIR"
	PGDIR=
}
