/* feature.c: per-token features of a window of wavelet coefficients for
 * the importance scorer; see feature.h for the list. */
#include "feature.h"
#include "coefwin.h"
#include "select.h"
#include "tsd.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NEIGH 4 /* same-level neighbours on each side for feature 3 */

void tsd_feature_ws_init(struct tsd_feature_ws *ws)
{
	memset(ws, 0, sizeof *ws);
}

void tsd_feature_ws_free(struct tsd_feature_ws *ws)
{
	if (!ws)
		return;
	free(ws->key);
	free(ws->key2);
	free(ws->rad);
	free(ws->mag);
	free(ws->cum);
	free(ws->tmp);
	free(ws->acen);
	free(ws->scaled);
	free(ws->sup);
	free(ws->xs);
	free(ws->tr);
	free(ws->cz);
	free(ws->wk);
	memset(ws, 0, sizeof *ws);
}

/* *p holds at least n doubles (*cap of them); TSD_ENOMEM leaves it as it was. */
static int grow_doubles(double **p, size_t *cap, size_t n)
{
	if (n > *cap) {
		double *q = realloc(*p, n * sizeof *q);
		if (!q)
			return TSD_ENOMEM;
		*p = q;
		*cap = n;
	}
	return 0;
}

static int ws_reserve(struct tsd_feature_ws *ws, size_t T, size_t na)
{
	if (T > ws->cap) {
		uint64_t *k = realloc(ws->key, T * sizeof *k);
		if (k)
			ws->key = k;
		double *a = realloc(ws->mag, T * sizeof *a);
		if (a)
			ws->mag = a;
		double *b = realloc(ws->cum, (T + 1) * sizeof *b);
		if (b)
			ws->cum = b;
		double *t = realloc(ws->tmp, 2 * T * sizeof *t);
		if (t)
			ws->tmp = t;
		uint64_t *k2 = realloc(ws->key2, T * sizeof *k2);
		if (k2)
			ws->key2 = k2;
		uint64_t *r = realloc(ws->rad, 2 * T * sizeof *r);
		if (r)
			ws->rad = r;
		uint32_t *sp = realloc(ws->sup, 2 * T * sizeof *sp);
		if (sp)
			ws->sup = sp;
		if (!k || !a || !b || !t || !k2 || !r || !sp)
			return TSD_ENOMEM;
		ws->cap = T;
	}
	return grow_doubles(&ws->acen, &ws->acap, na);
}

size_t tsd_feature_tokens(const size_t *lens, unsigned J)
{
	size_t T = 0;

	for (unsigned b = 1; b <= J; b++)
		T += lens[b];
	return T;
}

/* asinh(x) = sign(x) log(|x| + sqrt(x^2 + 1)): libm's asinh goes through
 * log1p, twice as slow; this form loses only absolute accuracy near 0
 * (about 1e-16), far below the float the feature is stored in. */
static inline double fast_asinh(double x)
{
	double a = fabs(x), r;

	r = a > 1e150 ? log(a) + 0.6931471805599453 : log(a + sqrt(a * a + 1));
	return x < 0 ? -r : r;
}

/* Sort v (n) increasing: bottom-up merge sort through tmp (n). */
#define MERGE_SORT(name, type, before)                                        \
static void name(type *v, type *tmp, size_t n)                               \
{                                                                            \
	type *src = v, *dst = tmp;                                           \
	for (size_t w = 1; w < n; w *= 2) {                                  \
		for (size_t lo = 0; lo < n; lo += 2 * w) {                   \
			size_t mid = lo + w < n ? lo + w : n;                \
			size_t hi = lo + 2 * w < n ? lo + 2 * w : n;         \
			size_t a = lo, b = mid, k = lo;                      \
			while (a < mid && b < hi)                            \
				dst[k++] = before(src[b], src[a]) ? src[b++] : src[a++]; \
			while (a < mid)                                      \
				dst[k++] = src[a++];                         \
			while (b < hi)                                       \
				dst[k++] = src[b++];                         \
		}                                                            \
		type *t = src;                                               \
		src = dst;                                                   \
		dst = t;                                                     \
	}                                                                    \
	if (src != v)                                                        \
		memcpy(v, src, n * sizeof *v);                               \
}
#define LESS(x, y) ((x) < (y))
MERGE_SORT(sort_u64, uint64_t, LESS)

