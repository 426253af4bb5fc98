/* test_gen.c: the synthetic generator: determinism, per-series streams,
 * noise and event statistics, events where the values show them, gaps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gen.h"
#include "tsd.h"

/* sample mean and std of 1e5 N(0, s^2) draws: the std of the mean is
 * s / 316, of the std about s / 447; allow 5 of those */
#define N_NOISE 100000
#define TOL_MEAN (5.0 / 316)
#define TOL_STD (5.0 / 447)
/* P(|Z| < 1) = 0.6827, binomial std over 1e5 = 0.0015 */
#define TOL_ONE_SIGMA 0.0075
/* event counts: Poisson, allow 5 standard deviations */
#define SIGMAS 5.0
/* a spike or shift seen as a difference of two runs: summation rounding */
#define TOL_EVENT 1e-9

static void quiet(tsd_gen_config *c)
{
	tsd_gen_defaults(c);
	c->level = 0;
	c->amplitude = 0;
	c->spike_rate = c->shift_rate = c->dropout_rate = c->gap_rate = 0;
}

static tsd_gen *make(const tsd_gen_config *c)
{
	char msg[128] = "";
	tsd_gen *g = NULL;
	int err = tsd_gen_new(&g, c, msg, sizeof msg);

	if (err)
		fail_msg("tsd_gen_new: %s: %s", tsd_strerror(err), msg);
	return g;
}

static int same_point(const tsd_gen_point *a, const tsd_gen_point *b)
{
	return a->series == b->series && a->step == b->step && a->t == b->t &&
	       (a->v == b->v || (isnan(a->v) && isnan(b->v))) &&
	       a->missing == b->missing && a->begin == b->begin &&
	       a->end == b->end && a->dropout_start == b->dropout_start &&
	       a->gap_start == b->gap_start && a->gap_end == b->gap_end;
}

/* a busy configuration: every feature on, at visible rates */
static void busy(tsd_gen_config *c, size_t nseries, uint64_t npoints)
{
	tsd_gen_defaults(c);
	c->seed = 42;
	c->nseries = nseries;
	c->npoints = npoints;
	c->level_sd = 3;
	c->trend = 0.5;
	c->spike_rate = 0.01;
	c->shift_rate = 0.002;
	c->dropout_rate = 0.002;
	c->gap_rate = 0.002;
}

static void test_config(void **state)
{
	tsd_gen_config c;
	tsd_gen *g = NULL;
	char msg[128];
	(void)state;

	tsd_gen_defaults(&c);
	c.nseries = 0;
	assert_int_equal(tsd_gen_new(&g, &c, msg, sizeof msg), TSD_EINVAL);
	assert_null(g);
	assert_non_null(strstr(msg, "series"));
	tsd_gen_defaults(&c);
	c.step = 0;
	assert_int_equal(tsd_gen_new(&g, &c, msg, sizeof msg), TSD_EINVAL);
	tsd_gen_defaults(&c);
	c.spike_rate = 1.5;
	assert_int_equal(tsd_gen_new(&g, &c, NULL, 0), TSD_EINVAL);
	tsd_gen_defaults(&c);
	c.noise_sd = NAN;
	assert_int_equal(tsd_gen_new(&g, &c, msg, sizeof msg), TSD_EINVAL);
	tsd_gen_defaults(&c);
	c.gap_len = 0.5;
	assert_int_equal(tsd_gen_new(&g, &c, msg, sizeof msg), TSD_EINVAL);
	tsd_gen_defaults(&c);
	c.dropout_mode = 7;
	assert_int_equal(tsd_gen_new(&g, &c, msg, sizeof msg), TSD_EINVAL);
	/* timestamps past INT64_MAX */
	tsd_gen_defaults(&c);
	c.start = INT64_MAX - 10 * c.step;
	c.npoints = 12;
	assert_int_equal(tsd_gen_new(&g, &c, msg, sizeof msg), TSD_ERANGE);
	c.npoints = 11;		/* the last one lands on INT64_MAX - step... */
	c.start = INT64_MAX - 10 * c.step;
	g = make(&c);
	tsd_gen_free(g);
	c.start = INT64_MIN;	/* the whole range from below */
	c.step = INT64_MAX;
	c.npoints = 3;
	g = make(&c);
	tsd_gen_free(g);
	c.npoints = 4;
	assert_int_equal(tsd_gen_new(&g, &c, msg, sizeof msg), TSD_ERANGE);

	assert_string_equal(tsd_gen_event_name(TSD_GEN_EV_SPIKE), "spike");
	assert_string_equal(tsd_gen_event_name(TSD_GEN_EV_GAP), "gap");
	assert_null(tsd_gen_event_name(3));
}

