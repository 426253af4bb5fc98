/* test_exact.c: the exact reference for the reduced series (thresh
 * --exact-reduced): the error of a reduced series worked out by hand, and
 * the search against a recursive enumeration with its own error code,
 * never worse than magnitude selection. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "exact.h"
#include "reduce.h"
#include "select.h"
#include "tsd.h"

static void sse_by_hand(void **state)
{
	double x[4] = { 0, 0, 0, 0 }, y[4] = { 9, 2, 9, 4 };
	int64_t t[4] = { 0, 10, 40, 50 };
	size_t idx[2] = { 1, 3 };

	(void)state;
	/* flat 2 before the first point, 2 -> 4 between (by time: 3.5 at
	 * t = 40), the points themselves: 4 + 4 + 12.25 + 16 */
	assert_true(tsd_reduce_sse(x, y, t, 4, idx, 2) == 36.25);
	assert_true(isinf(tsd_reduce_sse(x, y, t, 4, idx, 0)));
}

typedef struct {
	const tsd_coefwin *cw;
	const double *x;
	size_t pos[TSD_EXACT_MAXD], ne;
	double best;
} brute;

/* the reduced series' error with the details in sel kept: reconstruction,
 * merge's points, and the error read sample by sample (evenly spaced) */
static double eval(brute *b, const unsigned char *sel)
{
	const tsd_coefwin *cw = b->cw;
	size_t n = cw->n, m = cw->m, a = cw->lens[0];
	double cb[64], y[64], work[1024], e = 0;
	unsigned char keep[64], mark[64];
	size_t idx[64];

	assert_true(m <= 64 && n <= 64 && tsd_coefwin_work_len(n, cw->J, cw->w, cw->mode) <= 1024);
	memset(keep, 0, sizeof keep);
	for (size_t i = 0; i < m; i++)
		cb[i] = i < a ? cw->c[i] : 0, keep[i] = i < a;
	for (size_t j = 0; j < b->ne; j++)
		if (sel[j])
			cb[b->pos[j]] = cw->c[b->pos[j]], keep[b->pos[j]] = 1;
	assert_int_equal(tsd_coefwin_reconstruct(y, n, cb, work, cw->J, cw->w, cw->mode), 0);
	int np = tsd_reduce(idx, mark, y, n, keep, cw->lens, cw->J, cw->w, cw->mode);
	assert_true(np > 0);
	for (size_t i = 0, p = 0; i < n; i++) {
		double v;
		while (p + 1 < (size_t)np && idx[p + 1] <= i)
			p++;
		if (i <= idx[0])
			v = y[idx[0]];
		else if (i >= idx[np - 1])
			v = y[idx[np - 1]];
		else
			v = y[idx[p]] + (y[idx[p + 1]] - y[idx[p]]) * (double)(i - idx[p]) / (double)(idx[p + 1] - idx[p]);
		e += (b->x[i] - v) * (b->x[i] - v);
	}
	return e;
}

static void recurse(brute *b, unsigned char *sel, size_t from, size_t left)
{
	if (!left) {
		double e = eval(b, sel);
		if (e < b->best)
			b->best = e;
		return;
	}
	for (size_t j = from; j + left <= b->ne; j++) {
		sel[j] = 1;
		recurse(b, sel, j + 1, left - 1);
		sel[j] = 0;
	}
}

