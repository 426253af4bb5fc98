/* paa.h: Piecewise Aggregate Approximation of one window of one series.
 *
 * A window of n samples is cut into groups of `group` consecutive samples
 * and each group is replaced by its mean. The last group may be partial:
 * it is averaged over the samples it has, so the output has
 * tsd_paa_len(n, group) = ceil(n / group) values.
 *
 * With z-normalisation the window is first shifted and scaled to mean 0 and
 * (population, divide-by-n) standard deviation 1. A window whose standard
 * deviation is below the flat threshold is treated as constant and maps to
 * all zeros, the usual SAX convention: a flat window says "no shape", and
 * dividing rounding noise by a tiny std would invent one. Because PAA is
 * linear, normalising the group means gives the same result as averaging
 * the normalised samples, so no scratch buffer is needed.
 *
 * The input must be finite: NaN or infinity gives TSD_EINVAL; the caller
 * decides beforehand how to treat missing samples.
 */
#ifndef TSD_PAA_H
#define TSD_PAA_H

#include <stddef.h>

/* Default flat threshold for z-normalisation: a window is flat when its std
 * is at most this (absolute) or at most 64 ulps of its mean's magnitude
 * (relative: rounding noise around a large constant). */
#define TSD_PAA_FLAT_EPS 1e-8

/* Number of PAA values for n samples in groups of `group`; 0 if group is 0. */
size_t tsd_paa_len(size_t n, size_t group);

/* Mean and population standard deviation (divide by n) of x[0..n-1],
 * computed in two passes with a correction term. Returns 0, or TSD_EINVAL
 * when n is 0 or a sample is not finite. */
int tsd_znorm_stats(double *mean, double *std, const double *x, size_t n);

/* Write the z-normalised window into out[0..n-1] (out may equal x).
 * Flat windows (as in tsd_paa_eps) give zeros. Returns 1 if the window was
 * flat, 0 if not, or TSD_EINVAL. */
int tsd_znorm(double *out, const double *x, size_t n, double flat_eps);

/* PAA of x[0..n-1] into out[0..tsd_paa_len(n, group)-1]. znorm: nonzero to
 * z-normalise the window first, with flat threshold TSD_PAA_FLAT_EPS.
 * out may equal x (in place). Returns the number of values written, or
 * TSD_EINVAL (group 0, n 0, NULL pointer, non-finite sample). */
int tsd_paa(double *out, const double *x, size_t n, size_t group, int znorm);

/* As tsd_paa with z-normalisation and a caller-chosen flat threshold:
 * flat when std <= flat_eps or std <= 64 * DBL_EPSILON * |mean|. Pass
 * flat_eps < 0 for no z-normalisation at all. saxpy and jmotif use 0.01 for
 * data in natural units. */
int tsd_paa_eps(double *out, const double *x, size_t n, size_t group,
		double flat_eps);

#endif
