/* test_stream.c: CSV and binary readers and writers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cmocka.h>

#include "stream.h"
#include "tsd.h"

/* An fd positioned at the start of a memory file holding len bytes. */
static int mem_fd(const void *data, size_t len)
{
	int fd = memfd_create("t", 0);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	lseek(fd, 0, SEEK_SET);
	return fd;
}

/* Read everything written to fd. */
static char *slurp(int fd, size_t *len)
{
	off_t n = lseek(fd, 0, SEEK_END);
	char *b = malloc((size_t)n + 1);
	assert_non_null(b);
	assert_int_equal(pread(fd, b, (size_t)n, 0), n);
	b[n] = 0;
	*len = (size_t)n;
	return b;
}

typedef struct {
	tsd_series_tab *tab;
	tsd_reader *r;
	int fd;
} rd;

static void rd_open(rd *x, const char *text, size_t len, int order)
{
	tsd_reader_opts o = { .name = "in.csv", .order = order };
	x->tab = tsd_series_new();
	o.tab = x->tab;
	x->fd = mem_fd(text, len);
	assert_int_equal(tsd_reader_open(&x->r, x->fd, &o), 0);
}

static void rd_close(rd *x)
{
	tsd_reader_close(x->r);
	tsd_series_free(x->tab);
	close(x->fd);
}

/* Read all samples; returns the count or the error code. */
static int read_samples(rd *x, uint32_t *s, int64_t *t, double *v, int max)
{
	tsd_rec r;
	int n = 0, rc;
	while ((rc = tsd_reader_next(x->r, &r)) == 1) {
		assert_int_equal(r.kind, TSD_REC_SAMPLE);
		assert_true(n < max);
		s[n] = r.s.series;
		t[n] = r.s.t;
		v[n++] = r.s.v;
	}
	return rc < 0 ? rc : n;
}

static void expect_error(const char *text, const char *msg)
{
	rd x;
	uint32_t s[16];
	int64_t t[16];
	double v[16];
	rd_open(&x, text, strlen(text), TSD_ORDER_STRICT);
	assert_true(read_samples(&x, s, t, v, 16) < 0);
	assert_string_equal(tsd_reader_errmsg(x.r), msg);
	rd_close(&x);
}

static void test_single(void **state)
{
	static const char in[] = "\xef\xbb\xbftimestamp,value\r\n2014-04-01 00:00:00,1.5\r\n"
				 "2014-04-01 00:05:00,-2\r\n\r\n2014-04-01 00:10:00,3e2\r\n";
	rd x;
	uint32_t s[8];
	int64_t t[8];
	double v[8];
	(void)state;
	rd_open(&x, in, sizeof in - 1, TSD_ORDER_STRICT);
	assert_int_equal(read_samples(&x, s, t, v, 8), 3);
	assert_string_equal(tsd_series_name(x.tab, s[0]), "value");
	assert_true(v[0] == 1.5 && v[1] == -2 && v[2] == 300);
	assert_int_equal(t[1] - t[0], 300000000000LL);
	assert_int_equal(tsd_reader_style(x.r)->shape, TSD_SHAPE_SINGLE);
	assert_string_equal(tsd_reader_style(x.r)->time_name, "timestamp");
	assert_int_equal(tsd_reader_style(x.r)->tstyle.kind, TSD_T_ISO);
	rd_close(&x);
}

static void test_wide_missing(void **state)
{
	static const char in[] = "time;a;b;c\n1000;1;;3\n1001;nan;5;6\n";
	rd x;
	uint32_t s[8];
	int64_t t[8];
	double v[8];
	(void)state;
	rd_open(&x, in, sizeof in - 1, TSD_ORDER_STRICT);
	/* the empty field and nan are missing samples: 4 of 6 remain */
	assert_int_equal(read_samples(&x, s, t, v, 8), 4);
	assert_string_equal(tsd_series_name(x.tab, s[0]), "a");
	assert_string_equal(tsd_series_name(x.tab, s[1]), "c");
	assert_string_equal(tsd_series_name(x.tab, s[2]), "b");
	assert_true(v[3] == 6);
	assert_int_equal(t[0], 1000LL * 1000000000LL);
	assert_int_equal(tsd_reader_style(x.r)->tstyle.kind, TSD_T_S);
	rd_close(&x);
}

