/* kafka.c: client properties and message payloads for the Kafka tools
 * (no librdkafka here: the tools own the client handles). */
#include "kafka.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvcodec.h"
#include "frame.h"
#include "framecodec.h"
#include "stream.h"
#include "tsd.h"

/* ---- properties */

typedef struct {
	char *name, *value;
} kv;

struct tsd_kconf {
	kv *v;
	size_t n, cap;
};

int tsd_kconf_new(tsd_kconf **c)
{
	*c = calloc(1, sizeof **c);
	return *c ? 0 : TSD_ENOMEM;
}

void tsd_kconf_free(tsd_kconf *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].name);
		free(c->v[i].value);
	}
	free(c->v);
	free(c);
}

static int kconf_addn(tsd_kconf *c, const char *name, size_t nl, const char *value, size_t vl)
{
	char *n = NULL, *v = NULL;
	size_t i;

	if (!(n = strndup(name, nl)) || !(v = strndup(value, vl)))
		goto nomem;
	for (i = 0; i < c->n; i++)
		if (!strcmp(c->v[i].name, n))
			break;
	if (i < c->n) {
		free(n);
		free(c->v[i].value);
		c->v[i].value = v;
		return 0;
	}
	if (c->n == c->cap) {
		size_t nc = c->cap ? c->cap * 2 : 16;
		kv *nv = realloc(c->v, nc * sizeof *nv);
		if (!nv)
			goto nomem;
		c->v = nv;
		c->cap = nc;
	}
	c->v[c->n].name = n;
	c->v[c->n++].value = v;
	return 0;
nomem:
	free(n);
	free(v);
	return TSD_ENOMEM;
}

int tsd_kconf_add(tsd_kconf *c, const char *name, const char *value)
{
	return kconf_addn(c, name, strlen(name), value, strlen(value));
}

int tsd_kconf_set(tsd_kconf *c, const char *arg, char *errbuf, size_t errlen)
{
	const char *eq = strchr(arg, '=');

	if (!eq || eq == arg) {
		snprintf(errbuf, errlen, "'%s' is not name=value", arg);
		return TSD_EINVAL;
	}
	return kconf_addn(c, arg, (size_t)(eq - arg), eq + 1, strlen(eq + 1));
}

static void trim(const char **s, const char **e)
{
	while (*s < *e && isspace((unsigned char)**s))
		(*s)++;
	while (*e > *s && isspace((unsigned char)(*e)[-1]))
		(*e)--;
}

int tsd_kconf_file(tsd_kconf *c, const char *path, char *errbuf, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long lineno = 0;
	int rc = 0;

	if (!f) {
		snprintf(errbuf, errlen, "%s: %s", path, strerror(errno));
		return TSD_EIO;
	}
	while ((n = getline(&line, &cap, f)) >= 0) {
		const char *s = line, *e = line + n, *eq, *ne, *vs;
		lineno++;
		trim(&s, &e);
		if (s == e || *s == '#')
			continue;
		if (!(eq = memchr(s, '=', (size_t)(e - s))) || eq == s) {
			snprintf(errbuf, errlen, "%s:%ld: expected name=value", path, lineno);
			rc = TSD_EFORMAT;
			break;
		}
		ne = eq;
		vs = eq + 1;
		trim(&s, &ne);
		trim(&vs, &e);
		if ((rc = kconf_addn(c, s, (size_t)(ne - s), vs, (size_t)(e - vs))) < 0) {
			snprintf(errbuf, errlen, "%s", tsd_strerror(rc));
			break;
		}
	}
	if (!rc && ferror(f)) {
		snprintf(errbuf, errlen, "%s: %s", path, strerror(errno));
		rc = TSD_EIO;
	}
	free(line);
	fclose(f);
	return rc;
}

size_t tsd_kconf_count(const tsd_kconf *c)
{
	return c->n;
}

void tsd_kconf_item(const tsd_kconf *c, size_t i, const char **name, const char **value)
{
	*name = c->v[i].name;
	*value = c->v[i].value;
}

