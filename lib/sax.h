/* sax.h: Symbolic Aggregate approXimation (SAX) of PAA values.
 *
 * Symbols are numbers 0..alpha-1, 0 being the lowest; the tool maps them to
 * letters ('a' + symbol). The breakpoints cut the standard normal into
 * alpha equiprobable intervals: bp[i] = Phi^-1((i + 1) / alpha) for
 * i = 0..alpha-2, computed here (no hand-typed table). Symbol k covers
 *
 *	k = 0:          (-inf,    bp[0])
 *	0 < k < a-1:    [bp[k-1], bp[k])
 *	k = a-1:        [bp[a-2], +inf)
 *
 * so a value equal to a breakpoint takes the upper symbol.
 *
 * MINDIST (Lin, Keogh, Lonardi, Chiu 2003; Lin et al. 2007) between two
 * words of w symbols standing for windows of n samples:
 *
 *	MINDIST = sqrt(n / w) * sqrt(sum_i dist(a_i, b_i)^2)
 *	dist(r, c) = 0 if |r - c| <= 1, else bp[max(r,c) - 1] - bp[min(r,c)]
 *
 * It lower-bounds the Euclidean distance of the two z-normalised windows
 * when every PAA group has n / w samples (n a multiple of w); with a
 * partial last group the bound may not hold.
 */
#ifndef TSD_SAX_H
#define TSD_SAX_H

#include <stddef.h>
#include <stdint.h>

#define TSD_SAX_MIN_ALPHA 2
#define TSD_SAX_MAX_ALPHA 256	/* symbols fit a uint8_t */

/* How tsd_sax_decode turns a symbol back into a value. */
enum {
	/* conditional mean of N(0,1) on the symbol's interval:
	 * (phi(lo) - phi(hi)) / (Phi(hi) - Phi(lo)) = alpha * (phi(lo) - phi(hi)) */
	TSD_SAX_DECODE_MEAN = 0,
	/* interval midpoint; the two unbounded outer intervals take the
	 * point that halves their probability, Phi^-1(1 / (2 alpha)) and
	 * its mirror, which is finite and inside the interval */
	TSD_SAX_DECODE_MID = 1,
};

/* Inverse of the standard normal CDF: Acklam's rational approximation
 * refined by Halley steps against erfc, to about 1e-15 relative. Returns
 * -inf at 0, +inf at 1, NaN outside [0, 1]. */
double tsd_sax_norm_ppf(double p);

/* Breakpoints for alpha symbols into bp[0..alpha-2]; exactly symmetric,
 * with 0 in the middle for even alpha. Returns alpha - 1, or TSD_EINVAL
 * for alpha outside TSD_SAX_MIN_ALPHA..TSD_SAX_MAX_ALPHA. */
int tsd_sax_breakpoints(double *bp, int alpha);

/* Symbol 0..alpha-1 of v by binary search in bp (alpha - 1 breakpoints);
 * a value equal to a breakpoint goes to the upper symbol. TSD_EINVAL for
 * NaN or a bad alpha. */
int tsd_sax_symbol(double v, const double *bp, int alpha);

/* Encode m PAA values. The _bp form takes breakpoints computed once by
 * tsd_sax_breakpoints (cheaper when called per window). Return m, or
 * TSD_EINVAL (NaN value, bad alpha), TSD_ERANGE (m > INT_MAX). */
int tsd_sax_encode(uint8_t *sym, const double *paa, size_t m, int alpha);
int tsd_sax_encode_bp(uint8_t *sym, const double *paa, size_t m,
		      const double *bp, int alpha);

/* The representative value of each symbol into val[0..alpha-1], by `how`
 * (TSD_SAX_DECODE_*). Each lies strictly inside its symbol's interval, so
 * encoding a decoded symbol gives the symbol back. Returns alpha or
 * TSD_EINVAL. */
int tsd_sax_values(double *val, int alpha, int how);

/* Decode m symbols into values. Returns m, or TSD_EINVAL (symbol >= alpha,
 * bad alpha or how), TSD_ERANGE (m > INT_MAX). */
int tsd_sax_decode(double *out, const uint8_t *sym, size_t m, int alpha,
		   int how);

/* The MINDIST cell table: tab[r * alpha + c] = dist(r, c). Returns
 * alpha * alpha or TSD_EINVAL. */
int tsd_sax_dist_table(double *tab, int alpha);

/* MINDIST of two words of w symbols standing for n samples each (n >= w).
 * The _tab form takes a table from tsd_sax_dist_table. Returns 0, or
 * TSD_EINVAL (w 0, n < w, symbol >= alpha, bad alpha). */
int tsd_sax_mindist(double *out, const uint8_t *a, const uint8_t *b,
		    size_t w, size_t n, int alpha);
int tsd_sax_mindist_tab(double *out, const uint8_t *a, const uint8_t *b,
			size_t w, size_t n, const double *tab, int alpha);

#endif
