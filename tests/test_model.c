/* test_model.c: the transformer scorer (lib/model.c) and AdamW
 * (lib/adamw.c): finite-difference gradient checks of every layer pair
 * and of the whole model, overfitting a tiny data set, model files
 * (round trip and every load error), determinism, input checks.
 *
 * The layer functions are static, so this file includes model.c itself
 * (as llm.c's test_gpt2.c includes train_gpt2.c); its public functions
 * then come from here rather than from libtsd.a. */
#include "../lib/model.c"
#include "adamw.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

/* Finite differences: central, step FD_H on float32 values, loss summed
 * in float64. A gradient g passes against the estimate e when
 * |g - e| <= FD_ATOL + FD_RTOL * max(|g|, |e|). The float32 forward pass
 * rounds at ~6e-8 relative, which divided by 2 FD_H gives ~1e-5 of
 * noise per unit of loss; FD_H^2 truncation error is ~2e-6. */
#define FD_H 4e-3
#define FD_RTOL 1e-2
#define FD_ATOL 2e-4

/* a test PRNG, independent of the model's */
static uint64_t trng = 88172645463325252ull;

static float urand(void)
{
	trng ^= trng << 13;
	trng ^= trng >> 7;
	trng ^= trng << 17;
	return (float)(trng >> 40) * 0x1p-24f * 2.0f - 1.0f; /* [-1,1) */
}

static float *rand_vec(size_t n, float scale)
{
	float *p = malloc(n * sizeof(float));
	assert_non_null(p);
	for (size_t i = 0; i < n; i++)
		p[i] = scale * urand();
	return p;
}

static float *zero_vec(size_t n)
{
	float *p = calloc(n ? n : 1, sizeof(float));
	assert_non_null(p);
	return p;
}

static double dot(const float *a, const float *b, size_t n)
{
	double s = 0.0;
	for (size_t i = 0; i < n; i++)
		s += (double)a[i] * b[i];
	return s;
}

typedef double (*loss_fn)(void *ctx);

/* Compare the analytic gradient g (n) of f with respect to x (n) with
 * central differences; return the number of mismatches (printed). */
static int grad_mismatches(const char *what, loss_fn f, void *ctx, float *x,
			   const float *g, size_t n)
{
	int bad = 0;

	for (size_t i = 0; i < n; i++) {
		float save = x[i];
		double lp, lm, e, h;

		x[i] = save + (float)FD_H;
		h = (double)x[i] - save;
		lp = f(ctx);
		x[i] = save - (float)FD_H;
		h += save - (double)x[i];
		lm = f(ctx);
		x[i] = save;
		e = (lp - lm) / h;
		if (fabs(g[i] - e) > FD_ATOL + FD_RTOL * fmax(fabs(g[i]), fabs(e))) {
			if (bad < 5)
				print_message("%s[%zu]: analytic %.6g, numeric %.6g\n",
					      what, i, (double)g[i], e);
			bad++;
		}
	}
	return bad;
}

#define CHECK_GRAD(what, f, ctx, x, g, n) \
	assert_int_equal(grad_mismatches(what, f, ctx, x, g, n), 0)

/* ------------------------------------------------------------------ */
/* layer pairs: loss = sum r . out for a fixed random r, so dout = r */

struct mm_ctx {
	int N, IC, OC;
	float *inp, *w, *b, *out, *r;
};

static double mm_loss(void *p)
{
	struct mm_ctx *c = p;
	matmul_forward(c->out, c->inp, c->w, c->b, c->N, c->IC, c->OC);
	return dot(c->out, c->r, (size_t)c->N * c->OC);
}

static void test_grad_matmul(void **state)
{
	/* N = 6: a tile of 4 tokens and 2 single ones; OC = 11: a block
	 * of 8 outputs and a scalar tail */
	struct mm_ctx c = { .N = 6, .IC = 5, .OC = 11 };
	size_t ni = 30, nw = 55, no = 66;
	float *di = zero_vec(ni), *dw = zero_vec(nw), *db = zero_vec(11);

	c.inp = rand_vec(ni, 1), c.w = rand_vec(nw, 1), c.b = rand_vec(11, 1);
	c.out = zero_vec(no), c.r = rand_vec(no, 1);
	mm_loss(&c);
	matmul_backward(di, dw, db, c.r, c.inp, c.w, c.N, c.IC, c.OC);
	CHECK_GRAD("matmul dinp", mm_loss, &c, c.inp, di, ni);
	CHECK_GRAD("matmul dweight", mm_loss, &c, c.w, dw, nw);
	CHECK_GRAD("matmul dbias", mm_loss, &c, c.b, db, 11);
	/* the check can fail: a gradient off by 5% is caught */
	dw[7] *= 1.05f;
	assert_int_equal(grad_mismatches("(expected) dweight", mm_loss, &c,
					 c.w, dw, nw), 1);
	free(di), free(dw), free(db), free(c.inp), free(c.w), free(c.b);
	free(c.out), free(c.r);
}

struct ln_ctx {
	int N, C;
	float *inp, *w, *b, *out, *mean, *rstd, *r;
};

static double ln_loss(void *p)
{
	struct ln_ctx *c = p;
	layernorm_forward(c->out, c->mean, c->rstd, c->inp, c->w, c->b, c->N, c->C);
	return dot(c->out, c->r, (size_t)c->N * c->C);
}

static void test_grad_layernorm(void **state)
{
	struct ln_ctx c = { .N = 4, .C = 7 };
	size_t n = 28;
	float *di = zero_vec(n), *dw = zero_vec(7), *db = zero_vec(7);

	c.inp = rand_vec(n, 2), c.w = rand_vec(7, 1), c.b = rand_vec(7, 1);
	c.out = zero_vec(n), c.mean = zero_vec(4), c.rstd = zero_vec(4);
	c.r = rand_vec(n, 1);
	ln_loss(&c);
	/* mean and rstd as a reference computes them */
	for (int t = 0; t < c.N; t++) {
		double m = 0, v = 0;
		for (int i = 0; i < c.C; i++)
			m += c.inp[t * c.C + i];
		m /= c.C;
		for (int i = 0; i < c.C; i++)
			v += (c.inp[t * c.C + i] - m) * (c.inp[t * c.C + i] - m);
		v /= c.C;
		assert_float_equal(c.mean[t], m, 1e-6);
		assert_float_equal(c.rstd[t], 1.0 / sqrt(v + 1e-5), 1e-4);
	}
	layernorm_backward(di, dw, db, c.r, c.inp, c.w, c.mean, c.rstd, c.N, c.C);
	CHECK_GRAD("layernorm dinp", ln_loss, &c, c.inp, di, n);
	CHECK_GRAD("layernorm dweight", ln_loss, &c, c.w, dw, 7);
	CHECK_GRAD("layernorm dbias", ln_loss, &c, c.b, db, 7);
	free(di), free(dw), free(db), free(c.inp), free(c.w), free(c.b);
	free(c.out), free(c.mean), free(c.rstd), free(c.r);
}

