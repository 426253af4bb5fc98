/* test_reduce.c: the reduced-series rule (point counts, placement,
 * everything kept gives the window back) and the perfect reconstruction
 * of the transform the tools call (tsd_coefwin_decompose/_reconstruct)
 * over every wavelet x mode x window length 1..64 and some longer ones. */
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
#include "reduce.h"
#include "tsd.h"

/* |reconstruct(decompose(x)) - x| <= TOL_PR * max(1, max |x|) */
#define TOL_PR 1e-9

static uint64_t rng = 0x2545f4914f6cdd1dULL;

static uint64_t next(void)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return rng >> 33;
}

static void gen(double *x, size_t n)
{
	for (size_t i = 0; i < n; i++)
		x[i] = (double)((int64_t)(next() % 2001) - 1000) / 64.0 + 50;
}

static void roundtrip(const tsd_wavelet *w, int mode, size_t n, unsigned J)
{
	size_t m = tsd_coefwin_total(n, J, w, mode), wl = tsd_coefwin_work_len(n, J, w, mode);
	double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
	double *c = malloc(m * sizeof *c), *work = malloc((wl ? wl : 1) * sizeof *work);
	double scale = 1, err = 0;

	assert_true(m > 0);
	assert_true(x && y && c && work);
	gen(x, n);
	for (size_t i = 0; i < n; i++)
		scale = fmax(scale, fabs(x[i]));
	assert_int_equal(tsd_coefwin_decompose(c, work, x, n, J, w, mode), 0);
	assert_int_equal(tsd_coefwin_reconstruct(y, n, c, work, J, w, mode), 0);
	for (size_t i = 0; i < n; i++)
		err = fmax(err, fabs(y[i] - x[i]));
	if (err > TOL_PR * scale)
		fail_msg("%s %s n=%zu J=%u: max error %g (scale %g)", w->name,
			 tsd_mode_name(mode), n, J, err, scale);
	free(x);
	free(y);
	free(c);
	free(work);
}

static void test_perfect_reconstruction(void **state)
{
	static const size_t longer[] = { 100, 255, 256, 257, 1000, 1023, 4097 };
	size_t count = 0;

	(void)state;
	for (size_t wi = 0; wi < tsd_wavelet_count(); wi++) {
		const tsd_wavelet *w = tsd_wavelet_at(wi);
		for (int mode = 0; mode < TSD_MODE_COUNT; mode++) {
			for (size_t n = 1; n <= 64; n++) {
				unsigned top = tsd_dwt_max_level(n, w->len);
				/* one level always; every level that fits */
				for (unsigned J = 1; J <= (top ? top : 1); J++, count++)
					roundtrip(w, mode, n, J);
			}
			for (size_t k = 0; k < sizeof longer / sizeof *longer; k++) {
				size_t n = longer[k];
				unsigned top = tsd_dwt_max_level(n, w->len);
				roundtrip(w, mode, n, 1);
				if (top > 1)
					roundtrip(w, mode, n, top);
				count += 1 + (top > 1);
			}
		}
	}
	assert_true(count > 30000);
}

static void test_levels(void **state)
{
	unsigned J = 99;

	(void)state;
	/* db4 (F = 8): J levels need n >= 7 * 2^J */
	assert_int_equal(tsd_coefwin_levels(&J, 256, 4, 8, 0), 0);
	assert_int_equal(J, 4);
	assert_int_equal(tsd_coefwin_levels(&J, 111, 4, 8, 0), TSD_ERANGE);
	assert_int_equal(tsd_coefwin_levels(&J, 112, 4, 8, 0), 0);
	/* a partial window: the deepest that fits, at least 1 */
	assert_int_equal(tsd_coefwin_levels(&J, 111, 4, 8, 1), 0);
	assert_int_equal(J, 3);
	assert_int_equal(tsd_coefwin_levels(&J, 3, 4, 8, 1), 0);
	assert_int_equal(J, 1);
	assert_int_equal(tsd_coefwin_levels(&J, 3, 4, 8, 0), TSD_ERANGE);
	assert_int_equal(tsd_coefwin_levels(&J, 0, 4, 8, 1), TSD_EINVAL);
	assert_true(tsd_coefwin_level_ok(1, 1, 40));
	assert_false(tsd_coefwin_level_ok(100, 2, 40));
	assert_true(tsd_coefwin_level_ok(156, 2, 40));
}

