/* store_sqlite.c: the SQLite backend. One file, WAL mode (readers never
 * wait for the writer), rows upserted through prepared statements in a
 * transaction begun with BEGIN IMMEDIATE, so that a lock held by another
 * process is waited for (busy timeout) before any row is written. Rows
 * gather in groups of BATCH, each upserted by one statement of BATCH rows
 * (the per-statement work of the virtual machine is then shared); when
 * the database refuses such a statement, its rows are sent again one by
 * one to find and name the refused row. */
#include <sqlite3.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dynlib.h"
#include "series.h"
#include "store_impl.h"
#include "tsd.h"

/* libsqlite3's functions, looked up when the first SQLite store opens (no
 * tool links libsqlite3: see dynlib.h) */
#define SQLITE_FUNCS(X) \
	X(sqlite3_bind_double) X(sqlite3_bind_int) X(sqlite3_bind_int64) X(sqlite3_bind_text) \
	X(sqlite3_busy_timeout) X(sqlite3_close) X(sqlite3_column_bytes) X(sqlite3_column_double) \
	X(sqlite3_column_int) X(sqlite3_column_int64) X(sqlite3_column_text) X(sqlite3_errcode) \
	X(sqlite3_errmsg) X(sqlite3_exec) X(sqlite3_finalize) X(sqlite3_open_v2) X(sqlite3_prepare_v2) \
	X(sqlite3_prepare_v3) X(sqlite3_reset) X(sqlite3_step)
#define X(f) __typeof__(f) *f;
static struct { SQLITE_FUNCS(X) } sqlite;
#undef X

/* Looked up once per process, whichever thread opens a store first
 * (pthread_once); a library that failed to load is not tried again. */
static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static int load_rc;
static char load_err[400];

static void load_functions(void)
{
#define X(f) #f,
	static const char *const names[] = { SQLITE_FUNCS(X) };
#undef X
	void *fn[sizeof names / sizeof names[0]];
	size_t i = 0;

	load_rc = tsd_dynlib_load(fn, names, sizeof names / sizeof names[0], "libsqlite3.so.0", load_err, sizeof load_err);
	if (load_rc < 0)
		return;
#define X(f) sqlite.f = (__typeof__(f) *)fn[i++];
	SQLITE_FUNCS(X)
#undef X
}