struct att_ctx {
	int B, T, C, NH, R;
	float *qkv, *att, *out, *r;
};

static double att_loss(void *p)
{
	struct att_ctx *c = p;
	attention_forward(c->out, c->att, c->qkv, c->B, c->T, c->C, c->NH, c->R);
	return dot(c->out, c->r, (size_t)c->B * c->T * c->C);
}

static void check_attention(int R, int C, int NH)
{
	struct att_ctx c = { .B = 2, .T = 6, .C = C, .NH = NH, .R = R };
	size_t nq = 2 * 6 * 3 * (size_t)C, no = 2 * 6 * (size_t)C;
	size_t na = 2 * (size_t)NH * 6 * (size_t)att_slots(6, R);
	float *dq = zero_vec(nq), *datt = zero_vec(na);

	c.qkv = rand_vec(nq, 1.5f), c.att = zero_vec(na), c.out = zero_vec(no);
	c.r = rand_vec(no, 1);
	att_loss(&c);
	/* every row of weights sums to 1, over the band only */
	for (int b = 0; b < c.B; b++)
		for (int h = 0; h < c.NH; h++)
			for (int t = 0; t < c.T; t++) {
				int lo, hi, W = att_slots(c.T, R);
				const float *a = c.att + (((size_t)b * c.NH + h) * c.T + t) * W;
				double s = 0;
				att_band(&lo, &hi, t, c.T, R);
				for (int k = 0; k < W; k++) {
					s += a[k];
					if (k >= hi - lo)
						assert_true(a[k] == 0.0f);
				}
				assert_float_equal(s, 1.0, 1e-6);
			}
	attention_backward(dq, datt, c.r, c.qkv, c.att, c.B, c.T, c.C, c.NH, c.R);
	CHECK_GRAD(R ? "band attention dqkv" : "attention dqkv", att_loss, &c,
		   c.qkv, dq, nq);
	free(dq), free(datt), free(c.qkv), free(c.att), free(c.out), free(c.r);
}

static void test_grad_attention(void **state)
{
	check_attention(0, 8, 2);  /* whole window, hs 4: scalar path */
	check_attention(1, 8, 2);  /* band of 3 */
	check_attention(2, 8, 2);  /* band of 5 */
	check_attention(0, 16, 2); /* hs 8: vector path */
	check_attention(2, 32, 2); /* hs 16 */
}

/* The forward kernels against plain float64 references: attention (the
 * register path for rows of at most ATT_REG keys, the scalar and vector
 * paths for longer rows), GELU, the residual and matmul (16-wide tiles and
 * the 8-wide and scalar tails). FAST_RTOL bounds the difference relative
 * to the largest magnitude: float32 sums in another order. */
#define FAST_RTOL 2e-6
static void check_close(const float *got, const double *want, size_t n, const char *what)
{
	double scale = 1e-30, worst = 0;
	for (size_t i = 0; i < n; i++)
		scale = fmax(scale, fabs(want[i]));
	for (size_t i = 0; i < n; i++)
		worst = fmax(worst, fabs(got[i] - want[i]));
	if (worst > FAST_RTOL * scale)
		fail_msg("%s: max difference %g, scale %g", what, worst, scale);
}

static void check_attention_ref(int T, int C, int NH, int R)
{
	int hs = C / NH, W = att_slots(T, R);
	float *qkv = rand_vec((size_t)T * 3 * C, 2), *out = zero_vec((size_t)T * C);
	float *att = zero_vec((size_t)NH * T * W);
	double *wo = calloc((size_t)T * C, sizeof *wo), *wa = calloc((size_t)NH * T * W, sizeof *wa);
	double sc[4096];

	assert_true(wo && wa && W <= 4096);
	attention_forward(out, att, qkv, 1, T, C, NH, R);
	for (int h = 0; h < NH; h++)
		for (int t = 0; t < T; t++) {
			int lo, hi;
			double mx = -INFINITY, sum = 0;
			att_band(&lo, &hi, t, T, R);
			for (int k = lo; k < hi; k++) {
				double d = 0;
				for (int i = 0; i < hs; i++)
					d += (double)qkv[t * 3 * C + h * hs + i] * qkv[k * 3 * C + C + h * hs + i];
				sc[k - lo] = d / sqrt((double)hs);
				mx = fmax(mx, sc[k - lo]);
			}
			for (int k = lo; k < hi; k++)
				sum += sc[k - lo] = exp(sc[k - lo] - mx);
			for (int k = lo; k < hi; k++) {
				double a = sc[k - lo] / sum;
				wa[((size_t)h * T + t) * W + (k - lo)] = a;
				for (int i = 0; i < hs; i++)
					wo[(size_t)t * C + h * hs + i] += a * qkv[k * 3 * C + 2 * C + h * hs + i];
			}
		}
	check_close(att, wa, (size_t)NH * T * W, "attention weights");
	check_close(out, wo, (size_t)T * C, "attention output");
	free(qkv), free(out), free(att), free(wo), free(wa);
}

