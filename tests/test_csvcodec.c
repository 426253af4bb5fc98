/* test_csvcodec.c: the CSV codec on memory buffers: shortest round-trip
 * formatting against printf and strtod, the splitter's rules (quotes,
 * trimming, errors), the record finder on quoted line ends, the one-pass
 * line scan against its definition, and encoded lines that split back into
 * their fields. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvcodec.h"
#include "tsd.h"

static uint64_t next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* The way values were printed before: %.15g, %.16g or %.17g, the first
 * that reads back. */
static void printf_loop(char *buf, size_t len, double v)
{
	for (int p = 15; p <= 17; p++) {
		snprintf(buf, len, "%.*g", p, v);
		if (strtod(buf, NULL) == v)
			return;
	}
}

/* Every double prints as text that reads back as it, never longer than
 * the printf loop's; when %.15g reads back (15 digits or fewer suffice)
 * the text is exactly %.15g's, and when %.16g does, exactly as long. */
static void test_shortest(void **state)
{
	uint64_t s = 88172645463325252ULL;
	char out[TSD_DOUBLE_MAX], ref[40];
	long checked = 0;
	(void)state;
	for (long i = 0; i < 400000; i++) {
		double v;
		uint64_t u = next(&s);
		switch (i % 6) {
		case 0: memcpy(&v, &u, 8); break;                                   /* any bits */
		case 1: v = (double)(u >> 11) * 0x1p-53 * pow(10, (int)(u % 60) - 30); break;
		case 2: v = (double)(int64_t)(u >> 40) / pow(10, (int)(u % 8)); break; /* short decimals */
		case 3: v = 10 + (double)(u >> 11) * 0x1p-53; break;                /* sensor noise */
		case 4: v = ldexp(1.0, (int)(u % 400) - 200); break;                /* powers of two */
		default: v = -(double)(u >> 44); break;                            /* integers */
		}
		if (!isfinite(v))
			continue;
		int n = tsd_format_double(out, v, 0);
		assert_int_equal(n, (int)strlen(out));
		if (strtod(out, NULL) != v && !(v == 0 && strtod(out, NULL) == 0))
			fail_msg("%.17g printed as %s", v, out);
		printf_loop(ref, sizeof ref, v);
		if (strlen(out) > strlen(ref))
			fail_msg("%.17g printed as %s, longer than %s", v, out, ref);
		snprintf(ref, sizeof ref, "%.15g", v);
		if (strtod(ref, NULL) == v) {
			if (strcmp(out, ref))
				fail_msg("%.17g printed as %s, %%.15g gives %s", v, out, ref);
			checked++;
			continue;
		}
		snprintf(ref, sizeof ref, "%.16g", v);
		if (strtod(ref, NULL) == v && strlen(out) != strlen(ref))
			fail_msg("%.17g printed as %s, %%.16g gives %s", v, out, ref);
	}
	assert_true(checked > 100000);
	tsd_format_double(out, 0.1, 0);
	assert_string_equal(out, "0.1");
	tsd_format_double(out, 1e15, 0);
	assert_string_equal(out, "1e+15");
	tsd_format_double(out, 123456789012345.0, 0);
	assert_string_equal(out, "123456789012345");
	tsd_format_double(out, 0.0001, 0);
	assert_string_equal(out, "0.0001");
	tsd_format_double(out, 0.00001, 0);
	assert_string_equal(out, "1e-05");
	tsd_format_double(out, -0.0, 0);
	assert_string_equal(out, "-0");
	tsd_format_double(out, 5e-324, 0);
	assert_true(strtod(out, NULL) == 5e-324);
	tsd_format_double(out, 1.0 / 3, 3);
	assert_string_equal(out, "0.333");
}

/* Decimal text reads as strtod reads it, bit for bit: any double's %.17g
 * and shorter forms, fractions of 1 to 19 digits (the 8-digit and
 * exact-division fast paths), and 18-19 digit mantissas ending in 5 that
 * fall next to halfway points; text that is no number is refused. */
