/* test_plotcmd.c: the text tsplot sends gnuplot, against values worked
 * out by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "plotcmd.h"
#include "tsd.h"

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

static void check_xtics(int64_t a_s, int64_t b_s, int chars, const char *want)
{
	char b[200];

	assert_true(tsd_plot_xtics(b, sizeof b, a_s * 1000000000LL, b_s * 1000000000LL, chars) > 0);
	assert_string_equal(b, want);
}

static void xtics(void **state)
{
	const int64_t day = 1704067200; /* 2024-01-01 00:00:00 UTC */

	(void)state;
	/* 90 s on 80 characters: labels of 8 and 2 spaces; 10 s would make
	 * 10 of them (100 characters), 15 s makes 7 (70) */
	check_xtics(day, day + 90, 80, "set xtics 1704067200, 15\nset format x \"%H:%M:%S\"\n");
	check_xtics(day, day + 90, 100, "set xtics 1704067200, 10\nset format x \"%H:%M:%S\"\n");
	/* narrower: 30 s */
	check_xtics(day, day + 90, 60, "set xtics 1704067200, 30\nset format x \"%H:%M:%S\"\n");
	/* a start off the step is rounded up to a multiple of the step */
	check_xtics(day + 3, day + 93, 80, "set xtics 1704067215, 15\nset format x \"%H:%M:%S\"\n");
	/* 6 h at 640 px (about 50 label characters): 1 h */
	check_xtics(day + 3600, day + 7 * 3600, 50, "set xtics 1704070800, 3600\nset format x \"%H:%M\"\n");
	/* two days: across days, the date under the time; 6 h would be 9
	 * labels of 5 (63 characters), 12 h is 5 */
	check_xtics(day, day + 2 * 86400, 60, "set xtics 1704067200, 43200\nset format x \"%H:%M\\n%m-%d\"\n");
	check_xtics(day, day + 2 * 86400, 70, "set xtics 1704067200, 21600\nset format x \"%H:%M\\n%m-%d\"\n");
	/* a quarter: two weeks, dates only, from a multiple of 14 days after
	 * the epoch (1409 x 1209600) */
	check_xtics(day, day + 91 * 86400, 60, "set xtics 1704326400, 1209600\nset format x \"%m-%d\"\n");
	/* centuries: a multiple of a year */
	char b[200];
	assert_true(tsd_plot_xtics(b, sizeof b, 0, 200LL * 365 * 86400 * 1000000000LL, 60) > 0);
	assert_non_null(strstr(b, "set format x \"%Y\""));
	assert_int_equal(tsd_plot_xtics(b, 10, 0, 1000000000LL, 60), TSD_ESIZE);
	/* no overlap: ticks x (label + 2) within the width, for many spans */
	for (int64_t span = 2; span < 400LL * 86400; span = span * 3 / 2 + 1)
		for (int chars = 20; chars <= 200; chars += 30) {
			long long st, step;
			assert_true(tsd_plot_xtics(b, sizeof b, day * 1000000000LL, (day + span) * 1000000000LL, chars) > 0);
			assert_int_equal(sscanf(b, "set xtics %lld, %lld", &st, &step), 2);
			int lab = strstr(b, "%Y-%m-%d") ? 10 : strstr(b, "%H:%M:%S") ? 8 : strstr(b, "%Y\"") ? 4 : 5;
			long long n = (day + span - st) / step + 1;
			assert_true(st >= day && st < day + step);
			if (n >= 2)
				assert_true(n * (lab + 2) <= chars || step == 1);
		}
}

static void quoting(void **state)
{
	char b[16], big[64];

	(void)state;
	assert_string_equal(tsd_plot_quote(b, sizeof b, "s1"), "'s1'");
	/* single quotes: ' doubled; " \ ` @ $ kept as they are (gnuplot
	 * substitutes nothing inside '...') */
	assert_string_equal(tsd_plot_quote(big, sizeof big, "a'b\"c\\d`e@f$g"), "'a''b\"c\\d`e@f$g'");
	/* control characters, DEL, C1 (raw 0x9b and UTF-8 c2 9b), bad UTF-8 */
	assert_string_equal(tsd_plot_quote(big, sizeof big, "a\nb\tc\x1b[d\x7f" "e\x9b" "f\xc2\x9bg\xff"),
			    "'a?b?c?[d?e?f?g?'");
	/* UTF-8 kept; overlong and surrogates refused */
	assert_string_equal(tsd_plot_quote(big, sizeof big, "\xc2\xb0" "C \xce\x94 \xe2\x82\xac \xf0\x9f\x98\x80"),
			    "'\xc2\xb0" "C \xce\x94 \xe2\x82\xac \xf0\x9f\x98\x80'");
	assert_string_equal(tsd_plot_quote(big, sizeof big, "\xc0\xaf \xed\xa0\x80"), "'?\x3f ?\x3f?'");
	/* cut to fit, on a character boundary, still closed */
	assert_string_equal(tsd_plot_quote(b, sizeof b, "abcdefghijklmnopqrstuvwxyz"), "'abcdefghijklm'");
	assert_true(strlen(b) < sizeof b);
	assert_string_equal(tsd_plot_quote(b, sizeof b, "abcdefghijkl\xce\x94"), "'abcdefghijkl'");
	assert_string_equal(tsd_plot_quote(b, sizeof b, "abcdefghijkl''"), "'abcdefghijkl'");
	/* unquoted: the same cleaning */
	assert_int_equal(tsd_plot_text(b, sizeof b, "x'\x1b", 0), 3);
	assert_string_equal(b, "x'?");
}

