/* store_pg.c: the PostgreSQL backend, through libpq.
 *
 * The rows of a transaction gather in memory as binary COPY data; a commit
 * sends them in one transaction:
 *
 *     BEGIN
 *     SAVEPOINT f; COPY tsd_samples FROM STDIN (FORMAT binary)
 *         a row already there (a replay)?  ROLLBACK TO f, then
 *         COPY tsd_stage ...; INSERT INTO tsd_samples SELECT ... ON CONFLICT
 *         (series, time) DO UPDATE
 *     INSERT INTO tsd_series ... ON CONFLICT DO NOTHING   (new series)
 *     INSERT INTO tsd_positions ... ON CONFLICT DO UPDATE (positions)
 *     COMMIT
 *
 * New rows (the usual case) go straight into the table; only a
 * transaction that meets a row already stored pays for the staging table.
 * The rows are sent in key order (series, time), so that the index
 * entries of a transaction land next to each other (measured: 1e6 rows in
 * one transaction 1.45 s against 1.8-2.0 s as they came).
 * Because the whole transaction is still in memory, a connection lost on
 * the way (server restarted) is reconnected with backoff and the
 * transaction sent again; when the COMMIT itself got through and only its
 * answer was lost, sending it again rewrites the same rows (upsert). */
#include <libpq-fe.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dynlib.h"
#include "position.h"
#include "series.h"
#include "tstime.h"
#include "store_impl.h"
#include "tsd.h"

/* libpq's functions, looked up when the first PostgreSQL store opens (no
 * tool links libpq: see dynlib.h) */
#define PQ_FUNCS(X) \
	X(PQclear) X(PQconnectdb) X(PQerrorMessage) X(PQexec) X(PQexecParams) X(PQfinish) X(PQgetResult) \
	X(PQgetlength) X(PQgetvalue) X(PQntuples) X(PQputCopyData) X(PQputCopyEnd) X(PQresultErrorField) \
	X(PQresultStatus) X(PQsendQueryParams) X(PQsetSingleRowMode) X(PQstatus)
#define X(f) __typeof__(f) *f;
static struct { PQ_FUNCS(X) } pq;
#undef X

/* Looked up once per process, whichever thread opens a store first
 * (pthread_once); a library that failed to load is not tried again. */
static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static int load_rc;
static char load_err[400];

static void load_functions(void)
{
#define X(f) #f,
	static const char *const names[] = { PQ_FUNCS(X) };
#undef X
	void *fn[sizeof names / sizeof names[0]];
	size_t i = 0;

	load_rc = tsd_dynlib_load(fn, names, sizeof names / sizeof names[0], "libpq.so.5", load_err, sizeof load_err);
	if (load_rc < 0)
		return;
#define X(f) pq.f = (__typeof__(f) *)fn[i++];
	PQ_FUNCS(X)
#undef X
}

static int load_libpq(tsd_store *s)
{
	pthread_once(&load_once, load_functions);
	if (load_rc < 0)
		tsd_store_seterr(s, "postgresql: %s", load_err);
	return load_rc;
}

static const char schema[] =
	"BEGIN;\n"
	"SELECT pg_advisory_xact_lock(7317052113);\n" /* two creators at once */
	"CREATE TABLE IF NOT EXISTS tsd_samples (\n"
	"  series text COLLATE \"C\" NOT NULL,\n"
	"  time timestamptz NOT NULL,\n"
	"  value double precision NOT NULL,\n"
	"  PRIMARY KEY (series, time)\n"
	");\n"
	"CREATE TABLE IF NOT EXISTS tsd_series (series text COLLATE \"C\" PRIMARY KEY);\n"
	"CREATE TABLE IF NOT EXISTS tsd_positions (\n"
	"  topic text NOT NULL,\n"
	"  partition integer NOT NULL,\n"
	"  next_offset bigint NOT NULL,\n"
	"  updated timestamptz NOT NULL DEFAULT now(),\n"
	"  PRIMARY KEY (topic, partition)\n"
	");\n"
	"CREATE TABLE IF NOT EXISTS tsd_carry (\n"
	"  key text COLLATE \"C\" PRIMARY KEY,\n"
	"  state text NOT NULL\n"
	");\n"
	"COMMIT;\n";