static void test_scan(void **state)
{
	uint64_t s = 1234567ULL;
	char buf[64];
	(void)state;
	for (long i = 0; i < 400000; i++) {
		uint64_t u = next(&s), w = next(&s);
		double a, got, want;
		switch (i % 4) {
		case 0:
			w = (u & ((1ULL << 52) - 1)) | (uint64_t)(1023 - 60 + (int)((u >> 52) % 124)) << 52;
			memcpy(&a, &w, 8);
			snprintf(buf, sizeof buf, "%.17g", a);
			break;
		case 1:
			snprintf(buf, sizeof buf, "%s%llu.%0*llu", u & 1 ? "-" : "", (unsigned long long)(w % 100000),
				 (int)(u % 20), (unsigned long long)(next(&s) % 10000000000000000000ULL));
			break;
		case 2:
			w = (u & ((1ULL << 52) - 1)) | (uint64_t)(1023 - 60 + (int)((u >> 52) % 124)) << 52;
			memcpy(&a, &w, 8);
			snprintf(buf, sizeof buf, "%.*g", (int)(next(&s) % 19) + 1, a);
			break;
		default:
			snprintf(buf, sizeof buf, "%llu5e-%d", (unsigned long long)(w % 1000000000000000000ULL), (int)(u % 20));
		}
		want = strtod(buf, NULL);
		assert_int_equal(tsd_scan_double(&got, buf, strlen(buf)), 0);
		if (memcmp(&got, &want, sizeof got))
			fail_msg("'%s' read as %.17g, strtod gives %.17g", buf, got, want);
	}
	/* the last digits of a field read eight bytes at a time: a field
	 * that is not a number there, or whose last eight bytes reach back
	 * before the point, is read right */
	double got;
	static const char *bad[] = { "12345.678a", "1234567.5e", "123456.7-8", "1.2345678x", "99999999.1 " };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (tsd_scan_double(&got, bad[i], strlen(bad[i])) == 0)
			fail_msg("'%s' read as a number", bad[i]);
	static const char *good[] = { "1234567.5e1", "0.0000001234", "12.3456789", "1234567.8", "-9999999.1",
				      "1.000000000000000005", "0.12345678901234567" };
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		assert_int_equal(tsd_scan_double(&got, good[i], strlen(good[i])), 0);
		if (got != strtod(good[i], NULL))
			fail_msg("'%s' read as %.17g", good[i], got);
	}
}

static void expect_fields(const char *line, int delim, int flags, int n, const char **want)
{
	tsd_csvrow row = { 0 };
	int got = tsd_csv_split(&row, line, strlen(line), delim, flags);

	if (got != n)
		fail_msg("'%s': %d fields, want %d", line, got, n);
	for (int i = 0; i < n; i++) {
		assert_string_equal(tsd_csvrow_field(&row, (size_t)i), want[i]);
		assert_int_equal(row.flen[i], strlen(want[i]));
	}
	tsd_csvrow_free(&row);
}

static void expect_bad(const char *line, const char *why)
{
	tsd_csvrow row = { 0 };

	assert_int_equal(tsd_csv_split(&row, line, strlen(line), ',', TSD_CSV_TRIM), TSD_EFORMAT);
	assert_string_equal(row.why, why);
	tsd_csvrow_free(&row);
}

static void test_split(void **state)
{
	(void)state;
	expect_fields("a,b,c\n", ',', 0, 3, (const char *[]){ "a", "b", "c" });
	expect_fields("a,,\r\n", ',', 0, 3, (const char *[]){ "a", "", "" });
	expect_fields("\"x,\"\"y\"\"\",2", ',', 0, 2, (const char *[]){ "x,\"y\"", "2" });
	expect_fields("\"line\none\",2\n", ',', 0, 2, (const char *[]){ "line\none", "2" });
	expect_fields(" a , \"b \" ,\tc", ',', TSD_CSV_TRIM, 3, (const char *[]){ "a", "b ", "c" });
	expect_fields(" a , b ", ',', 0, 2, (const char *[]){ " a ", " b " });
	/* a tab delimiter trims spaces only */
	expect_fields(" a \t b", '\t', TSD_CSV_TRIM, 2, (const char *[]){ "a", "b" });
	expect_fields("a;\"\";c", ';', 0, 3, (const char *[]){ "a", "", "c" });
	expect_fields("\n", ',', 0, 0, NULL);
	expect_bad("\"a,1", "unterminated quoted field");
	expect_bad("\"a\"x,1", "text after a quoted field");
	expect_bad("a\"b,1", "quote inside an unquoted field");
}

/* The line scan finds what a byte-by-byte reading finds: the line end,
 * the first three delimiters, their count and any quote, on random lines
 * of delimiters, quotes, CRs, line ends and text, from any start in a
 * buffer of exactly its size (so that AddressSanitizer sees any read past
 * it). */
static void test_line_scan(void **state)
{
	static const char alpha[] = ",;\"\rab0x";
	uint64_t s = 99991ULL;
	(void)state;
	for (int i = 0; i < 200000; i++) {
		size_t len = next(&s) % 80, nd = 0;
		unsigned nl = 4u << 2 * (next(&s) % 3); /* a line end in 4, 16 or 64 bytes */
		int delim = next(&s) & 1 ? ',' : ';', quoted = 0;
		char *b = malloc(len ? len : 1);
		const char *want[3] = { NULL, NULL, NULL }, *start, *end;
		tsd_csvline l;
		assert_non_null(b);
		start = b + next(&s) % (len + 1); /* any alignment */
		for (size_t k = 0; k < len; k++)
			b[k] = next(&s) % nl ? alpha[next(&s) % 8] : '\n';
		for (end = start; end < b + len && *end != '\n'; end++)
			if (*end == delim) {
				if (nd < 3)
					want[nd] = end;
				nd++;
			} else if (*end == '"') {
				quoted = 1;
			}
		tsd_csv_line_scan(&l, start, b + len, delim);
		assert_ptr_equal(l.end, end);
		assert_int_equal(l.ndelim, nd);
		assert_int_equal(l.quoted, quoted);
		for (size_t k = 0; k < nd && k < 3; k++)
			assert_ptr_equal(l.delim[k], want[k]);
		free(b);
	}
}

