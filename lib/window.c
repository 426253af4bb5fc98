/* window.c: per-series window buffers. */
#include "window.h"
#include "tsd.h"

#include <stdlib.h>
#include <string.h>

#define GAP_RING 8        /* intervals kept per series for the median */
#define GAP_FACTOR 10     /* a gap: an interval this many times the median
                           * (and 3 times the longest of the ring) */
#define GAP_MIN_SEEN 4    /* intervals seen before gaps are looked for */

typedef struct {
	int64_t *t;
	double *v;
	size_t n, cap;
	int64_t index;       /* current window number */
	int open;
	int handed;          /* a window of this series has been handed out */
	/* gap detection, from the open window's own samples only, so that a
	 * restart at a window boundary decides the same */
	int have_last;       /* the open window has a sample ... */
	int64_t last_t;      /* ... and this is the time of its last one */
	int64_t ring[GAP_RING];
	unsigned nseen;      /* intervals seen (the ring holds the last GAP_RING) */
	int64_t thr;         /* the threshold from the ring's median ... */
	int stale;           /* ... unless the ring changed since */
} series_buf;

struct tsd_winbuf {
	size_t count, max;
	int64_t span;
	series_buf *s;       /* (ns) */
	size_t ns;
	int64_t *ot;         /* the window handed out */
	double *ov;
	size_t ocap;
	uint32_t flush_at;
	int64_t gap;         /* > 0 fixed threshold, 0 automatic, < 0 none */
};

void tsd_winbuf_set_gap(tsd_winbuf *wb, int64_t ns)
{
	wb->gap = ns;
}

static void sort64(int64_t *a, unsigned n)
{
	for (unsigned i = 1; i < n; i++) {
		int64_t x = a[i];
		unsigned j = i;
		for (; j > 0 && a[j - 1] > x; j--)
			a[j] = a[j - 1];
		a[j] = x;
	}
}

static void gap_threshold(series_buf *b)
{
	int64_t tmp[GAP_RING];
	unsigned n = b->nseen < GAP_RING ? b->nseen : GAP_RING;

	memcpy(tmp, b->ring, n * sizeof *tmp);
	sort64(tmp, n);
	/* 10 times the median, and 3 times the longest: irregular series (a
	 * reduced one, dense in places) have no gap at every longer step */
	int64_t med = tmp[n / 2], top = tmp[n - 1];
	b->thr = med > INT64_MAX / GAP_FACTOR ? INT64_MAX : (med < 1 ? 1 : med) * GAP_FACTOR;
	if (top < INT64_MAX / 3 && 3 * top > b->thr)
		b->thr = 3 * top;
}

/* t - last, saturated: two int64 times (ns) can be more than 2^63 apart
 * (1700 and 2250), and such an interval is simply longer than any other. */
static int64_t interval(int64_t t, int64_t last)
{
	int64_t iv;

	if (__builtin_sub_overflow(t, last, &iv))
		return t > last ? INT64_MAX : INT64_MIN;
	return iv;
}

/* Record the interval before a sample of b. The threshold is computed
 * again only when the ring's contents change: a regularly sampled series
 * (every interval the one it replaces) sorts nothing. */
static void note_interval(series_buf *b, int64_t iv)
{
	int64_t *slot = &b->ring[b->nseen % GAP_RING];

	if (b->nseen < GAP_RING || *slot != iv)
		b->stale = 1;
	*slot = iv;
	b->nseen++;
}

/* Whether a sample at time t of series b comes after a gap: an interval
 * over the threshold of the last GAP_RING intervals, always current. */
static int is_gap(const tsd_winbuf *wb, series_buf *b, int64_t t)
{
	if (!b->have_last || wb->gap < 0)
		return 0;
	int64_t iv = interval(t, b->last_t);
	if (wb->gap > 0)
		return iv > wb->gap;
	if (b->nseen < GAP_MIN_SEEN)
		return 0;
	if (b->stale) {
		gap_threshold(b);
		b->stale = 0;
	}
	return iv > b->thr;
}

