/* dwt.c: single-level and multilevel discrete wavelet transform with
 * PyWavelets' boundary modes, lengths and layout.
 *
 * Forward, one level: with the extended signal e (see enum tsd_mode),
 *   c[o] = sum_j f[j] * e(2o + s - j),  j in [0, F), o in [0, nc)
 * where s = 1, or s = F/2 for periodization. Each output is computed in
 * one of three loop regions: left edge and right edge, where some taps
 * fall outside x and read e() through ext(), and the centre, a plain dot
 * product with the reversed filter that touches x only. Both bands are
 * computed in the same pass, sharing the loads of x.
 *
 * Inverse, one level: the zero-upsampled bands convolved with the
 * synthesis filters, keeping the "valid" part (non-periodization modes)
 * or wrapping it around a period of 2nc (periodization). Each output
 * sample takes every other tap, so the filters are split into even and
 * odd taps, reversed, and dotted with a run of consecutive coefficients.
 *
 * The centre loops use GNU vectors: four consecutive outputs of a band
 * in the forward transform (from the block's input split into even and
 * odd samples, so that every tap reads four consecutive values), four
 * output pairs in the inverse. Each lane adds its products in the same
 * order as a scalar loop would, and products are never fused, so results
 * do not depend on the vector code nor on the processor.
 */
#include <string.h>

#include "tsd.h"
#include "dwt.h"

typedef double v2d __attribute__((vector_size(16)));
typedef double v4d __attribute__((vector_size(32)));
typedef long long v4i __attribute__((vector_size(32)));

/* Hot loops built twice on x86-64 with GCC, for AVX2 machines and the
 * rest, picked at load time. Products are never fused into FMAs, so both
 * give the same bits (and the scalar order of every sum). */
#ifdef TSD_CLONES
#define HOT TSD_HOT __attribute__((optimize("fp-contract=off")))
#else
#define HOT
#endif

/* Outputs per block of the forward centre */
#define FB 256

/* Longest filter we accept (the built-in ones are at most 40). */
#define MAXF 64

static const char *const mode_names[TSD_MODE_COUNT] = {
	[TSD_MODE_ZERO] = "zero",
	[TSD_MODE_CONSTANT] = "constant",
	[TSD_MODE_SYMMETRIC] = "symmetric",
	[TSD_MODE_PERIODIC] = "periodic",
	[TSD_MODE_SMOOTH] = "smooth",
	[TSD_MODE_PERIODIZATION] = "periodization",
	[TSD_MODE_REFLECT] = "reflect",
	[TSD_MODE_ANTISYMMETRIC] = "antisymmetric",
	[TSD_MODE_ANTIREFLECT] = "antireflect",
};

int tsd_mode_parse(const char *name)
{
	int m;

	if (!name)
		return TSD_EINVAL;
	for (m = 0; m < TSD_MODE_COUNT; m++)
		if (strcmp(mode_names[m], name) == 0)
			return m;
	return TSD_ENOTFOUND;
}

const char *tsd_mode_name(enum tsd_mode mode)
{
	if ((unsigned)mode >= TSD_MODE_COUNT)
		return NULL;
	return mode_names[mode];
}

static int valid_mode(enum tsd_mode mode)
{
	return (unsigned)mode < TSD_MODE_COUNT;
}

static int valid_filter(unsigned F)
{
	return F >= 2 && F <= MAXF && F % 2 == 0;
}

static int valid_wavelet(const tsd_wavelet *w)
{
	return w && valid_filter(w->len) && w->dec_lo && w->dec_hi &&
	       w->rec_lo && w->rec_hi;
}

/* i mod p in [0, p), for p > 0 and any sign of i. */
static inline ptrdiff_t pmod(ptrdiff_t i, ptrdiff_t p)
{
	ptrdiff_t r = i % p;

	return r < 0 ? r + p : r;
}

/* Floor division for p > 0. */
static inline ptrdiff_t fdiv(ptrdiff_t i, ptrdiff_t p)
{
	ptrdiff_t q = i / p;

	return (i % p < 0) ? q - 1 : q;
}

