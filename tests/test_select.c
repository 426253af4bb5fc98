/* test_select.c: thresh's keep rules against numpy references
 * (testdata/select/ref.txt from scripts/gen-select-ref.py), and the
 * budget arithmetic. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "select.h"
#include "tsd.h"

/* sigma and the universal threshold: |got - numpy| <= TOL_REL * numpy */
#define TOL_REL 1e-14

static void gen(double *out, size_t n, uint64_t s)
{
	for (size_t i = 0; i < n; i++) {
		s = s * 6364136223846793005ULL + 1442695040888963407ULL;
		out[i] = (double)((int64_t)((s >> 33) % 401) - 200) / 64.0;
	}
}

static void test_reference(void **state)
{
	const char *dir = getenv("TSD_TESTDATA");
	char path[512], line[16384];
	FILE *f;
	int cases = 0;

	(void)state;
	snprintf(path, sizeof path, "%s/select/ref.txt", dir ? dir : "testdata");
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s (run from the top of the tree or set TSD_TESTDATA)", path);
	while (fgets(line, sizeof line, f)) {
		size_t n, k, i;
		unsigned long long seed;
		double sig_ref, univ_ref, sigma;
		assert_int_equal(sscanf(line, "case %zu %zu %llu", &n, &k, &seed), 3);
		assert_non_null(fgets(line, sizeof line, f));
		assert_int_equal(sscanf(line, "sigma %lf", &sig_ref), 1);
		assert_non_null(fgets(line, sizeof line, f));
		assert_int_equal(sscanf(line, "univ %lf", &univ_ref), 1);
		assert_non_null(fgets(line, sizeof line, f));
		assert_memory_equal(line, "top", 3);

		double *d = malloc(n * sizeof *d), *work = malloc(n * sizeof *work);
		unsigned char *keep = malloc(n), *want = calloc(n, 1);
		assert_true(d && work && keep && want);
		gen(d, n, seed);
		assert_int_equal(tsd_select_sigma(&sigma, work, d, n), 0);
		if (fabs(sigma - sig_ref) > TOL_REL * sig_ref)
			fail_msg("n=%zu: sigma %.17g, numpy %.17g", n, sigma, sig_ref);
		double u = tsd_select_universal(sigma, n);
		if (fabs(u - univ_ref) > TOL_REL * univ_ref)
			fail_msg("n=%zu: universal %.17g, numpy %.17g", n, u, univ_ref);

		char *p = line + 3, *e;
		size_t nw = 0;
		for (;;) {
			unsigned long j = strtoul(p, &e, 10);
			if (e == p)
				break;
			assert_true(j < n);
			want[j] = 1;
			nw++;
			p = e;
		}
		assert_int_equal(nw, k < n ? k : n);
		assert_int_equal(tsd_select_top(keep, work, d, NULL, n, k), nw);
		for (i = 0; i < n; i++)
			if (keep[i] != want[i])
				fail_msg("n=%zu k=%zu: index %zu kept %d, numpy %d", n, k, i, keep[i], want[i]);

		/* the abs rule at the universal threshold keeps |d| >= thr exactly */
		size_t nk = tsd_select_abs(keep, d, NULL, n, u), cnt = 0;
		for (i = 0; i < n; i++) {
			assert_int_equal(keep[i], fabs(d[i]) >= u);
			cnt += fabs(d[i]) >= u;
		}
		assert_int_equal(nk, cnt);
		free(d);
		free(work);
		free(keep);
		free(want);
		cases++;
	}
	fclose(f);
	assert_int_equal(cases, 11);
}

static void test_eligible(void **state)
{
	double d[6] = { 5, -4, 3, -2, 1, 0 }, work[6];
	unsigned char elig[6] = { 0, 1, 1, 0, 1, 1 }, keep[6];
	float sc[6] = { 0.9f, 0.5f, 0.49f, 1, 0.7f, 0 };

	(void)state;
	/* the two largest eligible: -4 and 3 (5 is not eligible) */
	assert_int_equal(tsd_select_top(keep, work, d, elig, 6, 2), 2);
	assert_memory_equal(keep, ((unsigned char[]){ 0, 1, 1, 0, 0, 0 }), 6);
	/* more than there are: all eligible */
	assert_int_equal(tsd_select_top(keep, work, d, elig, 6, 9), 4);
	assert_memory_equal(keep, elig, 6);
	assert_int_equal(tsd_select_top(keep, work, d, elig, 6, 0), 0);
	assert_int_equal(tsd_select_abs(keep, d, elig, 6, 3), 2);
	assert_memory_equal(keep, ((unsigned char[]){ 0, 1, 1, 0, 0, 0 }), 6);
	/* the score rule is "at or above" */
	assert_int_equal(tsd_select_score(keep, sc, NULL, 6, 0.5), 4);
	assert_memory_equal(keep, ((unsigned char[]){ 1, 1, 0, 1, 1, 0 }), 6);
	assert_int_equal(tsd_select_score(keep, sc, elig, 6, 0.5), 2);
	assert_memory_equal(keep, ((unsigned char[]){ 0, 1, 0, 0, 1, 0 }), 6);
}

static void test_ties(void **state)
{
	double d[5] = { 1, -2, 2, 2, -1 }, work[5];
	unsigned char keep[5];

	(void)state;
	/* of the three |2|, the two lower indices */
	assert_int_equal(tsd_select_top(keep, work, d, NULL, 5, 2), 2);
	assert_memory_equal(keep, ((unsigned char[]){ 0, 1, 1, 0, 0 }), 5);
	assert_int_equal(tsd_select_top(keep, work, d, NULL, 5, 4), 4);
	assert_memory_equal(keep, ((unsigned char[]){ 1, 1, 1, 1, 0 }), 5);
}

static void test_budget(void **state)
{
	double sigma = -1;

	(void)state;
	assert_int_equal(tsd_select_budget(32, 16, 300), 16);
	assert_int_equal(tsd_select_budget(10, 16, 300), 0);
	assert_int_equal(tsd_select_budget(400, 16, 300), 300);
	assert_int_equal(tsd_select_ratio_points(256, 8), 32);
	assert_int_equal(tsd_select_ratio_points(100, 8), 13);  /* 12.5 rounds up */
	assert_int_equal(tsd_select_ratio_points(99, 8), 12);   /* 12.375 */
	assert_int_equal(tsd_select_ratio_points(3, 8), 1);
	assert_int_equal(tsd_select_ratio_points(3, 0.5), 0);
	assert_int_equal(tsd_select_fraction(10, 0.25), 3);     /* 2.5 rounds up */
	assert_int_equal(tsd_select_fraction(10, 0), 0);
	assert_int_equal(tsd_select_fraction(10, 1), 10);
	assert_int_equal(tsd_select_sigma(&sigma, NULL, NULL, 0), 0);
	assert_true(sigma == 0);
	assert_true(tsd_select_universal(3, 1) == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reference),
		cmocka_unit_test(test_eligible),
		cmocka_unit_test(test_ties),
		cmocka_unit_test(test_budget),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
