/* stream.c: record readers and writers over a file descriptor: buffering,
 * format detection, order checks; the records are coded by csvcodec.c and
 * framecodec.c. */
#include "stream.h"
#include "coefwin.h"
#include "framecodec.h"
#include "position.h"
#include "tsd.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define RBUF_INIT (1u << 18)
#define LINE_MAX_BYTES (1u << 20)
#define WBUF_CAP (1u << 18)

/* ----------------------------------------------------------------- reader */

struct tsd_reader {
	int fd;
	tsd_reader_opts o;
	char name[256];
	unsigned char *buf;       /* (cap) */
	size_t cap, pos, end;
	int eof, started, fmt;
	long line;                /* CSV: current line; binary: frame number */
	char err[800];
	int (*idle)(void *);
	void *idle_arg;
	tsd_style style;
	int have_tstyle;
	/* the date of the last plain "YYYY-MM-DD HH:MM:SS" parsed and its
	 * midnight: a plain time of that date is midnight plus its time of day */
	tsd_tcache tc;          /* the last plain ISO time's date */
	/* binary */
	tsd_fdec fdec;            /* frames to records, series ids mapped */
	tsd_samples run;          /* the current SAMPLES frame, given out sample by sample */
	uint32_t run_pos;
	/* CSV */
	int header_done, shape, ncols;
	tsd_csvrow row;           /* the fields of the current line */
	char topic[TSD_CTL_LINE_MAX]; /* of the last #tsd directive (a position's topic, or carried state) */
	uint32_t *colid;          /* (ncols) wide/single: series of each value column */
	tsd_rec *q;               /* records produced by the current line */
	size_t qn, qpos, qcap;
	const char *line_s;       /* tsd_reader_line(): the line of the last sample, or NULL */
	size_t line_len;
	double cval;              /* storage behind a CSV coefficient record */
	float cscore;
	int64_t ctime;
	/* per-series order check */
	int64_t *last_t;          /* (nlast) INT64_MIN = none yet */
	size_t nlast;
	uint64_t dropped;         /* TSD_ORDER_DROP */
	long drop_line;
};

static int rfail(tsd_reader *r, int code, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (r->fmt == TSD_FMT_BIN)
		snprintf(r->err, sizeof r->err, "%s: frame %ld: %s", r->name, r->line, msg);
	else
		snprintf(r->err, sizeof r->err, "%s:%ld: %s", r->name, r->line, msg);
	return code;
}

static int name_fail(tsd_reader *r, int rc, size_t len)
{
	char why[128];

	return rfail(r, rc, "%s", tsd_series_why(why, sizeof why, r->o.tab, rc, len));
}

int tsd_reader_open(tsd_reader **out, int fd, const tsd_reader_opts *o)
{
	tsd_reader *r = calloc(1, sizeof *r);

	if (!r)
		return TSD_ENOMEM;
	if (!o->tab) {
		free(r);
		return TSD_EINVAL;
	}
	r->fd = fd;
	r->o = *o;
	snprintf(r->name, sizeof r->name, "%s",
		 !o->name || strcmp(o->name, "-") == 0 ? "<stdin>" : o->name);
	r->cap = RBUF_INIT;
	r->buf = malloc(r->cap);
	if (!r->buf) {
		free(r);
		return TSD_ENOMEM;
	}
	snprintf(r->style.time_name, sizeof r->style.time_name, "timestamp");
	tsd_fdec_init(&r->fdec, o->tab);
	*out = r;
	return 0;
}

void tsd_reader_close(tsd_reader *r)
{
	if (!r)
		return;
	free(r->buf);
	tsd_fdec_free(&r->fdec);
	tsd_csvrow_free(&r->row);
	free(r->colid);
	free(r->q);
	free(r->last_t);
	free(r);
}

const char *tsd_reader_errmsg(const tsd_reader *r) { return r->err; }
const tsd_style *tsd_reader_style(const tsd_reader *r) { return &r->style; }
int tsd_reader_format(const tsd_reader *r) { return r->fmt; }

const char *tsd_reader_line(const tsd_reader *r, size_t *len, int *has_series)
{
	*len = r->line_len;
	*has_series = r->shape == TSD_SHAPE_LONG;
	return r->line_s;
}

uint64_t tsd_reader_dropped(const tsd_reader *r, long *first_line)
{
	*first_line = r->drop_line;
	return r->dropped;
}

const char *tsd_reader_where(tsd_reader *r)
{
	static __thread char where[300];

	if (r->fmt == TSD_FMT_BIN)
		snprintf(where, sizeof where, "%s: frame %ld", r->name, r->line);
	else
		snprintf(where, sizeof where, "%s:%ld", r->name, r->line);
	return where;
}

void tsd_reader_on_idle(tsd_reader *r, int (*fn)(void *), void *arg)
{
	r->idle = fn;
	r->idle_arg = arg;
}

/* Make at least `need` bytes available from pos. 0: yes; 1: end of input
 * came first; < 0: error. Compacts and grows the buffer as needed. */
static int fill(tsd_reader *r, size_t need)
{
	while (r->end - r->pos < need) {
		ssize_t n;
		if (r->eof)
			return 1;
		if (r->pos && (r->cap - r->end < need || r->pos == r->end)) {
			memmove(r->buf, r->buf + r->pos, r->end - r->pos);
			r->end -= r->pos;
			r->pos = 0;
		}
		if (r->cap - r->pos < need) {
			size_t nc = r->cap * 2;
			while (nc - r->pos < need)
				nc *= 2;
			unsigned char *nb = realloc(r->buf, nc);
			if (!nb)
				return rfail(r, TSD_ENOMEM, "out of memory");
			r->buf = nb;
			r->cap = nc;
		}
		if (r->idle) {
			struct pollfd p = { .fd = r->fd, .events = POLLIN };
			if (poll(&p, 1, 0) == 0 && r->idle(r->idle_arg) < 0)
				return rfail(r, TSD_EIO, "write error while waiting for input");
		}
		n = read(r->fd, r->buf + r->end, r->cap - r->end);
		if (n < 0) {
			if (errno == EINTR) {
				/* a signal: the idle hook may stop the caller */
				if (r->idle && r->idle(r->idle_arg) < 0)
					return rfail(r, TSD_EIO, "write error while waiting for input");
				continue;
			}
			return rfail(r, TSD_EIO, "read error: %s", strerror(errno));
		}
		if (n == 0)
			r->eof = 1;
		r->end += (size_t)n;
	}
	return 0;
}