const char *tsd_kconf_get(const tsd_kconf *c, const char *name)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->v[i].name, name))
			return c->v[i].value;
	return NULL;
}

int tsd_kconf_take(tsd_kconf *c, const char *name)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->v[i].name, name)) {
			free(c->v[i].name);
			free(c->v[i].value);
			memmove(c->v + i, c->v + i + 1, (c->n - i - 1) * sizeof *c->v);
			c->n--;
			return 1;
		}
	return 0;
}

/* ---- decoding */

struct tsd_kdec {
	tsd_series_tab *tab;
	int time_unit;
	tsd_tstyle tstyle;
	const char *name;
	size_t namelen;
	/* CSV */
	const char *s, *e;     /* rest of the payload */
	long line;
	tsd_csvrow row;        /* the fields of the current line */
	tsd_tcache tc;         /* the last plain ISO time's date (see csv_time) */
	/* the last series name looked up and its id (lastlen 0: none yet):
	 * the lines of a message are mostly of one series */
	char last[TSD_SERIES_NAME_MAX];
	size_t lastlen;
	uint32_t lastid;
	/* binary: an 8-byte aligned copy */
	unsigned char *bin;
	size_t bin_cap, bin_len, bin_pos;
	tsd_fdec fdec;         /* frames to records, message ids mapped */
	tsd_samples run;              /* the SAMPLES frame being given out */
	uint32_t run_left;
	int is_bin;
	const char *raw;       /* CSV: the line of the last record */
	size_t rawlen;
	int raw_keyed;
	int inwin;             /* binary: inside WINDOW .. END */
	uint64_t nrec;         /* binary: records of this payload so far */
	char err[160];
};

int tsd_kdec_new(tsd_kdec **d, tsd_series_tab *tab, int time_unit)
{
	if (!(*d = calloc(1, sizeof **d)))
		return TSD_ENOMEM;
	(*d)->tab = tab;
	(*d)->time_unit = time_unit;
	tsd_fdec_init(&(*d)->fdec, tab);
	return 0;
}

void tsd_kdec_free(tsd_kdec *d)
{
	if (!d)
		return;
	tsd_csvrow_free(&d->row);
	free(d->bin);
	tsd_fdec_free(&d->fdec);
	free(d);
}

const char *tsd_kdec_errmsg(const tsd_kdec *d)
{
	return d->err;
}

const tsd_tstyle *tsd_kdec_tstyle(const tsd_kdec *d)
{
	return &d->tstyle;
}

__attribute__((format(printf, 3, 4)))
static int dfail(tsd_kdec *d, int rc, const char *fmt, ...)
{
	va_list ap;
	int n = 0;

	if (!d->is_bin)
		n = snprintf(d->err, sizeof d->err, "line %ld: ", d->line);
	va_start(ap, fmt);
	vsnprintf(d->err + n, sizeof d->err - (size_t)n, fmt, ap);
	va_end(ap);
	return rc;
}

int tsd_kdec_open(tsd_kdec *d, const void *payload, size_t len, const char *name, size_t namelen)
{
	const unsigned char *p = payload;

	d->name = name;
	d->namelen = namelen;
	d->err[0] = 0;
	d->line = 0;
	d->run_left = 0;
	d->inwin = 0;
	d->nrec = 0;
	d->is_bin = len > 0 && p[0] == TSD_FRAME_MAGIC0;
	if (!d->is_bin) {
		d->s = payload;
		d->e = d->s + len;
		return 0;
	}
	if (len > d->bin_cap) {
		unsigned char *nb = malloc(len); /* malloc alignment is at least 8 */
		if (!nb)
			return TSD_ENOMEM;
		free(d->bin);
		d->bin = nb;
		d->bin_cap = len;
	}
	memcpy(d->bin, payload, len);
	d->bin_len = len;
	d->bin_pos = 0;
	tsd_fdec_reset(&d->fdec);
	return 0;
}

/* A time through the date cache; the style of the last full parse is
 * the payload's. 0 or < 0 as tsd_time_parse. */
