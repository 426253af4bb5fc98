/* test_coefwin.c: assembly of a coefficient window from its records:
 * layout, order and completeness checks with their messages, dropped
 * details in selected windows, sample times. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "coefwin.h"
#include "tsd.h"

static char err[256];

static tsd_window hdr(uint32_t n, unsigned J, const char *wav, const char *mode, int flags)
{
	tsd_window w;

	memset(&w, 0, sizeof w);
	w.series = 3;
	w.window = 7;
	w.n = n;
	w.levels = (uint8_t)J;
	w.flags = (uint8_t)flags;
	w.t_first = 1000;
	w.t_last = 1000 + 10 * (int64_t)(n - 1);
	memcpy(w.wavelet, wav, strlen(wav));
	memcpy(w.mode, mode, strlen(mode));
	return w;
}

static int add(tsd_coefwin *cw, int kind, unsigned level, uint32_t start, uint32_t count)
{
	static double v[4096];
	tsd_coefs c;

	memset(&c, 0, sizeof c);
	c.series = 3;
	c.window = 7;
	c.kind = (uint8_t)kind;
	c.level = (uint8_t)level;
	c.start = start;
	c.count = count;
	for (uint32_t i = 0; i < count; i++)
		v[i] = start + i + 0.5;
	c.v = v;
	return tsd_coefwin_add(cw, &c, err, sizeof err);
}

/* haar, periodization, n = 16, J = 2: bands 4 (A2), 4 (D2), 8 (D1) */
static void test_complete(void **state)
{
	tsd_coefwin cw;
	tsd_window w = hdr(16, 2, "haar", "periodization", 0);

	(void)state;
	tsd_coefwin_init(&cw);
	assert_int_equal(tsd_coefwin_begin(&cw, &w, err, sizeof err), 0);
	assert_int_equal(cw.m, 16);
	assert_int_equal(cw.off[1], 4);
	assert_int_equal(cw.off[2], 8);
	assert_int_equal(add(&cw, TSD_COEF_A, 2, 0, 4), 0);
	assert_int_equal(add(&cw, TSD_COEF_D, 2, 0, 2), 0);
	assert_int_equal(add(&cw, TSD_COEF_D, 2, 2, 2), 0);   /* a split run */
	assert_int_equal(add(&cw, TSD_COEF_D, 1, 0, 8), 0);
	assert_int_equal(tsd_coefwin_end(&cw, err, sizeof err), 0);
	assert_true(cw.c[9] == 1.5);
	assert_false(cw.scored);
	assert_int_equal(cw.t[15], 1150);
	assert_int_equal(tsd_coefwin_band(&cw, 3), 0);
	assert_int_equal(tsd_coefwin_band(&cw, 4), 1);
	assert_int_equal(tsd_coefwin_band(&cw, 15), 2);
	assert_int_equal(tsd_coefwin_band_level(&cw, 2), 1);
	tsd_coefwin_free(&cw);
}