static int ensure_last(tsd_reader *r, uint32_t s)
{
	if (s >= r->nlast) {
		size_t nn = r->nlast ? r->nlast : 16, i;
		while (nn <= s)
			nn *= 2;
		int64_t *nl = realloc(r->last_t, nn * sizeof *nl);
		if (!nl)
			return rfail(r, TSD_ENOMEM, "out of memory");
		for (i = r->nlast; i < nn; i++)
			nl[i] = INT64_MIN;
		r->last_t = nl;
		r->nlast = nn;
	}
	return 0;
}

void tsd_reader_forget(tsd_reader *r, uint32_t series)
{
	if (series < r->nlast)
		r->last_t[series] = INT64_MIN;
}

static int check_order(tsd_reader *r, uint32_t s, int64_t t)
{
	if (r->o.order == TSD_ORDER_ANY)
		return 0;
	if (ensure_last(r, s) < 0)
		return TSD_ENOMEM;
	if (r->last_t[s] != INT64_MIN) {
		if (r->o.order == TSD_ORDER_DROP && t <= r->last_t[s]) {
			if (!r->dropped++)
				r->drop_line = r->line;
			return 1;
		}
		if (t < r->last_t[s])
			return rfail(r, TSD_EORDER, "time goes backwards in series '%s'",
				     tsd_series_name(r->o.tab, s));
		if (t == r->last_t[s] && r->o.order == TSD_ORDER_STRICT)
			return rfail(r, TSD_EORDER, "duplicate time in series '%s'",
				     tsd_series_name(r->o.tab, s));
	}
	r->last_t[s] = t;
	return 0;
}

/* ---- binary */

/* A whole run passes the order policy at once when its times increase
 * strictly and start after the series' last time; then the series' last
 * time moves to the run's end. Anything else is checked sample by sample. */
static int run_in_order(tsd_reader *r, const tsd_samples *run)
{
	int64_t first = run->t ? run->t[0] : run->t0;
	int64_t last = run->t ? run->t[run->count - 1] : run->t0 + (int64_t)(run->count - 1) * run->dt;
	uint32_t i;

	if (r->o.order == TSD_ORDER_ANY)
		return 1;
	if (run->t) {
		for (i = 1; i < run->count; i++)
			if (run->t[i] <= run->t[i - 1])
				return 0;
	} else if (run->count > 1 && run->dt <= 0) {
		return 0;
	}
	if (ensure_last(r, run->series) < 0)
		return 0;
	if (r->last_t[run->series] != INT64_MIN && first <= r->last_t[run->series])
		return 0;
	r->last_t[run->series] = last;
	return 1;
}

static int bin_next(tsd_reader *r, tsd_rec *rec)
{
	for (;;) {
		int rc;

		if (r->run_pos < r->run.count) {
			uint32_t i = r->run_pos++;
			rec->kind = TSD_REC_SAMPLE;
			rec->s.series = r->run.series;
			rec->s.t = r->run.t ? r->run.t[i] : r->run.t0 + (int64_t)i * r->run.dt;
			rec->s.v = r->run.v[i];
			if (isnan(rec->s.v)) {
				/* a gap marker: passed on when asked, never order-checked;
				 * else a missing sample, as "nan" in CSV */
				if (r->o.gaps)
					return 1;
				continue;
			}
			if (r->o.order != TSD_ORDER_ANY) {
				if ((rc = check_order(r, rec->s.series, rec->s.t)) < 0)
					return rc;
				if (rc)
					continue;
			}
			return 1;
		}
		size_t used, need = TSD_FRAME_HDR;
		rc = fill(r, need);
		if (rc < 0)
			return rc;
		r->line++;
		if (rc == 1) {
			if (r->end == r->pos)
				return 0;
			return rfail(r, TSD_ETRUNC, "truncated frame header: %zu of 8 bytes",
				     r->end - r->pos);
		}
		while ((rc = tsd_fdec_next(&r->fdec, rec, &used, &need, r->buf + r->pos,
					   r->end - r->pos)) == TSD_FDEC_MORE) {
			if ((rc = fill(r, need)) < 0)
				return rc;
			if (rc == 1)
				return rfail(r, TSD_ETRUNC, "truncated frame: %zu of %zu bytes",
					     r->end - r->pos, need);
		}
		if (rc < 0)
			return rfail(r, rc, "%s", r->fdec.err);
		r->pos += used;
		if (rc == TSD_FDEC_HEADER) {
			r->line--; /* stream headers are not counted as frames */
			continue;
		}
		if (r->fdec.style_seen) {
			r->style = r->fdec.style;
			r->fdec.style_seen = 0;
			r->have_tstyle = 1;
		}
		if (rc == TSD_FDEC_SKIP)
			continue;
		if (rec->kind == TSD_REC_SAMPLES) {
			if (r->o.runs && (r->o.gaps || !r->fdec.missing) && run_in_order(r, &rec->r))
				return 1;
			/* give it out sample by sample, checking each */
			r->run = rec->r;
			r->run_pos = 0;
			continue;
		}
		return 1;
	}
}

/* ---- CSV */

#define FS(i) tsd_csvrow_field(&r->row, i)
#define FL(i) (r->row.flen[i])

static tsd_rec *qpush(tsd_reader *r)
{
	if (r->qn == r->qcap) {
		size_t nc = r->qcap ? r->qcap * 2 : 16;
		tsd_rec *nq = realloc(r->q, nc * sizeof *nq);
		if (!nq)
			return NULL;
		r->q = nq;
		r->qcap = nc;
	}
	return &r->q[r->qn++];
}

static int parse_time(tsd_reader *r, int64_t *t, size_t i)
{
	tsd_tstyle st = { .kind = (uint8_t)r->o.time_unit };
	int rc = tsd_time_parse_cached(&r->tc, t, &st, FS(i), FL(i));

	if (rc < 0)
		return rfail(r, rc, FL(i) ? "bad time '%s'" : "empty time field", FS(i));
	if (rc == 0 && !r->have_tstyle) {
		r->style.tstyle = st;
		r->have_tstyle = 1;
	}
	return 0;
}

static int is_time(const char *s, size_t len, int unit)
{
	int64_t t;
	tsd_tstyle st = { .kind = (uint8_t)unit };
	return tsd_time_parse(&t, &st, s, len) == 0;
}

static int is_num(const char *s, size_t len)
{
	double v;
	return len == 0 || tsd_scan_double(&v, s, len) == 0;
}

