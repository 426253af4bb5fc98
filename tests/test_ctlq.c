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
	tsd_control k1 = pos_of(topic, 0, 10), k2 = pos_of("abc", 0, 20);

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

/* unreleased positions and topics are freed (run under ASan), also past
 * the partitions the queue tells apart */
static void free_pending(void **state)
{
	tsd_ctlq *q;

	(void)state;
	assert_int_equal(tsd_ctlq_new(&q), 0);
	assert_int_equal(tsd_ctlq_hold(q, 5), 0);
	for (int i = 0; i < 100; i++) {
		tsd_control k = pos_of("t", i % 70, i);
		assert_int_equal(tsd_ctlq_control(q, &k), 0);
	}
	/* 64 named partitions keep one each (the later replaced the earlier);
	 * the 6 past them wait in the shared queue, one by one */
	assert_int_equal(tsd_ctlq_pending(q), 70);
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

/* a position of the same partition with no window opened since the one
 * before it takes that one's place; a window opened in between keeps both */
static void coalesce(void **state)
{
	tsd_ctlq *q;
	tsd_rec r;

	(void)state;
	assert_int_equal(tsd_ctlq_new(&q), 0);
	assert_int_equal(tsd_ctlq_hold(q, 5), 0);
	for (int i = 0; i < 100; i++) {
		tsd_control k = pos_of("t", 1, i);
		assert_int_equal(tsd_ctlq_hold(q, 5), 0);
		assert_int_equal(tsd_ctlq_control(q, &k), 0);
	}
	assert_int_equal(tsd_ctlq_pending(q), 1);
	tsd_control k = pos_of("t", 1, 100);
	assert_int_equal(tsd_ctlq_hold(q, 6), 0); /* opens a window */
	assert_int_equal(tsd_ctlq_control(q, &k), 0);
	assert_int_equal(tsd_ctlq_pending(q), 2);
	/* both came after the last sample of the window before them */
	tsd_ctlq_done(q, 5);
	tsd_ctlq_done(q, 6);
	assert_int_equal(tsd_ctlq_next(q, &r), 1);
	assert_int_equal(r.k.offset, 99);
	assert_int_equal(tsd_ctlq_next(q, &r), 1);
	assert_int_equal(r.k.offset, 100);
	assert_int_equal(tsd_ctlq_next(q, &r), 0);
	tsd_ctlq_free(q);
}

/* a position is checked only against windows of series that may come
 * from its partition, and waits only for them: series 1 (partition 1) has
 * a window around the position of partition 0, which is released at once
 * when series 0's window is out */
static void per_partition(void **state)
{
	tsd_ctlq *q;
	tsd_rec r;
	tsd_control p1a = pos_of("in", 1, 5), p0 = pos_of("in", 0, 7), p1b = pos_of("in", 1, 6);

	(void)state;
	assert_int_equal(tsd_ctlq_new(&q), 0);
	assert_int_equal(tsd_ctlq_hold(q, 1), 0);       /* sample 0: series 1 opens a window */
	assert_int_equal(tsd_ctlq_control(q, &p1a), 0); /* series 1 is in partition 1 */
	assert_int_equal(tsd_ctlq_hold(q, 0), 0);       /* sample 1: series 0 */
	assert_int_equal(tsd_ctlq_control(q, &p0), 0);  /* series 0 is in partition 0 */
	assert_int_equal(tsd_ctlq_hold(q, 1), 0);       /* sample 2: series 1, same window */
	assert_int_equal(tsd_ctlq_control(q, &p1b), 0);
	tsd_ctlq_done(q, 0);
	/* (0, 7) waits for series 0 only, not for series 1 */
	assert_int_equal(tsd_ctlq_next(q, &r), 1);
	assert_int_equal(r.k.partition, 0);
	assert_int_equal(r.k.offset, 7);
	assert_int_equal(tsd_ctlq_next(q, &r), 0);      /* series 1 still holds sample 0 */
	tsd_ctlq_done(q, 1);
	/* (1, 5) fell inside series 1's window: dropped; (1, 6) came after
	 * the window's last sample */
	assert_int_equal(tsd_ctlq_next(q, &r), 1);
	assert_int_equal(r.k.partition, 1);
	assert_int_equal(r.k.offset, 6);
	assert_int_equal(tsd_ctlq_next(q, &r), 0);
	tsd_ctlq_free(q);
}

/* Model with partitions: series s comes from partition s % NP, and after
 * each sample the source writes that partition's position (one per
 * message). A released position must not fall inside a window of a series
 * of its partition, must follow the emission of every sample read before
 * it of a series that may share its partition, and positions of a
 * partition leave in order; at the end the last valid position of every
 * partition has left. */
#define NP 3
static void partitions_model(void **state)
{
	tsd_ctlq *q;
	tsd_rec r;
	int64_t tnow[NS] = { 0 }, win[NS], wfirst[NS], wlast[NS];
	uint32_t *ser = malloc(NSAMP * sizeof *ser);
	char *emitted = calloc(NSAMP, 1);
	int64_t *pmark = malloc(NSAMP * sizeof *pmark); /* samples read before position i */
	int *ppart = malloc(NSAMP * sizeof *ppart);
	char *inside = calloc(NSAMP, 1);
	int64_t *rel = malloc(NSAMP * sizeof *rel);
	size_t nread = 0, npos = 0, released = 0;
	int64_t last_valid[NP], last_out[NP];
	unsigned seed = 777;
	const int64_t W = 6;

	(void)state;
	assert_true(ser && emitted && pmark && ppart && inside && rel);
	for (int s = 0; s < NS; s++)
		win[s] = -1;
	for (int p = 0; p < NP; p++)
		last_valid[p] = last_out[p] = -1;
	assert_int_equal(tsd_ctlq_new(&q), 0);
	for (int step = 0; step < NSAMP / 2; step++) {
		seed = seed * 1103515245u + 12345u;
		unsigned x = seed >> 8;
		uint32_t s = x % NS;
		tnow[s] += 1 + (x / 37) % 3;
		int64_t w = tnow[s] / W;
		if (win[s] >= 0 && w != win[s]) {
			for (size_t i = 0; i < nread; i++)
				if (ser[i] == s)
					emitted[i] = 1;
			for (size_t i = 0; i < npos; i++)
				if (ppart[i] == (int)(s % NP) && pmark[i] > wfirst[s] && pmark[i] <= wlast[s])
					inside[i] = 1;
			tsd_ctlq_done(q, s);
		}
		if (win[s] != w)
			wfirst[s] = (int64_t)nread;
		wlast[s] = (int64_t)nread;
		win[s] = w;
		ser[nread++] = s;
		assert_int_equal(tsd_ctlq_hold(q, s), 0);
		tsd_control k = pos_of("m", (int32_t)(s % NP), (int64_t)npos);
		ppart[npos] = (int)(s % NP);
		pmark[npos++] = (int64_t)nread;
		assert_int_equal(tsd_ctlq_control(q, &k), 0);
		while (tsd_ctlq_next(q, &r) == 1) {
			int64_t i = r.k.offset;
			assert_int_equal(r.k.partition, ppart[i]);
			assert_true(i > last_out[ppart[i]]);  /* in order within a partition */
			for (int64_t j = 0; j < pmark[i]; j++)
				if ((int)(ser[j] % NP) == ppart[i])
					assert_true(emitted[j]);
			last_out[ppart[i]] = i;
			rel[released++] = i; /* checked at the end, once every window has closed */
		}
		assert_true(tsd_ctlq_pending(q) < 200); /* replaced, not piled up */
	}
	for (uint32_t s = 0; s < NS; s++) {
		for (size_t i = 0; i < npos; i++)
			if (win[s] >= 0 && ppart[i] == (int)(s % NP) && pmark[i] > wfirst[s] && pmark[i] <= wlast[s])
				inside[i] = 1;
		tsd_ctlq_done(q, s);
	}
	while (tsd_ctlq_next(q, &r) == 1) {
		assert_true(r.k.offset > last_out[ppart[r.k.offset]]);
		last_out[ppart[r.k.offset]] = r.k.offset;
		rel[released++] = r.k.offset;
	}
	for (size_t i = 0; i < npos; i++)
		if (!inside[i])
			last_valid[ppart[i]] = (int64_t)i;
	for (int p = 0; p < NP; p++) {
		assert_true(last_valid[p] >= 0);
		assert_int_equal(last_out[p], last_valid[p]);
	}
	/* nothing released fell inside a window of its partition */
	for (size_t i = 0; i < released; i++)
		assert_false(inside[rel[i]]);
	print_message("positions %zu, released %zu\n", npos, released);
	assert_true(released > 100);
	tsd_ctlq_free(q);
	free(ser);
	free(emitted);
	free(pmark);
	free(ppart);
	free(inside);
	free(rel);
}

/* A revocation drops the partition's queued positions and frees its
 * series' held samples (so other partitions' positions flow), names
 * exactly the series placed with that partition, and leaves the rest
 * alone; a partition never seen names nothing. */
static void revoke(void **state)
{
	tsd_ctlq *q;
	tsd_rec r;
	tsd_control p0a = pos_of("in", 0, 5), p1 = pos_of("in", 1, 9), p0b = pos_of("in", 0, 6);
	tsd_control rv0 = pos_of("in", 0, 6), rv7 = pos_of("in", 7, 1);
	uint32_t keys[64];

	(void)state;
	rv0.what = rv7.what = TSD_CTL_REVOKE;
	assert_int_equal(tsd_ctlq_new(&q), 0);
	assert_int_equal(tsd_ctlq_hold(q, 2), 0);       /* series 2 opens a window */
	assert_int_equal(tsd_ctlq_control(q, &p0a), 0); /* series 2 is in partition 0 */
	assert_int_equal(tsd_ctlq_hold(q, 3), 0);       /* series 3 opens a window */
	assert_int_equal(tsd_ctlq_control(q, &p1), 0);  /* series 3 is in partition 1 */
	assert_int_equal(tsd_ctlq_hold(q, 2), 0);
	assert_int_equal(tsd_ctlq_control(q, &p0b), 0);
	tsd_ctlq_done(q, 3);
	/* (1, 9) waits for series 3 only; partition 0's for series 2 */
	assert_int_equal(tsd_ctlq_next(q, &r), 1);
	assert_int_equal(r.k.partition, 1);
	assert_int_equal(tsd_ctlq_next(q, &r), 0);
	assert_int_equal(tsd_ctlq_pending(q), 2);
	assert_true(tsd_ctlq_nkeys(q) >= 4);
	assert_int_equal(tsd_ctlq_revoke(q, &rv7, keys, 64), 0);
	assert_int_equal(tsd_ctlq_revoke(q, &rv0, keys, 0), TSD_ESIZE);
	assert_int_equal(tsd_ctlq_revoke(q, &rv0, keys, 64), 1);
	assert_int_equal(keys[0], 2);
	/* partition 0's positions are gone, not released */
	assert_int_equal(tsd_ctlq_next(q, &r), 0);
	assert_int_equal(tsd_ctlq_pending(q), 0);
	/* assigned again: series 2 comes back from offset 5 and is placed with
	 * partition 0 again; a completed window releases its position */
	assert_int_equal(tsd_ctlq_hold(q, 2), 0);
	assert_int_equal(tsd_ctlq_control(q, &p0a), 0);
	tsd_ctlq_done(q, 2);
	assert_int_equal(tsd_ctlq_next(q, &r), 1);
	assert_int_equal(r.k.partition, 0);
	assert_int_equal(r.k.offset, 5);
	/* a series placed with two partitions goes with either */
	assert_int_equal(tsd_ctlq_hold(q, 3), 0);
	assert_int_equal(tsd_ctlq_control(q, &p0b), 0);
	assert_int_equal(tsd_ctlq_revoke(q, &rv0, keys, 64), 2);
	assert_int_equal(keys[0], 2);
	assert_int_equal(keys[1], 3);
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
		cmocka_unit_test(coalesce),
		cmocka_unit_test(per_partition),
		cmocka_unit_test(partitions_model),
		cmocka_unit_test(revoke),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
