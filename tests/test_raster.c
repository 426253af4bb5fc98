/* test_raster.c: chart rasterisation worked by hand (pixel pictures),
 * the M4 error-free property, and SSIM against the numpy reference in
 * testdata/raster/ssim.txt (written by scripts/gen-ssim-ref.py). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "raster.h"
#include "tsd.h"

/* SSIM: numpy sums window by window with centred moments, we use a
 * separable filter and E[x^2] - mu^2; both are ~1e-13 off the truth */
#define TOL_SSIM 1e-10

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Compare a 1-bit canvas with a picture: '#' ink, '.' paper. */
static void want_picture(const unsigned char *px, size_t w, size_t h,
			 const char *const *rows)
{
	size_t x, y;

	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++)
			if (px[y * w + x] != (rows[y][x] == '#'))
				fail_msg("pixel (%zu,%zu): got %d, picture row \"%s\"",
					 x, y, px[y * w + x], rows[y]);
}

static void test_length(void **state)
{
	size_t len;

	(void)state;
	assert_int_equal(tsd_raster_length(&len, 7, 3), 0);
	assert_int_equal(len, 21);
	assert_int_equal(tsd_raster_length(&len, 0, 3), TSD_EINVAL);
	assert_int_equal(tsd_raster_length(&len, (size_t)1 << 25, 3), TSD_ERANGE);
}

/* 5 x 5 canvas, view t 0..4, v 0..4: x = t, y = 4 - v.
 * Spike: v = 0 0 4 0 0 -> points (0,4) (1,4) (2,0) (3,4) (4,4).
 * Bresenham (1,4)->(2,0): dx 1, dy -4, err -3: plots (1,4); e2 -6 moves y
 *   only: (1,3); e2 -4 moves x and y: (2,2); then y only: (2,1), (2,0).
 * (2,0)->(3,4): (2,0) (2,1), then x and y: (3,2), then (3,3) (3,4).
 * Flat: v = 0 at t 0 and 4 -> row 4 only.
 * Differences: spike-only (1,3) (2,2) (2,1) (2,0) (3,2) (3,3), and
 * flat-only (2,4): 7 pixels. */
static void test_bit_hand(void **state)
{
	const int64_t t[] = { 0, 1, 2, 3, 4 }, tf[] = { 0, 4 };
	const double v[] = { 0, 0, 4, 0, 0 }, vf[] = { 0, 0 };
	const char *const spike[] = {
		"..#..",
		"..#..",
		"..##.",
		".#.#.",
		"##.##",
	};
	const char *const flat[] = {
		".....", ".....", ".....", ".....", "#####",
	};
	struct tsd_raster_view view;
	unsigned char a[25], b[25];
	size_t diff;

	(void)state;
	assert_int_equal(tsd_raster_view(&view, t, v, N(t)), 0);
	assert_int_equal(tsd_raster_draw(a, t, v, N(t), 5, 5, &view, TSD_RASTER_BIT), 0);
	want_picture(a, 5, 5, spike);
	assert_int_equal(tsd_raster_draw(b, tf, vf, N(tf), 5, 5, &view, TSD_RASTER_BIT), 0);
	want_picture(b, 5, 5, flat);
	assert_int_equal(tsd_raster_diff_pixels(&diff, a, b, 5, 5), 0);
	assert_int_equal(diff, 7);
	assert_int_equal(tsd_raster_diff_pixels(&diff, a, a, 5, 5), 0);
	assert_int_equal(diff, 0);
}

/* A value far outside the view: segment (0,4)->(2,-1e300) is clipped at
 * y = -1 where x = 2 * 5 / 1e300 ~ 0, so column 0 fills; likewise
 * column 4 from the way back down. A lone point is one pixel; a flat
 * view puts it on the middle row. */
static void test_bit_clip_and_point(void **state)
{
	const int64_t t[] = { 0, 2, 4 }, t1[] = { 7 };
	const double v[] = { 0, 1e300, 0 }, v1[] = { 3 };
	const struct tsd_raster_view view = { 0, 4, 0, 4 };
	const struct tsd_raster_view flat = { 7, 7, 3, 3 };
	const char *const walls[] = {
		"#...#", "#...#", "#...#", "#...#", "#...#",
	};
	const char *const dot[] = {
		".....", ".....", "#....", ".....", ".....",
	};
	unsigned char px[25];

	(void)state;
	assert_int_equal(tsd_raster_draw(px, t, v, 3, 5, 5, &view, TSD_RASTER_BIT), 0);
	want_picture(px, 5, 5, walls);
	assert_int_equal(tsd_raster_draw(px, t1, v1, 1, 5, 5, &flat, TSD_RASTER_BIT), 0);
	want_picture(px, 5, 5, dot);
}