/* Parse a value field: 1 = value, 0 = missing, < 0 = error. */
static int parse_value(tsd_reader *r, double *v, size_t i)
{
	if (FL(i) == 0)
		return 0;
	if (tsd_scan_double(v, FS(i), FL(i)))
		return rfail(r, TSD_EFORMAT, "bad number '%s'", FS(i));
	if (isnan(*v))
		return 0;
	if (isinf(*v))
		return rfail(r, TSD_ERANGE, "infinite value '%s'", FS(i));
	return 1;
}

static int set_columns(tsd_reader *r, size_t first, int header)
{
	size_t i;
	int rc;

	r->ncols = (int)(r->row.n - first);
	r->colid = calloc((size_t)r->ncols, sizeof *r->colid);
	if (!r->colid)
		return rfail(r, TSD_ENOMEM, "out of memory");
	for (i = 0; i < (size_t)r->ncols; i++) {
		char nm[32];
		const char *s = nm;
		size_t len;
		if (r->ncols == 1 && r->o.rename)
			s = r->o.rename, len = strlen(s);
		else if (header)
			s = FS(first + i), len = FL(first + i);
		else
			len = (size_t)snprintf(nm, sizeof nm, r->ncols == 1 ? "value" : "v%zu", i + 1);
		if (len == 0)
			return rfail(r, TSD_EFORMAT, "empty series name in column %zu", first + i + 1);
		if ((rc = tsd_series_intern(&r->colid[i], r->o.tab, s, len)) < 0)
			return name_fail(r, rc, len);
	}
	return 0;
}

static int header_row(tsd_reader *r)
{
	static const char *series_names[] = { "series", "id", "sensor", "name", "metric", "key", "tag" };
	size_t i;
	int unit = r->o.time_unit;

	if (r->row.n < 2)
		return rfail(r, TSD_EFORMAT, "need at least two columns (time and value), found %zu", r->row.n);
	/* header-less single or wide: the first field is a time */
	if (is_time(FS(0), FL(0), unit)) {
		for (i = 1; i < r->row.n; i++)
			if (!is_num(FS(i), FL(i)))
				return rfail(r, TSD_EFORMAT, "bad number '%s'", FS(i));
		r->shape = r->row.n == 2 ? TSD_SHAPE_SINGLE : TSD_SHAPE_WIDE;
		return set_columns(r, 1, 0) ? TSD_EFORMAT : 1;
	}
	/* header-less long */
	if (r->row.n == 3 && is_time(FS(1), FL(1), unit) && is_num(FS(2), FL(2))) {
		r->shape = TSD_SHAPE_LONG;
		return 1;
	}
	r->header_done = 1;
	if (r->row.n >= 9 && !strcasecmp(FS(0), "series") && !strcasecmp(FS(1), "window") &&
	    !strcasecmp(FS(2), "kind")) {
		r->shape = TSD_SHAPE_COEF;
		return 0;
	}
	if (r->row.n == 3)
		for (i = 0; i < sizeof series_names / sizeof *series_names; i++)
			if (!strcasecmp(FS(0), series_names[i])) {
				r->shape = TSD_SHAPE_LONG;
				snprintf(r->style.time_name, sizeof r->style.time_name, "%s", FS(1));
				return 0;
			}
	r->shape = r->row.n == 2 ? TSD_SHAPE_SINGLE : TSD_SHAPE_WIDE;
	snprintf(r->style.time_name, sizeof r->style.time_name, "%s", FS(0));
	return set_columns(r, 1, 1);
}

static int emit_sample(tsd_reader *r, uint32_t s, int64_t t, double v)
{
	tsd_rec *q;
	int rc = isnan(v) ? 0 : check_order(r, s, t);

	if (rc)
		return rc < 0 ? rc : 0;
	if (!(q = qpush(r)))
		return rfail(r, TSD_ENOMEM, "out of memory");
	q->kind = TSD_REC_SAMPLE;
	q->s.series = s;
	q->s.t = t;
	q->s.v = v;
	return 0;
}

/* tsd_parse_long on field i, without strtol for plain digits */
static int field_long(tsd_reader *r, long *out, size_t i, long min, long max)
{
	const char *s = FS(i);
	size_t n = FL(i);
	long v = 0;

	if (n == 0 || n > 15)
		return tsd_parse_long(out, s, min, max);
	for (size_t k = 0; k < n; k++) {
		if ((unsigned)(s[k] - '0') > 9)
			return tsd_parse_long(out, s, min, max);
		v = v * 10 + (s[k] - '0');
	}
	if (v < min || v > max)
		return TSD_ERANGE;
	*out = v;
	return 0;
}