#define PG_EPOCH_US 946684800000000LL /* 2000-01-01 in us since 1970 */

typedef struct {
	PGconn *c;
	char *conninfo;
	unsigned char *buf;      /* binary COPY rows of the open transaction */
	size_t len, cap;
	/* the same rows, for sending in key order (series, time): index
	 * entries then land next to each other, in fewer pages */
	struct rowref { uint32_t id, idx; int64_t t; size_t off; } *refs;
	size_t nrefs, refcap;
	unsigned char *sbuf;     /* (len) the rows in that order, once made */
	size_t scap;
	int sorted;
	tsd_postab *pos;         /* positions of the open transaction (dirty) */
	tsd_series_tab *tab;     /* series seen */
	unsigned char *known;    /* (nknown) in tsd_series already */
	size_t nknown;
	uint32_t *fresh;         /* series ids new in the open transaction */
	size_t nfresh, capfresh;
	char **ckey, **ctext;    /* (nc) carried state of the open transaction */
	size_t nc, ccap;
	PGresult *qres;          /* query: the current row */
	int qopen;
	char *qseries;
} pg;

static void put16(unsigned char *p, uint16_t v) { p[0] = (unsigned char)(v >> 8); p[1] = (unsigned char)v; }
static void put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (24 - 8 * i));
}
static void put64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (56 - 8 * i));
}
static uint64_t get64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}
static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The connection is gone (or the server is going away): worth a retry. */
static int lost(pg *d, const PGresult *r)
{
	const char *st = r ? pq.PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;

	if (pq.PQstatus(d->c) == CONNECTION_BAD)
		return 1;
	return st && (!strncmp(st, "08", 2) || !strcmp(st, "57P01") || !strcmp(st, "57P02") ||
		      !strcmp(st, "57P03"));
}

static int seterr_res(tsd_store *s, pg *d, PGresult *r, const char *what)
{
	const char *m = r ? pq.PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	const char *st = r ? pq.PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;

	tsd_store_seterr(s, "%s: %s", what, m ? m : pq.PQerrorMessage(d->c));
	if (lost(d, r))
		return TSD_EIO;
	return st && (!strncmp(st, "22", 2) || !strncmp(st, "23", 2)) ? TSD_EFORMAT : TSD_EIO;
}

/* Run sql (no result rows wanted); 0 or an error with its message. */
static int run(tsd_store *s, pg *d, const char *sql, int nparams, const char *const *vals, PGresult **keep)
{
	PGresult *r = nparams ? pq.PQexecParams(d->c, sql, nparams, NULL, vals, NULL, NULL, 0) : pq.PQexec(d->c, sql);
	ExecStatusType st = pq.PQresultStatus(r);
	int rc = 0;

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		rc = seterr_res(s, d, r, "postgresql");
	if (keep && !rc)
		*keep = r;
	else
		pq.PQclear(r);
	return rc;
}

static int setup(tsd_store *s, pg *d)
{
	int rc;

	if ((rc = run(s, d, "SET client_min_messages = warning", 0, NULL, NULL)) < 0 ||
	    (rc = run(s, d, schema, 0, NULL, NULL)) < 0) {
		pq.PQclear(pq.PQexec(d->c, "ROLLBACK"));
		return rc;
	}
	return run(s, d, "CREATE TEMP TABLE IF NOT EXISTS tsd_stage (seq bigserial, series text COLLATE \"C\", "
		   "time timestamptz, value double precision) ON COMMIT DELETE ROWS", 0, NULL, NULL);
}

