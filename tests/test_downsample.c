/* test_downsample.c: the point-selecting downsamplers: hand-worked small
 * examples (the arithmetic is in the comments), invariants on random data
 * (first and last kept, counts, sorted indices), MinMax and M4 against a
 * plain scalar argmin/argmax, the SDT and deadband deviation bounds on
 * random walks, and LTTB point for point against an independent
 * implementation on every NAB series.
 *
 * LTTB reference: npm package downsample-lttb 0.0.1 (Steinarsson's own
 * JavaScript LTTB as a node module), run by scripts/gen-lttb-ref.sh; its
 * output is in testdata/lttb/<name>.<n_out>.{i,t}: x = row index (.i) or
 * epoch seconds of the UTC timestamp (.t). The NAB CSVs are read from
 * $TSD_NAB_DIR, else ../shared/data/nab, else /work/shared/data/nab.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "downsample.h"
#include "tsd.h"

/* SDT bound: dev plus rounding of slope and interpolation, relative to
 * the size of the values involved */
#define TOL_SDT 1e-9

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void expect_idx(const size_t *got, ptrdiff_t ngot, const size_t *want,
		       size_t nwant, const char *what)
{
	size_t i;

	if (ngot != (ptrdiff_t)nwant)
		fail_msg("%s: count %td, want %zu", what, ngot, nwant);
	for (i = 0; i < nwant; i++)
		if (got[i] != want[i])
			fail_msg("%s: idx[%zu] = %zu, want %zu", what, i,
				 got[i], want[i]);
}

/* strictly increasing, first 0, last n-1 */
static void expect_shape(const size_t *idx, ptrdiff_t cnt, size_t n,
			 const char *what)
{
	ptrdiff_t i;

	if (cnt < 1 || (n > 1 && cnt < 2))
		fail_msg("%s: count %td for n %zu", what, cnt, n);
	if (idx[0] != 0 || idx[cnt - 1] != n - 1)
		fail_msg("%s: first %zu last %zu, n %zu", what, idx[0],
			 idx[cnt - 1], n);
	for (i = 1; i < cnt; i++)
		if (idx[i] <= idx[i - 1])
			fail_msg("%s: idx[%td] = %zu after %zu", what, i,
				 idx[i], idx[i - 1]);
}

static uint64_t rng_state;

static uint64_t rng(void)
{
	/* splitmix64 */
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static double urand(void)
{
	return (double)(rng() >> 11) * 0x1p-53;
}

/* random walk; with coarse != 0 values are rounded to it (many ties) */
static void walk(double *v, size_t n, double coarse)
{
	double x = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		x += urand() - 0.5;
		if (urand() < 0.01)
			x += 20 * (urand() - 0.5);
		v[i] = coarse ? round(x / coarse) * coarse : x;
	}
}

/* ---- nth ---------------------------------------------------------------- */

static void test_nth(void **state)
{
	size_t idx[16];
	const size_t w1[] = { 0, 3, 6, 9 };
	const size_t w2[] = { 0, 3, 6, 9, 10 };

	(void)state;
	/* n 10, k 3: 0 3 6 9, and 9 is the last */
	assert_int_equal(tsd_ds_nth_length(10, 3), 4);
	expect_idx(idx, tsd_ds_nth(idx, N(idx), 10, 3), w1, N(w1), "nth 10/3");
	/* n 11: 10 is added as the last */
	expect_idx(idx, tsd_ds_nth(idx, N(idx), 11, 3), w2, N(w2), "nth 11/3");
	assert_int_equal(tsd_ds_nth(idx, 3, 11, 3), TSD_ESIZE);
	assert_int_equal(tsd_ds_nth(idx, N(idx), 11, 0), TSD_EINVAL);
	/* stride: n 11, at most 4 points: k 4 gives 0 4 8 10 */
	assert_int_equal(tsd_ds_nth_stride(11, 4), 4);
	assert_int_equal(tsd_ds_nth_stride(11, 5), 3);
	assert_int_equal(tsd_ds_nth_stride(10, 20), 1);
	for (size_t n = 2; n < 200; n += 7)
		for (size_t m = 2; m < n; m += 3) {
			size_t k = tsd_ds_nth_stride(n, m);

			assert_true(tsd_ds_nth_length(n, k) <= m);
			if (k > 1)
				assert_true(tsd_ds_nth_length(n, k - 1) > m);
		}
}

/* ---- MinMax and M4 ------------------------------------------------------ */

