/* paa.c: Piecewise Aggregate Approximation with optional z-normalisation. */
#include "paa.h"

#include <float.h>
#include <limits.h>
#include <math.h>

#include "tsd.h"

size_t tsd_paa_len(size_t n, size_t group)
{
	if (group == 0)
		return 0;
	return n / group + (n % group != 0);
}

int tsd_znorm_stats(double *mean, double *std, const double *x, size_t n)
{
	double s = 0, c = 0, ss = 0, mu;
	size_t i;

	if (!mean || !std || !x || n == 0)
		return TSD_EINVAL;
	for (i = 0; i < n; i++) {
		if (!isfinite(x[i]))
			return TSD_EINVAL;
		s += x[i];
	}
	mu = s / (double)n;
	if (!isfinite(mu))	/* the sum overflowed */
		return TSD_ERANGE;
	/* Second pass: squared deviations, plus the sum of deviations which
	 * corrects the rounding left in the first-pass mean. */
	for (i = 0; i < n; i++) {
		double d = x[i] - mu;
		c += d;
		ss += d * d;
	}
	ss -= c * c / (double)n;
	*mean = mu + c / (double)n;
	*std = ss > 0 ? sqrt(ss / (double)n) : 0;
	if (!isfinite(*std))
		return TSD_ERANGE;
	return 0;
}

static int is_flat(double mean, double std, double flat_eps)
{
	return std <= flat_eps || std <= 64 * DBL_EPSILON * fabs(mean);
}

int tsd_znorm(double *out, const double *x, size_t n, double flat_eps)
{
	double mu, sd;
	size_t i;
	int err;

	if (!out)
		return TSD_EINVAL;
	err = tsd_znorm_stats(&mu, &sd, x, n);
	if (err)
		return err;
	if (is_flat(mu, sd, flat_eps)) {
		for (i = 0; i < n; i++)
			out[i] = 0;
		return 1;
	}
	for (i = 0; i < n; i++)
		out[i] = (x[i] - mu) / sd;
	return 0;
}

int tsd_paa_eps(double *out, const double *x, size_t n, size_t group,
		double flat_eps)
{
	size_t m, i, j, k;
	double mu = 0, sd = 1;
	int err;

	if (!out || !x || n == 0 || group == 0 || isnan(flat_eps))
		return TSD_EINVAL;
	m = tsd_paa_len(n, group);
	if (m > INT_MAX)
		return TSD_ERANGE;
	if (flat_eps >= 0) {
		err = tsd_znorm_stats(&mu, &sd, x, n);
		if (err)
			return err;
		if (is_flat(mu, sd, flat_eps)) {
			for (k = 0; k < m; k++)
				out[k] = 0;
			return (int)m;
		}
	}
	for (k = 0, i = 0; k < m; k++) {
		size_t end = n - i > group ? i + group : n;
		double s = 0;

		for (j = i; j < end; j++) {
			if (!isfinite(x[j]))
				return TSD_EINVAL;
			s += x[j];
		}
		s /= (double)(end - i);
		out[k] = flat_eps >= 0 ? (s - mu) / sd : s;
		i = end;
	}
	return (int)m;
}

int tsd_paa(double *out, const double *x, size_t n, size_t group, int znorm)
{
	return tsd_paa_eps(out, x, n, group, znorm ? TSD_PAA_FLAT_EPS : -1.0);
}