/* Wu, 8-bit, 6 x 5 canvas, view t 0..5, v 0..4 (x = t, y = 4 - v):
 * v = 2 throughout: y = 2 exactly, row 2 full ink (0), rest paper;
 * v = 1.5: y = 2.5, ink split half and half: round(0.5 * 255) = 128
 *   of ink on rows 2 and 3, grey 255 - 128 = 127;
 * v = t (clipped at 4): (0,4)..(4,0) is a 45 degree line through pixel
 *   centres: full ink on the diagonal, its neighbours get 0 ink. */
static void test_aa_hand(void **state)
{
	const int64_t t[] = { 0, 5 }, td[] = { 0, 4 };
	const double v2[] = { 2, 2 }, v15[] = { 1.5, 1.5 }, vd[] = { 0, 4 };
	const struct tsd_raster_view view = { 0, 5, 0, 4 };
	const struct tsd_raster_view vd_view = { 0, 4, 0, 4 };
	unsigned char px[30];
	size_t x, y;

	(void)state;
	assert_int_equal(tsd_raster_draw(px, t, v2, 2, 6, 5, &view, TSD_RASTER_AA), 0);
	for (y = 0; y < 5; y++)
		for (x = 0; x < 6; x++)
			assert_int_equal(px[y * 6 + x], y == 2 ? 0 : 255);
	assert_int_equal(tsd_raster_draw(px, t, v15, 2, 6, 5, &view, TSD_RASTER_AA), 0);
	for (y = 0; y < 5; y++)
		for (x = 0; x < 6; x++)
			assert_int_equal(px[y * 6 + x], y == 2 || y == 3 ? 127 : 255);
	assert_int_equal(tsd_raster_draw(px, td, vd, 2, 5, 5, &vd_view, TSD_RASTER_AA), 0);
	for (y = 0; y < 5; y++)
		for (x = 0; x < 5; x++)
			assert_int_equal(px[y * 5 + x], x + y == 4 ? 0 : 255);
	/* bad arguments */
	assert_int_equal(tsd_raster_draw(px, t, v2, 2, 6, 5, &view, 7), TSD_EINVAL);
	const double vn[] = { 1, NAN };
	assert_int_equal(tsd_raster_draw(px, t, vn, 2, 6, 5, &view, TSD_RASTER_AA), TSD_EINVAL);
}

static double lcg(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return (double)(*s >> 11) / 9007199254740992.0;
}

#define WALK 3000
#define CW 64
#define CH 40

/* The pixel column tsd_raster_draw puts point i of a WALK series in. */
static long column(const int64_t *t, size_t i)
{
	return lround((double)(t[i] - t[0]) / (double)(t[WALK - 1] - t[0]) * (CW - 1));
}

/* M4 (Jugel et al.): keep first, last, min and max of each pixel column
 * (the column a point is drawn in, round(x)). Its 1-bit chart equals the
 * full series' chart pixel for pixel; plain decimation does not. */
static void test_m4_error_free(void **state)
{
	static int64_t t[WALK], tr[WALK];
	static double v[WALK], vr[WALK];
	static unsigned char full[CW * CH], red[CW * CH];
	struct tsd_raster_view view;
	uint64_t seed = 7;
	size_t i, m = 0, lo, hi, diff;
	double x = 0;

	(void)state;
	for (i = 0; i < WALK; i++) {
		t[i] = 1400000000000000000LL + (int64_t)i * 300000000000LL;
		x += lcg(&seed) - 0.5;
		v[i] = x;
	}
	assert_int_equal(tsd_raster_view(&view, t, v, WALK), 0);
	assert_int_equal(tsd_raster_draw(full, t, v, WALK, CW, CH, &view, TSD_RASTER_BIT), 0);
	for (lo = 0; lo < WALK; lo = hi) {
		long col = column(t, lo);
		size_t imin = lo, imax = lo, k;
		for (hi = lo; hi < WALK && column(t, hi) == col; hi++) {
			if (v[hi] < v[imin])
				imin = hi;
			if (v[hi] > v[imax])
				imax = hi;
		}
		/* the four in time order, without repeats */
		size_t pick[4] = { lo, imin < imax ? imin : imax,
				   imin < imax ? imax : imin, hi - 1 };
		for (k = 0; k < 4; k++) {
			if (m && tr[m - 1] == t[pick[k]])
				continue;
			tr[m] = t[pick[k]];
			vr[m++] = v[pick[k]];
		}
	}
	assert_true(m <= 4 * CW);
	assert_int_equal(tsd_raster_draw(red, tr, vr, m, CW, CH, &view, TSD_RASTER_BIT), 0);
	assert_int_equal(tsd_raster_diff_pixels(&diff, full, red, CW, CH), 0);
	assert_int_equal(diff, 0);
	/* every 12th point (about as many as M4 kept): the chart differs */
	for (m = 0, i = 0; i < WALK; i += 12, m++) {
		tr[m] = t[i];
		vr[m] = v[i];
	}
	assert_int_equal(tsd_raster_draw(red, tr, vr, m, CW, CH, &view, TSD_RASTER_BIT), 0);
	assert_int_equal(tsd_raster_diff_pixels(&diff, full, red, CW, CH), 0);
	assert_true(diff > 0);
}