static int connect_db(tsd_store *s, pg *d)
{
	if (d->c)
		pq.PQfinish(d->c);
	d->c = pq.PQconnectdb(d->conninfo);
	if (!d->c) {
		tsd_store_seterr(s, "out of memory");
		return TSD_ENOMEM;
	}
	if (pq.PQstatus(d->c) != CONNECTION_OK) {
		tsd_store_seterr(s, "postgresql: %s", pq.PQerrorMessage(d->c));
		return TSD_EIO;
	}
	return setup(s, d);
}

static int pg_open(tsd_store *s, const char *target)
{
	pg *d;
	int rc;

	if ((rc = load_libpq(s)) < 0)
		return rc;
	d = calloc(1, sizeof *d);
	if (!d || !(d->tab = tsd_series_new()) || !(d->conninfo = strdup(target)) || tsd_postab_new(&d->pos) < 0) {
		if (d) {
			tsd_series_free(d->tab);
			free(d->conninfo);
		}
		free(d);
		tsd_store_seterr(s, "out of memory");
		return TSD_ENOMEM;
	}
	s->impl = d;
	return connect_db(s, d);
}

static void query_end(pg *d)
{
	PGresult *r;

	pq.PQclear(d->qres);
	d->qres = NULL;
	if (d->qopen)
		while ((r = pq.PQgetResult(d->c)))
			pq.PQclear(r);
	d->qopen = 0;
}

static void pg_close(tsd_store *s)
{
	pg *d = s->impl;

	if (!d)
		return;
	if (d->c)
		query_end(d);
	pq.PQfinish(d->c);
	free(d->conninfo);
	free(d->buf);
	tsd_postab_free(d->pos);
	tsd_series_free(d->tab);
	free(d->known);
	free(d->fresh);
	free(d->qseries);
	for (size_t i = 0; i < d->nc; i++) {
		free(d->ckey[i]);
		free(d->ctext[i]);
	}
	free(d->ckey);
	free(d->ctext);
	free(d->refs);
	free(d->sbuf);
	free(d);
	s->impl = NULL;
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t nc;
	void *np;

	if (need <= *cap)
		return 0;
	nc = *cap ? *cap : 64;
	while (nc < need)
		nc *= 2;
	if (!(np = realloc(*p, nc * size)))
		return TSD_ENOMEM;
	*p = np;
	*cap = nc;
	return 0;
}

static int pg_row(tsd_store *s, const char *series, size_t len, int64_t t, double v)
{
	pg *d = s->impl;
	uint32_t id;
	uint64_t vb;
	unsigned char *p;

	if (t % 1000) {
		tsd_store_seterr(s, "PostgreSQL keeps times to the microsecond: this one has nanoseconds");
		return TSD_EFORMAT;
	}
	if (len > 0x7fffffff || tsd_series_intern(&id, d->tab, series, len) < 0 ||
	    grow((void **)&d->buf, &d->cap, d->len + 2 + 4 + len + 12 + 12, 1) < 0)
		goto nomem;
	if (id >= d->nknown) {
		size_t old = d->nknown;
		if (grow((void **)&d->known, &d->nknown, (size_t)id + 1, 1) < 0)
			goto nomem;
		memset(d->known + old, 0, d->nknown - old);
	}
	if (d->known[id] == 0) {
		if (grow((void **)&d->fresh, &d->capfresh, d->nfresh + 1, sizeof *d->fresh) < 0)
			goto nomem;
		d->fresh[d->nfresh++] = id;
		d->known[id] = 2; /* in this transaction */
	}
	if (grow((void **)&d->refs, &d->refcap, d->nrefs + 1, sizeof *d->refs) < 0)
		goto nomem;
	d->refs[d->nrefs] = (struct rowref){ .id = id, .idx = (uint32_t)d->nrefs, .t = t, .off = d->len };
	d->nrefs++;
	d->sorted = 0;
	p = d->buf + d->len;
	put16(p, 3);
	put32(p + 2, (uint32_t)len);
	memcpy(p + 6, series, len);
	p += 6 + len;
	put32(p, 8);
	put64(p + 4, (uint64_t)(t / 1000 - PG_EPOCH_US));
	put32(p + 12, 8);
	memcpy(&vb, &v, 8);
	put64(p + 16, vb);
	d->len += 6 + len + 24;
	return 0;
nomem:
	tsd_store_seterr(s, "out of memory");
	return TSD_ENOMEM;
}

