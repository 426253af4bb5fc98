/* model.c: the transformer importance scorer: layers, forward and
 * backward passes, initialisation, model files. Shapes use the letters
 * defined in model.h. Each layer is a _forward/_backward pair, outputs
 * first; backward passes add into their gradients (+=). */
#include "model.h"
#include "bytes.h"
#include "tsd.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define LN_EPS 1e-5f
#define GELU_K 0.7978845608028654f /* sqrt(2/pi) */
#define GELU_A 0.044715f

/* ------------------------------------------------------------------ */
/* layers; N = B*T tokens */

/* Vectors of 8 floats (GNU C vector extensions): plain SSE pairs on any
 * x86-64, one AVX register where the hot functions are cloned for it. */
typedef float v8f __attribute__((vector_size(32)));

#ifdef TSD_CLONES
/* one copy for AVX2+FMA machines, one for the rest (tsd.h's TSD_HOT) */
#define HOT TSD_HOT
#define TSD_MODEL_CLONES 1
#else
#define HOT
#endif

const char *tsd_model_kernels(void)
{
#ifdef TSD_MODEL_CLONES
	/* the test the clones' resolver makes */
	__builtin_cpu_init();
	if (__builtin_cpu_supports("x86-64-v3"))
		return "x86-64-v3 (AVX2, FMA), chosen at run time";
	return "x86-64 baseline (SSE2); this processor lacks x86-64-v3";
#else
	return "portable (no run-time dispatch in this build)";
#endif
}

/* unaligned loads and stores; macros, since passing v8f to a function
 * changes the ABI between the clones */
#define LOAD8(v, p) memcpy(&(v), (p), sizeof(v8f))
#define STORE8(p, v) memcpy((p), &(v), sizeof(v8f))

typedef int32_t v8i __attribute__((vector_size(32)));

/* e^x, own code so that every platform computes the same: clamp x to
 * [-87, 88], split x = n ln2 + r with |r| <= ln2/2 (ln2 in two parts),
 * e^r by its Taylor polynomial to degree 7 (relative error < 1e-8 on
 * the interval; with rounding, within 2 ulp of expf), times 2^n built in
 * the exponent bits. Scalar and 8-wide versions do the same operations. */
#define EXP_LO -87.0f
#define EXP_HI 88.0f
#define EXP_LOG2E 1.44269504088896341f
#define EXP_LN2HI 0.693145751953125f        /* 12 significant bits */
#define EXP_LN2LO 1.42860682030941723212e-6f /* ln2 - EXP_LN2HI */
#define EXP_ROUND 12582912.0f               /* 1.5 * 2^23 */
#define EXP_POLY(r) (1.0f + (r) * (1.0f + (r) * (0.5f + (r) * (1.0f / 6 + \
	(r) * (1.0f / 24 + (r) * (1.0f / 120 + (r) * (1.0f / 720 + \
	(r) * (1.0f / 5040))))))))

static inline float exp_scalar(float x)
{
	float n, r;
	int32_t e;
	uint32_t bits;

	x = x < EXP_LO ? EXP_LO : x > EXP_HI ? EXP_HI : x;
	n = (x * EXP_LOG2E + EXP_ROUND) - EXP_ROUND;
	r = (x - n * EXP_LN2HI) - n * EXP_LN2LO;
	e = (int32_t)n;
	bits = (uint32_t)(e + 127) << 23;
	memcpy(&n, &bits, sizeof n);
	return EXP_POLY(r) * n;
}

/* x = e^x on 8 lanes, in place: the operations of exp_scalar, lane by
 * lane (a macro: a v8f passed to a function changes the ABI) */
#define EXP8(x)                                                               \
	do {                                                                  \
		const v8f lo_ = { EXP_LO, EXP_LO, EXP_LO, EXP_LO,             \
				  EXP_LO, EXP_LO, EXP_LO, EXP_LO };           \
		const v8f hi_ = { EXP_HI, EXP_HI, EXP_HI, EXP_HI,             \
				  EXP_HI, EXP_HI, EXP_HI, EXP_HI };           \
		v8f nn_, r_, sc_;                                             \
		v8i m_, e_;                                                   \
		m_ = (x) < lo_;                                               \
		(x) = (v8f)(((v8i)(x) & ~m_) | ((v8i)lo_ & m_));              \
		m_ = (x) > hi_;                                               \
		(x) = (v8f)(((v8i)(x) & ~m_) | ((v8i)hi_ & m_));              \
		nn_ = ((x) * EXP_LOG2E + EXP_ROUND) - EXP_ROUND;              \
		r_ = ((x) - nn_ * EXP_LN2HI) - nn_ * EXP_LN2LO;               \
		e_ = __builtin_convertvector(nn_, v8i);                       \
		sc_ = (v8f)((e_ + 127) << 23);                                \
		(x) = EXP_POLY(r_) * sc_;                                     \
	} while (0)

/* p[i] = e^p[i], i < n */
HOT
static void exp_inplace(float *p, int n)
{
	int i = 0;

	for (; i + 8 <= n; i += 8) {
		v8f x;
		LOAD8(x, p + i);
		EXP8(x);
		STORE8(p + i, x);
	}
	for (; i < n; i++)
		p[i] = exp_scalar(p[i]);
}

/* inp (N, IC) -> out (N, OC) = inp @ weight + bias.
 * weight (IC, OC), bias (OC) or NULL. Each output is bias + sum_i x_i w_i
 * added in the order of i, whatever the path: tiles of 4 tokens by 8
 * outputs, single tokens, or a scalar tail when OC is not a multiple of
 * 8. So a token's outputs do not depend on its neighbours in the batch. */
HOT
static void matmul_forward(float *restrict out, const float *restrict inp,
			   const float *restrict weight,
			   const float *restrict bias, int N, int IC, int OC)
{
	int OC8 = OC - OC % 8, n = 0;

	for (; n + 4 <= N; n += 4) {
		const float *x0 = inp + (size_t)n * IC, *x1 = x0 + IC;
		const float *x2 = x1 + IC, *x3 = x2 + IC;
		float *o0 = out + (size_t)n * OC;
		int j = 0;

		/* 16 outputs at a time while they last: each x broadcast
		 * serves two vectors (the sums are the same, in the same order) */
		for (; j + 16 <= OC8; j += 16) {
			v8f b = { 0 }, c = { 0 }, a0, a1, a2, a3, d0, d1, d2, d3;
			const float *w = weight + j;
			if (bias) {
				LOAD8(b, bias + j);
				LOAD8(c, bias + j + 8);
			}
			a0 = a1 = a2 = a3 = b;
			d0 = d1 = d2 = d3 = c;
			for (int i = 0; i < IC; i++, w += OC) {
				v8f wv, wu;
				LOAD8(wv, w);
				LOAD8(wu, w + 8);
				a0 += x0[i] * wv;
				d0 += x0[i] * wu;
				a1 += x1[i] * wv;
				d1 += x1[i] * wu;
				a2 += x2[i] * wv;
				d2 += x2[i] * wu;
				a3 += x3[i] * wv;
				d3 += x3[i] * wu;
			}
			STORE8(o0 + j, a0);
			STORE8(o0 + j + 8, d0);
			STORE8(o0 + OC + j, a1);
			STORE8(o0 + OC + j + 8, d1);
			STORE8(o0 + 2 * OC + j, a2);
			STORE8(o0 + 2 * OC + j + 8, d2);
			STORE8(o0 + 3 * OC + j, a3);
			STORE8(o0 + 3 * OC + j + 8, d3);
		}
		for (; j < OC8; j += 8) {
			v8f b = { 0 }, a0, a1, a2, a3;
			const float *w = weight + j;
			if (bias)
				LOAD8(b, bias + j);
			a0 = a1 = a2 = a3 = b;
			for (int i = 0; i < IC; i++, w += OC) {
				v8f wv;
				LOAD8(wv, w);
				a0 += x0[i] * wv;
				a1 += x1[i] * wv;
				a2 += x2[i] * wv;
				a3 += x3[i] * wv;
			}
			STORE8(o0 + j, a0);
			STORE8(o0 + OC + j, a1);
			STORE8(o0 + 2 * OC + j, a2);
			STORE8(o0 + 3 * OC + j, a3);
		}
	}
	for (; n < N; n++) {
		const float *x = inp + (size_t)n * IC;
		float *o = out + (size_t)n * OC;
		for (int j = 0; j < OC8; j += 8) {
			v8f a = { 0 };
			const float *w = weight + j;
			if (bias)
				LOAD8(a, bias + j);
			for (int i = 0; i < IC; i++, w += OC) {
				v8f wv;
				LOAD8(wv, w);
				a += x[i] * wv;
			}
			STORE8(o + j, a);
		}
	}
	for (n = 0; OC8 < OC && n < N; n++) {
		const float *x = inp + (size_t)n * IC;
		float *o = out + (size_t)n * OC;
		for (int j = OC8; j < OC; j++) {
			float a = bias ? bias[j] : 0.0f;
			for (int i = 0; i < IC; i++)
				a += x[i] * weight[(size_t)i * OC + j];
			o[j] = a;
		}
	}
}