/* Value at index i (any integer) of x (n samples) extended by mode. */
static double ext(const double *x, ptrdiff_t n, ptrdiff_t i,
		  enum tsd_mode mode)
{
	ptrdiff_t r, p;

	if (i >= 0 && i < n)
		return x[i];
	switch (mode) {
	case TSD_MODE_CONSTANT:
		return i < 0 ? x[0] : x[n - 1];
	case TSD_MODE_SYMMETRIC:
		r = pmod(i, 2 * n);
		return r < n ? x[r] : x[2 * n - 1 - r];
	case TSD_MODE_PERIODIC:
		return x[pmod(i, n)];
	case TSD_MODE_PERIODIZATION:
		r = pmod(i, n + (n & 1));
		return r < n ? x[r] : x[n - 1];
	case TSD_MODE_SMOOTH:
		if (n < 2)
			return x[0];
		if (i < 0)
			return x[0] + (double)(-i) * (x[0] - x[1]);
		return x[n - 1] + (double)(i - n + 1) * (x[n - 1] - x[n - 2]);
	case TSD_MODE_REFLECT:
		if (n < 2)
			return x[0];
		r = pmod(i, 2 * n - 2);
		return r < n ? x[r] : x[2 * n - 2 - r];
	case TSD_MODE_ANTISYMMETRIC:
		r = pmod(i, 2 * n);
		return r < n ? x[r] : -x[2 * n - 1 - r];
	case TSD_MODE_ANTIREFLECT: {
		/* Odd reflections about both ends: a period of 2(n-1) that
		 * shifts the values by 2(xn - x1) each time round. */
		double v;

		if (n < 2)
			return x[0];
		p = n - 1;
		r = pmod(i, 2 * p);
		v = r <= p ? x[r] : 2 * x[p] - x[2 * p - r];
		return v + (double)fdiv(i, 2 * p) * 2 * (x[p] - x[0]);
	}
	case TSD_MODE_ZERO:
	default:
		return 0;
	}
}

size_t tsd_dwt_len(size_t n, unsigned filter_len, enum tsd_mode mode)
{
	if (n == 0 || !valid_filter(filter_len) || !valid_mode(mode))
		return 0;
	if (mode == TSD_MODE_PERIODIZATION)
		return n / 2 + n % 2;
	if (n > SIZE_MAX - filter_len)
		return 0;
	return (n + filter_len - 1) / 2;
}

size_t tsd_idwt_len(size_t nc, unsigned filter_len, enum tsd_mode mode)
{
	if (nc == 0 || !valid_filter(filter_len) || !valid_mode(mode))
		return 0;
	if (nc > SIZE_MAX / 2)
		return 0;
	if (mode == TSD_MODE_PERIODIZATION)
		return 2 * nc;
	if (nc < filter_len / 2)
		return 0;
	return 2 * nc - filter_len + 2;
}

/* One level forward, both bands. nc = tsd_dwt_len(n). Arguments checked
 * by the caller. */
