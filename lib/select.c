/* select.c: thresh's keep rules over coefficient arrays (see select.h). */
#include "select.h"
#include "exact.h"
#include "reduce.h"
#include "tsd.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* Rearrange a[0..n-1] so that a[k] holds the value that would be there
 * sorted ascending, smaller or equal values before it (Hoare's select,
 * median-of-three pivots). */
static double select_kth(double *a, size_t n, size_t k)
{
	size_t lo = 0, hi = n - 1;

	while (hi > lo) {
		size_t mid = lo + (hi - lo) / 2, i, j;
		double t, p;
		/* order a[lo], a[mid], a[hi]; the median becomes the pivot */
		if (a[mid] < a[lo]) t = a[mid], a[mid] = a[lo], a[lo] = t;
		if (a[hi] < a[lo]) t = a[hi], a[hi] = a[lo], a[lo] = t;
		if (a[hi] < a[mid]) t = a[hi], a[hi] = a[mid], a[mid] = t;
		p = a[mid];
		i = lo;
		j = hi;
		while (i <= j) {
			while (a[i] < p)
				i++;
			while (a[j] > p)
				j--;
			if (i <= j) {
				t = a[i], a[i] = a[j], a[j] = t;
				i++;
				if (j == 0)
					break;
				j--;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			break;
	}
	return a[k];
}

int tsd_select_sigma(double *sigma, double *work, const double *d, size_t n)
{
	size_t i;
	double med;

	if (!sigma || (n && (!work || !d)))
		return TSD_EINVAL;
	if (n == 0) {
		*sigma = 0;
		return 0;
	}
	for (i = 0; i < n; i++)
		work[i] = fabs(d[i]);
	med = select_kth(work, n, n / 2);
	if (n % 2 == 0) {
		/* the lower middle is the largest of the lower half */
		double lo = work[0];
		for (i = 1; i < n / 2; i++)
			if (work[i] > lo)
				lo = work[i];
		med = (lo + med) / 2;
	}
	*sigma = med / 0.6745;
	return 0;
}

double tsd_select_universal(double sigma, size_t n)
{
	return n < 2 ? 0 : sigma * sqrt(2 * log((double)n));
}

size_t tsd_select_abs(unsigned char *keep, const double *d, const unsigned char *elig, size_t n, double thr)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		keep[i] = (!elig || elig[i]) && fabs(d[i]) >= thr;
		k += keep[i];
	}
	return k;
}

size_t tsd_select_score(unsigned char *keep, const float *score, const unsigned char *elig, size_t n, double thr)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		keep[i] = (!elig || elig[i]) && score[i] >= thr;
		k += keep[i];
	}
	return k;
}

size_t tsd_select_top(unsigned char *keep, double *work, const double *d, const unsigned char *elig,
		      size_t n, size_t k)
{
	size_t i, m = 0, got = 0;
	double thr;

	for (i = 0; i < n; i++)
		if (!elig || elig[i])
			work[m++] = -fabs(d[i]); /* ascending order of -|d| is descending |d| */
	memset(keep, 0, n);
	if (k == 0 || m == 0)
		return 0;
	if (k >= m) {
		for (i = 0; i < n; i++)
			keep[i] = !elig || elig[i];
		return m;
	}
	thr = -select_kth(work, m, k - 1); /* the k-th largest magnitude */
	for (i = 0; i < n; i++)
		if ((!elig || elig[i]) && fabs(d[i]) > thr)
			keep[i] = 1, got++;
	for (i = 0; i < n && got < k; i++)
		if ((!elig || elig[i]) && fabs(d[i]) == thr)
			keep[i] = 1, got++;
	return got;
}

size_t tsd_select_budget(size_t points, size_t coarse, size_t m)
{
	size_t k = points > coarse ? points - coarse : 0;

	return k < m ? k : m;
}

size_t tsd_select_ratio_points(size_t n, double ratio)
{
	double p;

	if (!(ratio >= 1))
		return 0;
	p = floor((double)n / ratio + 0.5);
	return p < 1 ? 1 : (size_t)p;
}

size_t tsd_select_fraction(size_t m, double f)
{
	double k;

	if (!(f > 0))
		return 0;
	if (f >= 1)
		return m;
	k = floor((double)m * f + 0.5);
	return k > (double)m ? m : (size_t)k;
}

size_t tsd_select_run_next(const tsd_select_run *r, size_t n, double ratio)
{
	double p;

	if (!(ratio >= 1))
		return 0;
	p = floor((double)(r->n + n) / ratio + 0.5);
	if (p < 1)
		p = 1;
	return p > (double)r->pts ? (size_t)(p - (double)r->pts) : 0;
}

void tsd_select_run_add(tsd_select_run *r, size_t n, size_t pts)
{
	r->n += n;
	r->pts += pts;
}

int tsd_select_run_save(char *buf, size_t cap, const tsd_select_run *r)
{
	int n = snprintf(buf, cap, "n=%" PRIu64 " pts=%" PRIu64, r->n, r->pts);

	return n < 0 || (size_t)n >= cap ? -1 : n;
}

