/* test_events.c: event windows from JSON and CSV: the real NAB file
 * against testdata/events/anomaly_windows.ref.txt (written by
 * scripts/gen-events-ref.py with Python's json and datetime), name
 * lookup, JSON escapes and numbers, and malformed inputs with the exact
 * line and message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "tsd.h"

#define S(x) (x), strlen(x)
/* 2014-04-10 07:15:00 UTC, from the reference file's first line */
#define T0 1397114100000000000LL

static void data_path(char *path, size_t len, const char *name)
{
	const char *dir = getenv("TSD_TESTDATA");

	snprintf(path, len, "%s/events/%s", dir ? dir : "testdata", name);
}

static void test_nab_file(void **state)
{
	struct tsd_events ev;
	char path[512], line[512], name[256], err[256];
	long long t0, t1;
	size_t total = 0, wins = 0, si = 0, wi = 0, i;
	FILE *f;

	(void)state;
	data_path(path, sizeof path, "anomaly_windows.json");
	if (tsd_events_load(&ev, path, err, sizeof err) != 0)
		fail_msg("%s", err);
	data_path(path, sizeof path, "anomaly_windows.ref.txt");
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s (run from the repository root)", path);
	/* the reference lists windows in file order: walk both together */
	while (fgets(line, sizeof line, f)) {
		if (line[0] == '#')
			continue;
		assert_int_equal(sscanf(line, "%255s %lld %lld", name, &t0, &t1), 3);
		if (si < ev.ns && wi == ev.s[si].nw) {
			si++;
			wi = 0;
		}
		assert_true(si < ev.ns);
		assert_string_equal(ev.s[si].name, name);
		assert_int_equal(ev.s[si].w[wi].start, t0);
		assert_int_equal(ev.s[si].w[wi].end, t1);
		wi++;
		total++;
	}
	fclose(f);
	for (i = 0; i < ev.ns; i++)
		wins += ev.s[i].nw;
	assert_int_equal(ev.ns, 19);
	assert_int_equal(wins, 31);
	assert_int_equal(total, 31);
	assert_int_equal(ev.s[0].w[0].start, T0);
	/* a tool may strip ".csv" or not */
	assert_ptr_equal(tsd_events_find(&ev, "art_daily_flatmiddle"), &ev.s[0]);
	assert_ptr_equal(tsd_events_find(&ev, "art_daily_flatmiddle.csv"), &ev.s[0]);
	assert_null(tsd_events_find(&ev, "art_daily"));
	assert_null(tsd_events_find(&ev, "art_daily_flatmiddle.cs"));
	tsd_events_free(&ev);
	assert_int_equal(ev.ns, 0);
	tsd_events_free(&ev);   /* twice is harmless */
}

static void test_find_exact_wins(void **state)
{
	const char *in = "{\"a\": [], \"a.csv\": [[0, 1]], \"b.csv\": []}";
	struct tsd_events ev;

	(void)state;
	assert_int_equal(tsd_events_read_json(&ev, S(in), NULL, 0), 0);
	assert_int_equal(ev.ns, 3);
	assert_ptr_equal(tsd_events_find(&ev, "a"), &ev.s[0]);
	assert_ptr_equal(tsd_events_find(&ev, "a.csv"), &ev.s[1]);
	assert_ptr_equal(tsd_events_find(&ev, "b"), &ev.s[2]);
	assert_ptr_equal(tsd_events_find(&ev, "b.csv"), &ev.s[2]);
	assert_null(tsd_events_find(&ev, "c"));
	tsd_events_free(&ev);
}