/* Sort v (n), every value >= 0, decreasing: LSD radix sort of the bit
 * patterns (which order non-negative doubles as integers do), a byte at
 * a time, skipping the bytes every value shares; a and b (n) scratch.
 * Three times the merge sort's speed on a window's magnitudes. */
static void sort_mag(double *v, uint64_t *a, uint64_t *b, size_t n)
{
	size_t cnt[8][256];

	memset(cnt, 0, sizeof cnt);
	for (size_t i = 0; i < n; i++) {
		uint64_t u;
		memcpy(&u, &v[i], sizeof u);
		a[i] = u = ~u;	/* complement: decreasing */
		for (int d = 0; d < 8; d++)
			cnt[d][(u >> 8 * d) & 255]++;
	}
	for (int d = 0; d < 8; d++) {
		size_t *c = cnt[d], sum = 0;
		if (n && c[(a[0] >> 8 * d) & 255] == n)
			continue;	/* one value of this byte: nothing moves */
		for (int k = 0; k < 256; k++) {
			size_t x = c[k];
			c[k] = sum;
			sum += x;
		}
		for (size_t i = 0; i < n; i++)
			b[c[(a[i] >> 8 * d) & 255]++] = a[i];
		uint64_t *t = a;
		a = b;
		b = t;
	}
	for (size_t i = 0; i < n; i++) {
		uint64_t u = ~a[i];
		memcpy(&v[i], &u, sizeof u);
	}
}

/* Count of v[0..n) (decreasing) greater than x. */
static size_t count_greater(const double *v, size_t n, double x)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid] > x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The time order of a window's tokens (ws->key, sorted) and the middles
 * of its approximation coefficients (ws->acen): they depend on the
 * window's shape only, so a stream of windows of one shape computes them
 * once. off: the band offsets. */
static int time_order(struct tsd_feature_ws *ws, const size_t *lens, const size_t *off,
		      unsigned J, size_t n, const tsd_wavelet *w, enum tsd_mode mode)
{
	size_t na = lens[0], T = off[J + 1] - na;
	int err;

	if (ws->ovalid && ws->on == n && ws->oJ == J && ws->oF == w->len &&
	    ws->omode == (int)mode && !memcmp(ws->olen, lens, (J + 1) * sizeof *lens))
		return 0;
	ws->ovalid = 0;
	for (size_t k = 0; k < na; k++) {
		size_t i0, i1;
		if ((err = tsd_dwt_support(&i0, &i1, n, J, k, w, mode)) < 0)
			return err;
		ws->acen[k] = 0.5 * (double)(i0 + i1);
	}
	/* key = (i0 + i1) << 38 | (63 - level) << 32 | index */
	for (unsigned b = 1; b <= J; b++) {
		unsigned lev = J + 1 - b;
		for (size_t k = 0; k < lens[b]; k++) {
			size_t i0, i1;
			if ((err = tsd_dwt_support(&i0, &i1, n, lev, k, w, mode)) < 0)
				return err;
			ws->sup[2 * (off[b] - na + k)] = (uint32_t)i0;
			ws->sup[2 * (off[b] - na + k) + 1] = (uint32_t)i1;
			ws->key[off[b] - na + k] = (uint64_t)(i0 + i1) << 38 |
						   (uint64_t)(63 - lev) << 32 |
						   (uint64_t)(off[b] + k);
		}
	}
	sort_u64(ws->key, ws->key2, T);
	ws->on = n;
	ws->oJ = J;
	ws->oF = w->len;
	ws->omode = (int)mode;
	memcpy(ws->olen, lens, (J + 1) * sizeof *lens);
	ws->ovalid = 1;
	return 0;
}