/* "KEY=" then a decimal uint64 at s[*i..n) */
static int take_u64(const char *s, size_t n, size_t *i, const char *key, uint64_t *out)
{
	size_t l = strlen(key), d = 0;
	uint64_t u = 0;

	if (n - *i < l || memcmp(s + *i, key, l))
		return 0;
	*i += l;
	while (*i < n && s[*i] >= '0' && s[*i] <= '9') {
		unsigned dg = (unsigned)(s[*i] - '0');
		if (u > (UINT64_MAX - dg) / 10)
			return 0;
		u = u * 10 + dg;
		++*i, d++;
	}
	*out = u;
	return d > 0;
}

int tsd_select_run_load(tsd_select_run *r, const char *s, size_t n)
{
	size_t i = 0;
	tsd_select_run v;

	if (!take_u64(s, n, &i, "n=", &v.n) || !take_u64(s, n, &i, " pts=", &v.pts) || i != n)
		return TSD_EFORMAT;
	*r = v;
	return 0;
}

size_t tsd_select_work_len(const tsd_coefwin *cw)
{
	/* the universal rule: the finest details and scratch; ranked by
	 * score: scratch and the scores as doubles */
	return 2 * (cw->m - cw->lens[0]) + 1;
}

int tsd_select_window(unsigned char *keep, tsd_select_stats *st, double *work,
		      const tsd_coefwin *cw, const tsd_select_opts *o, tsd_select_run *run)
{
	/* the details: [a, m) of the layout; the approximation stays */
	size_t a = cw->lens[0], nd = cw->m - a, k, ne = 0;
	const unsigned char *elig = cw->have + a;
	unsigned char *kd = keep + a;
	int ru = o->rule;

	memcpy(keep, cw->have, a);
	for (size_t i = 0; i < nd; i++)
		ne += elig[i];
	st->details = ne;
	if (ru == TSD_SEL_DEFAULT)
		ru = cw->scored ? TSD_SEL_SCORE : TSD_SEL_UNIVERSAL;
	switch (ru) {
	case TSD_SEL_SCORE:
		tsd_select_score(kd, cw->score + a, elig, nd, o->rule == TSD_SEL_DEFAULT ? 0.5 : o->arg);
		return 0;
	case TSD_SEL_ABS:
		tsd_select_abs(kd, cw->c + a, elig, nd, o->arg);
		return 0;
	case TSD_SEL_UNIVERSAL: {
		/* sigma from the finest details present */
		size_t f0 = cw->off[cw->J], f1 = cw->off[cw->J + 1], nf = 0;
		double sigma;
		for (size_t i = f0; i < f1; i++)
			if (cw->have[i])
				work[nf++] = cw->c[i];
		tsd_select_sigma(&sigma, work + nf, work, nf);
		tsd_select_abs(kd, cw->c + a, elig, nd, tsd_select_universal(sigma, cw->n));
		return 0;
	}
	case TSD_SEL_KEEP:
	case TSD_SEL_BUDGET:
	case TSD_SEL_RATIO:
		break;
	default:
		return TSD_EINVAL;
	}
	if (ru == TSD_SEL_KEEP) {
		k = tsd_select_fraction(ne, o->arg);
	} else {
		size_t pts, coarse = tsd_reduce_coarse(cw->n, cw->J);
		if (ru == TSD_SEL_BUDGET)
			pts = (size_t)o->arg;
		else if (run)
			pts = tsd_select_run_next(run, cw->n, o->arg); /* the series' running budget */
		else
			pts = tsd_select_ratio_points(cw->n, o->arg);
		k = tsd_select_budget(pts, coarse, ne);
		if (run && ru == TSD_SEL_RATIO)
			tsd_select_run_add(run, cw->n, coarse + k < cw->n ? coarse + k : cw->n);
		st->budgeted++;
		/* a budget the coarse grid takes whole keeps no detail */
		if (!k && ne && pts < cw->n && !st->starved++)
			st->starved_pts = pts, st->starved_coarse = coarse;
	}
	if (o->exact == TSD_SEL_EXACT_REDUCED) {
		double sse;
		int rc = tsd_exact_reduced(keep, &sse, cw, k);
		return rc < 0 ? rc : 0;
	}
	if (o->exact == TSD_SEL_EXACT && !tsd_coefwin_orthonormal(cw->n, cw->J, cw->w, cw->mode)) {
		/* only the length can be wrong when haar or periodization */
		if (cw->mode != TSD_MODE_PERIODIZATION && cw->w->len != 2)
			return TSD_EUNSUP;
		st->nonortho++;
	}
	if (cw->scored && o->exact == TSD_SEL_RANKED) {
		/* scored (tscore): the top k by score, not magnitude */
		double *sv = work + nd + 1;
		for (size_t i = 0; i < nd; i++)
			sv[i] = cw->score[a + i];
		tsd_select_top(kd, work, sv, elig, nd, k);
	} else {
		tsd_select_top(kd, work, cw->c + a, elig, nd, k);
	}
	return 0;
}