static void test_long_headerless_tab(void **state)
{
	static const char in[] = "cpu\t1386018900123\t1\nmem\t1386018900123\t2\ncpu\t1386018900124\t3\n";
	rd x;
	uint32_t s[8];
	int64_t t[8];
	double v[8];
	(void)state;
	rd_open(&x, in, sizeof in - 1, TSD_ORDER_STRICT);
	assert_int_equal(read_samples(&x, s, t, v, 8), 3);
	assert_int_equal(s[0], s[2]);
	assert_int_not_equal(s[0], s[1]);
	assert_string_equal(tsd_series_name(x.tab, s[1]), "mem");
	assert_int_equal(tsd_reader_style(x.r)->tstyle.kind, TSD_T_MS);
	assert_int_equal(tsd_reader_style(x.r)->shape, TSD_SHAPE_LONG);
	rd_close(&x);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("timestamp,value\n2014-04-01 00:00:00,1\n2014-04-01 00:05:00,1,2\n",
		     "in.csv:3: expected 2 fields, found 3");
	expect_error("timestamp,value\n2014-04-01 00:00:00,1x\n", "in.csv:2: bad number '1x'");
	expect_error("timestamp,value\n2014-04-01 00:00:00,inf\n", "in.csv:2: infinite value 'inf'");
	expect_error("timestamp,value\n2014-04-01 00:61:00,1\n", "in.csv:2: bad time '2014-04-01 00:61:00'");
	expect_error("timestamp,value\n,1\n", "in.csv:2: empty time field");
	expect_error("timestamp,value\n5,1\n4,1\n", "in.csv:3: time goes backwards in series 'value'");
	expect_error("timestamp,value\n5,1\n5,1\n", "in.csv:3: duplicate time in series 'value'");
	expect_error("x\n1\n", "in.csv:1: need at least two columns (time and value), found 1");
	expect_error("series,time,value\n,5,1\n", "in.csv:2: empty series name");
	expect_error("timestamp,value\n\"5,1\n", "in.csv:2: unterminated quoted field");
	expect_error("timestamp,value\n5,1\"2\n", "in.csv:2: malformed quoting");
}

static void test_order_drop(void **state)
{
	static const char in[] = "timestamp,value\n5,1\n6,2\n6,3\n4,4\n7,5\n";
	rd x;
	uint32_t s[8];
	int64_t t[8];
	double v[8];
	long first;
	(void)state;
	rd_open(&x, in, sizeof in - 1, TSD_ORDER_DROP);
	assert_int_equal(read_samples(&x, s, t, v, 8), 3);
	assert_true(v[0] == 1 && v[1] == 2 && v[2] == 5);
	assert_int_equal(tsd_reader_dropped(x.r, &first), 2);
	assert_int_equal(first, 4);
	rd_close(&x);
}

