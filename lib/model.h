/* model.h: the transformer that scores wavelet detail coefficients.
 *
 * A window of a series gives T tokens, one per detail coefficient; the
 * caller turns each token into F features (scaled value, level, relative
 * position, neighbouring approximation values, ...). The model maps the
 * (T, F) features to one relevance score in [0,1] per token:
 *
 *   x -> (x - shift) * scale -> linear F->C
 *     -> L x [ layernorm -> self-attention -> +residual
 *              -> layernorm -> linear C->H -> GELU -> linear H->C -> +residual ]
 *     -> layernorm -> linear C->1 -> sigmoid
 *
 * Attention is bidirectional. With radius R > 0 a token attends to the
 * tokens [t-R, t+R] of its window only (cost O(T R)); with R == 0 it
 * attends to the whole window (cost O(T^2)).
 *
 * Shape letters, used in every shape comment of model.c and here:
 *   B windows in a batch, T tokens per window, F input features,
 *   C model width, NH attention heads, hs = C/NH head size,
 *   H FFN hidden width, L blocks, W attention slots per token
 *   (W = T when R == 0, else min(T, 2R+1)).
 *
 * Parameters, their gradients and the optimizer moments live in flat float
 * blocks of nparams floats, all with the same layout: the tensors of
 * struct tsd_model_params, in order. A matrix mapping IN inputs to OUT
 * outputs is stored (IN, OUT), row-major.
 *
 * Training: tsd_model_forward() with an activation block of
 * tsd_model_acts_len() floats, a loss (tsd_model_bce() or the caller's
 * own), then tsd_model_backward(), which adds into grad_mem; the caller
 * zeroes grad_mem between steps (tsd_model_zero_grad()) and updates the
 * parameters with lib/adamw.h. Inference is forward alone; it allocates
 * nothing.
 *
 * The model file format is described in doc/model-format.md.
 */
#ifndef TSD_MODEL_H
#define TSD_MODEL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define TSD_MODEL_MAGIC "TSDM"
#define TSD_MODEL_VERSION 1u
#define TSD_MODEL_HEADER_SIZE 256u
#define TSD_MODEL_NTENSORS 18

struct tsd_model_config {
	int nfeat;      /* F: input features per token */
	int width;      /* C: model width */
	int heads;      /* NH: attention heads, divides width */
	int layers;     /* L: transformer blocks */
	int hidden;     /* H: FFN hidden width */
	int max_tokens; /* largest T accepted */
	int radius;     /* R: attention band half-width; 0 = whole window */
};

/* Limits checked by tsd_model_config_check(). */
#define TSD_MODEL_MAX_FEAT 4096
#define TSD_MODEL_MAX_WIDTH 4096
#define TSD_MODEL_MAX_HIDDEN 16384
#define TSD_MODEL_MAX_LAYERS 64
#define TSD_MODEL_MAX_TOKENS (1 << 20)

struct tsd_model_params {
	float *wemb;     /* (F, C) token embedding */
	float *bemb;     /* (C) */
	float *ln1w;     /* (L, C) */
	float *ln1b;     /* (L, C) */
	float *qkvw;     /* (L, C, 3C) query, key, value */
	float *qkvb;     /* (L, 3C) */
	float *attprojw; /* (L, C, C) */
	float *attprojb; /* (L, C) */
	float *ln2w;     /* (L, C) */
	float *ln2b;     /* (L, C) */
	float *fcw;      /* (L, C, H) */
	float *fcb;      /* (L, H) */
	float *fcprojw;  /* (L, H, C) */
	float *fcprojb;  /* (L, C) */
	float *lnfw;     /* (C) */
	float *lnfb;     /* (C) */
	float *headw;    /* (C) */
	float *headb;    /* (1) */
};

struct tsd_model {
	struct tsd_model_config cfg;
	size_t sizes[TSD_MODEL_NTENSORS]; /* floats per tensor, in order */
	size_t nparams;                   /* sum of sizes */
	float *param_mem;                 /* (nparams) */
	float *grad_mem;                  /* (nparams), same layout */
	struct tsd_model_params params;   /* pointers into param_mem */
	struct tsd_model_params grads;    /* pointers into grad_mem */
	/* (2, F): the input normalisation x' = (x - norm[f]) * norm[F + f],
	 * set by the trainer from its data, 0 and 1 after init. Stored in the
	 * model file, not trained. */
	float *norm;
};

