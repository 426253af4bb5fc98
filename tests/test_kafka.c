/* test_kafka.c: client properties (-X, -F) and message payloads: CSV and
 * binary decoding, encoding, and round trips through both. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kafka.h"
#include "tsd.h"

static void conf_set(void **state)
{
	tsd_kconf *c;
	char err[128];
	const char *n, *v;

	(void)state;
	assert_int_equal(tsd_kconf_new(&c), 0);
	assert_int_equal(tsd_kconf_set(c, "bootstrap.servers=a:1", err, sizeof err), 0);
	assert_int_equal(tsd_kconf_set(c, "linger.ms=5", err, sizeof err), 0);
	assert_int_equal(tsd_kconf_set(c, "bootstrap.servers=b:2,c:3", err, sizeof err), 0);
	assert_int_equal(tsd_kconf_set(c, "x=a=b", err, sizeof err), 0);
	assert_int_equal(tsd_kconf_set(c, "empty=", err, sizeof err), 0);
	assert_int_equal(tsd_kconf_count(c), 4);
	tsd_kconf_item(c, 0, &n, &v);   /* replaced in place, order kept */
	assert_string_equal(n, "bootstrap.servers");
	assert_string_equal(v, "b:2,c:3");
	assert_string_equal(tsd_kconf_get(c, "x"), "a=b");
	assert_string_equal(tsd_kconf_get(c, "empty"), "");
	assert_null(tsd_kconf_get(c, "nope"));
	assert_int_equal(tsd_kconf_set(c, "novalue", err, sizeof err), TSD_EINVAL);
	assert_string_equal(err, "'novalue' is not name=value");
	assert_int_equal(tsd_kconf_set(c, "=x", err, sizeof err), TSD_EINVAL);
	assert_int_equal(tsd_kconf_take(c, "linger.ms"), 1);
	assert_int_equal(tsd_kconf_take(c, "linger.ms"), 0);
	assert_int_equal(tsd_kconf_count(c), 3);
	tsd_kconf_free(c);
}

static void conf_file(void **state)
{
	tsd_kconf *c;
	char err[256], path[] = "/tmp/tsd_kconf_XXXXXX";
	int fd;

	(void)state;
	assert_int_equal(tsd_kconf_new(&c), 0);
	assert_int_equal(tsd_kconf_file(c, "testdata/kafka/client.properties", err, sizeof err), 0);
	assert_int_equal(tsd_kconf_count(c), 4);
	assert_string_equal(tsd_kconf_get(c, "bootstrap.servers"), "127.0.0.1:9092");
	assert_string_equal(tsd_kconf_get(c, "client.id"), "tsdown test");
	assert_string_equal(tsd_kconf_get(c, "sasl.jaas.config"), "a=b c=d");
	assert_int_equal(tsd_kconf_file(c, "/nonexistent/x.properties", err, sizeof err), TSD_EIO);
	assert_string_equal(err, "/nonexistent/x.properties: No such file or directory");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "a=1\n\n# c\nbroken line\n", 21), 21);
	close(fd);
	assert_int_equal(tsd_kconf_file(c, path, err, sizeof err), TSD_EFORMAT);
	char want[300];
	snprintf(want, sizeof want, "%s:4: expected name=value", path);
	assert_string_equal(err, want);
	unlink(path);
	tsd_kconf_free(c);
}

/* 2024-01-01T00:00:00Z in ns */
#define T0 1704067200000000000LL