/* Write records as binary, read them back, compare. */
static void test_binary_roundtrip(void **state)
{
	tsd_series_tab *tab = tsd_series_new();
	tsd_writer_opts wo;
	tsd_writer *w;
	int fd = memfd_create("w", 0);
	uint32_t a, b;
	double vals[5] = { 1, -2.5, 3e300, 4e-300, 0.1 };
	float sc[5] = { 0, 0.25f, 0.5f, 0.75f, 1 };
	int64_t times[3] = { 10, 20, 35 };
	(void)state;

	tsd_series_intern(&a, tab, "alpha", 5);
	tsd_series_intern(&b, tab, "beta,\"x\"", 8);
	tsd_writer_defaults(&wo);
	wo.format = TSD_FMT_BIN;
	wo.tab = tab;
	assert_int_equal(tsd_writer_open(&w, fd, &wo), 0);
	for (int i = 0; i < 10000; i++)
		assert_int_equal(tsd_writer_sample(w, i % 3 ? a : b, i, i * 0.5), 0);
	tsd_rec r = { .kind = TSD_REC_WINDOW };
	r.w.series = b;
	r.w.n = 3;
	r.w.window = 7;
	r.w.t_first = 10;
	r.w.t_last = 35;
	r.w.levels = 1;
	r.w.flags = TSD_WIN_IRREGULAR;
	strcpy(r.w.wavelet, "db4");
	strcpy(r.w.mode, "periodization");
	assert_int_equal(tsd_writer_put(w, &r), 0);
	r.kind = TSD_REC_TIMES;
	r.ts.series = b;
	r.ts.count = 3;
	r.ts.window = 7;
	r.ts.t = times;
	assert_int_equal(tsd_writer_put(w, &r), 0);
	r.kind = TSD_REC_COEF;
	memset(&r.c, 0, sizeof r.c);
	r.c.series = b;
	r.c.window = 7;
	r.c.level = 1;
	r.c.kind = TSD_COEF_D;
	r.c.flags = TSD_COEF_SCORED;
	r.c.start = 2;
	r.c.count = 5;
	r.c.v = vals;
	r.c.score = sc;
	assert_int_equal(tsd_writer_put(w, &r), 0);
	r.kind = TSD_REC_CONTROL;
	r.k.what = TSD_CTL_POSITION;
	r.k.topic = "sensors";
	r.k.topic_len = 7;
	r.k.partition = 3;
	r.k.offset = 123456789012LL;
	assert_int_equal(tsd_writer_put(w, &r), 0);
	r.kind = TSD_REC_END;
	r.e.series = b;
	r.e.window = 7;
	r.e.has_range = 1; /* the range of the window's samples */
	r.e.lo = -2.5;
	r.e.hi = 0x1.fffffffffffffp+1023;
	assert_int_equal(tsd_writer_put(w, &r), 0);
	assert_int_equal(tsd_writer_close(w), 0);

	size_t len;
	char *data = slurp(fd, &len);
	rd x;
	rd_open(&x, data, len, TSD_ORDER_STRICT);
	int i = 0, rc;
	while ((rc = tsd_reader_next(x.r, &r)) == 1 && r.kind == TSD_REC_SAMPLE) {
		assert_string_equal(tsd_series_name(x.tab, r.s.series), i % 3 ? "alpha" : "beta,\"x\"");
		assert_int_equal(r.s.t, i);
		assert_true(r.s.v == i * 0.5);
		i++;
	}
	assert_int_equal(i, 10000);
	assert_int_equal(r.kind, TSD_REC_WINDOW);
	assert_int_equal(r.w.n, 3);
	assert_int_equal(r.w.window, 7);
	assert_int_equal(r.w.t_last, 35);
	assert_int_equal(r.w.flags, TSD_WIN_IRREGULAR);
	assert_string_equal(r.w.wavelet, "db4");
	assert_string_equal(r.w.mode, "periodization");
	assert_int_equal(tsd_reader_next(x.r, &r), 1);
	assert_int_equal(r.kind, TSD_REC_TIMES);
	assert_int_equal(r.ts.count, 3);
	assert_int_equal(r.ts.t[2], 35);
	assert_int_equal(tsd_reader_next(x.r, &r), 1);
	assert_int_equal(r.kind, TSD_REC_COEF);
	assert_int_equal(r.c.count, 5);
	assert_int_equal(r.c.start, 2);
	for (int k = 0; k < 5; k++) {
		assert_true(r.c.v[k] == vals[k]);
		assert_true(r.c.score[k] == sc[k]);
	}
	assert_int_equal(tsd_reader_next(x.r, &r), 1);
	assert_int_equal(r.kind, TSD_REC_CONTROL);
	assert_int_equal(r.k.offset, 123456789012LL);
	assert_memory_equal(r.k.topic, "sensors", 7);
	assert_int_equal(tsd_reader_next(x.r, &r), 1);
	assert_int_equal(r.kind, TSD_REC_END);
	assert_int_equal(r.e.has_range, 1);
	assert_true(r.e.lo == -2.5 && r.e.hi == 0x1.fffffffffffffp+1023);
	assert_int_equal(tsd_reader_next(x.r, &r), 0);
	rd_close(&x);

	/* every cut of the stream ends cleanly at a frame boundary or says
	 * it is truncated; none crashes or invents a record */
	int truncs = 0;
	for (size_t cut = 1; cut < len; cut += 1 + cut / 64) {
		rd y;
		rd_open(&y, data, cut, TSD_ORDER_STRICT);
		while ((rc = tsd_reader_next(y.r, &r)) == 1)
			;
		if (rc < 0) {
			assert_int_equal(rc, TSD_ETRUNC);
			assert_non_null(strstr(tsd_reader_errmsg(y.r), "truncated"));
			truncs++;
		}
		rd_close(&y);
	}
	assert_true(truncs > 10);
	free(data);
	close(fd);
	tsd_series_free(tab);
}

