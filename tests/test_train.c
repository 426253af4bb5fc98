/* test_train.c: oracle labels (importance, targets), the data set, the
 * training loop (learning, repeatability, resume) and checkpoints. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "coefwin.h"
#include "feature.h"
#include "scorer.h"
#include "reduce.h"
#include "train.h"
#include "tsd.h"

/* importance against hand values: relative error */
#define TOL_IMP 1e-12

static void series(double *x, size_t n, uint64_t s)
{
	for (size_t i = 0; i < n; i++) {
		s = s * 6364136223846793005ULL + 1442695040888963407ULL;
		x[i] = sin((double)i / 7) + (double)((s >> 33) % 1000) / 4000.0 +
		       (i % 97 == 50 ? 3 : 0);
	}
}

/* Haar with periodization is orthonormal: unit weights give c^2; a
 * level-1 detail k covers samples 2k, 2k+1 with psi^2 = 1/2 each. */
static void test_importance(void **state)
{
	const tsd_wavelet *w = tsd_wavelet_find("haar");
	struct tsd_train_basis bs;
	double x[64], c[64], work[256], imp[64], wt[64];
	size_t lens[TSD_COEFWIN_MAXJ + 1];

	(void)state;
	tsd_train_basis_init(&bs);
	series(x, 64, 1);
	assert_true(tsd_coefwin_work_len(64, 3, w, TSD_MODE_PERIODIZATION) <= 256);
	assert_int_equal(tsd_coefwin_lengths(lens, 64, 3, w, TSD_MODE_PERIODIZATION), 0);
	assert_int_equal(tsd_coefwin_decompose(c, work, x, 64, 3, w, TSD_MODE_PERIODIZATION), 0);
	assert_int_equal(tsd_train_importance(imp, &bs, c, NULL, 64, 3, w, TSD_MODE_PERIODIZATION), 0);
	for (size_t i = 0; i < 64 - lens[0]; i++) {
		double want = c[lens[0] + i] * c[lens[0] + i];
		assert_true(fabs(imp[i] - want) <= TOL_IMP * (want + 1e-300));
	}
	/* one level: weight 21 on samples 2 and 3 (detail 1) */
	assert_int_equal(tsd_coefwin_decompose(c, work, x, 8, 1, w, TSD_MODE_PERIODIZATION), 0);
	for (int i = 0; i < 8; i++)
		wt[i] = i == 2 || i == 3 ? 21 : 1;
	assert_int_equal(tsd_train_importance(imp, &bs, c, wt, 8, 1, w, TSD_MODE_PERIODIZATION), 0);
	for (int k = 0; k < 4; k++) {
		double want = (k == 1 ? 21 : 1) * c[4 + k] * c[4 + k];
		assert_true(fabs(imp[k] - want) <= TOL_IMP * (want + 1e-300));
	}
	wt[5] = -1;
	assert_int_equal(tsd_train_importance(imp, &bs, c, wt, 8, 1, w, TSD_MODE_PERIODIZATION), TSD_EINVAL);
	wt[5] = NAN;
	assert_int_equal(tsd_train_importance(imp, &bs, c, wt, 8, 1, w, TSD_MODE_PERIODIZATION), TSD_EINVAL);
	tsd_train_basis_free(&bs);
}

/* error of merge's reduced series when the approximation and detail i
 * (layout index, or none when i == 0) are kept: own interpolation */
static double reduced_error(const double *c, size_t i, const double *x, size_t n, unsigned J,
			    const tsd_wavelet *w, enum tsd_mode mode)
{
	size_t lens[TSD_COEFWIN_MAXJ + 1], m = tsd_coefwin_total(n, J, w, mode), idx[256];
	double cz[512], work[2048], y[256], e = 0;
	unsigned char keep[512], mark[256];
	int np;

	assert_true(m <= 512 && n <= 256 && tsd_coefwin_work_len(n, J, w, mode) <= 2048);
	assert_int_equal(tsd_coefwin_lengths(lens, n, J, w, mode), 0);
	memset(keep, 0, m);
	memset(keep, 1, lens[0]);
	if (i)
		keep[i] = 1;
	for (size_t k = 0; k < m; k++)
		cz[k] = keep[k] ? c[k] : 0;
	assert_int_equal(tsd_coefwin_reconstruct(y, n, cz, work, J, w, mode), 0);
	np = tsd_reduce(idx, mark, y, n, keep, lens, J, w, mode);
	assert_true(np > 0);
	for (size_t t = 0; t < n; t++) {
		double u;
		int p = 0;
		while (p + 1 < np && idx[p + 1] <= t)
			p++;
		if (t <= idx[0])
			u = y[idx[0]];
		else if (p + 1 >= np)
			u = y[idx[np - 1]];
		else
			u = y[idx[p]] + (y[idx[p + 1]] - y[idx[p]]) * (double)(t - idx[p]) /
					       (double)(idx[p + 1] - idx[p]);
		e += (u - x[t]) * (u - x[t]);
	}
	return e;
}

