/* exact.c: the best reduced series of a window by exhaustive search. */
#include "exact.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "reduce.h"
#include "tsd.h"

/* b - a, a <= b, as a double: in unsigned, so that times 292 years or
 * more apart do not overflow */
static inline double tdiff(int64_t b, int64_t a)
{
	return (double)((uint64_t)b - (uint64_t)a);
}

double tsd_reduce_sse(const double *x, const double *y, const int64_t *t, size_t n,
		      const size_t *idx, size_t np)
{
	double e = 0;
	size_t p = 0;

	if (!np)
		return INFINITY;
	for (size_t i = 0; i < n; i++) {
		double v;
		while (p < np && idx[p] < i)
			p++;
		/* idx[p - 1] < i <= idx[p] */
		if (p < np && idx[p] == i)
			v = y[i];
		else if (p == 0)
			v = y[idx[0]];
		else if (p == np)
			v = y[idx[np - 1]];
		else {
			size_t l = idx[p - 1], r = idx[p];
			v = y[l] + (y[r] - y[l]) * (tdiff(t[i], t[l]) / tdiff(t[r], t[l]));
		}
		e += (x[i] - v) * (x[i] - v);
	}
	return e;
}

int tsd_exact_reduced(unsigned char *keep, double *sse, const tsd_coefwin *cw, size_t k)
{
	size_t n = cw->n, m = cw->m, a = cw->lens[0], ne = 0, np;
	size_t pos[TSD_EXACT_MAXD];
	size_t wl = tsd_coefwin_work_len(n, cw->J, cw->w, cw->mode);
	double *x = NULL, *y = NULL, *cb = NULL, *work = NULL, best = INFINITY;
	unsigned char *kp = NULL, *mark = NULL;
	size_t *idx = NULL;
	uint32_t bestmask = 0;
	int rc = 0;

	for (size_t i = a; i < m; i++)
		if (cw->have[i]) {
			if (ne == TSD_EXACT_MAXD)
				return TSD_ERANGE;
			pos[ne++] = i;
		}
	if (k > ne)
		k = ne;
	x = malloc(n * sizeof *x);
	y = malloc(n * sizeof *y);
	cb = malloc(m * sizeof *cb);
	work = malloc((wl ? wl : 1) * sizeof *work);
	kp = malloc(m);
	mark = malloc(n);
	idx = malloc(n * sizeof *idx);
	if (!x || !y || !cb || !work || !kp || !mark || !idx) {
		rc = TSD_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < m; i++)
		cb[i] = cw->have[i] ? cw->c[i] : 0;
	if ((rc = tsd_coefwin_reconstruct(x, n, cb, work, cw->J, cw->w, cw->mode)) < 0)
		goto out;
	/* every k-subset of the ne present details, as increasing bit masks
	 * (Gosper's hack); k = 0 is the one empty set */
	uint32_t s = k ? ((uint32_t)1 << k) - 1 : 0, lim = (uint32_t)1 << ne;
	for (;;) {
		/* the approximation as present, and no detail but the chosen */
		memset(kp, 0, m);
		memcpy(kp, cw->have, a);
		memset(cb + a, 0, (m - a) * sizeof *cb);
		for (size_t j = 0; j < ne; j++)
			if ((s >> j) & 1) {
				kp[pos[j]] = 1;
				cb[pos[j]] = cw->c[pos[j]];
			}
		if ((rc = tsd_coefwin_reconstruct(y, n, cb, work, cw->J, cw->w, cw->mode)) < 0)
			goto out;
		if ((rc = tsd_reduce(idx, mark, y, n, kp, cw->lens, cw->J, cw->w, cw->mode)) < 0)
			goto out;
		np = (size_t)rc;
		double e = tsd_reduce_sse(x, y, cw->t, n, idx, np);
		if (e < best) {
			best = e;
			bestmask = s;
		}
		if (!k)
			break;
		uint32_t c = s & -s, r = s + c;
		s = (((r ^ s) >> 2) / c) | r;
		if (s >= lim)
			break;
	}
	memset(keep, 0, m);
	memcpy(keep, cw->have, a);
	for (size_t j = 0; j < ne; j++)
		if ((bestmask >> j) & 1)
			keep[pos[j]] = 1;
	*sse = best;
	rc = (int)k;
out:
	free(x);
	free(y);
	free(cb);
	free(work);
	free(kp);
	free(mark);
	free(idx);
	return rc;
}