static int csv_time(tsd_kdec *d, int64_t *t, const char *s, size_t len)
{
	tsd_tstyle st = { .kind = (uint8_t)d->time_unit };
	int rc = tsd_time_parse_cached(&d->tc, t, &st, s, len);

	if (rc == 0)
		d->tstyle = st;
	return rc < 0 ? rc : 0;
}

/* The id of a series name, through the last one looked up. */
static inline int csv_series(tsd_kdec *d, uint32_t *id, const char *s, size_t len)
{
	int rc;

	if (len == d->lastlen && len) {
		size_t i = 0;
		while (i < len && s[i] == d->last[i]) /* short names: no memcmp call */
			i++;
		if (i == len) {
			*id = d->lastid;
			return 0;
		}
	}
	if ((rc = tsd_series_intern(id, d->tab, s, len)) < 0)
		return rc;
	memcpy(d->last, s, len); /* len <= TSD_SERIES_NAME_MAX: intern took it */
	d->lastlen = len;
	d->lastid = *id;
	return 0;
}

static int csv_next(tsd_kdec *d, tsd_rec *rec)
{
	while (d->s < d->e) {
		const char *s = d->s, *f[3];
		size_t n, fl[3];
		int nf, rc, si;
		int64_t t;
		double v;
		uint32_t id;
		tsd_csvline ln;

		/* one pass over the line finds its end, its commas and
		 * whether it quotes */
		tsd_csv_line_scan(&ln, s, d->e, ',');
		n = (size_t)(ln.end - s);
		d->s = ln.end < d->e ? ln.end + 1 : d->e;
		d->line++;
		if (n && s[n - 1] == '\r')
			n--;
		if (!n || s[0] == '#')
			continue;
		if (!ln.quoted) {
			/* no quotes: the fields are the text between commas,
			 * read in place */
			const char *end = s + n;
			if (end[-1] == '\r') /* as tsd_csv_split trims */
				end--;
			nf = end > s ? (int)(ln.ndelim < 3 ? ln.ndelim : 3) + 1 : 0;
			if (nf == 3) { /* series,time,value: the usual line */
				f[0] = s;
				fl[0] = (size_t)(ln.delim[0] - s);
				f[1] = ln.delim[0] + 1;
				fl[1] = (size_t)(ln.delim[1] - f[1]);
				f[2] = ln.delim[1] + 1;
				fl[2] = (size_t)(end - f[2]);
			} else {
				for (int i = 0; i < nf && i < 3; i++) {
					f[i] = i ? ln.delim[i - 1] + 1 : s;
					fl[i] = (size_t)((i < (int)ln.ndelim ? ln.delim[i] : end) - f[i]);
				}
			}
		} else {
			nf = tsd_csv_split(&d->row, s, n, ',', 0);
			if (nf == TSD_ENOMEM)
				return dfail(d, TSD_ENOMEM, "out of memory");
			for (int i = 0; i < nf && i < 3; i++) {
				f[i] = tsd_csvrow_field(&d->row, (size_t)i);
				fl[i] = d->row.flen[i];
			}
		}
		if (nf < 2 || nf > 3)
			return dfail(d, TSD_EFORMAT, "expected series,time,value or time,value: '%.*s'",
				     (int)(n > 60 ? 60 : n), s);
		if (fl[nf - 1] == 5 && !strncasecmp(f[nf - 1], "value", 5))
			continue; /* a header line */
		si = nf == 3;
		if (!si && !d->name)
			return dfail(d, TSD_EFORMAT, "time,value without a key naming the series");
		if (csv_time(d, &t, f[si], fl[si]) < 0)
			return dfail(d, TSD_EFORMAT, "bad time '%.*s'", (int)(fl[si] > 40 ? 40 : fl[si]), f[si]);
		if (fl[si + 1] == 0 || (fl[si + 1] == 3 && !strncasecmp(f[si + 1], "nan", 3)))
			continue; /* a missing sample */
		if (tsd_scan_double(&v, f[si + 1], fl[si + 1]) < 0 || !isfinite(v))
			return dfail(d, TSD_EFORMAT, "bad value '%.*s'",
				     (int)(fl[si + 1] > 40 ? 40 : fl[si + 1]), f[si + 1]);
		if (si) {
			if (fl[0] == 0 || fl[0] > TSD_SERIES_NAME_MAX)
				return dfail(d, TSD_EFORMAT, "bad series name");
			rc = csv_series(d, &id, f[0], fl[0]);
		} else {
			rc = csv_series(d, &id, d->name, d->namelen);
		}
		if (rc < 0) {
			char why[128];
			return dfail(d, rc, "%s", tsd_series_why(why, sizeof why, d->tab, rc, si ? fl[0] : d->namelen));
		}
		rec->kind = TSD_REC_SAMPLE;
		rec->s.series = id;
		rec->s.t = t;
		rec->s.v = v;
		d->raw = s;
		d->rawlen = n;
		d->raw_keyed = !si;
		return 1;
	}
	return 0;
}

