/* test_window.c: gap detection of the window buffer (lib/window.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "window.h"

/* Feed times one sample at a time; the index of the first sample after
 * the first gap the buffer saw, or -1. */
static long first_gap_push(const int64_t *t, size_t n)
{
	tsd_winbuf *wb;
	tsd_win w;
	long at = -1;

	assert_int_equal(tsd_winbuf_new(&wb, 1000000, 0, 0), 0);
	for (size_t i = 0; i < n && at < 0; i++) {
		int rc = tsd_winbuf_push(wb, &w, 0, t[i], 1.0);
		assert_true(rc >= 0);
		if (rc == 1 && w.gap)
			at = (long)i;
	}
	tsd_winbuf_free(wb);
	return at;
}

/* The same through push_run: the whole array as runs of len samples. */
static long first_gap_run(const int64_t *t, size_t n, size_t len)
{
	tsd_winbuf *wb;
	tsd_win w;
	double *v = calloc(n, sizeof *v);
	size_t i = 0, used;
	long at = -1;

	assert_non_null(v);
	assert_int_equal(tsd_winbuf_new(&wb, 1000000, 0, 0), 0);
	while (i < n && at < 0) {
		size_t m = n - i < len ? n - i : len;
		int rc = tsd_winbuf_push_run(wb, &w, &used, 0, t + i, 0, 0, v + i, m);
		assert_true(rc >= 0);
		/* a window closed by a gap: the sample after it is not taken,
		 * or (taken by the general path) is the last one taken */
		if (rc == 1 && w.gap)
			at = (long)(i + used - (w.gap_to == t[i + used - 1] ? 1 : 0));
		i += used;
	}
	tsd_winbuf_free(wb);
	free(v);
	return at;
}

/* The threshold is that of the window's last 8 intervals at every sample:
 * 8 intervals of 100, then 5 of 1 (median now 1, longest 100: threshold
 * 300), then one of 500 is a gap. (A threshold kept from the 8th interval,
 * 1000, missed it.) */
static void test_threshold_current(void **state)
{
	int64_t t[16];
	size_t n = 0;

	(void)state;
	t[n++] = 0;
	for (int i = 0; i < 8; i++, n++)
		t[n] = t[n - 1] + 100;
	for (int i = 0; i < 5; i++, n++)
		t[n] = t[n - 1] + 1;
	t[n] = t[n - 1] + 500, n++;
	assert_int_equal(first_gap_push(t, n), (long)n - 1);
	for (size_t len = 1; len <= n; len++)
		assert_int_equal(first_gap_run(t, n, len), (long)n - 1);
	/* 290 is under the threshold: no gap */
	t[n - 1] = t[n - 2] + 290;
	assert_int_equal(first_gap_push(t, n), -1);
	assert_int_equal(first_gap_run(t, n, n), -1);
}

/* Long regular stretches with outages and jitter: runs of any length
 * find the same first gap as sample by sample. */
static void test_runs_as_samples(void **state)
{
	enum { N = 3000 };
	int64_t *t = malloc(N * sizeof *t);
	uint64_t x = 88172645463325252u;

	(void)state;
	assert_non_null(t);
	for (int trial = 0; trial < 200; trial++) {
		t[0] = 1000;
		for (size_t i = 1; i < N; i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			int64_t step = 1000;
			unsigned r = (unsigned)(x % 1000);
			if (r < 3)
				step = 1000 * (int64_t)(2 + x % 40); /* an outage of 2..41 steps */
			else if (r < 40)
				step = 1000 + (int64_t)(x % 7) - 3; /* jitter */
			else if (r < 45)
				step = 1 + (int64_t)(x % 999); /* a burst */
			t[i] = t[i - 1] + step;
		}
		long want = first_gap_push(t, N);
		size_t lens[] = { 1, 2, 7, 64, 1000, N };
		for (size_t k = 0; k < sizeof lens / sizeof *lens; k++)
			assert_int_equal(first_gap_run(t, N, lens[k]), want);
	}
	free(t);
}