static void test_minmax_hand(void **state)
{
	/* n 10, n_out 6: 0, 9 and 2 buckets over 1..8: [1,5) [5,9)
	 * [1,5): 1 9 2 8 -> min at 1, max at 2
	 * [5,9): 3 7 0 6 -> max at 6, min at 7 */
	const double v[] = { 5, 1, 9, 2, 8, 3, 7, 0, 6, 4 };
	const size_t want[] = { 0, 1, 2, 6, 7, 9 };
	/* a constant bucket gives its first and last: [1,5) all 2;
	 * [5,9): 1 1 5 1 -> min at 5 (the first 1), max at 7 */
	const double c[] = { 0, 2, 2, 2, 2, 1, 1, 5, 1, 0 };
	const size_t wantc[] = { 0, 1, 4, 5, 7, 9 };
	/* ties go to the first: [1,5): 3 1 3 1 -> min 2, max 1 */
	const double tie[] = { 0, 3, 1, 3, 1, 4, 4, 4, 9, 0 };
	const size_t wantt[] = { 0, 1, 2, 5, 8, 9 };
	size_t idx[10];

	(void)state;
	expect_idx(idx, tsd_ds_minmax(idx, N(idx), v, 10, 6), want, N(want),
		   "minmax");
	expect_idx(idx, tsd_ds_minmax(idx, N(idx), c, 10, 6), wantc, N(wantc),
		   "minmax constant");
	expect_idx(idx, tsd_ds_minmax(idx, N(idx), tie, 10, 6), wantt,
		   N(wantt), "minmax ties");
	assert_int_equal(tsd_ds_minmax(idx, N(idx), v, 10, 5), TSD_EINVAL);
	assert_int_equal(tsd_ds_minmax(idx, 5, v, 10, 6), TSD_ESIZE);
	assert_int_equal(tsd_ds_minmax(NULL, 0, v, 10, 6), 6);
	/* n_out 2: first and last */
	assert_int_equal(tsd_ds_minmax(idx, N(idx), v, 10, 2), 2);
	assert_int_equal(idx[1], 9);
}

static void test_m4_hand(void **state)
{
	/* n 12, n_out 8: buckets [0,6) [6,12)
	 * [0,6):  3 1 4 1 5 9: first 0, min 1 (first of the two 1s),
	 *         max 5 = last -> 0 1 5
	 * [6,12): 2 6 5 3 5 8: min 6 = first, max 11 = last -> 6 11 */
	const double v[] = { 3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8 };
	const size_t want[] = { 0, 1, 5, 6, 11 };
	/* no coincidence: [0,6) 0 5 -1 2 3 1 -> 0 2 1 5
	 *                 [6,12) 2 9 3 -4 1 2 -> 6 7 9 11 */
	const double w[] = { 0, 5, -1, 2, 3, 1, 2, 9, 3, -4, 1, 2 };
	const size_t wantw[] = { 0, 1, 2, 5, 6, 7, 9, 11 };
	size_t idx[12];

	(void)state;
	expect_idx(idx, tsd_ds_m4(idx, N(idx), v, 12, 8), want, N(want), "m4");
	expect_idx(idx, tsd_ds_m4(idx, N(idx), w, 12, 8), wantw, N(wantw),
		   "m4 full");
	assert_int_equal(tsd_ds_m4(NULL, 0, v, 12, 8), 5);
	assert_int_equal(tsd_ds_m4(idx, N(idx), v, 12, 6), TSD_EINVAL);
	/* n <= n_out: all points */
	assert_int_equal(tsd_ds_m4(idx, N(idx), v, 12, 12), 12);
	assert_int_equal(idx[11], 11);
}

/* plain scalar first argmin / argmax of v[a..b) */
static void ref_argminmax(size_t *lo, size_t *hi, const double *v, size_t a,
			  size_t b)
{
	size_t i;

	*lo = *hi = a;
	for (i = a + 1; i < b; i++) {
		if (v[i] < v[*lo])
			*lo = i;
		if (v[i] > v[*hi])
			*hi = i;
	}
}

