/* test_select.c: thresh's keep rules against numpy references
 * (testdata/select/ref.txt from scripts/gen-select-ref.py), the budget
 * arithmetic, and the exact reference (thresh --exact) against a search
 * of every subset of details. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coefwin.h"
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

/* Squared error of the reconstruction from the approximation and the
 * details marked in keep (the details are [a, m)). */
static double sse_kept(const double *x, const double *c, const unsigned char *keep, size_t n, size_t a,
		       size_t m, unsigned J, const tsd_wavelet *w, enum tsd_mode mode)
{
	double cc[64], y[64], work[512], e = 0;

	assert_true(m <= 64 && n <= 64 && tsd_coefwin_work_len(n, J, w, mode) <= 512);
	for (size_t i = 0; i < m; i++)
		cc[i] = i < a || keep[i - a] ? c[i] : 0;
	assert_int_equal(tsd_coefwin_reconstruct(y, n, cc, work, J, w, mode), 0);
	for (size_t i = 0; i < n; i++)
		e += (x[i] - y[i]) * (x[i] - y[i]);
	return e;
}

/* Over every subset of the details of one window: the least error for
 * each count k. Returns how many counts the k largest |c| miss the least
 * error by more than rounding. With check_parseval, each subset's error
 * must also be the sum of squares of the dropped details. */
static int search(const char *wname, const char *mname, size_t n, unsigned J, uint64_t seed, int check_parseval)
{
	const tsd_wavelet *w = tsd_wavelet_find(wname);
	enum tsd_mode mode = (enum tsd_mode)tsd_mode_parse(mname);
	size_t lens[TSD_COEFWIN_MAXJ + 1], m, a, nd, k;
	double x[64], c[64], work[512], best[64], sv[64];
	unsigned char keep[64];
	int worse = 0;

	assert_non_null(w);
	assert_int_equal(tsd_coefwin_lengths(lens, n, J, w, mode), 0);
	m = tsd_coefwin_total(n, J, w, mode);
	a = lens[0];
	nd = m - a;
	assert_true(nd <= 16 && m <= 64);
	gen(x, n, seed);
	assert_int_equal(tsd_coefwin_decompose(c, work, x, n, J, w, mode), 0);
	for (k = 0; k <= nd; k++)
		best[k] = INFINITY;
	for (uint32_t s = 0; s < (1u << nd); s++) {
		double drop = 0;
		size_t cnt = 0;
		for (size_t i = 0; i < nd; i++) {
			keep[i] = (s >> i) & 1;
			cnt += keep[i];
			if (!keep[i])
				drop += c[a + i] * c[a + i];
		}
		double e = sse_kept(x, c, keep, n, a, m, J, w, mode);
		if (check_parseval && fabs(e - drop) > 1e-9 * (1 + drop))
			fail_msg("%s %s n=%zu J=%u: error %.17g, dropped squares %.17g", wname, mname, n, J, e, drop);
		if (e < best[cnt])
			best[cnt] = e;
	}
	for (k = 0; k <= nd; k++) {
		assert_int_equal(tsd_select_top(keep, sv, c + a, NULL, nd, k), k);
		double e = sse_kept(x, c, keep, n, a, m, J, w, mode);
		assert_true(e >= best[k] - 1e-9 * (1 + best[k])); /* nothing beats the optimum */
		worse += e > best[k] + 1e-9 * (1 + best[k]);
	}
	return worse;
}

static void test_exact(void **state)
{
	(void)state;
	/* orthonormal transforms: the k largest |c| are the optimum for every k */
	static const struct { const char *w, *mode; size_t n; unsigned J; } on[] = {
		{ "haar", "symmetric", 16, 2 }, { "haar", "zero", 16, 4 }, { "db2", "periodization", 16, 2 },
		{ "db3", "periodization", 16, 1 }, { "sym4", "periodization", 16, 1 }, { "coif1", "periodization", 16, 1 },
		{ "db4", "periodization", 16, 1 }, { "haar", "periodization", 16, 4 },
	};
	for (size_t i = 0; i < sizeof on / sizeof on[0]; i++) {
		const tsd_wavelet *w = tsd_wavelet_find(on[i].w);
		enum tsd_mode mode = (enum tsd_mode)tsd_mode_parse(on[i].mode);
		assert_true(tsd_coefwin_orthonormal(on[i].n, on[i].J, w, mode));
		for (uint64_t seed = 1; seed <= 3; seed++)
			assert_int_equal(search(on[i].w, on[i].mode, on[i].n, on[i].J, seed * 7919 + i, 1), 0);
	}
	/* not orthonormal: extension coefficients, or an odd length on the way */
	assert_false(tsd_coefwin_orthonormal(16, 2, tsd_wavelet_find("db2"), TSD_MODE_SYMMETRIC));
	assert_false(tsd_coefwin_orthonormal(20, 3, tsd_wavelet_find("db2"), TSD_MODE_PERIODIZATION));
	assert_false(tsd_coefwin_orthonormal(18, 2, tsd_wavelet_find("haar"), TSD_MODE_SYMMETRIC));
	assert_false(tsd_coefwin_orthonormal(0, 1, tsd_wavelet_find("haar"), TSD_MODE_SYMMETRIC));
	/* and there magnitude is not always the optimum: why thresh --exact
	 * refuses such windows */
	int worse = 0;
	for (uint64_t seed = 1; seed <= 8; seed++)
		worse += search("db2", "symmetric", 8, 1, seed, 0);
	assert_true(worse > 0);
}

/* The running budget: whatever the windows, a series' points are its
 * samples over R rounded (halves up), each window taking what is due; a
 * window forced above its share is made up by the next ones. */
static void test_run(void **state)
{
	static const size_t wins[] = { 100, 100, 100, 37, 1, 250, 3, 3, 99 };
	static const double ratios[] = { 1, 2.5, 7, 8, 16, 33.3 };
	(void)state;

	for (size_t r = 0; r < sizeof ratios / sizeof *ratios; r++) {
		tsd_select_run run = { 0, 0 };
		size_t total = 0;
		for (size_t w = 0; w < sizeof wins / sizeof *wins; w++) {
			size_t k = tsd_select_run_next(&run, wins[w], ratios[r]);
			assert_true(k <= wins[w] + 1);
			tsd_select_run_add(&run, wins[w], k);
			total += wins[w];
			assert_int_equal(run.pts, tsd_select_ratio_points(total, ratios[r]));
		}
	}
	/* a window forced to 10 where 4 were due: the next ones give it back */
	{
		tsd_select_run run = { 0, 0 };
		assert_int_equal(tsd_select_run_next(&run, 32, 8), 4);
		tsd_select_run_add(&run, 32, 10);
		assert_int_equal(tsd_select_run_next(&run, 32, 8), 0);
		tsd_select_run_add(&run, 32, 0);
		assert_int_equal(tsd_select_run_next(&run, 32, 8), 2);
		assert_int_equal(tsd_select_run_next(&run, 32, 0.5), 0); /* no ratio */
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reference),
		cmocka_unit_test(test_eligible),
		cmocka_unit_test(test_ties),
		cmocka_unit_test(test_budget),
		cmocka_unit_test(test_exact),
		cmocka_unit_test(test_run),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