static int coef_row(tsd_reader *r)
{
	tsd_rec *q;
	uint32_t s;
	long lv, idx;
	int64_t win;
	double wv;
	int rc;
	const char *k = FS(2);

	if (r->row.n != 9)
		return rfail(r, TSD_EFORMAT, "expected 9 fields, found %zu", r->row.n);
	if (FL(0) == 0)
		return rfail(r, TSD_EFORMAT, "empty series name");
	if ((rc = tsd_series_intern(&s, r->o.tab, FS(0), FL(0))) < 0)
		return name_fail(r, rc, FL(0));
	if (tsd_scan_double(&wv, FS(1), FL(1)) || wv != floor(wv) || fabs(wv) > 9e15)
		return rfail(r, TSD_EFORMAT, "bad window number '%s'", FS(1));
	win = (int64_t)wv;
	if (!(q = qpush(r)))
		return rfail(r, TSD_ENOMEM, "out of memory");
	memset(q, 0, sizeof *q);
	if (k[0] == 'W') {
		q->kind = TSD_REC_WINDOW;
		q->w.series = s;
		q->w.window = win;
		for (const char *c = k + 1; *c; c++) {
			if (*c == 'I')
				q->w.flags |= TSD_WIN_IRREGULAR;
			else if (*c == 'S')
				q->w.flags |= TSD_WIN_SELECTED;
			else if (*c == 'G')
				q->w.flags |= TSD_WIN_GAP;
			else
				return rfail(r, TSD_EFORMAT, "bad record kind '%s'", k);
		}
		if (field_long(r, &lv, 3, 0, 64) || field_long(r, &idx, 4, 1, UINT32_MAX))
			return rfail(r, TSD_EFORMAT, "bad window header: levels '%s', samples '%s'", FS(3), FS(4));
		q->w.levels = (uint8_t)lv;
		q->w.n = (uint32_t)idx;
		if ((rc = parse_time(r, &q->w.t_first, 5)) || (rc = parse_time(r, &q->w.t_last, 6)))
			return rc;
		if (q->w.t_last < q->w.t_first)
			return rfail(r, TSD_EORDER, "window %lld ends before it starts", (long long)win);
		if (FL(7) >= TSD_WAVELET_NAME || FL(8) >= TSD_MODE_NAME)
			return rfail(r, TSD_EFORMAT, "bad wavelet '%s' or mode '%s'", FS(7), FS(8));
		memcpy(q->w.wavelet, FS(7), FL(7));
		memcpy(q->w.mode, FS(8), FL(8));
		return 0;
	}
	if (k[1])
		return rfail(r, TSD_EFORMAT, "bad record kind '%s'", k);
	switch (k[0]) {
	case 'E': {
		double lo = 0, hi = 0;
		int a, b;
		q->kind = TSD_REC_END;
		q->e.series = s;
		q->e.window = win;
		q->e.has_range = 0;
		q->e.lo = q->e.hi = 0;
		if ((a = parse_value(r, &lo, 7)) < 0 || (b = parse_value(r, &hi, 8)) < 0)
			return a < 0 ? a : b;
		if (a != b || (a && lo > hi))
			return rfail(r, TSD_EFORMAT, "window %lld: the range of an E row is two numbers, "
				     "the smallest first", (long long)win);
		q->e.has_range = (uint8_t)a;
		q->e.lo = lo, q->e.hi = hi;
		return 0;
	}
	case 'T':
		q->kind = TSD_REC_TIMES;
		q->ts.series = s;
		q->ts.window = win;
		q->ts.count = 1;
		if ((rc = parse_time(r, &r->ctime, 5)))
			return rc;
		q->ts.t = &r->ctime;
		return 0;
	case 'A':
	case 'D':
		q->kind = TSD_REC_COEF;
		q->c.series = s;
		q->c.window = win;
		q->c.kind = k[0] == 'A' ? TSD_COEF_A : TSD_COEF_D;
		if (field_long(r, &lv, 3, 1, 64) || field_long(r, &idx, 4, 0, UINT32_MAX))
			return rfail(r, TSD_EFORMAT, "bad level '%s' or index '%s'", FS(3), FS(4));
		q->c.level = (uint8_t)lv;
		q->c.start = (uint32_t)idx;
		q->c.count = 1;
		if (tsd_scan_double(&r->cval, FS(7), FL(7)) || !isfinite(r->cval))
			return rfail(r, TSD_EFORMAT, "bad coefficient value '%s'", FS(7));
		q->c.v = &r->cval;
		if (FL(8)) {
			double sc;
			if (tsd_scan_double(&sc, FS(8), FL(8)) || !(sc >= 0 && sc <= 1))
				return rfail(r, TSD_EFORMAT, "bad score '%s' (want 0..1)", FS(8));
			r->cscore = (float)sc;
			q->c.score = &r->cscore;
			q->c.flags |= TSD_COEF_SCORED;
		}
		return 0;
	}
	return rfail(r, TSD_EFORMAT, "bad record kind '%s'", k);
}

static int csv_row(tsd_reader *r)
{
	int64_t t;
	double v;
	size_t i;
	int rc;

	if (!r->header_done && !r->shape) {
		rc = header_row(r);
		if (rc <= 0)
			return rc;
		/* header-less: this row is data */
		r->header_done = 1;
	}
	switch (r->shape) {
	case TSD_SHAPE_SINGLE:
	case TSD_SHAPE_WIDE:
		if (r->row.n != (size_t)r->ncols + 1)
			return rfail(r, TSD_EFORMAT, "expected %d fields, found %zu", r->ncols + 1, r->row.n);
		if ((rc = parse_time(r, &t, 0)))
			return rc;
		for (i = 1; i < r->row.n; i++) {
			if ((rc = parse_value(r, &v, i)) < 0)
				return rc;
			if (!rc && r->o.gaps && r->ncols == 1)
				v = NAN, rc = 1; /* a gap marker (time,) */
			if (rc && (rc = emit_sample(r, r->colid[i - 1], t, v)))
				return rc;
		}
		return 0;
	case TSD_SHAPE_LONG: {
		uint32_t s;
		if (r->row.n != 3)
			return rfail(r, TSD_EFORMAT, "expected 3 fields, found %zu", r->row.n);
		if (FL(0) == 0)
			return rfail(r, TSD_EFORMAT, "empty series name");
		if ((rc = parse_time(r, &t, 1)))
			return rc;
		if ((rc = parse_value(r, &v, 2)) < 0 || (rc == 0 && !r->o.gaps))
			return rc;
		if (rc == 0)
			v = NAN; /* a gap marker (series,time,) */
		if ((rc = tsd_series_intern(&s, r->o.tab, FS(0), FL(0))) < 0)
			return name_fail(r, rc, FL(0));
		return emit_sample(r, s, t, v);
	}
	case TSD_SHAPE_COEF:
		return coef_row(r);
	}
	return rfail(r, TSD_EFORMAT, "unknown shape");
}

static int detect_delim(const unsigned char *s, size_t n)
{
	size_t i, cnt[3] = { 0, 0, 0 };
	int inq = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			inq = !inq;
		else if (!inq)
			cnt[0] += s[i] == ',', cnt[1] += s[i] == ';', cnt[2] += s[i] == '\t';
	}
	if (cnt[1] > cnt[0] && cnt[1] >= cnt[2])
		return ';';
	if (cnt[2] > cnt[0] && cnt[2] > cnt[1])
		return '\t';
	return ',';
}

/* "#tsd pos ..." or "#tsd revoke ..." (lib/position.h) */
static int directive(tsd_reader *r, const char *s, size_t n)
{
	tsd_control k;
	tsd_rec *q;

	if (n >= 17 && !memcmp(s, "#tsd shape single", 17) && (n == 17 || s[17] == '\r')) {
		/* a coefficient stream of one series: samples made from it
		 * come out in the two-column shape */
		if (!r->style.shape)
			r->style.shape = TSD_SHAPE_SINGLE;
		return 0;
	}
	/* the topic lives in the reader until the next directive */
	if (tsd_pos_parse(&k, r->topic, sizeof r->topic, s, n) < 0)
		return rfail(r, TSD_EFORMAT, "bad #tsd directive");
	if (!(q = qpush(r)))
		return rfail(r, TSD_ENOMEM, "out of memory");
	q->kind = TSD_REC_CONTROL;
	q->k = k;
	return 0;
}