const char *tsd_kdec_raw(const tsd_kdec *d, size_t *len, int *keyed)
{
	if (d->is_bin)
		return NULL;
	*len = d->rawlen;
	*keyed = d->raw_keyed;
	return d->raw;
}

static int bin_next(tsd_kdec *d, tsd_rec *rec)
{
	for (;;) {
		size_t used, need;
		int rc;

		if (d->run_left) {
			uint32_t k = d->run.count - d->run_left;
			rec->kind = TSD_REC_SAMPLE;
			rec->s.t = d->run.t ? d->run.t[k] : d->run.t0 + (int64_t)k * d->run.dt;
			rec->s.v = d->run.v[k];
			rec->s.series = d->run.series;
			d->run_left--;
			d->nrec++;
			if (isnan(rec->s.v))
				continue; /* a missing sample, as "nan" in CSV */
			if (!isfinite(rec->s.v))
				return dfail(d, TSD_EFORMAT, "non-finite sample value");
			return 1;
		}
		if (d->bin_pos == d->bin_len) {
			if (d->inwin)
				return dfail(d, TSD_ETRUNC, "payload ends inside a window (no END frame)");
			if (!d->nrec)
				return dfail(d, TSD_EFORMAT, "payload holds no records");
			return 0;
		}
		rc = tsd_fdec_next(&d->fdec, rec, &used, &need, d->bin + d->bin_pos, d->bin_len - d->bin_pos);
		if (rc == TSD_FDEC_MORE) {
			if (need == TSD_FRAME_HDR)
				return dfail(d, TSD_ETRUNC, "payload ends inside a frame header");
			return dfail(d, TSD_ETRUNC, "payload ends inside a '%c' frame", d->bin[d->bin_pos]);
		}
		if (rc < 0)
			return dfail(d, rc, "%s", d->fdec.err);
		d->bin_pos += used;
		if (rc != TSD_FDEC_RECORD)
			continue;
		switch (rec->kind) {
		case TSD_REC_SAMPLES:
			if (d->inwin)
				return dfail(d, TSD_EFORMAT, "samples inside a window");
			d->run = rec->r;
			d->run_left = rec->r.count;
			continue;
		case TSD_REC_WINDOW:
			if (d->inwin)
				return dfail(d, TSD_EFORMAT, "a window inside a window");
			d->inwin = 1;
			break;
		case TSD_REC_TIMES:
		case TSD_REC_COEF:
			if (!d->inwin)
				return dfail(d, TSD_EFORMAT, "a '%c' frame outside a window", d->bin[d->bin_pos - used]);
			break;
		case TSD_REC_END:
			if (!d->inwin)
				return dfail(d, TSD_EFORMAT, "a '%c' frame outside a window", d->bin[d->bin_pos - used]);
			d->inwin = 0;
			break;
		case TSD_REC_CONTROL:
			continue; /* positions inside a payload mean nothing */
		}
		d->nrec++;
		return 1;
	}
}

