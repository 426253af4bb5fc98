/* test_ctlq.c: positions are released only after every sample read before
 * them has left its window; checked by hand and against a brute-force model
 * of a time-windowing tool over random interleaved series. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "ctlq.h"
#include "tsd.h"

static tsd_control pos_of(const char *topic, int32_t part, int64_t off)
{
	tsd_control k;

	memset(&k, 0, sizeof k);
	k.what = TSD_CTL_POSITION;
	k.topic = topic;
	k.topic_len = (uint16_t)strlen(topic);
	k.partition = part;
	k.offset = off;
	return k;
}

static void no_windows(void **state)
{
	tsd_ctlq *q;
	tsd_rec r;
	tsd_control k = pos_of("in", 3, 42);

	(void)state;
	assert_int_equal(tsd_ctlq_new(&q), 0);
	assert_int_equal(tsd_ctlq_next(q, &r), 0);
	assert_int_equal(tsd_ctlq_control(q, &k), 0);
	assert_int_equal(tsd_ctlq_pending(q), 1);
	assert_int_equal(tsd_ctlq_next(q, &r), 1);
	assert_int_equal(r.kind, TSD_REC_CONTROL);
	assert_int_equal(r.k.partition, 3);
	assert_int_equal(r.k.offset, 42);
	assert_int_equal(r.k.topic_len, 2);
	assert_memory_equal(r.k.topic, "in", 2);
	assert_int_equal(tsd_ctlq_next(q, &r), 0);
	assert_int_equal(tsd_ctlq_pending(q), 0);
	tsd_ctlq_free(q);
}

/* series 0 holds a sample; a position after it waits for series 0's window,
 * not for series 1's window opened later */
static void held_by_open_window(void **state)
{
	tsd_ctlq *q;
	tsd_rec r;
	char topic[8] = "abc";
	tsd_control k1 = pos_of(topic, 0, 10), k2 = pos_of(topic, 0, 20);

	(void)state;
	assert_int_equal(tsd_ctlq_new(&q), 0);
	assert_int_equal(tsd_ctlq_hold(q, 0), 0);
	assert_int_equal(tsd_ctlq_control(q, &k1), 0);
	memcpy(topic, "xyz", 3); /* the queue keeps its own copy */
	assert_int_equal(tsd_ctlq_hold(q, 1), 0);
	assert_int_equal(tsd_ctlq_control(q, &k2), 0);
	assert_int_equal(tsd_ctlq_next(q, &r), 0);
	tsd_ctlq_done(q, 1);               /* series 1 out: k1 still waits for 0 */
	assert_int_equal(tsd_ctlq_next(q, &r), 0);
	tsd_ctlq_done(q, 0);               /* time window of 0 closed by ... */
	assert_int_equal(tsd_ctlq_hold(q, 0), 0); /* ... a sample opening the next */
	assert_int_equal(tsd_ctlq_next(q, &r), 1);
	assert_int_equal(r.k.offset, 10);
	assert_memory_equal(r.k.topic, "abc", 3);
	assert_int_equal(tsd_ctlq_next(q, &r), 1);  /* k2 came before that sample */
	assert_int_equal(r.k.offset, 20);
	assert_int_equal(tsd_ctlq_next(q, &r), 0);
	tsd_ctlq_free(q);
}

/* unreleased positions and topics are freed (run under ASan) */
static void free_pending(void **state)
{
	tsd_ctlq *q;
	tsd_control k = pos_of("t", 1, 1);

	(void)state;
	assert_int_equal(tsd_ctlq_new(&q), 0);
	assert_int_equal(tsd_ctlq_hold(q, 5), 0);
	for (int i = 0; i < 100; i++)
		assert_int_equal(tsd_ctlq_control(q, &k), 0);
	assert_int_equal(tsd_ctlq_pending(q), 100);
	tsd_ctlq_free(q);
	tsd_ctlq_free(NULL);
}

/* Model: S series, samples with random series and increasing per-series
 * time; time windows of W ticks, closed by the next sample of a later
 * window (as tsd_winbuf does) or at the end. Every position released must
 * follow the emission of every sample read before it; a position that
 * falls inside a window (samples of it on both sides) is never released;
 * every other position is released as soon as that holds; order is kept. */
