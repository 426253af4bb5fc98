/* test_reorder.c: bounded lateness by hand (watermark, ties, duplicates,
 * late samples, flush) and against a model on random shuffles: what leaves
 * is sorted per series, and every sample either leaves or is reported late,
 * late only when a later sample of its series had left. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include "reorder.h"
#include "tsd.h"

static void by_hand(void **state)
{
	tsd_reorder *ro;
	int64_t t;
	double v;
	uint64_t tag;

	(void)state;
	assert_int_equal(tsd_reorder_new(&ro, -1), TSD_EINVAL);
	assert_int_equal(tsd_reorder_new(&ro, 10), 0);
	assert_int_equal(tsd_reorder_push(ro, 2, 100, 1.0, 7), 0);
	assert_int_equal(tsd_reorder_push(ro, 2, 95, 2.0, 8), 0);
	assert_int_equal(tsd_reorder_nseries(ro), 3);
	/* the watermark is 100 - 10: nothing may leave yet */
	assert_int_equal(tsd_reorder_pop(ro, 2, 0, &t, &v, &tag), 0);
	assert_int_equal(tsd_reorder_push(ro, 2, 106, 3.0, 9), 0);
	/* watermark 96: 95 leaves, 100 not */
	assert_int_equal(tsd_reorder_pop(ro, 2, 0, &t, &v, &tag), 1);
	assert_true(t == 95 && v == 2.0 && tag == 8);
	assert_int_equal(tsd_reorder_pop(ro, 2, 0, &t, &v, &tag), 0);
	/* later than what left: late, not held */
	assert_int_equal(tsd_reorder_push(ro, 2, 90, 4.0, 9), 1);
	assert_int_equal(tsd_reorder_push(ro, 2, 95, 4.0, 9), 1);
	/* another series is not held back by this one */
	assert_int_equal(tsd_reorder_pop(ro, 0, 0, &t, &v, &tag), 0);
	/* a duplicate time leaves as late (2), after the first of the two */
	assert_int_equal(tsd_reorder_push(ro, 2, 100, 5.0, 10), 0);
	assert_int_equal(tsd_reorder_held(ro), 3);
	assert_int_equal(tsd_reorder_pop(ro, 2, 1, &t, &v, &tag), 1);
	assert_true(t == 100 && v == 1.0);
	assert_int_equal(tsd_reorder_pop(ro, 2, 1, &t, &v, &tag), 2);
	assert_true(t == 100 && v == 5.0);
	assert_int_equal(tsd_reorder_pop(ro, 2, 1, &t, &v, &tag), 1);
	assert_true(t == 106);
	assert_int_equal(tsd_reorder_pop(ro, 2, 1, &t, &v, &tag), 0);
	assert_int_equal(tsd_reorder_held(ro), 0);
	tsd_reorder_free(ro);
}

/* Series of 0..N-1 at times 10 i, each sample moved by up to D positions;
 * with lateness L the model says which are late. */
static void random_model(void **state)
{
	enum { S = 3, N = 400 };
	(void)state;
	srand(11);
	for (int round = 0; round < 50; round++) {
		int64_t L = (rand() % 6) * 10;
		int D = 1 + rand() % 12;
		struct { uint32_t s; int64_t t; double key; } in[S * N], tmp;
		size_t n = 0;
		for (uint32_t s = 0; s < S; s++)
			for (int i = 0; i < N; i++, n++) {
				in[n].s = s;
				in[n].t = 10 * i;
				in[n].key = i + (double)(rand() % (D * 100)) / 100.0;
			}
		/* sort by key: each sample moves a little */
		for (size_t i = 1; i < n; i++)
			for (size_t j = i; j > 0 && in[j - 1].key > in[j].key; j--)
				tmp = in[j], in[j] = in[j - 1], in[j - 1] = tmp;
		tsd_reorder *ro;
		assert_int_equal(tsd_reorder_new(&ro, L), 0);
		int64_t last[S], tmax[S], out_max[S];
		size_t got = 0, lates = 0;
		for (uint32_t s = 0; s < S; s++)
			last[s] = -1, tmax[s] = -1, out_max[s] = -1;
		for (size_t i = 0; i < n; i++) {
			uint32_t s = in[i].s;
			int rc = tsd_reorder_push(ro, s, in[i].t, (double)in[i].t, i);
			/* the model: late iff not after the last that left */
			assert_int_equal(rc, in[i].t <= out_max[s] ? 1 : 0);
			lates += rc == 1;
			if (in[i].t > tmax[s])
				tmax[s] = in[i].t;
			int64_t t;
			double v;
			uint64_t tag;
			while ((rc = tsd_reorder_pop(ro, s, 0, &t, &v, &tag)) > 0) {
				assert_int_equal(rc, 1);
				assert_true(t > last[s] && t <= tmax[s] - L && v == (double)t);
				last[s] = out_max[s] = t;
				got++;
			}
		}
		for (uint32_t s = 0; s < S; s++) {
			int64_t t;
			double v;
			uint64_t tag;
			while (tsd_reorder_pop(ro, s, 1, &t, &v, &tag) == 1) {
				assert_true(t > last[s]);
				last[s] = t;
				got++;
			}
		}
		assert_int_equal(got + lates, n);
		if (L >= 10 * (D + 1))
			assert_int_equal(lates, 0); /* a bound past the disorder: none late */
		tsd_reorder_free(ro);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(by_hand),
		cmocka_unit_test(random_model),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
