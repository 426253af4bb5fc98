/* test_sax.c: SAX breakpoints, symbols, decoding and MINDIST, checked
 * against Python's statistics.NormalDist (testdata/sax/, written by
 * scripts/gen-sax-ref.py), textbook values, hand-worked words and the
 * MINDIST lower-bound property on random data. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paa.h"
#include "sax.h"
#include "tsd.h"

/* breakpoints and decode values vs NormalDist (AS241, ~1e-16) */
#define TOL_REF 1e-12
/* our inverse CDF vs known quantiles, relative */
#define TOL_PPF 2e-15
/* Phi(Phi^-1(p)) = p, relative, with libm's erfc, times the condition
 * number of Phi, about 1 + x^2 (a 1-ulp error in x = -37 moves p by 1e-13) */
#define TOL_ROUNDTRIP 1e-15
/* the 4-digit textbook table (Lin et al. 2003, table 3) */
#define TOL_TEXTBOOK 5e-5
/* hand-worked MINDIST */
#define TOL_HAND 1e-14
/* MINDIST <= Euclidean distance, allowing summation rounding */
#define TOL_BOUND 1e-9

static FILE *open_data(const char *name)
{
	const char *dir = getenv("TSD_TESTDATA");
	char path[512];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir ? dir : "testdata", name);
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s (run from the repository root)", path);
	return f;
}

static void near(double got, double want, double tol, const char *what,
		 int a, int i)
{
	double scale = fabs(want) > 1 ? fabs(want) : 1;

	if (!(fabs(got - want) <= tol * scale))
		fail_msg("%s alpha=%d i=%d: got %.17g want %.17g (tol %g)",
			 what, a, i, got, want, tol);
}

/* xorshift64* for test data: independent of the code under test */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static double urand(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (double)((rng_state * 2685821657736338717ull) >> 11) * 0x1p-53;
}

static double nrand(void)
{
	double u = urand(), v = urand();

	return sqrt(-2 * log(1 - u)) * cos(2 * M_PI * v);
}

static void test_ppf_known(void **state)
{
	/* quantiles from statistics.NormalDist().inv_cdf */
	static const struct { double p, x; } known[] = {
		{ 1e-300, -37.0470962993612 },
		{ 1e-20, -9.262340089798405 },
		{ 1e-10, -6.361340902404056 },
		{ 0.001, -3.090232306167813 },
		{ 0.025, -1.9599639845400538 },
		{ 0.1, -1.2815515655446008 },
		{ 0.25, -0.6744897501960817 },
		{ 0.4, -0.2533471031357998 },
		{ 0.5, 0 },
		{ 0.75, 0.6744897501960817 },
		{ 0.975, 1.9599639845400536 },
		{ 0.999999, 4.753424308817089 },
	};
	size_t i;
	(void)state;

	for (i = 0; i < sizeof known / sizeof known[0]; i++) {
		double x = tsd_sax_norm_ppf(known[i].p);

		if (!(fabs(x - known[i].x) <= TOL_PPF * fabs(known[i].x)))
			fail_msg("ppf(%g) = %.17g, want %.17g", known[i].p, x,
				 known[i].x);
	}
	assert_true(isinf(tsd_sax_norm_ppf(0)) && tsd_sax_norm_ppf(0) < 0);
	assert_true(isinf(tsd_sax_norm_ppf(1)) && tsd_sax_norm_ppf(1) > 0);
	assert_true(isnan(tsd_sax_norm_ppf(-0.1)));
	assert_true(isnan(tsd_sax_norm_ppf(1.1)));
	assert_true(isnan(tsd_sax_norm_ppf(NAN)));
}

static void test_ppf_roundtrip(void **state)
{
	double p;
	(void)state;

	/* from 1e-300 up to 0.5 on a log grid, then the upper half in
	 * 1 - p, where the tail is what Phi(x) resolves */
	for (p = 1e-300; p < 0.5; p *= 1.7) {
		double x = tsd_sax_norm_ppf(p);
		double back = 0.5 * erfc(-x / M_SQRT2);
		double up = 0.5 * erfc(-tsd_sax_norm_ppf(1 - p) / M_SQRT2);

		if (!(fabs(back - p) <= TOL_ROUNDTRIP * (1 + x * x) * p))
			fail_msg("Phi(ppf(%g)) = %.17g", p, back);
		if (p > 1e-15 && !(fabs(1 - up - p) <= 1e-16 + TOL_ROUNDTRIP * (1 + x * x) * p))
			fail_msg("Phi(ppf(1-%g)) = %.17g", p, up);
	}
}