static unsigned char *read_pgm(const char *name, size_t *w, size_t *h)
{
	const char *dir = getenv("TSD_TESTDATA");
	char path[512];
	unsigned char *px;
	unsigned maxv, p;
	size_t i;
	FILE *f;

	snprintf(path, sizeof path, "%s/raster/%s", dir ? dir : "testdata", name);
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s (run from the repository root)", path);
	if (fscanf(f, "P2 %zu %zu %u", w, h, &maxv) != 3 || maxv != 255)
		fail_msg("%s: not an 8-bit P2 PGM", path);
	px = malloc(*w * *h);
	assert_non_null(px);
	for (i = 0; i < *w * *h; i++) {
		if (fscanf(f, "%u", &p) != 1 || p > 255)
			fail_msg("%s: bad pixel %zu", path, i);
		px[i] = (unsigned char)p;
	}
	fclose(f);
	return px;
}

static void test_ssim_reference(void **state)
{
	const char *dir = getenv("TSD_TESTDATA");
	char path[512], na[128], nb[128], line[512];
	size_t cases = 0;
	FILE *f;

	(void)state;
	snprintf(path, sizeof path, "%s/raster/ssim.txt", dir ? dir : "testdata");
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s (run from the repository root)", path);
	while (fgets(line, sizeof line, f)) {
		size_t wa, ha, wb, hb;
		unsigned char *a, *b;
		double want, got, d;

		if (line[0] == '#')
			continue;
		if (sscanf(line, "%127s %127s %lf", na, nb, &want) != 3)
			fail_msg("%s: bad line \"%s\"", path, line);
		a = read_pgm(na, &wa, &ha);
		b = read_pgm(nb, &wb, &hb);
		assert_int_equal(wa, wb);
		assert_int_equal(ha, hb);
		assert_int_equal(tsd_raster_ssim(&got, a, b, wa, ha), 0);
		if (!(fabs(got - want) <= TOL_SSIM))
			fail_msg("ssim %s %s: got %.17g want %.17g", na, nb, got, want);
		assert_int_equal(tsd_raster_dssim(&d, a, b, wa, ha), 0);
		if (!(fabs(d - (1 - want) / 2) <= TOL_SSIM))
			fail_msg("dssim %s %s: got %.17g", na, nb, d);
		free(a);
		free(b);
		cases++;
	}
	fclose(f);
	assert_true(cases >= 6);
}

/* A chart against itself: SSIM exactly 1, DSSIM exactly 0; against a
 * decimated version: 0 < DSSIM < 0.5, the same both ways round. */
static void test_ssim_charts(void **state)
{
	static int64_t t[WALK], tr[WALK / 30 + 1];
	static double v[WALK], vr[WALK / 30 + 1];
	static unsigned char a[CW * CH], b[CW * CH];
	struct tsd_raster_view view;
	uint64_t seed = 11;
	size_t i, m = 0;
	double s, d, d2, x = 0;

	(void)state;
	for (i = 0; i < WALK; i++) {
		t[i] = (int64_t)i * 1000;
		x += lcg(&seed) - 0.5;
		v[i] = x;
		if (i % 30 == 0) {
			tr[m] = t[i];
			vr[m++] = v[i];
		}
	}
	assert_int_equal(tsd_raster_view(&view, t, v, WALK), 0);
	assert_int_equal(tsd_raster_draw(a, t, v, WALK, CW, CH, &view, TSD_RASTER_AA), 0);
	assert_int_equal(tsd_raster_ssim(&s, a, a, CW, CH), 0);
	assert_true(s == 1.0);
	assert_int_equal(tsd_raster_dssim(&d, a, a, CW, CH), 0);
	assert_true(d == 0.0);
	assert_int_equal(tsd_raster_draw(b, tr, vr, m, CW, CH, &view, TSD_RASTER_AA), 0);
	assert_int_equal(tsd_raster_dssim(&d, a, b, CW, CH), 0);
	assert_int_equal(tsd_raster_dssim(&d2, b, a, CW, CH), 0);
	assert_true(d > 0 && d < 0.5);
	assert_true(fabs(d - d2) <= TOL_SSIM);
	assert_int_equal(tsd_raster_ssim(&s, a, b, 10, 40), TSD_ESIZE);
	assert_int_equal(tsd_raster_ssim(&s, a, b, 40, 10), TSD_ESIZE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_length),
		cmocka_unit_test(test_bit_hand),
		cmocka_unit_test(test_bit_clip_and_point),
		cmocka_unit_test(test_aa_hand),
		cmocka_unit_test(test_m4_error_free),
		cmocka_unit_test(test_ssim_reference),
		cmocka_unit_test(test_ssim_charts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