static void test_minmax_m4_random(void **state)
{
	const size_t ns[] = { 7, 65, 200, 1000, 4099, 30011 };
	const size_t outs[] = { 4, 8, 12, 16, 64, 100, 200, 1000 };
	double *v = malloc(30011 * sizeof(*v));
	size_t *idx = malloc(30011 * sizeof(*idx));
	size_t *ref = malloc(30011 * sizeof(*ref));
	int coarse;

	(void)state;
	assert_non_null(v);
	assert_non_null(idx);
	assert_non_null(ref);
	rng_state = 1;
	for (coarse = 0; coarse < 2; coarse++)
	for (size_t a = 0; a < N(ns); a++)
	for (size_t b = 0; b < N(outs); b++) {
		size_t n = ns[a], no = outs[b], cnt = 0, nb, k;
		ptrdiff_t r;

		walk(v, n, coarse ? 2.0 : 0);
		/* MinMax against the scalar reference */
		r = tsd_ds_minmax(idx, n, v, n, no);
		if (n <= no) {
			assert_int_equal(r, n);
			continue;
		}
		assert_int_equal(r, no);
		expect_shape(idx, r, n, "minmax random");
		nb = (no - 2) / 2;
		ref[cnt++] = 0;
		for (k = 0; k < nb; k++) {
			size_t s = 1 + k * (n - 2) / nb, e = 1 + (k + 1) * (n - 2) / nb;
			size_t lo, hi;

			ref_argminmax(&lo, &hi, v, s, e);
			if (lo == hi) {
				lo = s;
				hi = e - 1;
			}
			ref[cnt++] = lo < hi ? lo : hi;
			ref[cnt++] = lo < hi ? hi : lo;
		}
		ref[cnt++] = n - 1;
		expect_idx(idx, r, ref, cnt, "minmax vs scalar");

		/* M4 against the scalar reference */
		r = tsd_ds_m4(idx, n, v, n, no);
		assert_true(r > 0 && (size_t)r <= no);
		assert_int_equal(r, tsd_ds_m4(NULL, 0, v, n, no));
		expect_shape(idx, r, n, "m4 random");
		cnt = 0;
		nb = no / 4;
		for (k = 0; k < nb; k++) {
			size_t s = k * n / nb, e = (k + 1) * n / nb, lo, hi;
			size_t c[4], j;

			ref_argminmax(&lo, &hi, v, s, e);
			c[0] = s;
			c[1] = lo < hi ? lo : hi;
			c[2] = lo < hi ? hi : lo;
			c[3] = e - 1;
			for (j = 0; j < 4; j++)
				if (!cnt || ref[cnt - 1] != c[j])
					ref[cnt++] = c[j];
		}
		expect_idx(idx, r, ref, cnt, "m4 vs scalar");
	}
	free(v);
	free(idx);
	free(ref);
}

/* ---- LTTB and MinMaxLTTB ------------------------------------------------ */

static void test_lttb_hand(void **state)
{
	/* n 5, n_out 3: every = 3/1, one bucket 1..3, next "bucket" is the
	 * last point C = (4, 0); A = (0, 0).
	 * area_j = |(0-4)(v_j - 0) - (0-j)(0-0)| / 2 = 2|v_j|:
	 * 1 5 2 -> 2 10 4 -> j = 2 */
	const double v[] = { 0, 1, 5, 2, 0 };
	const size_t want[] = { 0, 2, 4 };
	/* ties: 5 0 5 -> areas 10 0 10 -> the first, j = 1 */
	const double tie[] = { 0, 5, 0, 5, 0 };
	const size_t wantt[] = { 0, 1, 4 };
	/* n 7, n_out 4: every = 5/2 = 2.5; buckets [1,3) [3,6); the first
	 * bucket's C is the mean of 3..5 = (4, 10/3) with v 0 10 0.
	 * v = 0 2 1 | 0 10 0 | 0, A = (0,0):
	 * j=1: |(-4)(2) - (-1)(10/3)| = |-8 + 10/3| = 14/3
	 * j=2: |(-4)(1) - (-2)(10/3)| = |-4 + 20/3| = 8/3  -> j = 1
	 * second bucket: A = (1, 2), C = (6, 0):
	 * j=3: |(-5)(-2) - (-2)(-2)| = 6; j=4: |(-5)(8) - (-3)(-2)| = 46;
	 * j=5: |(-5)(-2) - (-4)(-2)| = 2 -> j = 4 */
	const double w[] = { 0, 2, 1, 0, 10, 0, 0 };
	const size_t wantw[] = { 0, 1, 4, 6 };
	const double xw[] = { 0, 1, 2, 3, 4, 5, 6 };
	size_t idx[8];

	(void)state;
	expect_idx(idx, tsd_ds_lttb(idx, N(idx), NULL, v, 5, 3), want, N(want),
		   "lttb");
	expect_idx(idx, tsd_ds_lttb(idx, N(idx), NULL, tie, 5, 3), wantt,
		   N(wantt), "lttb tie");
	expect_idx(idx, tsd_ds_lttb(idx, N(idx), NULL, w, 7, 4), wantw,
		   N(wantw), "lttb 7/4");
	expect_idx(idx, tsd_ds_lttb(idx, N(idx), xw, w, 7, 4), wantw,
		   N(wantw), "lttb 7/4 x");
	/* an x that moves point 2 far to the right makes it the winner:
	 * x = 0 1 20 21 22 23 24, C = (22, 10/3):
	 * j=1: |(-22)(2) - (-1)(10/3)| = 40.7; j=2: |(-22)(1) - (-20)(10/3)|
	 * = 44.7 -> j = 2 */
	{
		const double xf[] = { 0, 1, 20, 21, 22, 23, 24 };

		assert_int_equal(tsd_ds_lttb(idx, N(idx), xf, w, 7, 4), 4);
		assert_int_equal(idx[1], 2);
	}
	assert_int_equal(tsd_ds_lttb(idx, N(idx), NULL, v, 5, 2), 2);
	assert_int_equal(idx[1], 4);
	assert_int_equal(tsd_ds_lttb(idx, N(idx), NULL, v, 5, 1), TSD_EINVAL);
	assert_int_equal(tsd_ds_lttb(idx, 2, NULL, v, 5, 3), TSD_ESIZE);
	assert_int_equal(tsd_ds_lttb(idx, N(idx), NULL, v, 5, 9), 5);
}

