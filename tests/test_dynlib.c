/* test_dynlib.c: functions of a shared library looked up at run time: they
 * work when found, and a missing library or function is an error that
 * names it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "dynlib.h"
#include "tsd.h"

static void found(void **state)
{
	static const char *const names[] = { "fabs", "hypot" };
	void *fn[2];
	double (*fabs_)(double), (*hypot_)(double, double);
	char err[200];

	(void)state;
	assert_int_equal(tsd_dynlib_load(fn, names, 2, "libm.so.6", err, sizeof err), 0);
	fabs_ = (double (*)(double))fn[0];
	hypot_ = (double (*)(double, double))fn[1];
	assert_true(fabs_(-2.5) == 2.5);
	assert_true(hypot_(3.0, 4.0) == 5.0);
}

static void missing(void **state)
{
	static const char *const names[] = { "fabs", "tsd_no_such_function" };
	void *fn[2];
	char err[200];

	(void)state;
	assert_int_equal(tsd_dynlib_load(fn, names, 1, "libtsd-no-such-library.so.0", err, sizeof err), TSD_EIO);
	assert_non_null(strstr(err, "libtsd-no-such-library.so.0"));
	assert_int_equal(tsd_dynlib_load(fn, names, 2, "libm.so.6", err, sizeof err), TSD_EIO);
	assert_non_null(strstr(err, "tsd_no_such_function"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(found),
		cmocka_unit_test(missing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