/* Whether, once an interval d (> 0) is in b's ring, every further
 * interval d is certainly no gap: with a fixed threshold, d is under it;
 * with the automatic one, the threshold is at least 3 times the ring's
 * longest interval while every interval in the ring is under INT64_MAX / 3. */
static int no_gap_at(const tsd_winbuf *wb, const series_buf *b, uint64_t d)
{
	unsigned n = b->nseen < GAP_RING ? b->nseen : GAP_RING;

	if (wb->gap > 0)
		return d <= (uint64_t)wb->gap;
	if (d >= (uint64_t)INT64_MAX / 3)
		return 0;
	for (unsigned i = 0; i < n; i++)
		if (b->ring[i] >= INT64_MAX / 3)
			return 0;
	return 1;
}

int tsd_winbuf_new(tsd_winbuf **out, size_t count, int64_t span, size_t max)
{
	tsd_winbuf *wb;

	if ((count == 0) == (span == 0) || span < 0)
		return TSD_EINVAL;
	if (count && max < count)
		max = count;
	wb = calloc(1, sizeof *wb);
	if (!wb)
		return TSD_ENOMEM;
	wb->count = count;
	wb->span = span;
	wb->max = max ? max : TSD_WINDOW_MAX_DEFAULT;
	*out = wb;
	return 0;
}

void tsd_winbuf_free(tsd_winbuf *wb)
{
	size_t i;

	if (!wb)
		return;
	for (i = 0; i < wb->ns; i++) {
		free(wb->s[i].t);
		free(wb->s[i].v);
	}
	free(wb->s);
	free(wb->ot);
	free(wb->ov);
	free(wb);
}

static int reserve(int64_t **t, double **v, size_t *cap, size_t need)
{
	size_t nc = *cap ? *cap : 64;

	if (need <= *cap)
		return 0;
	while (nc < need)
		nc *= 2;
	int64_t *nt = realloc(*t, nc * sizeof *nt);
	if (!nt)
		return TSD_ENOMEM;
	*t = nt;
	double *nv = realloc(*v, nc * sizeof *nv);
	if (!nv)
		return TSD_ENOMEM;
	*v = nv;
	*cap = nc;
	return 0;
}

/* Move a series' buffer out as the finished window. */
static int hand_out(tsd_winbuf *wb, tsd_win *out, uint32_t series)
{
	series_buf *b = &wb->s[series];
	int64_t *t = wb->ot;
	double *v = wb->ov;
	size_t cap = wb->ocap;

	/* the buffers change hands, nothing is copied: the series fills the
	 * one the previous window was handed out in (valid until this call) */
	wb->ot = b->t, wb->ov = b->v, wb->ocap = b->cap;
	b->t = t, b->v = v, b->cap = cap;
	out->series = series;
	out->index = b->index;
	out->n = b->n;
	out->t = wb->ot;
	out->v = wb->ov;
	out->first = !b->handed;
	b->handed = 1;
	out->gap = 0;
	out->gap_to = 0;
	b->n = 0;
	b->open = 0;
	b->have_last = 0;
	return 1;
}

/* The sample at t of series b was taken. */
static void took(series_buf *b, int64_t t)
{
	if (b->have_last)
		note_interval(b, interval(t, b->last_t));
	b->last_t = t;
	b->have_last = 1;
}

/* A window opens with its first sample: its gap history starts afresh. */
static void opened(series_buf *b)
{
	b->have_last = 0;
	b->nseen = 0;
}

typedef long long v4l __attribute__((vector_size(32)));
typedef unsigned long long v4u __attribute__((vector_size(32)));

/* The end of the stretch from k (k >= 1, below e) where every interval is
 * d (0 < d) and times increase: four intervals a step while none differs */