static void test_unbounded_overflow(void **state)
{
	tsd_gen_config c;
	tsd_gen_point p;
	tsd_gen *g;
	int i, r = 1;
	(void)state;

	quiet(&c);
	c.npoints = 0;
	c.nseries = 2;
	c.start = INT64_MAX - 3 * c.step;
	g = make(&c);
	for (i = 0; i < 8 && r == 1; i++)
		r = tsd_gen_next(g, &p);
	/* steps 0..3 fit (8 points), then the clock runs out */
	assert_int_equal(i, 8);
	assert_int_equal(r, 1);
	assert_true(p.t == INT64_MAX);
	assert_int_equal(tsd_gen_next(g, &p), TSD_ERANGE);
	tsd_gen_free(g);
}

static void test_determinism(void **state)
{
	tsd_gen_config c;
	tsd_gen_point a, b;
	tsd_gen *g1, *g2;
	long n = 0, differ = 0;
	int r1, r2;
	(void)state;

	busy(&c, 5, 3000);
	g1 = make(&c);
	g2 = make(&c);
	do {
		r1 = tsd_gen_next(g1, &a);
		r2 = tsd_gen_next(g2, &b);
		assert_int_equal(r1, r2);
		if (r1 == 1 && !same_point(&a, &b))
			fail_msg("point %ld differs between two runs", n);
		n++;
	} while (r1 == 1);
	assert_int_equal(tsd_gen_next(g1, &a), 0);	/* stays at the end */
	tsd_gen_free(g1);
	tsd_gen_free(g2);

	/* another seed gives another series */
	g1 = make(&c);
	c.seed = 43;
	g2 = make(&c);
	for (n = 0; n < 1000; n++) {
		tsd_gen_next(g1, &a);
		tsd_gen_next(g2, &b);
		differ += a.v != b.v;
	}
	assert_true(differ > 900);
	tsd_gen_free(g1);
	tsd_gen_free(g2);
}

/* Series `want` alone out of a generator of `nseries`; at most max. */
static size_t collect(tsd_gen_point *out, size_t max, const tsd_gen_config *base,
		      size_t nseries, size_t want)
{
	tsd_gen_config c = *base;
	tsd_gen_point p;
	tsd_gen *g;
	size_t n = 0;
	int r;

	c.nseries = nseries;
	g = make(&c);
	while ((r = tsd_gen_next(g, &p)) == 1)
		if (p.series == want && n < max)
			out[n++] = p;
	assert_int_equal(r, 0);
	tsd_gen_free(g);
	return n;
}

static void test_series_independent(void **state)
{
	enum { NP = 2000 };
	tsd_gen_config c;
	tsd_gen_point *a = malloc(NP * sizeof *a), *b = malloc(NP * sizeof *b);
	size_t na, nb, i;
	(void)state;

	assert_non_null(a);
	assert_non_null(b);
	busy(&c, 1, NP);
	na = collect(a, NP, &c, 1, 0);
	nb = collect(b, NP, &c, 1000, 0);
	assert_int_equal(na, nb);
	for (i = 0; i < na; i++) {
		b[i].series = a[i].series;
		if (!same_point(&a[i], &b[i]))
			fail_msg("series 0, point %zu: 1 vs 1000 series", i);
	}
	na = collect(a, NP, &c, 7, 6);
	nb = collect(b, NP, &c, 300, 6);
	assert_int_equal(na, nb);
	assert_true(na > NP * 9 / 10);
	for (i = 0; i < na; i++)
		if (!same_point(&a[i], &b[i]))
			fail_msg("series 6, point %zu: 7 vs 300 series", i);
	free(a);
	free(b);
}

