/* test_metrics.c: interpolation and fidelity metrics on small series
 * worked out by hand (the arithmetic is in the comments), and merging of
 * per-series figures against one direct pass over all samples. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "metrics.h"
#include "tsd.h"

/* hand-worked values: a few ulps of rounding in sqrt and division */
#define TOL_HAND 1e-14
/* merged sums versus one pass: the additions happen in another order */
#define TOL_MERGE 1e-12

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void near(double got, double want, double tol, const char *what)
{
	double scale = fabs(want) > 1 ? fabs(want) : 1;

	if (!(fabs(got - want) <= tol * scale))
		fail_msg("%s: got %.17g want %.17g (tol %g)", what, got, want, tol);
}

static void test_interp_basic(void **state)
{
	/* reduced (1,10) (3,30) (5,20):
	 * t=0 before first: hold 10;  t=1 exact: 10;  t=2 halfway: 20;
	 * t=3 exact: 30;  t=4 halfway 30..20: 25;  t=5: 20;  t=6 after: 20 */
	const int64_t t[] = { 0, 1, 2, 3, 4, 5, 6 };
	const int64_t tr[] = { 1, 3, 5 };
	const double vr[] = { 10, 30, 20 };
	const double want[] = { 10, 10, 20, 30, 25, 20, 20 };
	double out[N(t)];
	size_t i;

	(void)state;
	assert_int_equal(tsd_metrics_interp(out, t, N(t), tr, vr, N(tr)), 0);
	for (i = 0; i < N(t); i++)
		near(out[i], want[i], 0, "interp");
}

static void test_interp_edges(void **state)
{
	/* duplicate reduced times (0,0) (2,10) (2,-10) (4,0): the line
	 * jumps at t=2 and the value at exactly 2 is the last one, -10.
	 * t=1: 0 + 1/2 * 10 = 5;  t=3: -10 + 1/2 * 10 = -5 */
	const int64_t t[] = { 0, 1, 2, 3, 4 };
	const int64_t tr[] = { 0, 2, 2, 4 };
	const double vr[] = { 0, 10, -10, 0 };
	const double want[] = { 0, 5, -10, -5, 0 };
	/* one reduced point: constant everywhere */
	const int64_t t1[] = { -5, 7, 100 };
	const int64_t tr1[] = { 7 };
	const double vr1[] = { 3.5 };
	/* epoch-sized times: the difference is taken in integers, so
	 * 1/3 of the way is exactly the double 1.0/3 */
	const int64_t tb[] = { 1400000000000000001LL };
	const int64_t trb[] = { 1400000000000000000LL, 1400000000000000003LL };
	const double vrb[] = { 0, 1 };
	/* times 2^64 apart: no overflow, halfway gives ~0.5 */
	const int64_t tw[] = { 0 };
	const int64_t trw[] = { INT64_MIN, INT64_MAX };
	const int64_t bad[] = { 3, 2 };
	double out[8];
	size_t i;

	(void)state;
	assert_int_equal(tsd_metrics_interp(out, t, N(t), tr, vr, N(tr)), 0);
	for (i = 0; i < N(t); i++)
		near(out[i], want[i], 0, "interp dup");
	assert_int_equal(tsd_metrics_interp(out, t1, N(t1), tr1, vr1, 1), 0);
	for (i = 0; i < N(t1); i++)
		near(out[i], 3.5, 0, "interp m=1");
	assert_int_equal(tsd_metrics_interp(out, tb, 1, trb, vrb, 2), 0);
	near(out[0], 1.0 / 3, 0, "interp epoch");
	assert_int_equal(tsd_metrics_interp(out, tw, 1, trw, vrb, 2), 0);
	near(out[0], 0.5, 1e-15, "interp wide");
	/* n = 0 is fine, m = 0 is not; order is checked on both sides */
	assert_int_equal(tsd_metrics_interp(out, t, 0, tr, vr, 1), 0);
	assert_int_equal(tsd_metrics_interp(out, t, 1, tr, vr, 0), TSD_EINVAL);
	assert_int_equal(tsd_metrics_interp(out, t, N(t), bad, vr, 2), TSD_EORDER);
	assert_int_equal(tsd_metrics_interp(out, bad, 2, tr, vr, 1), TSD_EORDER);
}