static int pg_pos(tsd_store *s, const char *topic, size_t len, int32_t partition, int64_t offset)
{
	pg *d = s->impl;
	tsd_control k;
	int rc;

	memset(&k, 0, sizeof k);
	k.what = TSD_CTL_POSITION;
	k.topic = topic;
	k.topic_len = (uint16_t)(len > UINT16_MAX ? UINT16_MAX : len);
	k.partition = partition;
	k.offset = offset;
	if ((rc = tsd_postab_set(d->pos, NULL, &k)) < 0) {
		tsd_store_seterr(s, "position of '%.*s': %s", (int)k.topic_len, topic, tsd_strerror(rc));
		return rc;
	}
	return 0;
}

/* The row sent n-th (from 0), for a message: numbered as it came. */
static void bad_row(tsd_store *s, pg *d, int64_t n)
{
	uint64_t vb;
	double v;

	if (n < 0 || (uint64_t)n >= d->nrefs)
		return;
	const struct rowref *r = &d->refs[n];
	const unsigned char *p = d->buf + r->off;
	uint32_t len = get32(p + 2);
	int64_t us = (int64_t)get64(p + 6 + len + 4);
	vb = get64(p + 6 + len + 16);
	memcpy(&v, &vb, 8);
	tsd_store_setbad(s, r->idx, (const char *)p + 6, len, (us + PG_EPOCH_US) * 1000, v);
}

static int ref_cmp(const void *a, const void *b)
{
	const struct rowref *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx; /* as they came: the last wins */
}

/* The rows in key order in sbuf (once per transaction). */
static int sort_rows(tsd_store *s, pg *d)
{
	unsigned char *o;

	if (d->sorted)
		return 0;
	if (grow((void **)&d->sbuf, &d->scap, d->len ? d->len : 1, 1) < 0) {
		tsd_store_seterr(s, "out of memory");
		return TSD_ENOMEM;
	}
	qsort(d->refs, d->nrefs, sizeof *d->refs, ref_cmp);
	o = d->sbuf;
	for (size_t i = 0; i < d->nrefs; i++) {
		const unsigned char *p = d->buf + d->refs[i].off;
		size_t n = 6 + get32(p + 2) + 24;
		memcpy(o, p, n);
		o += n;
	}
	d->sorted = 1;
	return 0;
}

/* COPY the buffered rows into table; 0, or an error (*res keeps the
 * failed result for its SQLSTATE and context). */
static int copy_rows(tsd_store *s, pg *d, const char *sql, PGresult **res)
{
	static const unsigned char head[19] = { 'P', 'G', 'C', 'O', 'P', 'Y', '\n', 0xff, '\r', '\n', 0 };
	static const unsigned char tail[2] = { 0xff, 0xff };
	PGresult *r = pq.PQexec(d->c, sql);
	int ok;

	*res = NULL;
	if (pq.PQresultStatus(r) != PGRES_COPY_IN) {
		*res = r;
		return seterr_res(s, d, r, "postgresql");
	}
	pq.PQclear(r);
	ok = pq.PQputCopyData(d->c, (const char *)head, sizeof head) == 1;
	for (size_t off = 0; ok && off < d->len; off += 1 << 20) {
		size_t n = d->len - off < (1 << 20) ? d->len - off : 1 << 20;
		ok = pq.PQputCopyData(d->c, (const char *)d->sbuf + off, (int)n) == 1;
	}
	if (ok)
		ok = pq.PQputCopyData(d->c, (const char *)tail, 2) == 1;
	pq.PQputCopyEnd(d->c, ok ? NULL : "send failed");
	r = pq.PQgetResult(d->c);
	if (pq.PQresultStatus(r) != PGRES_COMMAND_OK) {
		int rc = seterr_res(s, d, r, "postgresql");
		PGresult *x;
		while ((x = pq.PQgetResult(d->c)))
			pq.PQclear(x);
		*res = r;
		return rc;
	}
	pq.PQclear(r);
	while ((r = pq.PQgetResult(d->c)))
		pq.PQclear(r);
	return 0;
}

