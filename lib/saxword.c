/* saxword.c: window <-> SAX word. */
#include "saxword.h"
#include "paa.h"
#include "sax.h"
#include "tsd.h"

#include <math.h>
#include <string.h>

int tsd_saxword_encode(tsd_saxword *w, double *work, const int64_t *t, const double *v,
		       size_t n, size_t group, int alpha, const double *bp, int znorm)
{
	double mean = 0, std = 1;
	int rc, flat = 0;

	if (!n || !group)
		return TSD_EINVAL;
	if (znorm) {
		if ((rc = tsd_znorm_stats(&mean, &std, v, n)) < 0)
			return rc;
		if ((rc = tsd_znorm(work, v, n, TSD_PAA_FLAT_EPS)) < 0)
			return rc;
		flat = rc == 1;
	} else {
		memcpy(work, v, n * sizeof *v);
	}
	if ((rc = tsd_paa(work, work, n, group, 0)) < 0)
		return rc;
	w->m = (size_t)rc;
	if ((rc = tsd_sax_encode_bp(w->sym, work, w->m, bp, alpha)) < 0)
		return rc;
	w->start = t[0];
	w->end = t[n - 1];
	w->n = n;
	w->group = group;
	w->alpha = alpha;
	w->mean = mean;
	w->std = flat ? 0 : std;
	return 0;
}

int tsd_saxword_decode(int64_t *t, double *v, const tsd_saxword *w, int how)
{
	double val[TSD_SAX_MAX_ALPHA];
	size_t i;
	int rc;

	if (!w->n || !w->group || w->m != tsd_paa_len(w->n, w->group) || w->end < w->start)
		return TSD_EINVAL;
	if ((rc = tsd_sax_values(val, w->alpha, how)) < 0)
		return rc;
	for (i = 0; i < w->m; i++) {
		size_t a = i * w->group, b = a + w->group - 1 < w->n - 1 ? a + w->group - 1 : w->n - 1;
		double c = (double)(a + b) / 2;
		if (w->sym[i] >= w->alpha)
			return TSD_EINVAL;
		v[i] = w->mean + w->std * val[w->sym[i]];
		t[i] = w->n > 1 ? w->start + (int64_t)llround((double)(w->end - w->start) * c / (double)(w->n - 1))
				: w->start;
	}
	return (int)w->m;
}