/* Binary runs are checked whole when they can be: a run of a series that
 * starts at the time its previous run ended repeats that time, so its
 * first sample is dropped (or, strict, an error), exactly as in CSV. */
static void test_binary_run_order(void **state)
{
	tsd_series_tab *tab = tsd_series_new();
	tsd_writer_opts wo;
	tsd_writer *w;
	int fd = memfd_create("w", 0);
	uint32_t a, b, s[16];
	int64_t t[16];
	double v[16];
	size_t len;
	long first;
	rd x;
	(void)state;

	tsd_series_intern(&a, tab, "a", 1);
	tsd_series_intern(&b, tab, "b", 1);
	tsd_writer_defaults(&wo);
	wo.format = TSD_FMT_BIN;
	wo.tab = tab;
	assert_int_equal(tsd_writer_open(&w, fd, &wo), 0);
	for (int i = 0; i < 5; i++)
		assert_int_equal(tsd_writer_sample(w, a, i, i), 0);
	assert_int_equal(tsd_writer_sample(w, b, 0, 100), 0); /* ends a's run */
	for (int i = 4; i < 7; i++)
		assert_int_equal(tsd_writer_sample(w, a, i, 10 + i), 0);
	assert_int_equal(tsd_writer_close(w), 0);
	char *data = slurp(fd, &len);

	/* sample by sample, and with whole runs given out (tsconv's path) */
	for (int runs = 0; runs < 2; runs++) {
		tsd_reader_opts o = { .name = "in.bin", .order = TSD_ORDER_DROP, .runs = runs };
		tsd_rec r;
		int n = 0, rc;
		x.tab = tsd_series_new();
		o.tab = x.tab;
		x.fd = mem_fd(data, len);
		assert_int_equal(tsd_reader_open(&x.r, x.fd, &o), 0);
		while ((rc = tsd_reader_next(x.r, &r)) == 1) {
			if (r.kind == TSD_REC_SAMPLE) {
				assert_true(n < 16);
				s[n] = r.s.series, t[n] = r.s.t, v[n++] = r.s.v;
				continue;
			}
			assert_int_equal(r.kind, TSD_REC_SAMPLES);
			for (uint32_t i = 0; i < r.r.count; i++) {
				assert_true(n < 16);
				s[n] = r.r.series;
				t[n] = r.r.t ? r.r.t[i] : r.r.t0 + (int64_t)i * r.r.dt;
				v[n++] = r.r.v[i];
			}
		}
		assert_int_equal(rc, 0);
		assert_int_equal(n, 8);
		assert_int_equal(tsd_reader_dropped(x.r, &first), 1);
		assert_true(t[6] == 5 && v[6] == 15 && t[7] == 6);
		rd_close(&x);
	}

	rd_open(&x, data, len, TSD_ORDER_STRICT);
	assert_true(read_samples(&x, s, t, v, 16) < 0);
	assert_non_null(strstr(tsd_reader_errmsg(x.r), "duplicate time in series 'a'"));
	rd_close(&x);
	free(data);
	close(fd);
	tsd_series_free(tab);
}