/* the greedy oracle: a lone spike's detail first; the first pick leaves
 * the smallest reduced-series error of all single details */
static void test_greedy(void **state)
{
	const tsd_wavelet *haar = tsd_wavelet_find("haar"), *db2 = tsd_wavelet_find("db2");
	struct tsd_train_basis bs;
	double x[64] = { 1, 1, 1, 1, 6, 1, 1, 1 }, c[256], work[1024], imp[256];
	size_t rank[256], lens[TSD_COEFWIN_MAXJ + 1], nd, best = 0;
	double ebest = INFINITY;

	(void)state;
	tsd_train_basis_init(&bs);
	assert_int_equal(tsd_coefwin_decompose(c, work, x, 8, 1, haar, TSD_MODE_PERIODIZATION), 0);
	assert_int_equal(tsd_train_importance(imp, &bs, c, NULL, 8, 1, haar, TSD_MODE_PERIODIZATION), 0);
	assert_int_equal(tsd_train_greedy(rank, &bs, c, NULL, imp, 8, 1, haar, TSD_MODE_PERIODIZATION, 1, 4), 0);
	assert_int_equal(rank[2], 0);
	for (int k = 0; k < 4; k++)
		assert_true(rank[k] < 4);

	series(x, 64, 5);
	assert_int_equal(tsd_coefwin_lengths(lens, 64, 2, db2, TSD_MODE_SYMMETRIC), 0);
	assert_int_equal(tsd_coefwin_decompose(c, work, x, 64, 2, db2, TSD_MODE_SYMMETRIC), 0);
	nd = tsd_coefwin_total(64, 2, db2, TSD_MODE_SYMMETRIC) - lens[0];
	assert_int_equal(tsd_train_importance(imp, &bs, c, NULL, 64, 2, db2, TSD_MODE_SYMMETRIC), 0);
	assert_int_equal(tsd_train_greedy(rank, &bs, c, NULL, imp, 64, 2, db2, TSD_MODE_SYMMETRIC, 1, nd), 0);
	for (size_t i = 0; i < nd; i++) {
		double e = reduced_error(c, lens[0] + i, x, 64, 2, db2, TSD_MODE_SYMMETRIC);
		if (e < ebest) {
			ebest = e;
			best = i;
		}
	}
	assert_int_equal(rank[best], 0);
	/* every detail gets a distinct rank */
	for (size_t i = 0; i < nd; i++)
		for (size_t j = i + 1; j < nd; j++)
			assert_int_not_equal(rank[i], rank[j]);
	tsd_train_basis_free(&bs);
}

static void test_targets(void **state)
{
	double imp[] = { 3, 1, 2, 5 }, tie[] = { 1, 1, 1 };
	size_t ks[] = { 1, 3 }, k1[] = { 1 }, tmp[8];
	float y[4];

	(void)state;
	assert_int_equal(tsd_train_targets(y, tmp, imp, 4, ks, 2), 0);
	assert_true(y[0] == 0.5f && y[1] == 0.0f && y[2] == 0.5f && y[3] == 1.0f);
	assert_int_equal(tsd_train_targets(y, tmp, tie, 3, k1, 1), 0);
	assert_true(y[0] == 1.0f && y[1] == 0.0f && y[2] == 0.0f);
	assert_int_equal(tsd_train_targets(y, tmp, imp, 4, ks, 0), TSD_EINVAL);
}