static void test_lttb_random(void **state)
{
	const size_t n = 20000;
	const size_t outs[] = { 2, 3, 10, 999, 5000, 19999, 20000 };
	double *v = malloc(n * sizeof(*v)), *x = malloc(n * sizeof(*x));
	size_t *a = malloc(n * sizeof(*a)), *b = malloc(n * sizeof(*b));
	size_t i, k;

	(void)state;
	assert_true(v && x && a && b);
	rng_state = 7;
	walk(v, n, 0);
	for (i = 0; i < n; i++)
		x[i] = (double)i;
	for (k = 0; k < N(outs); k++) {
		ptrdiff_t ra = tsd_ds_lttb(a, n, NULL, v, n, outs[k]);
		ptrdiff_t rb = tsd_ds_lttb(b, n, x, v, n, outs[k]);

		assert_int_equal(ra, outs[k] < n ? outs[k] : n);
		expect_shape(a, ra, n, "lttb random");
		/* x = NULL is x[i] = i exactly */
		expect_idx(b, rb, a, (size_t)ra, "lttb x=NULL vs x=i");
		ra = tsd_ds_minmaxlttb(a, n, NULL, v, n, outs[k], 0);
		assert_int_equal(ra, outs[k] < n ? outs[k] : n);
		expect_shape(a, ra, n, "minmaxlttb random");
	}
	free(v);
	free(x);
	free(a);
	free(b);
}

static void test_minmaxlttb(void **state)
{
	const size_t n = 50000, no = 300;
	double *v = malloc(n * sizeof(*v)), *x = malloc(n * sizeof(*x));
	double *xs = malloc(n * sizeof(*xs)), *vs = malloc(n * sizeof(*vs));
	size_t *got = malloc(n * sizeof(*got)), *sel = malloc(n * sizeof(*sel));
	size_t *want = malloc(n * sizeof(*want));
	ptrdiff_t r, m, k;

	(void)state;
	assert_true(v && x && xs && vs && got && sel && want);
	rng_state = 11;
	walk(v, n, 0);
	for (k = 0; k < (ptrdiff_t)n; k++)
		x[k] = 1000.0 + 0.5 * (double)k + 0.25 * urand();
	/* by hand: MinMax to 4*300 + 2 points, LTTB on those with their x */
	m = tsd_ds_minmax(sel, n, v, n, 4 * no + 2);
	assert_int_equal(m, 4 * no + 2);
	for (k = 0; k < m; k++) {
		xs[k] = x[sel[k]];
		vs[k] = v[sel[k]];
	}
	r = tsd_ds_lttb(want, n, xs, vs, (size_t)m, no);
	assert_int_equal(r, no);
	for (k = 0; k < r; k++)
		want[k] = sel[want[k]];
	r = tsd_ds_minmaxlttb(got, no, x, v, n, no, 4);
	expect_idx(got, r, want, no, "minmaxlttb");
	expect_shape(got, r, n, "minmaxlttb");
	/* n / n_out <= ratio: plain LTTB */
	r = tsd_ds_minmaxlttb(got, n, x, v, 1200, 300, 4);
	m = tsd_ds_lttb(want, n, x, v, 1200, 300);
	expect_idx(got, r, want, (size_t)m, "minmaxlttb small");
	assert_int_equal(tsd_ds_minmaxlttb(got, n, x, v, n, no, 1), TSD_EINVAL);
	free(v);
	free(x);
	free(xs);
	free(vs);
	free(got);
	free(sel);
	free(want);
}