static void test_errors(void **state)
{
	tsd_coefwin cw;
	tsd_window w;

	(void)state;
	tsd_coefwin_init(&cw);
	w = hdr(16, 2, "db99", "symmetric", 0);
	assert_int_equal(tsd_coefwin_begin(&cw, &w, err, sizeof err), TSD_ENOTFOUND);
	assert_string_equal(err, "unknown wavelet 'db99'");
	w = hdr(16, 2, "db2", "sideways", 0);
	assert_int_equal(tsd_coefwin_begin(&cw, &w, err, sizeof err), TSD_ENOTFOUND);
	assert_string_equal(err, "unknown mode 'sideways'");
	w = hdr(16, 3, "db4", "symmetric", 0);
	assert_int_equal(tsd_coefwin_begin(&cw, &w, err, sizeof err), TSD_ERANGE);
	assert_string_equal(err, "3 levels of db4 do not fit 16 samples");

	w = hdr(16, 2, "haar", "periodization", 0);
	assert_int_equal(tsd_coefwin_begin(&cw, &w, err, sizeof err), 0);
	assert_int_equal(tsd_coefwin_begin(&cw, &w, err, sizeof err), TSD_EORDER);
	assert_string_equal(err, "window 7 starts before the end of window 7");
	assert_int_equal(add(&cw, TSD_COEF_D, 2, 0, 4), TSD_EORDER);
	assert_string_equal(err, "approximation (level 2) missing before detail level 2");
	assert_int_equal(add(&cw, TSD_COEF_A, 1, 0, 4), TSD_ERANGE);
	assert_string_equal(err, "approximation at level 1 in a window of 2 levels");
	assert_int_equal(add(&cw, TSD_COEF_A, 2, 0, 5), TSD_ERANGE);
	assert_string_equal(err, "approximation (level 2) index 4 past the band's 4 coefficients");
	assert_int_equal(add(&cw, TSD_COEF_A, 2, 0, 4), 0);
	assert_int_equal(add(&cw, TSD_COEF_D, 1, 0, 8), TSD_EORDER);
	assert_string_equal(err, "detail level 2 missing before detail level 1");
	assert_int_equal(add(&cw, TSD_COEF_D, 2, 1, 3), TSD_EORDER);
	assert_string_equal(err, "detail level 2 index 1 where 0 was due (missing or out of order)");
	assert_int_equal(add(&cw, TSD_COEF_D, 2, 0, 4), 0);
	assert_int_equal(add(&cw, TSD_COEF_D, 2, 3, 1), TSD_EORDER);
	assert_string_equal(err, "detail level 2 index 3 after index 3 (out of order)");
	assert_int_equal(add(&cw, TSD_COEF_D, 1, 0, 5), 0);
	assert_int_equal(add(&cw, TSD_COEF_A, 2, 0, 1), TSD_EORDER);
	assert_string_equal(err, "approximation (level 2) after detail level 1 (out of order)");
	assert_int_equal(tsd_coefwin_end(&cw, err, sizeof err), TSD_EORDER);
	assert_string_equal(err, "detail level 1 incomplete (5 of 8 coefficients)");
	tsd_coefwin_free(&cw);
}

/* A selected window may lack details, never approximation coefficients. */
static void test_selected(void **state)
{
	tsd_coefwin cw;
	tsd_window w = hdr(16, 2, "haar", "periodization", TSD_WIN_SELECTED);

	(void)state;
	tsd_coefwin_init(&cw);
	assert_int_equal(tsd_coefwin_begin(&cw, &w, err, sizeof err), 0);
	assert_int_equal(add(&cw, TSD_COEF_A, 2, 0, 4), 0);
	assert_int_equal(add(&cw, TSD_COEF_D, 1, 2, 1), 0);
	assert_int_equal(add(&cw, TSD_COEF_D, 1, 6, 2), 0);
	assert_int_equal(tsd_coefwin_end(&cw, err, sizeof err), 0);
	assert_memory_equal(cw.have, ((unsigned char[]){ 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 1 }), 16);
	assert_true(cw.c[10] == 2.5 && cw.c[5] == 0);

	assert_int_equal(tsd_coefwin_begin(&cw, &w, err, sizeof err), 0);
	assert_int_equal(add(&cw, TSD_COEF_A, 2, 0, 3), 0);
	assert_int_equal(tsd_coefwin_end(&cw, err, sizeof err), TSD_EORDER);
	assert_string_equal(err, "approximation (level 2) incomplete (3 of 4 coefficients)");
	tsd_coefwin_free(&cw);
}

static void test_times(void **state)
{
	int64_t reg[5] = { 10, 13, 16, 19, 22 }, irr[5] = { 10, 13, 16, 19, 23 };
	int64_t odd[3] = { 0, 1, 3 };
	tsd_coefwin cw;
	tsd_window w = hdr(5, 1, "haar", "symmetric", TSD_WIN_IRREGULAR);
	tsd_times ts = { .series = 3, .window = 7, .count = 3, .t = irr };

	(void)state;
	assert_true(tsd_coefwin_regular(reg, 5));
	assert_false(tsd_coefwin_regular(irr, 5));
	assert_false(tsd_coefwin_regular(odd, 3)); /* step 1.5 is not whole */
	assert_true(tsd_coefwin_regular(reg, 1));
	/* the span kept and two intervals off, one long at `at` and one short
	 * up to 5 later, at every position of every length from 2 to 41 (four
	 * intervals a step and a tail) */
	int64_t lt[41];
	for (size_t n = 2; n <= 41; n++) {
		for (size_t i = 0; i < n; i++)
			lt[i] = -20 + 3 * (int64_t)i;
		assert_true(tsd_coefwin_regular(lt, n));
		for (size_t at = 1; at + 1 < n; at++)
			for (size_t e = at + 1; e < n && e <= at + 5; e++) {
				for (size_t j = at; j < e; j++)
					lt[j]++;
				assert_false(tsd_coefwin_regular(lt, n));
				for (size_t j = at; j < e; j++)
					lt[j]--;
			}
	}
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(tsd_coefwin_time(10, 22, 5, i), reg[i]);
	assert_int_equal(tsd_coefwin_time(0, 3, 3, 1), 2); /* 1.5 rounds away from 0 */

	tsd_coefwin_init(&cw);
	assert_int_equal(tsd_coefwin_begin(&cw, &w, err, sizeof err), 0);
	assert_int_equal(tsd_coefwin_times(&cw, &ts, err, sizeof err), 0);
	assert_int_equal(add(&cw, TSD_COEF_A, 1, 0, 3), 0);
	assert_int_equal(add(&cw, TSD_COEF_D, 1, 0, 3), 0);
	assert_int_equal(tsd_coefwin_end(&cw, err, sizeof err), TSD_EORDER);
	assert_string_equal(err, "3 of 5 sample times");
	assert_int_equal(tsd_coefwin_begin(&cw, &w, err, sizeof err), 0);
	ts.count = 5;
	assert_int_equal(tsd_coefwin_times(&cw, &ts, err, sizeof err), 0);
	assert_int_equal(tsd_coefwin_times(&cw, &ts, err, sizeof err), TSD_ERANGE);
	assert_string_equal(err, "more than 5 sample times");
	tsd_coefwin_free(&cw);
}