static void test_fast_paths(void **state)
{
	(void)state;
	check_attention_ref(40, 16, 2, 8);   /* hs 8, rows of <= 17 keys: registers */
	check_attention_ref(9, 16, 2, 8);    /* W = T = 9 */
	check_attention_ref(70, 32, 2, 15);  /* hs 16, 31 keys */
	check_attention_ref(70, 16, 2, 16);  /* 33 keys: the vector path */
	check_attention_ref(50, 16, 2, 0);   /* the whole window, 50 keys */
	check_attention_ref(12, 12, 3, 2);   /* hs 4: the scalar path */

	/* GELU: the 8-wide body and the scalar tail */
	{
		size_t n = 8 * 7 + 5;
		float *x = rand_vec(n, 4), *y = zero_vec(n);
		double *w = calloc(n, sizeof *w);
		assert_non_null(w);
		gelu_forward(y, x, 1, (int)n);
		for (size_t i = 0; i < n; i++)
			w[i] = 0.5 * x[i] * (1 + tanh(sqrt(2 / M_PI) * (x[i] + 0.044715 * pow(x[i], 3))));
		check_close(y, w, n, "gelu");
		residual_forward(y, x, x, n);
		for (size_t i = 0; i < n; i++)
			w[i] = 2.0 * x[i];
		check_close(y, w, n, "residual");
		free(x), free(y), free(w);
	}
	/* matmul: OC 48 (three 16-wide tiles), 40 (16 + 16 + 8), 21 (16 + a
	 * scalar tail), over N = 7 tokens (a 4-token tile and 3 single ones) */
	{
		static const int ocs[] = { 48, 40, 21 };
		for (size_t k = 0; k < 3; k++) {
			int N = 7, IC = 13, OC = ocs[k];
			float *x = rand_vec((size_t)N * IC, 1), *wt = rand_vec((size_t)IC * OC, 1);
			float *b = rand_vec((size_t)OC, 1), *y = zero_vec((size_t)N * OC);
			double *w = calloc((size_t)N * OC, sizeof *w);
			assert_non_null(w);
			matmul_forward(y, x, wt, b, N, IC, OC);
			for (int n = 0; n < N; n++)
				for (int j = 0; j < OC; j++) {
					double a = b[j];
					for (int i = 0; i < IC; i++)
						a += (double)x[n * IC + i] * wt[i * OC + j];
					w[n * OC + j] = a;
				}
			check_close(y, w, (size_t)N * OC, "matmul");
			free(x), free(wt), free(b), free(y), free(w);
		}
	}
}

/* The own exp against libm's, in float64: EXP_RTOL relative over the
 * range, both the scalar and the 8-wide code, and the clamps. */
#define EXP_RTOL 4e-7

static void test_exp(void **state)
{
	enum { n = 2003 };
	float *v = malloc(n * sizeof(float));
	assert_non_null(v);
	for (int i = 0; i < n; i++)
		v[i] = -87.0f + 175.0f * (float)i / (n - 1);
	v[0] = -1e30f, v[1] = -100.0f, v[2] = 0.0f, v[3] = 1e-8f, v[4] = 100.0f;
	for (int i = 0; i < n; i++) {
		double x = v[i] < -87.0f ? -87.0 : v[i] > 88.0f ? 88.0 : v[i];
		double want = exp(x);
		assert_float_equal(exp_scalar(v[i]), want, EXP_RTOL * want);
	}
	{
		float *w = malloc(n * sizeof(float));
		assert_non_null(w);
		memcpy(w, v, n * sizeof(float));
		exp_inplace(w, n);
		for (int i = 0; i < n; i++) {
			double x = v[i] < -87.0f ? -87.0 : v[i] > 88.0f ? 88.0 : v[i];
			assert_float_equal(w[i], exp(x), EXP_RTOL * exp(x));
		}
		free(w);
	}
	assert_true(exp_scalar(0.0f) == 1.0f);
	free(v);
}

struct ew_ctx {
	int n;
	float *a, *b, *out, *r;
};

static double gelu_loss(void *p)
{
	struct ew_ctx *c = p;
	gelu_forward(c->out, c->a, 1, c->n);
	return dot(c->out, c->r, (size_t)c->n);
}

static void test_grad_gelu(void **state)
{
	struct ew_ctx c = { .n = 40 };
	float *da = zero_vec(40);

	c.a = rand_vec(40, 4), c.out = zero_vec(40), c.r = rand_vec(40, 1);
	/* values of the tanh form (Hendrycks & Gimpel) */
	{
		float x[3] = { -1.0f, 0.5f, 2.0f }, y[3];
		double want[3] = { -0.15880800939172324, 0.34571400982514394,
				   1.954597694087775 };
		gelu_forward(y, x, 1, 3);
		for (int i = 0; i < 3; i++)
			assert_float_equal(y[i], want[i], 1e-6);
	}
	gelu_loss(&c);
	gelu_backward(da, c.r, c.a, 1, c.n);
	CHECK_GRAD("gelu dinp", gelu_loss, &c, c.a, da, c.n);
	free(da), free(c.a), free(c.out), free(c.r);
}

static double res_loss(void *p)
{
	struct ew_ctx *c = p;
	residual_forward(c->out, c->a, c->b, (size_t)c->n);
	return dot(c->out, c->r, (size_t)c->n);
}

static void test_grad_residual(void **state)
{
	struct ew_ctx c = { .n = 20 };
	float *da = zero_vec(20), *db = zero_vec(20);

	c.a = rand_vec(20, 1), c.b = rand_vec(20, 1), c.out = zero_vec(20);
	c.r = rand_vec(20, 1);
	res_loss(&c);
	residual_backward(da, db, c.r, (size_t)c.n);
	CHECK_GRAD("residual dinp1", res_loss, &c, c.a, da, c.n);
	CHECK_GRAD("residual dinp2", res_loss, &c, c.b, db, c.n);
	free(da), free(db), free(c.a), free(c.b), free(c.out), free(c.r);
}

struct head_ctx {
	int N, C, use_logits;
	float *inp, *w, *b, *logits, *scores, *r;
};

static double head_loss(void *p)
{
	struct head_ctx *c = p;
	head_forward(c->logits, c->scores, c->inp, c->w, c->b, c->N, c->C);
	return dot(c->use_logits ? c->logits : c->scores, c->r, (size_t)c->N);
}