static void test_bad_binary(void **state)
{
	unsigned char hdr[16] = { 0x89, 'T', 'S', 'D', 9, 0, 0, 0 };
	rd x;
	tsd_rec r;
	(void)state;
	rd_open(&x, (const char *)hdr, 8, TSD_ORDER_STRICT);
	assert_int_equal(tsd_reader_next(x.r, &r), TSD_EVERSION);
	assert_string_equal(tsd_reader_errmsg(x.r), "in.csv: frame 1: binary stream version 9; this build reads version 1");
	rd_close(&x);
	/* a sample frame naming a series with no name frame */
	unsigned char s[40] = { 0x89, 'T', 'S', 'D', 1, 0, 0, 0, 'S', 0, 0, 0, 24, 0, 0, 0, 5, 0, 0, 0, 1 };
	rd_open(&x, (const char *)s, sizeof s, TSD_ORDER_STRICT);
	assert_int_equal(tsd_reader_next(x.r, &r), TSD_EFORMAT);
	assert_string_equal(tsd_reader_errmsg(x.r), "in.csv: frame 1: series id 5 used before its name frame");
	rd_close(&x);
}

static void test_csv_writer(void **state)
{
	static const char in[] = "timestamp,value\n2014-04-01 00:00:00,0.1\n2014-04-01 00:05:00,18.090486228499998\n";
	rd x;
	tsd_rec r;
	tsd_writer *w;
	tsd_writer_opts wo;
	int fd = memfd_create("w", 0);
	size_t len;
	(void)state;
	rd_open(&x, in, sizeof in - 1, TSD_ORDER_STRICT);
	tsd_writer_defaults(&wo);
	wo.tab = x.tab;
	int first = 1;
	while (tsd_reader_next(x.r, &r) == 1) {
		if (first) {
			wo.style = *tsd_reader_style(x.r);
			assert_int_equal(tsd_writer_open(&w, fd, &wo), 0);
			first = 0;
		}
		assert_int_equal(tsd_writer_put(w, &r), 0);
	}
	assert_int_equal(tsd_writer_close(w), 0);
	char *out = slurp(fd, &len);
	assert_string_equal(out, in);
	free(out);
	rd_close(&x);
	close(fd);
}

static void test_numbers(void **state)
{
	char buf[64];
	uint64_t seed = 12345;
	(void)state;
	for (int i = 0; i < 200000; i++) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		double v;
		int mode = i % 4;
		if (mode == 0)
			snprintf(buf, sizeof buf, "%.*f", (int)(seed >> 60), (double)(int64_t)(seed >> 20) / 1e6);
		else if (mode == 1)
			snprintf(buf, sizeof buf, "%.17g", (double)(seed >> 11) * 0x1p-53 * pow(10, (int)(seed % 40) - 20));
		else if (mode == 2)
			snprintf(buf, sizeof buf, "%d", (int)(seed >> 33));
		else
			snprintf(buf, sizeof buf, "%.6e", (double)(seed >> 11) * 0x1p-40);
		assert_int_equal(tsd_scan_double(&v, buf, strlen(buf)), 0);
		if (v != strtod(buf, NULL))
			fail_msg("'%s' scanned as %.17g", buf, v);
		/* shortest text reads back exactly */
		char out[32];
		tsd_format_double(out, v, 0);
		if (strtod(out, NULL) != v)
			fail_msg("%.17g printed as %s", v, out);
	}
	double v;
	assert_int_equal(tsd_scan_double(&v, "1e", 2), TSD_EFORMAT);
	assert_int_equal(tsd_scan_double(&v, "", 0), TSD_EFORMAT);
	assert_int_equal(tsd_scan_double(&v, "1.5.", 4), TSD_EFORMAT);
	tsd_format_double(buf, 0.1, 0);
	assert_string_equal(buf, "0.1");
}

