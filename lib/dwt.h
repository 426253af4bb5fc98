/* dwt.h: the discrete wavelet transform, single level and multilevel,
 * with PyWavelets' boundary modes, lengths and coefficient order, so that
 * tsd_wavedec() matches pywt.wavedec() and tsd_waverec() inverts it.
 *
 * Letters used in the comments: n input length, F filter length (even),
 * J levels, nc coefficients per band at one level.
 */
#ifndef TSD_DWT_H
#define TSD_DWT_H

#include <stddef.h>

#include "wavelet.h"

/* How the signal x1..xn is extended past its ends, as in PyWavelets. The
 * values are stored in frames: never renumber, only append.
 *
 *   zero           ... 0  0 | x1 x2 ... xn | 0  0 ...
 *   constant       ... x1 x1 | x1 x2 ... xn | xn xn ...
 *   symmetric      ... x2 x1 | x1 x2 ... xn | xn xn-1 ...   (half-sample)
 *   periodic       ... xn-1 xn | x1 x2 ... xn | x1 x2 ...
 *   smooth         ... x1+2d x1+d | x1 x2 ... xn | xn+e xn+2e ...
 *                  where d = x1-x2, e = xn-xn-1 (first-order extrapolation)
 *   periodization  like periodic, but an odd n is first padded with xn so
 *                  the period is even, and only ceil(n/2) coefficients
 *                  per band are kept (no redundancy):
 *                  ... xn xn | x1 x2 ... xn | xn x1 x2 ...   (n odd)
 *   reflect        ... x3 x2 | x1 x2 ... xn | xn-1 xn-2 ...  (whole-sample)
 *   antisymmetric  ... -x2 -x1 | x1 x2 ... xn | -xn -xn-1 ...
 *   antireflect    ... 2x1-x3 2x1-x2 | x1 x2 ... xn | 2xn-xn-1 2xn-xn-2 ...
 *
 * Extensions longer than the signal repeat the pattern (antireflect also
 * drifts by 2(xn-x1) per period), as PyWavelets does. With n = 1, smooth,
 * reflect and antireflect behave as constant (PyWavelets hangs on reflect
 * and antireflect there).
 */
enum tsd_mode {
	TSD_MODE_ZERO = 0,
	TSD_MODE_CONSTANT = 1,
	TSD_MODE_SYMMETRIC = 2,
	TSD_MODE_PERIODIC = 3,
	TSD_MODE_SMOOTH = 4,
	TSD_MODE_PERIODIZATION = 5,
	TSD_MODE_REFLECT = 6,
	TSD_MODE_ANTISYMMETRIC = 7,
	TSD_MODE_ANTIREFLECT = 8,
	TSD_MODE_COUNT
};

/* The mode named name (PyWavelets' names: "symmetric", ...), or
 * TSD_ENOTFOUND. */
int tsd_mode_parse(const char *name);
/* The name of mode, or NULL when mode is not a valid mode. */
const char *tsd_mode_name(enum tsd_mode mode);

/* Coefficients per band of a single-level dwt of n samples
 * (pywt.dwt_coeff_len); 0 for invalid arguments. */
size_t tsd_dwt_len(size_t n, unsigned filter_len, enum tsd_mode mode);
/* Samples out of a single-level idwt of nc coefficients per band (the
 * length of pywt.idwt's result); 0 when nc is too short for the filter
 * (non-periodization modes need nc >= F/2) or arguments are invalid. */
size_t tsd_idwt_len(size_t nc, unsigned filter_len, enum tsd_mode mode);

/* Single-level forward transform of x (n >= 1): writes tsd_dwt_len()
 * approximation coefficients to ca and as many detail coefficients to cd.
 * Equal to pywt.dwt(x, w, mode). */
int tsd_dwt_forward(double *ca, double *cd, const double *x, size_t n,
		    const tsd_wavelet *w, enum tsd_mode mode);

/* Single-level inverse: writes tsd_idwt_len(nc) samples to x_out. Either
 * ca or cd may be NULL, meaning all zeros (not both). Equal to
 * pywt.idwt(ca, cd, w, mode). */
int tsd_idwt(double *x_out, const double *ca, const double *cd, size_t nc,
	     const tsd_wavelet *w, enum tsd_mode mode);

/* Deepest useful level for n samples (pywt.dwt_max_level):
 * floor(log2(n / (F - 1))), 0 when n < F - 1. */
unsigned tsd_dwt_max_level(size_t n, unsigned filter_len);

/* Band lengths of a J-level decomposition of n samples, in PyWavelets'
 * order [cA_J, cD_J, cD_J-1, ..., cD_1]: lens has J + 1 entries. J = 0
 * gives lens[0] = n. TSD_ERANGE when J > tsd_dwt_max_level(). */
int tsd_wavedec_lengths(size_t *lens, size_t n, unsigned J,
			const tsd_wavelet *w, enum tsd_mode mode);
/* Total coefficients of the decomposition (sum of the band lengths), the
 * size of the coeffs buffer; 0 for invalid arguments or J too deep. */
size_t tsd_wavedec_total(size_t n, unsigned J, const tsd_wavelet *w,
			 enum tsd_mode mode);
/* Doubles of scratch that tsd_wavedec() and tsd_waverec() need; 0 when
 * none is needed (J <= 1; work may then be NULL) or arguments are
 * invalid. */
size_t tsd_wavedec_work_len(size_t n, unsigned J, const tsd_wavelet *w,
			    enum tsd_mode mode);

/* J-level decomposition of x (n samples) into coeffs (tsd_wavedec_total()
 * doubles): all bands concatenated in the order [cA_J, cD_J, ..., cD_1],
 * as pywt.wavedec(x, w, mode, level=J) returns them. J = 0 copies x.
 * work: tsd_wavedec_work_len() doubles. No allocation.
 * TSD_ERANGE when J > tsd_dwt_max_level(n, F). */
int tsd_wavedec(double *coeffs, double *work, const double *x, size_t n,
		unsigned J, const tsd_wavelet *w, enum tsd_mode mode);

/* Inverse of tsd_wavedec(): reconstructs exactly n samples into x from
 * coeffs laid out as tsd_wavedec() writes them for the same n, J, w and
 * mode. Where pywt.waverec would give n + 1 samples (odd lengths), each
 * level is cut to the length of the next detail band, as pywt does
 * between levels, and the result to n. work as for tsd_wavedec(). */
int tsd_waverec(double *x, size_t n, const double *coeffs, double *work,
		unsigned J, const tsd_wavelet *w, enum tsd_mode mode);

/* The input samples [*i0, *i1] (clamped to [0, n-1]) that coefficient k of
 * a band at the given level (1 = finest, cD_1; approximation and detail
 * bands of one level share the span) is computed from, ignoring the
 * wrap-around of periodic extensions: the time span a coefficient covers.
 * TSD_ERANGE when level is 0 or k is past the band's end. */
int tsd_dwt_support(size_t *i0, size_t *i1, size_t n, unsigned level,
		    size_t k, const tsd_wavelet *w, enum tsd_mode mode);

#endif