static void test_time_major(void **state)
{
	tsd_gen_config c;
	tsd_gen_point p;
	tsd_gen *g;
	long last_step = -1, last_series = -1, n = 0;
	(void)state;

	busy(&c, 4, 500);
	g = make(&c);
	while (tsd_gen_next(g, &p) == 1) {
		assert_true(p.series < 4);
		assert_true(p.t == c.start + (int64_t)p.step * c.step);
		if ((long)p.step == last_step)
			assert_true((long)p.series > last_series);
		else
			assert_true((long)p.step > last_step);
		last_step = (long)p.step;
		last_series = (long)p.series;
		n++;
	}
	assert_int_equal(last_step, 499);
	assert_true(n > 4 * 500 * 9 / 10);
	tsd_gen_free(g);
}

static void test_noise(void **state)
{
	tsd_gen_config c;
	tsd_gen_point p;
	tsd_gen *g;
	double s = 0, ss = 0, mean, sd;
	long n = 0, within = 0;
	(void)state;

	quiet(&c);
	c.noise_sd = 2.5;
	c.nseries = 10;
	c.npoints = N_NOISE / 10;
	g = make(&c);
	while (tsd_gen_next(g, &p) == 1) {
		s += p.v;
		ss += p.v * p.v;
		within += fabs(p.v) < c.noise_sd;
		n++;
	}
	tsd_gen_free(g);
	assert_int_equal(n, N_NOISE);
	mean = s / n;
	sd = sqrt(ss / n - mean * mean);
	if (!(fabs(mean) < TOL_MEAN * c.noise_sd && fabs(sd / c.noise_sd - 1) < TOL_STD))
		fail_msg("noise: mean %g std %g, want 0 and %g", mean, sd, c.noise_sd);
	if (!(fabs((double)within / n - 0.6827) < TOL_ONE_SIGMA))
		fail_msg("noise: %g within one sigma", (double)within / n);
}

/* The deterministic part without noise: level 5, trend 2 a day, a daily
 * sine of amplitude 3, sampled hourly. A day apart the values differ by
 * the trend alone; detrended, they follow the sine's recurrence
 * s[k+1] + s[k-1] = 2 cos(2 pi / 24) s[k] and stay within the amplitude. */
static void test_shape(void **state)
{
	enum { NP = 73 };
	tsd_gen_config c;
	tsd_gen_point p;
	tsd_gen *g;
	double v[NP], sn[NP], hi = -1;
	int k = 0;
	(void)state;

	quiet(&c);
	c.noise_sd = 0;
	c.level = 5;
	c.trend = 2;
	c.amplitude = 3;
	c.step = INT64_C(3600) * 1000000000;
	c.npoints = NP;
	g = make(&c);
	while (tsd_gen_next(g, &p) == 1)
		v[k++] = p.v;
	tsd_gen_free(g);
	assert_int_equal(k, NP);
	for (k = 0; k < NP; k++) {
		sn[k] = (v[k] - 5 - 2 * k / 24.0) / 3;
		assert_true(fabs(sn[k]) <= 1 + 1e-12);
		hi = fmax(hi, fabs(sn[k]));
		if (k >= 24 && !(fabs(v[k] - v[k - 24] - 2) < 1e-12))
			fail_msg("v[%d] - v[%d] = %.17g, want 2", k, k - 24,
				 v[k] - v[k - 24]);
		if (k >= 2 && !(fabs(sn[k] + sn[k - 2] - 2 * cos(M_PI / 12) * sn[k - 1]) < 1e-12))
			fail_msg("not a 24-hour sine at %d", k);
	}
	assert_true(hi >= cos(M_PI / 24) - 1e-12);	/* the peak is sampled */

	/* per-series levels spread by level_sd, phases differ */
	quiet(&c);
	c.noise_sd = 0;
	c.level_sd = 10;
	c.nseries = 2;
	c.npoints = 1;
	g = make(&c);
	assert_int_equal(tsd_gen_next(g, &p), 1);
	v[0] = p.v;
	assert_int_equal(tsd_gen_next(g, &p), 1);
	assert_true(fabs(p.v - v[0]) > 1e-6);
	tsd_gen_free(g);
}