static void test_counts(void **state)
{
	(void)state;
	assert_int_equal(tsd_reduce_coarse(256, 4), 16);
	assert_int_equal(tsd_reduce_coarse(257, 4), 17);
	assert_int_equal(tsd_reduce_coarse(5, 4), 1);
	assert_int_equal(tsd_reduce_coarse(5, 0), 5);
	assert_int_equal(tsd_reduce_len(256, 4, 16), 32);
	assert_int_equal(tsd_reduce_len(256, 4, 240), 256);
	assert_int_equal(tsd_reduce_len(256, 4, 1000), 256);
}

/* Random keep masks: the count is the formula, indices increase, the
 * coarse block centres are all there. */
static void test_rule(void **state)
{
	static const char *wavs[] = { "haar", "db4", "sym8", "coif3", "db20" };
	static const int modes[] = { TSD_MODE_SYMMETRIC, TSD_MODE_PERIODIZATION, TSD_MODE_ZERO, TSD_MODE_REFLECT };
	size_t cases = 0;

	(void)state;
	for (size_t a = 0; a < sizeof wavs / sizeof *wavs; a++)
	for (size_t b = 0; b < sizeof modes / sizeof *modes; b++)
	for (size_t n = 1; n <= 300; n += 1 + n / 8) {
		const tsd_wavelet *w = tsd_wavelet_find(wavs[a]);
		unsigned top = tsd_dwt_max_level(n, w->len), J = top ? top : 1;
		size_t lens[TSD_COEFWIN_MAXJ + 1], m = tsd_coefwin_total(n, J, w, modes[b]);
		size_t wl = tsd_coefwin_work_len(n, J, w, modes[b]);
		double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y), *c = malloc(m * sizeof *c);
		double *work = malloc((wl ? wl : 1) * sizeof *work);
		unsigned char *keep = malloc(m), *mark = malloc(n);
		size_t *idx = malloc(n * sizeof *idx);
		assert_true(x && y && c && work && keep && mark && idx);
		assert_int_equal(tsd_coefwin_lengths(lens, n, J, w, modes[b]), 0);
		gen(x, n);
		assert_int_equal(tsd_coefwin_decompose(c, work, x, n, J, w, modes[b]), 0);
		for (unsigned p = 0; p <= 4; p++) {
			size_t kept = 0;
			for (size_t i = 0; i < m; i++) {
				/* p/4 of the details, at random */
				keep[i] = i < lens[0] || next() % 4 < p;
				if (!keep[i])
					c[i] = 0;
				kept += i >= lens[0] && keep[i];
			}
			assert_int_equal(tsd_coefwin_reconstruct(y, n, c, work, J, w, modes[b]), 0);
			int got = tsd_reduce(idx, mark, y, n, keep, lens, J, w, modes[b]);
			assert_int_equal(got, tsd_reduce_len(n, J, kept));
			for (int i = 1; i < got; i++)
				assert_true(idx[i] > idx[i - 1]);
			assert_true(idx[got - 1] < n);
			size_t B = (size_t)1 << J;
			for (size_t s = 0; s < n; s += B) {
				size_t e = s + B < n ? s + B - 1 : n - 1, cen = s + (e - s) / 2;
				int found = 0;
				for (int i = 0; i < got; i++)
					found |= idx[i] == cen;
				assert_true(found);
			}
			cases++;
		}
		free(x);
		free(y);
		free(c);
		free(work);
		free(keep);
		free(mark);
		free(idx);
	}
	assert_true(cases > 1000);
}

/* One kept detail of haar/periodization over a spike: its point lands on
 * the spike; nothing kept gives the coarse grid; everything kept gives
 * every sample. */