/* A regular series of a million samples has no gap, run or samples. */
static void test_regular(void **state)
{
	enum { N = 1000000 };
	int64_t *t = malloc(N * sizeof *t);

	(void)state;
	assert_non_null(t);
	for (size_t i = 0; i < N; i++)
		t[i] = (int64_t)i * 1000000000;
	assert_int_equal(first_gap_run(t, N, N), -1);
	assert_int_equal(first_gap_run(t, N, 4096), -1);
	free(t);
}

/* One window folded into a running digest (FNV-1a over its number, size,
 * gap flag and every time and value bit) */
static uint64_t fold(uint64_t h, const tsd_win *w)
{
	uint64_t f[4] = { (uint64_t)w->index, w->n, (uint64_t)w->gap, w->gap ? (uint64_t)w->gap_to : 0 };

	for (size_t i = 0; i < 4 + 2 * w->n; i++) {
		uint64_t x;
		if (i < 4)
			x = f[i];
		else if (i < 4 + w->n)
			x = (uint64_t)w->t[i - 4];
		else
			memcpy(&x, &w->v[i - 4 - w->n], sizeof x);
		for (int b = 0; b < 8; b++)
			h = (h ^ ((x >> (8 * b)) & 0xff)) * 1099511628211u;
	}
	return h;
}

/* The windows of count samples cut from stretches of evenly spaced times
 * (stretch k: len[k] samples dt[k] apart), fed sample by sample (how 0),
 * as runs of at most run samples with their times (1), or as runs of t0
 * and dt within each stretch (2). Returns the digest of every window. */
static uint64_t cut(const int64_t *t, const double *v, const size_t *len, const int64_t *dt, size_t ns,
		    size_t count, int how, size_t run)
{
	tsd_winbuf *wb;
	tsd_win w;
	uint64_t h = 14695981039346656037u;
	size_t at = 0, used;
	int rc;

	assert_int_equal(tsd_winbuf_new(&wb, count, 0, 0), 0);
	for (size_t k = 0; k < ns; k++) {
		size_t end = at + len[k];
		while (at < end) {
			if (how == 0) {
				rc = tsd_winbuf_push(wb, &w, 0, t[at], v[at]);
				used = 1;
			} else {
				size_t m = end - at < run ? end - at : run;
				rc = tsd_winbuf_push_run(wb, &w, &used, 0, how == 1 ? t + at : NULL, t[at], dt[k],
							 v + at, m);
			}
			assert_true(rc >= 0);
			if (rc == 1)
				h = fold(h, &w);
			at += used;
		}
	}
	while (tsd_winbuf_flush(wb, &w) == 1)
		h = fold(h, &w);
	tsd_winbuf_free(wb);
	return h;
}

/* Runs give the very windows that samples give, times and values: every
 * run length from 1 to 41 across the vector steps of the run code, with
 * stretches of several spacings and an outage between them. */
static void test_run_windows(void **state)
{
	enum { NS = 6 };
	const size_t len[NS] = { 101, 3, 250, 37, 64, 9 };
	const int64_t dt[NS] = { 1000, 1000, 7, 250000, 1000, 1 };
	int64_t t[464];
	double v[464];
	size_t n = 0;

	(void)state;
	for (size_t k = 0; k < NS; k++)
		for (size_t i = 0; i < len[k]; i++, n++) {
			t[n] = n ? t[n - 1] + dt[k] : -5000;
			v[n] = (double)((n * 7919u) % 101) / 7.0;
		}
	assert_int_equal(n, sizeof t / sizeof *t);
	const size_t counts[] = { 1, 5, 64, 100, 1000 };
	for (size_t c = 0; c < sizeof counts / sizeof *counts; c++) {
		uint64_t want = cut(t, v, len, dt, NS, counts[c], 0, 1);
		for (size_t run = 1; run <= 41; run++) {
			assert_true(cut(t, v, len, dt, NS, counts[c], 1, run) == want);
			assert_true(cut(t, v, len, dt, NS, counts[c], 2, run) == want);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threshold_current),
		cmocka_unit_test(test_runs_as_samples),
		cmocka_unit_test(test_regular),
		cmocka_unit_test(test_run_windows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