int tsd_feature_top(float *x, uint32_t *tok, double *cut, struct tsd_feature_ws *ws,
		    const double *c, const size_t *lens, unsigned J, size_t n,
		    const tsd_wavelet *w, enum tsd_mode mode, size_t keep)
{
	size_t T, na, m, off[64], need = 0, rows = 0;
	double sj[64];
	double s2 = 0, s, sig, amean = 0, asd = 0, floor_, noisy, kth = 0;
	int err, e = 0;

	if (!x || !tok || !ws || !c || !lens || !w || J < 1 || J > 60 || !n)
		return TSD_EINVAL;
	if (cut)
		*cut = 0;
	na = lens[0];
	T = tsd_feature_tokens(lens, J);
	m = na + T;
	if (T > UINT32_MAX / 2 || m > UINT32_MAX || T >= (1ull << 32))
		return TSD_ERANGE;
	double top = 0;
	for (size_t i = 0; i < m; i++) {
		if (!isfinite(c[i]))
			return TSD_EINVAL;
		if (fabs(c[i]) > top)
			top = fabs(c[i]);
	}
	if (!T)
		return 0;
	if (top > 0x1p480) {
		/* sums of squares would overflow: every feature is a ratio, the
		 * same for the window scaled by a power of two (exact) */
		frexp(top, &e);
		if (grow_doubles(&ws->scaled, &ws->scap, m))
			return TSD_ENOMEM;
		for (size_t i = 0; i < m; i++)
			ws->scaled[i] = ldexp(c[i], -e);
		c = ws->scaled;
	}
	if ((err = ws_reserve(ws, T, na ? na : 1)))
		return err;
	off[0] = 0;
	for (unsigned b = 0; b <= J; b++)
		off[b + 1] = off[b] + lens[b];
	if ((err = time_order(ws, lens, off, J, n, w, mode)) < 0)
		return err;

	/* window scale, approximation statistics */
	for (size_t i = na; i < m; i++)
		s2 += c[i] * c[i];
	s = sqrt(s2 / (double)T);
	for (size_t i = 0; i < na; i++)
		amean += c[i];
	amean = na ? amean / (double)na : 0;
	for (size_t i = 0; i < na; i++)
		asd += (c[i] - amean) * (c[i] - amean);
	asd = na ? sqrt(asd / (double)na) : 0;
	if (!(asd > 1e-300))
		asd = 1e-300;
	floor_ = s > 0 ? 1e-3 * s : 1e-300;
	if (s == 0)
		s = 1;
	noisy = fast_asinh(sqrt(s2 / (double)T) * pow(2.0, 0.5 * J) / asd);
	/* Donoho's sigma, by selection (select.c) */
	if ((err = tsd_select_sigma(&sig, ws->tmp, c + off[J], lens[J])) < 0)
		return err;
	if (sig < floor_)
		sig = floor_;

	/* the window's samples and its trend (cA_J alone), for 12 and 13 */
	size_t wl = tsd_coefwin_work_len(n, J, w, mode);
	if (grow_doubles(&ws->xs, &ws->xcap, n) || grow_doubles(&ws->tr, &ws->trcap, n) ||
	    grow_doubles(&ws->cz, &ws->ccap, m) || grow_doubles(&ws->wk, &ws->wcap, wl))
		return TSD_ENOMEM;
	if ((err = tsd_coefwin_reconstruct(ws->xs, n, c, ws->wk, J, w, mode)) < 0)
		return err;
	memcpy(ws->cz, c, na * sizeof *c);
	memset(ws->cz + na, 0, T * sizeof *c);
	if ((err = tsd_coefwin_reconstruct(ws->tr, n, ws->cz, ws->wk, J, w, mode)) < 0)
		return err;
	double xlo = ws->xs[0], xhi = ws->xs[0], emax = 0;
	for (size_t i = 0; i < n; i++) {
		xlo = ws->xs[i] < xlo ? ws->xs[i] : xlo;
		xhi = ws->xs[i] > xhi ? ws->xs[i] : xhi;
		ws->tr[i] = fabs(ws->xs[i] - ws->tr[i]);	/* now the excursion */
		emax = ws->tr[i] > emax ? ws->tr[i] : emax;
	}
	double xr = xhi - xlo > 0 ? xhi - xlo : 1;
	if (!(emax > 0))
		emax = 1;

	/* magnitudes sorted, decreasing, and their running energy */
	for (size_t i = 0; i < T; i++)
		ws->mag[i] = fabs(c[na + i]);
	sort_mag(ws->mag, ws->rad, ws->rad + T, T);
	ws->cum[0] = 0;
	for (size_t i = 0; i < T; i++)
		ws->cum[i + 1] = ws->cum[i] + ws->mag[i] * ws->mag[i];

	/* the keep largest: every |d| > kth, then the first `need` equal to
	 * it in time order */
	if (keep < T) {
		if (cut)
			*cut = ldexp(ws->mag[keep], e);
		if (!keep)
			return 0;
		kth = ws->mag[keep - 1];
		need = keep - count_greater(ws->mag, T, kth);
	}

	size_t ka = 0;
	for (size_t t = 0; t < T; t++) {
		uint32_t idx = (uint32_t)(ws->key[t] & 0xffffffffu);
		unsigned lev = 63 - (unsigned)((ws->key[t] >> 32) & 63);
		unsigned b = J + 1 - lev;
		size_t k = idx - off[b], L = lens[b], lo, hi, cnt = 0, gt;
		double d = c[idx], ad = fabs(d), r = 0, mid;
		float *o = x + rows * TSD_FEAT_COUNT;

		if (keep < T && !(ad > kth)) {
			if (ad < kth || !need)
				continue;
			need--;
		}
		lo = k > NEIGH ? k - NEIGH : 0;
		hi = k + NEIGH + 1 < L ? k + NEIGH + 1 : L;
		for (size_t q = lo; q < hi; q++) {
			if (q == k)
				continue;
			r += c[off[b] + q] * c[off[b] + q];
			cnt++;
		}
		r = cnt ? sqrt(r / (double)cnt) : 0;
		if (r < floor_)
			r = floor_;
		mid = (double)(ws->key[t] >> 38) * 0.5;
		while (ka + 1 < na && fabs(ws->acen[ka + 1] - mid) <= fabs(ws->acen[ka] - mid))
			ka++;
		gt = count_greater(ws->mag, T, ad);

		o[0] = (float)fast_asinh(d / s);
		o[2] = (float)fast_asinh(ad / sig);
		o[3] = (float)fast_asinh(ad / r);
		o[4] = (float)lev;
		o[5] = (float)(J - lev);
		o[6] = (float)(mid / (double)n);
		if (na) {
			double ap = c[ka + 1 < na ? ka + 1 : ka], am = c[ka ? ka - 1 : 0];
			o[7] = (float)((c[ka] - amean) / asd);
			o[8] = (float)((ap - am) / (2 * asd));
		} else {
			o[7] = o[8] = 0;
		}
		o[9] = T > 1 ? (float)(1.0 - (double)gt / (double)(T - 1)) : 1.0f;
		o[10] = ws->cum[T] > 0 ? (float)(ws->cum[gt] / ws->cum[T]) : 0.0f;
		o[11] = (float)noisy;
		{
			size_t s0 = ws->sup[2 * (idx - na)], s1 = ws->sup[2 * (idx - na) + 1];
			double ex = 0;
			for (size_t q = s0; q <= s1 && q < n; q++)
				ex = ws->tr[q] > ex ? ws->tr[q] : ex;
			o[12] = (float)(ex / xr);
			o[13] = (float)(ex / emax);
		}
		tok[rows++] = idx;
	}

	/* feature 1: per level RMS */
	for (unsigned b = 1; b <= J; b++) {
		double en = 0;
		for (size_t k = 0; k < lens[b]; k++)
			en += c[off[b] + k] * c[off[b] + k];
		sj[b] = lens[b] ? sqrt(en / (double)lens[b]) : 0;
		if (sj[b] < floor_)
			sj[b] = floor_;
	}
	for (size_t t = 0; t < rows; t++) {
		unsigned lev = (unsigned)x[t * TSD_FEAT_COUNT + 4];
		x[t * TSD_FEAT_COUNT + 1] = (float)fast_asinh(fabs(c[tok[t]]) / sj[J + 1 - lev]);
	}
	return (int)rows;
}

int tsd_feature_window(float *x, uint32_t *tok, struct tsd_feature_ws *ws,
			const double *c, const size_t *lens, unsigned J,
			size_t n, const tsd_wavelet *w, enum tsd_mode mode)
{
	return tsd_feature_top(x, tok, NULL, ws, c, lens, J, n, w, mode, SIZE_MAX);
}
