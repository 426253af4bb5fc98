/* test_features.c: the scorer's token features (lib/feature.h) against
 * numpy + PyWavelets references (testdata/feature/ref.txt from
 * scripts/gen-feature-ref.py), and their invariances and guards. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coefwin.h"
#include "feature.h"
#include "tsd.h"

/* features are floats: |got - ref| <= TOL_ABS + TOL_REL |ref| */
#define TOL_ABS 2e-6
#define TOL_REL 2e-6
/* a*x + b against x: features agree to this (rounding of the transform) */
#define TOL_INV 1e-4

#define MAXN 1024
#define FC TSD_FEAT_COUNT

struct win {
	const tsd_wavelet *w;
	enum tsd_mode mode;
	unsigned J;
	size_t n, m, T, lens[TSD_COEFWIN_MAXJ + 1];
	double x[MAXN], c[4 * MAXN], work[16 * MAXN];
};

static void transform(struct win *w)
{
	assert_int_equal(tsd_coefwin_lengths(w->lens, w->n, w->J, w->w, w->mode), 0);
	w->m = tsd_coefwin_total(w->n, w->J, w->w, w->mode);
	assert_true(w->m <= 4 * MAXN);
	assert_true(tsd_coefwin_work_len(w->n, w->J, w->w, w->mode) <= 16 * MAXN);
	assert_int_equal(tsd_coefwin_decompose(w->c, w->work, w->x, w->n, w->J, w->w, w->mode), 0);
	w->T = tsd_feature_tokens(w->lens, w->J);
}

static void test_reference(void **state)
{
	const char *dir = getenv("TSD_TESTDATA");
	static char line[65536];
	static struct win w;
	static float x[4 * MAXN * FC];
	static uint32_t tok[4 * MAXN];
	struct tsd_feature_ws ws;
	char path[512], wav[16], mode[32];
	size_t t = 0, checked = 0;
	int cases = 0;
	FILE *f;

	(void)state;
	tsd_feature_ws_init(&ws);
	snprintf(path, sizeof path, "%s/feature/ref.txt", dir ? dir : "testdata");
	if (!(f = fopen(path, "r")))
		fail_msg("cannot open %s (run from the top of the tree or set TSD_TESTDATA)", path);
	while (fgets(line, sizeof line, f)) {
		if (!strncmp(line, "case ", 5)) {
			unsigned J;
			size_t n;
			assert_int_equal(sscanf(line, "case %15s %31s %u %zu", wav, mode, &J, &n), 4);
			assert_non_null(w.w = tsd_wavelet_find(wav));
			assert_true(tsd_mode_parse(mode) >= 0);
			w.mode = (enum tsd_mode)tsd_mode_parse(mode);
			w.J = J;
			w.n = n;
			assert_true(n <= MAXN);
			cases++;
		} else if (!strncmp(line, "x ", 2)) {
			char *p = line + 2, *e;
			for (size_t i = 0; i < w.n; i++, p = e)
				w.x[i] = strtod(p, &e);
			transform(&w);
			assert_int_equal(tsd_feature_window(x, tok, &ws, w.c, w.lens, w.J, w.n, w.w, w.mode),
					 (int)w.T);
			t = 0;
		} else if (!strncmp(line, "t ", 2)) {
			char *p = line + 2, *e;
			unsigned long idx = strtoul(p, &e, 10);
			assert_true(t < w.T);
			if (tok[t] != idx)
				fail_msg("case %d token %zu: layout index %u, numpy %lu", cases, t, tok[t], idx);
			for (int k = 0; k < FC; k++, p = e) {
				double ref = strtod(e, &e), got = x[t * FC + k];
				if (!(fabs(got - ref) <= TOL_ABS + TOL_REL * fabs(ref)))
					fail_msg("case %d token %zu feature %d: %.9g, numpy %.9g", cases, t, k, got, ref);
				checked++;
			}
			t++;
		}
	}
	fclose(f);
	tsd_feature_ws_free(&ws);
	assert_int_equal(cases, 4);
	assert_true(checked > 400 * FC);
}

static void fill(double *x, size_t n, uint64_t s)
{
	for (size_t i = 0; i < n; i++) {
		s = s * 6364136223846793005ULL + 1442695040888963407ULL;
		x[i] = sin((double)i / 9) + (double)((s >> 33) % 1000) / 2000.0 + (i == 77 ? 5 : 0);
	}
}

/* a x + b, a > 0, gives the same features */
static void test_invariance(void **state)
{
	static struct win a, b;
	static float xa[4 * MAXN * FC], xb[4 * MAXN * FC];
	static uint32_t ta[4 * MAXN], tb[4 * MAXN];
	struct tsd_feature_ws ws;

	(void)state;
	tsd_feature_ws_init(&ws);
	a.w = b.w = tsd_wavelet_find("db4");
	a.mode = b.mode = TSD_MODE_SYMMETRIC;
	a.J = b.J = 4;
	a.n = b.n = 256;
	fill(a.x, a.n, 3);
	for (size_t i = 0; i < a.n; i++)
		b.x[i] = 250.0 * a.x[i] - 1e4;
	transform(&a);
	transform(&b);
	assert_int_equal(tsd_feature_window(xa, ta, &ws, a.c, a.lens, a.J, a.n, a.w, a.mode), (int)a.T);
	assert_int_equal(tsd_feature_window(xb, tb, &ws, b.c, b.lens, b.J, b.n, b.w, b.mode), (int)b.T);
	for (size_t t = 0; t < a.T; t++) {
		assert_int_equal(ta[t], tb[t]);
		for (int k = 0; k < FC; k++)
			if (!(fabs(xa[t * FC + k] - xb[t * FC + k]) <= TOL_INV * (1 + fabs(xa[t * FC + k]))))
				fail_msg("token %zu feature %d: %.9g vs %.9g", t, k, xa[t * FC + k], xb[t * FC + k]);
	}
	/* every detail appears once */
	for (size_t t = 0; t < a.T; t++)
		for (size_t u = t + 1; u < a.T; u++)
			assert_int_not_equal(ta[t], ta[u]);
	tsd_feature_ws_free(&ws);
}