/* dinp (N, IC) or NULL, dweight (IC, OC), dbias (OC) or NULL
 * <- dout (N, OC), inp (N, IC), weight (IC, OC) */
static void matmul_backward(float *restrict dinp, float *restrict dweight,
			    float *restrict dbias, const float *restrict dout,
			    const float *restrict inp,
			    const float *restrict weight, int N, int IC, int OC)
{
	for (int n = 0; n < N; n++) {
		const float *d = dout + (size_t)n * OC;
		const float *x = inp + (size_t)n * IC;

		if (dinp) {
			float *dx = dinp + (size_t)n * IC;
			for (int i = 0; i < IC; i++) {
				const float *w = weight + (size_t)i * OC;
				float s = 0.0f;
				for (int j = 0; j < OC; j++)
					s += w[j] * d[j];
				dx[i] += s;
			}
		}
		for (int i = 0; i < IC; i++) {
			float *dw = dweight + (size_t)i * OC;
			float xi = x[i];
			for (int j = 0; j < OC; j++)
				dw[j] += xi * d[j];
		}
		if (dbias)
			for (int j = 0; j < OC; j++)
				dbias[j] += d[j];
	}
}

/* inp (N, C) -> out (N, C) normalised per token, scaled by weight (C),
 * shifted by bias (C); mean, rstd (N) kept for the backward pass. When C
 * is a multiple of 8 the sums run on 8-wide vectors (another order of
 * additions than the scalar path; each token alone either way). */
HOT
static void layernorm_forward(float *restrict out, float *restrict mean,
			      float *restrict rstd, const float *restrict inp,
			      const float *restrict weight,
			      const float *restrict bias, int N, int C)
{
	for (int n = 0; n < N; n++) {
		const float *x = inp + (size_t)n * C;
		float *o = out + (size_t)n * C;
		float m = 0.0f, v = 0.0f, s;

		if (C % 8 == 0) {
			v8f sm = { 0 }, sv = { 0 };
			for (int i = 0; i < C; i += 8) {
				v8f xv;
				LOAD8(xv, x + i);
				sm += xv;
			}
			m = (((sm[0] + sm[4]) + (sm[1] + sm[5])) +
			     ((sm[2] + sm[6]) + (sm[3] + sm[7]))) / (float)C;
			for (int i = 0; i < C; i += 8) {
				v8f xv;
				LOAD8(xv, x + i);
				xv -= m;
				sv += xv * xv;
			}
			v = (((sv[0] + sv[4]) + (sv[1] + sv[5])) +
			     ((sv[2] + sv[6]) + (sv[3] + sv[7]))) / (float)C;
			s = 1.0f / sqrtf(v + LN_EPS);
			for (int i = 0; i < C; i += 8) {
				v8f xv, wv, bv;
				LOAD8(xv, x + i);
				LOAD8(wv, weight + i);
				LOAD8(bv, bias + i);
				xv = (xv - m) * s * wv + bv;
				STORE8(o + i, xv);
			}
			mean[n] = m;
			rstd[n] = s;
			continue;
		}
		for (int i = 0; i < C; i++)
			m += x[i];
		m /= (float)C;
		for (int i = 0; i < C; i++)
			v += (x[i] - m) * (x[i] - m);
		v /= (float)C;
		s = 1.0f / sqrtf(v + LN_EPS);
		for (int i = 0; i < C; i++)
			o[i] = (x[i] - m) * s * weight[i] + bias[i];
		mean[n] = m;
		rstd[n] = s;
	}
}

/* dinp (N, C), dweight (C), dbias (C) <- dout (N, C), inp (N, C),
 * weight (C), mean (N), rstd (N) */
static void layernorm_backward(float *restrict dinp, float *restrict dweight,
			       float *restrict dbias,
			       const float *restrict dout,
			       const float *restrict inp,
			       const float *restrict weight,
			       const float *restrict mean,
			       const float *restrict rstd, int N, int C)
{
	for (int n = 0; n < N; n++) {
		const float *d = dout + (size_t)n * C;
		const float *x = inp + (size_t)n * C;
		float *dx = dinp + (size_t)n * C;
		float m = mean[n], s = rstd[n];
		float dn_mean = 0.0f, dn_xhat_mean = 0.0f;

		/* xhat = (x - m) s; dxhat = weight * dout */
		for (int i = 0; i < C; i++) {
			float xhat = (x[i] - m) * s;
			float dxhat = weight[i] * d[i];
			dn_mean += dxhat;
			dn_xhat_mean += dxhat * xhat;
		}
		dn_mean /= (float)C;
		dn_xhat_mean /= (float)C;
		for (int i = 0; i < C; i++) {
			float xhat = (x[i] - m) * s;
			float dxhat = weight[i] * d[i];
			dbias[i] += d[i];
			dweight[i] += xhat * d[i];
			dx[i] += s * (dxhat - dn_mean - xhat * dn_xhat_mean);
		}
	}
}

/* Attention slots per token and the keys [lo, hi) token t sees. */
static int att_slots(int T, int R)
{
	return (R == 0 || 2 * R + 1 > T) ? T : 2 * R + 1;
}

static void att_band(int *lo, int *hi, int t, int T, int R)
{
	if (R == 0) {
		*lo = 0;
		*hi = T;
		return;
	}
	*lo = t - R < 0 ? 0 : t - R;
	*hi = t + R + 1 > T ? T : t + R + 1;
}

/* Softmax of a[0..n) in place (max subtracted, own exp), then o (hs) =
 * sum_s a[s] v(lo + s), v(t2) at qkv_b + t2 C3 + 2C + h hs. */
#define ATT_FINISH(a, n, W, o, qkv_b, lo, hi, hs, C3, C, h, vec)              \
	do {                                                                  \
		float maxv_ = -INFINITY, sum_ = 0.0f, inv_;                   \
		for (int s_ = 0; s_ < (n); s_++)                              \
			if ((a)[s_] > maxv_)                                  \
				maxv_ = (a)[s_];                              \
		for (int s_ = 0; s_ < (n); s_++)                              \
			(a)[s_] -= maxv_;                                     \
		exp_inplace((a), (n));                                        \
		for (int s_ = 0; s_ < (n); s_++)                              \
			sum_ += (a)[s_];                                      \
		inv_ = 1.0f / sum_;                                           \
		for (int s_ = 0; s_ < (n); s_++)                              \
			(a)[s_] *= inv_;                                      \
		for (int s_ = (n); s_ < (W); s_++)                            \
			(a)[s_] = 0.0f;                                       \
		if (vec) {                                                    \
			for (int i_ = 0; i_ < (hs); i_ += 8) {                \
				v8f acc_ = { 0 };                             \
				for (int t2_ = (lo); t2_ < (hi); t2_++) {     \
					v8f vv_;                              \
					LOAD8(vv_, (qkv_b) + t2_ * (C3) + 2 * (C) + (h) * (hs) + i_); \
					acc_ += (a)[t2_ - (lo)] * vv_;        \
				}                                             \
				STORE8((o) + i_, acc_);                       \
			}                                                     \
		} else {                                                      \
			for (int i_ = 0; i_ < (hs); i_++)                     \
				(o)[i_] = 0.0f;                               \
			for (int t2_ = (lo); t2_ < (hi); t2_++) {             \
				const float *v_ = (qkv_b) + t2_ * (C3) + 2 * (C) + (h) * (hs); \
				float w_ = (a)[t2_ - (lo)];                   \
				for (int i_ = 0; i_ < (hs); i_++)             \
					(o)[i_] += w_ * v_[i_];               \
			}                                                     \
		}                                                             \
	} while (0)