/* Spikes and shifts: a run with them against one without differs by
 * exactly the events, where the points say they are. Dropouts and gaps
 * on in both runs (their streams are the same, so the points pair up).
 * Spike 3 and shift 1.5 make the four sums of a spike and a shift on one
 * point distinct, so each difference decodes to one sign pair. */
static void spikes_and_shifts(double spike_rate, double shift_rate)
{
	enum { NS = 10, NP = 10000 };
	tsd_gen_config c;
	tsd_gen_point a, b;
	tsd_gen *ga, *gb;
	double cum[NS] = { 0 };
	int in_drop[NS] = { 0 };
	long spikes = 0, ups = 0, shifts = 0, both = 0, n = 0, elig = 0;
	double expect_spikes, expect_shifts;
	int r;

	busy(&c, NS, NP);
	c.spike_rate = spike_rate;
	c.shift_rate = shift_rate;
	c.noise_sd = 0.5;
	c.spike_amp = 6;	/* 3 in value units */
	c.shift_size = 1.5;
	ga = make(&c);
	c.spike_rate = 0;
	c.shift_rate = 0;
	gb = make(&c);
	while ((r = tsd_gen_next(ga, &a)) == 1) {
		double d, sh[2] = { 0, 0 }, sp[2] = { 0, 0 };
		int nsh = 1, nsp = 1, i, j, found = 0;
		double got_sh = 0, got_sp = 0;

		assert_int_equal(tsd_gen_next(gb, &b), 1);
		assert_int_equal(a.series, b.series);
		assert_true(a.step == b.step);
		assert_int_equal(a.begin & ~3u, b.begin);
		assert_int_equal(a.end & ~3u, b.end);
		n++;
		if (a.begin & TSD_GEN_EV_DROPOUT)
			in_drop[a.series] = 1;
		if (in_drop[a.series]) {
			/* nothing happens inside a dropout; values are 0 */
			assert_false((a.begin | a.end) & (TSD_GEN_EV_SPIKE | TSD_GEN_EV_SHIFT));
			assert_true(a.v == 0 && b.v == 0);
			if (a.end & TSD_GEN_EV_DROPOUT)
				in_drop[a.series] = 0;
			continue;
		}
		assert_int_equal(a.begin & 3u, a.end & 3u);	/* instants */
		elig++;
		if (a.end & TSD_GEN_EV_SHIFT) {
			sh[0] = c.shift_size;
			sh[1] = -c.shift_size;
			nsh = 2;
		}
		if (a.end & TSD_GEN_EV_SPIKE) {
			sp[0] = c.spike_amp * c.noise_sd;
			sp[1] = -sp[0];
			nsp = 2;
		}
		d = a.v - b.v - cum[a.series];
		for (i = 0; i < nsh; i++)
			for (j = 0; j < nsp; j++)
				if (fabs(d - sh[i] - sp[j]) < TOL_EVENT) {
					found++;
					got_sh = sh[i];
					got_sp = sp[j];
				}
		if (found != 1)
			fail_msg("series %zu step %llu: difference %g, events %#x",
				 a.series, (unsigned long long)a.step, d, a.end);
		cum[a.series] += got_sh;
		shifts += got_sh != 0;
		spikes += got_sp != 0;
		ups += got_sp > 0;
		both += got_sh != 0 && got_sp != 0;
	}
	assert_int_equal(r, 0);
	assert_int_equal(tsd_gen_next(gb, &b), 0);
	tsd_gen_free(ga);
	tsd_gen_free(gb);
	/* rates are per sample, suppressed inside dropouts and gaps: count
	 * the points outside them */
	expect_spikes = spike_rate * elig;
	expect_shifts = shift_rate * elig;
	print_message("%ld points, %ld outside dropouts: spikes %ld (expect ~%.0f, %ld up), "
		      "shifts %ld (expect ~%.0f), %ld both at once\n", n, elig,
		      spikes, expect_spikes, ups, shifts, expect_shifts, both);
	if (!(fabs(spikes - expect_spikes) < SIGMAS * sqrt(expect_spikes)))
		fail_msg("spike count %ld, expected %g", spikes, expect_spikes);
	if (!(fabs(shifts - expect_shifts) < SIGMAS * sqrt(expect_shifts)))
		fail_msg("shift count %ld, expected %g", shifts, expect_shifts);
	if (!(fabs(ups - spikes / 2.0) < SIGMAS * sqrt(spikes / 4.0)))
		fail_msg("%ld of %ld spikes up", ups, spikes);
	if (spike_rate * shift_rate * n > 100)
		assert_true(both > 0);
}