/* read a NAB CSV: values and epoch seconds; returns the row count */
static size_t read_nab(double **tv, double **vv, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[256];
	size_t n = 0, cap = 0;

	*tv = *vv = NULL;
	if (!f)
		return 0;
	if (!fgets(line, sizeof(line), f)) {
		fclose(f);
		return 0;
	}
	while (fgets(line, sizeof(line), f)) {
		struct tm tm;
		char *c = strchr(line, ','), *end;

		if (!c)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 8192;
			*tv = realloc(*tv, cap * sizeof(**tv));
			*vv = realloc(*vv, cap * sizeof(**vv));
			if (!*tv || !*vv)
				fail_msg("out of memory");
		}
		memset(&tm, 0, sizeof(tm));
		if (sscanf(line, "%d-%d-%d %d:%d:%d", &tm.tm_year, &tm.tm_mon,
			   &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
			fail_msg("%s: bad line %s", path, line);
		tm.tm_year -= 1900;
		tm.tm_mon -= 1;
		(*tv)[n] = (double)timegm(&tm);
		(*vv)[n] = strtod(c + 1, &end);
		if (end == c + 1)
			fail_msg("%s: bad value %s", path, line);
		n++;
	}
	fclose(f);
	return n;
}

static size_t read_idx(size_t *idx, size_t cap, const char *path)
{
	FILE *f = fopen(path, "r");
	size_t n = 0, i;

	if (!f)
		fail_msg("cannot open %s", path);
	while (n < cap && fscanf(f, "%zu", &i) == 1)
		idx[n++] = i;
	fclose(f);
	return n;
}

static const char *nab_dir(void)
{
	static const char *cand[] = { NULL, "../shared/data/nab",
				      "/work/shared/data/nab" };
	size_t k;

	cand[0] = getenv("TSD_NAB_DIR");
	for (k = 0; k < N(cand); k++) {
		char p[512];
		FILE *f;

		if (!cand[k])
			continue;
		snprintf(p, sizeof(p), "%s/art_daily_nojump.csv", cand[k]);
		if ((f = fopen(p, "r"))) {
			fclose(f);
			return cand[k];
		}
	}
	fail_msg("NAB data not found: set TSD_NAB_DIR");
	return NULL;
}

static void test_lttb_reference(void **state)
{
	const char *nab = nab_dir();
	const size_t outs[] = { 100, 500, 1000 };
	DIR *d = opendir("testdata/lttb");
	struct dirent *de;
	size_t got[1000], want[1000];
	int files = 0, checks = 0;

	(void)state;
	if (!d)
		fail_msg("testdata/lttb: run the test from the top directory");
	while ((de = readdir(d))) {
		char name[256], path[600];
		double *t, *v;
		size_t n, k, len = strlen(de->d_name);

		/* one CSV per <name>.100.i */
		if (len < 7 || strcmp(de->d_name + len - 6, ".100.i"))
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)(len - 6), de->d_name);
		snprintf(path, sizeof(path), "%s/%s.csv", nab, name);
		n = read_nab(&t, &v, path);
		if (n < 1000)
			fail_msg("%s: %zu rows", path, n);
		for (k = 0; k < N(outs); k++) {
			const char *tag[] = { "i", "t" };

			for (int x = 0; x < 2; x++) {
				ptrdiff_t r = tsd_ds_lttb(got, N(got),
							  x ? t : NULL, v, n,
							  outs[k]);
				size_t nw;

				snprintf(path, sizeof(path),
					 "testdata/lttb/%s.%zu.%s", name,
					 outs[k], tag[x]);
				nw = read_idx(want, N(want), path);
				assert_int_equal(nw, outs[k]);
				expect_idx(got, r, want, nw, path);
				checks++;
			}
		}
		free(t);
		free(v);
		files++;
	}
	closedir(d);
	/* every NAB file, 3 sizes, 2 kinds of x */
	assert_int_equal(files, 19);
	assert_int_equal(checks, 19 * 6);
}

/* ---- SDT and deadband --------------------------------------------------- */

static void test_sdt_hand(void **state)
{
	/* t 0..5, v 0 1 2 3 2 1, dev 0.5
	 * a=0: i=1 doors lo=(1-.5)/1=.5 hi=1.5
	 * i=2 slope 1 passes; lo=max(.5,1.5/2)=.75 hi=min(1.5,2.5/2)=1.25
	 * i=3 slope 1 passes; lo=.833 hi=1.167
	 * i=4 slope .5 fails -> archive 3; doors from 3: lo=-1.5 hi=-.5
	 * i=5 slope (1-3)/2=-1 passes; last -> 0 3 5 */
	const double v[] = { 0, 1, 2, 3, 2, 1 };
	const size_t want[] = { 0, 3, 5 };
	struct tsd_ds_arch o = { .dev = 0.5 };
	/* the line 0->2 passes 1.5 from point 1 although the doors over
	 * 1 and 2 are still open (classic SDT would keep going and hold 2):
	 * v 0 0 3 6, dev 1: after 1 lo=-1 hi=1; at i=2 slope 1.5 > hi
	 * -> archive 1; from 1: lo=(3-1)/1=2 hi=4; i=3 slope 6/2=3 passes */
	const double w[] = { 0, 0, 3, 6 };
	const size_t wantw[] = { 0, 1, 3 };
	/* tmax 2 on a line: nothing fails, but points are archived at least
	 * every 2 steps: i=3 is 3 after 0 -> archive 2, i=5 -> archive 4 */
	const double line[] = { 0, 1, 2, 3, 4, 5, 6 };
	const size_t wantl[] = { 0, 2, 4, 6 };
	/* tmin 2: in w above the failing test at i=2 wants to archive 1,
	 * which is only 1 after 0: not archived; the doors over 1 and 2 are
	 * lo=max(-1,(3-1)/2)=1 hi=min(1,(3+1)/2)=1; at i=3 the slope 6/3=2
	 * fails and the held point 2 is 2 after 0 -> archive 2 */
	const size_t wantm[] = { 0, 2, 3 };
	size_t idx[8];
	const int64_t tt[] = { 10, 20, 30, 40, 50, 60 };

	(void)state;
	expect_idx(idx, tsd_ds_sdt(idx, N(idx), NULL, v, 6, &o), want, N(want),
		   "sdt");
	/* the same with t in units of 10: slopes scale, choices do not */
	expect_idx(idx, tsd_ds_sdt(idx, N(idx), tt, v, 6, &o), want, N(want),
		   "sdt t");
	o.dev = 1;
	expect_idx(idx, tsd_ds_sdt(idx, N(idx), NULL, w, 4, &o), wantw,
		   N(wantw), "sdt held point");
	o.tmin = 2;
	expect_idx(idx, tsd_ds_sdt(idx, N(idx), NULL, w, 4, &o), wantm,
		   N(wantm), "sdt tmin");
	o.tmin = 0;
	o.tmax = 2;
	expect_idx(idx, tsd_ds_sdt(idx, N(idx), NULL, line, 7, &o), wantl,
		   N(wantl), "sdt tmax");
	o.tmax = 0;
	expect_idx(idx, tsd_ds_sdt(idx, N(idx), NULL, line, 7, &o),
		   (const size_t[]){ 0, 6 }, 2, "sdt line");
	assert_int_equal(tsd_ds_sdt(idx, 2, NULL, v, 6, &o), TSD_ESIZE);
	{
		const int64_t bad[] = { 0, 1, 1, 2 };

		assert_int_equal(tsd_ds_sdt(idx, N(idx), bad, w, 4, &o),
				 TSD_EORDER);
	}
	o.dev = -1;
	assert_int_equal(tsd_ds_sdt(idx, N(idx), NULL, v, 6, &o), TSD_EINVAL);
}

