/* test_plotcmd.c: the text tsplot sends gnuplot, against values worked
 * out by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "plotcmd.h"

static void check_time(int64_t ns, const char *want)
{
	char b[TSD_PLOT_TIME_MAX + 1];
	size_t n = tsd_plot_time(b, ns);

	assert_true(n <= TSD_PLOT_TIME_MAX);
	b[n] = 0;
	assert_string_equal(b, want);
}

static void times(void **state)
{
	(void)state;
	check_time(0, "0");
	check_time(1704067200000000000LL, "1704067200");
	check_time(1704067200000000001LL, "1704067200.000000001");
	check_time(1704067200500000000LL, "1704067200.5");
	check_time(-1000000000LL, "-1");
	check_time(-1500000000LL, "-1.5");
	check_time(-1, "-0.000000001");
	check_time(INT64_MAX, "9223372036.854775807");
	check_time(INT64_MIN, "-9223372036.854775808");
}

static void formats(void **state)
{
	(void)state;
	assert_string_equal(tsd_plot_time_format(900 * 1000000000LL), "%H:%M:%S");
	assert_string_equal(tsd_plot_time_format(901 * 1000000000LL), "%H:%M");
	assert_string_equal(tsd_plot_time_format(2 * 86400 * 1000000000LL), "%H:%M");
	assert_string_equal(tsd_plot_time_format(3 * 86400 * 1000000000LL), "%m-%d\\n%H:%M");
	assert_string_equal(tsd_plot_time_format(30 * 86400 * 1000000000LL), "%Y\\n%m-%d");
}

static void quoting(void **state)
{
	char b[16];

	(void)state;
	assert_string_equal(tsd_plot_quote(b, sizeof b, "s1"), "\"s1\"");
	assert_string_equal(tsd_plot_quote(b, sizeof b, "a\"b\\c\td"), "\"a\\\"b\\\\c d\"");
	/* cut to fit, still closed */
	assert_string_equal(tsd_plot_quote(b, sizeof b, "abcdefghijklmnopqrstuvwxyz"), "\"abcdefghijk\"");
	assert_true(strlen(b) < sizeof b);
}

static void data_block(void **state)
{
	int64_t t[3] = { 1704067200000000000LL, 1704067260000000000LL, 1704067320250000000LL };
	double v[3] = { 1.5, -0.1, 123456789.0 };
	char b[512];
	size_t n;

	(void)state;
	assert_true(tsd_plot_data_size(3) <= sizeof b);
	n = tsd_plot_data(b, 7, t, v, 3);
	assert_true(n <= tsd_plot_data_size(3));
	b[n] = 0;
	assert_string_equal(b, "$d7 << EOD\n1704067200 1.5\n1704067260 -0.1\n1704067320.25 1.2345679e+08\nEOD\n");
	n = tsd_plot_data(b, 0, t, v, 0);
	b[n] = 0;
	assert_string_equal(b, "$d0 << EOD\nEOD\n");
}

static void terminals(void **state)
{
	const char *terms = "cairolatex canvas dumb png pngcairo qt svg x11";

	(void)state;
	assert_true(tsd_plot_has_term(terms, "dumb"));
	assert_true(tsd_plot_has_term(terms, "qt size 800,600")); /* the first word counts */
	assert_true(tsd_plot_has_term(terms, "cairolatex"));
	assert_false(tsd_plot_has_term(terms, "png8"));
	assert_false(tsd_plot_has_term(terms, "cairo"));   /* not a prefix of a name */
	assert_false(tsd_plot_has_term(terms, "latex"));   /* not a suffix either */
	assert_false(tsd_plot_has_term(terms, ""));
	assert_string_equal(tsd_plot_term_package("x11"), " (Debian: install gnuplot-x11 or gnuplot-qt)");
	assert_string_equal(tsd_plot_term_package("svg"), "");
	assert_string_equal(tsd_plot_term_of("a/chart.png"), "pngcairo");
	assert_string_equal(tsd_plot_term_of("chart.svg"), "svg");
	assert_string_equal(tsd_plot_term_of("chart.txt"), "dumb");
	assert_null(tsd_plot_term_of("chart.pdf"));
	assert_null(tsd_plot_term_of("chart"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(times),
		cmocka_unit_test(formats),
		cmocka_unit_test(quoting),
		cmocka_unit_test(data_block),
		cmocka_unit_test(terminals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
