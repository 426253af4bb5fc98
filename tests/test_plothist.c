/* test_plothist.c: bounded sample rings and M4 over any range, against a
 * brute-force pass over the same samples written here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plothist.h"
#include "series.h"
#include "tsd.h"

static uint64_t rng = 88172645463325252ULL;

static uint64_t xorshift(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void basics(void **state)
{
	tsd_plothist *h;
	int64_t a, b;

	(void)state;
	assert_int_equal(tsd_plothist_new(&h, 1), TSD_EINVAL);
	assert_int_equal(tsd_plothist_new(&h, 4), 0);
	assert_int_equal(tsd_plothist_range(&a, &b, h), TSD_ENOTFOUND);
	assert_int_equal(tsd_plothist_push(h, 3, 10, INFINITY), TSD_EINVAL);
	assert_int_equal(tsd_plothist_push(h, 3, 10, 1), 0);
	assert_int_equal(tsd_plothist_push(h, 3, 10, 2), 0);  /* same time: kept */
	assert_int_equal(tsd_plothist_push(h, 3, 9, 2), 1);   /* earlier: dropped */
	assert_int_equal(tsd_plothist_push(h, 0, 5, 2), 0);
	assert_int_equal(tsd_plothist_count(h, 3), 2);
	assert_int_equal(tsd_plothist_count(h, 7), 0);
	assert_int_equal(tsd_plothist_nseries(h), 4);
	assert_int_equal(tsd_plothist_range(&a, &b, h), 0);
	assert_int_equal(a, 5);
	assert_int_equal(b, 10);
	/* the bound: 4 per series, the oldest go first */
	for (int i = 11; i < 20; i++)
		assert_int_equal(tsd_plothist_push(h, 3, i, i), 0);
	assert_int_equal(tsd_plothist_count(h, 3), 4);
	assert_int_equal(tsd_plothist_count_in(h, 3, 0, 100), 4);
	assert_int_equal(tsd_plothist_count_in(h, 3, 17, 18), 2);
	assert_int_equal(tsd_plothist_range(&a, &b, h), 0);
	assert_int_equal(a, 5);
	assert_int_equal(b, 19);
	assert_int_equal(tsd_plothist_push(h, TSD_SERIES_MAX, 1, 1), TSD_ERANGE);
	tsd_plothist_free(h);
}

/* Brute force: for each column of [t0, t1], the set of (t, v) of its
 * first, last, smallest and largest samples; every point returned must be
 * a sample of the range (or the neighbours outside it), and each column's
 * extremes must be among the points. */