static void dec_csv(void **state)
{
	tsd_series_tab *tab = tsd_series_new();
	tsd_kdec *d;
	tsd_rec r;
	const char *p = "series,timestamp,value\n"
			"s1,2024-01-01 00:00:00,1.5\r\n"
			"# comment\n"
			"\n"
			"\"a,b\",2024-01-01 00:00:01,-2\n"
			"s1,2024-01-01 00:00:02,\n"       /* missing */
			"s1,2024-01-01 00:00:03,nan\n"    /* missing */
			"s1,1704067204,4";                /* no final newline */

	(void)state;
	assert_non_null(tab);
	assert_int_equal(tsd_kdec_new(&d, tab, 0), 0);
	assert_int_equal(tsd_kdec_open(d, p, strlen(p), NULL, 0), 0);
	assert_int_equal(tsd_kdec_next(d, &r), 1);
	assert_int_equal(r.kind, TSD_REC_SAMPLE);
	assert_string_equal(tsd_series_name(tab, r.s.series), "s1");
	assert_int_equal(r.s.t, T0);
	assert_true(r.s.v == 1.5);
	size_t rl;
	int keyed;
	const char *raw = tsd_kdec_raw(d, &rl, &keyed);
	assert_int_equal(rl, 26);                   /* the CR is not part of it */
	assert_memory_equal(raw, "s1,2024-01-01 00:00:00,1.5", rl);
	assert_int_equal(keyed, 0);
	assert_int_equal(tsd_kdec_next(d, &r), 1);
	assert_string_equal(tsd_series_name(tab, r.s.series), "a,b");
	assert_int_equal(r.s.t, T0 + 1000000000LL);
	assert_true(r.s.v == -2);
	assert_int_equal(tsd_kdec_next(d, &r), 1);
	assert_int_equal(r.s.t, T0 + 4000000000LL);
	assert_true(r.s.v == 4);
	assert_int_equal(tsd_kdec_tstyle(d)->kind, TSD_T_S);
	assert_int_equal(tsd_kdec_next(d, &r), 0);

	/* time,value: the key names the series */
	p = "timestamp,value\n2024-01-01 00:00:00,7\n";
	assert_int_equal(tsd_kdec_open(d, p, strlen(p), "keyed", 5), 0);
	assert_int_equal(tsd_kdec_next(d, &r), 1);
	assert_string_equal(tsd_series_name(tab, r.s.series), "keyed");
	raw = tsd_kdec_raw(d, &rl, &keyed);
	assert_int_equal(keyed, 1);
	assert_memory_equal(raw, "2024-01-01 00:00:00,7", rl);
	assert_int_equal(tsd_kdec_next(d, &r), 0);
	assert_int_equal(tsd_kdec_open(d, p, strlen(p), NULL, 0), 0);
	assert_int_equal(tsd_kdec_next(d, &r), TSD_EFORMAT);
	assert_string_equal(tsd_kdec_errmsg(d), "line 2: time,value without a key naming the series");

	/* errors name the line */
	p = "s1,2024-01-01 00:00:00,1\ns1,yesterday,2\n";
	assert_int_equal(tsd_kdec_open(d, p, strlen(p), NULL, 0), 0);
	assert_int_equal(tsd_kdec_next(d, &r), 1);
	assert_int_equal(tsd_kdec_next(d, &r), TSD_EFORMAT);
	assert_string_equal(tsd_kdec_errmsg(d), "line 2: bad time 'yesterday'");
	p = "s1,2024-01-01 00:00:00,inf";
	assert_int_equal(tsd_kdec_open(d, p, strlen(p), NULL, 0), 0);
	assert_int_equal(tsd_kdec_next(d, &r), TSD_EFORMAT);
	assert_string_equal(tsd_kdec_errmsg(d), "line 1: bad value 'inf'");
	p = "garbage";
	assert_int_equal(tsd_kdec_open(d, p, strlen(p), NULL, 0), 0);
	assert_int_equal(tsd_kdec_next(d, &r), TSD_EFORMAT);
	assert_string_equal(tsd_kdec_errmsg(d), "line 1: expected series,time,value or time,value: 'garbage'");
	p = "a,b,c,d";
	assert_int_equal(tsd_kdec_open(d, p, strlen(p), NULL, 0), 0);
	assert_int_equal(tsd_kdec_next(d, &r), TSD_EFORMAT);
	assert_string_equal(tsd_kdec_errmsg(d), "line 1: expected series,time,value or time,value: 'a,b,c,d'");
	p = "s1,2024-01-01 00:00:00,1,,,,,,,,,,,,,,,,,,,,\n";
	assert_int_equal(tsd_kdec_open(d, p, strlen(p), NULL, 0), 0);
	assert_int_equal(tsd_kdec_next(d, &r), TSD_EFORMAT);
	assert_string_equal(tsd_kdec_errmsg(d), "line 1: expected series,time,value or time,value: "
			    "'s1,2024-01-01 00:00:00,1,,,,,,,,,,,,,,,,,,,,'");
	p = "\r\r\n";
	assert_int_equal(tsd_kdec_open(d, p, strlen(p), NULL, 0), 0);
	assert_int_equal(tsd_kdec_next(d, &r), TSD_EFORMAT);
	assert_string_equal(tsd_kdec_errmsg(d), "line 1: expected series,time,value or time,value: '\r'");
	p = "\"open,2024-01-01,1";
	assert_int_equal(tsd_kdec_open(d, p, strlen(p), NULL, 0), 0);
	assert_int_equal(tsd_kdec_next(d, &r), TSD_EFORMAT);
	tsd_kdec_free(d);
	tsd_series_free(tab);
}