static void test_grad_head(void **state)
{
	for (int ul = 0; ul < 2; ul++) {
		struct head_ctx c = { .N = 5, .C = 6, .use_logits = ul };
		float *di = zero_vec(30), *dw = zero_vec(6), *db = zero_vec(1);

		c.inp = rand_vec(30, 1), c.w = rand_vec(6, 1), c.b = rand_vec(1, 1);
		c.logits = zero_vec(5), c.scores = zero_vec(5), c.r = rand_vec(5, 1);
		head_loss(&c);
		for (int n = 0; n < c.N; n++)
			assert_float_equal(c.scores[n],
					   1.0 / (1.0 + exp(-(double)c.logits[n])), 1e-7);
		head_backward(di, dw, db, ul ? NULL : c.r, ul ? c.r : NULL,
			      c.scores, c.inp, c.w, c.N, c.C);
		CHECK_GRAD("head dinp", head_loss, &c, c.inp, di, 30);
		CHECK_GRAD("head dw", head_loss, &c, c.w, dw, 6);
		CHECK_GRAD("head db", head_loss, &c, c.b, db, 1);
		free(di), free(dw), free(db), free(c.inp), free(c.w), free(c.b);
		free(c.logits), free(c.scores), free(c.r);
	}
	/* the sigmoid saturates without NaN */
	assert_float_equal(sigmoid(-200.0f), 0.0, 0.0);
	assert_float_equal(sigmoid(200.0f), 1.0, 0.0);
}

struct bce_ctx {
	size_t n;
	float *z, *y, *w;
};

static double bce_loss(void *p)
{
	struct bce_ctx *c = p;
	float loss;
	assert_int_equal(tsd_model_bce(&loss, NULL, c->z, c->y, c->w, c->n), 0);
	return loss;
}

static void test_grad_bce(void **state)
{
	struct bce_ctx c = { .n = 12 };
	float *dz = zero_vec(12), loss;

	c.z = rand_vec(12, 3), c.y = rand_vec(12, 0.5f), c.w = rand_vec(12, 0.5f);
	for (size_t i = 0; i < c.n; i++) {
		c.y[i] += 0.5f;
		c.w[i] += 0.6f;
	}
	c.y[0] = 0.0f, c.y[1] = 1.0f;
	assert_int_equal(tsd_model_bce(&loss, dz, c.z, c.y, c.w, c.n), 0);
	/* gradient checked in float64 loss units: the loss is O(1) */
	CHECK_GRAD("bce dlogits", bce_loss, &c, c.z, dz, c.n);
	{
		/* values: z = 0 gives log 2 whatever y; a confident right
		 * answer costs ~0; a confident wrong one ~|z| (no overflow) */
		float z[3] = { 0.0f, 30.0f, -100.0f }, y[3] = { 0.3f, 1.0f, 1.0f };
		float w[3] = { 1.0f, 0.0f, 0.0f }, d[3];
		assert_int_equal(tsd_model_bce(&loss, d, z, y, w, 3), 0);
		assert_float_equal(loss, log(2.0), 1e-6);
		assert_float_equal(d[0], 0.5 - 0.3, 1e-7);
		assert_true(d[1] == 0.0f && d[2] == 0.0f);
		w[0] = 0.0f, w[2] = 1.0f;
		assert_int_equal(tsd_model_bce(&loss, d, z, y, w, 3), 0);
		assert_float_equal(loss, 100.0, 1e-4);
		assert_float_equal(d[2], -1.0, 1e-6);
		/* bad targets and weights */
		y[0] = 1.5f;
		assert_int_equal(tsd_model_bce(&loss, d, z, y, NULL, 3), TSD_EINVAL);
		y[0] = 0.5f, w[0] = w[1] = w[2] = 0.0f;
		assert_int_equal(tsd_model_bce(&loss, d, z, y, w, 3), TSD_EINVAL);
		w[0] = -1.0f;
		assert_int_equal(tsd_model_bce(&loss, d, z, y, w, 3), TSD_EINVAL);
	}
	free(dz), free(c.z), free(c.y), free(c.w);
}

/* ------------------------------------------------------------------ */
/* the whole model */

static struct tsd_model_config tiny_config(int R)
{
	struct tsd_model_config cfg = {
		.nfeat = 3, .width = 8, .heads = 2, .layers = 2, .hidden = 12,
		.max_tokens = 16, .radius = R,
	};
	return cfg;
}

struct model_ctx {
	struct tsd_model *m;
	int B, T, use_logits;
	float *x, *acts, *scores, *logits, *r;
	size_t alen;
};

static double model_loss(void *p)
{
	struct model_ctx *c = p;
	assert_int_equal(tsd_model_forward(c->scores, c->logits, c->acts, c->alen,
					   c->m, c->x, c->B, c->T), 0);
	return dot(c->use_logits ? c->logits : c->scores, c->r,
		   (size_t)c->B * c->T);
}

static void check_model_grad(int R, int use_logits)
{
	struct tsd_model_config cfg = tiny_config(R);
	struct tsd_model m;
	struct model_ctx c = { .m = &m, .B = 2, .T = 5, .use_logits = use_logits };
	size_t N = 10;
	float *dacts;
	static const char *names[TSD_MODEL_NTENSORS] = {
		"wemb", "bemb", "ln1w", "ln1b", "qkvw", "qkvb", "attprojw",
		"attprojb", "ln2w", "ln2b", "fcw", "fcb", "fcprojw", "fcprojb",
		"lnfw", "lnfb", "headw", "headb",
	};
	float *pp, *gp;

	assert_int_equal(tsd_model_init(&m, &cfg, 7), 0);
	/* move off the initial values (unit gains, zero biases), where
	 * some gradients vanish by symmetry */
	for (size_t i = 0; i < m.nparams; i++)
		m.param_mem[i] += 0.3f * urand();
	for (int f = 0; f < cfg.nfeat; f++) {
		m.norm[f] = 0.1f * (float)f;
		m.norm[cfg.nfeat + f] = 1.0f + 0.5f * (float)f;
	}
	c.alen = tsd_model_acts_len(&cfg, c.B, c.T);
	assert_true(c.alen > 0);
	c.x = rand_vec(N * cfg.nfeat, 1), c.acts = zero_vec(c.alen);
	dacts = zero_vec(c.alen);
	c.scores = zero_vec(N), c.logits = zero_vec(N), c.r = rand_vec(N, 1);
	model_loss(&c);
	tsd_model_zero_grad(&m);
	assert_int_equal(tsd_model_backward(&m, dacts, c.alen, c.acts,
					    use_logits ? NULL : c.r,
					    use_logits ? c.r : NULL, c.B, c.T), 0);
	/* every tensor separately, every element */
	pp = m.param_mem, gp = m.grad_mem;
	for (int i = 0; i < TSD_MODEL_NTENSORS; i++) {
		CHECK_GRAD(names[i], model_loss, &c, pp, gp, m.sizes[i]);
		pp += m.sizes[i], gp += m.sizes[i];
	}
	/* backward accumulates: a second call doubles the gradients */
	{
		float *g1 = malloc(m.nparams * sizeof(float));
		assert_non_null(g1);
		memcpy(g1, m.grad_mem, m.nparams * sizeof(float));
		model_loss(&c);
		assert_int_equal(tsd_model_backward(&m, dacts, c.alen, c.acts,
						    use_logits ? NULL : c.r,
						    use_logits ? c.r : NULL,
						    c.B, c.T), 0);
		for (size_t i = 0; i < m.nparams; i++)
			assert_float_equal(m.grad_mem[i], 2.0f * g1[i],
					   1e-6 * (1 + fabs(g1[i])));
		free(g1);
	}
	free(c.x), free(c.acts), free(dacts), free(c.scores), free(c.logits);
	free(c.r);
	tsd_model_free(&m);
}