/* Deviation 0 is a real setting (keep every change, drop what repeats):
 * on a straight line sdt keeps the two ends, and on a constant deadband
 * keeps the two ends; a kink or a step adds exactly its own points. */
static void test_arch_dev0(void **state)
{
	const double line[] = { 1, 3, 5, 7, 9, 11, 13, 15 };
	const double kink[] = { 0, 2, 4, 6, 5, 4, 3, 2 };
	const double flat[] = { 4, 4, 4, 4, 4, 4, 4, 4 };
	const double step[] = { 4, 4, 4, 4, 9, 9, 9, 9 };
	const int64_t tt[] = { 0, 10, 20, 30, 40, 50, 60, 70 };
	struct tsd_ds_arch o = { .dev = 0 };
	size_t idx[16];

	(void)state;
	expect_idx(idx, tsd_ds_sdt(idx, N(idx), NULL, line, 8, &o), (const size_t[]){ 0, 7 }, 2,
		   "sdt dev 0 line");
	expect_idx(idx, tsd_ds_sdt(idx, N(idx), tt, line, 8, &o), (const size_t[]){ 0, 7 }, 2,
		   "sdt dev 0 line, t");
	expect_idx(idx, tsd_ds_sdt(idx, N(idx), NULL, kink, 8, &o), (const size_t[]){ 0, 3, 7 }, 3,
		   "sdt dev 0 kink");
	expect_idx(idx, tsd_ds_sdt(idx, N(idx), NULL, flat, 8, &o), (const size_t[]){ 0, 7 }, 2,
		   "sdt dev 0 flat");
	expect_idx(idx, tsd_ds_deadband(idx, N(idx), NULL, flat, 8, &o), (const size_t[]){ 0, 7 }, 2,
		   "deadband dev 0 flat");
	expect_idx(idx, tsd_ds_deadband(idx, N(idx), NULL, step, 8, &o),
		   (const size_t[]){ 0, 3, 4, 7 }, 4, "deadband dev 0 step");
}

static void test_deadband_hand(void **state)
{
	/* dev 0.5: i=4 jumps 5 from 0 -> archive 3 (held) and 4;
	 * i=7 drops 5 -> archive 6 and 7 */
	const double v[] = { 0, 0.1, 0, 0.05, 5, 5.1, 5, 0 };
	const size_t want[] = { 0, 3, 4, 6, 7 };
	/* constant with tmax 3: i=4 is 4 after 0 -> archive 3; i=7 -> 6;
	 * last 9 */
	const double c[10] = { 0 };
	const size_t wantc[] = { 0, 3, 6, 9 };
	/* a change right after an archived point holds nothing extra:
	 * 0 1 2 3 with dev 0.5 archives all */
	const double r[] = { 0, 1, 2, 3 };
	const size_t wantr[] = { 0, 1, 2, 3 };
	struct tsd_ds_arch o = { .dev = 0.5 };
	size_t idx[10];

	(void)state;
	expect_idx(idx, tsd_ds_deadband(idx, N(idx), NULL, v, 8, &o), want,
		   N(want), "deadband");
	expect_idx(idx, tsd_ds_deadband(idx, N(idx), NULL, r, 4, &o), wantr,
		   N(wantr), "deadband ramp");
	o.tmax = 3;
	expect_idx(idx, tsd_ds_deadband(idx, N(idx), NULL, c, 10, &o), wantc,
		   N(wantc), "deadband tmax");
}