/* a constant window: finite features; NaN and infinity: TSD_EINVAL */
static void test_guards(void **state)
{
	static struct win a;
	static float x[4 * MAXN * FC];
	static uint32_t tok[4 * MAXN];
	struct tsd_feature_ws ws;

	(void)state;
	tsd_feature_ws_init(&ws);
	a.w = tsd_wavelet_find("haar");
	a.mode = TSD_MODE_PERIODIZATION;
	a.J = 3;
	a.n = 64;
	for (size_t i = 0; i < a.n; i++)
		a.x[i] = 7;
	transform(&a);
	assert_int_equal(tsd_feature_window(x, tok, &ws, a.c, a.lens, a.J, a.n, a.w, a.mode), (int)a.T);
	for (size_t i = 0; i < a.T * FC; i++)
		assert_true(isfinite(x[i]));
	a.c[a.m - 1] = NAN;
	x[0] = 12345;
	assert_int_equal(tsd_feature_window(x, tok, &ws, a.c, a.lens, a.J, a.n, a.w, a.mode), TSD_EINVAL);
	assert_true(x[0] == 12345); /* nothing written */
	a.c[a.m - 1] = 0;
	a.c[0] = INFINITY;
	assert_int_equal(tsd_feature_window(x, tok, &ws, a.c, a.lens, a.J, a.n, a.w, a.mode), TSD_EINVAL);
	tsd_feature_ws_free(&ws);
}

/* tsd_feature_top against the full features: the rows of the keep
 * largest magnitudes (ties to the earliest token), bit for bit, and the
 * largest magnitude left out; one workspace across shapes that change
 * (its cached time order), quantised data so that magnitudes tie. */
struct rank { double a; size_t t; };

static int by_rank(const void *pa, const void *pb)
{
	const struct rank *a = pa, *b = pb;

	if (a->a != b->a)
		return a->a < b->a ? 1 : -1;
	return a->t < b->t ? -1 : a->t > b->t;
}

static void test_top(void **state)
{
	static struct win v[3];
	static float xf[4 * MAXN * FC], xg[4 * MAXN * FC];
	static uint32_t tf[4 * MAXN], tg[4 * MAXN];
	static struct rank r[4 * MAXN];
	static unsigned char on[4 * MAXN];
	const char *wav[3] = { "haar", "db4", "sym5" };
	const enum tsd_mode mode[3] = { TSD_MODE_PERIODIZATION, TSD_MODE_SYMMETRIC, TSD_MODE_ZERO };
	const unsigned J[3] = { 3, 4, 3 };
	const size_t n[3] = { 64, 256, 200 };
	struct tsd_feature_ws ws, fresh;
	int ties = 0;

	(void)state;
	tsd_feature_ws_init(&ws);
	for (int i = 0; i < 3; i++) {
		v[i].w = tsd_wavelet_find(wav[i]);
		assert_non_null(v[i].w);
		v[i].mode = mode[i];
		v[i].J = J[i];
		v[i].n = n[i];
		fill(v[i].x, n[i], 11 + (uint64_t)i);
		for (size_t k = 0; k < n[i]; k++)
			v[i].x[k] = round(v[i].x[k] * 4) / 4;
		transform(&v[i]);
	}
	static const int seq[] = { 0, 1, 0, 2, 1, 2, 0 };
	for (size_t round_ = 0; round_ < sizeof seq / sizeof *seq; round_++) {
		struct win *a = &v[seq[round_]];
		size_t T = a->T, keeps[] = { 0, 1, 7, T / 3, T / 2, T - 1, T, T + 5 };

		tsd_feature_ws_init(&fresh);
		assert_int_equal(tsd_feature_window(xf, tf, &fresh, a->c, a->lens, a->J, a->n, a->w, a->mode), (int)T);
		tsd_feature_ws_free(&fresh);
		for (size_t t = 0; t < T; t++) {
			r[t].a = fabs(a->c[tf[t]]);
			r[t].t = t;
		}
		qsort(r, T, sizeof *r, by_rank);
		for (size_t q = 0; q < sizeof keeps / sizeof *keeps; q++) {
			size_t keep = keeps[q], want = keep < T ? keep : T, row = 0;
			double cut = -1;

			if (keep && keep < T && r[keep - 1].a == r[keep].a)
				ties++;
			memset(on, 0, T);
			for (size_t i = 0; i < want; i++)
				on[r[i].t] = 1;
			assert_int_equal(tsd_feature_top(xg, tg, &cut, &ws, a->c, a->lens, a->J, a->n,
							 a->w, a->mode, keep), (int)want);
			assert_true(cut == (keep < T ? r[keep].a : 0));
			for (size_t t = 0; t < T; t++) {
				if (!on[t])
					continue;
				assert_int_equal(tg[row], tf[t]);
				assert_memory_equal(xg + row * FC, xf + t * FC, FC * sizeof *xf);
				row++;
			}
			assert_int_equal(row, want);
		}
	}
	assert_true(ties > 0);	/* the tie rule was tried */
	tsd_feature_ws_free(&ws);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reference),
		cmocka_unit_test(test_invariance),
		cmocka_unit_test(test_guards),
		cmocka_unit_test(test_top),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