HOT static void forward(double *restrict ca, double *restrict cd,
		    const double *restrict x, size_t n, size_t nc,
		    const tsd_wavelet *w, enum tsd_mode mode)
{
	const size_t F = w->len;
	const size_t s = mode == TSD_MODE_PERIODIZATION ? F / 2 : 1;
	double glo[MAXF], ghi[MAXF];   /* (F) reversed analysis filters */
	size_t o, k, o_lo, o_hi;

	for (k = 0; k < F; k++) {
		glo[k] = w->dec_lo[F - 1 - k];
		ghi[k] = w->dec_hi[F - 1 - k];
	}
	/* c[o] = sum_k g[k] * e(2o + s - F + 1 + k): all taps inside x
	 * for o in [o_lo, o_hi). */
	o_lo = (F - s) / 2;
	o_hi = n - 1 >= s ? (n - 1 - s) / 2 + 1 : 0;
	if (o_hi > nc)
		o_hi = nc;
	if (o_lo > nc)
		o_lo = nc;

	/* left edge */
	for (o = 0; o < o_lo; o++) {
		ptrdiff_t b = (ptrdiff_t)(2 * o + s) - (ptrdiff_t)F + 1;
		double a = 0, d = 0;

		for (k = 0; k < F; k++) {
			double v = ext(x, n, b + (ptrdiff_t)k, mode);

			a += glo[k] * v;
			d += ghi[k] * v;
		}
		ca[o] = a;
		cd[o] = d;
	}
	/* centre: blocks of FB outputs; the block's input split into its
	 * even and odd samples, so that four consecutive outputs read four
	 * consecutive values at every tap */
	for (o = o_lo; o < o_hi; ) {
		size_t nb = o_hi - o < FB ? o_hi - o : FB, ne = nb - 1 + F / 2, i;
		const double *xb = x + 2 * o + s + 1 - F;
		double ev[FB + MAXF / 2], od[FB + MAXF / 2];

		for (i = 0; i < ne; i++) {
			ev[i] = xb[2 * i];
			od[i] = xb[2 * i + 1];
		}
		for (i = 0; i + 4 <= nb; i += 4) {
			v4d a = { 0, 0, 0, 0 }, d = { 0, 0, 0, 0 }, xv;

			for (k = 0; k < F; k += 2) {
				memcpy(&xv, ev + i + k / 2, sizeof xv);
				a += glo[k] * xv;
				d += ghi[k] * xv;
				memcpy(&xv, od + i + k / 2, sizeof xv);
				a += glo[k + 1] * xv;
				d += ghi[k + 1] * xv;
			}
			memcpy(ca + o + i, &a, sizeof a);
			memcpy(cd + o + i, &d, sizeof d);
		}
		for (; i < nb; i++) {
			double a = 0, d = 0;

			for (k = 0; k < F; k += 2) {
				a += glo[k] * ev[i + k / 2];
				d += ghi[k] * ev[i + k / 2];
				a += glo[k + 1] * od[i + k / 2];
				d += ghi[k + 1] * od[i + k / 2];
			}
			ca[o + i] = a;
			cd[o + i] = d;
		}
		o += nb;
	}
	/* right edge (or everything past the left edge when F > n) */
	for (o = o_lo > o_hi ? o_lo : o_hi; o < nc; o++) {
		ptrdiff_t b = (ptrdiff_t)(2 * o + s) - (ptrdiff_t)F + 1;
		double a = 0, d = 0;

		for (k = 0; k < F; k++) {
			double v = ext(x, n, b + (ptrdiff_t)k, mode);

			a += glo[k] * v;
			d += ghi[k] * v;
		}
		ca[o] = a;
		cd[o] = d;
	}
}

int tsd_dwt_forward(double *ca, double *cd, const double *x, size_t n,
		    const tsd_wavelet *w, enum tsd_mode mode)
{
	size_t nc;

	if (!ca || !cd || !x || !valid_wavelet(w) || !valid_mode(mode))
		return TSD_EINVAL;
	if (n == 0 || n > PTRDIFF_MAX / 4)
		return TSD_ESIZE;
	nc = tsd_dwt_len(n, w->len, mode);
	forward(ca, cd, x, n, nc, w, mode);
	return 0;
}

/* One level inverse: writes the first out_len samples (out_len <= the
 * full tsd_idwt_len(nc)). ca and cd are both non-NULL; a band given as
 * NULL by the user is replaced by the other one with a zero filter. */
HOT static void inverse(double *restrict out, size_t out_len,
		    const double *ca, const double *cd, size_t nc,
		    const double *rlo, const double *rhi, unsigned F,
		    enum tsd_mode mode)
{
	const size_t h = F / 2;
	/* Output 2m + t is sum_j re[t][j]*ca[m + off[t] - h + 1 + j] plus the
	 * same for cd, j in [0, h): the taps of parity par[t], reversed. */
	double elo[2][MAXF / 2], ehi[2][MAXF / 2];   /* (2, h) */
	v2d vlo[MAXF / 2 + 1], vhi[MAXF / 2 + 1];    /* (nt) pairs */
	size_t par[2], off[2];
	size_t m, j, t, nm, nt, m_lo, m_hi;