int tsd_kdec_next(tsd_kdec *d, tsd_rec *rec)
{
	return d->is_bin ? bin_next(d, rec) : csv_next(d, rec);
}

/* ---- encoding */

/* Samples of one series gathering into a message (batch > 1). */
typedef struct {
	unsigned char *csv;       /* CSV: lines joined by '\n' */
	size_t len, cap;
	int64_t *t;               /* binary: (n) times and values */
	double *v;
	size_t n, ncap;
	int listed;               /* on the list of series with samples */
} kpend;

struct tsd_kenc {
	int format;
	const tsd_series_tab *tab;
	const tsd_tstyle *tstyle;
	int precision;
	unsigned char *buf;       /* the message being built or complete */
	size_t len, cap;
	int done, inwin;
	uint32_t series;
	int64_t window;
	size_t batch;             /* samples per message */
	kpend *pend;              /* (npend) by series */
	size_t npend, pending;
	uint32_t *list;           /* (nlist) series with samples gathering */
	size_t nlist, listcap;
};

int tsd_kenc_new(tsd_kenc **e, int format, const tsd_series_tab *tab, const tsd_tstyle *tstyle, int precision)
{
	if (format != TSD_KFMT_CSV && format != TSD_KFMT_BIN)
		return TSD_EINVAL;
	if (!(*e = calloc(1, sizeof **e)))
		return TSD_ENOMEM;
	(*e)->format = format;
	(*e)->tab = tab;
	(*e)->tstyle = tstyle;
	(*e)->precision = precision;
	(*e)->batch = 1;
	return 0;
}

void tsd_kenc_free(tsd_kenc *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < e->npend; i++) {
		free(e->pend[i].csv);
		free(e->pend[i].t);
		free(e->pend[i].v);
	}
	free(e->pend);
	free(e->list);
	free(e->buf);
	free(e);
}

void tsd_kenc_set_batch(tsd_kenc *e, size_t n)
{
	e->batch = n ? n : 1;
	if (e->format == TSD_KFMT_BIN && e->batch > TSD_FRAME_MAXRUN)
		e->batch = TSD_FRAME_MAXRUN;
}

size_t tsd_kenc_pending(const tsd_kenc *e)
{
	return e->pending;
}

/* Room for n more bytes after len in a growing buffer. */
static unsigned char *grow(unsigned char **buf, size_t *cap, size_t len, size_t n)
{
	if (n > SIZE_MAX - len)
		return NULL;
	if (len + n > *cap) {
		size_t nc = *cap ? *cap : 256;
		while (nc < len + n) {
			if (nc > SIZE_MAX / 2)
				return NULL;
			nc *= 2;
		}
		unsigned char *nb = realloc(*buf, nc);
		if (!nb)
			return NULL;
		*buf = nb;
		*cap = nc;
	}
	return *buf + len;
}

static unsigned char *room(tsd_kenc *e, size_t n)
{
	return grow(&e->buf, &e->cap, e->len, n);
}

/* stream header and the NAME frame of the message's series (id 0) */
static int bin_start(tsd_kenc *e, uint32_t series)
{
	const char *nm = tsd_series_name(e->tab, series);
	size_t nl = tsd_series_namelen(e->tab, series), sz = 8 + tsd_frame_name_size(nl);
	unsigned char *d = room(e, sz);

	if (!d)
		return TSD_ENOMEM;
	tsd_frame_stream_header(d);
	tsd_frame_name(d + 8, 0, nm, nl);
	e->len += sz;
	e->series = series;
	return 0;
}

/* The CSV line of a sample (or the given line) appended to buf at *len,
 * after a '\n' when *len > 0. */