static void test_grad_model(void **state)
{
	check_model_grad(0, 0); /* whole-window attention, dscores */
	check_model_grad(1, 0); /* band attention, dscores */
	check_model_grad(2, 1); /* band attention, dlogits */
}

/* BCE through the model: dloss/dparams from tsd_model_bce's dlogits
 * match finite differences of the loss itself. */
struct bce_model_ctx {
	struct model_ctx mc;
	float *y, *w;
};

static double bce_model_loss(void *p)
{
	struct bce_model_ctx *c = p;
	float loss;
	model_loss(&c->mc);
	assert_int_equal(tsd_model_bce(&loss, NULL, c->mc.logits, c->y, c->w,
				       (size_t)c->mc.B * c->mc.T), 0);
	return loss;
}

static void test_grad_model_bce(void **state)
{
	struct tsd_model_config cfg = tiny_config(0);
	struct tsd_model m;
	struct bce_model_ctx c = { .mc = { .m = &m, .B = 1, .T = 6 } };
	size_t N = 6;
	float *dacts, *dlogits;

	assert_int_equal(tsd_model_init(&m, &cfg, 3), 0);
	c.mc.alen = tsd_model_acts_len(&cfg, 1, 6);
	c.mc.x = rand_vec(N * 3, 1), c.mc.acts = zero_vec(c.mc.alen);
	c.mc.scores = zero_vec(N), c.mc.logits = zero_vec(N);
	c.mc.r = zero_vec(N);
	c.y = rand_vec(N, 0.5f), c.w = rand_vec(N, 0.4f);
	for (size_t i = 0; i < N; i++)
		c.y[i] += 0.5f, c.w[i] += 0.5f;
	dacts = zero_vec(c.mc.alen), dlogits = zero_vec(N);
	bce_model_loss(&c);
	assert_int_equal(tsd_model_bce(NULL, dlogits, c.mc.logits, c.y, c.w, N), 0);
	tsd_model_zero_grad(&m);
	assert_int_equal(tsd_model_backward(&m, dacts, c.mc.alen, c.mc.acts,
					    NULL, dlogits, 1, 6), 0);
	CHECK_GRAD("bce model", bce_model_loss, &c, m.param_mem, m.grad_mem,
		   m.nparams);
	free(c.mc.x), free(c.mc.acts), free(c.mc.scores), free(c.mc.logits);
	free(c.mc.r), free(c.y), free(c.w), free(dacts), free(dlogits);
	tsd_model_free(&m);
}

/* A tiny model learns a tiny data set: the target of a token is 1 when
 * its value feature is large or its right neighbour's is (so attention
 * must carry information between tokens). */
#define OVERFIT_STEPS 300
#define OVERFIT_LOSS 0.05f

static void test_overfit(void **state)
{
	struct tsd_model_config cfg = tiny_config(2);
	struct tsd_model m;
	struct tsd_adamw opt;
	int B = 4, T = 12, F = 3;
	size_t N = (size_t)B * T, alen;
	float *x = zero_vec(N * F), *y = zero_vec(N), *logits = zero_vec(N);
	float *dlogits = zero_vec(N), *acts, *dacts, *mask, loss = 1e9f, first = 0;

	cfg.width = 16, cfg.hidden = 32;
	for (size_t n = 0; n < N; n++) {
		x[n * F + 0] = urand();                        /* value */
		x[n * F + 1] = (float)(n % T) / (float)T;     /* position */
		x[n * F + 2] = (float)(n % 3);                 /* "level" */
	}
	for (size_t n = 0; n < N; n++) {
		int t = (int)(n % T);
		float right = t + 1 < T ? x[(n + 1) * F] : 0.0f;
		y[n] = (fabsf(x[n * F]) > 0.6f || fabsf(right) > 0.8f) ? 1.0f : 0.0f;
	}
	assert_int_equal(tsd_model_init(&m, &cfg, 11), 0);
	assert_int_equal(tsd_adamw_init(&opt, m.nparams), 0);
	opt.lr = 1e-2f;
	alen = tsd_model_acts_len(&cfg, B, T);
	acts = zero_vec(alen), dacts = zero_vec(alen), mask = zero_vec(m.nparams);
	tsd_model_decay_mask(mask, &m);
	for (int step = 0; step < OVERFIT_STEPS; step++) {
		assert_int_equal(tsd_model_forward(NULL, logits, acts, alen, &m, x, B, T), 0);
		assert_int_equal(tsd_model_bce(&loss, dlogits, logits, y, NULL, N), 0);
		if (step == 0)
			first = loss;
		if (loss < OVERFIT_LOSS)
			break;
		tsd_model_zero_grad(&m);
		assert_int_equal(tsd_model_backward(&m, dacts, alen, acts, NULL,
						    dlogits, B, T), 0);
		tsd_adamw_clip(m.grad_mem, m.nparams, 1.0);
		assert_int_equal(tsd_adamw_step(m.param_mem, &opt, m.grad_mem,
						mask, m.nparams), 0);
	}
	print_message("overfit: loss %.4f -> %.4f in %ld steps\n", first, loss, opt.t);
	assert_true(first > 0.3f);
	assert_true(loss < OVERFIT_LOSS);
	free(x), free(y), free(logits), free(dlogits), free(acts), free(dacts);
	free(mask);
	tsd_adamw_free(&opt);
	tsd_model_free(&m);
}

/* ------------------------------------------------------------------ */
/* determinism and input checks */

