/* downsample.c: point-selecting downsamplers (nth, MinMax, M4, LTTB,
 * MinMaxLTTB, swinging door, deadband) and the bisection that turns a
 * target count into a deviation. See downsample.h for the contracts.
 */
#include "downsample.h"
#include "tsd.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* Append index i to idx (or only count when idx is NULL). The callers
 * check the capacity beforehand unless they say otherwise. */
static inline void put(size_t *idx, size_t *cnt, size_t i)
{
	if (idx)
		idx[*cnt] = i;
	(*cnt)++;
}

static int check_out(const size_t *idx, size_t idx_cap, size_t need)
{
	if (!idx)
		return idx_cap ? TSD_EINVAL : 0;
	return idx_cap < need ? TSD_ESIZE : 0;
}

static ptrdiff_t all_points(size_t *idx, size_t n)
{
	size_t i;

	if (idx)
		for (i = 0; i < n; i++)
			idx[i] = i;
	return (ptrdiff_t)n;
}

/* Start of bucket b of nb equal-count buckets over [0, m). */
static inline size_t bucket_start(size_t b, size_t m, size_t nb)
{
	return (size_t)((unsigned __int128)b * m / nb);
}

/* ---- nth ---------------------------------------------------------------- */

size_t tsd_ds_nth_length(size_t n, size_t k)
{
	if (!n || !k)
		return 0;
	return (n - 1) / k + 1 + ((n - 1) % k != 0);
}

ptrdiff_t tsd_ds_nth(size_t *idx, size_t idx_cap, size_t n, size_t k)
{
	size_t i, cnt = 0;
	int err;

	if (!k || n > PTRDIFF_MAX)
		return TSD_EINVAL;
	if ((err = check_out(idx, idx_cap, tsd_ds_nth_length(n, k))))
		return err;
	for (i = 0; i < n; i += k) {
		put(idx, &cnt, i);
		if (n - 1 - i < k)
			break;
	}
	if (n && (n - 1) % k)
		put(idx, &cnt, n - 1);
	return (ptrdiff_t)cnt;
}

size_t tsd_ds_nth_stride(size_t n, size_t n_out)
{
	size_t k;

	if (n <= n_out || n < 2)
		return 1;
	if (n_out < 2)
		return n;
	k = (n - 1) / (n_out - 1) + ((n - 1) % (n_out - 1) != 0);
	while (tsd_ds_nth_length(n, k) > n_out)
		k++;
	return k;
}

/* ---- argmin/argmax of a range ------------------------------------------ */

/*
 * First index of the min and of the max of v[a..b), b > a. Branch-light:
 * blocks of BLK values are reduced to their min and max with SIMD min/max
 * (no index bookkeeping in the hot loop); a block that strictly improves
 * the running min (max) is remembered, so the earliest block holding the
 * extreme wins; at the end that one block is scanned for the first hit.
 */
enum { BLK = 64 };

static size_t first_equal(const double *v, size_t a, size_t len, double x)
{
	size_t i;

	for (i = a; i < a + len; i++)
		if (v[i] == x)
			return i;
	return a; /* only with NaN */
}

static void block_minmax(double *mn, double *mx, const double *p)
{
#if defined(__SSE2__)
	__m128d n0 = _mm_loadu_pd(p), n1 = _mm_loadu_pd(p + 2);
	__m128d n2 = _mm_loadu_pd(p + 4), n3 = _mm_loadu_pd(p + 6);
	__m128d x0 = n0, x1 = n1, x2 = n2, x3 = n3;
	double lo[2], hi[2];
	int j;

	for (j = 8; j < BLK; j += 8) {
		__m128d a = _mm_loadu_pd(p + j), b = _mm_loadu_pd(p + j + 2);
		__m128d c = _mm_loadu_pd(p + j + 4), d = _mm_loadu_pd(p + j + 6);
		n0 = _mm_min_pd(a, n0); x0 = _mm_max_pd(a, x0);
		n1 = _mm_min_pd(b, n1); x1 = _mm_max_pd(b, x1);
		n2 = _mm_min_pd(c, n2); x2 = _mm_max_pd(c, x2);
		n3 = _mm_min_pd(d, n3); x3 = _mm_max_pd(d, x3);
	}
	n0 = _mm_min_pd(_mm_min_pd(n0, n1), _mm_min_pd(n2, n3));
	x0 = _mm_max_pd(_mm_max_pd(x0, x1), _mm_max_pd(x2, x3));
	_mm_storeu_pd(lo, n0);
	_mm_storeu_pd(hi, x0);
	*mn = lo[1] < lo[0] ? lo[1] : lo[0];
	*mx = hi[1] > hi[0] ? hi[1] : hi[0];
#else
	double l[8], h[8];
	int j, k;

	for (k = 0; k < 8; k++)
		l[k] = h[k] = p[k];
	for (j = 8; j < BLK; j += 8)
		for (k = 0; k < 8; k++) {
			l[k] = p[j + k] < l[k] ? p[j + k] : l[k];
			h[k] = p[j + k] > h[k] ? p[j + k] : h[k];
		}
	for (k = 1; k < 8; k++) {
		l[0] = l[k] < l[0] ? l[k] : l[0];
		h[0] = h[k] > h[0] ? h[k] : h[0];
	}
	*mn = l[0];
	*mx = h[0];
#endif
}