static void test_breakpoints_reference(void **state)
{
	FILE *f = open_data("sax/breakpoints.txt");
	double bp[TSD_SAX_MAX_ALPHA - 1];
	char line[256];
	int cur = 0, nlines = 0;
	(void)state;

	while (fgets(line, sizeof line, f)) {
		int a, i;
		double want;

		if (line[0] == '#')
			continue;
		if (sscanf(line, "%d %d %lf", &a, &i, &want) != 3)
			fail_msg("breakpoints.txt: bad line '%s'", line);
		if (a != cur) {
			assert_int_equal(tsd_sax_breakpoints(bp, a), a - 1);
			cur = a;
		}
		near(bp[i], want, TOL_REF, "breakpoint", a, i);
		nlines++;
	}
	fclose(f);
	/* every alpha 2..64 present (sum of alpha - 1 = 2016), and more */
	assert_true(nlines >= 2016);
}

static void test_breakpoints_textbook(void **state)
{
	double bp[TSD_SAX_MAX_ALPHA - 1];
	(void)state;

	assert_int_equal(tsd_sax_breakpoints(bp, 2), 1);
	assert_true(bp[0] == 0);
	assert_int_equal(tsd_sax_breakpoints(bp, 3), 2);
	near(bp[0], -0.43, 0.005, "textbook", 3, 0);
	near(bp[1], 0.43, 0.005, "textbook", 3, 1);
	assert_int_equal(tsd_sax_breakpoints(bp, 4), 3);
	near(bp[0], -0.6745, TOL_TEXTBOOK, "textbook", 4, 0);
	assert_true(bp[1] == 0);
	near(bp[2], 0.6745, TOL_TEXTBOOK, "textbook", 4, 2);
	assert_int_equal(tsd_sax_breakpoints(bp, 5), 4);
	near(bp[0], -0.8416, TOL_TEXTBOOK, "textbook", 5, 0);
	near(bp[1], -0.2533, TOL_TEXTBOOK, "textbook", 5, 1);
	assert_int_equal(tsd_sax_breakpoints(bp, 10), 9);
	near(bp[0], -1.2816, TOL_TEXTBOOK, "textbook", 10, 0);
	near(bp[8], 1.2816, TOL_TEXTBOOK, "textbook", 10, 8);
}

static void test_breakpoints_shape(void **state)
{
	double bp[TSD_SAX_MAX_ALPHA - 1];
	int a, i;
	(void)state;

	for (a = TSD_SAX_MIN_ALPHA; a <= TSD_SAX_MAX_ALPHA; a++) {
		assert_int_equal(tsd_sax_breakpoints(bp, a), a - 1);
		for (i = 0; i < a - 1; i++) {
			assert_true(isfinite(bp[i]));
			assert_true(bp[i] == -bp[a - 2 - i]);
			if (i)
				assert_true(bp[i - 1] < bp[i]);
		}
	}
	assert_int_equal(tsd_sax_breakpoints(bp, 1), TSD_EINVAL);
	assert_int_equal(tsd_sax_breakpoints(bp, TSD_SAX_MAX_ALPHA + 1),
			 TSD_EINVAL);
	assert_int_equal(tsd_sax_breakpoints(NULL, 4), TSD_EINVAL);
}

static void test_symbol(void **state)
{
	double bp[TSD_SAX_MAX_ALPHA - 1];
	int a, i, k;
	(void)state;

	for (a = TSD_SAX_MIN_ALPHA; a <= TSD_SAX_MAX_ALPHA; a++) {
		tsd_sax_breakpoints(bp, a);
		assert_int_equal(tsd_sax_symbol(-INFINITY, bp, a), 0);
		assert_int_equal(tsd_sax_symbol(INFINITY, bp, a), a - 1);
		for (i = 0; i < a - 1; i++) {
			/* a tie goes up; just below stays */
			assert_int_equal(tsd_sax_symbol(bp[i], bp, a), i + 1);
			assert_int_equal(tsd_sax_symbol(nextafter(bp[i], -INFINITY),
							bp, a), i);
		}
		/* against a linear scan on random values */
		for (k = 0; k < 200; k++) {
			double v = 3 * nrand();
			int want = 0;

			while (want < a - 1 && bp[want] <= v)
				want++;
			assert_int_equal(tsd_sax_symbol(v, bp, a), want);
		}
	}
	assert_int_equal(tsd_sax_symbol(NAN, bp, 4), TSD_EINVAL);
}