/* One try at the whole transaction. */
static int attempt(tsd_store *s, pg *d, int *retry)
{
	PGresult *r = NULL;
	int rc;

	*retry = 0;
	if ((rc = run(s, d, "BEGIN", 0, NULL, NULL)) < 0)
		goto fail;
	if (d->len) {
		if ((rc = sort_rows(s, d)) < 0 || (rc = run(s, d, "SAVEPOINT tsd_fast", 0, NULL, NULL)) < 0)
			goto fail;
		rc = copy_rows(s, d, "COPY tsd_samples (series, time, value) FROM STDIN (FORMAT binary)", &r);
		if (rc < 0 && r && !lost(d, r) && !strcmp(pq.PQresultErrorField(r, PG_DIAG_SQLSTATE) ?
							    pq.PQresultErrorField(r, PG_DIAG_SQLSTATE) : "", "23505")) {
			/* some rows are there already: upsert through the stage */
			pq.PQclear(r);
			r = NULL;
			if ((rc = run(s, d, "ROLLBACK TO SAVEPOINT tsd_fast", 0, NULL, NULL)) < 0 ||
			    (rc = copy_rows(s, d, "COPY tsd_stage (series, time, value) FROM STDIN (FORMAT binary)", &r)) < 0 ||
			    (rc = run(s, d, "INSERT INTO tsd_samples (series, time, value) "
				      "SELECT DISTINCT ON (series, time) series, time, value FROM tsd_stage "
				      "ORDER BY series, time, seq DESC "
				      "ON CONFLICT (series, time) DO UPDATE SET value = EXCLUDED.value", 0, NULL, NULL)) < 0)
				goto fail;
		} else if (rc < 0) {
			goto fail;
		}
	}
	for (size_t i = 0; i < d->nfresh; i++) {
		const char *v[1] = { tsd_series_name(d->tab, d->fresh[i]) };
		if ((rc = run(s, d, "INSERT INTO tsd_series (series) VALUES ($1) ON CONFLICT DO NOTHING", 1, v, NULL)) < 0)
			goto fail;
	}
	for (size_t i = 0; i < tsd_postab_len(d->pos); i++) {
		tsd_pos *e = tsd_postab_at(d->pos, i);
		char pb[16], ob[24];
		const char *v[3] = { e->topic, pb, ob };
		if (!e->dirty)
			continue;
		snprintf(pb, sizeof pb, "%d", (int)e->partition);
		snprintf(ob, sizeof ob, "%lld", (long long)e->offset);
		if ((rc = run(s, d, "INSERT INTO tsd_positions (topic, partition, next_offset) VALUES ($1, $2, $3) "
			      "ON CONFLICT (topic, partition) DO UPDATE SET next_offset = EXCLUDED.next_offset, "
			      "updated = now()", 3, v, NULL)) < 0)
			goto fail;
	}
	for (size_t i = 0; i < d->nc; i++) {
		const char *v[2] = { d->ckey[i], d->ctext[i] };
		if ((rc = run(s, d, "INSERT INTO tsd_carry (key, state) VALUES ($1, $2) "
			      "ON CONFLICT (key) DO UPDATE SET state = EXCLUDED.state", 2, v, NULL)) < 0)
			goto fail;
	}
	if ((rc = run(s, d, "COMMIT", 0, NULL, NULL)) < 0)
		goto fail;
	return 0;
fail:
	*retry = lost(d, r);
	if (rc == TSD_EFORMAT && r) {
		/* COPY names the row: "COPY tsd_samples, line N[, column ...]" */
		const char *ctx = pq.PQresultErrorField(r, PG_DIAG_CONTEXT), *l;
		if (ctx && (l = strstr(ctx, ", line ")))
			bad_row(s, d, strtoll(l + 7, NULL, 10) - 1);
	}
	pq.PQclear(r);
	if (!*retry)
		pq.PQclear(pq.PQexec(d->c, "ROLLBACK"));
	return rc;
}