static int csv_line(tsd_kenc *e, unsigned char **buf, size_t *len, size_t *cap, uint32_t series,
		    const tsd_rec *r, const char *line, size_t linelen, int has_series)
{
	const char *nm = tsd_series_name(e->tab, series);
	size_t nl = tsd_series_namelen(e->tab, series), k = 0;
	unsigned char *d = grow(buf, cap, *len, 1 + (line ? 2 * nl + 2 + linelen : TSD_CSV_LINE_MAX(nl)));

	if (!d)
		return TSD_ENOMEM;
	if (*len)
		d[k++] = '\n';
	if (line) {
		if (!has_series) {
			k += tsd_csv_field((char *)d + k, nm, nl, ',');
			d[k++] = ',';
		}
		memcpy(d + k, line, linelen);
		k += linelen;
	} else {
		tsd_csvenc ce = { .delim = ',', .precision = e->precision, .tstyle = e->tstyle };
		k += tsd_csv_sample_line((char *)d + k, &ce, nm, nl, r->s.t, r->s.v) - 1; /* no '\n' */
	}
	*len += k;
	return 0;
}

/* A sample into its series' gathering message; 1 when that now holds a
 * batch and has become the current message. */
static int gather(tsd_kenc *e, const tsd_rec *r, const char *line, size_t linelen, int has_series)
{
	uint32_t s = r->s.series;
	kpend *p;
	int rc;

	if (s >= e->npend && (rc = tsd_grow(&e->pend, &e->npend, (size_t)s + 1, sizeof *e->pend)) < 0)
		return rc;
	p = &e->pend[s];
	if (e->format == TSD_KFMT_CSV) {
		if ((rc = csv_line(e, &p->csv, &p->len, &p->cap, s, r, line, linelen, has_series)) < 0)
			return rc;
	} else {
		if (p->n == p->ncap) {
			size_t nc = p->ncap ? 2 * p->ncap : 64;
			int64_t *nt = realloc(p->t, nc * sizeof *nt);
			if (!nt)
				return TSD_ENOMEM;
			p->t = nt;
			double *nv = realloc(p->v, nc * sizeof *nv);
			if (!nv)
				return TSD_ENOMEM;
			p->v = nv;
			p->ncap = nc;
		}
		p->t[p->n] = r->s.t;
		p->v[p->n] = r->s.v;
	}
	p->n++;
	e->pending++;
	if (!p->listed) {
		if (e->nlist == e->listcap) {
			size_t nc = e->listcap ? 2 * e->listcap : 16;
			uint32_t *nl = realloc(e->list, nc * sizeof *nl);
			if (!nl)
				return TSD_ENOMEM;
			e->list = nl;
			e->listcap = nc;
		}
		e->list[e->nlist++] = s;
		p->listed = 1;
	}
	return p->n >= e->batch;
}

/* The gathered samples of series s become the current message. */
static int complete(tsd_kenc *e, uint32_t s)
{
	kpend *p = &e->pend[s];
	int rc;

	e->len = 0;
	if (e->format == TSD_KFMT_CSV) {
		if (!room(e, p->len))
			return TSD_ENOMEM;
		memcpy(e->buf, p->csv, p->len);
		e->len = p->len;
		p->len = 0;
	} else {
		size_t sz = tsd_frame_samples_size((uint32_t)p->n, 0);
		unsigned char *d;
		if ((rc = bin_start(e, s)) < 0)
			return rc;
		if (!(d = room(e, sz)))
			return TSD_ENOMEM;
		e->len += tsd_frame_samples(d, 0, (uint32_t)p->n, p->t, 0, 0, p->v);
	}
	e->series = s;
	e->pending -= p->n;
	p->n = 0;
	p->listed = 0;
	for (size_t i = 0; i < e->nlist; i++)
		if (e->list[i] == s) {
			memmove(e->list + i, e->list + i + 1, (e->nlist - i - 1) * sizeof *e->list);
			e->nlist--;
			break;
		}
	e->done = 1;
	return 1;
}

int tsd_kenc_flush(tsd_kenc *e)
{
	if (e->done) {
		e->len = 0;
		e->done = 0;
	}
	return e->nlist ? complete(e, e->list[0]) : 0;
}