/* Which kernels the forward and backward passes run on this machine
 * (hot loops are built twice on x86-64 with GCC: AVX2/FMA and baseline,
 * picked when the program loads). A static string. */
const char *tsd_model_kernels(void);

/* Defaults: C=32, NH=4, L=2, H=64, max_tokens=512, R=16. */
void tsd_model_config_default(struct tsd_model_config *cfg, int nfeat);
/* 0, or TSD_EINVAL/TSD_ERANGE with a reason in errbuf (may be NULL). */
int tsd_model_config_check(const struct tsd_model_config *cfg,
			   char *errbuf, size_t errlen);
/* Parameters the config gives, 0 if it is invalid. */
size_t tsd_model_nparams(const struct tsd_model_config *cfg);

/* Allocate and initialise from seed (own PRNG: same seed, same weights on
 * every platform). Gradients are zero. */
int tsd_model_init(struct tsd_model *m, const struct tsd_model_config *cfg,
		   uint64_t seed);
void tsd_model_free(struct tsd_model *m);
void tsd_model_zero_grad(struct tsd_model *m);
/* mask (nparams): 1 for matrices (weight decay applies), 0 for biases,
 * layernorm gains and shifts. */
void tsd_model_decay_mask(float *mask, const struct tsd_model *m);

/* Floats of the activation block for a forward pass of B windows of T
 * tokens (the backward pass needs a second block of the same length);
 * 0 if the sizes are invalid or overflow. */
size_t tsd_model_acts_len(const struct tsd_model_config *cfg, int B, int T);

/* scores (B, T) in [0,1] and logits (B, T) before the sigmoid; either may
 * be NULL. acts (acts_len floats) receives the activations that
 * tsd_model_backward() needs. x is (B, T, F). Returns TSD_EINVAL if x
 * holds a NaN or an infinity (nothing is scored), TSD_ESIZE if acts_len
 * is too small, TSD_ERANGE if T > max_tokens. */
int tsd_model_forward(float *scores, float *logits, float *acts,
		      size_t acts_len, const struct tsd_model *m,
		      const float *x, int B, int T);

/* Add the gradient of a loss to m->grad_mem, given its gradient with
 * respect to the scores (dscores, (B, T)) or to the logits (dlogits,
 * (B, T)); pass one, NULL for the other (both: their sum). acts is the
 * block of the last forward pass with the same B, T; dacts is scratch of
 * the same length. */
int tsd_model_backward(struct tsd_model *m, float *dacts, size_t dacts_len,
		       const float *acts, const float *dscores,
		       const float *dlogits, int B, int T);

/* Weighted binary cross-entropy between sigmoid(logits) and targets in
 * [0,1], averaged with weights (n, NULL = all 1):
 *   loss = sum_i w_i (softplus(z_i) - y_i z_i) / sum_i w_i
 * dlogits (n, may be NULL) receives dloss/dlogits (overwritten, not
 * added). TSD_EINVAL on a target outside [0,1], a negative or non-finite
 * weight, or weights summing to 0. */
int tsd_model_bce(float *loss, float *dlogits, const float *logits,
		  const float *targets, const float *weights, size_t n);

/* Model files. errbuf (may be NULL) gets a one-line message naming the
 * file and saying how to fix the problem. Load returns TSD_EIO (cannot
 * open or read), TSD_ETRUNC, TSD_EFORMAT (bad magic, bad dimensions, bad
 * checksum, trailing bytes, non-finite weight), TSD_EVERSION, TSD_ESIZE
 * (parameter count does not match the dimensions) or TSD_ENOMEM; on
 * error m is left empty (safe to free). name labels messages. */
int tsd_model_save(const char *path, const struct tsd_model *m,
		   char *errbuf, size_t errlen);
int tsd_model_save_file(FILE *f, const struct tsd_model *m, const char *name,
			char *errbuf, size_t errlen);
int tsd_model_load(struct tsd_model *m, const char *path,
		   char *errbuf, size_t errlen);
int tsd_model_load_file(struct tsd_model *m, FILE *f, const char *name,
			char *errbuf, size_t errlen);

#endif
