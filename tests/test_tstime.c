/* test_tstime.c: timestamp parsing and formatting. Reference epoch values
 * were worked out with GNU date (date -u -d '...' +%s). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "tsd.h"
#include "tstime.h"

static int64_t parse(const char *s, tsd_tstyle *st)
{
	int64_t ns = 0;
	memset(st, 0, sizeof *st);
	assert_int_equal(tsd_time_parse(&ns, st, s, strlen(s)), 0);
	return ns;
}

static void roundtrip(const char *s)
{
	tsd_tstyle st;
	char buf[TSD_TIME_MAX];
	int64_t ns = parse(s, &st);
	tsd_time_format(buf, ns, &st);
	assert_string_equal(buf, s);
}

static void test_iso(void **state)
{
	tsd_tstyle st;
	(void)state;
	/* date -u -d '2013-12-02 21:15:00' +%s = 1386018900 */
	assert_int_equal(parse("2013-12-02 21:15:00", &st), 1386018900LL * 1000000000LL);
	assert_int_equal(st.kind, TSD_T_ISO);
	assert_int_equal(st.sep, ' ');
	assert_int_equal(parse("2013-12-02T21:15:00Z", &st), 1386018900LL * 1000000000LL);
	assert_int_equal(st.zone, 'Z');
	/* +02:00 is two hours ahead of UTC */
	assert_int_equal(parse("2013-12-02T23:15:00+02:00", &st), 1386018900LL * 1000000000LL);
	assert_int_equal(parse("2013-12-02T19:45:00-0130", &st), 1386018900LL * 1000000000LL);
	assert_int_equal(parse("1970-01-01 00:00:00.000000001", &st), 1);
	assert_int_equal(st.frac, 9);
	assert_int_equal(parse("1969-12-31 23:59:59.5", &st), -500000000);
	assert_int_equal(parse("2000-02-29", &st), 951782400LL * 1000000000LL);
	assert_int_equal(parse("2014-04-10 07:15:00.000000", &st), 1397114100LL * 1000000000LL);
}

static void test_epoch(void **state)
{
	tsd_tstyle st;
	(void)state;
	assert_int_equal(parse("1386018900", &st), 1386018900LL * 1000000000LL);
	assert_int_equal(st.kind, TSD_T_S);
	assert_int_equal(parse("1386018900123", &st), 1386018900123LL * 1000000LL);
	assert_int_equal(st.kind, TSD_T_MS);
	assert_int_equal(parse("1386018900123456", &st), 1386018900123456LL * 1000LL);
	assert_int_equal(st.kind, TSD_T_US);
	assert_int_equal(parse("1386018900123456789", &st), 1386018900123456789LL);
	assert_int_equal(st.kind, TSD_T_NS);
	assert_int_equal(parse("1386018900.25", &st), 1386018900250000000LL);
	assert_int_equal(st.kind, TSD_T_SF);
	assert_int_equal(parse("-5", &st), -5000000000LL);
	/* a forced unit wins over magnitude */
	int64_t ns;
	memset(&st, 0, sizeof st);
	st.kind = TSD_T_MS;
	assert_int_equal(tsd_time_parse(&ns, &st, "5", 1), 0);
	assert_int_equal(ns, 5000000);
}

static void test_roundtrip(void **state)
{
	(void)state;
	/* before 1970: days are floored, not truncated toward zero */
	roundtrip("1969-12-31 23:59:59");
	roundtrip("1969-07-20 20:17:40");
	roundtrip("1900-03-01T00:00:00Z");
	roundtrip("2013-12-02 21:15:00");
	roundtrip("2013-12-02T21:15:00Z");
	roundtrip("2013-12-02T21:15:00.125+05:30");
	roundtrip("2014-04-10 07:15:00.000000");
	roundtrip("1386018900");
	roundtrip("1386018900123");
	roundtrip("1386018900123456789");
	roundtrip("1386018900.250");
	roundtrip("1999-12-31 23:59:59.999999999");
}

static void test_format_fallback(void **state)
{
	char buf[TSD_TIME_MAX];
	tsd_tstyle st = { .kind = TSD_T_S };
	(void)state;
	/* whole seconds print as integers; a fraction is never dropped */
	tsd_time_format(buf, 1500000000, &st);
	assert_string_equal(buf, "1.500000000");
	st.kind = TSD_T_ISO;
	st.sep = 'T';
	tsd_time_format(buf, 1386018900LL * 1000000000LL + 250000000, &st);
	assert_string_equal(buf, "2013-12-02T21:15:00.250");
}