/* The fast splitter for quote-free lines and libcsv give the same records. */
static void test_fast_path_matches_libcsv(void **state)
{
	static const char *cells[] = { "1", " 2 ", "\t3", "4.5e1", "", "nan", "-0.25 ", "  7",
				       "18.090486228499998", "0.30000000000000004", "1e-300" };
	char text[1 << 16];
	size_t len = 0;
	uint64_t seed = 99;
	(void)state;
	len += (size_t)sprintf(text + len, "time,a,b, c \n");
	for (int row = 0; row < 500; row++) {
		len += (size_t)sprintf(text + len, "%d", 1000 + row);
		for (int k = 0; k < 3; k++) {
			seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
			len += (size_t)sprintf(text + len, ",%s", cells[(seed >> 33) % 11]);
		}
		len += (size_t)sprintf(text + len, row % 7 ? "\n" : "\r\n");
	}
	tsd_rec a, b;
	tsd_reader_opts o = { .name = "x" };
	tsd_reader *ra, *rb;
	o.tab = tsd_series_new();
	int fa = mem_fd(text, len), fb = mem_fd(text, len);
	assert_int_equal(tsd_reader_open(&ra, fa, &o), 0);
	o.slow_csv = 1;
	assert_int_equal(tsd_reader_open(&rb, fb, &o), 0);
	int n = 0, x, y;
	while ((x = tsd_reader_next(ra, &a)) == 1) {
		y = tsd_reader_next(rb, &b);
		assert_int_equal(y, 1);
		assert_int_equal(a.s.series, b.s.series);
		assert_int_equal(a.s.t, b.s.t);
		assert_memory_equal(&a.s.v, &b.s.v, sizeof a.s.v);
		n++;
	}
	assert_int_equal(x, 0);
	assert_int_equal(tsd_reader_next(rb, &b), 0);
	assert_true(n > 900);
	assert_string_equal(tsd_series_name(o.tab, 2), "c");
	tsd_reader_close(ra);
	tsd_reader_close(rb);
	tsd_series_free(o.tab);
	close(fa);
	close(fb);
}

/* tsd_reader_line: the line of a sample that was alone on an unquoted
 * comma line of long or single shape, else NULL */
static void test_reader_line(void **state)
{
	static const struct { const char *in, *want[4]; int series; } c[] = {
		{ "series,timestamp,value\ns,2024-01-01 00:00:00,1.50\ns,2024-01-01 00:01:00, 2\n",
		  { "s,2024-01-01 00:00:00,1.50", "s,2024-01-01 00:01:00, 2" }, 1 },
		{ "timestamp,value\n1704067200,7\r\n1704067260,8", { "1704067200,7", "1704067260,8" }, 0 },
		{ "series,timestamp,value\n\"s\",1704067200,7\n", { NULL }, 1 },  /* quoted: libcsv's path */
		{ "timestamp,a,b\n1704067200,1,2\n", { NULL, NULL }, 0 },          /* wide: two samples a line */
		{ "timestamp;value\n1704067200;7\n", { NULL }, 0 },                /* not a comma */
	};
	(void)state;
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		rd x;
		tsd_rec r;
		int k = 0, rc;
		rd_open(&x, c[i].in, strlen(c[i].in), TSD_ORDER_ANY);
		while ((rc = tsd_reader_next(x.r, &r)) == 1) {
			size_t len;
			int hs;
			const char *l = tsd_reader_line(x.r, &len, &hs);
			assert_true(k < 4);
			if (!c[i].want[k]) {
				if (l)
					fail_msg("case %zu sample %d: line '%.*s', want none", i, k, (int)len, l);
			} else {
				assert_non_null(l);
				assert_int_equal(len, strlen(c[i].want[k]));
				assert_memory_equal(l, c[i].want[k], len);
				assert_int_equal(hs, c[i].series);
			}
			k++;
		}
		assert_int_equal(rc, 0);
		rd_close(&x);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_single),
		cmocka_unit_test(test_wide_missing),
		cmocka_unit_test(test_long_headerless_tab),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_order_drop),
		cmocka_unit_test(test_binary_run_order),
		cmocka_unit_test(test_binary_roundtrip),
		cmocka_unit_test(test_bad_binary),
		cmocka_unit_test(test_csv_writer),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_fast_path_matches_libcsv),
		cmocka_unit_test(test_reader_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
