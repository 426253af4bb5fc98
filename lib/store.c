/* store.c: choose the backend from the database name, keep the counts and
 * the refused row, and list series by glob. */
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "position.h"
#include "series.h"
#include "store_impl.h"
#include "tsd.h"

void tsd_store_defaults(tsd_store_opts *o)
{
	memset(o, 0, sizeof *o);
	o->busy_ms = 30000;
	o->retry_ms = 60000;
}

void tsd_store_seterr(tsd_store *s, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(s->err, sizeof s->err, fmt, ap);
	va_end(ap);
	/* database messages end in a line end (libpq): one line */
	n = strlen(s->err);
	while (n && (s->err[n - 1] == '\n' || s->err[n - 1] == ' '))
		s->err[--n] = 0;
	for (char *p = s->err; *p; p++)
		if (*p == '\n')
			*p = ' ';
}

void tsd_store_setbad(tsd_store *s, int64_t idx, const char *series, size_t len, int64_t t, double v)
{
	free(s->bad_series);
	s->bad_series = malloc(len + 1);
	if (s->bad_series) {
		memcpy(s->bad_series, series, len);
		s->bad_series[len] = 0;
	}
	s->bad = idx;
	s->bad_len = s->bad_series ? len : 0;
	s->bad_t = t;
	s->bad_v = v;
}

int tsd_store_names_add(char ***names, size_t *n, size_t *cap, const char *name, size_t len)
{
	if (*n == *cap) {
		size_t nc = *cap ? 2 * *cap : 16;
		char **nn = realloc(*names, nc * sizeof *nn);
		if (!nn)
			return TSD_ENOMEM;
		*names = nn;
		*cap = nc;
	}
	if (!((*names)[*n] = malloc(len + 1)))
		return TSD_ENOMEM;
	memcpy((*names)[*n], name, len);
	(*names)[(*n)++][len] = 0;
	return 0;
}

int tsd_store_open(tsd_store **sp, const char *db, const tsd_store_opts *o, char *errbuf, size_t errlen)
{
	tsd_store *s;
	const char *target = db;
	int rc;

	*sp = NULL;
	if (!(s = calloc(1, sizeof *s))) {
		snprintf(errbuf, errlen, "out of memory");
		return TSD_ENOMEM;
	}
	if (o)
		s->o = *o;
	else
		tsd_store_defaults(&s->o);
	s->bad = -1;
	if (!strncmp(db, "sqlite:", 7)) {
		s->ops = &tsd_store_sqlite_ops;
		target = db + 7;
		if (!*target) {
			snprintf(errbuf, errlen, "'%s': no file name after 'sqlite:'", db);
			free(s);
			return TSD_EINVAL;
		}
	} else if (strchr(db, '=') || !strncmp(db, "postgresql:", 11) || !strncmp(db, "postgres:", 9)) {
		s->ops = &tsd_store_pg_ops;
	} else {
		snprintf(errbuf, errlen, "'%s': not a database name (sqlite:PATH, a PostgreSQL conninfo "
			 "such as 'host=/run/postgresql dbname=x', or a postgresql:// URI)", db);
		free(s);
		return TSD_EINVAL;
	}
	if ((rc = s->ops->open(s, target)) < 0) {
		snprintf(errbuf, errlen, "%s", s->err);
		s->ops->close(s);
		free(s->bad_series);
		free(s);
		return rc;
	}
	*sp = s;
	return 0;
}

static void carry_clear(tsd_store *s)
{
	for (size_t i = 0; i < s->ncids; i++) {
		free(s->ctext[s->cids[i]]);
		s->ctext[s->cids[i]] = NULL;
	}
	s->ncids = 0;
}

void tsd_store_close(tsd_store *s)
{
	if (!s)
		return;
	s->ops->close(s);
	carry_clear(s);
	tsd_series_free(s->ckeys);
	free(s->ctext);
	free(s->clen);
	free(s->cids);
	free(s->bad_series);
	free(s);
}

const char *tsd_store_kind(const tsd_store *s) { return s->ops->kind; }
const char *tsd_store_errmsg(const tsd_store *s) { return s->err; }
uint64_t tsd_store_pending(const tsd_store *s) { return s->pending; }
unsigned tsd_store_retries(const tsd_store *s) { return s->retries; }

int tsd_store_row(tsd_store *s, const char *series, size_t len, int64_t t, double v)
{
	int rc = s->ops->row(s, series, len, t, v);

	if (rc == TSD_EFORMAT && s->bad < 0)
		tsd_store_setbad(s, (int64_t)s->rows, series, len, t, v);
	if (rc < 0)
		return rc;
	s->rows++;
	s->pending++;
	return 0;
}