static void argminmax(size_t *imin, size_t *imax, const double *v, size_t a,
		      size_t b)
{
	double bmn = v[a], bmx = v[a], m, M;
	size_t kmn = a, kmx = a, lmn = 1, lmx = 1, i;

	for (i = a; b - i >= BLK; i += BLK) {
		block_minmax(&m, &M, v + i);
		if (m < bmn) {
			bmn = m;
			kmn = i;
			lmn = BLK;
		}
		if (M > bmx) {
			bmx = M;
			kmx = i;
			lmx = BLK;
		}
	}
	for (; i < b; i++) {
		if (v[i] < bmn) {
			bmn = v[i];
			kmn = i;
			lmn = 1;
		}
		if (v[i] > bmx) {
			bmx = v[i];
			kmx = i;
			lmx = 1;
		}
	}
	*imin = first_equal(v, kmn, lmn, bmn);
	*imax = first_equal(v, kmx, lmx, bmx);
}

/* ---- MinMax ------------------------------------------------------------- */

size_t tsd_ds_minmax_length(size_t n, size_t n_out)
{
	return n <= n_out ? n : n_out;
}

ptrdiff_t tsd_ds_minmax(size_t *idx, size_t idx_cap, const double *v, size_t n,
			size_t n_out)
{
	size_t nb, m, b, cnt = 0;
	int err;

	if ((n && !v) || !n_out || n > PTRDIFF_MAX)
		return TSD_EINVAL;
	if ((err = check_out(idx, idx_cap, tsd_ds_minmax_length(n, n_out))))
		return err;
	if (n <= n_out)
		return all_points(idx, n);
	if (n_out % 2)
		return TSD_EINVAL;
	if (!idx)
		return (ptrdiff_t)n_out;
	nb = (n_out - 2) / 2;
	m = n - 2;
	put(idx, &cnt, 0);
	for (b = 0; b < nb; b++) {
		size_t s = 1 + bucket_start(b, m, nb);
		size_t e = 1 + bucket_start(b + 1, m, nb);
		size_t lo, hi;

		/* e - s >= 2 since m > 2 * nb */
		argminmax(&lo, &hi, v, s, e);
		if (lo > hi) {
			size_t tmp = lo;
			lo = hi;
			hi = tmp;
		} else if (lo == hi) { /* constant bucket */
			lo = s;
			hi = e - 1;
		}
		put(idx, &cnt, lo);
		put(idx, &cnt, hi);
	}
	put(idx, &cnt, n - 1);
	return (ptrdiff_t)cnt;
}

/* ---- M4 ----------------------------------------------------------------- */

size_t tsd_ds_m4_length(size_t n, size_t n_out)
{
	return n <= n_out ? n : n_out;
}