static void test_bad(void **state)
{
	static const char *bad[] = {
		"", "abc", "2013-13-02 00:00:00", "2013-02-30", "2013-02-29",
		"2013-12-02 25:00:00", "2013-12-02 21:15", "2013-12-02X21:15:00",
		"2013-12-02 21:15:00+", "2013-12-02 21:15:00+2", "1.2.3", "12a",
		"2013-12-02 21:15:00.", "99999999999999999999", "2300-01-01 00:00:00",
		"1600-01-01", "99999999999.5",
		"9999999999999999999", "9223372036854775808", "-9223372036854775808", /* past int64 (found by make fuzz) */
	};
	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		int64_t ns;
		tsd_tstyle st = { 0 };
		int rc = tsd_time_parse(&ns, &st, bad[i], strlen(bad[i]));
		if (strcmp(bad[i], "2013-12-02 21:15") == 0) {
			/* minutes without seconds are valid ISO-8601 */
			assert_int_equal(rc, 0);
			continue;
		}
		if (rc == 0)
			fail_msg("'%s' parsed", bad[i]);
	}
}

/* the largest 19-digit time that fits is nanoseconds */
static void test_int64_edge(void **state)
{
	int64_t ns;
	tsd_tstyle st = { 0 };

	(void)state;
	assert_int_equal(tsd_time_parse(&ns, &st, "9223372036854775807", 19), 0);
	assert_true(ns == INT64_MAX);
	assert_int_equal(st.kind, TSD_T_NS);
	assert_int_equal(tsd_time_parse(&ns, &st, "9223372036854775808", 19), TSD_ERANGE);
	assert_int_equal(tsd_time_parse(&ns, &st, "-9223372036854775807", 20), 0);
	assert_true(ns == -INT64_MAX);
}

static void test_civil(void **state)
{
	(void)state;
	for (int64_t d = -800000; d <= 800000; d += 997) {
		int64_t y;
		unsigned m, dd;
		tsd_civil_from_days(&y, &m, &dd, d);
		assert_int_equal(tsd_days_from_civil(y, m, dd), d);
	}
}

static void test_duration(void **state)
{
	int64_t ns;
	(void)state;
	assert_int_equal(tsd_parse_duration(&ns, "5m"), 0);
	assert_int_equal(ns, 300000000000LL);
	assert_int_equal(tsd_parse_duration(&ns, "300"), 0);
	assert_int_equal(ns, 300000000000LL);
	assert_int_equal(tsd_parse_duration(&ns, "1.5h"), 0);
	assert_int_equal(ns, 5400000000000LL);
	assert_int_equal(tsd_parse_duration(&ns, "250ms"), 0);
	assert_int_equal(ns, 250000000LL);
	assert_int_not_equal(tsd_parse_duration(&ns, "5x"), 0);
	assert_int_not_equal(tsd_parse_duration(&ns, "-5m"), 0);
}

/* The date cache gives what a full parse gives, and says when it hit. */
static void test_cache(void **state)
{
	static const char *in[] = {
		"2024-01-01 00:00:00", "2024-01-01 23:59:59", "2024-01-01T12:30:01",
		"2024-01-02 00:00:00", "2024-01-02 24:00:00", "2016-12-31 23:59:60",
		"2024-01-02 00:00:01Z", "2024-01-02 00:00:01.5", "1700000000", "2024-01-02 00:00:02",
		"2024-01-02 00:61:02", "2024-01-02 0a:00:02", "2024-01-02 00:00:02", "2024-01-02 00:00:03",
	};
	tsd_tcache c = { 0 };
	int hits = 0;

	(void)state;
	for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
		tsd_tstyle a = { .kind = TSD_T_ISO }, b = a;
		int64_t ta = 0, tb = 0;
		int ra = tsd_time_parse(&ta, &a, in[i], strlen(in[i]));
		int rb = tsd_time_parse_cached(&c, &tb, &b, in[i], strlen(in[i]));
		if (ra < 0) {
			assert_true(rb < 0);
			continue;
		}
		assert_true(rb >= 0);
		hits += rb;
		assert_true(ta == tb);
	}
	/* hits: 23:59:59 after 00:00:00 (12:30:01 has another separator; the
	 * leap second, 24:00:00, a zone, a fraction and a bad time of the
	 * cached date are parsed in full), and 00:00:03 after 00:00:02 (the
	 * bad times before it left no date) */
	assert_int_equal(hits, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_iso),
		cmocka_unit_test(test_epoch),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_format_fallback),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_int64_edge),
		cmocka_unit_test(test_civil),
		cmocka_unit_test(test_duration),
		cmocka_unit_test(test_cache),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