static void test_json_features(void **state)
{
	/* escapes: \" \\ \/ \n, \u00e9 (e acute, 2 bytes UTF-8), a surrogate
	 * pair for U+1F600 (4 bytes); numbers are epoch seconds; the same
	 * instant written with Z, with +02:00 and with no zone */
	const char *in =
		" {\n"
		"  \"x\\\"y\\\\z\\/\\n\\u00e9\\ud83d\\ude00\" : [ [0, 1.5e0], [-1, 0] ],\n"
		"  \"zones\": [[\"2014-04-10T07:15:00Z\", \"2014-04-10 09:15:00+02:00\"],\n"
		"            [\"2014-04-10 07:15:00\", \"2014-04-10T07:15:00.000000001\"]],\n"
		"  \"empty\": []\n"
		"}\n";
	struct tsd_events ev;
	char err[128];

	(void)state;
	if (tsd_events_read_json(&ev, S(in), err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_int_equal(ev.ns, 3);
	assert_string_equal(ev.s[0].name, "x\"y\\z/\n\xc3\xa9\xf0\x9f\x98\x80");
	assert_int_equal(ev.s[0].nw, 2);
	assert_int_equal(ev.s[0].w[0].start, 0);
	assert_int_equal(ev.s[0].w[0].end, 1500000000);
	assert_int_equal(ev.s[0].w[1].start, -1000000000);
	assert_int_equal(ev.s[1].w[0].start, T0);
	assert_int_equal(ev.s[1].w[0].end, T0);
	assert_int_equal(ev.s[1].w[1].start, T0);
	assert_int_equal(ev.s[1].w[1].end, T0 + 1);
	assert_int_equal(ev.s[2].nw, 0);
	tsd_events_free(&ev);
	assert_int_equal(tsd_events_read_json(&ev, S("{}"), NULL, 0), 0);
	assert_int_equal(ev.ns, 0);
}

struct bad {
	const char *in;
	int code;
	const char *msg;
};

static void check_bad(const struct bad *b, size_t nb, int json)
{
	struct tsd_events ev;
	char err[160];
	size_t i;
	int rc;

	for (i = 0; i < nb; i++) {
		memset(err, 'x', sizeof err);
		ev.ns = 99;
		rc = json ? tsd_events_read_json(&ev, S(b[i].in), err, sizeof err) :
			tsd_events_read_csv(&ev, S(b[i].in), err, sizeof err);
		if (rc != b[i].code || strcmp(err, b[i].msg) != 0)
			fail_msg("case %zu: got %d \"%s\", want %d \"%s\"", i, rc,
				 rc ? err : "", b[i].code, b[i].msg);
		assert_int_equal(ev.ns, 0);
		assert_null(ev.s);
	}
}

static void test_json_malformed(void **state)
{
	static const struct bad b[] = {
		{ "", TSD_EFORMAT, "line 1: expected '{' at the start, found end of input" },
		{ "// c\n{}", TSD_EFORMAT, "line 1: expected '{' at the start, found an unexpected character" },
		{ "{\"a\": [],\n}", TSD_EFORMAT, "line 2: expected a string, found '}'" },
		{ "{\"a\": []} x", TSD_EFORMAT, "line 1: trailing an unexpected character after the object" },
		{ "{\"a\": []}\n{}", TSD_EFORMAT, "line 2: trailing '{' after the object" },
		{ "{\"a\": [],\n\"b\": [],\n\"a\": []}", TSD_EFORMAT, "line 3: duplicate key \"a\"" },
		{ "{\"a\"\n []}", TSD_EFORMAT, "line 2: expected ':' after a key, found '['" },
		{ "{\"a\": {}}", TSD_EFORMAT, "line 1: expected '[' to open the list of windows, found '{'" },
		{ "{\"a\": [[1, 2, 3]]}", TSD_EFORMAT, "line 1: expected ']' after a window's end, found ','" },
		{ "{\"a\": [[1]]}", TSD_EFORMAT, "line 1: expected ',' between start and end, found ']'" },
		{ "{\"a\": [[1, 2]] [[3, 4]]}", TSD_EFORMAT, "line 1: expected ',' or '}' after a series, found '['" },
		{ "{\"a\": [[1, 2] [3, 4]]}", TSD_EFORMAT, "line 1: expected ',' or ']' after a window, found '['" },
		{ "{\"a\": [[01, 2]]}", TSD_EFORMAT, "line 1: expected ',' between start and end, found a number" },
		{ "{\"a\": [[-, 2]]}", TSD_EFORMAT, "line 1: malformed number" },
		{ "{\"a\": [[1., 2]]}", TSD_EFORMAT, "line 1: malformed number" },
		{ "{\"a\": [[1e, 2]]}", TSD_EFORMAT, "line 1: malformed number" },
		{ "{\"a\": [[true, 2]]}", TSD_EFORMAT, "line 1: expected a time, found an unexpected character" },
		{ "{\"a\": [[1e300, 2]]}", TSD_ERANGE, "line 1: time 1e+300 s out of range" },
		{ "{\"a\\q\": []}", TSD_EFORMAT, "line 1: bad escape '\\q' in string" },
		{ "{\"a\\u12\": []}", TSD_EFORMAT, "line 1: bad \\u escape in string" },
		{ "{\"a\\ud800\": []}", TSD_EFORMAT, "line 1: bad \\u escape in string" },
		{ "{\"a\\udc00\": []}", TSD_EFORMAT, "line 1: bad \\u escape in string" },
		{ "{\"a\\u0000\": []}", TSD_EFORMAT, "line 1: \\u0000 in string" },
		{ "{\n\"a\nb\": []}", TSD_EFORMAT, "line 2: control character 0x0a in string" },
		{ "{\"a\": [[\"2014-01-01 00:00:00", TSD_EFORMAT, "line 1: unterminated string" },
		{ "{\"a\": [[\"2014-01-01 00:00:00\"", TSD_EFORMAT, "line 1: expected ',' between start and end, found end of input" },
		{ "{\"a\":\n [[\"2014-13-01 00:00:00\", \"2014-01-01 00:00:00\"]]}",
		  TSD_ERANGE, "line 2: bad time \"2014-13-01 00:00:00\": value out of range" },
		/* int64 ns reach 1677-09-21 .. 2262-04-11; whole years 1678..2261 are taken */
		{ "{\"a\": [[\"2262-04-11 00:00:00\", 2]]}", TSD_ERANGE,
		  "line 1: bad time \"2262-04-11 00:00:00\": value out of range" },
		{ "{\"a\": [[\"1677-12-31 00:00:00\", 2]]}", TSD_ERANGE,
		  "line 1: bad time \"1677-12-31 00:00:00\": value out of range" },
		{ "{\"a\": [[\"yesterday\", 2]]}", TSD_EFORMAT, "line 1: bad time \"yesterday\": malformed input" },
		{ "{\"a\": [[\"1397114100\", 2]]}", TSD_EFORMAT, "line 1: bad time \"1397114100\": malformed input" },
		{ "{\n\"a\": [[\"2014-04-02 00:00:00\",\n \"2014-04-01 00:00:00\"]]}",
		  TSD_EINVAL, "line 3: window ends before it starts" },
	};

	(void)state;
	check_bad(b, sizeof b / sizeof b[0], 1);
}

static void test_csv(void **state)
{
	/* a header, CRLF, a comment, a blank line, quotes, the series "a"
	 * twice and not adjacent, epoch seconds and ISO mixed */
	const char *in =
		"series,start,end\r\n"
		"a.csv,2014-04-10 07:15:00.000000,2014-04-10 07:15:00.5\r\n"
		"# a comment\n"
		"\n"
		"\"b,\"\"q\"\"\",1397114100,\"2014-04-10T07:15:01Z\"\n"
		"a.csv,0,0";
	const char *noheader = "x,2014-04-10 07:15:00,2014-04-10 07:15:00\n";
	struct tsd_events ev;
	char err[128];

	(void)state;
	if (tsd_events_read_csv(&ev, S(in), err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_int_equal(ev.ns, 2);
	assert_string_equal(ev.s[0].name, "a.csv");
	assert_int_equal(ev.s[0].nw, 2);
	assert_int_equal(ev.s[0].w[0].start, T0);
	assert_int_equal(ev.s[0].w[0].end, T0 + 500000000);
	assert_int_equal(ev.s[0].w[1].start, 0);
	assert_string_equal(ev.s[1].name, "b,\"q\"");
	assert_int_equal(ev.s[1].w[0].start, T0);
	assert_int_equal(ev.s[1].w[0].end, T0 + 1000000000);
	assert_ptr_equal(tsd_events_find(&ev, "a"), &ev.s[0]);
	tsd_events_free(&ev);
	if (tsd_events_read_csv(&ev, S(noheader), err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_int_equal(ev.ns, 1);
	assert_int_equal(ev.s[0].w[0].start, T0);
	tsd_events_free(&ev);
	assert_int_equal(tsd_events_read_csv(&ev, S(""), err, sizeof err), 0);
	assert_int_equal(ev.ns, 0);
}

static void test_csv_malformed(void **state)
{
	static const struct bad b[] = {
		{ "series,start,end\na,1", TSD_EFORMAT, "line 2: expected 3 fields (series,start,end), got 2" },
		{ "a,1,2,3", TSD_EFORMAT, "line 1: more than 3 fields (series,start,end)" },
		{ "a,1,2\n\n,1,2", TSD_EFORMAT, "line 3: empty series name" },
		{ "a,1,2\nb,2014-02-30 00:00:00,2", TSD_ERANGE, "line 2: bad start time \"2014-02-30 00:00:00\": value out of range" },
		{ "a,1,2\nb,1,later", TSD_EFORMAT, "line 2: bad end time \"later\": malformed input" },
		{ "a,99999999999.5,2", TSD_ERANGE, "line 1: bad start time \"99999999999.5\": value out of range" },
		{ "a,-9223372036.5,2", TSD_ERANGE, "line 1: bad start time \"-9223372036.5\": value out of range" },
		{ "a,2,1", TSD_EINVAL, "line 1: window ends before it starts" },
		{ "\"a,1,2", TSD_EFORMAT, "line 1: unterminated quoted field" },
		{ "\"a\"x,1,2", TSD_EFORMAT, "line 1: text after a quoted field" },
		{ "a\"b,1,2", TSD_EFORMAT, "line 1: quote inside an unquoted field" },
		/* only the first line may be a header */
		{ "a,1,2\nseries,start,end", TSD_EFORMAT, "line 2: bad start time \"start\": malformed input" },
	};

	(void)state;
	check_bad(b, sizeof b / sizeof b[0], 0);
}

static void test_load_errors(void **state)
{
	struct tsd_events ev;
	char err[256];

	(void)state;
	assert_int_equal(tsd_events_load(&ev, "/nonexistent/x.json", err, sizeof err), TSD_EIO);
	assert_string_equal(err, "/nonexistent/x.json: No such file or directory");
	assert_int_equal(ev.ns, 0);
}

static uint64_t rnd(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return *s >> 33;
}

/* Mangled inputs (bytes replaced, deleted, cut short) must either parse
 * or fail with "line N: ..." and an empty result; run under ASan by
 * `make check`, this is a small deterministic fuzz. */
static void test_mangled(void **state)
{
	static const char *const seeds[] = {
		"{\"a.csv\": [[\"2014-04-10 07:15:00.000000\", \"2014-04-11 16:45:00\"],\n"
		" [1.5, 2e1]], \"b\\u00e9\": []}\n",
		"series,start,end\na,2014-04-10 07:15:00,2014-04-10T08:00:00Z\n\"b\"\"\",1,2\n",
	};
	static const char alphabet[] = "{}[],:\"\\u0123456789-+.eE \nZT:x\r";
	char buf[256];
	struct tsd_events ev;
	uint64_t seed = 1;
	char err[160];
	size_t round, len, k;
	int s, rc;

	(void)state;
	for (round = 0; round < 20000; round++) {
		s = (int)(round & 1);
		len = strlen(seeds[s]);
		memcpy(buf, seeds[s], len);
		for (k = 1 + rnd(&seed) % 3; k-- > 0 && len > 0;) {
			size_t at = rnd(&seed) % len;
			switch (rnd(&seed) % 3) {
			case 0:
				buf[at] = alphabet[rnd(&seed) % (sizeof alphabet - 1)];
				break;
			case 1:
				memmove(buf + at, buf + at + 1, len - at - 1);
				len--;
				break;
			default:
				len = at + 1;
			}
		}
		err[0] = 0;
		rc = s ? tsd_events_read_csv(&ev, buf, len, err, sizeof err) :
			tsd_events_read_json(&ev, buf, len, err, sizeof err);
		if (rc < 0) {
			if (strncmp(err, "line ", 5) != 0)
				fail_msg("round %zu: error %d without a line: \"%s\"", round, rc, err);
			assert_int_equal(ev.ns, 0);
		} else {
			assert_int_equal(rc, 0);
			for (k = 0; k < ev.ns; k++)
				for (size_t j = 0; j < ev.s[k].nw; j++)
					assert_true(ev.s[k].w[j].start <= ev.s[k].w[j].end);
			tsd_events_free(&ev);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nab_file),
		cmocka_unit_test(test_find_exact_wins),
		cmocka_unit_test(test_json_features),
		cmocka_unit_test(test_json_malformed),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_csv_malformed),
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_mangled),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