TSD_HOT static size_t stride_end(const int64_t *t, size_t k, size_t e, uint64_t d)
{
	const v4l D = { (long long)d, (long long)d, (long long)d, (long long)d };
	v4l a, b;

	for (; k + 4 <= e; k += 4) {
		memcpy(&a, t + k, sizeof a);
		memcpy(&b, t + k - 1, sizeof b);
		v4l bad = (a <= b) | ((v4l)((v4u)a - (v4u)b) != D);
		if (bad[0] | bad[1] | bad[2] | bad[3])
			break;
	}
	while (k < e && t[k] > t[k - 1] && (uint64_t)t[k] - (uint64_t)t[k - 1] == d)
		k++;
	return k;
}

/* dst[i] = t0 + i * dt, i in [0, n), four at a time (the caller has
 * checked that the last one is in range) */
TSD_HOT static void fill_times(int64_t *dst, int64_t t0, int64_t dt, size_t n)
{
	const uint64_t s = (uint64_t)dt;
	v4u cur = { (uint64_t)t0, (uint64_t)t0 + s, (uint64_t)t0 + 2 * s, (uint64_t)t0 + 3 * s };
	const v4u step = { 4 * s, 4 * s, 4 * s, 4 * s };
	size_t i = 0;

	for (; i + 4 <= n; i += 4) {
		memcpy(dst + i, &cur, sizeof cur);
		cur += step;
	}
	for (; i < n; i++)
		dst[i] = (int64_t)((uint64_t)t0 + (uint64_t)i * s);
}