/* One record (usually one line) split into fields, then made records. */
static int csv_record(tsd_reader *r, const unsigned char *s, size_t len)
{
	int rc = tsd_csv_split(&r->row, (const char *)s, len, r->o.delim, TSD_CSV_TRIM);

	if (rc == TSD_ENOMEM)
		return rfail(r, rc, "out of memory");
	if (rc < 0)
		return rfail(r, TSD_EFORMAT, "%s", strcmp(r->row.why, "unterminated quoted field") ?
			     "malformed quoting" : r->row.why);
	if (rc == 0)
		return 0; /* an empty line */
	return csv_row(r);
}

static int csv_next(tsd_reader *r, tsd_rec *rec)
{
	for (;;) {
		const unsigned char *s, *nl;
		size_t len;
		int rc, open = 0;

		if (r->qpos < r->qn) {
			*rec = r->q[r->qpos++];
			return 1;
		}
		r->qn = r->qpos = 0;
		/* find the next line */
		for (;;) {
			s = r->buf + r->pos;
			nl = memchr(s, '\n', r->end - r->pos);
			if (nl || r->eof)
				break;
			if (r->end - r->pos >= LINE_MAX_BYTES)
				return rfail(r, TSD_EFORMAT, "line longer than %u bytes", LINE_MAX_BYTES);
			rc = fill(r, r->end - r->pos + 1);
			if (rc < 0)
				return rc;
		}
		len = nl ? (size_t)(nl - s) + 1 : r->end - r->pos;
		if (len == 0)
			return 0; /* end of input */
		r->line++;
		if (s[0] == '#') {
			r->pos += len;
			if (len > 5 && memcmp(s, "#tsd ", 5) == 0) {
				if ((rc = directive(r, (const char *)s, len - (nl != NULL))) < 0)
					return rc;
			}
			continue;
		}
		const unsigned char *cr = memchr(s, '\r', len);
		if (!r->o.slow_csv && !memchr(s, '"', len) &&
		    (!cr || cr + 1 == s + len || (cr + 2 == s + len && cr[1] == '\n'))) {
			/* the common case: one line, no quotes */
			r->pos += len;
			if ((rc = csv_record(r, s, len)) < 0)
				return rc;
			if (r->qn == 1 && r->o.delim == ',' &&
			    (r->shape == TSD_SHAPE_LONG || r->shape == TSD_SHAPE_SINGLE)) {
				r->line_s = (const char *)s;
				r->line_len = cr ? (size_t)(cr - s) : len - (nl != NULL);
			}
			continue;
		}
		/* quotes (a quoted field may hold line ends) or a lone CR:
		 * find where the record ends, reading on as needed */
		for (;;) {
			s = r->buf + r->pos;
			len = tsd_csv_record_len((const char *)s, r->end - r->pos, r->o.delim, &open);
			if (len || r->eof)
				break;
			if (r->end - r->pos >= LINE_MAX_BYTES)
				return rfail(r, TSD_EFORMAT, "record longer than %u bytes", LINE_MAX_BYTES);
			if ((rc = fill(r, r->end - r->pos + 1)) < 0)
				return rc;
		}
		if (!len) {
			if (open)
				return rfail(r, TSD_EFORMAT, "unterminated quoted field");
			len = r->end - r->pos;
		}
		r->pos += len;
		for (size_t i = 0; i + 1 < len; i++)
			r->line += s[i] == '\n'; /* line ends inside quotes */
		if ((rc = csv_record(r, s, len)) < 0)
			return rc;
	}
}

/* Where the first line that is not a comment ends in what is buffered
 * (its newline), or NULL when it is not complete yet; *line is its start. */
static const unsigned char *first_line(tsd_reader *r, const unsigned char **line)
{
	const unsigned char *s = r->buf + r->pos, *e = r->buf + r->end, *nl;

	while ((nl = memchr(s, '\n', (size_t)(e - s))) && *s == '#')
		s = nl + 1;
	*line = s;
	return s < e ? memchr(s, '\n', (size_t)(e - s)) : NULL;
}

/* The format from the first byte, and the CSV delimiter from the first
 * line that is not a comment. Nothing waits for more input than that line
 * (or 4096 bytes of it), so a live stream that trickles a few short lines
 * is read as they come. */
static int start(tsd_reader *r)
{
	const unsigned char *line, *nl;
	int rc = fill(r, 1);

	if (rc < 0)
		return rc;
	r->started = 1;
	if (r->end - r->pos >= 1 && r->buf[r->pos] == TSD_FRAME_MAGIC0) {
		r->fmt = TSD_FMT_BIN;
		return 0;
	}
	r->fmt = TSD_FMT_CSV;
	if (r->end - r->pos >= 1 && r->buf[r->pos] == 0xef && (rc = fill(r, 3)) < 0)
		return rc;
	if (r->end - r->pos >= 3 && memcmp(r->buf + r->pos, "\xef\xbb\xbf", 3) == 0)
		r->pos += 3;
	if (!r->o.delim) {
		/* comments before it do not count against its 4096 bytes;
		 * a preamble of comments is looked through up to 1 MiB */
		while (!(nl = first_line(r, &line)) && r->buf + r->end - line < 4096 &&
		       r->end - r->pos < (1u << 20)) {
			if ((rc = fill(r, r->end - r->pos + 1)) < 0)
				return rc;
			if (rc == 1)
				break; /* the end of input */
		}
		nl = first_line(r, &line);
		r->o.delim = detect_delim(line, nl ? (size_t)(nl - line) : (size_t)(r->buf + r->end - line));
	}
	return 0;
}

int tsd_reader_next(tsd_reader *r, tsd_rec *rec)
{
	int rc;

	if (!r->started && (rc = start(r)) < 0)
		return rc;
	r->line_s = NULL;
	r->line_len = 0;
	if (r->fmt == TSD_FMT_BIN)
		return bin_next(r, rec);
	rc = csv_next(r, rec);
	if (r->shape && !r->style.shape)
		r->style.shape = (uint8_t)r->shape;
	return rc;
}

/* ----------------------------------------------------------------- writer */

typedef tsd_coef_place win_info; /* where a series' current window sits in time */

struct tsd_writer {
	int fd;
	tsd_writer_opts o;
	unsigned char *buf;       /* (WBUF_CAP) */
	size_t len;
	int err, started, header_kind;
	int data;                 /* a record other than CONTROL was written */
	char errmsg[1400];
	uint8_t *named;           /* binary: NAME frame sent for this series */
	size_t nnamed;
	uint32_t single;          /* CSV single shape: the one series + 1 */
	/* binary: a pending run of samples or coefficients */
	int pend;                 /* 0, TSD_FR_SAMPLES or TSD_FR_COEFS */
	tsd_coefs pc;             /* coefficient run header */
	uint32_t ps;              /* sample run series */
	uint32_t pn;
	int64_t pt[TSD_FRAME_MAXRUN];
	double pv[TSD_FRAME_MAXRUN];
	float pscore[TSD_FRAME_MAXRUN];
	/* CSV coefficient time spans */
	win_info *wi;             /* (nwi) by series */
	size_t nwi;
};