/* The transposed-key path: queries in blocks of ATT_QB; when the keys of
 * a block (the union of their bands) are at most ATT_KMAX and hs is a
 * multiple of 8, the keys of one head are copied transposed, (hs, keys),
 * into a stack buffer, and 8 scores come out of hs vector
 * multiply-adds, with no horizontal sums. Whether a block takes it
 * depends on its key range only, so R = 0 and R >= T - 1 (the same
 * ranges) still compute the same. */
#define ATT_QB 64
#define ATT_KMAX 192
#define ATT_KS (ATT_KMAX + 8)  /* row stride: 8 floats of zero padding */
#define ATT_BUF 8192           /* floats: hs * ATT_KS <= ATT_BUF, hs <= 40 */

/* One query's row when its n <= ATT_REG keys fit in registers: the
 * scores, 8 at a time from the transposed keys kt (hs rows of stride
 * ATT_KS, already offset to the row's first key), stay in vectors through
 * the softmax (lanes past n at -inf for the max, 0 after the exp), so no
 * scalar pass over the row is made; then the weights are stored in a (W
 * slots, the unused ones 0) and o (hs) = sum_s a[s] v(lo + s). The sum of
 * the exponentials adds 8 lanes at a time: it may round differently from
 * the scalar path, which rows of more keys take. */
#define ATT_REG 32
static inline __attribute__((always_inline)) void
att_row_reg(float *restrict a, float *restrict o, const float *restrict q,
	    const float *restrict kt, const float *restrict qkv_b, int lo, int n,
	    int W, int hs, size_t C3, int C, int h, float scale)
{
	const v8i lane = { 0, 1, 2, 3, 4, 5, 6, 7 };
	v8f sv[ATT_REG / 8], mv, acc;
	int nv = (n + 7) / 8, j, i;
	float mx, sum, inv;

	for (j = 0; j < nv; j++) {
		acc = (v8f){ 0 };
		for (i = 0; i < hs; i++) {
			v8f kv;
			LOAD8(kv, kt + i * ATT_KS + 8 * j);
			acc += q[i] * kv;
		}
		v8i past = lane + 8 * j >= n;
		acc *= scale;
		sv[j] = (v8f)(((v8i)acc & ~past) | ((v8i)((v8f){ 0 } - INFINITY) & past));
	}
	mv = sv[0];
	for (j = 1; j < nv; j++) {
		v8i gt = mv > sv[j];
		mv = (v8f)(((v8i)mv & gt) | ((v8i)sv[j] & ~gt));
	}
	mx = mv[0];
	for (i = 1; i < 8; i++)
		mx = mv[i] > mx ? mv[i] : mx;
	acc = (v8f){ 0 };
	for (j = 0; j < nv; j++) {
		v8i past = lane + 8 * j >= n;
		sv[j] -= mx;
		EXP8(sv[j]);
		sv[j] = (v8f)((v8i)sv[j] & ~past);
		acc += sv[j];
	}
	sum = ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]));
	inv = 1.0f / sum;
	/* whole vectors while they fit the row's W slots (lanes past n are
	 * 0, as the unused slots must be), the rest lane by lane */
	for (j = 0; j < nv; j++) {
		sv[j] *= inv;
		if (8 * j + 8 <= W)
			STORE8(a + 8 * j, sv[j]);
		else
			for (i = 0; 8 * j + i < W; i++)
				a[8 * j + i] = sv[j][i];
	}
	for (i = 8 * nv; i < W; i++)
		a[i] = 0.0f;
	for (int c = 0; c < hs; c += 8) {
		acc = (v8f){ 0 };
		for (int s2 = 0; s2 < n; s2++) {
			v8f vv;
			LOAD8(vv, qkv_b + (size_t)(lo + s2) * C3 + 2 * (size_t)C + (size_t)h * hs + c);
			acc += a[s2] * vv;
		}
		STORE8(o + c, acc);
	}
}

/* qkv (B, T, 3C): per token the query, key and value vectors, each C =
 * NH heads of hs. -> att (B, NH, T, W): softmax weights, slot s of token
 * t holding key lo(t) + s (unused slots 0); out (B, T, C): per head the
 * weighted sum of values. When hs is a multiple of 8 the dot products
 * and sums run on 8-wide vectors (the order of the additions differs
 * from the scalar path, so each path is tested). */
HOT
static void attention_forward(float *restrict out, float *restrict att,
			      const float *restrict qkv, int B, int T, int C,
			      int NH, int R)
{
	int hs = C / NH, W = att_slots(T, R), vec = hs % 8 == 0;
	int fast = vec && hs * ATT_KS <= ATT_BUF;
	size_t C3 = 3 * (size_t)C;
	float scale = 1.0f / sqrtf((float)hs);
	float kt[ATT_BUF];

	for (int b = 0; b < B; b++) {
		const float *qkv_b = qkv + (size_t)b * T * C3;
		for (int t0 = 0; t0 < T; t0 += ATT_QB) {
			int t1 = t0 + ATT_QB < T ? t0 + ATT_QB : T, k0, k1, dummy;
			att_band(&k0, &dummy, t0, T, R);
			att_band(&dummy, &k1, t1 - 1, T, R);
			int blockfast = fast && k1 - k0 <= ATT_KMAX;
			for (int h = 0; h < NH; h++) {
				if (blockfast) {
					for (int i = 0; i < hs; i++) {
						float *row = kt + i * ATT_KS;
						for (int j = 0; j < k1 - k0; j++)
							row[j] = qkv_b[(size_t)(k0 + j) * C3 + C + h * hs + i];
						for (int j = k1 - k0; j < k1 - k0 + 8; j++)
							row[j] = 0.0f;
					}
				}
				for (int t = t0; t < t1; t++) {
					int lo, hi;
					att_band(&lo, &hi, t, T, R);
					const float *q = qkv_b + t * C3 + h * hs;
					float *a = att + (((size_t)b * NH + h) * T + t) * W;
					float *o = out + ((size_t)b * T + t) * C + h * hs;
					int n = hi - lo;

					if (blockfast && n <= ATT_REG) {
						att_row_reg(a, o, q, kt + (lo - k0), qkv_b, lo, n, W, hs,
							    C3, C, h, scale);
						continue;
					}
					if (blockfast) {
						int base = lo - k0;
						for (int j = 0; j < n; j += 8) {
							v8f acc = { 0 };
							for (int i = 0; i < hs; i++) {
								v8f kv;
								LOAD8(kv, kt + i * ATT_KS + base + j);
								acc += q[i] * kv;
							}
							acc *= scale;
							if (j + 8 <= n)
								STORE8(a + j, acc);
							else
								memcpy(a + j, &acc, (size_t)(n - j) * sizeof(float));
						}
					} else {
						for (int t2 = lo; t2 < hi; t2++) {
							const float *k = qkv_b + t2 * C3 + C + h * hs;
							float v = 0.0f;
							if (vec) {
								v8f acc = { 0 };
								for (int i = 0; i < hs; i += 8) {
									v8f qv, kv;
									LOAD8(qv, q + i);
									LOAD8(kv, k + i);
									acc += qv * kv;
								}
								v = ((acc[0] + acc[4]) + (acc[1] + acc[5])) +
								    ((acc[2] + acc[6]) + (acc[3] + acc[7]));
							} else {
								for (int i = 0; i < hs; i++)
									v += q[i] * k[i];
							}
							a[t2 - lo] = v * scale;
						}
					}
					ATT_FINISH(a, n, W, o, qkv_b, lo, hi, hs, C3, C, h, vec);
				}
			}
		}
	}
}

/* dqkv (B, T, 3C) <- dout (B, T, C), qkv (B, T, 3C), att (B, NH, T, W);
 * datt (B, NH, T, W) is scratch, overwritten. */