/* max over samples of |line between enclosing archived points - v| */
static double max_dev(const size_t *idx, ptrdiff_t cnt, const int64_t *t,
		      const double *v)
{
	double worst = 0;
	ptrdiff_t k;

	for (k = 1; k < cnt; k++) {
		size_t a = idx[k - 1], b = idx[k], j;
		double span = (double)(t[b] - t[a]);

		for (j = a + 1; j < b; j++) {
			double f = (double)(t[j] - t[a]) / span;
			double y = v[a] + f * (v[b] - v[a]);
			double d = fabs(y - v[j]);

			worst = d > worst ? d : worst;
		}
	}
	return worst;
}

static void test_arch_bounds(void **state)
{
	const size_t n = 20000;
	const double devs[] = { 0, 0.01, 0.3, 1, 5, 50 };
	double *v = malloc(n * sizeof(*v));
	int64_t *t = malloc(n * sizeof(*t));
	size_t *idx = malloc(n * sizeof(*idx));
	size_t i, k;
	int seed;

	(void)state;
	assert_true(v && t && idx);
	for (seed = 1; seed <= 6; seed++) {
		rng_state = (uint64_t)seed * 1000;
		walk(v, n, seed % 2 ? 0 : 0.5);
		/* irregular sampling, ns around a 1.4e18 epoch */
		t[0] = 1400000000000000000;
		for (i = 1; i < n; i++)
			t[i] = t[i - 1] + 1 + (int64_t)(rng() % 300000000000u);
		for (k = 0; k < N(devs); k++) {
			struct tsd_ds_arch o = { .dev = devs[k] };
			double scale = 1 + fabs(v[0]), tol;
			ptrdiff_t r;

			for (i = 0; i < n; i++)
				scale = fmax(scale, fabs(v[i]));
			tol = devs[k] + TOL_SDT * scale;
			r = tsd_ds_sdt(idx, n, t, v, n, &o);
			assert_true(r >= 2);
			assert_int_equal(r, tsd_ds_sdt(NULL, 0, t, v, n, &o));
			expect_shape(idx, r, n, "sdt random");
			if (!(max_dev(idx, r, t, v) <= tol))
				fail_msg("sdt seed %d dev %g: deviation %.17g",
					 seed, devs[k], max_dev(idx, r, t, v));
			/* with tmax: spacing bound too */
			o.tmax = 2000000000000;
			r = tsd_ds_sdt(idx, n, t, v, n, &o);
			expect_shape(idx, r, n, "sdt tmax");
			assert_true(max_dev(idx, r, t, v) <= tol);
			for (i = 1; i < (size_t)r; i++)
				if (t[idx[i]] - t[idx[i - 1]] > o.tmax &&
				    idx[i] != idx[i - 1] + 1)
					fail_msg("sdt tmax gap at %zu", i);

			/* deadband: within 2 dev of the line */
			o.tmax = 0;
			r = tsd_ds_deadband(idx, n, t, v, n, &o);
			expect_shape(idx, r, n, "deadband random");
			assert_int_equal(r, tsd_ds_deadband(NULL, 0, t, v, n, &o));
			if (!(max_dev(idx, r, t, v) <= 2 * devs[k] + TOL_SDT * scale))
				fail_msg("deadband seed %d dev %g: deviation %.17g",
					 seed, devs[k], max_dev(idx, r, t, v));
		}
	}
	free(v);
	free(t);
	free(idx);
}

static void test_arch_fit(void **state)
{
	const size_t n = 20000;
	const size_t outs[] = { 2, 50, 500, 3000 };
	double *v = malloc(n * sizeof(*v));
	size_t *idx = malloc(n * sizeof(*idx));
	size_t k;

	(void)state;
	assert_true(v && idx);
	rng_state = 99;
	walk(v, n, 0);
	for (k = 0; k < N(outs); k++) {
		struct tsd_ds_arch o = { 0 };
		ptrdiff_t c = tsd_ds_sdt_fit(&o, NULL, v, n, outs[k]);

		assert_true(c >= 2 && (size_t)c <= outs[k]);
		assert_int_equal(tsd_ds_sdt(idx, n, NULL, v, n, &o), c);
		/* close to the target: within 2% or 2 points */
		assert_true((double)c >= 0.98 * (double)outs[k] - 2);

		memset(&o, 0, sizeof(o));
		c = tsd_ds_deadband_fit(&o, NULL, v, n, outs[k]);
		assert_true(c >= 2 && (size_t)c <= outs[k]);
		assert_int_equal(tsd_ds_deadband(idx, n, NULL, v, n, &o), c);
	}
	/* tmax forces 1 point in 100: 50 cannot be reached */
	{
		struct tsd_ds_arch o = { .tmax = 100 };

		assert_int_equal(tsd_ds_sdt_fit(&o, NULL, v, n, 50), TSD_ERANGE);
		/* n <= n_out: dev 0 */
		o.tmax = 0;
		assert_int_equal(tsd_ds_sdt_fit(&o, NULL, v, 100, 200), 100);
		assert_true(o.dev == 0);
	}
	free(v);
	free(idx);
}

