/* coefwin.h: one window of wavelet coefficients as dwt, thresh and merge
 * see it: how many levels a window gets, its band layout, its sample
 * times, and the assembly of its COEF runs, checked for order and
 * completeness, into PyWavelets' wavedec layout [cA_J, cD_J, ..., cD_1].
 *
 * Letters: n samples in the window, F filter length, J levels, m
 * coefficients of the window (all bands).
 */
#ifndef TSD_COEFWIN_H
#define TSD_COEFWIN_H

#include <stddef.h>
#include <stdint.h>

#include "dwt.h"
#include "record.h"
#include "wavelet.h"

#define TSD_COEFWIN_MAXJ 32       /* deepest level a window may carry */
#define TSD_COEFWIN_MAXN (1u << 30) /* most samples a window may hold */

/* The levels a window of n samples gets when J are asked for: J when
 * J <= tsd_dwt_max_level(n, F), else TSD_ERANGE; with partial set (the
 * short last window of a series) the deepest level that fits, and 1 when
 * not even one does (one level of any length is invertible; PyWavelets
 * warns of boundary effects there). */
int tsd_coefwin_levels(unsigned *out, size_t n, unsigned J, unsigned F, int partial);

/* Whether J levels are valid for n samples: J <= tsd_dwt_max_level(), or
 * J == 1. */
int tsd_coefwin_level_ok(size_t n, unsigned J, unsigned F);

/* As tsd_wavedec_lengths / _total / _work_len / tsd_wavedec / tsd_waverec,
 * but also for J = 1 past tsd_dwt_max_level() (single-level transform). */
int tsd_coefwin_lengths(size_t *lens, size_t n, unsigned J, const tsd_wavelet *w, enum tsd_mode mode);
size_t tsd_coefwin_total(size_t n, unsigned J, const tsd_wavelet *w, enum tsd_mode mode);
size_t tsd_coefwin_work_len(size_t n, unsigned J, const tsd_wavelet *w, enum tsd_mode mode);
int tsd_coefwin_decompose(double *coeffs, double *work, const double *x, size_t n,
			  unsigned J, const tsd_wavelet *w, enum tsd_mode mode);
int tsd_coefwin_reconstruct(double *x, size_t n, const double *coeffs, double *work,
			    unsigned J, const tsd_wavelet *w, enum tsd_mode mode);

/* 1 when the J-level transform of n samples is orthonormal: as many
 * coefficients as samples. Every built-in wavelet is orthogonal, so this
 * holds for periodization when 2^J divides n, and for haar in any mode
 * when 2^J divides n; extension modes of longer filters, and odd lengths
 * on the way down, add coefficients. Then dropping a set of detail
 * coefficients costs exactly the sum of their squares in the squared
 * error of the reconstruction (Parseval), so keeping the k largest |c|
 * (tsd_select_top) is the least-squares optimum for k. 0 otherwise or
 * for invalid arguments. */
int tsd_coefwin_orthonormal(size_t n, unsigned J, const tsd_wavelet *w, enum tsd_mode mode);

/* 1 when t[0..n-1] step by one whole number of ns, so that
 * tsd_coefwin_time() gives each back from the first and the last. */
int tsd_coefwin_regular(const int64_t *t, size_t n);
/* Time of sample i of n evenly spaced from t_first to t_last (rounded). */
int64_t tsd_coefwin_time(int64_t t_first, int64_t t_last, size_t n, size_t i);
/* 1, with the step in *step, when those n (>= 2) times are exactly t_first
 * + i * step (the span a whole multiple of n - 1); else 0. */
int tsd_coefwin_step(int64_t t_first, int64_t t_last, size_t n, int64_t *step);

/* A window being assembled. Fields are read-only for callers; they are
 * valid from tsd_coefwin_end() until the next tsd_coefwin_begin(). */