static void paths(void **state)
{
	char b[32];

	(void)state;
	assert_int_equal(tsd_plot_quote_path(b, sizeof b, "/tmp/it's.png"), 0);
	assert_string_equal(b, "'/tmp/it''s.png'");
	assert_int_equal(tsd_plot_quote_path(b, sizeof b, "a`b`@c.png"), 0);
	assert_string_equal(b, "'a`b`@c.png'");
	assert_int_equal(tsd_plot_quote_path(b, sizeof b, "a\nb.png"), TSD_EINVAL);
	assert_int_equal(tsd_plot_quote_path(b, 8, "a\nbcdefghijk.png"), TSD_EINVAL);
	assert_int_equal(tsd_plot_quote_path(b, 8, "abcdefghijk.png"), TSD_ESIZE);
}

static void term_checks(void **state)
{
	size_t n = 0;

	(void)state;
	assert_int_equal(tsd_plot_term_check("dumb", &n), 0);
	assert_int_equal(n, 4);
	assert_int_equal(tsd_plot_term_check("pngcairo transparent font Sans,9", &n), 0);
	assert_int_equal(n, 8);
	assert_int_equal(tsd_plot_term_check("dumb size 80,20 feed", NULL), 0);
	/* anything gnuplot could run or substitute */
	assert_int_equal(tsd_plot_term_check("dumb ;system \"touch pwned\" #", NULL), TSD_EINVAL);
	assert_int_equal(tsd_plot_term_check("dumb;system(\"x\")", NULL), TSD_EINVAL);
	assert_int_equal(tsd_plot_term_check("dumb `x`", NULL), TSD_EINVAL);
	assert_int_equal(tsd_plot_term_check("dumb @m", NULL), TSD_EINVAL);
	assert_int_equal(tsd_plot_term_check("pngcairo font 'DejaVu Sans,8' size 4,3", NULL), 0);
	assert_int_equal(tsd_plot_term_check("dumb 'x''y'", NULL), TSD_EINVAL);
	assert_int_equal(tsd_plot_term_check("dumb 'x'y", NULL), TSD_EINVAL);
	assert_int_equal(tsd_plot_term_check("dumb 'x", NULL), TSD_EINVAL);
	assert_int_equal(tsd_plot_term_check("dumb 'a\nb'", NULL), TSD_EINVAL);
	assert_int_equal(tsd_plot_term_check("dumb \"x\"", NULL), TSD_EINVAL);
	assert_int_equal(tsd_plot_term_check("dumb\nshell", NULL), TSD_EINVAL);
	assert_int_equal(tsd_plot_term_check("dumb $x", NULL), TSD_EINVAL);
	/* shape: one space between words, no empty name */
	assert_int_equal(tsd_plot_term_check("", NULL), TSD_EINVAL);
	assert_int_equal(tsd_plot_term_check(" dumb", NULL), TSD_EINVAL);
	assert_int_equal(tsd_plot_term_check("dumb ", NULL), TSD_EINVAL);
	assert_int_equal(tsd_plot_term_check("dumb  x", NULL), TSD_EINVAL);
	assert_int_equal(tsd_plot_term_check("Dumb", NULL), TSD_EINVAL);
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

/* Reference values from the formula written again in Python (hsv with
 * int() truncation, the tint in integer arithmetic); groups 16, 11, 14,
 * 12, 10 and 13 fall in the six sectors of the hue circle. */
static void colours(void **state)
{
	static const struct { uint32_t group; int light; const char *want; } c[] = {
		{ 0, 0, "rgb '#1f77b4'" }, { 0, 1, "rgb '#9ac1dd'" }, { 9, 0, "rgb '#7f7f7f'" },
		{ 16, 0, "rgb '#bf8f2f'" }, { 11, 0, "rgb '#a1bf2f'" }, { 14, 0, "rgb '#2fbf3c'" },
		{ 12, 0, "rgb '#2f77bf'" }, { 10, 0, "rgb '#b32fbf'" }, { 13, 0, "rgb '#bf2f4d'" },
		{ 10, 1, "rgb '#dca1e2'" }, { 1000, 0, "rgb '#bf2f4c'" },
	};
	char buf[TSD_PLOT_COLOUR_MAX];

	(void)state;
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		tsd_plot_colour(buf, sizeof buf, c[i].group, c[i].light);
		assert_string_equal(buf, c[i].want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(times),
		cmocka_unit_test(xtics),
		cmocka_unit_test(quoting),
		cmocka_unit_test(paths),
		cmocka_unit_test(term_checks),
		cmocka_unit_test(data_block),
		cmocka_unit_test(terminals),
		cmocka_unit_test(colours),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