static int64_t floordiv(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int tsd_winbuf_push(tsd_winbuf *wb, tsd_win *out, uint32_t series, int64_t t, double v)
{
	series_buf *b;
	int ret = 0, rc;

	if (series >= wb->ns && (rc = tsd_grow(&wb->s, &wb->ns, (size_t)series + 1, sizeof *wb->s)) < 0)
		return rc;
	b = &wb->s[series];
	int gap = b->open && b->n && is_gap(wb, b, t);
	if (wb->span) {
		int64_t k = floordiv(t, wb->span);
		if (b->open && (k != b->index || gap)) {
			if ((ret = hand_out(wb, out, series)) < 0)
				return ret;
			out->gap = gap;
			out->gap_to = t;
		}
		if (!b->open) {
			b->index = k;
			b->open = 1;
		}
		if (b->n >= wb->max)
			return TSD_ERANGE;
	} else {
		if (gap) {
			/* the count window ends early, at the gap */
			if ((ret = hand_out(wb, out, series)) < 0)
				return ret;
			out->gap = 1;
			out->gap_to = t;
			b->index++;
		}
		if (!b->open)
			b->open = 1;
	}
	if ((rc = reserve(&b->t, &b->v, &b->cap, b->n + 1)))
		return rc;
	if (b->n == 0)
		opened(b);
	took(b, t);
	b->t[b->n] = t;
	b->v[b->n++] = v;
	if (wb->count && b->n == wb->count) {
		ret = hand_out(wb, out, series);
		b->index++;
	}
	return ret;
}

int tsd_winbuf_push_run(tsd_winbuf *wb, tsd_win *out, size_t *used, uint32_t series,
			const int64_t *t, int64_t t0, int64_t dt, const double *v, size_t n)
{
#define RUN_T(i) (t ? t[i] : t0 + (int64_t)(i) * dt)
	series_buf *b;
	size_t take, i;
	int rc;

	*used = 0;
	if (n == 0)
		return 0;
	/* the first sample takes the general path when it opens a window or,
	 * for time windows, closes the open one */
	if (series >= wb->ns || !wb->s[series].open ||
	    (wb->span && floordiv(RUN_T(0), wb->span) != wb->s[series].index) ||
	    is_gap(wb, &wb->s[series], RUN_T(0))) {
		rc = tsd_winbuf_push(wb, out, series, RUN_T(0), v[0]);
		*used = 1;
		if (rc != 0 || n == 1)
			return rc;
	}
	b = &wb->s[series];
	if (wb->span) {
		/* the rest of the run in the open window's time bucket */
		size_t j = *used;
		while (j < n && floordiv(RUN_T(j), wb->span) == b->index)
			j++;
		take = j - *used;
		if (b->n + take > wb->max)
			return TSD_ERANGE;
	} else {
		take = wb->count - b->n;
		if (take > n - *used)
			take = n - *used;
	}
	/* and up to the next gap: the sample after it takes the general path */
	if (wb->gap >= 0 && take) {
		size_t j = *used;
		if (!t) {
			/* evenly spaced: after the first, one interval stands for all */
			if (is_gap(wb, b, RUN_T(j))) {
				take = 0;
			} else {
				took(b, RUN_T(j));
				if (take > 1 && is_gap(wb, b, RUN_T(j) + dt)) {
					take = 1;
				} else if (take > 1) {
					for (i = 1; i < take && i <= GAP_RING; i++)
						note_interval(b, dt);
					b->last_t = RUN_T(j + take - 1);
				}
			}
		} else {
			size_t e = j + take;
			while (j < e) {
				if (is_gap(wb, b, t[j]))
					break;
				took(b, t[j]);
				j++;
				/* a regular stretch: once its interval d is in the
				 * ring, the samples that follow at d are no gap
				 * (no_gap_at); they are noted without a test each */
				if (j + 1 < e && t[j] > t[j - 1]) {
					uint64_t d = (uint64_t)t[j] - (uint64_t)t[j - 1];
					if (!no_gap_at(wb, b, d) || is_gap(wb, b, t[j]))
						continue;
					took(b, t[j]);
					size_t k = stride_end(t, ++j, e, d);
					size_t c = k - j;
					for (size_t q = 0; q < c && q < GAP_RING; q++)
						note_interval(b, (int64_t)d);
					if (c > GAP_RING)
						b->nseen += (unsigned)(c - GAP_RING);
					if (c)
						b->last_t = t[k - 1];
					j = k;
				}
			}
			take = j - *used;
		}
	}
	if ((rc = reserve(&b->t, &b->v, &b->cap, b->n + take)))
		return rc;
	if (t)
		memcpy(b->t + b->n, t + *used, take * sizeof *t);
	else
		fill_times(b->t + b->n, RUN_T(*used), dt, take);
	memcpy(b->v + b->n, v + *used, take * sizeof *v);
	b->n += take;
	*used += take;
	if (wb->count && b->n == wb->count) {
		rc = hand_out(wb, out, series);
		b->index++;
		return rc;
	}
	return 0;
#undef RUN_T
}

int tsd_winbuf_break(tsd_winbuf *wb, tsd_win *out, uint32_t series, int64_t t)
{
	series_buf *b;

	if (series >= wb->ns)
		return 0;
	b = &wb->s[series];
	if (b->open && b->n) {
		int rc = hand_out(wb, out, series);
		out->gap = 1;
		out->gap_to = t;
		if (rc > 0 && wb->count)
			b->index++;
		return rc;
	}
	return 0;
}

int tsd_winbuf_flush(tsd_winbuf *wb, tsd_win *out)
{
	while (wb->flush_at < wb->ns) {
		series_buf *b = &wb->s[wb->flush_at++];
		if (b->open && b->n) {
			int64_t idx = b->index;
			int rc = hand_out(wb, out, wb->flush_at - 1);
			if (wb->count)
				b->index = idx + 1;
			return rc;
		}
	}
	return 0;
}

size_t tsd_winbuf_drop(tsd_winbuf *wb, uint32_t series)
{
	size_t n;

	if (series >= wb->ns || !wb->s[series].open)
		return 0;
	n = wb->s[series].n;
	wb->s[series].n = 0;
	wb->s[series].open = 0;
	return n;
}

int tsd_window_parse(size_t *count, int64_t *span, const char *s)
{
	long n;

	*count = 0;
	*span = 0;
	if (tsd_parse_long(&n, s, 1, 1L << 30) == 0) {
		*count = (size_t)n;
		return 0;
	}
	/* a window span needs its unit: a bare 1.5, 1e3 or 0x10 is neither
	 * a count nor clearly seconds */
	size_t k = strlen(s);
	if (k && s[k - 1] >= 'a' && s[k - 1] <= 'z' && tsd_parse_duration(span, s) == 0 && *span > 0)
		return 0;
	*span = 0;
	return TSD_EINVAL;
}