static void test_determinism(void **state)
{
	struct tsd_model_config cfg;
	struct tsd_model a, b, c;
	int T = 41; /* not a multiple of the 4-token tiles */
	size_t alen;
	float *x, *acts, *s1, *s2, *s3;

	tsd_model_config_default(&cfg, 5);
	assert_int_equal(tsd_model_init(&a, &cfg, 42), 0);
	assert_int_equal(tsd_model_init(&b, &cfg, 42), 0);
	assert_int_equal(tsd_model_init(&c, &cfg, 43), 0);
	assert_int_equal(a.nparams, tsd_model_nparams(&cfg));
	assert_memory_equal(a.param_mem, b.param_mem, a.nparams * sizeof(float));
	assert_memory_not_equal(a.param_mem, c.param_mem, a.nparams * sizeof(float));
	/* the generator is fixed: first weight of seed 42, on every
	 * platform (splitmix64, exact float arithmetic) */
	{
		uint64_t s = 42;
		float w;
		fill_uniform(&w, 1, 1.0f / sqrtf(5.0f), &s);
		assert_true(a.params.wemb[0] == w);
		assert_true(fabsf(w) <= sqrtf(3.0f / 5.0f));
	}
	alen = tsd_model_acts_len(&cfg, 2, T);
	x = rand_vec(2 * (size_t)T * 5, 1), acts = zero_vec(alen);
	s1 = zero_vec(2 * (size_t)T), s2 = zero_vec(2 * (size_t)T);
	s3 = zero_vec(2 * (size_t)T);
	assert_int_equal(tsd_model_forward(s1, NULL, acts, alen, &a, x, 2, T), 0);
	assert_int_equal(tsd_model_forward(s2, NULL, acts, alen, &b, x, 2, T), 0);
	assert_memory_equal(s1, s2, 2 * (size_t)T * sizeof(float));
	/* scores are in [0,1] and each window is scored on its own: a
	 * batch of two equals the two windows one at a time, bitwise */
	for (int i = 0; i < 2 * T; i++)
		assert_true(s1[i] >= 0.0f && s1[i] <= 1.0f);
	assert_int_equal(tsd_model_forward(s3, NULL, acts, alen, &a, x, 1, T), 0);
	assert_int_equal(tsd_model_forward(s3 + T, NULL, acts, alen, &a,
					   x + (size_t)T * 5, 1, T), 0);
	assert_memory_equal(s1, s3, 2 * (size_t)T * sizeof(float));
	free(x), free(acts), free(s1), free(s2), free(s3);
	tsd_model_free(&a), tsd_model_free(&b), tsd_model_free(&c);
}

/* With radius R and L layers a token sees 2 R L + 1 tokens: changing a
 * token further away leaves its score bitwise alone; a radius of at least
 * T - 1 is the whole window. */
static void test_band(void **state)
{
	struct tsd_model_config cfg = tiny_config(1), full = tiny_config(0);
	struct tsd_model m, mf;
	int T = 16, L = cfg.layers, R = 1;
	size_t alen = tsd_model_acts_len(&cfg, 1, T);
	float *x = rand_vec((size_t)T * 3, 1), *acts = zero_vec(alen * 4);
	float s1[16], s2[16], s3[16];

	assert_int_equal(tsd_model_init(&m, &cfg, 5), 0);
	assert_int_equal(tsd_model_forward(s1, NULL, acts, alen, &m, x, 1, T), 0);
	x[0] += 1.0f; /* token 0 */
	assert_int_equal(tsd_model_forward(s2, NULL, acts, alen, &m, x, 1, T), 0);
	for (int t = 0; t < T; t++) {
		if (t <= R * L)
			assert_true(s1[t] != s2[t]);
		else
			assert_memory_equal(&s1[t], &s2[t], sizeof(float));
	}
	/* R = T - 1 and R = 0 compute the same thing */
	m.cfg.radius = T - 1;
	assert_int_equal(tsd_model_forward(s1, NULL, acts, alen * 4, &m, x, 1, T), 0);
	mf = m;
	mf.cfg = full;
	assert_int_equal(tsd_model_forward(s3, NULL, acts, alen * 4, &mf, x, 1, T), 0);
	assert_memory_equal(s1, s3, sizeof s1);
	free(x), free(acts);
	tsd_model_free(&m);
}

static void test_inputs(void **state)
{
	struct tsd_model_config cfg = tiny_config(0), bad;
	struct tsd_model m;
	int T = 8;
	size_t alen = tsd_model_acts_len(&cfg, 1, T);
	float *x = rand_vec((size_t)T * 3, 1), *acts = zero_vec(alen), s[8];
	float *dacts = zero_vec(alen);
	char err[200];

	assert_int_equal(tsd_model_init(&m, &cfg, 1), 0);
	x[5] = NAN;
	assert_int_equal(tsd_model_forward(s, NULL, acts, alen, &m, x, 1, T), TSD_EINVAL);
	x[5] = INFINITY;
	assert_int_equal(tsd_model_forward(s, NULL, acts, alen, &m, x, 1, T), TSD_EINVAL);
	x[5] = -INFINITY;
	assert_int_equal(tsd_model_forward(s, NULL, acts, alen, &m, x, 1, T), TSD_EINVAL);
	x[5] = 0.5f;
	assert_int_equal(tsd_model_forward(s, NULL, acts, alen, &m, x, 1, T), 0);
	assert_int_equal(tsd_model_forward(s, NULL, acts, alen - 1, &m, x, 1, T), TSD_ESIZE);
	assert_int_equal(tsd_model_forward(s, NULL, acts, alen, &m, x, 1, 17), TSD_ERANGE);
	assert_int_equal(tsd_model_forward(s, NULL, acts, alen, &m, x, 0, T), TSD_EINVAL);
	assert_int_equal(tsd_model_backward(&m, dacts, alen, acts, NULL, NULL, 1, T),
			 TSD_EINVAL);
	assert_int_equal(tsd_model_backward(&m, dacts, alen - 1, acts, s, NULL, 1, T),
			 TSD_ESIZE);
	assert_int_equal(tsd_model_acts_len(&cfg, 1, 17), 0);
	assert_int_equal(tsd_model_acts_len(&cfg, 0, 8), 0);
	assert_int_equal(tsd_model_acts_len(&cfg, INT32_MAX, INT32_MAX), 0);
	bad = cfg, bad.heads = 3;
	assert_int_equal(tsd_model_config_check(&bad, err, sizeof err), TSD_EINVAL);
	assert_non_null(strstr(err, "multiple of heads"));
	bad = cfg, bad.layers = 0;
	assert_int_equal(tsd_model_config_check(&bad, err, sizeof err), TSD_ERANGE);
	bad = cfg, bad.radius = -1;
	assert_int_equal(tsd_model_config_check(&bad, err, sizeof err), TSD_ERANGE);
	assert_int_equal(tsd_model_nparams(&bad), 0);
	tsd_model_free(&m);
	assert_int_equal(tsd_model_init(&m, &bad, 1), TSD_ERANGE);
	assert_null(m.param_mem);
	free(x), free(acts), free(dacts);
}