static void clear_txn(pg *d, int committed)
{
	for (size_t i = 0; i < d->nc; i++) {
		free(d->ckey[i]);
		free(d->ctext[i]);
	}
	d->nc = 0;
	for (size_t i = 0; i < d->nfresh; i++)
		d->known[d->fresh[i]] = committed ? 1 : 0;
	d->nfresh = 0;
	d->len = 0;
	d->nrefs = 0;
	d->sorted = 0;
	for (size_t i = 0; i < tsd_postab_len(d->pos); i++)
		tsd_postab_at(d->pos, i)->dirty = 0;
}

static int pg_commit(tsd_store *s)
{
	pg *d = s->impl;
	int64_t t0 = tsd_now_ms(), delay = 100;
	int rc, retry;

	query_end(d);
	for (;;) {
		rc = attempt(s, d, &retry);
		if (!rc || !retry || s->o.retry_ms <= 0)
			break;
		/* the server went away: reconnect and send it all again */
		for (;;) {
			if (tsd_now_ms() - t0 >= s->o.retry_ms) {
				char m[sizeof s->err];
				memcpy(m, s->err, sizeof m);
				tsd_store_seterr(s, "%s (gave up after %lld ms of retries)", m, (long long)(tsd_now_ms() - t0));
				clear_txn(d, 0);
				return TSD_EIO;
			}
			struct timespec ts = { delay / 1000, (long)(delay % 1000) * 1000000 };
			nanosleep(&ts, NULL);
			delay = delay * 2 > 2000 ? 2000 : delay * 2;
			if (connect_db(s, d) == 0)
				break;
		}
		s->retries++;
	}
	clear_txn(d, rc == 0);
	return rc;
}

static int pg_rollback(tsd_store *s)
{
	clear_txn(s->impl, 0);
	return 0;
}

static char *dupn(const char *s, size_t n)
{
	char *c = malloc(n + 1);
	if (c) {
		memcpy(c, s, n);
		c[n] = 0;
	}
	return c;
}

static int pg_carry(tsd_store *s, const char *key, size_t klen, const char *text, size_t n)
{
	pg *d = s->impl;

	if (d->nc == d->ccap) {
		size_t nc = 2 * d->ccap + 16;
		char **k = realloc(d->ckey, nc * sizeof *k);
		if (k)
			d->ckey = k;
		char **t = k ? realloc(d->ctext, nc * sizeof *t) : NULL;
		if (!t)
			goto nomem;
		d->ctext = t;
		d->ccap = nc;
	}
	if (!(d->ckey[d->nc] = dupn(key, klen)))
		goto nomem;
	if (!(d->ctext[d->nc] = dupn(text, n))) {
		free(d->ckey[d->nc]);
		goto nomem;
	}
	d->nc++;
	return 0;
nomem:
	tsd_store_seterr(s, "out of memory");
	return TSD_ENOMEM;
}

static int pg_carries(tsd_store *s, int (*fn)(const char *text, size_t n, void *arg), void *arg)
{
	pg *d = s->impl;
	PGresult *r = NULL;
	int rc;

	query_end(d);
	if ((rc = run(s, d, "SELECT state FROM tsd_carry", 0, NULL, &r)) < 0)
		return rc;
	for (int i = 0; i < pq.PQntuples(r); i++)
		if (fn(pq.PQgetvalue(r, i, 0), (size_t)pq.PQgetlength(r, i, 0), arg))
			break;
	pq.PQclear(r);
	return 0;
}

