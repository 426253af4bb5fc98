/* downsample.h: classic point-selecting downsamplers for one series.
 *
 * Every method reads one series (values v, and where it needs them the
 * sample positions) of n points and writes the INDICES of the points it
 * keeps, in increasing order, into a caller buffer idx of idx_cap entries;
 * it returns the number written or a negative TSD_E* code. A tool then
 * emits the original points idx[0..count). *_length() says how many
 * entries a call may write at most; the fixed-count methods check
 * idx_cap against it up front, sdt and deadband (whose count is known
 * only at the end) accept a smaller buffer and return TSD_ESIZE if it
 * fills. idx may be NULL (with idx_cap 0) to count only.
 *
 * Every method keeps the first and the last point, and keeps all points
 * when n <= n_out.
 *
 * Positions, two kinds:
 *   const double *x   for the area of LTTB; NULL means x[i] = i. Any unit
 *                     (seconds are a good choice); it must not decrease.
 *   const int64_t *t  for the time tests of SDT and deadband (ns, or any
 *                     integer unit in which tmin/tmax are given); NULL means
 *                     t[i] = i. It must increase strictly (else TSD_EORDER).
 * Values must not be NaN: with NaN the indices are still valid and sorted
 * but which points are chosen is unspecified.
 *
 * Methods:
 *   nth         every k-th point from the first, plus the last.
 *   minmax      first, last, and the min and max of (n_out-2)/2 buckets of
 *               equal count over points 1..n-2 (n_out even).
 *   m4          first, min, max, last of n_out/4 equal-count buckets,
 *               duplicates removed (n_out a multiple of 4).
 *   lttb        Largest-Triangle-Three-Buckets (Steinarsson 2013).
 *   minmaxlttb  MinMax preselection, then LTTB (Van Der Donckt et al. 2023).
 *   sdt         swinging door trending, OSIsoft PI's compression test.
 *   deadband    PI's exception test, with the point before each change.
 */
#ifndef TSD_DOWNSAMPLE_H
#define TSD_DOWNSAMPLE_H

#include <stddef.h>
#include <stdint.h>

/* nth: keep 0, k, 2k, ... and n-1 (the last is always kept). */
size_t tsd_ds_nth_length(size_t n, size_t k);
ptrdiff_t tsd_ds_nth(size_t *idx, size_t idx_cap, size_t n, size_t k);
/* The smallest stride k whose nth output has at most n_out points
 * (n_out >= 2); 1 when n <= n_out. */
size_t tsd_ds_nth_stride(size_t n, size_t n_out);

/* minmax: exactly n_out indices when n > n_out (n_out even, >= 2). In each
 * bucket the first occurrence of the min and of the max, in index order;
 * a constant bucket gives its first and last index. Timestamps are not
 * needed: buckets are of equal count. */
size_t tsd_ds_minmax_length(size_t n, size_t n_out);
ptrdiff_t tsd_ds_minmax(size_t *idx, size_t idx_cap, const double *v, size_t n,
			size_t n_out);

/* m4: at most n_out indices (n_out a multiple of 4, >= 4): 4 per bucket
 * before duplicates are removed (a bucket whose first point is also its
 * min gives 3). Ties: first occurrence. */
size_t tsd_ds_m4_length(size_t n, size_t n_out);
ptrdiff_t tsd_ds_m4(size_t *idx, size_t idx_cap, const double *v, size_t n,
		    size_t n_out);

/* lttb: exactly n_out indices when n > n_out (n_out >= 2). Buckets as in
 * Steinarsson's reference: points 1..n-2 in n_out-2 buckets, bucket b
 * holding [1 + floor(b*e), 1 + floor((b+1)*e)) with e = (n-2)/(n_out-2);
 * the third vertex is the mean of the next bucket (the last point for the
 * last bucket); ties go to the first point. */
size_t tsd_ds_lttb_length(size_t n, size_t n_out);
ptrdiff_t tsd_ds_lttb(size_t *idx, size_t idx_cap, const double *x,
		      const double *v, size_t n, size_t n_out);