/* ------------------------------------------------------------------ */
/* model files */

static char tmpdir[64];

static const char *tmp_path(const char *name)
{
	static char path[128];
	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	return path;
}

static unsigned char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	unsigned char *b = malloc(1 << 20);
	assert_non_null(f);
	assert_non_null(b);
	*n = fread(b, 1, 1 << 20, f);
	fclose(f);
	return b;
}

static void spit(const char *path, const unsigned char *b, size_t n)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(b, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static void test_save_load(void **state)
{
	struct tsd_model_config cfg;
	struct tsd_model a, b;
	int T = 64;
	size_t alen, n;
	float *x, *acts, *s1, *s2;
	unsigned char *bytes;
	char err[256] = "";

	tsd_model_config_default(&cfg, 6);
	cfg.radius = 5;
	assert_int_equal(tsd_model_init(&a, &cfg, 9), 0);
	for (int f = 0; f < 6; f++)
		a.norm[f] = 0.25f * f, a.norm[6 + f] = 2.0f - 0.1f * f;
	assert_int_equal(tsd_model_save(tmp_path("m.bin"), &a, err, sizeof err), 0);
	assert_int_equal(tsd_model_load(&b, tmp_path("m.bin"), err, sizeof err), 0);
	assert_memory_equal(&a.cfg, &b.cfg, sizeof a.cfg);
	assert_int_equal(a.nparams, b.nparams);
	assert_memory_equal(a.param_mem, b.param_mem, a.nparams * sizeof(float));
	assert_memory_equal(a.norm, b.norm, 12 * sizeof(float));
	alen = tsd_model_acts_len(&cfg, 1, T);
	x = rand_vec((size_t)T * 6, 2), acts = zero_vec(alen);
	s1 = zero_vec((size_t)T), s2 = zero_vec((size_t)T);
	assert_int_equal(tsd_model_forward(s1, NULL, acts, alen, &a, x, 1, T), 0);
	assert_int_equal(tsd_model_forward(s2, NULL, acts, alen, &b, x, 1, T), 0);
	assert_memory_equal(s1, s2, (size_t)T * sizeof(float));
	/* the layout on disk: header, norm, weights, little-endian */
	bytes = slurp(tmp_path("m.bin"), &n);
	assert_int_equal(n, 256 + 4 * (12 + a.nparams));
	assert_memory_equal(bytes, "TSDM", 4);
	assert_int_equal(tsd_get_u32(bytes + 4), 1);
	assert_int_equal(tsd_get_u32(bytes + 16), 32);
	assert_int_equal(tsd_get_u64(bytes + 48), a.nparams);
	{
		uint32_t u;
		memcpy(&u, &a.params.wemb[0], 4);
		assert_int_equal(tsd_get_u32(bytes + 256 + 48), u);
	}
	for (size_t i = 64; i < 256; i++)
		assert_int_equal(bytes[i], 0);
	free(bytes), free(x), free(acts), free(s1), free(s2);
	tsd_model_free(&a), tsd_model_free(&b);
}

/* Load a damaged copy of a good file; expect err and a message holding
 * want. */
static void expect_load(const unsigned char *b, size_t n, int err,
			const char *want)
{
	struct tsd_model m;
	char msg[300] = "";
	const char *p = tmp_path("bad.bin");

	spit(p, b, n);
	assert_int_equal(tsd_model_load(&m, p, msg, sizeof msg), err);
	if (!strstr(msg, want))
		fail_msg("message \"%s\" lacks \"%s\"", msg, want);
	if (err) {
		assert_non_null(strstr(msg, "bad.bin: "));
		assert_null(m.param_mem);
	} else {
		assert_non_null(m.param_mem);
	}
	tsd_model_free(&m); /* safe on an empty model too */
}

static void test_load_errors(void **state)
{
	struct tsd_model_config cfg = tiny_config(1);
	struct tsd_model a;
	unsigned char *good, *b;
	size_t n;
	char msg[300], want[100];

	assert_int_equal(tsd_model_init(&a, &cfg, 2), 0);
	assert_int_equal(tsd_model_save(tmp_path("good.bin"), &a, NULL, 0), 0);
	good = slurp(tmp_path("good.bin"), &n);
	b = malloc(n + 8);
	assert_non_null(b);

	/* missing file */
	{
		struct tsd_model none;
		assert_int_equal(tsd_model_load(&none, tmp_path("none.bin"), msg,
						sizeof msg), TSD_EIO);
		assert_non_null(strstr(msg, "none.bin: cannot open: No such file"));
		assert_null(none.param_mem);
	}
	/* empty, short header, short weights */
	expect_load(good, 0, TSD_ETRUNC, "truncated: 0 of 256 header bytes");
	expect_load(good, 100, TSD_ETRUNC, "truncated: 100 of 256 header bytes");
	snprintf(want, sizeof want, "truncated: 1234 of %zu weight bytes; "
		 "retrain with tstrain or pass the right file", n - 256);
	expect_load(good, 256 + 1234, TSD_ETRUNC, want);
	expect_load(good, n - 1, TSD_ETRUNC, "truncated:");
	/* trailing bytes */
	memcpy(b, good, n);
	b[n] = 0;
	expect_load(b, n + 1, TSD_EFORMAT, "trailing bytes");
	/* bad magic */
	memcpy(b, good, n);
	memcpy(b, "GIF8", 4);
	expect_load(b, n, TSD_EFORMAT, "not a tsdown model");
	/* wrong version */
	memcpy(b, good, n);
	tsd_put_u32(b + 4, 2);
	expect_load(b, n, TSD_EVERSION, "version 2, this build reads version 1");
	/* parameter count that the dimensions do not give */
	memcpy(b, good, n);
	tsd_put_u64(b + 48, tsd_get_u64(good + 48) + 1);
	expect_load(b, n, TSD_ESIZE, "parameters");
	/* dimensions changed, count kept */
	memcpy(b, good, n);
	tsd_put_u32(b + 28, 13);
	expect_load(b, n, TSD_ESIZE, "H=13");
	/* impossible dimensions */
	memcpy(b, good, n);
	tsd_put_u32(b + 20, 3); /* heads 3 does not divide width 8 */
	expect_load(b, n, TSD_EFORMAT, "bad dimensions");
	memcpy(b, good, n);
	tsd_put_u32(b + 16, 0x80000000u);
	expect_load(b, n, TSD_EFORMAT, "bad dimensions");
	/* one flipped bit in the weights */
	memcpy(b, good, n);
	b[n - 7] ^= 0x10;
	expect_load(b, n, TSD_EFORMAT, "checksum mismatch");
	/* a non-finite weight with a matching checksum */
	memcpy(b, good, n);
	tsd_put_u32(b + n - 4, 0x7fc00000u);
	tsd_put_u32(b + 56, tsd_crc32(0, b + 256, n - 256));
	expect_load(b, n, TSD_EFORMAT, "not finite");
	/* the good file still loads */
	expect_load(good, n, 0, "");

	/* save errors */
	assert_int_equal(tsd_model_save("/nonexistent/dir/m.bin", &a, msg, sizeof msg),
			 TSD_EIO);
	assert_non_null(strstr(msg, "/nonexistent/dir/m.bin: cannot create"));
	{
		FILE *f = fopen("/dev/full", "wb");
		if (f) {
			assert_int_equal(tsd_model_save_file(f, &a, "/dev/full", msg,
							     sizeof msg), TSD_EIO);
			assert_non_null(strstr(msg, "write error"));
			fclose(f);
		}
	}
	free(good), free(b);
	tsd_model_free(&a);
}

/* CRC-32 check value (the standard "123456789" test vector) */
static void test_crc32(void **state)
{
	const unsigned char s[] = "123456789";
	assert_int_equal(tsd_crc32(0, s, 9), 0xcbf43926u);
}

/* ------------------------------------------------------------------ */
/* AdamW */

static void test_adamw(void **state)
{
	struct tsd_adamw opt;
	enum { n = 6, steps = 5 };
	float p[n] = { 1, -2, 0.5f, 3, -0.25f, 0 };
	float g0[n] = { 0.1f, -0.3f, 2, -1e-3f, 0, 5 };
	float decay[n] = { 1, 1, 0, 1, 0, 1 };
	double rp[n], rm[n] = { 0 }, rv[n] = { 0 };

	assert_int_equal(tsd_adamw_init(&opt, n), 0);
	opt.lr = 0.01f, opt.weight_decay = 0.1f;
	for (int i = 0; i < n; i++)
		rp[i] = p[i];
	/* first step: m/c1 = g, v/c2 = g^2, so the step is lr sign(g) */
	assert_int_equal(tsd_adamw_step(p, &opt, g0, decay, n), 0);
	assert_float_equal(p[2], 0.5 - 0.01, 1e-6);            /* no decay */
	assert_float_equal(p[0], 1 - 0.01 * 0.1 * 1 - 0.01, 1e-6);
	assert_float_equal(p[4], -0.25, 0);                     /* g = 0 */
	/* a float64 reference of the same rule, for several steps with
	 * changing gradients */
	for (int t = 1; t <= steps; t++) {
		float g[n];
		for (int i = 0; i < n; i++)
			g[i] = g0[i] * (float)(1 + t % 3) - 0.1f * (float)t;
		if (t > 1)
			assert_int_equal(tsd_adamw_step(p, &opt, t == 1 ? g0 : g,
							decay, n), 0);
		for (int i = 0; i < n; i++) {
			double gi = t == 1 ? g0[i] : g[i];
			rp[i] -= 0.01 * 0.1 * decay[i] * rp[i];
			rm[i] = 0.9 * rm[i] + 0.1 * gi;
			rv[i] = 0.999 * rv[i] + 0.001 * gi * gi;
			rp[i] -= 0.01 * (rm[i] / (1 - pow(0.9, t))) /
				 (sqrt(rv[i] / (1 - pow(0.999, t))) + 1e-8);
		}
	}
	for (int i = 0; i < n; i++)
		assert_float_equal(p[i], rp[i], 1e-5);
	assert_int_equal(opt.t, steps);
	assert_int_equal(tsd_adamw_step(p, &opt, g0, decay, n - 1), TSD_ESIZE);
	opt.beta1 = 1.0f;
	assert_int_equal(tsd_adamw_step(p, &opt, g0, decay, n), TSD_EINVAL);
	tsd_adamw_free(&opt);
	/* clipping */
	{
		float g[3] = { 3, 0, -4 };
		assert_float_equal(tsd_adamw_clip(g, 3, 1.0), 5.0, 1e-9);
		assert_float_equal(g[0], 0.6, 1e-7);
		assert_float_equal(g[2], -0.8, 1e-7);
		assert_float_equal(tsd_adamw_clip(g, 3, 2.0), 1.0, 1e-6);
		assert_float_equal(g[0], 0.6, 1e-7);
	}
}

static int setup(void **state)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/test_model.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	const char *names[] = { "m.bin", "good.bin", "bad.bin" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		remove(tmp_path(names[i]));
	return rmdir(tmpdir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grad_matmul),
		cmocka_unit_test(test_grad_layernorm),
		cmocka_unit_test(test_grad_attention),
		cmocka_unit_test(test_fast_paths),
		cmocka_unit_test(test_exp),
		cmocka_unit_test(test_grad_gelu),
		cmocka_unit_test(test_grad_residual),
		cmocka_unit_test(test_grad_head),
		cmocka_unit_test(test_grad_bce),
		cmocka_unit_test(test_grad_model),
		cmocka_unit_test(test_grad_model_bce),
		cmocka_unit_test(test_overfit),
		cmocka_unit_test(test_determinism),
		cmocka_unit_test(test_band),
		cmocka_unit_test(test_inputs),
		cmocka_unit_test(test_save_load),
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_crc32),
		cmocka_unit_test(test_adamw),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