/* Series names through the decoder's memory of the last one: names that
 * change line by line, a key, and a name the table refuses (which must
 * not be remembered). */
static void dec_names(void **state)
{
	tsd_series_tab *tab = tsd_series_new();
	tsd_kdec *d;
	tsd_rec r;
	const char *p = "s1,2024-01-01 00:00:00,1\n"
			"s1,2024-01-01 00:00:01,2\r\r\n"   /* the second CR is trimmed off the value */
			"s10,2024-01-01 00:00:02,3\n"
			"s1,2024-01-01 00:00:03,4\n"
			"2024-01-01 00:00:04,5\n"
			"s2,2024-01-01 00:00:05,6\n"
			"s1,2024-01-01 00:00:06,7";
	uint32_t want[] = { 0, 0, 1, 0, 2, 3, 0 };

	(void)state;
	assert_non_null(tab);
	assert_int_equal(tsd_kdec_new(&d, tab, 0), 0);
	assert_int_equal(tsd_kdec_open(d, p, strlen(p), "s", 1), 0);
	for (int i = 0; i < 7; i++) {
		assert_int_equal(tsd_kdec_next(d, &r), 1);
		assert_int_equal(r.s.series, want[i]);
		assert_true(r.s.v == i + 1);
	}
	assert_int_equal(tsd_kdec_next(d, &r), 0);
	assert_string_equal(tsd_series_name(tab, 1), "s10");
	assert_string_equal(tsd_series_name(tab, 2), "s");
	assert_int_equal(tsd_series_set_max(tab, 5), 0);
	p = "new,2024-01-01 00:00:00,1\n";
	assert_int_equal(tsd_kdec_open(d, p, strlen(p), NULL, 0), 0);
	assert_int_equal(tsd_kdec_next(d, &r), 1);
	assert_int_equal(r.s.series, 4);
	p = "over,2024-01-01 00:00:00,1\n";
	assert_int_equal(tsd_kdec_open(d, p, strlen(p), NULL, 0), 0);
	assert_int_equal(tsd_kdec_next(d, &r), TSD_ELIMIT);
	assert_int_equal(tsd_kdec_open(d, p, strlen(p), NULL, 0), 0);
	assert_int_equal(tsd_kdec_next(d, &r), TSD_ELIMIT);
	tsd_kdec_free(d);
	tsd_series_free(tab);
}