static void attention_backward(float *restrict dqkv, float *restrict datt,
			       const float *restrict dout,
			       const float *restrict qkv,
			       const float *restrict att, int B, int T, int C,
			       int NH, int R)
{
	int hs = C / NH, W = att_slots(T, R);
	size_t C3 = 3 * (size_t)C;
	float scale = 1.0f / sqrtf((float)hs);

	for (int b = 0; b < B; b++) {
		const float *qkv_b = qkv + (size_t)b * T * C3;
		float *dqkv_b = dqkv + (size_t)b * T * C3;
		for (int t = 0; t < T; t++) {
			int lo, hi;
			att_band(&lo, &hi, t, T, R);
			for (int h = 0; h < NH; h++) {
				size_t row = (((size_t)b * NH + h) * T + t) * W;
				const float *a = att + row;
				float *da = datt + row;
				const float *q = qkv_b + t * C3 + h * hs;
				float *dq = dqkv_b + t * C3 + h * hs;
				const float *d = dout + ((size_t)b * T + t) * C + h * hs;
				float dot = 0.0f;

				/* through o = sum_s a[s] v[s] */
				for (int t2 = lo; t2 < hi; t2++) {
					const float *v = qkv_b + t2 * C3 + 2 * C + h * hs;
					float *dv = dqkv_b + t2 * C3 + 2 * C + h * hs;
					float w = a[t2 - lo], g = 0.0f;
					for (int i = 0; i < hs; i++) {
						g += v[i] * d[i];
						dv[i] += w * d[i];
					}
					da[t2 - lo] = g;
					dot += w * g;
				}
				/* through the softmax: dpre = a (da - sum a da) */
				for (int s = 0; s < hi - lo; s++)
					da[s] = a[s] * (da[s] - dot);
				/* through pre = scale q.k */
				for (int t2 = lo; t2 < hi; t2++) {
					const float *k = qkv_b + t2 * C3 + C + h * hs;
					float *dk = dqkv_b + t2 * C3 + C + h * hs;
					float g = da[t2 - lo] * scale;
					for (int i = 0; i < hs; i++) {
						dq[i] += g * k[i];
						dk[i] += g * q[i];
					}
				}
			}
		}
	}
}

/* GELU, tanh form: out = x/2 (1 + tanh(u)), u = k (x + a x^3), computed
 * as x sigmoid(2u) = x / (1 + e^(-2u)) with the exp above. inp, out
 * (N, H), worked row by row so a row's results do not depend on the
 * rows around it. */
HOT
static void gelu_forward(float *restrict out, const float *restrict inp,
			 int N, int H)
{
	/* the rows are contiguous: one pass over all N H values, 8 at a time,
	 * with the same operations per value as the scalar tail */
	size_t n = (size_t)N * H, i = 0;

	for (; i + 8 <= n; i += 8) {
		v8f x, e;
		LOAD8(x, inp + i);
		e = -2.0f * (GELU_K * (x + GELU_A * x * x * x));
		EXP8(e);
		e = x / (1.0f + e);
		STORE8(out + i, e);
	}
	for (; i < n; i++) {
		float u = GELU_K * (inp[i] + GELU_A * inp[i] * inp[i] * inp[i]);
		out[i] = inp[i] / (1.0f + exp_scalar(-2.0f * u));
	}
}

/* dinp (N, H) <- dout (N, H), inp (N, H) */
static void gelu_backward(float *restrict dinp, const float *restrict dout,
			  const float *restrict inp, int N, int H)
{
	size_t NH = (size_t)N * H;

	for (size_t i = 0; i < NH; i++) {
		float x = inp[i];
		float u = GELU_K * (x + GELU_A * x * x * x);
		float sg = 1.0f / (1.0f + exp_scalar(-2.0f * u));
		float du = GELU_K * (1.0f + 3.0f * GELU_A * x * x);
		/* d/dx x sg(2u) = sg + x sg (1 - sg) 2 du */
		float g = sg + 2.0f * x * sg * (1.0f - sg) * du;
		dinp[i] += g * dout[i];
	}
}

/* out (N) = inp1 (N) + inp2 (N) */
HOT
static void residual_forward(float *restrict out, const float *restrict inp1,
			     const float *restrict inp2, size_t N)
{
	size_t i = 0;

	for (; i + 8 <= N; i += 8) {
		v8f a, b;
		LOAD8(a, inp1 + i);
		LOAD8(b, inp2 + i);
		a += b;
		STORE8(out + i, a);
	}
	for (; i < N; i++)
		out[i] = inp1[i] + inp2[i];
}

/* dinp1 (N), dinp2 (N) <- dout (N) */
static void residual_backward(float *restrict dinp1, float *restrict dinp2,
			      const float *restrict dout, size_t N)
{
	for (size_t i = 0; i < N; i++) {
		dinp1[i] += dout[i];
		dinp2[i] += dout[i];
	}
}

static float sigmoid(float z)
{
	if (z >= 0.0f)
		return 1.0f / (1.0f + expf(-z));
	float e = expf(z);
	return e / (1.0f + e);
}

/* inp (N, C) -> logits (N) = inp @ w (C) + b (1), scores (N) = sigmoid */
static void head_forward(float *restrict logits, float *restrict scores,
			 const float *restrict inp, const float *restrict w,
			 const float *restrict b, int N, int C)
{
	for (int n = 0; n < N; n++) {
		const float *x = inp + (size_t)n * C;
		float z = b[0];
		for (int i = 0; i < C; i++)
			z += x[i] * w[i];
		logits[n] = z;
		scores[n] = sigmoid(z);
	}
}

/* dinp (N, C), dw (C), db (1) <- dscores (N) and/or dlogits (N) (either
 * may be NULL), scores (N), inp (N, C), w (C) */
static void head_backward(float *restrict dinp, float *restrict dw,
			  float *restrict db, const float *restrict dscores,
			  const float *restrict dlogits,
			  const float *restrict scores,
			  const float *restrict inp, const float *restrict w,
			  int N, int C)
{
	for (int n = 0; n < N; n++) {
		const float *x = inp + (size_t)n * C;
		float *dx = dinp + (size_t)n * C;
		float g = 0.0f;

		if (dlogits)
			g += dlogits[n];
		if (dscores)
			g += dscores[n] * scores[n] * (1.0f - scores[n]);
		for (int i = 0; i < C; i++) {
			dx[i] += g * w[i];
			dw[i] += g * x[i];
		}
		db[0] += g;
	}
}

/* ------------------------------------------------------------------ */
/* configuration and tensor tables */

void tsd_model_config_default(struct tsd_model_config *cfg, int nfeat)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->nfeat = nfeat;
	cfg->width = 32;
	cfg->heads = 4;
	cfg->layers = 2;
	cfg->hidden = 64;
	cfg->max_tokens = 512;
	cfg->radius = 16;
}

int tsd_model_config_check(const struct tsd_model_config *cfg,
			   char *errbuf, size_t errlen)
{
	static const struct {
		const char *name;
		size_t off;
		int max;
	} lim[] = {
		{ "nfeat", offsetof(struct tsd_model_config, nfeat), TSD_MODEL_MAX_FEAT },
		{ "width", offsetof(struct tsd_model_config, width), TSD_MODEL_MAX_WIDTH },
		{ "heads", offsetof(struct tsd_model_config, heads), TSD_MODEL_MAX_WIDTH },
		{ "layers", offsetof(struct tsd_model_config, layers), TSD_MODEL_MAX_LAYERS },
		{ "hidden", offsetof(struct tsd_model_config, hidden), TSD_MODEL_MAX_HIDDEN },
		{ "max_tokens", offsetof(struct tsd_model_config, max_tokens), TSD_MODEL_MAX_TOKENS },
	};

	if (!cfg) {
		tsd_seterr(errbuf, errlen, "no model configuration");
		return TSD_EINVAL;
	}
	for (size_t i = 0; i < sizeof lim / sizeof lim[0]; i++) {
		int v;
		memcpy(&v, (const char *)cfg + lim[i].off, sizeof v);
		if (v < 1 || v > lim[i].max) {
			tsd_seterr(errbuf, errlen, "model %s %d outside [1, %d]",
			       lim[i].name, v, lim[i].max);
			return TSD_ERANGE;
		}
	}
	if (cfg->width % cfg->heads) {
		tsd_seterr(errbuf, errlen, "model width %d is not a multiple of heads %d",
		       cfg->width, cfg->heads);
		return TSD_EINVAL;
	}
	if (cfg->radius < 0 || cfg->radius > cfg->max_tokens) {
		tsd_seterr(errbuf, errlen, "model radius %d outside [0, %d]",
		       cfg->radius, cfg->max_tokens);
		return TSD_ERANGE;
	}
	return 0;
}