ptrdiff_t tsd_ds_m4(size_t *idx, size_t idx_cap, const double *v, size_t n,
		    size_t n_out)
{
	size_t nb, b, cnt = 0;
	size_t dummy[4];
	int err;

	if ((n && !v) || !n_out || n > PTRDIFF_MAX)
		return TSD_EINVAL;
	if ((err = check_out(idx, idx_cap, tsd_ds_m4_length(n, n_out))))
		return err;
	if (n <= n_out)
		return all_points(idx, n);
	if (n_out % 4)
		return TSD_EINVAL;
	nb = n_out / 4;
	for (b = 0; b < nb; b++) {
		size_t f = bucket_start(b, n, nb);
		size_t l = bucket_start(b + 1, n, nb) - 1;
		size_t lo, hi, *o = idx ? idx : dummy;
		size_t c = idx ? cnt : 0;

		/* l - f >= 3 since n > 4 * nb */
		argminmax(&lo, &hi, v, f, l + 1);
		if (lo > hi) {
			size_t tmp = lo;
			lo = hi;
			hi = tmp;
		}
		put(o, &c, f);
		if (lo != f && lo != l)
			put(o, &c, lo);
		if (hi != lo && hi != f && hi != l)
			put(o, &c, hi);
		put(o, &c, l);
		cnt = idx ? c : cnt + c;
	}
	return (ptrdiff_t)cnt;
}

/* ---- LTTB --------------------------------------------------------------- */

size_t tsd_ds_lttb_length(size_t n, size_t n_out)
{
	return n <= n_out ? n : n_out;
}

/*
 * The arithmetic follows Steinarsson's reference statement by statement
 * (bucket bounds as floor of a double product, sums in index order,
 * area = |(ax - cx)(by - ay) - (ax - bx)(cy - ay)| / 2) so that the
 * choice agrees point for point with other faithful implementations.
 * Fused multiply-add would change the last bits and can flip near-ties:
 * the products are separate statements (enough for clang's
 * -ffp-contract=on) and GCC is told not to contract.
 */
#if defined(__GNUC__) && !defined(__clang__)
#define NO_CONTRACT __attribute__((optimize("fp-contract=off")))
#else
#define NO_CONTRACT
#endif

static inline size_t lttb_bound(size_t b, double every)
{
	return (size_t)floor((double)b * every) + 1;
}

static inline size_t min_size(size_t a, size_t b)
{
	return a < b ? a : b;
}

/* One candidate: the doubled-and-halved area as in the reference. */
NO_CONTRACT
static inline void lttb_try(double *best, size_t *best_j, size_t j, double xj,
			    double yj, double ax, double ay, double dx,
			    double dy)
{
	double t1 = dx * (yj - ay);	/* (ax - cx) * (by - ay) */
	double t2 = (ax - xj) * dy;	/* (ax - bx) * (cy - ay) */
	double area = fabs(t1 - t2) * 0.5;

	if (area > *best) {
		*best = area;
		*best_j = j;
	}
}

/*
 * Bucket b is scanned for the largest triangle while the sums for the
 * third vertex of bucket b+1 (the mean of bucket b+2) are accumulated in
 * the same loop: the running sum is a chain of dependent additions that
 * the area work hides. The sums keep the reference's index order.
 */
NO_CONTRACT
static void lttb_core(size_t *idx, const double *x, const double *v, size_t n,
		      size_t n_out)
{
	double every = (double)(n - 2) / (double)(n_out - 2);
	size_t nb = n_out - 2, a = 0, b, k;
	size_t cs = lttb_bound(1, every), ce = min_size(lttb_bound(2, every), n);
	double sx = 0, sy = 0;

	for (k = cs; k < ce; k++) {
		if (x)
			sx += x[k];
		sy += v[k];
	}
	idx[0] = 0;
	for (b = 0; b < nb; b++) {
		size_t s = lttb_bound(b, every), e = cs;
		size_t ns = 0, ne = 0, best_j, la, ls, common;
		double cx, cy, ax, ay, dx, dy, best = -1, tx = 0, ty = 0;

		best_j = s;
		if (b + 1 < nb) {
			ns = lttb_bound(b + 2, every);
			ne = min_size(lttb_bound(b + 3, every), n);
		}
		if (x) {
			cx = sx;
			ax = x[a];
		} else {
			/* the sum of cs..ce-1, exact as the reference's
			 * running sum is below 2^53 */
			cx = (double)((unsigned __int128)(cs + ce - 1) *
				      (ce - cs) / 2);
			ax = (double)a;
		}
		cx /= (double)(ce - cs);
		cy = sy / (double)(ce - cs);
		ay = v[a];
		dx = ax - cx;
		dy = cy - ay;
		la = e - s;
		ls = ne - ns;
		common = min_size(la, ls);
		if (x) {
			for (k = 0; k < common; k++) {
				lttb_try(&best, &best_j, s + k, x[s + k],
					 v[s + k], ax, ay, dx, dy);
				tx += x[ns + k];
				ty += v[ns + k];
			}
			for (; k < la; k++)
				lttb_try(&best, &best_j, s + k, x[s + k],
					 v[s + k], ax, ay, dx, dy);
			for (k = common; k < ls; k++) {
				tx += x[ns + k];
				ty += v[ns + k];
			}
		} else {
			for (k = 0; k < common; k++) {
				lttb_try(&best, &best_j, s + k,
					 (double)(s + k), v[s + k], ax, ay,
					 dx, dy);
				ty += v[ns + k];
			}
			for (; k < la; k++)
				lttb_try(&best, &best_j, s + k,
					 (double)(s + k), v[s + k], ax, ay,
					 dx, dy);
			for (k = common; k < ls; k++)
				ty += v[ns + k];
		}
		idx[b + 1] = best_j;
		a = best_j;
		cs = ns;
		ce = ne;
		sx = tx;
		sy = ty;
	}
	idx[nb + 1] = n - 1;
}