/* Ties: values on a 0.002 grid with a deviation of 0.002. In exact
 * arithmetic no difference exceeds it; in floating point 0.068 - 0.066 is
 * 0.0020000000000000018. Both filters keep only the ends. */
static void test_arch_ties(void **state)
{
	double v[40];
	size_t idx[40];
	struct tsd_ds_arch o = { .dev = 0.002 };

	(void)state;
	for (size_t i = 0; i < 40; i++)
		v[i] = (i % 2 ? 68 : 66) * 0.001;
	assert_true(v[1] - v[0] > 0.002); /* the trap is there */
	assert_int_equal(tsd_ds_deadband(idx, 40, NULL, v, 40, &o), 2);
	assert_int_equal(tsd_ds_sdt(idx, 40, NULL, v, 40, &o), 2);
	/* a real excess still counts: 0.070 - 0.066 */
	v[20] = 0.070;
	assert_true(tsd_ds_deadband(idx, 40, NULL, v, 40, &o) > 2);
	assert_true(tsd_ds_sdt(idx, 40, NULL, v, 40, &o) > 2);
}

/* -n on quantised noisy data, where the count is neither monotone nor
 * continuous in the deviation: the search never goes above the target,
 * and the top-up meets it exactly; the top-up adds the farthest sample. */
static void test_arch_count(void **state)
{
	const size_t n = 3000;
	double *v = malloc(n * sizeof(*v));
	size_t *idx = malloc(n * sizeof(*idx));
	size_t hits = 0, tries = 0;

	(void)state;
	assert_true(v && idx);
	rng_state = 7;
	for (size_t i = 0; i < n; i++) /* slow wave + noise, on a 0.002 grid */
		v[i] = floor((1 + 0.2 * sin((double)i / 200) + 0.01 * (double)(rng() % 1000) / 1000) / 0.002 + 0.5) * 0.002;
	for (size_t want = 20; want <= 700; want += 37) {
		for (int f = 0; f < 2; f++) {
			struct tsd_ds_arch o = { 0 };
			ptrdiff_t c = f ? tsd_ds_sdt_fit(&o, NULL, v, n, want) : tsd_ds_deadband_fit(&o, NULL, v, n, want);
			assert_true(c >= 2 && (size_t)c <= want);
			ptrdiff_t k = f ? tsd_ds_sdt(idx, n, NULL, v, n, &o) : tsd_ds_deadband(idx, n, NULL, v, n, &o);
			assert_int_equal(k, c);
			hits += (double)c >= 0.98 * (double)want;
			tries++;
			k = tsd_ds_topup(idx, (size_t)k, n, NULL, v, n, want);
			assert_int_equal(k, (ptrdiff_t)want);
			for (size_t j = 1; j < want; j++)
				assert_true(idx[j] > idx[j - 1]);
		}
	}
	assert_true(hits * 2 > tries); /* the search alone hits most */
	/* the top-up: ends of a line with a bump; the bump's top comes first */
	for (size_t i = 0; i < 50; i++)
		v[i] = (double)i + (i == 30 ? 10 : i == 31 ? 4 : 0);
	idx[0] = 0, idx[1] = 49;
	assert_int_equal(tsd_ds_topup(idx, 2, 50, NULL, v, 50, 3), 3);
	assert_int_equal(idx[1], 30);
	assert_int_equal(tsd_ds_topup(idx, 3, 50, NULL, v, 50, 60), 50); /* every sample */
	assert_int_equal(tsd_ds_topup(idx, 50, 10, NULL, v, 50, 60), TSD_EINVAL);
	free(v);
	free(idx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nth),
		cmocka_unit_test(test_minmax_hand),
		cmocka_unit_test(test_m4_hand),
		cmocka_unit_test(test_minmax_m4_random),
		cmocka_unit_test(test_lttb_hand),
		cmocka_unit_test(test_lttb_random),
		cmocka_unit_test(test_minmaxlttb),
		cmocka_unit_test(test_lttb_reference),
		cmocka_unit_test(test_sdt_hand),
		cmocka_unit_test(test_deadband_hand),
		cmocka_unit_test(test_arch_dev0),
		cmocka_unit_test(test_arch_bounds),
		cmocka_unit_test(test_arch_fit),
		cmocka_unit_test(test_arch_ties),
		cmocka_unit_test(test_arch_count),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