/* Series A, used below:
 *   t = 0 1 2 3 4  5        reduced (0,0) (2,8) (5,-4)
 *   v = 0 2 8 2 0 -4
 *   u = 0 4 8 4 0 -4        u(1) = 8/2, u(3) = 8 - 12/3, u(4) = 8 - 24/3
 *   e = 0 2 0 2 0  0        e = u - v
 * sumsq = 8, n = 6: rmse = sqrt(8/6); range = 8 - -4 = 12: nrmse = rmse/12
 * maxabs 2, first at index 1 (t = 1); ratio 6/3 = 2; bytes 600/150 = 4 */
static const int64_t ta[] = { 0, 1, 2, 3, 4, 5 };
static const double va[] = { 0, 2, 8, 2, 0, -4 };
static const int64_t tra[] = { 0, 2, 5 };
static const double vra[] = { 0, 8, -4 };
/* windows [1,2] holds e = 2, 0; [3,4] holds e = 2, 0; [10,20] is empty:
 * win_n 4, win_sumsq 8, win_rmse sqrt(2), win_maxabs 2 at index 1.
 * peaks: [1,2] max v=8 at 2 (u 8, kept), min v=2 at 1 (u 4, |e| 2);
 *        [3,4] max v=2 at 3 (u 4, |e| 2), min v=0 at 4 (u 0, kept) */
static const struct tsd_window wa[] = { { 1, 2 }, { 3, 4 }, { 10, 20 } };

static void test_series_hand(void **state)
{
	struct tsd_metrics mt;
	struct tsd_metrics_opts o = { .bytes_orig = 600, .bytes_red = 150 };

	(void)state;
	assert_int_equal(tsd_metrics_series(&mt, ta, va, 6, tra, vra, 3,
					    wa, N(wa), &o), 0);
	assert_int_equal(mt.series, 1);
	assert_int_equal(mt.n, 6);
	assert_int_equal(mt.m, 3);
	near(mt.ratio_points, 2, 0, "ratio_points");
	near(mt.ratio_bytes, 4, 0, "ratio_bytes");
	near(mt.sumsq, 8, 0, "sumsq");
	near(mt.rmse, sqrt(8.0 / 6), TOL_HAND, "rmse");
	near(mt.range, 12, 0, "range");
	near(mt.nrmse, sqrt(8.0 / 6) / 12, TOL_HAND, "nrmse");
	assert_int_equal(mt.flat, 0);
	near(mt.maxabs, 2, 0, "maxabs");
	assert_int_equal(mt.maxabs_idx, 1);
	assert_int_equal(mt.maxabs_t, 1);
	assert_int_equal(mt.maxabs_series, 0);
	assert_int_equal(mt.win_n, 4);
	near(mt.win_rmse, sqrt(2.0), TOL_HAND, "win_rmse");
	near(mt.win_nrmse, sqrt(2.0) / 12, TOL_HAND, "win_nrmse");
	near(mt.win_maxabs, 2, 0, "win_maxabs");
	assert_int_equal(mt.win_maxabs_idx, 1);
	assert_int_equal(mt.windows, 3);
	assert_int_equal(mt.windows_empty, 1);
	assert_int_equal(mt.peaks_total, 4);
	assert_int_equal(mt.peaks_kept, 2);

	/* absolute tolerance 2 keeps the two |e| = 2 peaks too */
	o.peak_tol = 2;
	assert_int_equal(tsd_metrics_series(&mt, ta, va, 6, tra, vra, 3,
					    wa, N(wa), &o), 0);
	assert_int_equal(mt.peaks_kept, 4);
	/* relative 0.1 of range 12 is 1.2 < 2: two kept; 0.2 -> 2.4: four */
	o.peak_tol = 0.1;
	o.peak_tol_rel = 1;
	assert_int_equal(tsd_metrics_series(&mt, ta, va, 6, tra, vra, 3,
					    wa, N(wa), &o), 0);
	assert_int_equal(mt.peaks_kept, 2);
	o.peak_tol = 0.2;
	assert_int_equal(tsd_metrics_series(&mt, ta, va, 6, tra, vra, 3,
					    wa, N(wa), &o), 0);
	assert_int_equal(mt.peaks_kept, 4);

	/* no windows, no options: window figures zero, byte ratio unknown */
	assert_int_equal(tsd_metrics_series(&mt, ta, va, 6, tra, vra, 3,
					    NULL, 0, NULL), 0);
	assert_int_equal(mt.win_n, 0);
	near(mt.win_rmse, 0, 0, "win_rmse none");
	near(mt.ratio_bytes, 0, 0, "ratio_bytes unknown");
	assert_int_equal(mt.peaks_total, 0);
}