static void test_record_len(void **state)
{
	int open;
	(void)state;
	assert_int_equal(tsd_csv_record_len("a,b\nc", 5, ',', &open), 4);
	/* a line end inside quotes does not end the record */
	assert_int_equal(tsd_csv_record_len("\"a\nb\",c\nd", 9, ',', &open), 8);
	/* a doubled quote inside quotes */
	assert_int_equal(tsd_csv_record_len("\"a\"\"\n\",c\n", 9, ',', &open), 9);
	/* a quote inside an unquoted field quotes nothing */
	assert_int_equal(tsd_csv_record_len("a\"b\nc\"\n", 7, ',', &open), 4);
	/* CR LF, and a lone CR */
	assert_int_equal(tsd_csv_record_len("a\r\nb", 4, ',', &open), 3);
	assert_int_equal(tsd_csv_record_len("a\rb", 3, ',', &open), 2);
	/* not ended yet: a CR at the end, an open quote */
	assert_int_equal(tsd_csv_record_len("a\r", 2, ',', &open), 0);
	assert_int_equal(tsd_csv_record_len("\"a\nb", 4, ',', &open), 0);
	assert_int_equal(open, 1);
	assert_int_equal(tsd_csv_record_len("ab", 2, ',', &open), 0);
	assert_int_equal(open, 0);
}

/* Lines the encoders write split back into the fields they were made of. */
static void test_lines(void **state)
{
	tsd_tstyle ts = { .kind = TSD_T_ISO, .sep = ' ' };
	tsd_csvenc e = { .delim = ',', .precision = 0, .tstyle = &ts };
	char line[TSD_CSV_LINE_MAX(8)];
	tsd_csvrow row = { 0 };
	size_t n;
	(void)state;

	n = tsd_csv_sample_line(line, &e, "s,1", 3, 1704067200000000000LL, 0.1);
	assert_int_equal(n, strlen("\"s,1\",2024-01-01 00:00:00,0.1\n"));
	assert_memory_equal(line, "\"s,1\",2024-01-01 00:00:00,0.1\n", n);
	n = tsd_csv_sample_line(line, &e, NULL, 0, 1704067200000000000LL, -2.5);
	assert_memory_equal(line, "2024-01-01 00:00:00,-2.5\n", n);

	tsd_window w = { .series = 0, .n = 8, .window = -3, .t_first = 1704067200000000000LL,
			 .t_last = 1704067207000000000LL, .levels = 2, .flags = TSD_WIN_SELECTED };
	memcpy(w.wavelet, "haar", 4);
	memcpy(w.mode, "periodization", 13);
	n = tsd_csv_window_line(line, &e, "s", 1, &w);
	assert_memory_equal(line, "s,-3,WS,2,8,2024-01-01 00:00:00,2024-01-01 00:00:07,haar,periodization\n", n);

	tsd_coef_place pl;
	tsd_coef_place_set(&pl, &w);
	double v[2] = { 1.5, -0.25 };
	float sc[2] = { 0.5f, 1 };
	tsd_coefs c = { .series = 0, .level = 1, .kind = TSD_COEF_D, .window = -3, .start = 2,
			.count = 2, .v = v, .score = sc };
	n = tsd_csv_coef_line(line, &e, "s", 1, &c, 1, &pl);
	/* haar level 1 coefficient 3 covers samples 6 and 7 */
	assert_memory_equal(line, "s,-3,D,1,3,2024-01-01 00:00:06,2024-01-01 00:00:07,-0.25,1\n", n);
	assert_int_equal(tsd_csv_split(&row, line, n, ',', 0), 9);

	int64_t t[1] = { 1704067201000000000LL };
	tsd_times tt = { .series = 0, .count = 1, .window = -3, .t = t };
	n = tsd_csv_times_line(line, &e, "s", 1, &tt, 0);
	assert_memory_equal(line, "s,-3,T,,0,2024-01-01 00:00:01,,,\n", n);
	assert_int_equal(tsd_csv_split(&row, line, n, ',', 0), 9);
	tsd_end end = { .series = 0, .window = -3 };
	n = tsd_csv_end_line(line, &e, "s", 1, &end);
	assert_memory_equal(line, "s,-3,E,,,,,,\n", n);
	assert_int_equal(tsd_csv_split(&row, line, n, ',', 0), 9);
	/* with the range of the window's samples, written exactly */
	end.has_range = 1, end.lo = -0.1, end.hi = 1e300;
	n = tsd_csv_end_line(line, &e, "s", 1, &end);
	assert_memory_equal(line, "s,-3,E,,,,,-0.1,1e+300\n", n);
	assert_int_equal(tsd_csv_split(&row, line, n, ',', 0), 9);
	tsd_csvrow_free(&row);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shortest),
		cmocka_unit_test(test_scan),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_line_scan),
		cmocka_unit_test(test_record_len),
		cmocka_unit_test(test_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