typedef struct {
	tsd_window hdr;          /* the WINDOW record */
	const tsd_wavelet *w;
	enum tsd_mode mode;
	unsigned J;
	size_t n;
	size_t lens[TSD_COEFWIN_MAXJ + 1]; /* (J + 1) band lengths */
	size_t off[TSD_COEFWIN_MAXJ + 2];  /* (J + 2) band offsets, off[J+1] = m */
	size_t m;                /* coefficients of the window */
	double *c;               /* (m) coefficients, 0 where none arrived */
	float *score;            /* (m) scores, 0 where none arrived */
	unsigned char *have;     /* (m) 1 where a coefficient arrived */
	int64_t *t;              /* (n) sample times (from TIMES or spacing) */
	int scored;              /* every run carried scores */
	int open;                /* inside WINDOW .. END */
	/* private: memory grows with what arrives, never with what a header
	 * declares. While runs follow each other without a gap they go
	 * straight into c/score/have (the first `dense` positions); after a
	 * gap (details a selector dropped) into a compact tail of (position,
	 * value, score), spread over the full layout at END. */
	unsigned band;           /* band of the last run (0 = cA_J) */
	size_t next;             /* first index the next run of that band may have */
	size_t nt;               /* times received */
	size_t mcap, ncap;
	size_t dense;            /* positions [0, dense) are in c/score/have */
	uint32_t *tpos;          /* (ntail) tail positions, increasing */
	double *tv;              /* (ntail) */
	float *ts;               /* (ntail) */
	size_t ntail, tcap;
	int nruns;
} tsd_coefwin;

void tsd_coefwin_init(tsd_coefwin *cw);
void tsd_coefwin_free(tsd_coefwin *cw);
/* Each step checks the record against the window and returns 0, or a
 * negative code with a message in err: TSD_ENOTFOUND (unknown wavelet or
 * mode), TSD_ERANGE (levels, sizes, indices), TSD_EORDER (out of order,
 * missing), TSD_ENOMEM. A WINDOW without TSD_WIN_SELECTED must carry
 * every coefficient; with it, details may be missing (dropped). */
int tsd_coefwin_begin(tsd_coefwin *cw, const tsd_window *hdr, char *err, size_t errlen);
int tsd_coefwin_times(tsd_coefwin *cw, const tsd_times *ts, char *err, size_t errlen);
int tsd_coefwin_add(tsd_coefwin *cw, const tsd_coefs *c, char *err, size_t errlen);
int tsd_coefwin_end(tsd_coefwin *cw, char *err, size_t errlen);
/* Bytes the window's buffers hold now. */
size_t tsd_coefwin_bytes(const tsd_coefwin *cw);
/* Free the buffers of a closed window when they hold more than keep
 * bytes (a large window need not stay allocated for its series). */
void tsd_coefwin_trim(tsd_coefwin *cw, size_t keep);

/* The band of coefficient i of the layout: 0 for cA_J, b >= 1 for the
 * details of level J + 1 - b; and the level (J for the approximation). */
unsigned tsd_coefwin_band(const tsd_coefwin *cw, size_t i);
static inline unsigned tsd_coefwin_band_level(const tsd_coefwin *cw, unsigned b)
{
	return b == 0 ? cw->J : cw->J + 1 - b;
}

/* Where the coefficients of one window sit in time (the t0 and t1 columns
 * of coefficient CSV): set from the window's header, then the times of the
 * first and last sample of a coefficient's support, spread evenly between
 * the window's first and last sample time. A window of unknown wavelet or
 * mode spans the whole window. */
typedef struct {
	int64_t t_first, t_last;
	uint32_t n;
	int mode;              /* < 0: unknown wavelet or mode */
	const tsd_wavelet *wav;
} tsd_coef_place;

void tsd_coef_place_set(tsd_coef_place *p, const tsd_window *w);
void tsd_coef_place_span(int64_t *t0, int64_t *t1, const tsd_coef_place *p,
			 unsigned level, size_t k);

#endif