static void test_encode(void **state)
{
	const double paa[6] = { -2, -0.68, -0.1, 0, 0.7, 5 };
	const uint8_t want[6] = { 0, 0, 1, 2, 3, 3 };
	uint8_t sym[6];
	double bad[2] = { 0, NAN };
	(void)state;

	assert_int_equal(tsd_sax_encode(sym, paa, 6, 4), 6);
	assert_memory_equal(sym, want, 6);
	assert_int_equal(tsd_sax_encode(sym, paa, 0, 4), 0);
	assert_int_equal(tsd_sax_encode(sym, bad, 2, 4), TSD_EINVAL);
	assert_int_equal(tsd_sax_encode(sym, paa, 6, 1), TSD_EINVAL);
	assert_int_equal(tsd_sax_encode(sym, paa, 6, 257), TSD_EINVAL);
}

static void test_decode_reference(void **state)
{
	FILE *f = open_data("sax/decode.txt");
	double mean[TSD_SAX_MAX_ALPHA], mid[TSD_SAX_MAX_ALPHA];
	char line[256];
	int cur = 0, nlines = 0;
	(void)state;

	while (fgets(line, sizeof line, f)) {
		int a, k;
		double wmean, wmid;

		if (line[0] == '#')
			continue;
		if (sscanf(line, "%d %d %lf %lf", &a, &k, &wmean, &wmid) != 4)
			fail_msg("decode.txt: bad line '%s'", line);
		if (a != cur) {
			assert_int_equal(tsd_sax_values(mean, a, TSD_SAX_DECODE_MEAN), a);
			assert_int_equal(tsd_sax_values(mid, a, TSD_SAX_DECODE_MID), a);
			cur = a;
		}
		near(mean[k], wmean, TOL_REF, "decode mean", a, k);
		near(mid[k], wmid, TOL_REF, "decode mid", a, k);
		nlines++;
	}
	fclose(f);
	assert_true(nlines >= 2079);	/* sum of alpha for 2..64 */
}

static void test_decode_roundtrip(void **state)
{
	uint8_t sym[TSD_SAX_MAX_ALPHA], back[TSD_SAX_MAX_ALPHA];
	double val[TSD_SAX_MAX_ALPHA];
	int a, k, how;
	(void)state;

	for (how = TSD_SAX_DECODE_MEAN; how <= TSD_SAX_DECODE_MID; how++) {
		for (a = TSD_SAX_MIN_ALPHA; a <= TSD_SAX_MAX_ALPHA; a++) {
			for (k = 0; k < a; k++)
				sym[k] = (uint8_t)(a - 1 - k);
			assert_int_equal(tsd_sax_decode(val, sym, (size_t)a, a, how), a);
			assert_int_equal(tsd_sax_encode(back, val, (size_t)a, a), a);
			if (memcmp(sym, back, (size_t)a))
				fail_msg("round trip alpha=%d how=%d", a, how);
		}
	}
	/* the conditional means of all symbols average to 0 (E[Z] = 0) */
	tsd_sax_values(val, 7, TSD_SAX_DECODE_MEAN);
	{
		double s = 0;
		for (k = 0; k < 7; k++)
			s += val[k];
		near(s, 0, 1e-15, "mean sum", 7, 0);
	}
	sym[0] = 4;
	assert_int_equal(tsd_sax_decode(val, sym, 1, 4, TSD_SAX_DECODE_MEAN),
			 TSD_EINVAL);
	assert_int_equal(tsd_sax_decode(val, sym, 1, 5, 2), TSD_EINVAL);
}

static void test_mindist_hand(void **state)
{
	/* alpha 4: bp = -b, 0, b with b = Phi^-1(0.75) */
	const double b = 0.6744897501960817;
	const uint8_t x[4] = { 0, 1, 2, 3 }, y[4] = { 3, 3, 0, 0 };
	const uint8_t z[4] = { 1, 2, 3, 2 };
	double d, want, tab[16];
	int r, c;
	(void)state;

	/* cells: (0,3) 2b, (1,3) b, (2,0) b, (3,0) 2b; n/w = 16/4 */
	assert_int_equal(tsd_sax_mindist(&d, x, y, 4, 16, 4), 0);
	want = 2 * sqrt(4 * b * b + b * b + b * b + 4 * b * b);
	near(d, want, TOL_HAND, "mindist", 4, 0);
	/* neighbours cost nothing */
	assert_int_equal(tsd_sax_mindist(&d, x, z, 4, 16, 4), 0);
	assert_true(d == 0);
	assert_int_equal(tsd_sax_mindist(&d, x, x, 4, 4, 4), 0);
	assert_true(d == 0);

	/* the table agrees, and is symmetric with a zero band */
	assert_int_equal(tsd_sax_dist_table(tab, 4), 16);
	for (r = 0; r < 4; r++)
		for (c = 0; c < 4; c++) {
			assert_true(tab[r * 4 + c] == tab[c * 4 + r]);
			if (abs(r - c) <= 1)
				assert_true(tab[r * 4 + c] == 0);
		}
	near(tab[0 * 4 + 3], 2 * b, TOL_HAND, "table", 4, 3);
	near(tab[0 * 4 + 2], b, TOL_HAND, "table", 4, 2);
	assert_int_equal(tsd_sax_mindist_tab(&d, x, y, 4, 16, tab, 4), 0);
	near(d, want, TOL_HAND, "mindist_tab", 4, 0);

	assert_int_equal(tsd_sax_mindist(&d, x, y, 0, 16, 4), TSD_EINVAL);
	assert_int_equal(tsd_sax_mindist(&d, x, y, 4, 3, 4), TSD_EINVAL);
	assert_int_equal(tsd_sax_mindist(&d, x, y, 4, 16, 3), TSD_EINVAL);
}

