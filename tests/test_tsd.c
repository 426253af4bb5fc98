/* test_tsd.c: the helpers every module shares (tsd.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <float.h>
#include <math.h>

#include "tsd.h"

typedef struct {
	double v;
	uint32_t n;
} elem;

/* Growing to an index keeps what was there and zero-fills the rest. */
static void test_grow_keeps_and_zeroes(void **state)
{
	elem *a = NULL;
	size_t cap = 0;

	(void)state;
	assert_int_equal(tsd_grow(&a, &cap, 1, sizeof *a), 0);
	assert_int_equal(cap, 16);
	for (size_t i = 0; i < cap; i++)
		assert_true(a[i].v == 0 && a[i].n == 0);
	a[3].v = 2.5, a[3].n = 7;
	a[15].n = 9;
	assert_int_equal(tsd_grow(&a, &cap, 17, sizeof *a), 0);
	assert_int_equal(cap, 32);
	assert_true(a[3].v == 2.5 && a[3].n == 7 && a[15].n == 9);
	for (size_t i = 16; i < cap; i++)
		assert_true(a[i].v == 0 && a[i].n == 0);
	/* far ahead: doubles until it fits, one allocation */
	assert_int_equal(tsd_grow(&a, &cap, 1000, sizeof *a), 0);
	assert_int_equal(cap, 1024);
	assert_true(a[3].n == 7 && a[999].n == 0 && a[1023].n == 0);
	free(a);
}

/* A need within the capacity changes nothing. */
static void test_grow_noop(void **state)
{
	elem *a = NULL, *was;
	size_t cap = 0;

	(void)state;
	assert_int_equal(tsd_grow(&a, &cap, 5, sizeof *a), 0);
	was = a;
	a[4].n = 1;
	assert_int_equal(tsd_grow(&a, &cap, 16, sizeof *a), 0);
	assert_ptr_equal(a, was);
	assert_int_equal(cap, 16);
	assert_int_equal(a[4].n, 1);
	assert_int_equal(tsd_grow(&a, &cap, 0, sizeof *a), 0);
	assert_int_equal(cap, 16);
	free(a);
}

/* Sizes that overflow are refused and leave the array as it was. */
static void test_grow_overflow(void **state)
{
	elem *a = NULL;
	size_t cap = 0;

	(void)state;
	assert_int_equal(tsd_grow(&a, &cap, 8, sizeof *a), 0);
	a[1].n = 5;
	assert_int_equal(tsd_grow(&a, &cap, SIZE_MAX / 4, sizeof *a), TSD_ERANGE);
	assert_int_equal(tsd_grow(&a, &cap, SIZE_MAX, 1), TSD_ERANGE);
	assert_int_equal(cap, 16);
	assert_int_equal(a[1].n, 5);
	free(a);
}

static void test_parse(void **state)
{
	double d;
	long l;
	int64_t ns;

	(void)state;
	assert_int_equal(tsd_parse_double(&d, "2.5"), 0);
	assert_true(d == 2.5);
	assert_true(tsd_parse_double(&d, "2.5x") < 0);
	assert_int_equal(tsd_parse_long(&l, "42", 0, 100), 0);
	assert_int_equal(l, 42);
	assert_true(tsd_parse_long(&l, "101", 0, 100) < 0);
	assert_int_equal(tsd_parse_duration(&ns, "1.5h"), 0);
	assert_true(ns == 5400000000000LL);
	assert_true(tsd_parse_duration(&ns, "-1s") < 0);
}

/* tsd_all_finite: a NaN or an infinity at any position of any length is
 * found (every lane and the tail); the extremes of the finite range pass */
static void test_all_finite(void **state)
{
	const double bad[] = { NAN, -NAN, INFINITY, -INFINITY };
	const double good[] = { 0.0, -0.0, DBL_MAX, -DBL_MAX, DBL_MIN, 4.9e-324, -1.5, 1e308 };
	double v[19] = { 0 };

	(void)state;
	assert_int_equal(tsd_all_finite(v, 0), 1);
	for (size_t n = 1; n <= 19; n++) {
		for (size_t i = 0; i < n; i++)
			v[i] = good[(i + n) % 8];
		assert_int_equal(tsd_all_finite(v, n), 1);
		for (size_t p = 0; p < n; p++)
			for (size_t b = 0; b < 4; b++) {
				double keep = v[p];
				v[p] = bad[b];
				if (tsd_all_finite(v, n))
					fail_msg("n %zu: %g at %zu not found", n, bad[b], p);
				v[p] = keep;
			}
	}
}

/* tsd_first_nan: the first NaN at every position of every length (every
 * lane and the tail), a later one beside it; infinities are not NaN */
static void test_first_nan(void **state)
{
	double v[21] = { 0 };

	(void)state;
	for (size_t n = 0; n <= 21; n++) {
		for (size_t i = 0; i < n; i++)
			v[i] = i % 3 ? INFINITY : -1.5 * (double)i;
		assert_int_equal(tsd_first_nan(v, n), n);
		for (size_t p = 0; p < n; p++) {
			v[p] = -NAN;
			if (p + 2 < n)
				v[p + 2] = NAN;
			assert_int_equal(tsd_first_nan(v, n), p);
			v[p] = p % 3 ? INFINITY : -1.5 * (double)p;
			if (p + 2 < n)
				v[p + 2] = (p + 2) % 3 ? INFINITY : -1.5 * (double)(p + 2);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grow_keeps_and_zeroes),
		cmocka_unit_test(test_grow_noop),
		cmocka_unit_test(test_grow_overflow),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_all_finite),
		cmocka_unit_test(test_first_nan),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
