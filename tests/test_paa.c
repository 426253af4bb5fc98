/* test_paa.c: PAA and z-normalisation against numpy references
 * (testdata/sax/paa.txt, written by scripts/gen-sax-ref.py) and by hand. */
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
#include "tsd.h"

/* numpy and we sum in different orders: allow a few ulps of the data scale */
#define TOL_REF 1e-12
/* hand-computed cases are exact in binary or nearly so */
#define TOL_HAND 1e-15

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
		 size_t i)
{
	double scale = fabs(want) > 1 ? fabs(want) : 1;

	if (!(fabs(got - want) <= tol * scale))
		fail_msg("%s[%zu]: got %.17g want %.17g (tol %g)", what, i,
			 got, want, tol);
}

static void test_len(void **state)
{
	(void)state;
	assert_int_equal(tsd_paa_len(0, 3), 0);
	assert_int_equal(tsd_paa_len(9, 3), 3);
	assert_int_equal(tsd_paa_len(10, 3), 4);
	assert_int_equal(tsd_paa_len(2, 5), 1);
	assert_int_equal(tsd_paa_len(5, 0), 0);
	assert_int_equal(tsd_paa_len(SIZE_MAX, 1), SIZE_MAX);
	assert_int_equal(tsd_paa_len(SIZE_MAX, 2), SIZE_MAX / 2 + 1);
}

static void test_hand(void **state)
{
	const double x[5] = { 1, 2, 3, 4, 5 };
	double out[5];
	size_t i;
	(void)state;

	/* last group is partial: averaged over the one sample it has */
	assert_int_equal(tsd_paa(out, x, 5, 2, 0), 3);
	near(out[0], 1.5, TOL_HAND, "g2", 0);
	near(out[1], 3.5, TOL_HAND, "g2", 1);
	near(out[2], 5, TOL_HAND, "g2", 2);

	/* mean 3, population std sqrt(2) */
	assert_int_equal(tsd_paa(out, x, 5, 1, 1), 5);
	for (i = 0; i < 5; i++)
		near(out[i], ((double)i - 2) / sqrt(2), TOL_HAND, "z", i);

	assert_int_equal(tsd_paa(out, x, 5, 5, 1), 1);
	near(out[0], 0, TOL_HAND, "z5", 0);
	assert_int_equal(tsd_paa(out, x, 5, 7, 0), 1);
	near(out[0], 3, TOL_HAND, "g7", 0);
}

static void test_in_place(void **state)
{
	double x[7] = { 3, -1, 4, 1, -5, 9, 2 };
	double want[3];
	(void)state;

	assert_int_equal(tsd_paa(want, x, 7, 3, 1), 3);
	assert_int_equal(tsd_paa(x, x, 7, 3, 1), 3);
	near(x[0], want[0], 0, "inplace", 0);
	near(x[1], want[1], 0, "inplace", 1);
	near(x[2], want[2], 0, "inplace", 2);
}

static void test_stats(void **state)
{
	const double x[4] = { 2, 4, 4, 6 };
	double mu, sd;
	(void)state;

	assert_int_equal(tsd_znorm_stats(&mu, &sd, x, 4), 0);
	near(mu, 4, TOL_HAND, "mean", 0);
	near(sd, sqrt(2), TOL_HAND, "std", 0);
	assert_int_equal(tsd_znorm_stats(&mu, &sd, x, 0), TSD_EINVAL);
}

