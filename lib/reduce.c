/* reduce.c: the reduced series of a window (the rule is in reduce.h). */
#include "reduce.h"
#include "tsd.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* b - a, a <= b, as a double: in unsigned, so that times 292 years or
 * more apart do not overflow */
static inline double tdiff(int64_t b, int64_t a)
{
	return (double)((uint64_t)b - (uint64_t)a);
}

size_t tsd_reduce_coarse(size_t n, unsigned J)
{
	size_t B;

	if (J >= sizeof(size_t) * 8 - 1)
		return n ? 1 : 0;
	B = (size_t)1 << J;
	return n / B + (n % B != 0);
}

size_t tsd_reduce_len(size_t n, unsigned J, size_t kept)
{
	size_t c = tsd_reduce_coarse(n, J);

	return kept >= n - c ? n : c + kept;
}

/* The value at sample i of the line through the marked samples; flat
 * past the first and last. l and r are the marked neighbours (l < i < r),
 * SIZE_MAX when there is none on that side. */
static double line_at(const double *y, size_t l, size_t r, size_t i)
{
	if (l == SIZE_MAX)
		return r == SIZE_MAX ? 0 : y[r];
	if (r == SIZE_MAX)
		return y[l];
	return y[l] + (y[r] - y[l]) * (double)(i - l) / (double)(r - l);
}

static size_t next_mark(const unsigned char *mark, size_t n, size_t i)
{
	for (; i < n; i++)
		if (mark[i])
			return i;
	return SIZE_MAX;
}

/* The unmarked sample of [a, b] farthest from the line (of ties, the one
 * nearest the middle of [a, b]), or SIZE_MAX when all are marked. */
static size_t farthest(const double *y, const unsigned char *mark, size_t n, size_t a, size_t b)
{
	size_t l = SIZE_MAX, r, i, best = SIZE_MAX;
	double bdev = -1, bdist = 0, mid = ((double)a + (double)b) / 2;

	for (i = a; i-- > 0;)
		if (mark[i]) {
			l = i;
			break;
		}
	r = next_mark(mark, n, a);
	for (i = a; i <= b; i++) {
		if (mark[i]) {
			l = i;
			r = next_mark(mark, n, i + 1);
			continue;
		}
		double dev = fabs(y[i] - line_at(y, l, r, i));
		double dist = fabs((double)i - mid);
		if (dev > bdev || (dev == bdev && dist < bdist))
			best = i, bdev = dev, bdist = dist;
	}
	return best;
}

/* The unmarked sample nearest [a, b] outside it (left first on ties). */
static size_t nearest_free(const unsigned char *mark, size_t n, size_t a, size_t b)
{
	size_t d;

	for (d = 1; d <= n; d++) {
		int any = 0;
		if (a >= d) {
			any = 1;
			if (!mark[a - d])
				return a - d;
		}
		if (b + d < n) {
			any = 1;
			if (!mark[b + d])
				return b + d;
		}
		if (!any)
			break;
	}
	return SIZE_MAX;
}

int tsd_reduce(size_t *idx, unsigned char *mark, const double *y, size_t n,
	       const unsigned char *keep, const size_t *lens, unsigned J,
	       const tsd_wavelet *w, enum tsd_mode mode)
{
	size_t nb, B, b, i, got, off;
	unsigned band;

	if (!idx || !mark || !y || !n || (J && (!keep || !lens || !w)))
		return TSD_EINVAL;
	for (i = 0; i < n; i++)
		mark[i] = 0;
	nb = tsd_reduce_coarse(n, J);
	B = J >= sizeof(size_t) * 8 - 1 ? n : (size_t)1 << J;
	for (b = 0; b < nb; b++) {
		size_t s = b * B, e = s + B < n ? s + B - 1 : n - 1;
		mark[s + (e - s) / 2] = 1;
	}
	got = nb;
	off = J ? lens[0] : 0;
	for (band = 1; band <= J && got < n; band++) {
		unsigned level = J + 1 - band;
		for (size_t k = 0; k < lens[band] && got < n; k++) {
			size_t i0, i1, p;
			int rc;
			if (!keep[off + k])
				continue;
			if ((rc = tsd_dwt_support(&i0, &i1, n, level, k, w, mode)) < 0)
				return rc;
			p = farthest(y, mark, n, i0, i1);
			if (p == SIZE_MAX)
				p = nearest_free(mark, n, i0, i1);
			if (p == SIZE_MAX)
				break;
			mark[p] = 1;
			got++;
		}
		off += lens[band];
	}
	for (i = 0, b = 0; i < n; i++)
		if (mark[i])
			idx[b++] = i;
	return (int)b;
}