int tsd_kenc_put_line(tsd_kenc *e, uint32_t series, const char *line, size_t len, int has_series)
{
	tsd_rec r;
	int rc;

	if (e->format != TSD_KFMT_CSV)
		return TSD_EUNSUP;
	if (e->done) {
		e->len = 0;
		e->done = 0;
	}
	if (e->inwin)
		return TSD_EFORMAT;
	memset(&r, 0, sizeof r);
	r.kind = TSD_REC_SAMPLE;
	r.s.series = series;
	if (e->batch > 1) {
		if ((rc = gather(e, &r, line, len, has_series)) <= 0)
			return rc;
		return complete(e, series);
	}
	if ((rc = csv_line(e, &e->buf, &e->len, &e->cap, series, &r, line, len, has_series)) < 0)
		return rc;
	e->series = series;
	e->done = 1;
	return 1;
}

int tsd_kenc_put(tsd_kenc *e, const tsd_rec *r)
{
	unsigned char *d;
	size_t sz;
	int rc;

	if (e->done) {
		e->len = 0;
		e->done = 0;
	}
	if (r->kind == TSD_REC_SAMPLE) {
		if (e->inwin)
			return TSD_EFORMAT;
		if (e->batch > 1) {
			if ((rc = gather(e, r, NULL, 0, 1)) <= 0)
				return rc;
			return complete(e, r->s.series);
		}
		if (e->format == TSD_KFMT_CSV) {
			if ((rc = csv_line(e, &e->buf, &e->len, &e->cap, r->s.series, r, NULL, 0, 1)) < 0)
				return rc;
			e->series = r->s.series;
		} else {
			if ((rc = bin_start(e, r->s.series)) < 0)
				return rc;
			if (!(d = room(e, sz = tsd_frame_samples_size(1, 0))))
				return TSD_ENOMEM;
			e->len += tsd_frame_samples(d, 0, 1, &r->s.t, 0, 0, &r->s.v);
		}
		e->done = 1;
		return 1;
	}
	if (e->format == TSD_KFMT_CSV)
		return TSD_EUNSUP;
	switch (r->kind) {
	case TSD_REC_WINDOW: {
		tsd_window w = r->w;
		if (e->inwin)
			return TSD_EFORMAT;
		if ((rc = bin_start(e, w.series)) < 0)
			return rc;
		if (!(d = room(e, 72)))
			return TSD_ENOMEM;
		w.series = 0;
		e->len += tsd_frame_window(d, &w);
		e->inwin = 1;
		e->window = w.window;
		return 0;
	}
	case TSD_REC_TIMES:
		if (!e->inwin || r->ts.series != e->series)
			return TSD_EFORMAT;
		if (r->ts.count > (TSD_FRAME_MAXLEN - 16) / 8)
			return TSD_ERANGE;
		if (!(d = room(e, tsd_frame_times_size(r->ts.count))))
			return TSD_ENOMEM;
		e->len += tsd_frame_times(d, 0, r->ts.window, r->ts.count, r->ts.t);
		return 0;
	case TSD_REC_COEF:
		if (!e->inwin || r->c.series != e->series)
			return TSD_EFORMAT;
		if (!r->c.count || r->c.count > TSD_FRAME_MAXRUN * 256u)
			return TSD_ERANGE;
		if (!(d = room(e, tsd_frame_coefs_size(r->c.count, r->c.score != NULL))))
			return TSD_ENOMEM;
		e->len += tsd_frame_coefs(d, 0, &r->c);
		return 0;
	case TSD_REC_END:
		if (!e->inwin || r->e.series != e->series)
			return TSD_EFORMAT;
		if (!(d = room(e, 40)))
			return TSD_ENOMEM;
		tsd_end end = r->e;
		end.series = 0;
		e->len += tsd_frame_end(d, &end);
		e->inwin = 0;
		e->done = 1;
		return 1;
	}
	return TSD_EINVAL;
}

const void *tsd_kenc_data(const tsd_kenc *e, size_t *len)
{
	*len = e->len;
	return e->buf;
}

uint32_t tsd_kenc_series(const tsd_kenc *e)
{
	return e->series;
}