ptrdiff_t tsd_ds_lttb(size_t *idx, size_t idx_cap, const double *x,
		      const double *v, size_t n, size_t n_out)
{
	int err;

	if ((n && !v) || !n_out || n > PTRDIFF_MAX)
		return TSD_EINVAL;
	if ((err = check_out(idx, idx_cap, tsd_ds_lttb_length(n, n_out))))
		return err;
	if (n <= n_out)
		return all_points(idx, n);
	if (n_out < 2)
		return TSD_EINVAL;
	if (!idx)
		return (ptrdiff_t)n_out;
	if (n_out == 2) {
		idx[0] = 0;
		idx[1] = n - 1;
		return 2;
	}
	lttb_core(idx, x, v, n, n_out);
	return (ptrdiff_t)n_out;
}

/* ---- MinMaxLTTB --------------------------------------------------------- */

size_t tsd_ds_minmaxlttb_length(size_t n, size_t n_out)
{
	return n <= n_out ? n : n_out;
}

ptrdiff_t tsd_ds_minmaxlttb(size_t *idx, size_t idx_cap, const double *x,
			    const double *v, size_t n, size_t n_out,
			    unsigned ratio)
{
	size_t m, k, cnt, bytes;
	size_t *sel = NULL;
	double *xs = NULL, *vs = NULL;
	ptrdiff_t r;
	int err;

	if (!ratio)
		ratio = TSD_DS_MINMAXLTTB_RATIO;
	if ((n && !v) || !n_out || ratio < 2 || n > PTRDIFF_MAX)
		return TSD_EINVAL;
	if ((err = check_out(idx, idx_cap, tsd_ds_minmaxlttb_length(n, n_out))))
		return err;
	if (n <= n_out)
		return all_points(idx, n);
	if (n_out < 2)
		return TSD_EINVAL;
	if (n / n_out <= ratio)
		return tsd_ds_lttb(idx, idx_cap, x, v, n, n_out);
	if (!idx)
		return (ptrdiff_t)n_out;
	/* n / n_out > ratio, so ratio * n_out + 2 < n: no overflow */
	m = ((size_t)ratio * n_out & ~(size_t)1) + 2;
	if (tsd_mul_size(&bytes, m, sizeof(double)))
		return TSD_ERANGE;
	sel = malloc(m * sizeof(*sel));
	xs = malloc(bytes);
	vs = malloc(bytes);
	if (!sel || !xs || !vs) {
		r = TSD_ENOMEM;
		goto cleanup;
	}
	r = tsd_ds_minmax(sel, m, v, n, m);
	if (r < 0)
		goto cleanup;
	cnt = (size_t)r;
	for (k = 0; k < cnt; k++) {
		xs[k] = x ? x[sel[k]] : (double)sel[k];
		vs[k] = v[sel[k]];
	}
	r = tsd_ds_lttb(idx, idx_cap, xs, vs, cnt, n_out);
	if (r < 0)
		goto cleanup;
	for (k = 0; k < (size_t)r; k++)
		idx[k] = sel[idx[k]];
cleanup:
	free(sel);
	free(xs);
	free(vs);
	return r;
}