int tsd_reduce_fit(double *v, double *work, const int64_t *t, const double *y, size_t n,
		   const size_t *idx, size_t p, int has_left, int64_t tl, double vl)
{
	double *diag, *off, *rhs;
	size_t i, j;

	if (!v || !work || !t || !y || !idx || !p || p > n)
		return TSD_EINVAL;
	for (j = 0; j < p; j++)
		if (idx[j] >= n || (j && idx[j] <= idx[j - 1]))
			return TSD_EINVAL;
	for (i = 1; i < n; i++)
		if (t[i] <= t[i - 1])
			return TSD_EINVAL;
	if (has_left && tl >= t[0])
		return TSD_EINVAL;
	if (p == n) {
		/* every sample a point: the fit is exact */
		for (j = 0; j < p; j++)
			v[j] = y[j];
		return 0;
	}
	diag = work;
	off = work + p;  /* (p) off[j] couples points j and j + 1 */
	rhs = work + 2 * p;
	for (j = 0; j < p; j++)
		diag[j] = off[j] = rhs[j] = 0;

	/* normal equations, sample by sample; j: the point at or before i */
	for (i = 0; i < idx[0]; i++) {
		if (has_left) {
			double a = tdiff(t[i], tl) / tdiff(t[idx[0]], tl);
			diag[0] += a * a;
			rhs[0] += a * (y[i] - (1 - a) * vl);
		} else {
			diag[0] += 1;
			rhs[0] += y[i];
		}
	}
	for (j = 0; j + 1 < p; j++) {
		size_t l = idx[j], r = idx[j + 1];
		double span = tdiff(t[r], t[l]);
		for (i = l; i < r; i++) {
			double a = tdiff(t[i], t[l]) / span, b = 1 - a;
			diag[j] += b * b;
			off[j] += a * b;
			diag[j + 1] += a * a;
			rhs[j] += b * y[i];
			rhs[j + 1] += a * y[i];
		}
	}
	for (i = idx[p - 1]; i < n; i++) {
		diag[p - 1] += 1;
		rhs[p - 1] += y[i];
	}

	/* tridiagonal elimination (no pivoting: the matrix is symmetric and
	 * diagonally dominant, each row's diagonal holds its own sample's 1) */
	{
		double po = 0, pc = 0, pd = 0; /* row j - 1: its coupling, c' and d' */
		for (j = 0; j < p; j++) {
			double m = diag[j] - po * pc;
			double cj = off[j] / m, dj = (rhs[j] - po * pd) / m;
			po = off[j];
			off[j] = pc = cj;
			rhs[j] = pd = dj;
		}
	}
	v[p - 1] = rhs[p - 1];
	for (j = p - 1; j-- > 0;)
		v[j] = rhs[j] - off[j] * v[j + 1];

	/* clamp into the range of the samples each point stands for */
	for (j = 0; j < p; j++) {
		size_t lo = j ? idx[j - 1] : 0, hi = j + 1 < p ? idx[j + 1] : n - 1;
		double mn = y[lo], mx = y[lo];
		for (i = lo + 1; i <= hi; i++) {
			if (y[i] < mn)
				mn = y[i];
			if (y[i] > mx)
				mx = y[i];
		}
		if (v[j] < mn)
			v[j] = mn;
		else if (v[j] > mx)
			v[j] = mx;
	}
	return 0;
}

int tsd_reduce_carry_save(char *buf, size_t cap, int have, int64_t tl, double vl, size_t nt,
			  const int64_t *t, const double *y)
{
	size_t len;
	int k;

	if (!have)
		return cap >= 2 ? (buf[0] = '-', buf[1] = 0, 1) : -1;
	k = snprintf(buf, cap, "tl=%" PRId64 " vl=%a n=%zu", tl, vl, nt);
	if (k < 0 || (size_t)k >= cap)
		return -1;
	len = (size_t)k;
	for (size_t i = 0; i < nt; i++) {
		k = snprintf(buf + len, cap - len, " %" PRIu64 ":%a", (uint64_t)t[i] - (uint64_t)tl, y[i]);
		if (k < 0 || (size_t)k >= cap - len)
			return -1;
		len += (size_t)k;
	}
	return (int)len;
}

/* a number at s[*i..n) up to a blank, ':' or the end, into tmp */
static int carry_word(const char *s, size_t n, size_t *i, char *tmp, size_t cap)
{
	size_t j = *i;

	while (j < n && s[j] != ' ' && s[j] != ':')
		j++;
	if (j == *i || j - *i >= cap)
		return 0;
	memcpy(tmp, s + *i, j - *i);
	tmp[j - *i] = 0;
	*i = j;
	return 1;
}

