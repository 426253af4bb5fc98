/* test_plotbuf.c: M4 bucket rings: bounded memory, extremes and ends of
 * every pixel column kept, the same chart as all the samples (drawn with
 * lib/raster's 1-bit Bresenham lines), rolling and growing windows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plotbuf.h"
#include "raster.h"
#include "tsd.h"

/* values are copied, never computed: comparisons are exact */
#define TOL_EXACT 0

static uint64_t rng = 88172645463325252ULL;

static uint64_t xorshift(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static double unif(void)
{
	return (double)(xorshift() >> 11) / 9007199254740992.0;
}

typedef struct {
	int64_t *t;
	double *v;
	size_t n;
} pts;

static int64_t bdiv(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Every output point is an input sample; times never decrease; in each
 * bucket the output has the input's earliest and latest times and its
 * smallest and largest values; at most 4 points per bucket. */
static void check_m4(const pts *in, const int64_t *t, const double *v, size_t n,
		     int64_t bw, int64_t kfirst, int64_t klast)
{
	size_t i, j;
	int64_t k;

	for (i = 0; i < n; i++) {
		for (j = 0; j < in->n; j++)
			if (in->t[j] == t[i] && in->v[j] == v[i])
				break;
		if (j == in->n)
			fail_msg("output point %zu (%lld, %g) is not an input sample", i, (long long)t[i], v[i]);
		if (i && t[i] < t[i - 1])
			fail_msg("output times decrease at %zu", i);
	}
	for (k = kfirst; k <= klast; k++) {
		int64_t it0 = INT64_MAX, it1 = INT64_MIN, ot0 = INT64_MAX, ot1 = INT64_MIN;
		double ilo = INFINITY, ihi = -INFINITY, olo = INFINITY, ohi = -INFINITY;
		size_t cnt = 0;
		for (j = 0; j < in->n; j++) {
			if (bdiv(in->t[j], bw) != k)
				continue;
			it0 = in->t[j] < it0 ? in->t[j] : it0;
			it1 = in->t[j] > it1 ? in->t[j] : it1;
			ilo = fmin(ilo, in->v[j]);
			ihi = fmax(ihi, in->v[j]);
		}
		for (i = 0; i < n; i++) {
			if (bdiv(t[i], bw) != k)
				continue;
			cnt++;
			ot0 = t[i] < ot0 ? t[i] : ot0;
			ot1 = t[i] > ot1 ? t[i] : ot1;
			olo = fmin(olo, v[i]);
			ohi = fmax(ohi, v[i]);
		}
		assert_true(cnt <= 4);
		assert_true(it0 == ot0 && it1 == ot1);
		if (cnt) {
			assert_true(fabs(ilo - olo) <= TOL_EXACT);
			assert_true(fabs(ihi - ohi) <= TOL_EXACT);
		}
	}
}

/* Draw all samples in buckets kfirst..klast and the M4 points with one
 * pixel column per bucket; the charts must be identical. Sample times are
 * in the second half of their bucket (see the view below). */
static void check_pixels(const pts *in, const int64_t *t, const double *v, size_t n,
			 int64_t bw, int64_t kfirst, int64_t klast)
{
	size_t w = (size_t)(klast - kfirst + 2), h = 120, len, diff, m = 0, j;
	int64_t *ft = malloc(in->n * sizeof *ft);
	double *fv = malloc(in->n * sizeof *fv);
	unsigned char *a, *b;
	struct tsd_raster_view view;

	assert_non_null(ft);
	assert_non_null(fv);
	for (j = 0; j < in->n; j++) {
		int64_t k = bdiv(in->t[j], bw);
		if (k >= kfirst && k <= klast)
			ft[m] = in->t[j], fv[m] = in->v[j], m++;
	}
	assert_int_equal(tsd_raster_view(&view, ft, fv, m), 0);
	/* column x holds times [tmin + (x - 1/2) bw, tmin + (x + 1/2) bw) */
	view.tmin = kfirst * bw + bw / 2;
	view.tmax = view.tmin + (int64_t)(w - 1) * bw;
	assert_int_equal(tsd_raster_length(&len, w, h), 0);
	a = malloc(len);
	b = malloc(len);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(tsd_raster_draw(a, ft, fv, m, w, h, &view, TSD_RASTER_BIT), 0);
	assert_int_equal(tsd_raster_draw(b, t, v, n, w, h, &view, TSD_RASTER_BIT), 0);
	assert_int_equal(tsd_raster_diff_pixels(&diff, a, b, w, h), 0);
	if (diff)
		fail_msg("M4 chart differs from the full chart in %zu pixels (%zu samples, %zu points)", diff, m, n);
	free(a);
	free(b);
	free(ft);
	free(fv);
}

static void test_args(void **state)
{
	tsd_plotbuf *pb;
	int64_t t[8];
	double v[8];

	(void)state;
	assert_int_equal(tsd_plotbuf_new(&pb, 0, 10), TSD_EINVAL);
	assert_int_equal(tsd_plotbuf_new(&pb, 10, -1), TSD_EINVAL);
	assert_int_equal(tsd_plotbuf_new(&pb, TSD_PLOTBUF_COLUMNS_MAX + 1, 0), TSD_EINVAL);
	assert_int_equal(tsd_plotbuf_new(&pb, 4, 40), 0);
	assert_int_equal(tsd_plotbuf_points_len(pb), 25);
	assert_int_equal(tsd_plotbuf_points(t, v, pb, 0, 8), TSD_ESIZE);
	assert_int_equal(tsd_plotbuf_range(&t[0], &t[1], pb), TSD_ENOTFOUND);
	assert_int_equal(tsd_plotbuf_push(pb, 0, 1, NAN), 0); /* a gap before any sample: nothing */
	assert_int_equal(tsd_plotbuf_range(&t[0], &t[1], pb), TSD_ENOTFOUND);
	assert_int_equal(tsd_plotbuf_push(pb, 0, 1, INFINITY), TSD_EINVAL);
	assert_int_equal(tsd_plotbuf_push(pb, TSD_PLOTBUF_COLUMNS_MAX * 100u, 1, 1), TSD_ERANGE);
	assert_int_equal(tsd_plotbuf_bucket_ns(pb), 10);
	tsd_plotbuf_free(pb);
}

/* Hand-made bucket: first, min, max, last in this order, and repeats. */
/* Gap markers: a break (a NaN point) between the points on each side of
 * the marker, inside a bucket or in an empty one; none at the ends; the
 * break survives the widening of all-input buckets. */
static void test_gaps(void **state)
{
	tsd_plotbuf *pb;
	int64_t t[25];
	double v[25];
	long n;

	(void)state;
	assert_int_equal(tsd_plotbuf_new(&pb, 4, 40), 0); /* buckets of 10 ns */
	assert_int_equal(tsd_plotbuf_push(pb, 0, 100, 1), 0);
	assert_int_equal(tsd_plotbuf_push(pb, 0, 102, 2), 0);
	assert_int_equal(tsd_plotbuf_push(pb, 0, 105, NAN), 0); /* inside the bucket */
	assert_int_equal(tsd_plotbuf_push(pb, 0, 107, 3), 0);
	assert_int_equal(tsd_plotbuf_push(pb, 0, 115, NAN), 0); /* an empty bucket */
	assert_int_equal(tsd_plotbuf_push(pb, 0, 121, 4), 0);
	assert_int_equal(tsd_plotbuf_push(pb, 0, 125, NAN), 0); /* at the end: no break */
	n = tsd_plotbuf_points(t, v, pb, 0, 25);
	assert_int_equal(n, 5); /* M4 of 1 2 3: first = min, max = last */
	assert_true(t[0] == 100 && v[0] == 1);
	assert_true(t[1] == 105 && isnan(v[1]));
	assert_true(t[2] == 107 && v[2] == 3);
	assert_true(t[3] == 115 && isnan(v[3]));
	assert_true(t[4] == 121 && v[4] == 4);
	tsd_plotbuf_free(pb);
	/* all input: the break stays when buckets merge */
	assert_int_equal(tsd_plotbuf_new(&pb, 4, 0), 0);
	for (int64_t i = 0; i < 10; i++)
		assert_int_equal(tsd_plotbuf_push(pb, 0, i * 100, (double)i), 0);
	assert_int_equal(tsd_plotbuf_push(pb, 0, 450, NAN), 0);
	for (int64_t i = 10; i < 40; i++)
		assert_int_equal(tsd_plotbuf_push(pb, 0, i * 100, (double)i), 0);
	n = tsd_plotbuf_points(t, v, pb, 0, 25);
	int breaks = 0;
	for (long i = 0; i < n; i++)
		if (isnan(v[i])) {
			breaks++;
			assert_true(i > 0 && i < n - 1 && t[i - 1] <= 400 && t[i + 1] >= 500);
		}
	assert_int_equal(breaks, 1);
	tsd_plotbuf_free(pb);
}

static void test_hand(void **state)
{
	tsd_plotbuf *pb;
	int64_t t[25], t0, t1;
	double v[25];
	long n;

	(void)state;
	assert_int_equal(tsd_plotbuf_new(&pb, 4, 40), 0); /* buckets of 10 ns */
	assert_int_equal(tsd_plotbuf_push(pb, 3, 100, 5), 0);
	assert_int_equal(tsd_plotbuf_push(pb, 3, 101, 7), 0);
	assert_int_equal(tsd_plotbuf_push(pb, 3, 102, 1), 0);
	assert_int_equal(tsd_plotbuf_push(pb, 3, 103, 9), 0);
	assert_int_equal(tsd_plotbuf_push(pb, 3, 104, 4), 0);
	assert_int_equal(tsd_plotbuf_push(pb, 3, 105, 6), 0);
	assert_int_equal(tsd_plotbuf_push(pb, 3, 110, 2), 0); /* next bucket: one sample */
	assert_int_equal(tsd_plotbuf_nseries(pb), 4);
	assert_true(tsd_plotbuf_changed(pb, 3));
	assert_false(tsd_plotbuf_changed(pb, 2));
	n = tsd_plotbuf_points(t, v, pb, 3, 25);
	assert_int_equal(n, 5);
	assert_int_equal(t[0], 100);
	assert_true(v[0] == 5);
	assert_int_equal(t[1], 102);
	assert_true(v[1] == 1);
	assert_int_equal(t[2], 103);
	assert_true(v[2] == 9);
	assert_int_equal(t[3], 105);
	assert_true(v[3] == 6);
	assert_int_equal(t[4], 110);
	assert_true(v[4] == 2);
	/* less than the span so far: the chart starts at the first sample */
	assert_int_equal(tsd_plotbuf_range(&t0, &t1, pb), 0);
	assert_int_equal(t0, 100);
	assert_int_equal(t1, 110);
	tsd_plotbuf_clear_changed(pb, 3);
	assert_false(tsd_plotbuf_changed(pb, 3));
	/* far ahead: everything before scrolls out; late samples are dropped */
	assert_int_equal(tsd_plotbuf_push(pb, 3, 1000, 3), 0);
	assert_int_equal(tsd_plotbuf_push(pb, 3, 950, 3), 1);
	assert_int_equal(tsd_plotbuf_push(pb, 3, 960, 8), 0);
	n = tsd_plotbuf_points(t, v, pb, 3, 25);
	assert_int_equal(n, 2);
	assert_int_equal(t[0], 960);
	assert_int_equal(t[1], 1000);
	/* a series whose latest bucket left the window shows nothing */
	assert_int_equal(tsd_plotbuf_push(pb, 1, 500, 1), 0);
	assert_int_equal(tsd_plotbuf_points(t, v, pb, 1, 25), 0);
	tsd_plotbuf_free(pb);
}

static void fill_random(pts *p, size_t n, int64_t t0, int64_t bw, int shape)
{
	size_t i;
	int64_t t = t0;

	p->t = malloc(n * sizeof *p->t);
	p->v = malloc(n * sizeof *p->v);
	assert_non_null(p->t);
	assert_non_null(p->v);
	for (i = 0; i < n; i++) {
		/* times in the second half of a bucket, several per bucket */
		if (xorshift() % 3 == 0)
			t = (bdiv(t, bw) + 1 + (int64_t)(xorshift() % 2)) * bw + bw / 2;
		else if (t % bw < bw - 1)
			t++;
		p->t[i] = t;
		p->v[i] = shape ? sin((double)i / 50) * 10 + unif() * (xorshift() % 50 == 0 ? 30 : 1)
				: floor(unif() * 100);
	}
	p->n = n;
}

static void run_span(size_t columns, int64_t bw, size_t n, int shape)
{
	tsd_plotbuf *pb;
	pts in;
	int64_t *t, t0, t1;
	double *v;
	long m;
	size_t cap;

	fill_random(&in, n, -5000 * bw, bw, shape);
	assert_int_equal(tsd_plotbuf_new(&pb, columns, (int64_t)columns * bw), 0);
	assert_int_equal(tsd_plotbuf_bucket_ns(pb), bw);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(tsd_plotbuf_push(pb, 7, in.t[i], in.v[i]), 0);
	cap = tsd_plotbuf_points_len(pb);
	t = malloc(cap * sizeof *t);
	v = malloc(cap * sizeof *v);
	assert_non_null(t);
	assert_non_null(v);
	m = tsd_plotbuf_points(t, v, pb, 7, cap);
	assert_true(m > 0);
	assert_int_equal(tsd_plotbuf_range(&t0, &t1, pb), 0);
	assert_int_equal(t1, in.t[n - 1]);
	int64_t klast = bdiv(t1, bw), kfirst = klast - (int64_t)columns;
	assert_true(t[0] >= kfirst * bw);
	check_m4(&in, t, v, (size_t)m, bw, kfirst, klast);
	check_pixels(&in, t, v, (size_t)m, bw, kfirst, klast);
	tsd_plotbuf_free(pb);
	free(t);
	free(v);
	free(in.t);
	free(in.v);
}

static void test_span_random(void **state)
{
	(void)state;
	run_span(50, 1000, 20000, 0);
	run_span(200, 64, 30000, 1);
	run_span(7, 10, 500, 1);
}

/* All of the input: buckets widen; every sample's bucket is shown. */
static void test_all_random(void **state)
{
	tsd_plotbuf *pb;
	pts in;
	int64_t *t, t0, t1, bw;
	double *v;
	long m;
	size_t n = 20000, cap;

	(void)state;
	fill_random(&in, n, 1000000, 10, 1);
	assert_int_equal(tsd_plotbuf_new(&pb, 100, 0), 0);
	/* push a prefix out of order too: a later series starting earlier */
	for (size_t i = n / 2; i < n; i++)
		assert_int_equal(tsd_plotbuf_push(pb, 0, in.t[i], in.v[i]), 0);
	for (size_t i = 0; i < n / 2; i++)
		assert_int_equal(tsd_plotbuf_push(pb, 0, in.t[i], in.v[i]), 0);
	bw = tsd_plotbuf_bucket_ns(pb);
	assert_true(bw > 10);
	assert_int_equal(tsd_plotbuf_range(&t0, &t1, pb), 0);
	assert_int_equal(t0, in.t[0]);
	assert_int_equal(t1, in.t[n - 1]);
	assert_true(bdiv(t1, bw) - bdiv(t0, bw) <= 100);
	cap = tsd_plotbuf_points_len(pb);
	t = malloc(cap * sizeof *t);
	v = malloc(cap * sizeof *v);
	assert_non_null(t);
	assert_non_null(v);
	m = tsd_plotbuf_points(t, v, pb, 0, cap);
	assert_int_equal(t[0], in.t[0]);
	assert_int_equal(t[m - 1], in.t[n - 1]);
	check_m4(&in, t, v, (size_t)m, bw, bdiv(t0, bw), bdiv(t1, bw));
	tsd_plotbuf_free(pb);
	free(t);
	free(v);
	free(in.t);
	free(in.v);
}

/* Memory grows with series, not with samples. */
static void test_bounded(void **state)
{
	tsd_plotbuf *pb;
	size_t b1, b2, i;

	(void)state;
	assert_int_equal(tsd_plotbuf_new(&pb, 640, 60000000000LL), 0);
	for (i = 0; i < 1000; i++)
		assert_int_equal(tsd_plotbuf_push(pb, (uint32_t)(i % 10), (int64_t)i * 1000000, (double)i), 0);
	b1 = tsd_plotbuf_bytes(pb);
	for (; i < 2000000; i++)
		assert_int_equal(tsd_plotbuf_push(pb, (uint32_t)(i % 10), (int64_t)i * 1000000, (double)i), 0);
	b2 = tsd_plotbuf_bytes(pb);
	assert_int_equal(b1, b2);
	assert_true(b2 < 10 * 641 * 80 + 4096);
	tsd_plotbuf_free(pb);
	/* all-input mode too */
	assert_int_equal(tsd_plotbuf_new(&pb, 640, 0), 0);
	for (i = 0; i < 1000; i++)
		assert_int_equal(tsd_plotbuf_push(pb, (uint32_t)(i % 10), (int64_t)i * 1000000, (double)i), 0);
	b1 = tsd_plotbuf_bytes(pb);
	for (; i < 2000000; i++)
		assert_int_equal(tsd_plotbuf_push(pb, (uint32_t)(i % 10), (int64_t)i * 1000000, (double)i), 0);
	assert_int_equal(tsd_plotbuf_bytes(pb), b1);
	tsd_plotbuf_free(pb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_args),
		cmocka_unit_test(test_hand),
		cmocka_unit_test(test_gaps),
		cmocka_unit_test(test_span_random),
		cmocka_unit_test(test_all_random),
		cmocka_unit_test(test_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