/* ---- PI archive filters ------------------------------------------------- */

/* Ties: a difference equal to the deviation in exact arithmetic may come
 * out a few ulps above it in floating point (0.068 - 0.066 > 0.002), and
 * the rule would keep a point it drops. Differences are compared with
 * this slack: 8 ulps of the largest magnitude taking part. */
static inline double tie_slack(double a, double b, double dev)
{
	return 8 * DBL_EPSILON * (fabs(a) + fabs(b) + dev);
}

static int arch_check(const int64_t *t, const double *v, size_t n,
		      const struct tsd_ds_arch *opt)
{
	if (!opt || !(opt->dev >= 0) || opt->tmin < 0 || opt->tmax < 0)
		return TSD_EINVAL;
	if (opt->tmax && opt->tmin > opt->tmax)
		return TSD_EINVAL;
	if ((n && !v) || n > PTRDIFF_MAX)
		return TSD_EINVAL;
	(void)t;
	return 0;
}

static inline int64_t tat(const int64_t *t, size_t i)
{
	return t ? t[i] : (int64_t)i;
}

/* t[j] - t[a] for t[j] >= t[a], in unsigned arithmetic: exact for any two
 * int64 times (two samples from 1700 and 2250 are more than 2^63 ns
 * apart, which int64 cannot hold but uint64 can). Durations and slopes
 * are taken from the last archived point, never from absolute times. */
static inline uint64_t tdist(const int64_t *t, size_t a, size_t j)
{
	return (uint64_t)tat(t, j) - (uint64_t)tat(t, a);
}

/* Append with a capacity check: the archive filters learn their count
 * as they go. */
static inline int put_cap(size_t *idx, size_t cap, size_t *cnt, size_t i)
{
	if (idx) {
		if (*cnt >= cap)
			return TSD_ESIZE;
		idx[*cnt] = i;
	}
	(*cnt)++;
	return 0;
}

size_t tsd_ds_sdt_length(size_t n)
{
	return n;
}

/*
 * State: the last archived point a; over the points strictly between a
 * and the new one i, the feasible slopes [lo, hi] of a line from a that
 * stays within dev of each (lo is the steepest upper-door slope
 * (v_j - v_a - dev) / dt_j, hi the shallowest lower-door slope).
 * The new point passes when its own slope from a lies in [lo, hi]; when
 * it fails, the held point i-1 (which passed) is archived and the doors
 * restart from it.
 */
ptrdiff_t tsd_ds_sdt(size_t *idx, size_t idx_cap, const int64_t *t,
		     const double *v, size_t n, const struct tsd_ds_arch *opt)
{
	size_t a = 0, i, cnt = 0;
	double va, lo = -INFINITY, hi = INFINITY, dev;
	int err;

	if ((err = arch_check(t, v, n, opt)))
		return err;
	if (!idx && idx_cap)
		return TSD_EINVAL;
	if (!n)
		return 0;
	dev = opt->dev;
	if ((err = put_cap(idx, idx_cap, &cnt, 0)))
		return err;
	va = v[0];
	for (i = 1; i < n; i++) {
		size_t s = i - 1;
		uint64_t dti;
		double dt;

		if (tat(t, i) <= tat(t, s))
			return TSD_EORDER;
		dti = tdist(t, a, i);
		if (s > a) {
			double slope = (v[i] - va) / (double)dti;
			int pass = slope >= lo && slope <= hi;
			int late = opt->tmax && dti > (uint64_t)opt->tmax;

			if ((!pass || late) && tdist(t, a, s) >= (uint64_t)opt->tmin) {
				if ((err = put_cap(idx, idx_cap, &cnt, s)))
					return err;
				a = s;
				va = v[s];
				dti = tdist(t, a, i);
				lo = -INFINITY;
				hi = INFINITY;
			}
		}
		if (i == n - 1)
			break;
		dt = (double)dti;
		double sl = tie_slack(v[i], va, dev);
		lo = fmax(lo, (v[i] - va - dev - sl) / dt);
		hi = fmin(hi, (v[i] - va + dev + sl) / dt);
	}
	if (n > 1 && (err = put_cap(idx, idx_cap, &cnt, n - 1)))
		return err;
	return (ptrdiff_t)cnt;
}

