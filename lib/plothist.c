/* plothist.c: bounded per-series sample rings and M4 over any range (see
 * plothist.h). */
#include "plothist.h"
#include "series.h"
#include "tsd.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	int64_t *t;               /* (cap) ring of times */
	double *v;                /* (cap) ring of values */
	size_t cap, start, n;     /* ring: n samples from start */
} ring;

struct tsd_plothist {
	size_t cap;               /* samples kept per series at most */
	ring *r;                  /* (nr) */
	size_t nr;
	int any;
	size_t bytes;
};

int tsd_plothist_new(tsd_plothist **out, size_t cap)
{
	tsd_plothist *h;

	*out = NULL;
	if (cap < 2 || cap > ((size_t)1 << 40))
		return TSD_EINVAL;
	if (!(h = calloc(1, sizeof *h)))
		return TSD_ENOMEM;
	h->cap = cap;
	*out = h;
	return 0;
}

void tsd_plothist_free(tsd_plothist *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->nr; i++) {
		free(h->r[i].t);
		free(h->r[i].v);
	}
	free(h->r);
	free(h);
}

static int64_t tat(const ring *r, size_t i)
{
	size_t k = r->start + i;
	return r->t[k >= r->cap ? k - r->cap : k];
}

static double vat(const ring *r, size_t i)
{
	size_t k = r->start + i;
	return r->v[k >= r->cap ? k - r->cap : k];
}

/* Grow a ring (full, below the bound) to twice its size, unrolled. */
static int grow(tsd_plothist *h, ring *r)
{
	size_t nc = r->cap ? r->cap * 2 : 256;
	int64_t *nt;
	double *nv;

	if (nc > h->cap)
		nc = h->cap;
	if (!(nt = malloc(nc * sizeof *nt)))
		return TSD_ENOMEM;
	if (!(nv = malloc(nc * sizeof *nv))) {
		free(nt);
		return TSD_ENOMEM;
	}
	for (size_t i = 0; i < r->n; i++) {
		nt[i] = tat(r, i);
		nv[i] = vat(r, i);
	}
	free(r->t);
	free(r->v);
	h->bytes += (nc - r->cap) * (sizeof *nt + sizeof *nv);
	r->t = nt;
	r->v = nv;
	r->cap = nc;
	r->start = 0;
	return 0;
}

int tsd_plothist_push(tsd_plothist *h, uint32_t id, int64_t t, double v)
{
	ring *r;
	int rc;

	if (isinf(v))
		return TSD_EINVAL;
	if (id >= h->nr) {
		size_t was = h->nr;
		if (id >= TSD_SERIES_MAX)
			return TSD_ERANGE;
		if ((rc = tsd_grow(&h->r, &h->nr, (size_t)id + 1, sizeof *h->r)) < 0)
			return rc;
		h->bytes += (h->nr - was) * sizeof *h->r;
	}
	r = &h->r[id];
	if (r->n && t < tat(r, r->n - 1))
		return 1;
	if (r->n == r->cap) {
		if (r->cap < h->cap) {
			if ((rc = grow(h, r)) < 0)
				return rc;
		} else {
			/* full: the oldest makes room */
			r->start = r->start + 1 == r->cap ? 0 : r->start + 1;
			r->n--;
		}
	}
	size_t k = r->start + r->n;
	if (k >= r->cap)
		k -= r->cap;
	r->t[k] = t;
	r->v[k] = v;
	r->n++;
	h->any = 1;
	return 0;
}

size_t tsd_plothist_count(const tsd_plothist *h, uint32_t id)
{
	return id < h->nr ? h->r[id].n : 0;
}

int tsd_plothist_range(int64_t *t0, int64_t *t1, const tsd_plothist *h)
{
	int found = 0;

	for (size_t i = 0; i < h->nr; i++) {
		const ring *r = &h->r[i];
		if (!r->n)
			continue;
		int64_t a = tat(r, 0), b = tat(r, r->n - 1);
		if (!found || a < *t0)
			*t0 = a;
		if (!found || b > *t1)
			*t1 = b;
		found = 1;
	}
	return found ? 0 : TSD_ENOTFOUND;
}