#define NS 7
#define NSAMP 20000
static void random_model(void **state)
{
	tsd_ctlq *q;
	tsd_rec r;
	int64_t tnow[NS] = { 0 }, win[NS];
	uint32_t *ser = malloc(NSAMP * sizeof *ser);
	char *emitted = calloc(NSAMP, 1);
	int64_t *posmark = malloc(NSAMP * sizeof *posmark); /* samples read before position i */
	char *inside = calloc(NSAMP, 1);  /* position i fell inside a window */
	int64_t wfirst[NS], wlast[NS];     /* seq of the open window's first and last sample */
	size_t nread = 0, npos = 0, nrel = 0, ninside = 0;
	unsigned seed = 12345;
	const int64_t W = 5;

	(void)state;
	assert_non_null(ser);
	assert_non_null(emitted);
	assert_non_null(posmark);
	for (int s = 0; s < NS; s++)
		win[s] = -1;
	assert_int_equal(tsd_ctlq_new(&q), 0);
	for (int step = 0; step < NSAMP; step++) {
		seed = seed * 1103515245u + 12345u;
		unsigned x = seed >> 8;
		if (x % 5 == 0 && npos < NSAMP) {
			tsd_control k = pos_of("p", 0, (int64_t)npos);
			posmark[npos++] = (int64_t)nread;
			assert_int_equal(tsd_ctlq_control(q, &k), 0);
		} else {
			uint32_t s = (x / 5) % NS;
			tnow[s] += 1 + (x / 37) % 3;
			int64_t w = tnow[s] / W;
			if (win[s] >= 0 && w != win[s]) {
				/* close: emit every earlier sample of s; the
				 * positions between its first and last sample
				 * are inside it */
				for (size_t i = 0; i < nread; i++)
					if (ser[i] == s)
						emitted[i] = 1;
				for (size_t i = 0; i < npos; i++)
					if (posmark[i] > wfirst[s] && posmark[i] <= wlast[s] && !inside[i])
						inside[i] = 1, ninside++;
				tsd_ctlq_done(q, s);
			}
			if (win[s] != w)
				wfirst[s] = (int64_t)nread;
			wlast[s] = (int64_t)nread;
			win[s] = w;
			ser[nread++] = s;
			assert_int_equal(tsd_ctlq_hold(q, s), 0);
		}
		while (tsd_ctlq_next(q, &r) == 1) {
			while (nrel < npos && inside[nrel])
				nrel++;
			assert_int_equal(r.k.offset, (int64_t)nrel); /* in order */
			for (int64_t i = 0; i < posmark[nrel]; i++)
				assert_true(emitted[i]);
			nrel++;
		}
		while (nrel < npos && inside[nrel])
			nrel++;
		/* not held back needlessly: the next one must be waiting on a sample */
		if (nrel < npos) {
			int waiting = 0;
			for (int64_t i = 0; i < posmark[nrel]; i++)
				waiting |= !emitted[i];
			assert_true(waiting);
		}
	}
	/* the end: every window closes */
	for (uint32_t s = 0; s < NS; s++) {
		for (size_t i = 0; i < npos; i++)
			if (win[s] >= 0 && posmark[i] > wfirst[s] && posmark[i] <= wlast[s] && !inside[i])
				inside[i] = 1, ninside++;
		tsd_ctlq_done(q, s);
	}
	size_t released = 0;
	for (size_t i = 0; i < nrel; i++)
		released += !inside[i];
	while (tsd_ctlq_next(q, &r) == 1) {
		assert_false(inside[r.k.offset]);
		released++;
	}
	assert_int_equal(released, npos - ninside);
	assert_true(npos > 1000);
	print_message("positions %zu, inside windows %zu, released %zu\n", npos, ninside, released);
	assert_true(ninside > 0 && released > 0);
	free(inside);
	tsd_ctlq_free(q);
	free(ser);
	free(emitted);
	free(posmark);
}

/* the end mark travels like a position and tells a clean end from a cut */
static void end_mark(void **state)
{
	tsd_ctlq *q;
	tsd_rec r;
	tsd_control k = pos_of("t", 0, 5), e;

	(void)state;
	assert_int_equal(tsd_ctlq_new(&q), 0);
	assert_int_equal(tsd_ctlq_broken(q), 0);  /* plain files: no positions */
	assert_int_equal(tsd_ctlq_hold(q, 0), 0);
	assert_int_equal(tsd_ctlq_control(q, &k), 0);
	assert_int_equal(tsd_ctlq_broken(q), 1);
	tsd_ctl_end(&e);
	assert_int_equal(tsd_ctl_is_end(&e), 1);
	assert_int_equal(tsd_ctl_is_end(&k), 0);
	assert_int_equal(tsd_ctlq_control(q, &e), 0);
	assert_int_equal(tsd_ctlq_broken(q), 0);
	assert_int_equal(tsd_ctlq_next(q, &r), 0);
	tsd_ctlq_done(q, 0);
	assert_int_equal(tsd_ctlq_next(q, &r), 1);
	assert_int_equal(r.k.offset, 5);
	assert_int_equal(tsd_ctlq_next(q, &r), 1);
	assert_true(tsd_ctl_is_end(&r.k));
	assert_memory_equal(r.k.topic, "-", 1);
	tsd_ctlq_free(q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(no_windows),
		cmocka_unit_test(held_by_open_window),
		cmocka_unit_test(free_pending),
		cmocka_unit_test(random_model),
		cmocka_unit_test(end_mark),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