size_t tsd_ds_deadband_length(size_t n)
{
	return n;
}

ptrdiff_t tsd_ds_deadband(size_t *idx, size_t idx_cap, const int64_t *t,
			  const double *v, size_t n,
			  const struct tsd_ds_arch *opt)
{
	size_t a = 0, i, cnt = 0;
	double va;
	int err;

	if ((err = arch_check(t, v, n, opt)))
		return err;
	if (!idx && idx_cap)
		return TSD_EINVAL;
	if (!n)
		return 0;
	if ((err = put_cap(idx, idx_cap, &cnt, 0)))
		return err;
	va = v[0];
	for (i = 1; i < n; i++) {
		size_t s = i - 1;

		if (tat(t, i) <= tat(t, s))
			return TSD_EORDER;
		if (opt->tmax && tdist(t, a, i) > (uint64_t)opt->tmax && s > a) {
			if ((err = put_cap(idx, idx_cap, &cnt, s)))
				return err;
			a = s;
			va = v[s];
		}
		if (fabs(v[i] - va) > opt->dev + tie_slack(v[i], va, opt->dev)) {
			if (s > a && (err = put_cap(idx, idx_cap, &cnt, s)))
				return err;
			if ((err = put_cap(idx, idx_cap, &cnt, i)))
				return err;
			a = i;
			va = v[i];
		}
	}
	if (a != n - 1 && (err = put_cap(idx, idx_cap, &cnt, n - 1)))
		return err;
	return (ptrdiff_t)cnt;
}

/* ---- target count to deviation ------------------------------------------ */

typedef ptrdiff_t (*arch_fn)(size_t *, size_t, const int64_t *,
			     const double *, size_t,
			     const struct tsd_ds_arch *);

/* The search. The count is not monotone in the deviation (a larger band
 * can restart from a different archived point and keep more: deadband on
 * a pump current kept 35 points at 0.70, 25 at 0.80 and 44 at 0.796), so
 * plain bisection can stop at a jump from far above the target to far
 * below it. Instead: counts on a geometric grid of deviations (4 a
 * factor of 2, from range / 2^16 to the range), then bisection inside
 * every grid step whose count crosses the target from above, keeping of
 * all deviations tried the one with the most points not above the target
 * (of equal counts, the smallest deviation). */
#define FIT_GRID 64     /* grid steps: range * 2^(-16 .. 0) */
#define FIT_CROSS 16    /* crossings refined at most */
#define FIT_BISECT 48   /* halvings per crossing */

struct fit_state {
	arch_fn fn;
	struct tsd_ds_arch o;
	const int64_t *t;
	const double *v;
	size_t n, n_out;
	double best_dev;
	ptrdiff_t best_c;
};

/* Count at dev and remember it when it is the best so far. */
static ptrdiff_t fit_try(struct fit_state *f, double dev)
{
	ptrdiff_t c;

	f->o.dev = dev;
	c = f->fn(NULL, 0, f->t, f->v, f->n, &f->o);
	if (c >= 0 && (size_t)c <= f->n_out &&
	    (c > f->best_c || (c == f->best_c && dev < f->best_dev)))
		f->best_c = c, f->best_dev = dev;
	return c;
}