static int carry_i64(const char *s, size_t n, size_t *i, int64_t *v, int uns)
{
	char tmp[32], *e;

	if (!carry_word(s, n, i, tmp, sizeof tmp) || (uns && tmp[0] == '-'))
		return 0;
	errno = 0;
	if (uns)
		*v = (int64_t)strtoull(tmp, &e, 10);
	else
		*v = (int64_t)strtoll(tmp, &e, 10);
	return !errno && !*e;
}

static int carry_dbl(const char *s, size_t n, size_t *i, double *v)
{
	char tmp[48], *e;

	if (!carry_word(s, n, i, tmp, sizeof tmp))
		return 0;
	*v = strtod(tmp, &e);
	return !*e;
}

static int carry_key(const char *s, size_t n, size_t *i, const char *key)
{
	size_t l = strlen(key);

	if (n - *i < l || memcmp(s + *i, key, l))
		return 0;
	*i += l;
	return 1;
}

int tsd_reduce_carry_load(const char *s, size_t n, int *have, int64_t *tl, double *vl, size_t *nt,
			  int64_t *t, double *y, size_t cap)
{
	size_t i = 0;
	int64_t k, d;

	if (n == 1 && s[0] == '-') {
		*have = 0, *nt = 0;
		return 0;
	}
	if (!carry_key(s, n, &i, "tl=") || !carry_i64(s, n, &i, tl, 0) || !carry_key(s, n, &i, " vl=") ||
	    !carry_dbl(s, n, &i, vl) || !carry_key(s, n, &i, " n=") || !carry_i64(s, n, &i, &k, 1))
		return TSD_EFORMAT;
	if ((uint64_t)k > cap)
		return TSD_ESIZE;
	for (size_t j = 0; j < (size_t)k; j++) {
		if (!carry_key(s, n, &i, " ") || !carry_i64(s, n, &i, &d, 1) || !carry_key(s, n, &i, ":") ||
		    !carry_dbl(s, n, &i, &y[j]))
			return TSD_EFORMAT;
		t[j] = (int64_t)((uint64_t)*tl + (uint64_t)d);
		if (d <= 0 || (j && t[j] <= t[j - 1]))
			return TSD_EFORMAT;
	}
	if (i != n)
		return TSD_EFORMAT;
	*have = 1;
	*nt = (size_t)k;
	return 0;
}

typedef double v4d __attribute__((vector_size(32)));
typedef long long v4l __attribute__((vector_size(32)));

/* Four lanes a step, without a branch: a lane's comparisons give all-ones
 * or zero, which select the bound and count the move. A NaN compares
 * false both ways and stays, uncounted, as in the plain loop. */
TSD_HOT size_t tsd_reduce_clamp(double *y, size_t n, double lo, double hi)
{
	const v4d L = { lo, lo, lo, lo }, H = { hi, hi, hi, hi };
	v4l count = { 0, 0, 0, 0 };
	size_t moved = 0, i = 0;

	for (; i + 4 <= n; i += 4) {
		v4d x;
		memcpy(&x, y + i, sizeof x);
		v4l below = x < L, above = x > H;
		v4l bits = ((v4l)x & ~(below | above)) | ((v4l)L & below) | ((v4l)H & above);
		count -= below | above;
		memcpy(y + i, &bits, sizeof bits);
	}
	moved = (size_t)(count[0] + count[1] + count[2] + count[3]);
	for (; i < n; i++) {
		if (y[i] < lo)
			y[i] = lo, moved++;
		else if (y[i] > hi)
			y[i] = hi, moved++;
	}
	return moved;
}

TSD_HOT void tsd_reduce_range(const double *v, size_t n, double *lo, double *hi)
{
	v4d l = { v[0], v[0], v[0], v[0] }, h = l, x;
	size_t i = 0;

	for (; i + 4 <= n; i += 4) {
		memcpy(&x, v + i, sizeof x);
		/* x < l ? x : l lane by lane, as one minpd: no branch to
		 * mispredict on noisy data; a NaN in x leaves l */
		v4l lt = x < l, gt = x > h;
		l = (v4d)(((v4l)x & lt) | ((v4l)l & ~lt));
		h = (v4d)(((v4l)x & gt) | ((v4l)h & ~gt));
	}
	double l0 = l[0], l1 = l[1], l2 = l[2], l3 = l[3];
	double h0 = h[0], h1 = h[1], h2 = h[2], h3 = h[3];
	for (; i < n; i++) {
		l0 = v[i] < l0 ? v[i] : l0;
		h0 = v[i] > h0 ? v[i] : h0;
	}
	l0 = l1 < l0 ? l1 : l0;
	l2 = l3 < l2 ? l3 : l2;
	h0 = h1 > h0 ? h1 : h0;
	h2 = h3 > h2 ? h3 : h2;
	*lo = l2 < l0 ? l2 : l0;
	*hi = h2 > h0 ? h2 : h0;
}