/* minmaxlttb: when n / n_out > ratio, MinMax keeps the first, the last
 * and ratio*n_out points of 1..n-2, then LTTB runs on those with their own
 * x (not their rank); otherwise plain LTTB. ratio >= 2 (0 means 4).
 * Allocates a work area of about 24*ratio*n_out bytes. */
#define TSD_DS_MINMAXLTTB_RATIO 4
size_t tsd_ds_minmaxlttb_length(size_t n, size_t n_out);
ptrdiff_t tsd_ds_minmaxlttb(size_t *idx, size_t idx_cap, const double *x,
			    const double *v, size_t n, size_t n_out,
			    unsigned ratio);

/* Options of the PI-style archive filters, named as in PI:
 *   dev   CompDev (sdt) or ExcDev (deadband), in units of v, >= 0
 *   tmin  CompMin: a point closer than tmin after the last archived
 *         point is never archived, the last point excepted (0: none);
 *         sdt only
 *   tmax  CompMax / ExcMax: archive at least this often (0: never forced).
 *         When a new point lies more than tmax after the last archived
 *         one, the point before it is archived first, so archived points
 *         are at most tmax apart wherever two samples are.
 * Units of tmin and tmax: those of t. */
struct tsd_ds_arch {
	double dev;
	int64_t tmin;
	int64_t tmax;
};

/* sdt: swinging door trending as PI documents its compression test: the
 * held point is archived when the line from the last archived point to
 * the new point passes farther than dev from any point in between. The
 * two doors (slopes from the last archived point +-dev) make that O(1)
 * per point. With tmin == 0 the straight line between consecutive
 * archived points is within dev of every original sample. */
size_t tsd_ds_sdt_length(size_t n);
ptrdiff_t tsd_ds_sdt(size_t *idx, size_t idx_cap, const int64_t *t,
		     const double *v, size_t n, const struct tsd_ds_arch *opt);

/* deadband: archive a point whose value differs from the last archived
 * value by more than dev, and with it the point just before it (when not
 * archived yet), so that the line drawn between archived points shows a
 * flat stretch as flat and the change where it happened. Between
 * consecutive archived points the line then stays within 2*dev of every
 * sample. tmin is ignored. */
size_t tsd_ds_deadband_length(size_t n);
ptrdiff_t tsd_ds_deadband(size_t *idx, size_t idx_cap, const int64_t *t,
			  const double *v, size_t n,
			  const struct tsd_ds_arch *opt);

/* Target count to parameter: search dev (opt->dev is the output; tmin,
 * tmax are kept) for the most points not above n_out, the smallest dev
 * of those; the count is not monotone in dev, so a geometric grid of
 * devs, then bisection inside each grid step that crosses n_out (see
 * arch_fit in downsample.c). Returns that count, or TSD_ERANGE when even the largest
 * useful dev (the range of v) keeps more than n_out (tmax forces them);
 * opt->dev is then that largest dev. */
ptrdiff_t tsd_ds_sdt_fit(struct tsd_ds_arch *opt, const int64_t *t,
			 const double *v, size_t n, size_t n_out);
ptrdiff_t tsd_ds_deadband_fit(struct tsd_ds_arch *opt, const int64_t *t,
			      const double *v, size_t n, size_t n_out);

/* Top an archive up to a count: when no deviation gives n_out points
 * (counts jump on quantised data, and are not monotone), sdt and deadband
 * with -n add, one at a time, the sample farthest from the line between
 * the kept points around it, until n_out (or every sample) is kept.
 * idx: (cnt) increasing indices, room for cap; t as for the filters
 * (NULL: indices). Returns the new count, TSD_ESIZE when cap < n_out,
 * TSD_ENOMEM. */
ptrdiff_t tsd_ds_topup(size_t *idx, size_t cnt, size_t cap, const int64_t *t, const double *v,
		       size_t n, size_t n_out);

#endif