/* Floats per parameter tensor, in the order of struct tsd_model_params.
 * The limits keep every product below 2^40, but a 32-bit size_t needs the
 * checks. */
static int param_sizes(size_t sizes[TSD_MODEL_NTENSORS], size_t *total,
		       const struct tsd_model_config *cfg)
{
	size_t F = cfg->nfeat, C = cfg->width, L = cfg->layers, H = cfg->hidden;
	size_t sum = 0;
	int err;

	if ((err = tsd_model_config_check(cfg, NULL, 0)))
		return err;
	if (L * C > SIZE_MAX / (4 * C + 2 * H + 8) || F > SIZE_MAX / C)
		return TSD_ERANGE;
	sizes[0] = F * C;           /* wemb */
	sizes[1] = C;               /* bemb */
	sizes[2] = L * C;           /* ln1w */
	sizes[3] = L * C;           /* ln1b */
	sizes[4] = L * C * 3 * C;   /* qkvw */
	sizes[5] = L * 3 * C;       /* qkvb */
	sizes[6] = L * C * C;       /* attprojw */
	sizes[7] = L * C;           /* attprojb */
	sizes[8] = L * C;           /* ln2w */
	sizes[9] = L * C;           /* ln2b */
	sizes[10] = L * C * H;      /* fcw */
	sizes[11] = L * H;          /* fcb */
	sizes[12] = L * H * C;      /* fcprojw */
	sizes[13] = L * C;          /* fcprojb */
	sizes[14] = C;              /* lnfw */
	sizes[15] = C;              /* lnfb */
	sizes[16] = C;              /* headw */
	sizes[17] = 1;              /* headb */
	for (int i = 0; i < TSD_MODEL_NTENSORS; i++) {
		if (sizes[i] > SIZE_MAX - sum)
			return TSD_ERANGE;
		sum += sizes[i];
	}
	*total = sum;
	return 0;
}

size_t tsd_model_nparams(const struct tsd_model_config *cfg)
{
	size_t sizes[TSD_MODEL_NTENSORS], n;

	return param_sizes(sizes, &n, cfg) ? 0 : n;
}

static void point_params(struct tsd_model_params *p, float *mem,
			 const size_t sizes[TSD_MODEL_NTENSORS])
{
	float **ptrs[TSD_MODEL_NTENSORS] = {
		&p->wemb, &p->bemb, &p->ln1w, &p->ln1b, &p->qkvw, &p->qkvb,
		&p->attprojw, &p->attprojb, &p->ln2w, &p->ln2b, &p->fcw,
		&p->fcb, &p->fcprojw, &p->fcprojb, &p->lnfw, &p->lnfb,
		&p->headw, &p->headb,
	};

	for (int i = 0; i < TSD_MODEL_NTENSORS; i++) {
		*ptrs[i] = mem;
		mem += sizes[i];
	}
}

/* The activations of one forward pass; the backward pass uses a block of
 * the same layout for their gradients. */
#define NACTS 22
struct acts {
	float *logits;   /* (B, T) */
	float *scores;   /* (B, T) */
	float *xn;       /* (B, T, F) normalised input */
	float *enc;      /* (B, T, C) */
	float *ln1;      /* (L, B, T, C) */
	float *ln1_mean; /* (L, B, T) */
	float *ln1_rstd; /* (L, B, T) */
	float *qkv;      /* (L, B, T, 3C) */
	float *att;      /* (L, B, NH, T, W) */
	float *atty;     /* (L, B, T, C) */
	float *attproj;  /* (L, B, T, C) */
	float *res2;     /* (L, B, T, C) */
	float *ln2;      /* (L, B, T, C) */
	float *ln2_mean; /* (L, B, T) */
	float *ln2_rstd; /* (L, B, T) */
	float *fch;      /* (L, B, T, H) */
	float *fch_gelu; /* (L, B, T, H) */
	float *fcproj;   /* (L, B, T, C) */
	float *res3;     /* (L, B, T, C) */
	float *lnf;      /* (B, T, C) */
	float *lnf_mean; /* (B, T) */
	float *lnf_rstd; /* (B, T) */
};

static int act_sizes(size_t sizes[NACTS], size_t *total,
		     const struct tsd_model_config *cfg, int B, int T)
{
	size_t N, LN, C = cfg->width, H = cfg->hidden, W, sum = 0;

	if (tsd_model_config_check(cfg, NULL, 0) || B < 1 || T < 1)
		return TSD_EINVAL;
	W = (size_t)att_slots(T, cfg->radius);
	if (tsd_mul_size(&N, (size_t)B, (size_t)T) ||
	    tsd_mul_size(&LN, N, (size_t)cfg->layers) ||
	    LN > SIZE_MAX / (3 * C + H + W * cfg->heads + 16) ||
	    N > SIZE_MAX / ((size_t)cfg->nfeat + C + 8))
		return TSD_ERANGE;
	sizes[0] = N;                    /* logits */
	sizes[1] = N;                    /* scores */
	sizes[2] = N * cfg->nfeat;       /* xn */
	sizes[3] = N * C;                /* enc */
	sizes[4] = LN * C;               /* ln1 */
	sizes[5] = LN;                   /* ln1_mean */
	sizes[6] = LN;                   /* ln1_rstd */
	sizes[7] = LN * 3 * C;           /* qkv */
	sizes[8] = LN * cfg->heads * W;  /* att */
	sizes[9] = LN * C;               /* atty */
	sizes[10] = LN * C;              /* attproj */
	sizes[11] = LN * C;              /* res2 */
	sizes[12] = LN * C;              /* ln2 */
	sizes[13] = LN;                  /* ln2_mean */
	sizes[14] = LN;                  /* ln2_rstd */
	sizes[15] = LN * H;              /* fch */
	sizes[16] = LN * H;              /* fch_gelu */
	sizes[17] = LN * C;              /* fcproj */
	sizes[18] = LN * C;              /* res3 */
	sizes[19] = N * C;               /* lnf */
	sizes[20] = N;                   /* lnf_mean */
	sizes[21] = N;                   /* lnf_rstd */
	for (int i = 0; i < NACTS; i++) {
		if (sizes[i] > SIZE_MAX - sum)
			return TSD_ERANGE;
		sum += sizes[i];
	}
	*total = sum;
	return 0;
}

static void point_acts(struct acts *a, float *mem, const size_t sizes[NACTS])
{
	float **ptrs[NACTS] = {
		&a->logits, &a->scores, &a->xn, &a->enc, &a->ln1, &a->ln1_mean,
		&a->ln1_rstd, &a->qkv, &a->att, &a->atty, &a->attproj,
		&a->res2, &a->ln2, &a->ln2_mean, &a->ln2_rstd, &a->fch,
		&a->fch_gelu, &a->fcproj, &a->res3, &a->lnf, &a->lnf_mean,
		&a->lnf_rstd,
	};

	for (int i = 0; i < NACTS; i++) {
		*ptrs[i] = mem;
		mem += sizes[i];
	}
}

size_t tsd_model_acts_len(const struct tsd_model_config *cfg, int B, int T)
{
	size_t sizes[NACTS], n;

	if (!cfg || T > cfg->max_tokens || act_sizes(sizes, &n, cfg, B, T))
		return 0;
	return n;
}

/* ------------------------------------------------------------------ */
/* initialisation */

/* n floats uniform in [-a, a): variance a^2/3. Exact float arithmetic on
 * 24-bit integers, so identical everywhere. */
static void fill_uniform(float *p, size_t n, float std, uint64_t *s)
{
	float a = sqrtf(3.0f) * std;

	for (size_t i = 0; i < n; i++) {
		float u = (float)(tsd_rng_next(s) >> 40) * 0x1p-24f; /* [0,1) */
		p[i] = (2.0f * u - 1.0f) * a;
	}
}