/* a data set of a few windows of one series */
static void make_data(struct tsd_train_data *d, size_t nwin, uint64_t seed)
{
	const tsd_wavelet *w = tsd_wavelet_find("db2");
	double x[128], c[256], work[1024], wt[128];

	assert_int_equal(tsd_train_data_init(d, NULL, 0), 0);
	assert_true(tsd_coefwin_total(128, 3, w, TSD_MODE_SYMMETRIC) <= 256);
	assert_true(tsd_coefwin_work_len(128, 3, w, TSD_MODE_SYMMETRIC) <= 1024);
	for (size_t k = 0; k < nwin; k++) {
		series(x, 128, seed + k);
		for (int i = 0; i < 128; i++)
			wt[i] = i >= 40 && i < 60 ? 21 : 1;
		assert_int_equal(tsd_coefwin_decompose(c, work, x, 128, 3, w, TSD_MODE_SYMMETRIC), 0);
		assert_int_equal(tsd_train_data_add(d, c, wt, 128, 3, w, TSD_MODE_SYMMETRIC), 0);
	}
	assert_int_equal(d->n, nwin);
	/* budgets at ratios 4, 8, 16, 32 of 128 samples, 16 coarse points */
	assert_int_equal(d->w[0].ks[0], 16);
	assert_int_equal(d->w[0].ks[1], 0);
	c[5] = NAN;
	assert_int_equal(tsd_train_data_add(d, c, wt, 128, 3, w, TSD_MODE_SYMMETRIC), TSD_EINVAL);
}

/* Training on candidates: one sequence per ratio, the scorer's
 * candidates with the very features tscore computes for them, and
 * targets for that ratio's budget among them. */
static void test_candidates(void **state)
{
	const tsd_wavelet *w = tsd_wavelet_find("db2");
	double x[128], c[256], work[1024], wt[128];
	size_t lens[4];
	const double ratios[] = { 2, 4 };
	float xf[256 * TSD_FEAT_COUNT], xt[256 * TSD_FEAT_COUNT];
	uint32_t tf[256], tt[256];
	struct tsd_feature_ws fws;

	(void)state;
	series(x, 128, 7);
	for (int i = 0; i < 128; i++)
		wt[i] = i >= 40 && i < 60 ? 21 : 1;
	assert_int_equal(tsd_coefwin_decompose(c, work, x, 128, 3, w, TSD_MODE_SYMMETRIC), 0);
	assert_int_equal(tsd_coefwin_lengths(lens, 128, 3, w, TSD_MODE_SYMMETRIC), 0);
	size_t T = tsd_feature_tokens(lens, 3);
	tsd_feature_ws_init(&fws);
	assert_int_equal(tsd_feature_window(xf, tf, &fws, c, lens, 3, 128, w, TSD_MODE_SYMMETRIC), (int)T);
	for (int g = 0; g < 2; g++) {
		struct tsd_train_data d;
		assert_int_equal(tsd_train_data_init(&d, ratios, 2), 0);
		d.cand = 1.5;
		d.greedy = g ? 0.5 : 0;
		assert_int_equal(tsd_train_data_add(&d, c, wt, 128, 3, w, TSD_MODE_SYMMETRIC), 0);
		assert_int_equal(d.n, 2); /* one sequence per ratio */
		size_t tokens = 0;
		for (int r = 0; r < 2; r++) {
			const struct tsd_train_win *s = &d.w[r];
			size_t S = tsd_scorer_candidates(ratios[r], 1.5, 3, 128, T), k = s->ks[0];
			assert_true(S < T);
			assert_int_equal(s->T, S);
			assert_int_equal(s->ks[1], k);
			assert_true(k > 0 && k < S);
			/* the rows tscore's candidates get, in its order */
			assert_int_equal(tsd_feature_top(xt, tt, NULL, &fws, c, lens, 3, 128, w, TSD_MODE_SYMMETRIC, S),
					 (int)S);
			assert_memory_equal(s->x, xt, S * TSD_FEAT_COUNT * sizeof *xt);
			float ysum = 0, smallest_kept = INFINITY;
			for (size_t i = 0; i < S; i++) {
				size_t j = 0;
				while (j < T && tf[j] != tt[i])
					j++;
				assert_true(j < T); /* and the same features as in the whole window */
				assert_memory_equal(s->x + i * TSD_FEAT_COUNT, xf + j * TSD_FEAT_COUNT,
						    TSD_FEAT_COUNT * sizeof *xf);
				assert_true(s->mag[i] == (float)fabs(c[tt[i]]));
				if (s->mag[i] < smallest_kept)
					smallest_kept = s->mag[i];
				assert_true(s->y[i] >= 0 && s->y[i] <= 1);
				ysum += s->y[i];
			}
			/* the candidates are the largest magnitudes */
			size_t above = 0;
			for (size_t j = 0; j < T; j++)
				above += (float)fabs(c[tf[j]]) > smallest_kept;
			assert_true(above < S);
			/* k targets among them (a mix of two sets of k with greedy) */
			assert_true(fabsf(ysum - (float)k) < 1e-4f);
			tokens += S;
		}
		assert_int_equal(d.tokens, tokens);
		tsd_train_data_free(&d);
	}
	tsd_feature_ws_free(&fws);
}

