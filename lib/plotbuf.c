/* plotbuf.c: M4 bucket rings behind live charts (see plotbuf.h). */
#include "plotbuf.h"
#include "series.h"
#include "tsd.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	int64_t t0, t1, tlo, thi; /* times of first, last, min, max */
	double v0, v1, vlo, vhi;
	uint32_t n;               /* samples, saturating; 0 = empty */
	int brk;                  /* a gap marker fell here, at time tb: the */
	int64_t tb;               /* line breaks there */
} bucket;

typedef struct {
	bucket *b;                /* (cap) ring (span) or array from lo (all) */
	int64_t head;             /* span mode: latest bucket index */
	int changed;
} series;

struct tsd_plotbuf {
	size_t columns, cap;      /* cap = columns + 1 buckets */
	int64_t span, bw;         /* ns; bw = bucket width */
	series *s;                /* (ns) */
	size_t ns;
	int64_t tmin, tmax;       /* times seen (kept samples) */
	int any;
	int64_t lo;               /* all mode: index of the first bucket */
	int64_t kmin, kmax;       /* all mode: bucket indices holding data */
	bucket *scratch;          /* all mode: (cap) for widening */
	size_t nalloc;            /* series with a ring */
};

static int64_t floordiv(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static size_t slot(const tsd_plotbuf *pb, int64_t k)
{
	if (pb->span) {
		int64_t m = k % (int64_t)pb->cap;
		return (size_t)(m < 0 ? m + (int64_t)pb->cap : m);
	}
	return (size_t)(k - pb->lo);
}

int tsd_plotbuf_new(tsd_plotbuf **out, size_t columns, int64_t span)
{
	tsd_plotbuf *pb;

	*out = NULL;
	if (columns < 1 || columns > TSD_PLOTBUF_COLUMNS_MAX || span < 0)
		return TSD_EINVAL;
	if (!(pb = calloc(1, sizeof *pb)))
		return TSD_ENOMEM;
	pb->columns = columns;
	pb->cap = columns + 1;
	pb->span = span;
	if (span) {
		pb->bw = span / (int64_t)columns + (span % (int64_t)columns != 0);
	} else {
		pb->bw = 1;
		if (!(pb->scratch = malloc(pb->cap * sizeof *pb->scratch))) {
			free(pb);
			return TSD_ENOMEM;
		}
	}
	*out = pb;
	return 0;
}

void tsd_plotbuf_free(tsd_plotbuf *pb)
{
	uint32_t i;

	if (!pb)
		return;
	for (i = 0; i < pb->ns; i++)
		free(pb->s[i].b);
	free(pb->s);
	free(pb->scratch);
	free(pb);
}

static void bucket_add(bucket *b, int64_t t, double v)
{
	if (!b->n) {
		b->t0 = b->t1 = b->tlo = b->thi = t;
		b->v0 = b->v1 = b->vlo = b->vhi = v;
		b->n = 1;
		return;
	}
	if (t < b->t0)
		b->t0 = t, b->v0 = v;
	if (t >= b->t1)
		b->t1 = t, b->v1 = v;
	if (v < b->vlo || (v == b->vlo && t < b->tlo))
		b->vlo = v, b->tlo = t;
	if (v > b->vhi || (v == b->vhi && t < b->thi))
		b->vhi = v, b->thi = t;
	if (b->n < UINT32_MAX)
		b->n++;
}

/* Merge b (later) into a (earlier). */
static void bucket_merge(bucket *a, const bucket *b)
{
	if (b->brk && !a->brk)
		a->brk = 1, a->tb = b->tb;
	if (!b->n)
		return;
	if (!a->n) {
		int brk = a->brk;
		int64_t tb = a->tb;
		*a = *b;
		a->brk = brk, a->tb = tb;
		return;
	}
	a->t1 = b->t1, a->v1 = b->v1;
	if (b->vlo < a->vlo)
		a->vlo = b->vlo, a->tlo = b->tlo;
	if (b->vhi > a->vhi)
		a->vhi = b->vhi, a->thi = b->thi;
	a->n = a->n > UINT32_MAX - b->n ? UINT32_MAX : a->n + b->n;
}

static int grow_series(tsd_plotbuf *pb, uint32_t id)
{
	if (id >= TSD_SERIES_MAX)
		return TSD_ERANGE;
	return tsd_grow(&pb->s, &pb->ns, (size_t)id + 1, sizeof *pb->s);
}

/* All mode: double the bucket width, merging pairs of buckets. */
static void widen(tsd_plotbuf *pb)
{
	int64_t nlo = floordiv(pb->lo, 2);
	uint32_t id;
	size_t i;

	for (id = 0; id < pb->ns; id++) {
		series *s = &pb->s[id];
		if (!s->b)
			continue;
		memset(pb->scratch, 0, pb->cap * sizeof *pb->scratch);
		for (i = 0; i < pb->cap; i++) {
			int64_t k = floordiv(pb->lo + (int64_t)i, 2);
			bucket_merge(&pb->scratch[k - nlo], &s->b[i]);
		}
		memcpy(s->b, pb->scratch, pb->cap * sizeof *s->b);
		s->changed = 1;
	}
	pb->lo = nlo;
	pb->kmin = floordiv(pb->kmin, 2);
	pb->kmax = floordiv(pb->kmax, 2);
	pb->bw *= 2;
}

/* All mode: move every array so that bucket nlo (< lo) comes first. */
static void shift(tsd_plotbuf *pb, int64_t nlo)
{
	size_t d = (size_t)(pb->lo - nlo);
	uint32_t id;

	for (id = 0; id < pb->ns; id++) {
		series *s = &pb->s[id];
		if (!s->b)
			continue;
		memmove(s->b + d, s->b, (pb->cap - d) * sizeof *s->b);
		memset(s->b, 0, d * sizeof *s->b);
	}
	pb->lo = nlo;
}

/* All mode: make bucket of time t fit; return its index. */
static int64_t fit_all(tsd_plotbuf *pb, int64_t t)
{
	int64_t k = floordiv(t, pb->bw);

	if (!pb->any) {
		pb->lo = pb->kmin = pb->kmax = k;
		return k;
	}
	for (;;) {
		int64_t a = k < pb->kmin ? k : pb->kmin, b = k > pb->kmax ? k : pb->kmax;
		if ((uint64_t)(b - a) < pb->cap)
			break;
		widen(pb);
		k = floordiv(t, pb->bw);
	}
	if (k < pb->lo)
		shift(pb, k);
	else if (k >= pb->lo + (int64_t)pb->cap)
		shift(pb, pb->kmin); /* never happens with lo == kmin, kept safe */
	if (k < pb->kmin)
		pb->kmin = k;
	if (k > pb->kmax)
		pb->kmax = k;
	return k;
}

/* Span mode: move the ring of s on to end at bucket k (> head), clearing
 * the buckets it moves over. */
static void advance(tsd_plotbuf *pb, series *s, int64_t k)
{
	uint64_t adv = (uint64_t)(k - s->head), i;

	if (adv > pb->cap)
		adv = pb->cap;
	for (i = 1; i <= adv; i++)
		memset(&s->b[slot(pb, s->head + (int64_t)i)], 0, sizeof *s->b);
	s->head = k;
}

int tsd_plotbuf_push(tsd_plotbuf *pb, uint32_t id, int64_t t, double v)
{
	series *s;
	int64_t k;
	int rc;

	if (isnan(v)) {
		/* a gap marker: the series' line breaks at t (nothing to break
		 * before its first sample) */
		if (id >= pb->ns || !pb->s[id].b || !pb->any)
			return 0;
		s = &pb->s[id];
		if (pb->span) {
			k = floordiv(t, pb->bw);
			if (k > s->head) {
				advance(pb, s, k);
			} else if (s->head - k >= (int64_t)pb->cap) {
				return 1;
			}
		} else {
			k = fit_all(pb, t);
		}
		bucket *b = &s->b[slot(pb, k)];
		b->brk = 1;
		b->tb = t;
		s->changed = 1;
		return 0;
	}
	if (!isfinite(v))
		return TSD_EINVAL;
	if (id >= pb->ns && (rc = grow_series(pb, id)) < 0)
		return rc;
	s = &pb->s[id];
	if (!s->b) {
		if (!(s->b = calloc(pb->cap, sizeof *s->b)))
			return TSD_ENOMEM;
		pb->nalloc++;
		s->head = INT64_MIN;
	}
	if (pb->span) {
		k = floordiv(t, pb->bw);
		if (s->head == INT64_MIN) {
			s->head = k;
		} else if (k > s->head) {
			advance(pb, s, k);
		} else if (s->head - k >= (int64_t)pb->cap) {
			return 1;
		}
	} else {
		k = fit_all(pb, t);
	}
	bucket_add(&s->b[slot(pb, k)], t, v);
	s->changed = 1;
	if (!pb->any || t > pb->tmax)
		pb->tmax = t;
	if (!pb->any || t < pb->tmin)
		pb->tmin = t;
	pb->any = 1;
	return 0;
}

int tsd_plotbuf_range(int64_t *t0, int64_t *t1, const tsd_plotbuf *pb)
{
	if (!pb->any)
		return TSD_ENOTFOUND;
	*t1 = pb->tmax;
	*t0 = pb->tmin;
	/* a rolling window starts at the first sample until it is full: no
	 * empty stretch before the data */
	if (pb->span && pb->tmax > INT64_MIN + pb->span && pb->tmax - pb->span > pb->tmin)
		*t0 = pb->tmax - pb->span;
	return 0;
}

size_t tsd_plotbuf_points_len(const tsd_plotbuf *pb)
{
	return 5 * pb->cap; /* M4's four and a break per bucket */
}

static size_t put(int64_t *t, double *v, size_t n, int64_t tt, double vv)
{
	if (n && t[n - 1] == tt && v[n - 1] == vv)
		return n;
	t[n] = tt;
	v[n] = vv;
	return n + 1;
}

long tsd_plotbuf_points(int64_t *t, double *v, const tsd_plotbuf *pb, uint32_t id,
			size_t cap)
{
	const series *s;
	int64_t k, kfirst, klast;
	size_t n = 0;

	if (cap < tsd_plotbuf_points_len(pb))
		return TSD_ESIZE;
	if (id >= pb->ns || !pb->s[id].b || !pb->any)
		return 0;
	s = &pb->s[id];
	if (pb->span) {
		int64_t gk = floordiv(pb->tmax, pb->bw);
		klast = s->head;
		kfirst = gk - (int64_t)pb->columns;
		if (kfirst < s->head - (int64_t)pb->cap + 1)
			kfirst = s->head - (int64_t)pb->cap + 1;
	} else {
		kfirst = pb->lo;
		klast = pb->lo + (int64_t)pb->cap - 1;
	}
	for (k = kfirst; k <= klast; k++) {
		const bucket *b = &s->b[slot(pb, k)];
		size_t n0 = n;
		if (b->brk && (!b->n || b->tb < b->t0)) {
			n = put(t, v, n, b->tb, NAN);
			n0 = n;
		}
		if (!b->n)
			continue;
		n = put(t, v, n, b->t0, b->v0);
		if (b->n > 1) {
			/* the extremes in time order, then the last sample */
			if (b->tlo <= b->thi) {
				n = put(t, v, n, b->tlo, b->vlo);
				n = put(t, v, n, b->thi, b->vhi);
			} else {
				n = put(t, v, n, b->thi, b->vhi);
				n = put(t, v, n, b->tlo, b->vlo);
			}
			n = put(t, v, n, b->t1, b->v1);
		}
		if (b->brk && b->tb >= b->t0 && n > n0) {
			/* the break goes after the bucket's points before it */
			size_t j = n;
			while (j > n0 && t[j - 1] > b->tb)
				j--;
			memmove(t + j + 1, t + j, (n - j) * sizeof *t);
			memmove(v + j + 1, v + j, (n - j) * sizeof *v);
			t[j] = b->tb;
			v[j] = NAN;
			n++;
		}
	}
	/* no break at either end */
	while (n && isnan(v[n - 1]))
		n--;
	if (n && isnan(v[0])) {
		memmove(t, t + 1, (n - 1) * sizeof *t);
		memmove(v, v + 1, (n - 1) * sizeof *v);
		n--;
	}
	return (long)n;
}

int tsd_plotbuf_changed(const tsd_plotbuf *pb, uint32_t id)
{
	return id < pb->ns && pb->s[id].changed;
}

void tsd_plotbuf_clear_changed(tsd_plotbuf *pb, uint32_t id)
{
	if (id < pb->ns)
		pb->s[id].changed = 0;
}

uint32_t tsd_plotbuf_nseries(const tsd_plotbuf *pb)
{
	uint32_t n = (uint32_t)pb->ns;

	while (n && !pb->s[n - 1].b)
		n--;
	return n;
}

size_t tsd_plotbuf_bytes(const tsd_plotbuf *pb)
{
	size_t b = sizeof *pb + (size_t)pb->ns * sizeof *pb->s;

	b += pb->nalloc * pb->cap * sizeof(bucket);
	if (pb->scratch)
		b += pb->cap * sizeof *pb->scratch;
	return b;
}

int64_t tsd_plotbuf_bucket_ns(const tsd_plotbuf *pb)
{
	return pb->bw;
}