static void test_placement(void **state)
{
	const tsd_wavelet *w = tsd_wavelet_find("haar");
	enum { N = 64, J = 3 };
	size_t lens[J + 1], idx[N], m;
	double x[N], c[N], work[2 * N];
	unsigned char keep[N], mark[N];
	int got;

	(void)state;
	for (size_t i = 0; i < N; i++)
		x[i] = 10;
	x[37] = 30;
	m = tsd_coefwin_total(N, J, w, TSD_MODE_PERIODIZATION);
	assert_int_equal(m, N);
	assert_int_equal(tsd_coefwin_lengths(lens, N, J, w, TSD_MODE_PERIODIZATION), 0);
	assert_true(tsd_coefwin_work_len(N, J, w, TSD_MODE_PERIODIZATION) <= 2 * N);
	assert_int_equal(tsd_coefwin_decompose(c, work, x, N, J, w, TSD_MODE_PERIODIZATION), 0);

	/* nothing kept: 8 points at the block centres 3, 11, ... */
	memset(keep, 0, sizeof keep);
	memset(keep, 1, lens[0]);
	got = tsd_reduce(idx, mark, x, N, keep, lens, J, w, TSD_MODE_PERIODIZATION);
	assert_int_equal(got, 8);
	for (int i = 0; i < 8; i++)
		assert_int_equal(idx[i], 8 * i + 3);

	/* the finest detail over 36..37 kept: its point is sample 37 */
	memset(keep, 0, sizeof keep);
	memset(keep, 1, lens[0]);
	keep[N - lens[3] + 18] = 1;
	got = tsd_reduce(idx, mark, x, N, keep, lens, J, w, TSD_MODE_PERIODIZATION);
	assert_int_equal(got, 9);
	int found = 0;
	for (int i = 0; i < got; i++)
		found |= idx[i] == 37;
	assert_true(found);

	/* everything kept: every sample */
	memset(keep, 1, sizeof keep);
	got = tsd_reduce(idx, mark, x, N, keep, lens, J, w, TSD_MODE_PERIODIZATION);
	assert_int_equal(got, N);
	for (int i = 0; i < N; i++)
		assert_int_equal(idx[i], (size_t)i);
}

/* The squared error of the reduced series as tsd_reduce_fit() reads it:
 * lines between the points, from (tl, vl) before the first when has_left,
 * flat otherwise and after the last. */
static double fit_sse(const int64_t *t, const double *y, size_t n, const size_t *idx, const double *v,
		      size_t p, int has_left, int64_t tl, double vl)
{
	double sse = 0;
	size_t j = 0;

	for (size_t i = 0; i < n; i++) {
		double r;
		while (j < p && idx[j] <= i)
			j++;
		/* idx[j - 1] <= i < idx[j] */
		if (j == 0)
			r = has_left ? vl + (v[0] - vl) * (double)(t[i] - tl) / (double)(t[idx[0]] - tl) : v[0];
		else if (j == p)
			r = v[p - 1];
		else
			r = v[j - 1] + (v[j] - v[j - 1]) * (double)(t[i] - t[idx[j - 1]]) /
				(double)(t[idx[j]] - t[idx[j - 1]]);
		sse += (y[i] - r) * (y[i] - r);
	}
	return sse;
}

/* The fit: every value not at its clamp bound is a stationary point of
 * the squared error (a central difference of the quadratic is 0), no
 * single value moved makes the error smaller, every value lies within
 * its span's range; all points gives y back; bad arguments refused. */