	if (mode == TSD_MODE_PERIODIZATION) {
		/* Output n gathers tap j of coefficient o where
		 * 2o + j + 1 - h = n (mod 2nc). */
		if (h % 2) {
			par[0] = 0, off[0] = (h - 1) / 2;
			par[1] = 1, off[1] = (h - 1) / 2;
		} else {
			par[0] = 1, off[0] = h / 2 - 1;
			par[1] = 0, off[1] = h / 2;
		}
	} else {
		/* The valid part of the full convolution. */
		par[0] = 0, off[0] = h - 1;
		par[1] = 1, off[1] = h - 1;
	}
	for (t = 0; t < 2; t++)
		for (j = 0; j < h; j++) {
			elo[t][j] = rlo[2 * (h - 1 - j) + par[t]];
			ehi[t][j] = rhi[2 * (h - 1 - j) + par[t]];
		}

	nm = (out_len + 1) / 2;   /* output pairs, the last maybe half */
	if (mode != TSD_MODE_PERIODIZATION) {
		/* Never wraps: off[t] - h + 1 = 0 and m + h - 1 < nc. */
		m_lo = 0;
		m_hi = nm;
	} else {
		/* No wrap where m + off - h + 1 >= 0 and m + off <= nc - 1
		 * for both t. */
		m_lo = h - 1 > off[0] ? h - 1 - off[0] : 0;
		m_hi = nc > off[1] ? nc - off[1] : 0;
	}
	if (m_hi > out_len / 2)
		m_hi = out_len / 2;   /* whole pairs only */
	if (m_lo > m_hi)
		m_lo = m_hi;

	/* centre: both outputs of a pair at once. Output 2m + t reads
	 * taps [off[t] - off[0], off[t] - off[0] + h) from base m + off[0]
	 * - h + 1; the pair's filters are padded with zeros to the union
	 * of the two ranges (h + 1 taps when off[1] = off[0] + 1). */
	nt = h + off[1] - off[0];
	for (j = 0; j < nt; j++) {
		vlo[j] = (v2d){ j < h ? elo[0][j] : 0,
				j >= nt - h ? elo[1][j - (nt - h)] : 0 };
		vhi[j] = (v2d){ j < h ? ehi[0][j] : 0,
				j >= nt - h ? ehi[1][j - (nt - h)] : 0 };
	}
	/* four pairs at a time: lane i of e (o) is output 2(m + i) (+ 1) */
	for (m = m_lo; m + 4 <= m_hi; m += 4) {
		const double *ap = ca + m + off[0] + 1 - h;
		const double *dp = cd + m + off[0] + 1 - h;
		v4d e = { 0, 0, 0, 0 }, o = { 0, 0, 0, 0 }, av, dv;

		for (j = 0; j < nt; j++) {
			memcpy(&av, ap + j, sizeof av);
			memcpy(&dv, dp + j, sizeof dv);
			e += vlo[j][0] * av + vhi[j][0] * dv;
			o += vlo[j][1] * av + vhi[j][1] * dv;
		}
		v4d lo = __builtin_shuffle(e, o, (v4i){ 0, 4, 1, 5 });
		v4d hi = __builtin_shuffle(e, o, (v4i){ 2, 6, 3, 7 });
		memcpy(out + 2 * m, &lo, sizeof lo);
		memcpy(out + 2 * m + 4, &hi, sizeof hi);
	}
	for (; m < m_hi; m++) {
		const double *ap = ca + m + off[0] + 1 - h;
		const double *dp = cd + m + off[0] + 1 - h;
		v2d acc = { 0, 0 };

		for (j = 0; j < nt; j++)
			acc += vlo[j] * ap[j] + vhi[j] * dp[j];
		out[2 * m] = acc[0];
		out[2 * m + 1] = acc[1];
	}
	/* the rest: periodization edges, where coefficient indices wrap
	 * modulo nc, and a last half pair */
	for (m = 0; m < nm; m++) {
		if (m == m_lo && m_hi > m_lo)
			m = m_hi;
		if (m >= nm)
			break;
		for (t = 0; t < 2; t++) {
			ptrdiff_t b = (ptrdiff_t)(m + off[t]) - (ptrdiff_t)h + 1;
			double v = 0;

			if (2 * m + t >= out_len)
				break;
			for (j = 0; j < h; j++) {
				ptrdiff_t i = pmod(b + (ptrdiff_t)j, (ptrdiff_t)nc);

				v += elo[t][j] * ca[i] + ehi[t][j] * cd[i];
			}
			out[2 * m + t] = v;
		}
	}
}