static void test_flat(void **state)
{
	double x[1000], out[1000];
	size_t i;
	(void)state;

	/* 0.1 is not exact in binary: the naive mean differs from each
	 * sample by rounding, which must not become a shape */
	for (i = 0; i < 1000; i++)
		x[i] = 0.1;
	assert_int_equal(tsd_paa(out, x, 1000, 10, 1), 100);
	for (i = 0; i < 100; i++)
		near(out[i], 0, 0, "flat0.1", i);
	assert_int_equal(tsd_znorm(out, x, 1000, TSD_PAA_FLAT_EPS), 1);

	for (i = 0; i < 1000; i++)
		x[i] = 123456789.123 + ((int)(i % 3) - 1) * 1e-9;
	assert_int_equal(tsd_paa(out, x, 1000, 10, 1), 100);
	for (i = 0; i < 100; i++)
		near(out[i], 0, 0, "flatbig", i);

	/* a caller threshold: std 0.005 is flat at 0.01, not at 1e-8 */
	for (i = 0; i < 1000; i++)
		x[i] = 5 + (i % 2 ? 0.005 : -0.005);
	assert_int_equal(tsd_paa_eps(out, x, 1000, 1, 0.01), 1000);
	near(out[0], 0, 0, "eps0.01", 0);
	assert_int_equal(tsd_paa(out, x, 1000, 1, 1), 1000);
	near(out[0], -1, TOL_HAND * 1e3, "eps1e-8", 0);
	near(out[1], 1, TOL_HAND * 1e3, "eps1e-8", 1);
	assert_int_equal(tsd_znorm(out, x, 1000, 0.01), 1);
	assert_int_equal(tsd_znorm(out, x, 1000, 1e-8), 0);

	/* the threshold itself is flat (std <= eps): values -1 and 1 have a
	 * population std of exactly 1 */
	for (i = 0; i < 8; i++)
		x[i] = i % 2 ? 1 : -1;
	assert_int_equal(tsd_znorm(out, x, 8, 1), 1);
	assert_int_equal(tsd_znorm(out, x, 8, 0.999), 0);
}

static void test_invalid(void **state)
{
	double x[4] = { 1, 2, 3, 4 }, out[4];
	(void)state;

	assert_int_equal(tsd_paa(out, x, 4, 0, 0), TSD_EINVAL);
	assert_int_equal(tsd_paa(out, x, 0, 2, 0), TSD_EINVAL);
	assert_int_equal(tsd_paa(NULL, x, 4, 2, 0), TSD_EINVAL);
	assert_int_equal(tsd_paa(out, NULL, 4, 2, 0), TSD_EINVAL);
	x[2] = NAN;
	assert_int_equal(tsd_paa(out, x, 4, 2, 0), TSD_EINVAL);
	assert_int_equal(tsd_paa(out, x, 4, 2, 1), TSD_EINVAL);
	x[2] = INFINITY;
	assert_int_equal(tsd_paa(out, x, 4, 2, 0), TSD_EINVAL);
	assert_int_equal(tsd_paa(out, x, 4, 2, 1), TSD_EINVAL);
	x[2] = 1e308;
	x[3] = 1e308;
	assert_int_equal(tsd_paa(out, x, 4, 2, 1), TSD_ERANGE);
}

/* Read a line of n doubles; fail the test on a short line. */
static void read_vec(FILE *f, double *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (fscanf(f, "%lf", &v[i]) != 1)
			fail_msg("paa.txt: short line, %zu of %zu", i, n);
}

static void test_reference(void **state)
{
	FILE *f = open_data("sax/paa.txt");
	char line[256];
	int cases = 0;
	(void)state;

	while (fgets(line, sizeof line, f)) {
		size_t n, g, m, i;
		int z, got;
		double *x, *want, *out;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (sscanf(line, "case %zu %zu %d", &n, &g, &z) != 3)
			continue;	/* the rest of a long data line */
		m = tsd_paa_len(n, g);
		x = malloc(n * sizeof *x);
		want = malloc(m * sizeof *want);
		out = malloc(m * sizeof *out);
		assert_non_null(x);
		assert_non_null(want);
		assert_non_null(out);
		read_vec(f, x, n);
		read_vec(f, want, m);
		got = tsd_paa(out, x, n, g, z);
		assert_int_equal(got, (int)m);
		for (i = 0; i < m; i++)
			near(out[i], want[i], TOL_REF, z ? "paa-z" : "paa", i);
		free(x);
		free(want);
		free(out);
		cases++;
	}
	fclose(f);
	assert_true(cases >= 20);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_len),
		cmocka_unit_test(test_hand),
		cmocka_unit_test(test_in_place),
		cmocka_unit_test(test_stats),
		cmocka_unit_test(test_flat),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_reference),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