static void test_fit(void **state)
{
	enum { N = 300 };
	int64_t t[N];
	double y[N], v[N], work[3 * N];
	size_t idx[N];
	int unclamped = 0;

	for (int trial = 0; trial < 200; trial++) {
		size_t n = 2 + next() % (N - 2), p = 0;
		int has_left = trial % 2;
		int64_t tl = -1 - (int64_t)(next() % 50);
		double vl = (double)(next() % 100) - 50;
		t[0] = (int64_t)(next() % 3);
		for (size_t i = 0; i < n; i++) {
			if (i)
				t[i] = t[i - 1] + 1 + (int64_t)(next() % 4); /* irregular */
			y[i] = trial % 3 == 0 ? (i > n / 2 ? 40.0 : 0.0) + (double)(next() % 5)
				: (double)((int64_t)(next() % 2001) - 1000) / 16.0;
		}
		for (size_t i = 0; i < n; i++)
			if (next() % 7 == 0)
				idx[p++] = i;
		if (!p)
			idx[p++] = n / 2;
		assert_int_equal(tsd_reduce_fit(v, work, t, y, n, idx, p, has_left, tl, vl), 0);
		double base = fit_sse(t, y, n, idx, v, p, has_left, tl, vl);
		int clamped = 0;
		for (size_t j = 0; j < p; j++) {
			size_t lo = j ? idx[j - 1] : 0, hi = j + 1 < p ? idx[j + 1] : n - 1;
			double mn = y[lo], mx = y[lo];
			for (size_t i = lo; i <= hi; i++)
				mn = fmin(mn, y[i]), mx = fmax(mx, y[i]);
			if (v[j] < mn || v[j] > mx)
				fail_msg("trial %d point %zu: %g outside [%g, %g]", trial, j, v[j], mn, mx);
			clamped += v[j] == mn || v[j] == mx;
		}
		/* a clamped value leaves the others' optimum: check the plain fits */
		if (clamped)
			continue;
		unclamped++;
		for (size_t j = 0; j < p; j++) {
			double h = 1e-3, keep = v[j];
			v[j] = keep + h;
			double up = fit_sse(t, y, n, idx, v, p, has_left, tl, vl);
			v[j] = keep - h;
			double dn = fit_sse(t, y, n, idx, v, p, has_left, tl, vl);
			v[j] = keep;
			if (up < base - 1e-9 * (1 + base) || dn < base - 1e-9 * (1 + base))
				fail_msg("trial %d point %zu: moving it lowers the error (%g, %g < %g)",
					 trial, j, up, dn, base);
			if (fabs(up - dn) > 1e-6 * (1 + base))
				fail_msg("trial %d point %zu: not stationary (%g vs %g)", trial, j, up, dn);
		}
	}
	assert_true(unclamped >= 50); /* the optimality checks ran */
	/* a step: plain least squares overshoots at the corner, the clamp holds it */
	for (size_t i = 0; i < 20; i++)
		t[i] = (int64_t)i, y[i] = i < 10 ? 0 : 10;
	idx[0] = 0, idx[1] = 9, idx[2] = 19;
	assert_int_equal(tsd_reduce_fit(v, work, t, y, 20, idx, 3, 0, 0, 0), 0);
	assert_true(v[0] >= 0 && v[1] >= 0 && v[1] <= 10 && v[2] <= 10);
	/* every sample a point */
	for (size_t i = 0; i < 20; i++)
		idx[i] = i;
	assert_int_equal(tsd_reduce_fit(v, work, t, y, 20, idx, 20, 1, -5, 99), 0);
	for (size_t i = 0; i < 20; i++)
		assert_true(v[i] == y[i]);
	/* refused: unordered points, times not increasing, tl not before */
	idx[0] = 3, idx[1] = 3;
	assert_int_equal(tsd_reduce_fit(v, work, t, y, 20, idx, 2, 0, 0, 0), TSD_EINVAL);
	idx[1] = 20;
	assert_int_equal(tsd_reduce_fit(v, work, t, y, 20, idx, 2, 0, 0, 0), TSD_EINVAL);
	idx[1] = 5;
	assert_int_equal(tsd_reduce_fit(v, work, t, y, 20, idx, 2, 1, 0, 0), TSD_EINVAL);
	t[4] = t[3];
	assert_int_equal(tsd_reduce_fit(v, work, t, y, 20, idx, 2, 0, 0, 0), TSD_EINVAL);
}

static uint64_t lcg(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return *s >> 33;
}

/* ---- an independent reading of the rule in reduce.h ---------------------
 * Written from the header's words, not from reduce.c: marks in an array,
 * the line through the marks found by scanning outward from each sample. */
static double ref_line(const double *y, const unsigned char *mk, size_t n, size_t i)
{
	long l = -1, r = -1;

	for (long j = (long)i - 1; j >= 0; j--)
		if (mk[j]) {
			l = j;
			break;
		}
	for (size_t j = i + 1; j < n; j++)
		if (mk[j]) {
			r = (long)j;
			break;
		}
	if (l < 0 && r < 0)
		return 0;
	if (l < 0)
		return y[r];
	if (r < 0)
		return y[l];
	return y[l] + (y[r] - y[l]) * (double)((long)i - l) / (double)(r - l);
}

