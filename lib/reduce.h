/* reduce.h: the reduced series of a window, merge's default output: a
 * plain (time, value) series with fewer points than the window, whose
 * straight-line interpolation follows the reconstruction.
 *
 * The rule. A window of n samples and J levels has a coarse grid of
 * ceil(n / 2^J) dyadic blocks of 2^J samples (the last may be shorter);
 * each block gives one point, at its middle sample (the lower of two).
 * Then each kept detail coefficient, coarsest level first and in index
 * order within a level, adds one point: the sample, not yet a point,
 * where the reconstruction departs most from the line through the points
 * so far, looked for among the samples the coefficient covers
 * (tsd_dwt_support), or when all of those are points already, the nearest
 * sample that is not. So a window gives exactly
 *
 *     min(n, ceil(n / 2^J) + kept)
 *
 * points, each a sample of the reconstruction at its own time: a region
 * where no detail was kept is at the coarse rate, one with details at the
 * finer rate their levels imply. Beyond the first and last point of the
 * window the line is taken as flat.
 */
#ifndef TSD_REDUCE_H
#define TSD_REDUCE_H

#include <stddef.h>
#include <stdint.h>

#include "dwt.h"
#include "wavelet.h"

/* ceil(n / 2^J): points of the coarse grid (n for J = 0). */
size_t tsd_reduce_coarse(size_t n, unsigned J);
/* min(n, tsd_reduce_coarse(n, J) + kept): points of a window. */
size_t tsd_reduce_len(size_t n, unsigned J, size_t kept);

/* Choose the points of a window. idx: tsd_reduce_len() entries, written
 * with the chosen sample indices in increasing order. mark: n bytes of
 * scratch. y: (n) the reconstruction. keep: (m) 1 for each coefficient
 * kept, in the layout [cA_J, cD_J, ..., cD_1] whose J + 1 band lengths are
 * lens (the approximation part is not read). Returns the number of points
 * or a negative code. */
int tsd_reduce(size_t *idx, unsigned char *mark, const double *y, size_t n,
	       const unsigned char *keep, const size_t *lens, unsigned J,
	       const tsd_wavelet *w, enum tsd_mode mode);

/* Clamp y[0..n-1] into [lo, hi], the range of the samples a window's
 * reconstruction stands for (dwt sends it with the window's END): the
 * ringing of a wavelet reconstruction at a step (Gibbs) never becomes a
 * value the sensor never gave. Each value only moves toward every sample
 * of the window, so no point's error grows. Returns how many moved. */
size_t tsd_reduce_clamp(double *y, size_t n, double lo, double hi);

/* The range [*lo, *hi] of v[0..n-1] (n >= 1, no NaN): what dwt sends with
 * a window for the clamp above. Branch-free, four lanes. */
void tsd_reduce_range(const double *v, size_t n, double *lo, double *hi);

/* The least-squares values of the points (merge's default).
 *
 * Given the points' times, fit their values so that the straight lines
 * between them have the least squared error against the samples they
 * span. Samples (t, y), n of them, increasing times; the points are the
 * samples idx[0] < ... < idx[p-1] (p >= 1). A sample between two points
 * is read on the line between them; one before the first point is read
 * on the line from the fixed point (tl, vl) when has_left (the last point
 * already written, from the window before: so windows join without a
 * jump), else flat at the first point's value; one after the last point
 * flat at its value (what a reader sees until the next window comes; the
 * next window fits those samples again against its own first point). The
 * normal equations are tridiagonal and positive definite (each point is a
 * sample with weight 1 on its own value), solved by elimination in O(n).
 *
 * Then each value is clamped into the range of the samples it stands for:
 * those from the point before it to the point after it (from the first
 * sample, to the last, at the ends), so the reduced series never leaves
 * the samples' range (margin 0). When every sample is a point, v = y.
 *
 * v: (p) the values. work: 3 * p doubles. Returns 0 or TSD_EINVAL (times
 * not increasing, tl not before t[0], indices out of order). */
int tsd_reduce_fit(double *v, double *work, const int64_t *t, const double *y, size_t n,
		   const size_t *idx, size_t p, int has_left, int64_t tl, double vl);

/* What merge's fit carries from a window of a series to the next, as text
 * for a restart (tool/carry.h): "-" when nothing (the next window starts
 * afresh), else "tl=T vl=V n=K" then K blanks-separated "DT:Y", the samples
 * after the last point (t = T + DT), values in C99 hex-float form so that
 * they read back bit for bit. Its length (buf: cap bytes), or -1 when cap
 * is too small. */
int tsd_reduce_carry_save(char *buf, size_t cap, int have, int64_t tl, double vl, size_t nt,
			  const int64_t *t, const double *y);
/* Read it back (s: n bytes). *nt is the number of samples, at most cap
 * (n / 4 + 1 is always enough). 0, TSD_EFORMAT or TSD_ESIZE. */
int tsd_reduce_carry_load(const char *s, size_t n, int *have, int64_t *tl, double *vl, size_t *nt,
			  int64_t *t, double *y, size_t cap);

#endif
