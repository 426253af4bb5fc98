/* sax.c: SAX breakpoints from the inverse normal CDF, encoding, decoding
 * and MINDIST. */
#include "sax.h"

#include <limits.h>
#include <math.h>

#include "tsd.h"

#define SQRT_2PI 2.50662827463100050242

static int bad_alpha(int alpha)
{
	return alpha < TSD_SAX_MIN_ALPHA || alpha > TSD_SAX_MAX_ALPHA;
}

static double norm_pdf(double x)
{
	return exp(-0.5 * x * x) / SQRT_2PI;
}

/*
 * Initial guess for Phi^-1(p), 0 < p <= 0.5: P. J. Acklam's rational
 * approximations (relative error below 1.15e-9), one for the lower tail
 * p < 0.02425 in q = sqrt(-2 log p), one for the centre in q = p - 0.5.
 */
static double acklam_low(double p)
{
	static const double a[6] = {
		-3.969683028665376e+01, 2.209460984245205e+02,
		-2.759285104469687e+02, 1.383577518672690e+02,
		-3.066479806614716e+01, 2.506628277459239e+00,
	};
	static const double b[5] = {
		-5.447609879822406e+01, 1.615858368580409e+02,
		-1.556989798598866e+02, 6.680131188771972e+01,
		-1.328068155288572e+01,
	};
	static const double c[6] = {
		-7.784894002430293e-03, -3.223964580411365e-01,
		-2.400758277161838e+00, -2.549732539343734e+00,
		4.374664141464968e+00, 2.938163982698783e+00,
	};
	static const double d[4] = {
		7.784695709041462e-03, 3.224671290700398e-01,
		2.445134137142996e+00, 3.754408661907416e+00,
	};
	double q, r;

	if (p < 0.02425) {
		q = sqrt(-2 * log(p));
		return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
		       ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
	}
	q = p - 0.5;
	r = q * q;
	return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
	       (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/* Phi^-1(p) for 0 < p < 0.5: x <= 0, where erfc(-x / sqrt 2) is accurate
 * in relative terms. Halley's step on f(x) = Phi(x) - p, f' = phi,
 * f'' = -x phi: x -= u / (1 + x u / 2), u = f / phi. Acklam's 1e-9 start
 * makes the first step land near 1e-16; the second mops up rounding. */
static double ppf_low(double p)
{
	double x = acklam_low(p);
	int k;

	for (k = 0; k < 2; k++) {
		double e, u;

		if (0.5 * x * x > 700)	/* phi underflows: keep the guess */
			break;
		e = 0.5 * erfc(-x / M_SQRT2) - p;
		u = e * SQRT_2PI * exp(0.5 * x * x);
		x -= u / (1 + 0.5 * x * u);
	}
	return x;
}

double tsd_sax_norm_ppf(double p)
{
	if (isnan(p) || p < 0 || p > 1)
		return NAN;
	if (p == 0)
		return -INFINITY;
	if (p == 1)
		return INFINITY;
	if (p == 0.5)
		return 0;
	if (p > 0.5)
		return -ppf_low(1 - p);	/* 1 - p is exact here (Sterbenz) */
	return ppf_low(p);
}

int tsd_sax_breakpoints(double *bp, int alpha)
{
	int i;

	if (!bp || bad_alpha(alpha))
		return TSD_EINVAL;
	/* lower half from Phi^-1, upper half mirrored: exactly symmetric,
	 * and i / alpha is rounded less than (alpha - i) / alpha */
	for (i = 0; 2 * (i + 1) < alpha; i++) {
		bp[i] = ppf_low((double)(i + 1) / alpha);
		bp[alpha - 2 - i] = -bp[i];
	}
	if (alpha % 2 == 0)
		bp[alpha / 2 - 1] = 0;
	return alpha - 1;
}

int tsd_sax_symbol(double v, const double *bp, int alpha)
{
	int lo = 0, hi;

	if (isnan(v) || !bp || bad_alpha(alpha))
		return TSD_EINVAL;
	/* count the breakpoints <= v: the first index with bp[i] > v */
	hi = alpha - 1;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;

		if (bp[mid] <= v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int tsd_sax_encode_bp(uint8_t *sym, const double *paa, size_t m,
		      const double *bp, int alpha)
{
	size_t i;

	if (!sym || !paa || !bp || bad_alpha(alpha))
		return TSD_EINVAL;
	if (m > INT_MAX)
		return TSD_ERANGE;
	for (i = 0; i < m; i++) {
		int s = tsd_sax_symbol(paa[i], bp, alpha);

		if (s < 0)
			return s;
		sym[i] = (uint8_t)s;
	}
	return (int)m;
}

int tsd_sax_encode(uint8_t *sym, const double *paa, size_t m, int alpha)
{
	double bp[TSD_SAX_MAX_ALPHA - 1];
	int err = tsd_sax_breakpoints(bp, alpha);

	if (err < 0)
		return err;
	return tsd_sax_encode_bp(sym, paa, m, bp, alpha);
}

int tsd_sax_values(double *val, int alpha, int how)
{
	double bp[TSD_SAX_MAX_ALPHA - 1];
	int k;

	if (!val || bad_alpha(alpha))
		return TSD_EINVAL;
	if (how != TSD_SAX_DECODE_MEAN && how != TSD_SAX_DECODE_MID)
		return TSD_EINVAL;
	tsd_sax_breakpoints(bp, alpha);
	/* lower half, mirrored; the middle symbol of an odd alphabet is
	 * centred on 0 in both modes */
	for (k = 0; 2 * k + 1 < alpha; k++) {
		double v;

		if (how == TSD_SAX_DECODE_MEAN) {
			double plo = k ? norm_pdf(bp[k - 1]) : 0;

			v = alpha * (plo - norm_pdf(bp[k]));
		} else if (k == 0) {
			v = ppf_low(0.5 / alpha);
		} else {
			v = 0.5 * (bp[k - 1] + bp[k]);
		}
		val[k] = v;
		val[alpha - 1 - k] = -v;
	}
	if (alpha % 2)
		val[alpha / 2] = 0;
	return alpha;
}

int tsd_sax_decode(double *out, const uint8_t *sym, size_t m, int alpha,
		   int how)
{
	double val[TSD_SAX_MAX_ALPHA];
	size_t i;
	int err;

	if (!out || !sym)
		return TSD_EINVAL;
	if (m > INT_MAX)
		return TSD_ERANGE;
	err = tsd_sax_values(val, alpha, how);
	if (err < 0)
		return err;
	for (i = 0; i < m; i++) {
		if (sym[i] >= alpha)
			return TSD_EINVAL;
		out[i] = val[sym[i]];
	}
	return (int)m;
}

int tsd_sax_dist_table(double *tab, int alpha)
{
	double bp[TSD_SAX_MAX_ALPHA - 1];
	int r, c;

	if (!tab || bad_alpha(alpha))
		return TSD_EINVAL;
	tsd_sax_breakpoints(bp, alpha);
	for (r = 0; r < alpha; r++) {
		for (c = 0; c < alpha; c++) {
			int lo = r < c ? r : c, hi = r < c ? c : r;

			tab[r * alpha + c] = hi - lo <= 1 ? 0 : bp[hi - 1] - bp[lo];
		}
	}
	return alpha * alpha;
}

int tsd_sax_mindist_tab(double *out, const uint8_t *a, const uint8_t *b,
			size_t w, size_t n, const double *tab, int alpha)
{
	double s = 0;
	size_t i;

	if (!out || !a || !b || !tab || bad_alpha(alpha) || w == 0 || n < w)
		return TSD_EINVAL;
	for (i = 0; i < w; i++) {
		double d;

		if (a[i] >= alpha || b[i] >= alpha)
			return TSD_EINVAL;
		d = tab[a[i] * alpha + b[i]];
		s += d * d;
	}
	*out = sqrt((double)n / (double)w) * sqrt(s);
	return 0;
}

int tsd_sax_mindist(double *out, const uint8_t *a, const uint8_t *b,
		    size_t w, size_t n, int alpha)
{
	double bp[TSD_SAX_MAX_ALPHA - 1];
	double s = 0;
	size_t i;

	if (!out || !a || !b || bad_alpha(alpha) || w == 0 || n < w)
		return TSD_EINVAL;
	tsd_sax_breakpoints(bp, alpha);
	for (i = 0; i < w; i++) {
		int lo, hi;
		double d;

		if (a[i] >= alpha || b[i] >= alpha)
			return TSD_EINVAL;
		lo = a[i] < b[i] ? a[i] : b[i];
		hi = a[i] < b[i] ? b[i] : a[i];
		if (hi - lo <= 1)
			continue;
		d = bp[hi - 1] - bp[lo];
		s += d * d;
	}
	*out = sqrt((double)n / (double)w) * sqrt(s);
	return 0;
}