void tsd_writer_defaults(tsd_writer_opts *o)
{
	memset(o, 0, sizeof *o);
	o->format = TSD_FMT_CSV;
	o->delim = ',';
	o->header = 1;
	o->style.tstyle.kind = TSD_T_ISO;
	o->style.tstyle.sep = ' ';
	snprintf(o->style.time_name, sizeof o->style.time_name, "timestamp");
}

int tsd_writer_open(tsd_writer **out, int fd, const tsd_writer_opts *o)
{
	tsd_writer *w = calloc(1, sizeof *w);

	if (!w)
		return TSD_ENOMEM;
	w->buf = malloc(WBUF_CAP);
	if (!w->buf) {
		free(w);
		return TSD_ENOMEM;
	}
	w->fd = fd;
	w->o = *o;
	if (!w->o.delim)
		w->o.delim = ',';
	if (!w->o.style.tstyle.kind)
		w->o.style.tstyle.kind = TSD_T_ISO, w->o.style.tstyle.sep = ' ';
	if (!w->o.style.time_name[0])
		snprintf(w->o.style.time_name, sizeof w->o.style.time_name, "timestamp");
	*out = w;
	return 0;
}

const char *tsd_writer_errmsg(const tsd_writer *w) { return w->errmsg; }

static int wfail(tsd_writer *w, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(w->errmsg, sizeof w->errmsg, fmt, ap);
	va_end(ap);
	if (!w->err)
		w->err = code;
	return code;
}

static int drain(tsd_writer *w)
{
	size_t off = 0;

	while (off < w->len) {
		ssize_t n = write(w->fd, w->buf + off, w->len - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			w->len = 0;
			return wfail(w, TSD_EIO, "write error: %s", strerror(errno));
		}
		off += (size_t)n;
	}
	w->len = 0;
	return 0;
}

/* Room for n more bytes in the buffer. */
static unsigned char *room(tsd_writer *w, size_t n)
{
	if (w->err)
		return NULL;
	if (w->len + n > WBUF_CAP && drain(w))
		return NULL;
	if (n > WBUF_CAP) {
		wfail(w, TSD_ERANGE, "record too large");
		return NULL;
	}
	return w->buf + w->len;
}

static int emit(tsd_writer *w, const void *p, size_t n)
{
	unsigned char *d = room(w, n);

	if (!d)
		return w->err;
	memcpy(d, p, n);
	w->len += n;
	return 0;
}

static int put_run(tsd_writer *w, const tsd_samples *run);

static int flush_run(tsd_writer *w)
{
	unsigned char *d;
	size_t sz;

	if (!w->pend)
		return 0;
	if (w->pend == TSD_FR_SAMPLES) {
		tsd_samples run = { .series = w->ps, .count = w->pn, .t = w->pt, .v = w->pv };
		w->pend = 0;
		w->pn = 0;
		return put_run(w, &run);
	} else {
		tsd_coefs c = w->pc;
		c.count = w->pn;
		c.v = w->pv;
		c.score = w->pc.flags & TSD_COEF_SCORED ? w->pscore : NULL;
		sz = tsd_frame_coefs_size(w->pn, c.score != NULL);
		if (!(d = room(w, sz)))
			return w->err;
		tsd_frame_coefs(d, c.series, &c);
	}
	w->len += sz;
	w->pend = 0;
	w->pn = 0;
	return 0;
}

/* Write a run of samples as SAMPLES frames: evenly spaced times as t0 and
 * dt (8 bytes a sample), others column by column (16 bytes a sample). */
static int put_run(tsd_writer *w, const tsd_samples *run)
{
	uint32_t done = 0;

	while (done < run->count) {
		uint32_t n = run->count - done, i;
		int64_t t0, dt = 0;
		int reg = 1;
		unsigned char *d;
		size_t sz;

		if (n > TSD_FRAME_MAXRUN)
			n = TSD_FRAME_MAXRUN;
		if (run->t) {
			/* t0 and dt pay off from three samples on */
			int64_t d1, span, last;
			t0 = run->t[done];
			reg = n >= 3 && !__builtin_sub_overflow(run->t[done + 1], t0, &dt);
			for (i = 2; i < n && reg; i++)
				reg = !__builtin_sub_overflow(run->t[done + i], run->t[done + i - 1], &d1) && d1 == dt;
			/* a reader checks that t0 + (n - 1) * dt stays in range */
			if (reg && (__builtin_mul_overflow((int64_t)(n - 1), dt, &span) ||
				    __builtin_add_overflow(t0, span, &last)))
				reg = 0;
			if (!reg)
				dt = 0;
		} else {
			t0 = run->t0 + (int64_t)done * run->dt;
			dt = run->dt;
		}
		sz = tsd_frame_samples_size(n, reg);
		if (!(d = room(w, sz)))
			return w->err;
		tsd_frame_samples(d, run->series, n, reg ? NULL : run->t + done, t0, dt, run->v + done);
		w->len += sz;
		done += n;
	}
	return 0;
}

static int bin_name(tsd_writer *w, uint32_t s)
{
	unsigned char tmp[TSD_SERIES_NAME_MAX + 16];
	const char *nm;
	size_t nl, sz;
	int rc;

	if (s < w->nnamed && w->named[s])
		return 0;
	if (s >= w->nnamed && tsd_grow(&w->named, &w->nnamed, (size_t)s + 1, 1) < 0)
		return wfail(w, TSD_ENOMEM, "out of memory");
	nm = tsd_series_name(w->o.tab, s);
	if (!nm)
		return wfail(w, TSD_EINVAL, "unknown series id %u", s);
	nl = tsd_series_namelen(w->o.tab, s);
	if ((rc = flush_run(w)))
		return rc;
	sz = tsd_frame_name(tmp, s, nm, nl);
	w->named[s] = 1;
	return emit(w, tmp, sz);
}