static void tiny_cfg(struct tsd_model_config *cfg)
{
	tsd_model_config_default(cfg, TSD_FEAT_COUNT);
	cfg->width = 8;
	cfg->heads = 1;
	cfg->layers = 1;
	cfg->hidden = 16;
	cfg->radius = 4;
}

static void fresh(struct tsd_model *m, struct tsd_adamw *opt, const struct tsd_train_data *d)
{
	struct tsd_model_config cfg;

	tiny_cfg(&cfg);
	assert_int_equal(tsd_model_init(m, &cfg, 7), 0);
	assert_int_equal(tsd_adamw_init(opt, m->nparams), 0);
	assert_int_equal(tsd_train_set_norm(m, d), 0);
}

static void opts(struct tsd_train_opts *o, int epochs)
{
	tsd_train_opts_default(o);
	o->epochs = epochs;
	o->batch = 2;
	o->warmup = 2;
	o->lr = 1e-2;
	o->seed = 3;
}

static int stop5(const struct tsd_train_progress *p, void *arg)
{
	(void)arg;
	return p->epoch == 5 ? 99 : 0;
}

/* The batch gradient is a mean over windows: a batch of three copies of a
 * window has that window's gradient, and a batch of two windows the mean
 * of theirs (a sum instead would grow with the batch, and AdamW's
 * normalisation hides it everywhere but in the clip and the epsilon). */
static void test_batch_grad(void **state)
{
	struct tsd_train_data d;
	struct tsd_model m;
	struct tsd_adamw o;
	struct tsd_train_ws ws;
	const size_t one[] = { 1 }, three[] = { 1, 1, 1 }, other[] = { 4 }, two[] = { 1, 4 };
	double ls = 0;
	size_t tok = 0;
	float *g1, *g4;
	double worst = 0, scale = 0;

	(void)state;
	make_data(&d, 6, 17);
	fresh(&m, &o, &d);
	assert_int_equal(tsd_train_ws_init(&ws, &m.cfg, 256), 0);
	g1 = malloc(m.nparams * sizeof *g1);
	g4 = malloc(m.nparams * sizeof *g4);
	assert_true(g1 && g4);
	assert_int_equal(tsd_train_batch_grad(&ls, &tok, &ws, &m, &d, one, 1), 0);
	assert_int_equal(tok, d.w[1].T);
	memcpy(g1, m.grad_mem, m.nparams * sizeof *g1);
	assert_int_equal(tsd_train_batch_grad(&ls, &tok, &ws, &m, &d, other, 1), 0);
	memcpy(g4, m.grad_mem, m.nparams * sizeof *g4);
	assert_int_equal(tsd_train_batch_grad(&ls, &tok, &ws, &m, &d, three, 3), 0);
	for (size_t i = 0; i < m.nparams; i++) {
		scale = fmax(scale, fabs(g1[i]));
		worst = fmax(worst, fabs(m.grad_mem[i] - g1[i]));
	}
	assert_true(scale > 0);
	if (worst > 1e-5 * scale)
		fail_msg("three copies: gradient differs by %g (scale %g)", worst, scale);
	assert_int_equal(tsd_train_batch_grad(&ls, &tok, &ws, &m, &d, two, 2), 0);
	worst = 0;
	for (size_t i = 0; i < m.nparams; i++)
		worst = fmax(worst, fabs(m.grad_mem[i] - 0.5 * ((double)g1[i] + g4[i])));
	if (worst > 1e-5 * scale)
		fail_msg("two windows: gradient differs from the mean by %g (scale %g)", worst, scale);
	assert_int_equal(tsd_train_batch_grad(&ls, &tok, &ws, &m, &d, (const size_t[]){ 6 }, 1), TSD_EINVAL);
	free(g1);
	free(g4);
	tsd_train_ws_free(&ws);
	tsd_adamw_free(&o);
	tsd_model_free(&m);
	tsd_train_data_free(&d);
}

/* training lowers the loss on its data; same seed, same weights; a run
 * resumed from its checkpoint ends with the same weights; a saved and
 * reloaded model scores identically */