static int pg_get_pos(tsd_store *s, const char *topic, int32_t partition, int64_t *offset)
{
	pg *d = s->impl;
	char pb[16];
	const char *v[2] = { topic, pb };
	PGresult *r = NULL;
	int rc;

	snprintf(pb, sizeof pb, "%d", (int)partition);
	query_end(d);
	if ((rc = run(s, d, "SELECT next_offset FROM tsd_positions WHERE topic = $1 AND partition = $2", 2, v, &r)) < 0)
		return rc;
	rc = pq.PQntuples(r) > 0;
	if (rc)
		*offset = strtoll(pq.PQgetvalue(r, 0, 0), NULL, 10);
	pq.PQclear(r);
	return rc;
}

static int pg_series(tsd_store *s, char ***names, size_t *n, size_t *cap)
{
	pg *d = s->impl;
	PGresult *r = NULL;
	int rc;

	query_end(d);
	if ((rc = run(s, d, "SELECT series FROM tsd_series", 0, NULL, &r)) < 0)
		return rc;
	for (int i = 0; i < pq.PQntuples(r); i++)
		if (tsd_store_names_add(names, n, cap, pq.PQgetvalue(r, i, 0), (size_t)pq.PQgetlength(r, i, 0)) < 0) {
			pq.PQclear(r);
			tsd_store_seterr(s, "out of memory");
			return TSD_ENOMEM;
		}
	pq.PQclear(r);
	return 0;
}

static int pg_query(tsd_store *s, const char *series, int64_t from, int64_t to)
{
	pg *d = s->impl;
	unsigned char fb[8], tb[8];
	const char *vals[3] = { series, (const char *)fb, (const char *)tb };
	const int lens[3] = { 0, 8, 8 }, fmts[3] = { 0, 1, 1 };
	const Oid types[3] = { 25, 1184, 1184 };

	query_end(d);
	/* to is exclusive: a time of to - 1 ns is before to's microsecond */
	put64(fb, (uint64_t)((from / 1000 + (from % 1000 > 0)) - PG_EPOCH_US));
	put64(tb, (uint64_t)((to / 1000 + (to % 1000 > 0)) - PG_EPOCH_US));
	if (!pq.PQsendQueryParams(d->c, "SELECT time, value FROM tsd_samples WHERE series = $1 AND time >= $2 "
			       "AND time < $3 ORDER BY time", 3, types, vals, lens, fmts, 1)) {
		tsd_store_seterr(s, "postgresql: %s", pq.PQerrorMessage(d->c));
		return TSD_EIO;
	}
	pq.PQsetSingleRowMode(d->c);
	d->qopen = 1;
	return 0;
}

static int pg_next(tsd_store *s, int64_t *t, double *v)
{
	pg *d = s->impl;
	PGresult *r;
	uint64_t vb;

	if (!d->qopen)
		return 0;
	pq.PQclear(d->qres);
	d->qres = NULL;
	r = pq.PQgetResult(d->c);
	if (r && pq.PQresultStatus(r) == PGRES_SINGLE_TUPLE) {
		if (pq.PQgetlength(r, 0, 0) != 8 || pq.PQgetlength(r, 0, 1) != 8) {
			pq.PQclear(r);
			tsd_store_seterr(s, "postgresql: unexpected column sizes");
			query_end(d);
			return TSD_EFORMAT;
		}
		*t = ((int64_t)get64((const unsigned char *)pq.PQgetvalue(r, 0, 0)) + PG_EPOCH_US) * 1000;
		vb = get64((const unsigned char *)pq.PQgetvalue(r, 0, 1));
		memcpy(v, &vb, 8);
		d->qres = r;
		return 1;
	}
	if (r && pq.PQresultStatus(r) != PGRES_TUPLES_OK) {
		int rc = seterr_res(s, d, r, "postgresql");
		pq.PQclear(r);
		query_end(d);
		return rc;
	}
	pq.PQclear(r);
	query_end(d);
	return 0;
}

const tsd_store_ops tsd_store_pg_ops = {
	.kind = "postgresql",
	.open = pg_open,
	.close = pg_close,
	.row = pg_row,
	.pos = pg_pos,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.get_pos = pg_get_pos,
	.carry = pg_carry,
	.carries = pg_carries,
	.series = pg_series,
	.query = pg_query,
	.next = pg_next,
};
