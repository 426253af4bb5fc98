/* select.h: which detail coefficients of a window to keep (the rules of
 * thresh), as pure functions over coefficient arrays.
 *
 * Every rule writes a keep mask (1 keep, 0 drop) for n coefficients and
 * returns how many it keeps. elig, when not NULL, marks the coefficients
 * that may be kept at all (those present in the stream); the others get 0.
 */
#ifndef TSD_SELECT_H
#define TSD_SELECT_H

#include <stddef.h>
#include <stdint.h>

/* Donoho's noise estimate from the finest details d (n of them):
 * sigma = median(|d|) / 0.6745, the median absolute deviation of
 * coefficients whose median is zero. The median of an even count is the
 * mean of the middle two, as numpy.median. work: n doubles. Sets 0 for
 * n = 0. */
int tsd_select_sigma(double *sigma, double *work, const double *d, size_t n);
/* The universal threshold sigma * sqrt(2 ln n) for a window of n samples
 * (0 when n < 2). */
double tsd_select_universal(double sigma, size_t n);

/* Keep |d[i]| >= thr. */
size_t tsd_select_abs(unsigned char *keep, const double *d, const unsigned char *elig, size_t n, double thr);
/* Keep score[i] >= thr. */
size_t tsd_select_score(unsigned char *keep, const float *score, const unsigned char *elig, size_t n, double thr);
/* Keep the k largest |d[i]| (of ties, the lower indices). work: n doubles.
 * Returns min(k, eligible count). */
size_t tsd_select_top(unsigned char *keep, double *work, const double *d, const unsigned char *elig,
		      size_t n, size_t k);

/* Details to keep for a reduced series of `points` points per window
 * when the coarse grid already takes `coarse` (tsd_reduce_coarse()) and
 * m details are there: points - coarse, clamped to 0..m. */
size_t tsd_select_budget(size_t points, size_t coarse, size_t m);
/* Points per window for a compression ratio: n / ratio rounded to the
 * nearest (halves up), at least 1. 0 when ratio is not >= 1. */
size_t tsd_select_ratio_points(size_t n, double ratio);
/* A series' running budget for a compression ratio R over all its
 * windows, the one rounding rule of thresh --ratio and the downsamplers'
 * -r: after each window the series should have
 *
 *     tsd_select_ratio_points(N, R)  (N / R rounded, halves up, at least 1)
 *
 * points, N its samples so far. A window that must keep more than its
 * share (a coarse grid, a method's minimum) or can keep fewer is made up
 * by the next, so a whole series gets round(n / R) points whatever its
 * windows and its short tail, give or take what its last window cannot
 * make up. Start from {0, 0}. */
typedef struct {
	uint64_t n;   /* samples so far */
	uint64_t pts; /* points given so far */
} tsd_select_run;
/* The run as text, for a restart (tool/carry.h): "n=N pts=P". Its length
 * (buf: cap bytes, NUL-terminated), or -1 when cap is too small. */
int tsd_select_run_save(char *buf, size_t cap, const tsd_select_run *r);
/* Read it back (n bytes): 0, or TSD_EFORMAT. */
int tsd_select_run_load(tsd_select_run *r, const char *s, size_t n);

/* The points the next window of n samples should take: the series' target
 * after it minus what it has (0 when it has that many already). */
size_t tsd_select_run_next(const tsd_select_run *r, size_t n, double ratio);
/* Record a window of n samples that took pts points. */
void tsd_select_run_add(tsd_select_run *r, size_t n, size_t pts);

/* Details kept for a keep fraction f (0..1) of m: m * f rounded. */
size_t tsd_select_fraction(size_t m, double f);

/* ---- the whole policy of one window (thresh: one call per window) */
#include "coefwin.h"

enum tsd_select_rule {
	TSD_SEL_DEFAULT = 0,   /* score 0.5 for scored windows, universal otherwise */
	TSD_SEL_SCORE,         /* arg: the least score kept (0..1) */
	TSD_SEL_ABS,           /* arg: the least magnitude kept */
	TSD_SEL_UNIVERSAL,     /* sigma * sqrt(2 ln n), sigma from the finest details */
	TSD_SEL_KEEP,          /* arg: the fraction of the details kept */
	TSD_SEL_BUDGET,        /* arg: points per window of the reduced series */
	TSD_SEL_RATIO,         /* arg: compression ratio of the reduced series */
};
enum { TSD_SEL_RANKED = 0, TSD_SEL_EXACT = 1, TSD_SEL_EXACT_REDUCED = 2 };

typedef struct {
	int rule;              /* enum tsd_select_rule */
	double arg;
	int exact;             /* KEEP, BUDGET, RATIO: TSD_SEL_RANKED (scores for scored
	                        * windows, else magnitudes), TSD_SEL_EXACT (magnitudes:
	                        * least squares on an orthonormal transform) or
	                        * TSD_SEL_EXACT_REDUCED (tsd_exact_reduced) */
} tsd_select_opts;

/* What the windows selected so far were like (for a tool's closing notes). */
typedef struct {
	size_t budgeted;       /* windows that had a budget (BUDGET, RATIO) */
	size_t starved;        /* of those, windows whose budget the coarse grid took whole */
	size_t starved_pts, starved_coarse; /* the budget and coarse grid of the first */
	size_t nonortho;       /* EXACT windows of a length that is not a multiple
	                        * of 2^J: ranked by magnitude, not proven least squares */
	size_t details;        /* eligible details of the last window */
} tsd_select_stats;

/* Doubles of work tsd_select_window needs for cw. */
size_t tsd_select_work_len(const tsd_coefwin *cw);
/* The coefficients of window cw to keep: keep (cw->m) is 1 for every
 * approximation coefficient present and for the details the rule keeps.
 * 0, or TSD_ERANGE: EXACT_REDUCED and more than TSD_EXACT_MAXD details;
 * TSD_EUNSUP: EXACT on a wavelet and mode that are not orthonormal at
 * any length; other negative codes from the exact search. run: the
 * series' running budget for RATIO (round(n / R) points over the whole
 * series, updated here), or NULL for round(n / R) in each window. */
int tsd_select_window(unsigned char *keep, tsd_select_stats *st, double *work,
		      const tsd_coefwin *cw, const tsd_select_opts *o, tsd_select_run *run);

#endif