static void test_spikes_and_shifts(void **state)
{
	(void)state;
	spikes_and_shifts(0.01, 0.002);
	spikes_and_shifts(0.2, 0.1);	/* often both on one point */
}

/* Dropouts in each mode: begin..end inclusive show the mode's value, the
 * end point names where the run began, mean length as configured. */
static void test_dropouts(void **state)
{
	enum { NS = 4, NP = 50000 };
	static const int modes[] = { TSD_GEN_DROP_ZERO, TSD_GEN_DROP_MISSING,
				     TSD_GEN_DROP_HOLD };
	tsd_gen_config c;
	tsd_gen_point p;
	tsd_gen *g;
	size_t m;
	(void)state;

	for (m = 0; m < 3; m++) {
		int64_t start[NS];
		double hold[NS];
		int in[NS] = { 0 };
		long runs = 0, len = 0, npt = 0;
		double mean;

		quiet(&c);
		c.level = 7;
		c.nseries = NS;
		c.npoints = NP;
		c.dropout_rate = 0.001;
		c.dropout_len = 20;
		c.dropout_mode = modes[m];
		g = make(&c);
		while (tsd_gen_next(g, &p) == 1) {
			size_t s = p.series;

			npt++;
			if (p.begin & TSD_GEN_EV_DROPOUT) {
				assert_false(in[s]);
				in[s] = 1;
				start[s] = p.t;
				hold[s] = p.v;
				runs++;
			}
			if (!in[s]) {
				assert_false(p.missing);
				assert_false(p.end & TSD_GEN_EV_DROPOUT);
				assert_true(p.v != 0 && fabs(p.v - 7) < 1);
				continue;
			}
			len++;
			if (modes[m] == TSD_GEN_DROP_ZERO)
				assert_true(p.v == 0 && !p.missing);
			else if (modes[m] == TSD_GEN_DROP_MISSING)
				assert_true(isnan(p.v) && p.missing);
			else
				assert_true(p.v == hold[s] && fabs(p.v - 7) < 1);
			if (p.end & TSD_GEN_EV_DROPOUT) {
				assert_true(p.dropout_start == start[s]);
				in[s] = 0;
			}
		}
		tsd_gen_free(g);
		assert_int_equal(npt, NS * NP);	/* dropouts still emit */
		/* ~180 runs; run lengths geometric, std ~ mean */
		mean = (double)len / runs;
		if (!(runs > 100 && fabs(mean - 20) < SIGMAS * 20 / sqrt(runs)))
			fail_msg("mode %d: %ld runs, mean length %g", modes[m],
				 runs, mean);
	}
}

/* Gaps: skipped timestamps are exactly those the next point reports, the
 * last step of every series is there, and the count adds up. */
static void test_gaps(void **state)
{
	enum { NS = 6, NP = 20000 };
	tsd_gen_config c;
	tsd_gen_point p;
	tsd_gen *g;
	long expect[NS] = { 0 };
	long gaps = 0, skipped = 0, npt = 0;
	size_t s;
	double mean;
	(void)state;

	busy(&c, NS, NP);
	c.gap_rate = 0.002;
	c.gap_len = 15;
	g = make(&c);
	while (tsd_gen_next(g, &p) == 1) {
		long k = (long)p.step;

		s = p.series;
		npt++;
		if (k != expect[s]) {
			assert_true(k > expect[s]);
			assert_true(p.begin & p.end & TSD_GEN_EV_GAP);
			assert_true(p.gap_start == c.start + expect[s] * c.step);
			assert_true(p.gap_end == p.t - c.step);
			gaps++;
			skipped += k - expect[s];
		} else {
			assert_false((p.begin | p.end) & TSD_GEN_EV_GAP);
		}
		expect[s] = k + 1;
	}
	tsd_gen_free(g);
	for (s = 0; s < NS; s++)
		assert_int_equal(expect[s], NP);	/* last step present */
	assert_int_equal(npt + skipped, (long)NS * NP);
	mean = (double)skipped / gaps;
	print_message("%ld gaps, mean length %.2f (configured 15)\n", gaps, mean);
	if (!(gaps > 100 && fabs(mean - 15) < SIGMAS * 15 / sqrt(gaps)))
		fail_msg("%ld gaps of mean length %g", gaps, mean);
}