/* Series B, flat: v = 5 5 5 at t = 0 1 2, reduced (0,5) (2,6):
 * u = 5 5.5 6, e = 0 .5 1, sumsq 1.25, rmse sqrt(1.25/3); range 0 so
 * nrmse = rmse / 1 and flat = 1; maxabs 1 at index 2 */
static const int64_t tb[] = { 0, 1, 2 };
static const double vb[] = { 5, 5, 5 };
static const int64_t trb[] = { 0, 2 };
static const double vrb[] = { 5, 6 };
/* Series C: v = 1 2 3 4 at t = 100..400, reduced (100,1) (400,1):
 * e = 0 -1 -2 -3, sumsq 14, maxabs 3 at index 3 (t 400), range 3,
 * sumsq_norm 14/9; window [150,300] holds e = -1, -2 */
static const int64_t tc[] = { 100, 200, 300, 400 };
static const double vc[] = { 1, 2, 3, 4 };
static const int64_t trc[] = { 100, 400 };
static const double vrc[] = { 1, 1 };
static const struct tsd_window wc[] = { { 150, 300 } };

static void test_series_flat(void **state)
{
	struct tsd_metrics mt;

	(void)state;
	assert_int_equal(tsd_metrics_series(&mt, tb, vb, 3, trb, vrb, 2,
					    NULL, 0, NULL), 0);
	assert_int_equal(mt.flat, 1);
	near(mt.range, 0, 0, "range");
	near(mt.rmse, sqrt(1.25 / 3), TOL_HAND, "rmse");
	near(mt.nrmse, sqrt(1.25 / 3), TOL_HAND, "nrmse");
	near(mt.maxabs, 1, 0, "maxabs");
	assert_int_equal(mt.maxabs_idx, 2);
}

static void test_peak_duplicate_times(void **state)
{
	/* reduced has two points at t = 2 (10 then -10); the original's
	 * min -10 sits at t = 2. The peak check reads the reduced series at
	 * t = 2 by binary search and must give the same -10 as the walk. */
	const int64_t t[] = { 0, 1, 2, 3, 4 };
	const double v[] = { 0, 5, -10, -5, 0 };
	const int64_t tr[] = { 0, 2, 2, 4 };
	const double vr[] = { 0, 10, -10, 0 };
	const struct tsd_window w[] = { { 2, 2 } };
	struct tsd_metrics mt;

	(void)state;
	assert_int_equal(tsd_metrics_series(&mt, t, v, 5, tr, vr, 4, w, 1, NULL), 0);
	near(mt.sumsq, 0, 0, "sumsq");
	assert_int_equal(mt.peaks_total, 2);
	assert_int_equal(mt.peaks_kept, 2);
}