static ptrdiff_t arch_fit(arch_fn fn, struct tsd_ds_arch *opt,
			  const int64_t *t, const double *v, size_t n,
			  size_t n_out)
{
	struct fit_state f;
	double range, vmin, vmax, pdev;
	ptrdiff_t c, pc;
	size_t i;
	int k, crossings = 0;

	if (!opt || (n && !v) || !n_out)
		return TSD_EINVAL;
	f.fn = fn;
	f.o = *opt;
	f.t = t;
	f.v = v;
	f.n = n;
	f.n_out = n_out;
	f.best_c = -1;
	f.best_dev = 0;
	c = fit_try(&f, 0);
	if (c < 0 || (size_t)c <= n_out) {
		if (c >= 0)
			opt->dev = 0;
		return c;
	}
	vmin = vmax = v[0];
	for (i = 1; i < n; i++) {
		vmin = v[i] < vmin ? v[i] : vmin;
		vmax = v[i] > vmax ? v[i] : vmax;
	}
	range = vmax - vmin;
	if ((c = fit_try(&f, range)) < 0)
		return c;
	if ((size_t)c > n_out) {
		opt->dev = range;
		return TSD_ERANGE;
	}
	pdev = 0;
	pc = (ptrdiff_t)n + 1; /* dev 0 kept more than n_out */
	for (k = 0; k <= FIT_GRID && (size_t)f.best_c != n_out; k++) {
		double dev = k == FIT_GRID ? range : range * exp2(-16.0 + 16.0 * k / FIT_GRID);
		if ((c = fit_try(&f, dev)) < 0)
			return c;
		if ((size_t)pc > n_out && (size_t)c <= n_out && crossings++ < FIT_CROSS) {
			/* bisect (pdev, dev]: above the target at lo, not above at hi */
			double lo = pdev, hi = dev;
			for (int it = 0; it < FIT_BISECT && (size_t)f.best_c != n_out; it++) {
				double mid = lo + (hi - lo) / 2;
				ptrdiff_t cm;
				if (!(mid > lo && mid < hi))
					break;
				if ((cm = fit_try(&f, mid)) < 0)
					return cm;
				if ((size_t)cm <= n_out)
					hi = mid;
				else
					lo = mid;
			}
		}
		pdev = dev;
		pc = c;
	}
	opt->dev = f.best_dev;
	return f.best_c;
}

ptrdiff_t tsd_ds_sdt_fit(struct tsd_ds_arch *opt, const int64_t *t,
			 const double *v, size_t n, size_t n_out)
{
	return arch_fit(tsd_ds_sdt, opt, t, v, n, n_out);
}

ptrdiff_t tsd_ds_deadband_fit(struct tsd_ds_arch *opt, const int64_t *t,
			      const double *v, size_t n, size_t n_out)
{
	return arch_fit(tsd_ds_deadband, opt, t, v, n, n_out);
}

/* ---- topping up to a count ---------------------------------------------- */

/* The sample strictly inside (idx a, idx b) farthest from the line
 * between them, and its distance (-1 when there is none). */
static double seg_far(size_t *best, const int64_t *t, const double *v, size_t a, size_t b)
{
	double d = -1, span = (double)tdist(t, a, b);

	*best = SIZE_MAX;
	for (size_t i = a + 1; i < b; i++) {
		double line = v[a] + (v[b] - v[a]) * ((double)tdist(t, a, i) / span);
		double e = fabs(v[i] - line);
		if (e > d)
			d = e, *best = i;
	}
	return d;
}

ptrdiff_t tsd_ds_topup(size_t *idx, size_t cnt, size_t cap, const int64_t *t, const double *v,
		       size_t n, size_t n_out)
{
	double *dev = NULL;
	size_t *far = NULL, j;

	if (!idx || !v || cnt > n || cnt > cap)
		return TSD_EINVAL;
	if (n_out > n)
		n_out = n;
	if (n_out > cap)
		return TSD_ESIZE;
	if (cnt < 2 || cnt >= n_out)
		return (ptrdiff_t)cnt;
	dev = malloc(n_out * sizeof *dev);
	far = malloc(n_out * sizeof *far);
	if (!dev || !far) {
		free(dev);
		free(far);
		return TSD_ENOMEM;
	}
	for (j = 0; j + 1 < cnt; j++)
		dev[j] = seg_far(&far[j], t, v, idx[j], idx[j + 1]);
	while (cnt < n_out) {
		size_t bj = 0, p;
		for (j = 1; j + 1 < cnt; j++)
			if (dev[j] > dev[bj])
				bj = j;
		if (dev[bj] < 0)
			break; /* every sample between the ends is kept */
		p = far[bj];
		/* insert p after idx[bj]; segment bj splits in two */
		memmove(idx + bj + 2, idx + bj + 1, (cnt - bj - 1) * sizeof *idx);
		memmove(dev + bj + 2, dev + bj + 1, (cnt - bj - 2) * sizeof *dev);
		memmove(far + bj + 2, far + bj + 1, (cnt - bj - 2) * sizeof *far);
		idx[bj + 1] = p;
		cnt++;
		dev[bj] = seg_far(&far[bj], t, v, idx[bj], p);
		dev[bj + 1] = seg_far(&far[bj + 1], t, v, p, idx[bj + 2]);
	}
	free(dev);
	free(far);
	return (ptrdiff_t)cnt;
}
