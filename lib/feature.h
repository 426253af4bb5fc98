/* feature.h (not features.h, which would hide glibc's <features.h>
 * behind -Ilib): the input features of the importance scorer (lib/model.h).
 *
 * A window's tokens are its detail coefficients (every band of the layout
 * [cA_J, cD_J, ..., cD_1] but the first), put in time order: by the
 * middle of the samples each one covers (tsd_dwt_support), coarser level
 * first at equal middles, then by index. Attention (a band of +-R tokens)
 * then sees the coefficients of every level near the same time.
 *
 * Each token gets TSD_FEAT_COUNT features, all free of the series' units
 * (a series scaled by any a != 0 and shifted by any b gives the same
 * features, up to the sign of feature 0 and 8 when a < 0):
 *
 *   0  asinh(d / s)            s: RMS of the window's details
 *   1  asinh(|d| / s_j)        s_j: RMS of the details of d's level
 *   2  asinh(|d| / sigma)      sigma: MAD / 0.6745 of the finest details
 *                              (Donoho's noise estimate)
 *   3  asinh(|d| / r)          r: RMS of the <= 4 neighbours on each side
 *                              in d's level (quiet or noisy stretch)
 *   4  j                       d's level (1 = finest)
 *   5  J - j                   levels above d's
 *   6  p                       middle of d's support / n (0..1)
 *   7  (a - mean) / sd         the approximation coefficient nearest in
 *                              time, standardised over the window's cA_J
 *   8  (a+ - a-) / (2 sd)      the local slope of the approximation
 *   9  q                       magnitude quantile: 1 for the largest |d|
 *                              of the window, 0 for the smallest
 *   10 E>                      share of the detail energy held by details
 *                              larger than |d| (0 for the largest)
 *   11 asinh(s 2^(J/2) / sd)   how noisy the window is beside its signal
 *   12 e / range               e: the largest |x - trend| over d's support
 *                              (x the window's samples, trend its
 *                              reconstruction from cA_J alone)
 *   13 e / E                   E: the largest |x - trend| of the window
 *
 * Every divisor is floored at 1e-3 s (and sd at 1e-300), so a constant or
 * all-zero window gives finite features.
 */
#ifndef TSD_FEATURE_H
#define TSD_FEATURE_H

#include <stddef.h>
#include <stdint.h>

#include "dwt.h"
#include "wavelet.h"

#define TSD_FEAT_COUNT 14

/* Scratch for tsd_feature_window(); init zeroes it, the call grows it. */
struct tsd_feature_ws {
	size_t cap, acap;
	uint64_t *key;   /* (T) sort keys */
	uint64_t *key2;  /* (T) merge sort scratch */
	uint64_t *rad;   /* (2T) radix sort scratch */
	double *mag;     /* (T) |d| sorted, decreasing */
	double *cum;     /* (T + 1) energy of the largest i details */
	double *tmp;     /* (2T) */
	double *acen;    /* (na) middles of the approximation coefficients */
	double *scaled;  /* (m) the coefficients scaled down, when their squares would overflow */
	size_t scap;
	/* the shape whose time order key and acen hold (ovalid) */
	size_t on, olen[61];
	uint32_t *sup;   /* (2T) support [i0, i1] of each detail, by layout index - na */
	double *xs, *tr, *cz, *wk;  /* the window's samples, its trend, scratch */
	size_t xcap, trcap, ccap, wcap;
	unsigned oJ, oF;
	int omode, ovalid;
};

void tsd_feature_ws_init(struct tsd_feature_ws *ws);
void tsd_feature_ws_free(struct tsd_feature_ws *ws);

/* Tokens of a window: the detail coefficients, sum of lens[1..J]. */
size_t tsd_feature_tokens(const size_t *lens, unsigned J);

/* x (T, TSD_FEAT_COUNT) features and tok (T) the layout index of each
 * token (lens[0] <= tok[t] < m), T = tsd_feature_tokens(). c (m) is the
 * window's coefficients in the layout whose J + 1 band lengths are lens
 * (from tsd_coefwin_lengths for n samples, w, mode); missing
 * coefficients are 0. Returns T, TSD_EINVAL when a coefficient is NaN or
 * infinite (nothing is written then), TSD_ENOMEM. */
int tsd_feature_window(float *x, uint32_t *tok, struct tsd_feature_ws *ws,
			const double *c, const size_t *lens, unsigned J,
			size_t n, const tsd_wavelet *w, enum tsd_mode mode);

/* The same features for the keep details of largest magnitude only, in
 * time order (ties at the smallest kept magnitude go to the earliest
 * tokens): what the scorer's candidates need, without the work for the
 * others. Returns the rows written, min(keep, T). *cut (may be NULL): the
 * largest magnitude left out, 0 when none is. */
int tsd_feature_top(float *x, uint32_t *tok, double *cut, struct tsd_feature_ws *ws,
		    const double *c, const size_t *lens, unsigned J, size_t n,
		    const tsd_wavelet *w, enum tsd_mode mode, size_t keep);

#endif