static size_t ref_reduce(size_t *idx, const double *y, size_t n, const unsigned char *keep,
			 const size_t *lens, unsigned J, const tsd_wavelet *w, int mode)
{
	unsigned char *mk = calloc(n, 1);
	size_t B = (size_t)1 << J, got = 0, off = lens[0], cnt = 0;

	assert_non_null(mk);
	for (size_t s = 0; s < n; s += B) {
		size_t e = s + B < n ? s + B - 1 : n - 1;
		mk[s + (e - s) / 2] = 1;
		got++;
	}
	for (unsigned band = 1; band <= J; band++) {
		for (size_t k = 0; k < lens[band]; k++) {
			size_t i0, i1, best = SIZE_MAX;
			double bdev = 0, bdist = 0, mid;
			if (!keep[off + k] || got >= n)
				continue;
			assert_int_equal(tsd_dwt_support(&i0, &i1, n, J + 1 - band, k, w, mode), 0);
			mid = ((double)i0 + (double)i1) / 2;
			for (size_t i = i0; i <= i1; i++) {
				if (mk[i])
					continue;
				/* the line is the one through the marks as they are now */
				double dev = fabs(y[i] - ref_line(y, mk, n, i)), dist = fabs((double)i - mid);
				if (best == SIZE_MAX || dev > bdev || (dev == bdev && dist < bdist))
					best = i, bdev = dev, bdist = dist;
			}
			for (size_t d = 1; best == SIZE_MAX && d <= n; d++) {
				if (i0 >= d && !mk[i0 - d])
					best = i0 - d;
				else if (i1 + d < n && !mk[i1 + d])
					best = i1 + d;
			}
			if (best == SIZE_MAX)
				break;
			mk[best] = 1;
			got++;
		}
		off += lens[band];
	}
	for (size_t i = 0; i < n; i++)
		if (mk[i])
			idx[cnt++] = i;
	free(mk);
	return cnt;
}

/* The chosen indices equal the independent reading, sample for sample, on
 * sloped and curved windows (a flat baseline hides which end a line is
 * interpolated from) and on coarse integer data, where ties in deviation
 * are common and the tie rule decides. */
static void test_placement_reference(void **state)
{
	static const char *wavs[] = { "haar", "db2", "sym4" };
	static const int modes[] = { TSD_MODE_PERIODIZATION, TSD_MODE_SYMMETRIC };
	size_t cases = 0, ties = 0;
	uint64_t seed = 12345; /* its own sequence: the other tests' data stay as they were */

	(void)state;
	for (size_t a = 0; a < sizeof wavs / sizeof *wavs; a++)
	for (size_t b = 0; b < sizeof modes / sizeof *modes; b++)
	for (size_t n = 8; n <= 200; n += 3 + n / 5)
	for (int shape = 0; shape < 3; shape++) {
		const tsd_wavelet *w = tsd_wavelet_find(wavs[a]);
		unsigned top = tsd_dwt_max_level(n, w->len), J = top < 3 ? (top ? top : 1) : 3;
		size_t lens[TSD_COEFWIN_MAXJ + 1], m = tsd_coefwin_total(n, J, w, modes[b]);
		size_t wl = tsd_coefwin_work_len(n, J, w, modes[b]);
		double *x = malloc(n * sizeof *x), *c = malloc(m * sizeof *c);
		double *work = malloc((wl ? wl : 1) * sizeof *work);
		unsigned char *keep = malloc(m), *mark = malloc(n);
		size_t *idx = malloc(n * sizeof *idx), *want = malloc(n * sizeof *want);
		assert_true(x && c && work && keep && mark && idx && want);
		assert_int_equal(tsd_coefwin_lengths(lens, n, J, w, modes[b]), 0);
		for (size_t i = 0; i < n; i++) {
			double u = (double)i / (double)n;
			if (shape == 0)      /* a steep ramp with small bumps */
				x[i] = 100 * u + (double)(lcg(&seed) % 5);
			else if (shape == 1) /* a parabola with a spike */
				x[i] = 400 * (u - 0.3) * (u - 0.3) + (i == n / 3 ? 50 : 0);
			else                 /* coarse steps: many equal deviations */
				x[i] = (double)((i / 3) % 4) + (double)(lcg(&seed) % 2);
		}
		for (unsigned p = 1; p <= 3; p++) {
			for (size_t i = 0; i < m; i++)
				keep[i] = i < lens[0] || lcg(&seed) % 4 < p;
			/* y: the window itself stands for the reconstruction */
			int got = tsd_reduce(idx, mark, x, n, keep, lens, J, w, modes[b]);
			size_t exp = ref_reduce(want, x, n, keep, lens, J, w, modes[b]);
			assert_int_equal((size_t)got, exp);
			for (size_t i = 0; i < exp; i++)
				if (idx[i] != want[i])
					fail_msg("%s %s n=%zu shape %d p=%u: point %zu at %zu, want %zu",
						 wavs[a], tsd_mode_name(modes[b]), n, shape, p, i, idx[i], want[i]);
			cases++;
			ties += shape == 2;
		}
		free(x);
		free(c);
		free(work);
		free(keep);
		free(mark);
		free(idx);
		free(want);
	}
	assert_true(cases > 300 && ties > 100);
}