static void enc_csv(void **state)
{
	tsd_series_tab *tab = tsd_series_new();
	tsd_tstyle ts = { .kind = TSD_T_ISO, .sep = ' ' };
	tsd_kenc *e;
	tsd_rec r = { .kind = TSD_REC_SAMPLE };
	size_t len;
	const char *p;

	(void)state;
	assert_int_equal(tsd_kenc_new(&e, TSD_KFMT_CSV, tab, &ts, 0), 0);
	assert_int_equal(tsd_series_intern(&r.s.series, tab, "q\"x", 3), 0);
	r.s.t = T0 + 300000000000LL;
	r.s.v = 0.1;
	assert_int_equal(tsd_kenc_put(e, &r), 1);
	p = tsd_kenc_data(e, &len);
	assert_int_equal(len, strlen("\"q\"\"x\",2024-01-01 00:05:00,0.1"));
	assert_memory_equal(p, "\"q\"\"x\",2024-01-01 00:05:00,0.1", len);
	assert_int_equal(tsd_kenc_series(e), r.s.series);
	ts.kind = TSD_T_MS; /* read at every call */
	assert_int_equal(tsd_kenc_put(e, &r), 1);
	p = tsd_kenc_data(e, &len);
	assert_memory_equal(p, "\"q\"\"x\",1704067500000,0.1", len);
	r.kind = TSD_REC_END;
	assert_int_equal(tsd_kenc_put(e, &r), TSD_EUNSUP);
	tsd_kenc_free(e);
	assert_int_equal(tsd_kenc_new(&e, 7, tab, &ts, 0), TSD_EINVAL);
	tsd_series_free(tab);
}

/* encoder -> decoder, both formats, into a second series table */
static void round_trip(void **state)
{
	tsd_series_tab *a = tsd_series_new(), *b = tsd_series_new();
	tsd_tstyle ts = { .kind = TSD_T_NS };
	tsd_kenc *e;
	tsd_kdec *d;
	tsd_rec r = { .kind = TSD_REC_SAMPLE }, o;
	size_t len;
	const void *p;
	uint32_t other;

	(void)state;
	assert_int_equal(tsd_series_intern(&other, a, "zzz", 3), 0);
	assert_int_equal(tsd_series_intern(&r.s.series, a, "sensor 7", 8), 0);
	assert_int_equal(tsd_kdec_new(&d, b, 0), 0);
	for (int f = TSD_KFMT_CSV; f <= TSD_KFMT_BIN; f++) {
		assert_int_equal(tsd_kenc_new(&e, f, a, &ts, 0), 0);
		r.s.t = T0 + 123456789;
		r.s.v = 1.0 / 3;
		assert_int_equal(tsd_kenc_put(e, &r), 1);
		p = tsd_kenc_data(e, &len);
		if (f == TSD_KFMT_BIN)
			assert_int_equal(((const unsigned char *)p)[0], 0x89);
		/* decode from an odd address: the decoder must not need alignment */
		unsigned char *odd = malloc(len + 1);
		memcpy(odd + 1, p, len);
		assert_int_equal(tsd_kdec_open(d, odd + 1, len, NULL, 0), 0);
		assert_int_equal(tsd_kdec_next(d, &o), 1);
		assert_int_equal(o.kind, TSD_REC_SAMPLE);
		assert_string_equal(tsd_series_name(b, o.s.series), "sensor 7");
		assert_int_equal(o.s.t, r.s.t);
		assert_true(o.s.v == r.s.v);
		assert_int_equal(tsd_kdec_next(d, &o), 0);
		free(odd);
		tsd_kenc_free(e);
	}

	/* a window of coefficients is one binary message */
	double v[3] = { 1, 2, 3 };
	float sc[3] = { 0.5f, 0.25f, 0.125f };
	int64_t tt[2] = { T0, T0 + 7 };
	tsd_rec w = { .kind = TSD_REC_WINDOW };
	w.w.series = r.s.series;
	w.w.n = 2;
	w.w.window = 42;
	w.w.t_first = tt[0];
	w.w.t_last = tt[1];
	w.w.levels = 1;
	w.w.flags = TSD_WIN_IRREGULAR;
	strcpy(w.w.wavelet, "haar");
	strcpy(w.w.mode, "periodization");
	tsd_rec t = { .kind = TSD_REC_TIMES };
	t.ts.series = r.s.series, t.ts.count = 2, t.ts.window = 42, t.ts.t = tt;
	tsd_rec c = { .kind = TSD_REC_COEF };
	c.c.series = r.s.series, c.c.level = 1, c.c.kind = TSD_COEF_D, c.c.window = 42;
	c.c.start = 5, c.c.count = 3, c.c.v = v, c.c.score = sc, c.c.flags = TSD_COEF_SCORED;
	tsd_rec en = { .kind = TSD_REC_END };
	en.e.series = r.s.series, en.e.window = 42;
	assert_int_equal(tsd_kenc_new(&e, TSD_KFMT_BIN, a, &ts, 0), 0);
	assert_int_equal(tsd_kenc_put(e, &c), TSD_EFORMAT); /* no window open */
	assert_int_equal(tsd_kenc_put(e, &w), 0);
	assert_int_equal(tsd_kenc_put(e, &r), TSD_EFORMAT); /* a sample inside */
	assert_int_equal(tsd_kenc_put(e, &t), 0);
	assert_int_equal(tsd_kenc_put(e, &c), 0);
	assert_int_equal(tsd_kenc_put(e, &en), 1);
	p = tsd_kenc_data(e, &len);
	assert_int_equal(tsd_kdec_open(d, p, len, NULL, 0), 0);
	assert_int_equal(tsd_kdec_next(d, &o), 1);
	assert_int_equal(o.kind, TSD_REC_WINDOW);
	assert_string_equal(tsd_series_name(b, o.w.series), "sensor 7");
	assert_int_equal(o.w.window, 42);
	assert_int_equal(o.w.n, 2);
	assert_string_equal(o.w.mode, "periodization");
	assert_int_equal(o.w.flags, TSD_WIN_IRREGULAR);
	assert_int_equal(tsd_kdec_next(d, &o), 1);
	assert_int_equal(o.kind, TSD_REC_TIMES);
	assert_int_equal(o.ts.t[1], tt[1]);
	assert_int_equal(tsd_kdec_next(d, &o), 1);
	assert_int_equal(o.kind, TSD_REC_COEF);
	assert_int_equal(o.c.start, 5);
	assert_int_equal(o.c.count, 3);
	assert_int_equal(o.c.kind, TSD_COEF_D);
	assert_true(o.c.v[2] == 3);
	assert_non_null(o.c.score);
	assert_true(o.c.score[1] == 0.25f);
	assert_int_equal(tsd_kdec_next(d, &o), 1);
	assert_int_equal(o.kind, TSD_REC_END);
	assert_int_equal(o.e.window, 42);
	assert_int_equal(tsd_kdec_next(d, &o), 0);

	/* truncated binary payloads are errors, never a silent end */
	for (size_t cut = 1; cut < len; cut++) {
		int rc;
		assert_int_equal(tsd_kdec_open(d, p, cut, NULL, 0), 0);
		while ((rc = tsd_kdec_next(d, &o)) == 1)
			;
		if (rc == 0)
			fail_msg("payload cut at %zu read as complete", cut);
	}
	tsd_kenc_free(e);
	tsd_kdec_free(d);
	tsd_series_free(a);
	tsd_series_free(b);
}