int tsd_store_pos(tsd_store *s, const char *topic, size_t len, int32_t partition, int64_t offset)
{
	int rc = s->ops->pos(s, topic, len, partition, offset);

	if (rc < 0)
		return rc;
	s->pending++;
	return 0;
}

int tsd_store_carry(tsd_store *s, const char *text, size_t n)
{
	const char *st, *nm, *d;
	size_t sl, nl, dl;
	uint32_t id;
	int rc;

	if (tsd_carry_split(text, n, &st, &sl, &nm, &nl, &d, &dl) < 0) {
		tsd_store_seterr(s, "carried state that is not STAGE LEN:NAME DATA");
		return TSD_EFORMAT;
	}
	if (!s->ckeys && !(s->ckeys = tsd_series_new()))
		goto nomem;
	/* the key: "STAGE LEN:NAME" */
	if ((rc = tsd_series_intern(&id, s->ckeys, text, (size_t)(d - 1 - text))) < 0) {
		tsd_store_seterr(s, "carried state: %s", tsd_strerror(rc));
		return rc;
	}
	if (id >= s->ccap) {
		size_t nc = 2 * (size_t)id + 16;
		char **t = realloc(s->ctext, nc * sizeof *t);
		if (t)
			s->ctext = t;
		size_t *l = t ? realloc(s->clen, nc * sizeof *l) : NULL;
		if (!t || !l)
			goto nomem;
		s->clen = l;
		memset(s->ctext + s->ccap, 0, (nc - s->ccap) * sizeof *t);
		s->ccap = nc;
	}
	char *c = malloc(n);
	if (!c)
		goto nomem;
	memcpy(c, text, n);
	if (s->ctext[id]) {
		free(s->ctext[id]);
	} else {
		if (s->ncids == s->cidcap) {
			size_t nc = 2 * s->cidcap + 16;
			uint32_t *g = realloc(s->cids, nc * sizeof *g);
			if (!g) {
				free(c);
				goto nomem;
			}
			s->cids = g;
			s->cidcap = nc;
		}
		s->cids[s->ncids++] = id;
		s->pending++;
	}
	s->ctext[id] = c;
	s->clen[id] = n;
	return 0;
nomem:
	tsd_store_seterr(s, "out of memory");
	return TSD_ENOMEM;
}

int tsd_store_carries(tsd_store *s, int (*fn)(const char *text, size_t n, void *arg), void *arg)
{
	return s->ops->carries(s, fn, arg);
}

int tsd_store_commit(tsd_store *s)
{
	int rc = 0;

	if (!s->pending)
		return 0;
	for (size_t i = 0; i < s->ncids && !rc; i++) {
		uint32_t id = s->cids[i];
		rc = s->ops->carry(s, tsd_series_name(s->ckeys, id), tsd_series_namelen(s->ckeys, id),
				   s->ctext[id], s->clen[id]);
	}
	carry_clear(s);
	if (rc < 0) {
		s->ops->rollback(s);
		s->rows = s->pending = 0;
		return rc;
	}
	rc = s->ops->commit(s);
	s->rows = s->pending = 0;
	return rc;
}

int tsd_store_rollback(tsd_store *s)
{
	int rc = s->ops->rollback(s);

	carry_clear(s);
	s->rows = s->pending = 0;
	return rc;
}

int64_t tsd_store_bad_row(const tsd_store *s, const char **series, size_t *len, int64_t *t, double *v)
{
	if (s->bad >= 0) {
		*series = s->bad_series ? s->bad_series : "";
		*len = s->bad_len;
		*t = s->bad_t;
		*v = s->bad_v;
	}
	return s->bad;
}

int tsd_store_get_pos(tsd_store *s, const char *topic, int32_t partition, int64_t *offset)
{
	return s->ops->get_pos(s, topic, partition, offset);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int tsd_store_series(tsd_store *s, const char *glob, char ***names, size_t *n)
{
	size_t cap = 0, k = 0;
	int rc;

	*names = NULL;
	*n = 0;
	if ((rc = s->ops->series(s, names, n, &cap)) < 0) {
		tsd_store_names_free(*names, *n);
		*names = NULL;
		*n = 0;
		return rc;
	}
	for (size_t i = 0; i < *n; i++) {
		if (!glob || fnmatch(glob, (*names)[i], 0) == 0)
			(*names)[k++] = (*names)[i];
		else
			free((*names)[i]);
	}
	*n = k;
	if (k)
		qsort(*names, k, sizeof **names, cmp_names);
	return 0;
}

void tsd_store_names_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

int tsd_store_query(tsd_store *s, const char *series, int64_t from, int64_t to)
{
	return s->ops->query(s, series, from, to);
}

int tsd_store_next(tsd_store *s, int64_t *t, double *v)
{
	return s->ops->next(s, t, v);
}
