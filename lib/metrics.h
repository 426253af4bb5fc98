/* metrics.h: fidelity of a reduced (downsampled) series to its original.
 *
 * The reduced series is read the way a consumer reads it: by straight-line
 * interpolation at the original's timestamps. Before the first reduced
 * point the first value is held, after the last the last value is held.
 * Where several reduced points share a timestamp, the value at exactly
 * that time is the last of them (the line jumps there).
 *
 * Both series must be sorted by time (non-decreasing, else TSD_EORDER)
 * and hold finite values (else TSD_EINVAL).
 *
 * Letters: n original points t[], v[]; m reduced points tr[], vr[];
 * u[i] the reduced series interpolated at t[i]; e[i] = u[i] - v[i].
 */
#ifndef TSD_METRICS_H
#define TSD_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "events.h"

/* out[i] = reduced series at t[i], i < n. One merge walk, O(n + m).
 * m must be >= 1. */
int tsd_metrics_interp(double *out, const int64_t *t, size_t n,
		       const int64_t *tr, const double *vr, size_t m);

struct tsd_metrics_opts {
	double peak_tol;       /* a peak is kept when |e| <= tolerance */
	int peak_tol_rel;      /* nonzero: tolerance = peak_tol * range */
	uint64_t bytes_orig;   /* encoded sizes for the byte ratio; 0 = unknown */
	uint64_t bytes_red;
};

/*
 * Figures for one series, or for many combined with tsd_metrics_merge().
 * The sums are what combines; the derived figures are recomputed from
 * them, so merging per-series results equals one pass over all samples.
 *
 * range      max(v) - min(v) of the original; a flat series (range 0) is
 *            normalised by 1 instead and counted in 'flat'.
 * nrmse      sqrt(sumsq_norm / n), sumsq_norm = sum (e[i] / range)^2, i.e.
 *            RMSE / range for one series; over many series the pooled RMS
 *            of range-normalised errors.
 * maxabs     max |e[i]|; the first sample where it occurs is maxabs_idx
 *            (index into the original), maxabs_t its time, maxabs_series
 *            the series' position in a merge (0 for a single series).
 * win_*      the same restricted to samples with t[i] inside any window.
 * peaks      for every window holding at least one original sample, the
 *            original's largest and smallest value inside it are two
 *            peaks; a peak is kept when, at some sample inside the window
 *            where the original takes that value (ties: any of them),
 *            the reduced series is within the tolerance of it. So the
 *            peak must appear at a time the original had it, not merely
 *            somewhere in the window. A window with no sample counts in
 *            windows_empty only. Cost: O(log n + window size * log m).
 * ratios     n / m and bytes_orig / bytes_red (0 when bytes unknown).
 */
struct tsd_metrics {
	/* sums */
	size_t series;
	size_t n, m;
	uint64_t bytes_orig, bytes_red;
	double sumsq, sumsq_norm;
	size_t flat;
	double vmin, vmax;            /* of the original(s) */
	double maxabs;
	size_t maxabs_series, maxabs_idx;
	int64_t maxabs_t;
	size_t win_n;
	double win_sumsq, win_sumsq_norm;
	double win_maxabs;
	size_t win_maxabs_series, win_maxabs_idx;
	int64_t win_maxabs_t;
	size_t windows, windows_empty;
	size_t peaks_total, peaks_kept;
	/* derived */
	double range;                 /* vmax - vmin; of one series only */
	double ratio_points, ratio_bytes;
	double rmse, nrmse;
	double win_rmse, win_nrmse;   /* 0 when win_n == 0 */
	/* the noise floor (tsd_metrics_set_noise): sum of n * (sigma /
	 * range)^2, and its RMS over the samples, pooled as nrmse is */
	double noise_sumsq_norm;
	double noise;
};

/* An empty result: the identity of tsd_metrics_merge(). */
void tsd_metrics_init(struct tsd_metrics *mt);

/* Compare one reduced series with its original. w may be NULL when nw
 * is 0; opt may be NULL (tolerance 0, bytes unknown). n, m >= 1.
 * O(n * nw + m) time plus the peaks', no allocation. */
int tsd_metrics_series(struct tsd_metrics *out,
		       const int64_t *t, const double *v, size_t n,
		       const int64_t *tr, const double *vr, size_t m,
		       const struct tsd_window *w, size_t nw,
		       const struct tsd_metrics_opts *opt);

/* The white-noise floor of a series, over its range: q = sigma / range
 * with sigma = median |v[i+1] - v[i]| * 1.4826 / sqrt 2. First
 * differences of white noise of sd s have sd s * sqrt 2 and a median
 * absolute value of 0.6745 times that (1.4826 = 1 / 0.6745), while a slow
 * signal and a few jumps barely move the median. Where noise dominates, no
 * reduced series read by straight lines gets far below it. Computed on
 * halved values, so values near +-DBL_MAX give a finite q; a flat series
 * gives 0. work: n - 1 doubles. Sets 0 for n < 2. */
int tsd_metrics_noise(double *q, double *work, const double *v, size_t n);
/* Record a series' noise floor q (tsd_metrics_noise) in its figures
 * (after tsd_metrics_series). */
void tsd_metrics_set_noise(struct tsd_metrics *mt, double q);

/* acc += b: add b's sums into acc and recompute acc's derived figures.
 * b's series are numbered after acc's for the *_series fields. */
void tsd_metrics_merge(struct tsd_metrics *acc, const struct tsd_metrics *b);

#endif