static int bin_put(tsd_writer *w, const tsd_rec *r)
{
	unsigned char tmp[TSD_FRAME_HDR + 16 + 65536];
	uint32_t s;
	int rc;

	if (!w->started) {
		unsigned char h[8];
		tsd_frame_stream_header(h);
		if ((rc = emit(w, h, sizeof h)))
			return rc;
		w->started = 1;
	}
	if (!w->data && r->kind != TSD_REC_CONTROL) {
		/* the style goes just before the first data record, so that
		 * positions read before any sample do not fix it too early */
		unsigned char st[56];
		if ((rc = emit(w, st, tsd_frame_style(st, &w->o.style))))
			return rc;
	}
	if (r->kind == TSD_REC_SAMPLE && w->pend == TSD_FR_SAMPLES && w->ps == r->s.series &&
	    w->pn < TSD_FRAME_MAXRUN) {
		/* the common case: one more sample of the run being packed */
		w->pt[w->pn] = r->s.t;
		w->pv[w->pn++] = r->s.v;
		return 0;
	}
	if (r->kind != TSD_REC_CONTROL) {
		s = r->kind == TSD_REC_SAMPLE ? r->s.series : r->kind == TSD_REC_SAMPLES ? r->r.series :
		    r->kind == TSD_REC_WINDOW ? r->w.series :
		    r->kind == TSD_REC_TIMES ? r->ts.series : r->kind == TSD_REC_COEF ? r->c.series : r->e.series;
		if ((rc = bin_name(w, s)))
			return rc;
	}
	switch (r->kind) {
	case TSD_REC_SAMPLE:
		if (w->pend != TSD_FR_SAMPLES || w->ps != r->s.series || w->pn == TSD_FRAME_MAXRUN) {
			if ((rc = flush_run(w)))
				return rc;
			w->pend = TSD_FR_SAMPLES;
			w->ps = r->s.series;
		}
		w->pt[w->pn] = r->s.t;
		w->pv[w->pn++] = r->s.v;
		return 0;
	case TSD_REC_COEF: {
		/* append to the pending run while it continues this one, in
		 * chunks up to the frame limit */
		const tsd_coefs *c = &r->c;
		uint32_t i = 0, k;
		while (i < c->count) {
			if (w->pend != TSD_FR_COEFS || w->pn == TSD_FRAME_MAXRUN || w->pc.series != c->series ||
			    w->pc.window != c->window || w->pc.level != c->level || w->pc.kind != c->kind ||
			    w->pc.flags != c->flags || w->pc.start + w->pn != c->start + i) {
				if ((rc = flush_run(w)))
					return rc;
				w->pend = TSD_FR_COEFS;
				w->pc = *c;
				w->pc.start = c->start + i;
			}
			k = c->count - i;
			if (k > TSD_FRAME_MAXRUN - w->pn)
				k = TSD_FRAME_MAXRUN - w->pn;
			memcpy(w->pv + w->pn, c->v + i, k * sizeof *c->v);
			if (c->score)
				memcpy(w->pscore + w->pn, c->score + i, k * sizeof *c->score);
			w->pn += k;
			i += k;
		}
		return 0;
	}
	default:
		break;
	}
	if ((rc = flush_run(w)))
		return rc;
	switch (r->kind) {
	case TSD_REC_SAMPLES:
		return put_run(w, &r->r);
	case TSD_REC_WINDOW:
		return emit(w, tmp, tsd_frame_window(tmp, &r->w));
	case TSD_REC_END:
		return emit(w, tmp, tsd_frame_end(tmp, &r->e));
	case TSD_REC_CONTROL:
		return emit(w, tmp, tsd_frame_control(tmp, &r->k));
	case TSD_REC_TIMES: {
		uint32_t done = 0;
		while (done < r->ts.count) {
			uint32_t n = r->ts.count - done;
			if (n > TSD_FRAME_MAXRUN)
				n = TSD_FRAME_MAXRUN;
			size_t sz = tsd_frame_times_size(n);
			unsigned char *d = room(w, sz);
			if (!d)
				return w->err;
			tsd_frame_times(d, r->ts.series, r->ts.window, n, r->ts.t + done);
			w->len += sz;
			done += n;
		}
		return 0;
	}
	}
	return wfail(w, TSD_EINVAL, "unknown record kind %d", r->kind);
}

static win_info *winfo(tsd_writer *w, uint32_t s)
{
	if (s >= w->nwi && tsd_grow(&w->wi, &w->nwi, (size_t)s + 1, sizeof *w->wi) < 0)
		return NULL;
	return &w->wi[s];
}


static int csv_header(tsd_writer *w, int kind, uint32_t series)
{
	char line[2 * TSD_SERIES_NAME_MAX + 64];
	size_t k = 0;
	int want = kind == TSD_REC_SAMPLE ? 1 : kind == TSD_REC_CONTROL ? 0 : 2;

	if (!want || w->header_kind == want)
		return 0;
	if (w->header_kind)
		return wfail(w, TSD_EUNSUP, "samples and coefficients in one CSV stream; use binary output");
	w->header_kind = want;
	if (want == 1 && w->o.style.shape != TSD_SHAPE_LONG) {
		if (w->o.style.shape == TSD_SHAPE_SINGLE || w->o.style.shape == TSD_SHAPE_AUTO)
			w->single = series + 1;
	}
	if (!w->o.header)
		return 0;
	if (want == 2) {
		if (w->o.style.shape == TSD_SHAPE_SINGLE)
			k = (size_t)sprintf(line, "#tsd shape single\n");
		k += (size_t)sprintf(line + k, "series%1$cwindow%1$ckind%1$clevel%1$cindex%1$ct0%1$ct1%1$cvalue%1$cscore\n", w->o.delim);
	} else if (w->single) {
		k = tsd_csv_field(line, w->o.style.time_name, strlen(w->o.style.time_name), w->o.delim);
		line[k++] = (char)w->o.delim;
		k += tsd_csv_field(line + k, tsd_series_name(w->o.tab, series), tsd_series_namelen(w->o.tab, series), w->o.delim);
		line[k++] = '\n';
	} else {
		k = (size_t)sprintf(line, "series%c", w->o.delim);
		k += tsd_csv_field(line + k, w->o.style.time_name, strlen(w->o.style.time_name), w->o.delim);
		k += (size_t)sprintf(line + k, "%cvalue\n", w->o.delim);
	}
	return emit(w, line, k);
}