static void m4_against_brute_force(void **state)
{
	enum { N = 20000, CAP = 8192, COLS = 97 };
	static int64_t t[N];
	static double v[N];
	tsd_plothist *h;
	int64_t *ot = malloc(tsd_plothist_m4_len(COLS) * sizeof *ot);
	double *ov = malloc(tsd_plothist_m4_len(COLS) * sizeof *ov);

	(void)state;
	assert_int_equal(tsd_plothist_new(&h, CAP), 0);
	int64_t tt = 1000;
	for (int i = 0; i < N; i++) {
		tt += (int64_t)(xorshift() % 50); /* repeats allowed */
		t[i] = tt;
		v[i] = (double)(int64_t)(xorshift() % 2001) - 1000.0;
		assert_int_equal(tsd_plothist_push(h, 1, t[i], v[i]), 0);
	}
	/* held: the last CAP samples */
	assert_int_equal(tsd_plothist_count(h, 1), CAP);
	int first = N - CAP;
	for (int trial = 0; trial < 200; trial++) {
		int64_t span = t[N - 1] - t[first];
		int64_t t0 = t[first] - 100 + (int64_t)(xorshift() % (uint64_t)(span + 200));
		int64_t t1 = t0 + 1 + (int64_t)(xorshift() % (uint64_t)(span / (1 + trial % 7) + 1));
		long n = tsd_plothist_m4(ot, ov, tsd_plothist_m4_len(COLS), h, 1, t0, t1, COLS);
		assert_true(n >= 0 && (size_t)n <= tsd_plothist_m4_len(COLS));
		/* brute force over the samples held */
		int lo_i[COLS], hi_i[COLS], f_i[COLS], l_i[COLS], before = -1, after = -1;
		for (int c = 0; c < COLS; c++)
			lo_i[c] = hi_i[c] = f_i[c] = l_i[c] = -1;
		for (int i = first; i < N; i++) {
			if (t[i] < t0) {
				before = i;
				continue;
			}
			if (t[i] > t1) {
				if (after < 0)
					after = i;
				continue;
			}
			int c = (int)((double)(t[i] - t0) / (((double)t1 - (double)t0 + 1.0) / COLS));
			if (c >= COLS)
				c = COLS - 1;
			if (f_i[c] < 0)
				f_i[c] = i;
			l_i[c] = i;
			if (lo_i[c] < 0 || v[i] < v[lo_i[c]])
				lo_i[c] = i;
			if (hi_i[c] < 0 || v[i] > v[hi_i[c]])
				hi_i[c] = i;
		}
		/* points in time order */
		for (long k = 1; k < n; k++)
			assert_true(ot[k] >= ot[k - 1]);
		/* each column's first, last, min and max present */
		for (int c = 0; c < COLS; c++) {
			int want[4] = { f_i[c], l_i[c], lo_i[c], hi_i[c] };
			for (int w = 0; w < 4; w++) {
				if (want[w] < 0)
					continue;
				int found = 0;
				for (long k = 0; k < n && !found; k++)
					found = ot[k] == t[want[w]] && ov[k] == v[want[w]];
				assert_true(found);
			}
		}
		/* the neighbours outside */
		if (before >= 0) {
			assert_int_equal(ot[0], t[before]);
			assert_true(ov[0] == v[before]);
		}
		if (after >= 0) {
			assert_int_equal(ot[n - 1], t[after]);
			assert_true(ov[n - 1] == v[after]);
		}
		/* nothing made up: every point is a sample */
		for (long k = 0; k < n; k++) {
			int found = 0;
			for (int i = first; i < N && !found; i++)
				found = t[i] == ot[k] && v[i] == ov[k];
			assert_true(found);
		}
	}
	assert_int_equal(tsd_plothist_m4(ot, ov, 10, h, 1, 0, 100, COLS), TSD_ESIZE);
	assert_int_equal(tsd_plothist_m4(ot, ov, tsd_plothist_m4_len(COLS), h, 1, 100, 100, COLS), TSD_EINVAL);
	assert_int_equal(tsd_plothist_m4(ot, ov, tsd_plothist_m4_len(COLS), h, 9, 0, 100, COLS), 0);
	/* memory: the bound, not the samples pushed */
	assert_true(tsd_plothist_bytes(h) < CAP * 16 + 4096);
	tsd_plothist_free(h);
	free(ot);
	free(ov);
}

/* A gap marker (NaN) breaks the line: a NaN point where it is, no
 * extreme taken across it. */
static void gaps(void **state)
{
	tsd_plothist *h;
	int64_t t[64];
	double v[64];

	(void)state;
	assert_int_equal(tsd_plothist_new(&h, 100), 0);
	for (int i = 0; i < 10; i++)
		assert_int_equal(tsd_plothist_push(h, 0, i, i), 0);
	assert_int_equal(tsd_plothist_push(h, 0, 10, NAN), 0);
	for (int i = 20; i < 30; i++)
		assert_int_equal(tsd_plothist_push(h, 0, i, 100 + i), 0);
	/* one column over everything: the run before, the break, the run after */
	long n = tsd_plothist_m4(t, v, 64, h, 0, 0, 29, 1);
	/* rising runs: first = smallest, last = largest, two points each */
	assert_int_equal(n, 5);
	assert_int_equal(t[0], 0);
	assert_true(v[0] == 0);
	assert_int_equal(t[1], 9);
	assert_true(v[1] == 9);
	assert_int_equal(t[2], 10);
	assert_true(isnan(v[2]));
	assert_int_equal(t[3], 20);
	assert_true(v[3] == 120);
	assert_int_equal(t[4], 29);
	assert_true(v[4] == 129);
	tsd_plothist_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(basics),
		cmocka_unit_test(m4_against_brute_force),
		cmocka_unit_test(gaps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