/* Rate 1 makes the run rules visible: a gap cannot start right after a
 * gap nor on the last step, and runs are cut to end by the last step. */
static void test_run_edges(void **state)
{
	tsd_gen_config c;
	tsd_gen_point p;
	tsd_gen *g;
	uint64_t k = 0;
	(void)state;

	quiet(&c);
	c.npoints = 9;
	c.gap_rate = 1;
	c.gap_len = 1;
	g = make(&c);
	/* steps 0, 2, 4, 6 skipped; 1, 3, 5, 7 report them; 8 is the last */
	for (k = 1; k < 9; k += 2) {
		assert_int_equal(tsd_gen_next(g, &p), 1);
		assert_true(p.step == k);
		assert_true(p.gap_start == c.start + (int64_t)(k - 1) * c.step);
		assert_true(p.gap_end == p.gap_start);
	}
	assert_int_equal(tsd_gen_next(g, &p), 1);
	assert_true(p.step == 8 && !p.begin && !p.end);
	assert_int_equal(tsd_gen_next(g, &p), 0);
	tsd_gen_free(g);

	c.gap_len = 1000;
	c.npoints = 50;
	g = make(&c);
	assert_int_equal(tsd_gen_next(g, &p), 1);
	assert_true(p.step == 49 && (p.end & TSD_GEN_EV_GAP));
	assert_true(p.gap_start == c.start);
	assert_true(p.gap_end == c.start + 48 * c.step);
	assert_int_equal(tsd_gen_next(g, &p), 0);
	tsd_gen_free(g);

	c.gap_rate = 0;
	c.dropout_rate = 1;
	c.dropout_len = 1000;
	g = make(&c);
	for (k = 0; k < 50; k++) {
		assert_int_equal(tsd_gen_next(g, &p), 1);
		assert_int_equal(p.begin, k == 0 ? TSD_GEN_EV_DROPOUT : 0);
		assert_int_equal(p.end, k == 49 ? TSD_GEN_EV_DROPOUT : 0);
		assert_true(p.v == 0);
	}
	assert_true(p.dropout_start == c.start);
	assert_int_equal(tsd_gen_next(g, &p), 0);
	tsd_gen_free(g);
}

/* Throughput, reported (not asserted: timing belongs to make bench). */
static void test_speed(void **state)
{
	tsd_gen_config c;
	tsd_gen_point p;
	tsd_gen *g;
	struct timespec t0, t1;
	double sum = 0, secs;
	long n = 0;
	(void)state;

	busy(&c, 1000, 2000);
	g = make(&c);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (tsd_gen_next(g, &p) == 1) {
		sum += p.v;
		n++;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	tsd_gen_free(g);
	secs = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
	print_message("%ld points in %.3f s: %.1f M points/s (checksum %g)\n",
		      n, secs, n / secs / 1e6, sum);
	assert_true(n > 1900000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config),
		cmocka_unit_test(test_unbounded_overflow),
		cmocka_unit_test(test_determinism),
		cmocka_unit_test(test_series_independent),
		cmocka_unit_test(test_time_major),
		cmocka_unit_test(test_noise),
		cmocka_unit_test(test_shape),
		cmocka_unit_test(test_spikes_and_shifts),
		cmocka_unit_test(test_dropouts),
		cmocka_unit_test(test_gaps),
		cmocka_unit_test(test_run_edges),
		cmocka_unit_test(test_speed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