static void test_peak_ties(void **state)
{
	/* v = 0 5 1 5 0 at t = 0..4, one window [0,4]: the max 5 is taken at
	 * t = 1 and t = 3, the min 0 at t = 0 and t = 4.
	 * Reduced (0,0) (3,5) (4,0): u(1) = 5/3 misses, u(3) = 5 hits: the
	 * max is kept through its second occurrence; u(0) = 0: min kept.
	 * Reduced (0,0) (4,0): u = 0 everywhere: max lost, min kept. */
	const int64_t t[] = { 0, 1, 2, 3, 4 };
	const double v[] = { 0, 5, 1, 5, 0 };
	const int64_t tr1[] = { 0, 3, 4 }, tr2[] = { 0, 4 };
	const double vr1[] = { 0, 5, 0 }, vr2[] = { 0, 0 };
	const struct tsd_window w[] = { { 0, 4 } };
	struct tsd_metrics mt;

	(void)state;
	assert_int_equal(tsd_metrics_series(&mt, t, v, 5, tr1, vr1, 3, w, 1, NULL), 0);
	assert_int_equal(mt.peaks_total, 2);
	assert_int_equal(mt.peaks_kept, 2);
	assert_int_equal(tsd_metrics_series(&mt, t, v, 5, tr2, vr2, 2, w, 1, NULL), 0);
	assert_int_equal(mt.peaks_kept, 1);
}

static void test_series_errors(void **state)
{
	const double nan_v[] = { 0, NAN, 8, 2, 0, -4 };
	const int64_t back[] = { 0, 1, 2, 1, 4, 5 };
	const struct tsd_window rev[] = { { 5, 4 } };
	struct tsd_metrics mt;
	struct tsd_metrics_opts o = { .peak_tol = -1 };

	(void)state;
	assert_int_equal(tsd_metrics_series(&mt, ta, nan_v, 6, tra, vra, 3, NULL, 0, NULL), TSD_EINVAL);
	assert_int_equal(tsd_metrics_series(&mt, back, va, 6, tra, vra, 3, NULL, 0, NULL), TSD_EORDER);
	assert_int_equal(tsd_metrics_series(&mt, ta, va, 6, tra, vra, 3, rev, 1, NULL), TSD_EINVAL);
	assert_int_equal(tsd_metrics_series(&mt, ta, va, 0, tra, vra, 3, NULL, 0, NULL), TSD_EINVAL);
	assert_int_equal(tsd_metrics_series(&mt, ta, va, 6, tra, vra, 0, NULL, 0, NULL), TSD_EINVAL);
	assert_int_equal(tsd_metrics_series(&mt, ta, va, 6, tra, vra, 3, NULL, 0, &o), TSD_EINVAL);
}

static void test_merge_hand(void **state)
{
	/* A + B + C: n 13, m 7, sumsq 8 + 1.25 + 14 = 23.25,
	 * sumsq_norm 8/144 + 1.25/1 + 14/9, maxabs 3 in series 2 index 3;
	 * windows: A's 4 samples (sumsq 8) + C's 2 (1 + 4): win_n 6,
	 * win_sumsq 13, win_maxabs 2 (C's [150,300] has |e| 2 at index 2,
	 * not larger than A's 2, so A's index 1 stays) */
	struct tsd_metrics a, b, c, acc;

	(void)state;
	assert_int_equal(tsd_metrics_series(&a, ta, va, 6, tra, vra, 3, wa, N(wa), NULL), 0);
	assert_int_equal(tsd_metrics_series(&b, tb, vb, 3, trb, vrb, 2, NULL, 0, NULL), 0);
	assert_int_equal(tsd_metrics_series(&c, tc, vc, 4, trc, vrc, 2, wc, 1, NULL), 0);
	tsd_metrics_init(&acc);
	tsd_metrics_merge(&acc, &a);
	tsd_metrics_merge(&acc, &b);
	tsd_metrics_merge(&acc, &c);
	assert_int_equal(acc.series, 3);
	assert_int_equal(acc.n, 13);
	assert_int_equal(acc.m, 7);
	assert_int_equal(acc.flat, 1);
	near(acc.ratio_points, 13.0 / 7, TOL_HAND, "ratio_points");
	near(acc.rmse, sqrt(23.25 / 13), TOL_HAND, "rmse");
	near(acc.nrmse, sqrt((8.0 / 144 + 1.25 + 14.0 / 9) / 13), TOL_HAND, "nrmse");
	near(acc.maxabs, 3, 0, "maxabs");
	assert_int_equal(acc.maxabs_series, 2);
	assert_int_equal(acc.maxabs_idx, 3);
	assert_int_equal(acc.maxabs_t, 400);
	assert_int_equal(acc.win_n, 6);
	near(acc.win_rmse, sqrt(13.0 / 6), TOL_HAND, "win_rmse");
	near(acc.win_maxabs, 2, 0, "win_maxabs");
	assert_int_equal(acc.win_maxabs_series, 0);
	assert_int_equal(acc.win_maxabs_idx, 1);
	/* C's window: max 3 at 300 (u 1, |e| 2), min 2 at 200 (|e| 1) */
	assert_int_equal(acc.peaks_total, 6);
	assert_int_equal(acc.peaks_kept, 2);
	assert_int_equal(acc.windows, 4);
	assert_int_equal(acc.windows_empty, 1);
	near(acc.vmin, -4, 0, "vmin");
	near(acc.vmax, 8, 0, "vmax");
}