/* First index with time >= t (n when none). */
static size_t lower(const ring *r, int64_t t)
{
	size_t lo = 0, hi = r->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (tat(r, mid) < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* First index with time > t. */
static size_t upper(const ring *r, int64_t t)
{
	size_t lo = 0, hi = r->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (tat(r, mid) <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

size_t tsd_plothist_count_in(const tsd_plothist *h, uint32_t id, int64_t t0, int64_t t1)
{
	if (id >= h->nr || t1 < t0)
		return 0;
	return upper(&h->r[id], t1) - lower(&h->r[id], t0);
}

size_t tsd_plothist_m4_len(size_t columns)
{
	return 4 * columns + 2;
}

static size_t put(int64_t *t, double *v, size_t n, int64_t tt, double vv)
{
	if (n && t[n - 1] == tt && v[n - 1] == vv)
		return n;
	t[n] = tt;
	v[n] = vv;
	return n + 1;
}

/* Smallest and largest value of ring indices [i, j) (j > i) and the first
 * index of each, scanning the (at most two) contiguous pieces. */
static void extremes(const ring *r, size_t i, size_t j, size_t *ilo, size_t *ihi)
{
	size_t lo = i, hi = i;
	double vlo = vat(r, i), vhi = vlo;

	while (i < j) {
		size_t k = r->start + i, end;
		if (k >= r->cap)
			k -= r->cap;
		end = k + (j - i);
		if (end > r->cap)
			end = r->cap;
		const double *v = r->v;
		for (size_t m = k; m < end; m++) {
			if (v[m] < vlo)
				vlo = v[m], lo = i + (m - k);
			if (v[m] > vhi)
				vhi = v[m], hi = i + (m - k);
		}
		i += end - k;
	}
	*ilo = lo;
	*ihi = hi;
}

long tsd_plothist_m4(int64_t *t, double *v, size_t cap, const tsd_plothist *h, uint32_t id,
		     int64_t t0, int64_t t1, size_t columns)
{
	const ring *r;
	size_t a, b, i, n = 0;
	double width;

	if (!columns || t1 <= t0)
		return TSD_EINVAL;
	if (cap < tsd_plothist_m4_len(columns))
		return TSD_ESIZE;
	if (id >= h->nr || !h->r[id].n)
		return 0;
	r = &h->r[id];
	a = lower(r, t0);
	b = upper(r, t1);
	if (a > 0)
		n = put(t, v, n, tat(r, a - 1), vat(r, a - 1));
	/* column c holds the times from t0 + c * width (width = (t1 - t0 +
	 * 1) / columns): the column of the next sample, then its end by
	 * binary search, then the extremes of that run of samples */
	width = ((double)t1 - (double)t0 + 1.0) / (double)columns;
	i = a;
	while (i < b) {
		if (isnan(vat(r, i))) {
			/* a gap marker: the line breaks here */
			if (!n || !isnan(v[n - 1]))
				t[n] = tat(r, i), v[n] = NAN, n++;
			i++;
			continue;
		}
		size_t col = (size_t)((double)(tat(r, i) - t0) / width), j, lo, hi;
		if (col >= columns)
			col = columns - 1;
		if (col + 1 >= columns) {
			j = b;
		} else {
			/* first sample of a later column: time >= t0 + (col+1) * width */
			double edge = (double)t0 + (double)(col + 1) * width;
			int64_t te = (int64_t)ceil(edge);
			size_t l = i + 1, u = b;
			while (l < u) {
				size_t m = l + (u - l) / 2;
				if (tat(r, m) < te)
					l = m + 1;
				else
					u = m;
			}
			j = l;
			/* the division above decides a sample's column: follow it
			 * where rounding puts a sample at the edge the other way */
			while (j < b && (size_t)((double)(tat(r, j) - t0) / width) <= col)
				j++;
			while (j > i + 1 && (size_t)((double)(tat(r, j - 1) - t0) / width) > col)
				j--;
		}
		/* a run ends at a gap marker */
		for (size_t k = i + 1; k < j; k++)
			if (isnan(vat(r, k))) {
				j = k;
				break;
			}
		extremes(r, i, j, &lo, &hi);
		n = put(t, v, n, tat(r, i), vat(r, i));
		if (lo <= hi) {
			n = put(t, v, n, tat(r, lo), vat(r, lo));
			n = put(t, v, n, tat(r, hi), vat(r, hi));
		} else {
			n = put(t, v, n, tat(r, hi), vat(r, hi));
			n = put(t, v, n, tat(r, lo), vat(r, lo));
		}
		n = put(t, v, n, tat(r, j - 1), vat(r, j - 1));
		i = j;
	}
	if (b < r->n)
		n = put(t, v, n, tat(r, b), vat(r, b));
	return (long)n;
}

uint32_t tsd_plothist_nseries(const tsd_plothist *h)
{
	uint32_t n = h->nr;

	while (n && !h->r[n - 1].n)
		n--;
	return n;
}

size_t tsd_plothist_bytes(const tsd_plothist *h)
{
	return sizeof *h + h->bytes;
}