/* MINDIST(SAX(x), SAX(y)) <= || znorm(x) - znorm(y) || over many random
 * pairs of windows: white noise, random walks and sines with noise, with
 * n a multiple of w. Also checks the bound is not vacuous. */
static void test_mindist_lower_bound(void **state)
{
	enum { NMAX = 32 * 16, TRIALS = 20000 };	/* n = g * w <= 32 * 16 */
	static const size_t groups[] = { 1, 2, 4, 8, 16, 32 };
	double x[NMAX], y[NMAX], zx[NMAX], zy[NMAX], px[NMAX], py[NMAX];
	double tab[TSD_SAX_MAX_ALPHA * TSD_SAX_MAX_ALPHA];
	uint8_t sx[NMAX], sy[NMAX];
	int trial, positive = 0;
	double ratio = 0;
	(void)state;

	for (trial = 0; trial < TRIALS; trial++) {
		size_t g = groups[trial % 6], w = 1 + (size_t)(urand() * 16);
		size_t n = g * w, i;
		int a = 2 + (int)(urand() * 19), kind = trial % 3;
		double ed = 0, md, md2;

		if (trial % 50 == 0)
			a = 2 + (int)(urand() * 255);	/* big alphabets too */
		for (i = 0; i < n; i++) {
			double ex = nrand(), ey = nrand();

			if (kind == 0) {
				x[i] = ex;
				y[i] = ey;
			} else if (kind == 1) {
				x[i] = (i ? x[i - 1] : 0) + ex;
				y[i] = (i ? y[i - 1] : 0) + ey;
			} else {
				x[i] = sin(0.3 * (double)i) + 0.3 * ex;
				y[i] = sin(0.3 * (double)i + 1) + 0.3 * ey;
			}
		}
		assert_true(tsd_znorm(zx, x, n, TSD_PAA_FLAT_EPS) >= 0);
		assert_true(tsd_znorm(zy, y, n, TSD_PAA_FLAT_EPS) >= 0);
		for (i = 0; i < n; i++)
			ed += (zx[i] - zy[i]) * (zx[i] - zy[i]);
		ed = sqrt(ed);
		assert_int_equal(tsd_paa(px, x, n, g, 1), (int)w);
		assert_int_equal(tsd_paa(py, y, n, g, 1), (int)w);
		assert_int_equal(tsd_sax_encode(sx, px, w, a), (int)w);
		assert_int_equal(tsd_sax_encode(sy, py, w, a), (int)w);
		assert_int_equal(tsd_sax_mindist(&md, sx, sy, w, n, a), 0);
		tsd_sax_dist_table(tab, a);
		assert_int_equal(tsd_sax_mindist_tab(&md2, sx, sy, w, n, tab, a), 0);
		near(md2, md, 1e-15, "mindist vs table", a, trial);
		if (md > ed + TOL_BOUND)
			fail_msg("trial %d: mindist %.17g > euclid %.17g "
				 "(n=%zu w=%zu a=%d)", trial, md, ed, n, w, a);
		if (md > 0) {
			positive++;
			ratio += md / ed;
		}
	}
	/* not vacuous: most pairs of noise windows get a positive bound */
	assert_true(positive > TRIALS / 4);
	print_message("mindist lower bound: %d trials, %d positive, "
		      "mean tightness %.3f\n", TRIALS, positive,
		      ratio / positive);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ppf_known),
		cmocka_unit_test(test_ppf_roundtrip),
		cmocka_unit_test(test_breakpoints_reference),
		cmocka_unit_test(test_breakpoints_textbook),
		cmocka_unit_test(test_breakpoints_shape),
		cmocka_unit_test(test_symbol),
		cmocka_unit_test(test_encode),
		cmocka_unit_test(test_decode_reference),
		cmocka_unit_test(test_decode_roundtrip),
		cmocka_unit_test(test_mindist_hand),
		cmocka_unit_test(test_mindist_lower_bound),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