/* Deterministic pseudo-random numbers in [0, 1). */
static double lcg(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return (double)(*s >> 11) / 9007199254740992.0;
}

#define NS 7
#define NMAX 200

static void test_merge_one_pass(void **state)
{
	/* Seven random series, every 5th point kept (plus the last); merged
	 * in two different groupings, both must equal a direct pass over
	 * all samples using tsd_metrics_interp. */
	static int64_t t[NS][NMAX], tr[NS][NMAX];
	static double v[NS][NMAX], vr[NS][NMAX], u[NMAX];
	size_t n[NS], m[NS], s, i;
	struct tsd_metrics one[NS], left, right, all, grp;
	struct tsd_window w = { 1000, 3000 };
	double sumsq = 0, sumsqn = 0, wsumsq = 0, maxabs = 0;
	size_t total = 0, wn = 0, maxs = 0, maxi = 0;
	uint64_t seed = 42;

	(void)state;
	for (s = 0; s < NS; s++) {
		double lo = INFINITY, hi = -INFINITY, range;

		n[s] = 20 + (size_t)(lcg(&seed) * 180);
		for (i = 0; i < n[s]; i++) {
			t[s][i] = (int64_t)i * 37 + (int64_t)(lcg(&seed) * 30);
			v[s][i] = 100 * (lcg(&seed) - 0.5);
			lo = fmin(lo, v[s][i]);
			hi = fmax(hi, v[s][i]);
		}
		for (m[s] = 0, i = 0; i < n[s]; i++) {
			if (i % 5 == 0 || i + 1 == n[s]) {
				tr[s][m[s]] = t[s][i];
				vr[s][m[s]++] = v[s][i] + (lcg(&seed) - 0.5);
			}
		}
		assert_int_equal(tsd_metrics_series(&one[s], t[s], v[s], n[s],
						    tr[s], vr[s], m[s], &w, 1, NULL), 0);
		assert_int_equal(tsd_metrics_interp(u, t[s], n[s], tr[s], vr[s], m[s]), 0);
		range = hi - lo;
		for (i = 0; i < n[s]; i++) {
			double e = u[i] - v[s][i];
			sumsq += e * e;
			sumsqn += (e / range) * (e / range);
			if (fabs(e) > maxabs) {
				maxabs = fabs(e);
				maxs = s;
				maxi = i;
			}
			if (t[s][i] >= w.start && t[s][i] <= w.end) {
				wsumsq += e * e;
				wn++;
			}
		}
		total += n[s];
	}
	/* ((0+1+2)+(3+4+5+6)) versus (0+(1+(2+...))) */
	tsd_metrics_init(&left);
	tsd_metrics_init(&right);
	for (s = 0; s < 3; s++)
		tsd_metrics_merge(&left, &one[s]);
	for (s = 3; s < NS; s++)
		tsd_metrics_merge(&right, &one[s]);
	tsd_metrics_merge(&left, &right);
	all = one[NS - 1];
	for (s = NS - 1; s-- > 0;) {
		grp = one[s];
		tsd_metrics_merge(&grp, &all);
		all = grp;
	}
	for (s = 0; s < 2; s++) {
		const struct tsd_metrics *r = s ? &all : &left;
		assert_int_equal(r->series, NS);
		assert_int_equal(r->n, total);
		assert_int_equal(r->win_n, wn);
		near(r->rmse, sqrt(sumsq / (double)total), TOL_MERGE, "merged rmse");
		near(r->nrmse, sqrt(sumsqn / (double)total), TOL_MERGE, "merged nrmse");
		near(r->win_rmse, sqrt(wsumsq / (double)wn), TOL_MERGE, "merged win_rmse");
		near(r->maxabs, maxabs, 0, "merged maxabs");
		assert_int_equal(r->maxabs_series, maxs);
		assert_int_equal(r->maxabs_idx, maxi);
	}
}