/* inverse() with either band possibly NULL. */
static void inverse_bands(double *out, size_t out_len, const double *ca,
			  const double *cd, size_t nc, const tsd_wavelet *w,
			  enum tsd_mode mode)
{
	static const double zeros[MAXF];

	if (!ca)
		inverse(out, out_len, cd, cd, nc, zeros, w->rec_hi, w->len,
			mode);
	else if (!cd)
		inverse(out, out_len, ca, ca, nc, w->rec_lo, zeros, w->len,
			mode);
	else
		inverse(out, out_len, ca, cd, nc, w->rec_lo, w->rec_hi, w->len,
			mode);
}

int tsd_idwt(double *x_out, const double *ca, const double *cd, size_t nc,
	     const tsd_wavelet *w, enum tsd_mode mode)
{
	size_t len;

	if (!x_out || (!ca && !cd) || !valid_wavelet(w) || !valid_mode(mode))
		return TSD_EINVAL;
	if (nc == 0 || nc > PTRDIFF_MAX / 4)
		return TSD_ESIZE;
	len = tsd_idwt_len(nc, w->len, mode);
	if (len == 0)
		return TSD_ESIZE;
	inverse_bands(x_out, len, ca, cd, nc, w, mode);
	return 0;
}

unsigned tsd_dwt_max_level(size_t n, unsigned filter_len)
{
	size_t q;
	unsigned lev = 0;

	if (filter_len < 2 || n < filter_len - 1)
		return 0;
	for (q = n / (filter_len - 1); q > 1; q >>= 1)
		lev++;
	return lev;
}

/* Approximation lengths l[0] = n, l[j] = tsd_dwt_len(l[j-1]) for j <= J.
 * Checks everything tsd_wavedec() needs. */
static int level_lengths(size_t *l, size_t n, unsigned J,
			 const tsd_wavelet *w, enum tsd_mode mode)
{
	unsigned j;

	if (!valid_wavelet(w) || !valid_mode(mode))
		return TSD_EINVAL;
	if (n == 0 || n > PTRDIFF_MAX / 4)
		return TSD_ESIZE;
	if (J > tsd_dwt_max_level(n, w->len))
		return TSD_ERANGE;
	l[0] = n;
	for (j = 1; j <= J; j++)
		l[j] = tsd_dwt_len(l[j - 1], w->len, mode);
	return 0;
}

/* J <= max level <= log2(n) < 64, so a fixed array holds the lengths. */
#define MAXJ 64

int tsd_wavedec_lengths(size_t *lens, size_t n, unsigned J,
			const tsd_wavelet *w, enum tsd_mode mode)
{
	size_t l[MAXJ + 1];
	unsigned i;
	int err;

	if (!lens)
		return TSD_EINVAL;
	err = level_lengths(l, n, J, w, mode);
	if (err)
		return err;
	lens[0] = l[J];
	for (i = 1; i <= J; i++)
		lens[i] = l[J + 1 - i];
	return 0;
}

size_t tsd_wavedec_total(size_t n, unsigned J, const tsd_wavelet *w,
			 enum tsd_mode mode)
{
	size_t l[MAXJ + 1], total;
	unsigned j;

	if (level_lengths(l, n, J, w, mode))
		return 0;
	total = l[J];
	for (j = 1; j <= J; j++) {
		if (total > SIZE_MAX - l[j])
			return 0;
		total += l[j];
	}
	return total;
}

size_t tsd_wavedec_work_len(size_t n, unsigned J, const tsd_wavelet *w,
			    enum tsd_mode mode)
{
	size_t l[MAXJ + 1];