static int csv_put(tsd_writer *w, const tsd_rec *r)
{
	tsd_csvenc e = { .delim = w->o.delim, .precision = w->o.precision, .tstyle = &w->o.style.tstyle };
	const char *nm;
	size_t nl, max;
	char *d;
	uint32_t s;
	int rc;

	if (r->kind == TSD_REC_CONTROL) {
		char line[TSD_CTL_LINE_MAX];
		int n = tsd_pos_format(line, sizeof line, &r->k);
		if (n < 0)
			return wfail(w, n, "a control record that has no text form (kind %d, topic of %u bytes)",
				     (int)r->k.what, (unsigned)r->k.topic_len);
		return emit(w, line, (size_t)n);
	}
	s = r->kind == TSD_REC_SAMPLE ? r->s.series : r->kind == TSD_REC_WINDOW ? r->w.series :
	    r->kind == TSD_REC_TIMES ? r->ts.series : r->kind == TSD_REC_COEF ? r->c.series : r->e.series;
	if ((rc = csv_header(w, r->kind, s)))
		return rc;
	nm = tsd_series_name(w->o.tab, s);
	nl = tsd_series_namelen(w->o.tab, s);
	max = TSD_CSV_LINE_MAX(nl);
	switch (r->kind) {
	case TSD_REC_SAMPLE:
		if (w->single && w->single != s + 1)
			return wfail(w, TSD_EUNSUP, "a second series ('%s') in single-series CSV output; use --shape long", nm);
		if (!(d = (char *)room(w, max)))
			return w->err;
		w->len += tsd_csv_sample_line(d, &e, w->single ? NULL : nm, nl, r->s.t, r->s.v);
		return 0;
	case TSD_REC_TIMES:
		for (uint32_t i = 0; i < r->ts.count; i++) {
			if (!(d = (char *)room(w, max)))
				return w->err;
			w->len += tsd_csv_times_line(d, &e, nm, nl, &r->ts, i);
		}
		return 0;
	case TSD_REC_COEF: {
		win_info *wi = winfo(w, s);
		if (!wi)
			return wfail(w, TSD_ENOMEM, "out of memory");
		for (uint32_t i = 0; i < r->c.count; i++) {
			if (!(d = (char *)room(w, max)))
				return w->err;
			w->len += tsd_csv_coef_line(d, &e, nm, nl, &r->c, i, wi);
		}
		return 0;
	}
	case TSD_REC_END:
		if (!(d = (char *)room(w, max)))
			return w->err;
		w->len += tsd_csv_end_line(d, &e, nm, nl, &r->e);
		return 0;
	case TSD_REC_WINDOW: {
		win_info *wi = winfo(w, s);
		if (!wi)
			return wfail(w, TSD_ENOMEM, "out of memory");
		tsd_coef_place_set(wi, &r->w);
		if (!(d = (char *)room(w, max)))
			return w->err;
		w->len += tsd_csv_window_line(d, &e, nm, nl, &r->w);
		return 0;
	}
	}
	return wfail(w, TSD_EINVAL, "unknown record kind %d", r->kind);
}

int tsd_writer_set_style(tsd_writer *w, const tsd_style *st)
{
	if (w->data)
		return TSD_EINVAL;
	w->o.style = *st;
	return 0;
}

/* A stream never carries an infinite value, nor a NaN coefficient (the
 * readers reject them): an overflow in a tool is an error, not a record.
 * A NaN sample is a gap marker (see stream.h). */
static int finite_values(tsd_writer *w, const tsd_rec *r)
{
	const double *v;
	uint32_t n, s, i;

	switch (r->kind) {
	case TSD_REC_SAMPLE: v = &r->s.v; n = 1; s = r->s.series; break;
	case TSD_REC_SAMPLES: v = r->r.v; n = r->r.count; s = r->r.series; break;
	case TSD_REC_COEF: v = r->c.v; n = r->c.count; s = r->c.series; break;
	default: return 0;
	}
	if (tsd_all_finite(v, n))
		return 0;
	for (i = 0; i < n; i++)
		if (!isfinite(v[i]) && (r->kind == TSD_REC_COEF || !isnan(v[i])))
			break;
	if (i == n)
		return 0;
	if (r->kind == TSD_REC_COEF)
		return wfail(w, TSD_ERANGE, "series '%s' window %lld: coefficient %llu is %s (the values are too large for double precision)",
			     tsd_series_name(w->o.tab, s), (long long)r->c.window,
			     (unsigned long long)r->c.start + i, isnan(v[i]) ? "nan" : "infinite");
	char tb[64];
	int64_t t = r->kind == TSD_REC_SAMPLE ? r->s.t : r->r.t ? r->r.t[i] : r->r.t0 + (int64_t)i * r->r.dt;
	tsd_time_format(tb, t, &w->o.style.tstyle);
	return wfail(w, TSD_ERANGE, "series '%s' at %s: result is %s (the values are too large for double precision)",
		     tsd_series_name(w->o.tab, s), tb, isnan(v[i]) ? "nan" : "infinite");
}

int tsd_writer_put(tsd_writer *w, const tsd_rec *r)
{
	int rc;

	if (w->err)
		return w->err;
	if ((rc = finite_values(w, r)))
		return rc;
	if (r->kind == TSD_REC_SAMPLES && w->o.format != TSD_FMT_BIN) {
		for (uint32_t i = 0; i < r->r.count; i++) {
			int64_t t = r->r.t ? r->r.t[i] : r->r.t0 + (int64_t)i * r->r.dt;
			rc = tsd_writer_sample(w, r->r.series, t, r->r.v[i]);
			if (rc)
				return rc;
		}
		return 0;
	}
	rc = w->o.format == TSD_FMT_BIN ? bin_put(w, r) : csv_put(w, r);
	if (r->kind != TSD_REC_CONTROL)
		w->data = 1;
	return rc;
}

int tsd_writer_sample(tsd_writer *w, uint32_t series, int64_t t, double v)
{
	tsd_rec r;

	r.kind = TSD_REC_SAMPLE;
	r.s.series = series;
	r.s.t = t;
	r.s.v = v;
	return tsd_writer_put(w, &r);
}

int tsd_writer_flush(tsd_writer *w)
{
	int rc;

	if (w->err)
		return w->err;
	if ((rc = flush_run(w)))
		return rc;
	return drain(w);
}

int tsd_writer_close(tsd_writer *w)
{
	int rc;

	if (!w)
		return 0;
	if (w->o.format == TSD_FMT_BIN && !w->started && !w->err) {
		/* an empty binary stream is still recognisable as one */
		unsigned char h[8];
		tsd_frame_stream_header(h);
		emit(w, h, sizeof h);
	}
	rc = tsd_writer_flush(w);
	free(w->buf);
	free(w->named);
	free(w->wi);
	free(w);
	return rc;
}