/* The noise floor: median |first difference| x 1.4826 / sqrt 2 over the
 * range (by hand for 0 2 0 2 0: 2 x 1.4826 / sqrt 2 / 2), an even count takes the mean of
 * the middle two, n < 2 gives 0, and merging pools it as nrmse is. */
static void test_noise(void **state)
{
	const double v[] = { 0, 2, 0, 2, 0 }, w[] = { 1, 2, 4, 7, 11 }; /* |d| 1 2 3 4 */
	const int64_t t[] = { 0, 1, 2, 3, 4 };
	double work[5], s;
	struct tsd_metrics a, b, all;

	(void)state;
	assert_int_equal(tsd_metrics_noise(&s, work, v, 5), 0); /* over the range 2 */
	assert_true(fabs(s - 2 / 0.6745 / sqrt(2) / 2) < 1e-12);
	assert_int_equal(tsd_metrics_noise(&s, work, w, 5), 0); /* range 10 */
	assert_true(fabs(s - 2.5 / 0.6745 / sqrt(2) / 10) < 1e-12);
	{
		const double big[] = { DBL_MAX, -DBL_MAX, DBL_MAX, -DBL_MAX }; /* |d| = range */
		assert_int_equal(tsd_metrics_noise(&s, work, big, 4), 0);
		assert_true(fabs(s - 1 / 0.6745 / sqrt(2)) < 1e-12);
	}
	assert_int_equal(tsd_metrics_noise(&s, work, v, 1), 0);
	assert_true(s == 0);
	assert_int_equal(tsd_metrics_noise(NULL, work, v, 5), TSD_EINVAL);
	/* pooled: sqrt((5 q1^2 + 5 q2^2) / 10) */
	assert_int_equal(tsd_metrics_series(&a, t, v, 5, t, v, 5, NULL, 0, NULL), 0);
	assert_int_equal(tsd_metrics_series(&b, t, w, 5, t, w, 5, NULL, 0, NULL), 0);
	tsd_metrics_set_noise(&a, 0.5);
	tsd_metrics_set_noise(&b, 0.2);
	assert_true(fabs(a.noise - 0.5) < 1e-15 && fabs(b.noise - 0.2) < 1e-15);
	tsd_metrics_init(&all);
	tsd_metrics_merge(&all, &a);
	tsd_metrics_merge(&all, &b);
	assert_true(fabs(all.noise - sqrt((0.25 + 0.04) / 2)) < 1e-15);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_interp_basic),
		cmocka_unit_test(test_interp_edges),
		cmocka_unit_test(test_series_hand),
		cmocka_unit_test(test_series_flat),
		cmocka_unit_test(test_peak_duplicate_times),
		cmocka_unit_test(test_peak_ties),
		cmocka_unit_test(test_series_errors),
		cmocka_unit_test(test_merge_hand),
		cmocka_unit_test(test_merge_one_pass),
		cmocka_unit_test(test_noise),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