static void test_run(void **state)
{
	struct tsd_train_data d;
	struct tsd_model a, b, c;
	struct tsd_adamw oa, ob, oc;
	struct tsd_train_opts o, o2;
	struct tsd_train_ws ws;
	struct tsd_train_eval e0, e1;
	char ck[] = "/tmp/tsd_test_trainXXXXXX", mf[64], err[256];
	int fd, epoch;

	(void)state;
	make_data(&d, 6, 11);
	fresh(&a, &oa, &d);
	fresh(&b, &ob, &d);
	assert_int_equal(tsd_train_ws_init(&ws, &a.cfg, 256), 0);
	assert_int_equal(tsd_train_evaluate(&e0, &ws, &a, &d, 0), 0);
	opts(&o, 12);
	assert_int_equal(tsd_train_run(&a, &oa, 0, &d, NULL, 0, &o, NULL, NULL), 0);
	assert_int_equal(tsd_train_evaluate(&e1, &ws, &a, &d, 0), 0);
	assert_true(e1.loss < 0.8 * e0.loss);
	assert_true(e1.cap > e0.cap);

	/* same seed, same weights */
	opts(&o, 12);
	assert_int_equal(tsd_train_run(&b, &ob, 0, &d, NULL, 0, &o, NULL, NULL), 0);
	assert_memory_equal(a.param_mem, b.param_mem, a.nparams * sizeof(float));
	tsd_model_free(&b);
	tsd_adamw_free(&ob);

	/* b: stopped by the callback after epoch 5, checkpointed, reloaded
	 * as c, resumed to 12: the weights of the uninterrupted run a */
	fd = mkstemp(ck);
	assert_true(fd >= 0);
	close(fd);
	fresh(&b, &ob, &d);
	o2 = o;
	assert_int_equal(tsd_train_run(&b, &ob, 0, &d, NULL, 0, &o2, stop5, NULL), 99);
	assert_int_equal(tsd_train_ckpt_save(ck, &b, &ob, 5, &o2, err, sizeof err), 0);
	assert_int_equal(tsd_train_ckpt_load(&c, &oc, &epoch, &o, ck, err, sizeof err), 0);
	assert_int_equal(epoch, 5);
	assert_int_equal(o.epochs, 12);
	assert_int_equal(o.seed, 3);
	assert_int_equal(oc.t, ob.t);
	assert_memory_equal(c.param_mem, b.param_mem, b.nparams * sizeof(float));
	assert_memory_equal(oc.v, ob.v, b.nparams * sizeof(float));
	assert_int_equal(tsd_train_run(&c, &oc, epoch, &d, NULL, 0, &o, NULL, NULL), 0);
	assert_memory_equal(a.param_mem, c.param_mem, a.nparams * sizeof(float));

	/* corrupt and truncated checkpoints */
	{
		FILE *f = fopen(ck, "r+b");
		assert_non_null(f);
		fseek(f, 200, SEEK_SET);
		fputc(0x55, f);
		fclose(f);
		struct tsd_model z;
		struct tsd_adamw oz;
		assert_int_equal(tsd_train_ckpt_load(&z, &oz, &epoch, &o, ck, err, sizeof err), TSD_EFORMAT);
		assert_non_null(strstr(err, "checksum mismatch"));
		assert_int_equal(truncate(ck, 100), 0);
		assert_int_equal(tsd_train_ckpt_load(&z, &oz, &epoch, &o, ck, err, sizeof err), TSD_ETRUNC);
	}

	/* save, reload, score */
	snprintf(mf, sizeof mf, "%s.tsdm", ck);
	assert_int_equal(tsd_model_save(mf, &a, err, sizeof err), 0);
	{
		struct tsd_model r;
		float s1[256], s2[256];
		const struct tsd_train_win *w = &d.w[2];
		assert_int_equal(tsd_model_load(&r, mf, err, sizeof err), 0);
		assert_int_equal(tsd_model_forward(s1, NULL, ws.acts, ws.alen, &a, w->x, 1, (int)w->T), 0);
		assert_int_equal(tsd_model_forward(s2, NULL, ws.acts, ws.alen, &r, w->x, 1, (int)w->T), 0);
		assert_memory_equal(s1, s2, w->T * sizeof(float));
		tsd_model_free(&r);
	}
	unlink(mf);
	unlink(ck);
	tsd_train_ws_free(&ws);
	tsd_model_free(&a);
	tsd_model_free(&b);
	tsd_model_free(&c);
	tsd_adamw_free(&oa);
	tsd_adamw_free(&ob);
	tsd_adamw_free(&oc);
	tsd_train_data_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_importance),
		cmocka_unit_test(test_targets),
		cmocka_unit_test(test_greedy),
		cmocka_unit_test(test_candidates),
		cmocka_unit_test(test_batch_grad),
		cmocka_unit_test(test_run),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