static int load_libsqlite3(tsd_store *s, const char *path)
{
	pthread_once(&load_once, load_functions);
	if (load_rc < 0)
		tsd_store_seterr(s, "sqlite:%s: %s", path, load_err);
	return load_rc;
}

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS tsd_samples (\n"
	"  series TEXT NOT NULL,\n"
	"  time INTEGER NOT NULL,\n"  /* ns since 1970-01-01 UTC */
	"  value REAL NOT NULL,\n"
	"  PRIMARY KEY (series, time)\n"
	") WITHOUT ROWID;\n"
	"CREATE TABLE IF NOT EXISTS tsd_series (series TEXT PRIMARY KEY) WITHOUT ROWID;\n"
	"CREATE TABLE IF NOT EXISTS tsd_positions (\n"
	"  topic TEXT NOT NULL,\n"
	"  partition INTEGER NOT NULL,\n"
	"  next_offset INTEGER NOT NULL,\n"
	"  updated INTEGER NOT NULL,\n"
	"  PRIMARY KEY (topic, partition)\n"
	");\n"
	"CREATE TABLE IF NOT EXISTS tsd_carry (\n"
	"  key TEXT PRIMARY KEY,\n"     /* "STAGE LEN:NAME" */
	"  state TEXT NOT NULL\n"       /* the whole text of the SAVE record */
	") WITHOUT ROWID;\n"
	"CREATE VIEW IF NOT EXISTS tsd_samples_utc AS\n"
	"  SELECT series, strftime('%Y-%m-%d %H:%M:%f', time / 1000000 / 1000.0, 'unixepoch') AS time, value\n"
	"  FROM tsd_samples;\n";

#define BATCH 256

typedef struct {
	sqlite3 *db;
	sqlite3_stmt *insb;      /* BATCH rows */
	uint32_t bid[BATCH];     /* rows waiting for it: series ids, times, values */
	int64_t bt[BATCH];
	double bv[BATCH];
	int nb;
	sqlite3_stmt *ins, *ser, *pos, *getpos, *list, *q, *cput, *cget;
	tsd_series_tab *tab;     /* series seen */
	unsigned char *known;    /* (nknown) in tsd_series already */
	size_t nknown;
	int in_txn;
} sq;

static int fail(tsd_store *s, sq *d, const char *what)
{
	int code = sqlite.sqlite3_errcode(d->db) & 0xff;

	tsd_store_seterr(s, "%s: %s", what, sqlite.sqlite3_errmsg(d->db));
	if (code == SQLITE_CONSTRAINT || code == SQLITE_MISMATCH || code == SQLITE_TOOBIG || code == SQLITE_RANGE)
		return TSD_EFORMAT;
	return TSD_EIO;
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* sql, waiting out SQLITE_BUSY for the busy timeout (switching to WAL
 * mode does not always call the busy handler) */
static int exec_wait(tsd_store *s, sq *d, const char *sql)
{
	int64_t t0 = now_ms();
	int rc;

	while ((rc = sqlite.sqlite3_exec(d->db, sql, NULL, NULL, NULL)) == SQLITE_BUSY || rc == SQLITE_LOCKED) {
		if (now_ms() - t0 > s->o.busy_ms)
			break;
		struct timespec ts = { 0, 20000000 };
		nanosleep(&ts, NULL);
	}
	return rc == SQLITE_OK ? 0 : fail(s, d, "sqlite");
}

static int prep(tsd_store *s, sq *d, sqlite3_stmt **st, const char *sql)
{
	if (sqlite.sqlite3_prepare_v3(d->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK)
		return fail(s, d, "sqlite");
	return 0;
}

static int sq_open(tsd_store *s, const char *path)
{
	sq *d;
	int rc;

	if ((rc = load_libsqlite3(s, path)) < 0)
		return rc;
	d = calloc(1, sizeof *d);
	if (!d || !(d->tab = tsd_series_new())) {
		free(d);
		tsd_store_seterr(s, "out of memory");
		return TSD_ENOMEM;
	}
	s->impl = d;
	if (sqlite.sqlite3_open_v2(path, &d->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		tsd_store_seterr(s, "sqlite:%s: %s", path, d->db ? sqlite.sqlite3_errmsg(d->db) : "out of memory");
		return TSD_EIO;
	}
	sqlite.sqlite3_busy_timeout(d->db, s->o.busy_ms > 0x7fffffff ? 0x7fffffff : (int)s->o.busy_ms);
	/* NORMAL: a commit is durable once the WAL is written (a crash of
	 * the process loses nothing committed; a power cut may lose the last
	 * transactions, never part of one) */
	if ((rc = exec_wait(s, d, "PRAGMA journal_mode=WAL")) < 0 ||
	    (rc = exec_wait(s, d, "PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY")) < 0)
		goto bad;
	/* the tables, unless they are there (a reader then takes no lock) */
	if (sqlite.sqlite3_prepare_v2(d->db, "SELECT count(*) FROM sqlite_master WHERE name IN "
			       "('tsd_samples', 'tsd_series', 'tsd_positions', 'tsd_carry', 'tsd_samples_utc')", -1, &d->q, NULL) != SQLITE_OK) {
		rc = fail(s, d, "sqlite");
		goto bad;
	}
	rc = sqlite.sqlite3_step(d->q);
	int have = rc == SQLITE_ROW ? sqlite.sqlite3_column_int(d->q, 0) : 0;
	sqlite.sqlite3_finalize(d->q);
	d->q = NULL;
	if (have != 5) {
		if ((rc = exec_wait(s, d, "BEGIN IMMEDIATE")) < 0)
			goto bad;
		if ((rc = exec_wait(s, d, schema)) < 0 || (rc = exec_wait(s, d, "COMMIT")) < 0) {
			sqlite.sqlite3_exec(d->db, "ROLLBACK", NULL, NULL, NULL);
			goto bad;
		}
	}
	char sql[160 + 12 * BATCH] = "INSERT INTO tsd_samples (series, time, value) VALUES (?, ?, ?)";
	for (int i = 1; i < BATCH; i++)
		strcat(sql, ", (?, ?, ?)");
	strcat(sql, " ON CONFLICT (series, time) DO UPDATE SET value = excluded.value");
	if ((rc = prep(s, d, &d->insb, sql)) < 0 ||
	    (rc = prep(s, d, &d->ins, "INSERT INTO tsd_samples (series, time, value) VALUES (?, ?, ?) "
			"ON CONFLICT (series, time) DO UPDATE SET value = excluded.value")) < 0 ||
	    (rc = prep(s, d, &d->ser, "INSERT OR IGNORE INTO tsd_series (series) VALUES (?)")) < 0 ||
	    (rc = prep(s, d, &d->pos, "INSERT INTO tsd_positions (topic, partition, next_offset, updated) "
			"VALUES (?, ?, ?, CAST(strftime('%s', 'now') AS INTEGER)) ON CONFLICT (topic, partition) "
			"DO UPDATE SET next_offset = excluded.next_offset, updated = excluded.updated")) < 0 ||
	    (rc = prep(s, d, &d->getpos, "SELECT next_offset FROM tsd_positions WHERE topic = ? AND partition = ?")) < 0 ||
	    (rc = prep(s, d, &d->list, "SELECT series FROM tsd_series")) < 0 ||
	    (rc = prep(s, d, &d->cput, "INSERT INTO tsd_carry (key, state) VALUES (?, ?) "
			"ON CONFLICT (key) DO UPDATE SET state = excluded.state")) < 0 ||
	    (rc = prep(s, d, &d->cget, "SELECT state FROM tsd_carry")) < 0 ||
	    (rc = prep(s, d, &d->q, "SELECT time, value FROM tsd_samples WHERE series = ? AND time >= ? AND time < ? "
			"ORDER BY time")) < 0)
		goto bad;
	return 0;
bad:
	{
		char m[sizeof s->err];
		memcpy(m, s->err, sizeof m);
		tsd_store_seterr(s, "sqlite:%s: %s", path, m + (strncmp(m, "sqlite: ", 8) ? 0 : 8));
	}
	return rc;
}

static void sq_close(tsd_store *s)
{
	sq *d = s->impl;

	if (!d)
		return;
	sqlite.sqlite3_finalize(d->insb);
	sqlite.sqlite3_finalize(d->ins);
	sqlite.sqlite3_finalize(d->ser);
	sqlite.sqlite3_finalize(d->pos);
	sqlite.sqlite3_finalize(d->getpos);
	sqlite.sqlite3_finalize(d->list);
	sqlite.sqlite3_finalize(d->q);
	sqlite.sqlite3_finalize(d->cput);
	sqlite.sqlite3_finalize(d->cget);
	if (d->db && d->in_txn)
		sqlite.sqlite3_exec(d->db, "ROLLBACK", NULL, NULL, NULL);
	sqlite.sqlite3_close(d->db);
	tsd_series_free(d->tab);
	free(d->known);
	free(d);
	s->impl = NULL;
}

static int begin(tsd_store *s, sq *d)
{
	if (d->in_txn)
		return 0;
	if (exec_wait(s, d, "BEGIN IMMEDIATE") < 0)
		return TSD_EIO;
	d->in_txn = 1;
	return 0;
}

static int step_done(tsd_store *s, sq *d, sqlite3_stmt *st)
{
	int rc = sqlite.sqlite3_step(st);

	sqlite.sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return fail(s, d, "sqlite");
	return 0;
}

static int put_one(tsd_store *s, sq *d, uint32_t id, int64_t t, double v)
{
	sqlite.sqlite3_bind_text(d->ins, 1, tsd_series_name(d->tab, id), (int)tsd_series_namelen(d->tab, id), SQLITE_STATIC);
	sqlite.sqlite3_bind_int64(d->ins, 2, t);
	sqlite.sqlite3_bind_double(d->ins, 3, v);
	return step_done(s, d, d->ins);
}

/* The waiting rows into the open transaction; first: the index of the
 * first of them among the transaction's rows. */
static int flush_rows(tsd_store *s, sq *d, uint64_t first)
{
	int rc = 0, n = d->nb;

	d->nb = 0;
	if (n == BATCH) {
		for (int i = 0; i < n; i++) {
			sqlite.sqlite3_bind_text(d->insb, 3 * i + 1, tsd_series_name(d->tab, d->bid[i]),
					  (int)tsd_series_namelen(d->tab, d->bid[i]), SQLITE_STATIC);
			sqlite.sqlite3_bind_int64(d->insb, 3 * i + 2, d->bt[i]);
			sqlite.sqlite3_bind_double(d->insb, 3 * i + 3, d->bv[i]);
		}
		if ((rc = step_done(s, d, d->insb)) == 0 || rc != TSD_EFORMAT)
			return rc;
		/* refused: the statement left nothing; find the row */
	}
	for (int i = 0; i < n; i++)
		if ((rc = put_one(s, d, d->bid[i], d->bt[i], d->bv[i])) < 0) {
			if (rc == TSD_EFORMAT)
				tsd_store_setbad(s, (int64_t)(first + (uint64_t)i), tsd_series_name(d->tab, d->bid[i]),
						 tsd_series_namelen(d->tab, d->bid[i]), d->bt[i], d->bv[i]);
			return rc;
		}
	return 0;
}

static int sq_row(tsd_store *s, const char *series, size_t len, int64_t t, double v)
{
	sq *d = s->impl;
	uint32_t id;
	int rc;

	if ((rc = begin(s, d)) < 0)
		return rc;
	if ((rc = tsd_series_intern(&id, d->tab, series, len)) < 0) {
		tsd_store_seterr(s, "%s", tsd_strerror(rc));
		return rc;
	}
	if (id >= d->nknown) {
		size_t nk = d->nknown ? 2 * d->nknown : 64;
		while (nk <= id)
			nk *= 2;
		unsigned char *k = realloc(d->known, nk);
		if (!k) {
			tsd_store_seterr(s, "out of memory");
			return TSD_ENOMEM;
		}
		memset(k + d->nknown, 0, nk - d->nknown);
		d->known = k;
		d->nknown = nk;
	}
	if (!d->known[id]) {
		sqlite.sqlite3_bind_text(d->ser, 1, series, (int)len, SQLITE_STATIC);
		if ((rc = step_done(s, d, d->ser)) < 0)
			return rc;
		d->known[id] = 1;
	}
	d->bid[d->nb] = id;
	d->bt[d->nb] = t;
	d->bv[d->nb++] = v;
	/* this row is number s->rows of the transaction */
	return d->nb == BATCH ? flush_rows(s, d, s->rows + 1 - BATCH) : 0;
}

static int sq_pos(tsd_store *s, const char *topic, size_t len, int32_t partition, int64_t offset)
{
	sq *d = s->impl;
	int rc;

	if ((rc = begin(s, d)) < 0)
		return rc;
	sqlite.sqlite3_bind_text(d->pos, 1, topic, (int)len, SQLITE_STATIC);
	sqlite.sqlite3_bind_int(d->pos, 2, partition);
	sqlite.sqlite3_bind_int64(d->pos, 3, offset);
	return step_done(s, d, d->pos);
}

static int sq_carry(tsd_store *s, const char *key, size_t klen, const char *text, size_t n)
{
	sq *d = s->impl;
	int rc;

	if ((rc = begin(s, d)) < 0)
		return rc;
	sqlite.sqlite3_bind_text(d->cput, 1, key, (int)klen, SQLITE_STATIC);
	sqlite.sqlite3_bind_text(d->cput, 2, text, (int)n, SQLITE_STATIC);
	return step_done(s, d, d->cput);
}

static int sq_carries(tsd_store *s, int (*fn)(const char *text, size_t n, void *arg), void *arg)
{
	sq *d = s->impl;
	int rc;

	while ((rc = sqlite.sqlite3_step(d->cget)) == SQLITE_ROW) {
		const char *t = (const char *)sqlite.sqlite3_column_text(d->cget, 0);
		int n = sqlite.sqlite3_column_bytes(d->cget, 0);
		if (t && fn(t, (size_t)n, arg))
			break;
	}
	sqlite.sqlite3_reset(d->cget);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : fail(s, d, "carried state");
}

static int sq_commit(tsd_store *s)
{
	sq *d = s->impl;
	int rc;

	if (d->nb && (rc = flush_rows(s, d, s->rows - (uint64_t)d->nb)) < 0) {
		sqlite.sqlite3_exec(d->db, "ROLLBACK", NULL, NULL, NULL);
		d->in_txn = 0;
		memset(d->known, 0, d->nknown);
		return rc;
	}
	if (!d->in_txn)
		return 0;
	if (exec_wait(s, d, "COMMIT") < 0) {
		rc = fail(s, d, "commit");
		sqlite.sqlite3_exec(d->db, "ROLLBACK", NULL, NULL, NULL);
		d->in_txn = 0;
		memset(d->known, 0, d->nknown);
		return rc == TSD_EFORMAT ? TSD_EFORMAT : TSD_EIO;
	}
	d->in_txn = 0;
	return 0;
}

static int sq_rollback(tsd_store *s)
{
	sq *d = s->impl;

	d->nb = 0;
	if (!d->in_txn)
		return 0;
	d->in_txn = 0;
	memset(d->known, 0, d->nknown); /* the series rows went too */
	if (sqlite.sqlite3_exec(d->db, "ROLLBACK", NULL, NULL, NULL) != SQLITE_OK)
		return fail(s, d, "rollback");
	return 0;
}

static int sq_get_pos(tsd_store *s, const char *topic, int32_t partition, int64_t *offset)
{
	sq *d = s->impl;
	int rc;

	sqlite.sqlite3_bind_text(d->getpos, 1, topic, -1, SQLITE_STATIC);
	sqlite.sqlite3_bind_int(d->getpos, 2, partition);
	rc = sqlite.sqlite3_step(d->getpos);
	if (rc == SQLITE_ROW)
		*offset = sqlite.sqlite3_column_int64(d->getpos, 0);
	sqlite.sqlite3_reset(d->getpos);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : fail(s, d, "positions");
}

static int sq_series(tsd_store *s, char ***names, size_t *n, size_t *cap)
{
	sq *d = s->impl;
	int rc;

	while ((rc = sqlite.sqlite3_step(d->list)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite.sqlite3_column_text(d->list, 0);
		int len = sqlite.sqlite3_column_bytes(d->list, 0);
		if (tsd_store_names_add(names, n, cap, name ? name : "", (size_t)len) < 0) {
			sqlite.sqlite3_reset(d->list);
			tsd_store_seterr(s, "out of memory");
			return TSD_ENOMEM;
		}
	}
	sqlite.sqlite3_reset(d->list);
	return rc == SQLITE_DONE ? 0 : fail(s, d, "series");
}

static int sq_query(tsd_store *s, const char *series, int64_t from, int64_t to)
{
	sq *d = s->impl;

	sqlite.sqlite3_reset(d->q);
	if (sqlite.sqlite3_bind_text(d->q, 1, series, -1, SQLITE_TRANSIENT) != SQLITE_OK)
		return fail(s, d, "query");
	sqlite.sqlite3_bind_int64(d->q, 2, from);
	sqlite.sqlite3_bind_int64(d->q, 3, to);
	return 0;
}

static int sq_next(tsd_store *s, int64_t *t, double *v)
{
	sq *d = s->impl;
	int rc = sqlite.sqlite3_step(d->q);

	if (rc == SQLITE_ROW) {
		*t = sqlite.sqlite3_column_int64(d->q, 0);
		*v = sqlite.sqlite3_column_double(d->q, 1);
		return 1;
	}
	sqlite.sqlite3_reset(d->q);
	return rc == SQLITE_DONE ? 0 : fail(s, d, "query");
}

const tsd_store_ops tsd_store_sqlite_ops = {
	.kind = "sqlite",
	.open = sq_open,
	.close = sq_close,
	.row = sq_row,
	.pos = sq_pos,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.get_pos = sq_get_pos,
	.carry = sq_carry,
	.carries = sq_carries,
	.series = sq_series,
	.query = sq_query,
	.next = sq_next,
};
