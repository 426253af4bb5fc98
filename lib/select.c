/* select.c: thresh's keep rules over coefficient arrays (see select.h). */
#include "select.h"
#include "tsd.h"

#include <math.h>
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