static void fill_const(float *p, size_t n, float v)
{
	for (size_t i = 0; i < n; i++)
		p[i] = v;
}

/* Allocate the blocks of m for cfg; weights are left zero. */
static int model_alloc(struct tsd_model *m, const struct tsd_model_config *cfg)
{
	int err;

	memset(m, 0, sizeof *m);
	if ((err = param_sizes(m->sizes, &m->nparams, cfg)))
		return err;
	m->cfg = *cfg;
	if (m->nparams > SIZE_MAX / sizeof(float))
		return TSD_ERANGE;
	m->param_mem = calloc(m->nparams, sizeof(float));
	m->grad_mem = calloc(m->nparams, sizeof(float));
	m->norm = calloc(2 * (size_t)cfg->nfeat, sizeof(float));
	if (!m->param_mem || !m->grad_mem || !m->norm) {
		tsd_model_free(m);
		return TSD_ENOMEM;
	}
	point_params(&m->params, m->param_mem, m->sizes);
	point_params(&m->grads, m->grad_mem, m->sizes);
	fill_const(m->norm + cfg->nfeat, (size_t)cfg->nfeat, 1.0f);
	return 0;
}

int tsd_model_init(struct tsd_model *m, const struct tsd_model_config *cfg,
		   uint64_t seed)
{
	struct tsd_model_params *p = &m->params;
	float F, C, H, rs;
	uint64_t s = seed;
	int err;

	if ((err = model_alloc(m, cfg)))
		return err;
	F = (float)cfg->nfeat;
	C = (float)cfg->width;
	H = (float)cfg->hidden;
	/* residual branches scaled down so the residual stream starts
	 * near the embedding whatever the depth */
	rs = 1.0f / sqrtf(2.0f * (float)cfg->layers);
	fill_uniform(p->wemb, m->sizes[0], 1.0f / sqrtf(F), &s);
	fill_const(p->ln1w, m->sizes[2], 1.0f);
	fill_uniform(p->qkvw, m->sizes[4], 1.0f / sqrtf(C), &s);
	fill_uniform(p->attprojw, m->sizes[6], rs / sqrtf(C), &s);
	fill_const(p->ln2w, m->sizes[8], 1.0f);
	fill_uniform(p->fcw, m->sizes[10], 1.0f / sqrtf(C), &s);
	fill_uniform(p->fcprojw, m->sizes[12], rs / sqrtf(H), &s);
	fill_const(p->lnfw, m->sizes[14], 1.0f);
	fill_uniform(p->headw, m->sizes[16], 1.0f / sqrtf(C), &s);
	return 0;
}

void tsd_model_free(struct tsd_model *m)
{
	if (!m)
		return;
	free(m->param_mem);
	free(m->grad_mem);
	free(m->norm);
	memset(m, 0, sizeof *m);
}

void tsd_model_zero_grad(struct tsd_model *m)
{
	memset(m->grad_mem, 0, m->nparams * sizeof(float));
}

void tsd_model_decay_mask(float *mask, const struct tsd_model *m)
{
	/* 1 for wemb, qkvw, attprojw, fcw, fcprojw, headw */
	static const unsigned char decay[TSD_MODEL_NTENSORS] = {
		1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 1, 0,
	};

	for (int i = 0; i < TSD_MODEL_NTENSORS; i++) {
		fill_const(mask, m->sizes[i], decay[i] ? 1.0f : 0.0f);
		mask += m->sizes[i];
	}
}

/* ------------------------------------------------------------------ */
/* forward and backward passes */

int tsd_model_forward(float *scores, float *logits, float *acts,
		      size_t acts_len, const struct tsd_model *m,
		      const float *x, int B, int T)
{
	const struct tsd_model_config *cfg;
	const struct tsd_model_params *p;
	size_t sizes[NACTS], need, N;
	int F, C, NH, L, H, R, Ni, err;
	struct acts a;

	if (!m || !m->param_mem || !acts || !x || B < 1 || T < 1)
		return TSD_EINVAL;
	cfg = &m->cfg;
	p = &m->params;
	if (T > cfg->max_tokens)
		return TSD_ERANGE;
	if ((err = act_sizes(sizes, &need, cfg, B, T)))
		return err;
	if (acts_len < need)
		return TSD_ESIZE;
	F = cfg->nfeat, C = cfg->width, NH = cfg->heads, L = cfg->layers;
	H = cfg->hidden, R = cfg->radius;
	N = (size_t)B * T;
	if (N > INT32_MAX)
		return TSD_ERANGE;
	Ni = (int)N;
	point_acts(&a, acts, sizes);
	/* normalise, and find a NaN or an infinity on the way: x - x is 0
	 * for a finite x, NaN otherwise (no branch, so the loop vectorises) */
	{
		float bad = 0.0f;
		for (size_t n = 0; n < N; n++)
			for (int f = 0; f < F; f++) {
				float v = x[n * F + f];
				bad += v - v;
				a.xn[n * F + f] = (v - m->norm[f]) * m->norm[F + f];
			}
		if (bad != 0.0f)
			return TSD_EINVAL;
	}
	matmul_forward(a.enc, a.xn, p->wemb, p->bemb, Ni, F, C);
	for (int l = 0; l < L; l++) {
		const float *res = l == 0 ? a.enc : a.res3 + (l - 1) * N * C;
		size_t oC = l * N * C, oH = l * N * H, oN = l * N;

		layernorm_forward(a.ln1 + oC, a.ln1_mean + oN, a.ln1_rstd + oN,
				  res, p->ln1w + l * C, p->ln1b + l * C, Ni, C);
		matmul_forward(a.qkv + 3 * oC, a.ln1 + oC, p->qkvw + (size_t)l * C * 3 * C,
			       p->qkvb + l * 3 * C, Ni, C, 3 * C);
		attention_forward(a.atty + oC, a.att + (size_t)l * sizes[8] / L,
				  a.qkv + 3 * oC, B, T, C, NH, R);
		matmul_forward(a.attproj + oC, a.atty + oC, p->attprojw + (size_t)l * C * C,
			       p->attprojb + l * C, Ni, C, C);
		residual_forward(a.res2 + oC, res, a.attproj + oC, N * C);
		layernorm_forward(a.ln2 + oC, a.ln2_mean + oN, a.ln2_rstd + oN,
				  a.res2 + oC, p->ln2w + l * C, p->ln2b + l * C, Ni, C);
		matmul_forward(a.fch + oH, a.ln2 + oC, p->fcw + (size_t)l * C * H,
			       p->fcb + l * H, Ni, C, H);
		gelu_forward(a.fch_gelu + oH, a.fch + oH, Ni, H);
		matmul_forward(a.fcproj + oC, a.fch_gelu + oH, p->fcprojw + (size_t)l * H * C,
			       p->fcprojb + l * C, Ni, H, C);
		residual_forward(a.res3 + oC, a.res2 + oC, a.fcproj + oC, N * C);
	}
	layernorm_forward(a.lnf, a.lnf_mean, a.lnf_rstd, a.res3 + (L - 1) * N * C,
			  p->lnfw, p->lnfb, Ni, C);
	head_forward(a.logits, a.scores, a.lnf, p->headw, p->headb, Ni, C);
	if (scores)
		memcpy(scores, a.scores, N * sizeof(float));
	if (logits)
		memcpy(logits, a.logits, N * sizeof(float));
	return 0;
}