/* --batch: samples of each series gather into messages of n, in order;
 * flush completes the rest; the decoder reads them all back */
static void batch(void **state)
{
	tsd_series_tab *a = tsd_series_new(), *b = tsd_series_new();
	tsd_tstyle ts = { .kind = TSD_T_NS };
	tsd_kenc *e;
	tsd_kdec *d;
	tsd_rec r = { .kind = TSD_REC_SAMPLE }, o;
	uint32_t sid[2];
	size_t len;
	const void *p;

	(void)state;
	assert_int_equal(tsd_series_intern(&sid[0], a, "a", 1), 0);
	assert_int_equal(tsd_series_intern(&sid[1], a, "b", 1), 0);
	assert_int_equal(tsd_kdec_new(&d, b, 0), 0);
	for (int f = TSD_KFMT_CSV; f <= TSD_KFMT_BIN; f++) {
		int got[2] = { 0, 0 }, msgs = 0;
		assert_int_equal(tsd_kenc_new(&e, f, a, &ts, 0), 0);
		tsd_kenc_set_batch(e, 3);
		/* 7 samples of a, 4 of b, interleaved: messages a(3) a(3) b(3), then a(1) b(1) */
		for (int i = 0; i < 11; i++) {
			int k = i % 3 == 2 && i < 12 ? 1 : 0;
			if (i >= 9)
				k = i == 9;
			r.s.series = sid[k];
			r.s.t = T0 + i;
			r.s.v = i + 0.5;
			int rc = tsd_kenc_put(e, &r);
			assert_true(rc == 0 || rc == 1);
			for (;;) {
				if (rc == 1) {
					p = tsd_kenc_data(e, &len);
					assert_int_equal(tsd_kdec_open(d, p, len, NULL, 0), 0);
					int n = 0, last = -1;
					while (tsd_kdec_next(d, &o) == 1) {
						assert_int_equal(o.kind, TSD_REC_SAMPLE);
						int j = strcmp(tsd_series_name(b, o.s.series), "a") ? 1 : 0;
						assert_int_equal(sid[j], tsd_kenc_series(e));
						assert_true(o.s.t > last); /* in order */
						assert_true(o.s.v == (double)(o.s.t - T0) + 0.5);
						last = (int)o.s.t;
						got[j]++;
						n++;
					}
					assert_true(n >= 1 && n <= 3);
					msgs++;
				}
				if (i < 10)
					break;
				if ((rc = tsd_kenc_flush(e)) == 0)
					break;
			}
		}
		assert_int_equal(tsd_kenc_pending(e), 0);
		assert_int_equal(got[0], 7);
		assert_int_equal(got[1], 4);
		assert_int_equal(msgs, 5);
		tsd_kenc_free(e);
	}
	tsd_kdec_free(d);
	tsd_series_free(a);
	tsd_series_free(b);
}