	if (J <= 1 || level_lengths(l, n, J, w, mode))
		return 0;
	/* Intermediate approximations ping-pong between two buffers: odd
	 * levels in the first (l[1] long), even ones in the second. */
	return J == 2 ? l[1] : l[1] + l[2];
}

/* Where the approximation of level j (1 <= j < J) lives in work. */
static double *approx_buf(double *work, const size_t *l, unsigned j)
{
	return j % 2 ? work : work + l[1];
}

int tsd_wavedec(double *coeffs, double *work, const double *x, size_t n,
		unsigned J, const tsd_wavelet *w, enum tsd_mode mode)
{
	size_t l[MAXJ + 1], pos;
	unsigned j;
	int err;

	if (!coeffs || !x)
		return TSD_EINVAL;
	err = level_lengths(l, n, J, w, mode);
	if (err)
		return err;
	if (J == 0) {
		memmove(coeffs, x, n * sizeof(*x));
		return 0;
	}
	if (J >= 2 && !work)
		return TSD_EINVAL;
	/* cD_j starts after cA_J and cD_J .. cD_j+1 */
	pos = 2 * l[J];
	for (j = J - 1; j >= 1; j--)
		pos += l[j];
	/* pos is now the end; walk levels finest first */
	for (j = 1; j <= J; j++) {
		const double *in = j == 1 ? x : approx_buf(work, l, j - 1);
		double *a = j == J ? coeffs : approx_buf(work, l, j);

		pos -= l[j];
		forward(a, coeffs + pos, in, l[j - 1], l[j], w, mode);
	}
	return 0;
}

int tsd_waverec(double *x, size_t n, const double *coeffs, double *work,
		unsigned J, const tsd_wavelet *w, enum tsd_mode mode)
{
	size_t l[MAXJ + 1], pos;
	unsigned j;
	int err;

	if (!coeffs || !x)
		return TSD_EINVAL;
	err = level_lengths(l, n, J, w, mode);
	if (err)
		return err;
	if (J == 0) {
		memmove(x, coeffs, n * sizeof(*x));
		return 0;
	}
	if (J >= 2 && !work)
		return TSD_EINVAL;
	pos = l[J];   /* cD_J */
	for (j = J; j >= 1; j--) {
		const double *a = j == J ? coeffs : approx_buf(work, l, j);
		double *out = j == 1 ? x : approx_buf(work, l, j - 1);

		/* l[j-1] is the full idwt length or one less: the cut */
		inverse(out, l[j - 1], a, coeffs + pos, l[j], w->rec_lo,
			w->rec_hi, w->len, mode);
		pos += l[j];
	}
	return 0;
}

int tsd_dwt_support(size_t *i0, size_t *i1, size_t n, unsigned level,
		    size_t k, const tsd_wavelet *w, enum tsd_mode mode)
{
	size_t l[MAXJ + 1];
	ptrdiff_t a, b, F, s;
	unsigned j;

	if (!i0 || !i1 || !valid_wavelet(w) || !valid_mode(mode))
		return TSD_EINVAL;
	if (n == 0 || n > PTRDIFF_MAX / 4)
		return TSD_ESIZE;
	if (level == 0 || level > MAXJ)
		return TSD_ERANGE;
	l[0] = n;
	for (j = 1; j <= level; j++)
		l[j] = tsd_dwt_len(l[j - 1], w->len, mode);
	if (k >= l[level])
		return TSD_ERANGE;
	F = w->len;
	s = mode == TSD_MODE_PERIODIZATION ? F / 2 : 1;
	a = b = (ptrdiff_t)k;
	for (j = level; j >= 1; j--) {
		/* c[o] reads e(2o + s - F + 1) .. e(2o + s) */
		ptrdiff_t top = (ptrdiff_t)l[j - 1] - 1;

		a = 2 * a + s - F + 1;
		b = 2 * b + s;
		a = a < 0 ? 0 : a > top ? top : a;
		b = b < 0 ? 0 : b > top ? top : b;
	}
	*i0 = (size_t)a;
	*i1 = (size_t)b;
	return 0;
}