/* A regular window's times, filled at tsd_coefwin_end (by stepping when
 * the span divides evenly), equal tsd_coefwin_time() index by index, for
 * even and uneven spans, negative times and spans near the int64 limit. */
static void test_regular_times(void **state)
{
	static const int64_t firsts[] = { 1000, -7, -4000000000000000000LL, 0 };
	static const int64_t spans[] = { 150, 151, 1, 0, 9000000000000000000LL, 8999999999999999999LL };
	size_t cases = 0;

	(void)state;
	for (size_t a = 0; a < sizeof firsts / sizeof *firsts; a++)
	for (size_t b = 0; b < sizeof spans / sizeof *spans; b++) {
		tsd_coefwin cw;
		tsd_window w = hdr(16, 2, "haar", "periodization", 0);
		if (spans[b] > INT64_MAX - 4000000000000000000LL && firsts[a] > 0)
			continue;
		w.t_first = firsts[a];
		w.t_last = firsts[a] + spans[b];
		tsd_coefwin_init(&cw);
		assert_int_equal(tsd_coefwin_begin(&cw, &w, err, sizeof err), 0);
		assert_int_equal(add(&cw, TSD_COEF_A, 2, 0, 4), 0);
		assert_int_equal(add(&cw, TSD_COEF_D, 2, 0, 4), 0);
		assert_int_equal(add(&cw, TSD_COEF_D, 1, 0, 8), 0);
		assert_int_equal(tsd_coefwin_end(&cw, err, sizeof err), 0);
		for (size_t i = 0; i < 16; i++)
			assert_int_equal(cw.t[i], tsd_coefwin_time(w.t_first, w.t_last, 16, i));
		assert_int_equal(cw.t[15], w.t_last);
		tsd_coefwin_free(&cw);
		cases++;
	}
	assert_true(cases >= 20);
}

/* The step of evenly spaced times: only a whole one, and then exactly the
 * times tsd_coefwin_time gives back. */
static void test_step(void **state)
{
	int64_t step = -7;

	(void)state;
	assert_int_equal(tsd_coefwin_step(10, 40, 4, &step), 1);
	assert_int_equal(step, 10);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(tsd_coefwin_time(10, 40, 4, i), 10 + 10 * (int64_t)i);
	step = -7;
	assert_int_equal(tsd_coefwin_step(10, 41, 4, &step), 0); /* 31 / 3 */
	assert_int_equal(step, -7);
	assert_int_equal(tsd_coefwin_step(10, 10, 1, &step), 0);
	assert_int_equal(tsd_coefwin_step(40, 10, 4, &step), 0);
	assert_int_equal(tsd_coefwin_step(5, 5, 3, &step), 1);
	assert_int_equal(step, 0);
	/* a span past the int64 range */
	assert_int_equal(tsd_coefwin_step(INT64_MIN, INT64_MAX, 2, &step), 0);
	assert_int_equal(tsd_coefwin_step(INT64_MIN, INT64_MAX, 3, &step), 0);
	assert_int_equal(tsd_coefwin_step(-4, INT64_MAX - 4, 2, &step), 1);
	assert_int_equal(step, INT64_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_complete),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_selected),
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_regular_times),
		cmocka_unit_test(test_step),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