/* lines go out as they came; a "time,value" line gets its series in front */
static void put_line(void **state)
{
	tsd_series_tab *tab = tsd_series_new();
	tsd_tstyle ts = { .kind = TSD_T_ISO, .sep = ' ' };
	tsd_kenc *e;
	uint32_t s, q;
	size_t len;
	const char *p;

	(void)state;
	assert_int_equal(tsd_series_intern(&s, tab, "s1", 2), 0);
	assert_int_equal(tsd_series_intern(&q, tab, "a,b", 3), 0);
	assert_int_equal(tsd_kenc_new(&e, TSD_KFMT_CSV, tab, &ts, 0), 0);
	assert_int_equal(tsd_kenc_put_line(e, s, "s1,2024-01-01 00:00:00,1.50", 27, 1), 1);
	p = tsd_kenc_data(e, &len);
	assert_int_equal(len, 27);
	assert_memory_equal(p, "s1,2024-01-01 00:00:00,1.50", len);
	assert_int_equal(tsd_kenc_put_line(e, q, "1704067200,7", 12, 0), 1);
	p = tsd_kenc_data(e, &len);
	assert_int_equal(len, strlen("\"a,b\",1704067200,7"));
	assert_memory_equal(p, "\"a,b\",1704067200,7", len);
	tsd_kenc_set_batch(e, 2);
	assert_int_equal(tsd_kenc_put_line(e, s, "t1,1", 4, 0), 0);
	assert_int_equal(tsd_kenc_put_line(e, s, "t2,2", 4, 0), 1);
	p = tsd_kenc_data(e, &len);
	assert_int_equal(len, 15);
	assert_memory_equal(p, "s1,t1,1\ns1,t2,2", len);
	assert_int_equal(tsd_kenc_flush(e), 0);
	tsd_kenc_free(e);
	assert_int_equal(tsd_kenc_new(&e, TSD_KFMT_BIN, tab, &ts, 0), 0);
	assert_int_equal(tsd_kenc_put_line(e, s, "t1,1", 4, 0), TSD_EUNSUP);
	tsd_kenc_free(e);
	tsd_series_free(tab);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(conf_set),
		cmocka_unit_test(conf_file),
		cmocka_unit_test(dec_csv),
		cmocka_unit_test(dec_names),
		cmocka_unit_test(enc_csv),
		cmocka_unit_test(round_trip),
		cmocka_unit_test(batch),
		cmocka_unit_test(put_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