/* The clamp moves only what leaves [lo, hi], and only to its edge. */
static void test_clamp(void **state)
{
	double y[6] = { -1.5, 0, 4.2, 10, 11.5, -0.0 };
	const double want[6] = { 0, 0, 4.2, 10, 10, -0.0 };

	(void)state;
	assert_int_equal(tsd_reduce_clamp(y, 6, 0, 10), 2);
	for (int i = 0; i < 6; i++)
		assert_true(y[i] == want[i]);
	assert_int_equal(tsd_reduce_clamp(y, 6, 0, 10), 0);
	/* a flat window: every value is the one sample value */
	assert_int_equal(tsd_reduce_clamp(y, 6, 3, 3), 6);
	for (int i = 0; i < 6; i++)
		assert_true(y[i] == 3);
	assert_int_equal(tsd_reduce_clamp(y, 0, 0, 1), 0);
}

/* The clamp, four lanes and a tail, against the plain loop: every length
 * from 0 to 41, a value below, above and NaN at every position. */
static void test_clamp_lanes(void **state)
{
	double y[41], want[41];

	(void)state;
	for (size_t n = 0; n <= 41; n++)
		for (size_t at = 0; at < (n ? n : 1); at++) {
			size_t wmoved = 0;
			for (size_t i = 0; i < n; i++) {
				y[i] = (double)((i * 7919u) % 13) - 6.0;
				if (i == at)
					y[i] = -9.5;
				if (i == n - 1 - at)
					y[i] = 9.25;
				if (i == (at * 5) % n && i != at && i != n - 1 - at)
					y[i] = NAN;
				want[i] = y[i] < -4 ? -4 : y[i] > 4.5 ? 4.5 : y[i];
				wmoved += y[i] < -4 || y[i] > 4.5;
			}
			assert_int_equal(tsd_reduce_clamp(y, n, -4, 4.5), wmoved);
			for (size_t i = 0; i < n; i++)
				assert_memory_equal(&y[i], &want[i], sizeof y[i]);
		}
}

/* The range of a window, four lanes and a tail, against a plain scan:
 * every length from 1 to 41, the extremes at every position. */
static void test_range(void **state)
{
	double v[41], lo, hi;

	(void)state;
	for (size_t n = 1; n <= 41; n++)
		for (size_t at = 0; at < n; at++) {
			for (size_t i = 0; i < n; i++)
				v[i] = (double)((i * 7919u) % 13) - 6.0;
			v[at] = -100.0 - (double)n;
			v[n - 1 - at] = 100.0 + (double)n;
			double wl = v[0], wh = v[0];
			for (size_t i = 1; i < n; i++) {
				if (v[i] < wl)
					wl = v[i];
				if (v[i] > wh)
					wh = v[i];
			}
			tsd_reduce_range(v, n, &lo, &hi);
			assert_true(lo == wl);
			assert_true(hi == wh);
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clamp),
		cmocka_unit_test(test_clamp_lanes),
		cmocka_unit_test(test_range),
		cmocka_unit_test(test_levels),
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_placement),
		cmocka_unit_test(test_placement_reference),
		cmocka_unit_test(test_rule),
		cmocka_unit_test(test_perfect_reconstruction),
		cmocka_unit_test(test_fit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
