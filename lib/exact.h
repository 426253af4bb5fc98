/* exact.h: the exact reference for merge's reduced series: the choice of
 * detail coefficients that gives a window's reduced series (lib/reduce.h)
 * the least squared error, found by trying every choice. Exponential, so
 * only for windows of few details; for the reconstruction itself
 * (merge --full) the optimum of an orthonormal transform is the largest
 * magnitudes (tsd_coefwin_orthonormal). */
#ifndef TSD_EXACT_H
#define TSD_EXACT_H

#include <stddef.h>
#include <stdint.h>

#include "coefwin.h"

#define TSD_EXACT_MAXD 20   /* most eligible details a search takes */

/* Squared error against x (n samples at times t) of the series through
 * the points idx[0..np) of y (increasing sample indices), straight lines
 * between points by time and flat past the first and the last, as merge's
 * rule reads its points. */
double tsd_reduce_sse(const double *x, const double *y, const int64_t *t, size_t n,
		      const size_t *idx, size_t np);

/* For a complete window (tsd_coefwin_end): keep[m] marks the approximation
 * and the k details (of those present) whose reduced series has the least
 * tsd_reduce_sse against the window's reconstruction from every present
 * coefficient. Of equal errors, the first in the order of the search
 * (subsets of the present details as bit masks, increasing). *sse gets the
 * error. Returns the number of details kept, TSD_ERANGE when more than
 * TSD_EXACT_MAXD details are present, or another negative code. */
int tsd_exact_reduced(unsigned char *keep, double *sse, const tsd_coefwin *cw, size_t k);

#endif