int tsd_model_backward(struct tsd_model *m, float *dacts, size_t dacts_len,
		       const float *acts, const float *dscores,
		       const float *dlogits, int B, int T)
{
	const struct tsd_model_config *cfg;
	const struct tsd_model_params *p;
	struct tsd_model_params *g;
	size_t sizes[NACTS], need, N;
	int F, C, NH, L, H, R, Ni, err;
	struct acts a, d;

	if (!m || !m->param_mem || !dacts || !acts || (!dscores && !dlogits) ||
	    B < 1 || T < 1)
		return TSD_EINVAL;
	cfg = &m->cfg;
	p = &m->params;
	g = &m->grads;
	if (T > cfg->max_tokens)
		return TSD_ERANGE;
	if ((err = act_sizes(sizes, &need, cfg, B, T)))
		return err;
	if (dacts_len < need)
		return TSD_ESIZE;
	F = cfg->nfeat, C = cfg->width, NH = cfg->heads, L = cfg->layers;
	H = cfg->hidden, R = cfg->radius;
	N = (size_t)B * T;
	if (N > INT32_MAX)
		return TSD_ERANGE;
	Ni = (int)N;
	/* backward only reads the activations */
	point_acts(&a, (float *)(uintptr_t)acts, sizes);
	memset(dacts, 0, need * sizeof(float));
	point_acts(&d, dacts, sizes);

	head_backward(d.lnf, g->headw, g->headb, dscores, dlogits, a.scores,
		      a.lnf, p->headw, Ni, C);
	layernorm_backward(d.res3 + (L - 1) * N * C, g->lnfw, g->lnfb, d.lnf,
			   a.res3 + (L - 1) * N * C, p->lnfw, a.lnf_mean,
			   a.lnf_rstd, Ni, C);
	for (int l = L - 1; l >= 0; l--) {
		const float *res = l == 0 ? a.enc : a.res3 + (l - 1) * N * C;
		float *dres = l == 0 ? d.enc : d.res3 + (l - 1) * N * C;
		size_t oC = l * N * C, oH = l * N * H, oN = l * N;
		size_t oA = (size_t)l * sizes[8] / L;

		residual_backward(d.res2 + oC, d.fcproj + oC, d.res3 + oC, N * C);
		matmul_backward(d.fch_gelu + oH, g->fcprojw + (size_t)l * H * C,
				g->fcprojb + l * C, d.fcproj + oC, a.fch_gelu + oH,
				p->fcprojw + (size_t)l * H * C, Ni, H, C);
		gelu_backward(d.fch + oH, d.fch_gelu + oH, a.fch + oH, Ni, H);
		matmul_backward(d.ln2 + oC, g->fcw + (size_t)l * C * H, g->fcb + l * H,
				d.fch + oH, a.ln2 + oC, p->fcw + (size_t)l * C * H,
				Ni, C, H);
		layernorm_backward(d.res2 + oC, g->ln2w + l * C, g->ln2b + l * C,
				   d.ln2 + oC, a.res2 + oC, p->ln2w + l * C,
				   a.ln2_mean + oN, a.ln2_rstd + oN, Ni, C);
		residual_backward(dres, d.attproj + oC, d.res2 + oC, N * C);
		matmul_backward(d.atty + oC, g->attprojw + (size_t)l * C * C,
				g->attprojb + l * C, d.attproj + oC, a.atty + oC,
				p->attprojw + (size_t)l * C * C, Ni, C, C);
		attention_backward(d.qkv + 3 * oC, d.att + oA, d.atty + oC,
				   a.qkv + 3 * oC, a.att + oA, B, T, C, NH, R);
		matmul_backward(d.ln1 + oC, g->qkvw + (size_t)l * C * 3 * C,
				g->qkvb + l * 3 * C, d.qkv + 3 * oC, a.ln1 + oC,
				p->qkvw + (size_t)l * C * 3 * C, Ni, C, 3 * C);
		layernorm_backward(dres, g->ln1w + l * C, g->ln1b + l * C,
				   d.ln1 + oC, res, p->ln1w + l * C,
				   a.ln1_mean + oN, a.ln1_rstd + oN, Ni, C);
	}
	matmul_backward(NULL, g->wemb, g->bemb, d.enc, a.xn, p->wemb, Ni, F, C);
	return 0;
}

int tsd_model_bce(float *loss, float *dlogits, const float *logits,
		  const float *targets, const float *weights, size_t n)
{
	double sum = 0.0, wsum = 0.0;

	if (!logits || !targets || !n)
		return TSD_EINVAL;
	for (size_t i = 0; i < n; i++) {
		double w = weights ? weights[i] : 1.0;
		if (!(targets[i] >= 0.0f && targets[i] <= 1.0f) ||
		    !isfinite(w) || w < 0.0 || !isfinite(logits[i]))
			return TSD_EINVAL;
		wsum += w;
	}
	if (!(wsum > 0.0))
		return TSD_EINVAL;
	for (size_t i = 0; i < n; i++) {
		double w = weights ? weights[i] : 1.0;
		double z = logits[i], y = targets[i];
		/* -(y log s + (1-y) log(1-s)) = softplus(z) - y z */
		double sp = (z > 0.0 ? z : 0.0) + log1p(exp(-fabs(z)));
		sum += w * (sp - y * z);
		if (dlogits) {
			double s = z >= 0.0 ? 1.0 / (1.0 + exp(-z))
					    : exp(z) / (1.0 + exp(z));
			dlogits[i] = (float)(w * (s - y) / wsum);
		}
	}
	if (loss)
		*loss = (float)(sum / wsum);
	return 0;
}

/* ------------------------------------------------------------------ */
/* model files: see doc/model-format.md */

#define HINT "retrain with tstrain or pass the right file"

/* header byte offsets */
enum {
	H_MAGIC = 0, H_VERSION = 4, H_HSIZE = 8, H_NFEAT = 12, H_WIDTH = 16,
	H_HEADS = 20, H_LAYERS = 24, H_HIDDEN = 28, H_MAXT = 32,
	H_RADIUS = 36, H_NNORM = 40, H_FLAGS = 44, H_NPARAMS = 48,
	H_CRC = 56,
};

/* Write n floats little-endian; crc covers the bytes written. */
static int write_floats(FILE *f, const float *p, size_t n, uint32_t *crc)
{
	unsigned char buf[4096];

	while (n) {
		size_t k = n < sizeof buf / 4 ? n : sizeof buf / 4;
		for (size_t i = 0; i < k; i++) {
			uint32_t u;
			memcpy(&u, &p[i], 4);
			tsd_put_u32(buf + 4 * i, u);
		}
		if (crc)
			*crc = tsd_crc32(*crc, buf, 4 * k);
		else if (fwrite(buf, 4, k, f) != k)
			return TSD_EIO;
		p += k;
		n -= k;
	}
	return 0;
}

int tsd_model_save_file(FILE *f, const struct tsd_model *m, const char *name,
			char *errbuf, size_t errlen)
{
	unsigned char h[TSD_MODEL_HEADER_SIZE];
	const struct tsd_model_config *cfg;
	size_t nnorm;
	uint32_t crc = 0;

	if (!name)
		name = "model";
	if (!f || !m || !m->param_mem) {
		tsd_seterr(errbuf, errlen, "%s: no model to save", name);
		return TSD_EINVAL;
	}
	cfg = &m->cfg;
	nnorm = 2 * (size_t)cfg->nfeat;
	write_floats(NULL, m->norm, nnorm, &crc);
	write_floats(NULL, m->param_mem, m->nparams, &crc);
	memset(h, 0, sizeof h);
	memcpy(h + H_MAGIC, TSD_MODEL_MAGIC, 4);
	tsd_put_u32(h + H_VERSION, TSD_MODEL_VERSION);
	tsd_put_u32(h + H_HSIZE, TSD_MODEL_HEADER_SIZE);
	tsd_put_u32(h + H_NFEAT, (uint32_t)cfg->nfeat);
	tsd_put_u32(h + H_WIDTH, (uint32_t)cfg->width);
	tsd_put_u32(h + H_HEADS, (uint32_t)cfg->heads);
	tsd_put_u32(h + H_LAYERS, (uint32_t)cfg->layers);
	tsd_put_u32(h + H_HIDDEN, (uint32_t)cfg->hidden);
	tsd_put_u32(h + H_MAXT, (uint32_t)cfg->max_tokens);
	tsd_put_u32(h + H_RADIUS, (uint32_t)cfg->radius);
	tsd_put_u32(h + H_NNORM, (uint32_t)nnorm);
	tsd_put_u32(h + H_FLAGS, 0);
	tsd_put_u64(h + H_NPARAMS, (uint64_t)m->nparams);
	tsd_put_u32(h + H_CRC, crc);
	if (fwrite(h, 1, sizeof h, f) != sizeof h ||
	    write_floats(f, m->norm, nnorm, NULL) ||
	    write_floats(f, m->param_mem, m->nparams, NULL) || fflush(f)) {
		tsd_seterr(errbuf, errlen, "%s: write error: %s", name, strerror(errno));
		return TSD_EIO;
	}
	return 0;
}