static void search(void **state)
{
	static const struct { const char *w, *mode; size_t n; unsigned J; } cs[] = {
		{ "haar", "symmetric", 16, 3 }, { "haar", "periodization", 16, 2 },
		{ "db2", "symmetric", 12, 1 }, { "db2", "periodization", 16, 2 }, { "haar", "zero", 13, 2 },
	};
	int strictly_better = 0;

	(void)state;
	for (size_t ci = 0; ci < sizeof cs / sizeof cs[0]; ci++) {
		for (uint64_t seed = 1; seed <= 3; seed++) {
			tsd_coefwin cw;
			double c[64], x[64], work[1024];
			unsigned char have[64], keep[64];
			int64_t t[64];
			memset(&cw, 0, sizeof cw);
			cw.w = tsd_wavelet_find(cs[ci].w);
			cw.mode = (enum tsd_mode)tsd_mode_parse(cs[ci].mode);
			cw.J = cs[ci].J;
			cw.n = cs[ci].n;
			assert_int_equal(tsd_coefwin_lengths(cw.lens, cw.n, cw.J, cw.w, cw.mode), 0);
			cw.m = tsd_coefwin_total(cw.n, cw.J, cw.w, cw.mode);
			assert_true(cw.m <= 64);
			/* a step, a spike and a slope: details worth choosing well */
			uint64_t s = seed * 2654435761u;
			for (size_t i = 0; i < cw.n; i++) {
				s = s * 6364136223846793005ULL + 1442695040888963407ULL;
				x[i] = (i >= cw.n / 3 ? 4.0 : 0.0) + (i == cw.n / 2 ? 6.0 : 0.0) + 0.3 * (double)i +
				       (double)((s >> 33) % 100) / 100.0;
				t[i] = 1000 * (int64_t)i;
			}
			assert_int_equal(tsd_coefwin_decompose(c, work, x, cw.n, cw.J, cw.w, cw.mode), 0);
			memset(have, 1, cw.m);
			cw.c = c;
			cw.have = have;
			cw.t = t;
			brute b = { .cw = &cw, .x = x };
			for (size_t i = cw.lens[0]; i < cw.m; i++)
				b.pos[b.ne++] = i;
			assert_true(b.ne <= 14);
			for (size_t k = 0; k <= b.ne; k += 1 + (b.ne > 8)) {
				unsigned char sel[TSD_EXACT_MAXD] = { 0 };
				double sse, mag;
				b.best = INFINITY;
				recurse(&b, sel, 0, k);
				assert_int_equal(tsd_exact_reduced(keep, &sse, &cw, k), (int)k);
				if (fabs(sse - b.best) > 1e-9 * (1 + b.best))
					fail_msg("%s %s n=%zu k=%zu: search %.17g, enumeration %.17g", cs[ci].w,
						 cs[ci].mode, cw.n, k, sse, b.best);
				/* the selection it returns has that error */
				for (size_t j = 0; j < b.ne; j++)
					sel[j] = keep[b.pos[j]];
				assert_true(fabs(eval(&b, sel) - sse) <= 1e-9 * (1 + sse));
				/* never worse than the k largest magnitudes */
				double vals[64], wk[64];
				unsigned char top[64];
				for (size_t j = 0; j < b.ne; j++)
					vals[j] = c[b.pos[j]];
				tsd_select_top(top, wk, vals, NULL, b.ne, k);
				mag = eval(&b, top);
				assert_true(sse <= mag + 1e-9 * (1 + mag));
				strictly_better += sse < mag - 1e-9 * (1 + mag);
			}
		}
	}
	/* and it matters: greedy point placement makes magnitude miss */
	assert_true(strictly_better > 0);
	print_message("windows x counts where the search beat magnitude: %d\n", strictly_better);
}

static void too_many(void **state)
{
	tsd_coefwin cw;
	double c[64] = { 0 }, sse;
	unsigned char have[64], keep[64];
	int64_t t[64] = { 0 };

	(void)state;
	memset(&cw, 0, sizeof cw);
	cw.w = tsd_wavelet_find("haar");
	cw.mode = TSD_MODE_PERIODIZATION;
	cw.J = 1;
	cw.n = 64;
	assert_int_equal(tsd_coefwin_lengths(cw.lens, cw.n, cw.J, cw.w, cw.mode), 0);
	cw.m = 64;
	memset(have, 1, sizeof have);
	cw.c = c;
	cw.have = have;
	cw.t = t;
	assert_int_equal(tsd_exact_reduced(keep, &sse, &cw, 3), TSD_ERANGE); /* 32 details */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sse_by_hand),
		cmocka_unit_test(search),
		cmocka_unit_test(too_many),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