int tsd_model_save(const char *path, const struct tsd_model *m,
		   char *errbuf, size_t errlen)
{
	FILE *f;
	int err;

	if (!path) {
		tsd_seterr(errbuf, errlen, "no model file name");
		return TSD_EINVAL;
	}
	if (!(f = fopen(path, "wb"))) {
		tsd_seterr(errbuf, errlen, "%s: cannot create: %s", path, strerror(errno));
		return TSD_EIO;
	}
	err = tsd_model_save_file(f, m, path, errbuf, errlen);
	if (fclose(f) && !err) {
		tsd_seterr(errbuf, errlen, "%s: write error: %s", path, strerror(errno));
		err = TSD_EIO;
	}
	return err;
}

/* Read up to n bytes; the count read, short only at end of file or on an
 * error (then *ioerr is set). */
static size_t read_full(FILE *f, void *buf, size_t n, int *ioerr)
{
	size_t got = fread(buf, 1, n, f);

	if (got < n && ferror(f))
		*ioerr = errno ? errno : EIO;
	return got;
}

int tsd_model_load_file(struct tsd_model *m, FILE *f, const char *name,
			char *errbuf, size_t errlen)
{
	unsigned char h[TSD_MODEL_HEADER_SIZE];
	struct tsd_model_config cfg;
	uint64_t nparams, want;
	uint32_t version, hsize, nnorm, crc;
	size_t got, nbytes, nfloat;
	unsigned char *bytes;
	char why[128];
	int ioerr = 0, err;

	if (!name)
		name = "model";
	if (!m || !f) {
		tsd_seterr(errbuf, errlen, "%s: no model or file", name);
		return TSD_EINVAL;
	}
	memset(m, 0, sizeof *m);
	got = read_full(f, h, sizeof h, &ioerr);
	if (ioerr) {
		tsd_seterr(errbuf, errlen, "%s: read error: %s", name, strerror(ioerr));
		return TSD_EIO;
	}
	if (got >= 4 && memcmp(h + H_MAGIC, TSD_MODEL_MAGIC, 4)) {
		tsd_seterr(errbuf, errlen, "%s: not a tsdown model (magic is not "
		       "\"TSDM\"); pass a file written by tstrain", name);
		return TSD_EFORMAT;
	}
	if (got < sizeof h) {
		tsd_seterr(errbuf, errlen, "%s: truncated: %zu of %u header bytes; "
		       HINT, name, got, TSD_MODEL_HEADER_SIZE);
		return TSD_ETRUNC;
	}
	version = tsd_get_u32(h + H_VERSION);
	if (version != TSD_MODEL_VERSION) {
		tsd_seterr(errbuf, errlen, "%s: model format version %u, this build "
		       "reads version %u; retrain with this tstrain or use the "
		       "tsdown that wrote it", name, version, TSD_MODEL_VERSION);
		return TSD_EVERSION;
	}
	hsize = tsd_get_u32(h + H_HSIZE);
	if (hsize != TSD_MODEL_HEADER_SIZE || tsd_get_u32(h + H_FLAGS)) {
		tsd_seterr(errbuf, errlen, "%s: corrupt header (size %u, flags %u); "
		       HINT, name, hsize, tsd_get_u32(h + H_FLAGS));
		return TSD_EFORMAT;
	}
	memset(&cfg, 0, sizeof cfg);
	{
		static const int off[] = { H_NFEAT, H_WIDTH, H_HEADS, H_LAYERS,
					   H_HIDDEN, H_MAXT, H_RADIUS };
		int *dst[] = { &cfg.nfeat, &cfg.width, &cfg.heads, &cfg.layers,
			       &cfg.hidden, &cfg.max_tokens, &cfg.radius };
		for (size_t i = 0; i < sizeof off / sizeof off[0]; i++) {
			uint32_t v = tsd_get_u32(h + off[i]);
			*dst[i] = v > INT32_MAX ? -1 : (int)v;
		}
	}
	if (tsd_model_config_check(&cfg, why, sizeof why)) {
		tsd_seterr(errbuf, errlen, "%s: bad dimensions: %s; " HINT, name, why);
		return TSD_EFORMAT;
	}
	nnorm = tsd_get_u32(h + H_NNORM);
	nparams = tsd_get_u64(h + H_NPARAMS);
	want = tsd_model_nparams(&cfg);
	if (nnorm != 2 * (uint32_t)cfg.nfeat || nparams != want) {
		tsd_seterr(errbuf, errlen, "%s: header says %llu parameters and %u "
		       "normalisation floats, but F=%d C=%d NH=%d L=%d H=%d "
		       "give %llu and %d; the file is corrupt, " HINT, name,
		       (unsigned long long)nparams, nnorm, cfg.nfeat, cfg.width,
		       cfg.heads, cfg.layers, cfg.hidden,
		       (unsigned long long)want, 2 * cfg.nfeat);
		return TSD_ESIZE;
	}
	if ((err = model_alloc(m, &cfg))) {
		tsd_seterr(errbuf, errlen, "%s: %s", name, tsd_strerror(err));
		return err;
	}

	/* payload: norm (2F) then the weights, read into a byte buffer,
	 * checked, then decoded */
	nfloat = nnorm + m->nparams;
	nbytes = 4 * nfloat;
	if (!(bytes = malloc(nbytes))) {
		err = TSD_ENOMEM;
		tsd_seterr(errbuf, errlen, "%s: %s", name, tsd_strerror(err));
		goto cleanup;
	}
	got = read_full(f, bytes, nbytes, &ioerr);
	if (ioerr) {
		err = TSD_EIO;
		tsd_seterr(errbuf, errlen, "%s: read error: %s", name, strerror(ioerr));
		goto cleanup;
	}
	if (got < nbytes) {
		err = TSD_ETRUNC;
		tsd_seterr(errbuf, errlen, "%s: truncated: %zu of %zu weight bytes; "
		       HINT, name, got, nbytes);
		goto cleanup;
	}
	if (fgetc(f) != EOF) {
		err = TSD_EFORMAT;
		tsd_seterr(errbuf, errlen, "%s: trailing bytes after %zu weight "
		       "bytes; " HINT, name, nbytes);
		goto cleanup;
	}
	crc = tsd_crc32(0, bytes, nbytes);
	if (crc != tsd_get_u32(h + H_CRC)) {
		err = TSD_EFORMAT;
		tsd_seterr(errbuf, errlen, "%s: checksum mismatch (file %08x, "
		       "weights %08x): the file is corrupt; " HINT, name,
		       tsd_get_u32(h + H_CRC), crc);
		goto cleanup;
	}
	for (size_t i = 0; i < nfloat; i++) {
		uint32_t u = tsd_get_u32(bytes + 4 * i);
		float v;
		memcpy(&v, &u, 4);
		if (!isfinite(v)) {
			err = TSD_EFORMAT;
			tsd_seterr(errbuf, errlen, "%s: weight %zu is not finite; "
			       "the model diverged in training, " HINT, name, i);
			goto cleanup;
		}
		if (i < nnorm)
			m->norm[i] = v;
		else
			m->param_mem[i - nnorm] = v;
	}
	err = 0;
cleanup:
	free(bytes);
	if (err)
		tsd_model_free(m);
	return err;
}

int tsd_model_load(struct tsd_model *m, const char *path,
		   char *errbuf, size_t errlen)
{
	FILE *f;
	int err;

	if (m)
		memset(m, 0, sizeof *m);
	if (!path || !m) {
		tsd_seterr(errbuf, errlen, "no model file name");
		return TSD_EINVAL;
	}
	if (!(f = fopen(path, "rb"))) {
		tsd_seterr(errbuf, errlen, "%s: cannot open: %s; train one with "
		       "tstrain or pass the right path", path, strerror(errno));
		return TSD_EIO;
	}
	err = tsd_model_load_file(m, f, path, errbuf, errlen);
	fclose(f);
	return err;
}
