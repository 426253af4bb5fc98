/* train.h: training the importance scorer (lib/model.h): oracle labels
 * from the wavelet tree, the data set of windows, the training loop and
 * checkpoints. Library code: progress goes to a callback, nothing prints.
 *
 * The objective. merge writes ceil(n/2^J) + k points for a window whose
 * selector kept k details, so at a fixed output size the question is
 * which k details to keep. Dropping detail i changes the reconstruction
 * by c_i psi_i(t), psi_i the synthesis function of its slot (the window's
 * reconstruction from a unit coefficient there, boundary mode included).
 * Its importance is the error its loss adds, weighted towards events:
 *
 *   imp_i = c_i^2 sum_t wt(t) psi_i(t)^2,   wt(t) = 1 + lambda [t in event]
 *
 * With wt = 1 and an orthogonal transform this is c_i^2: magnitude
 * selection is then the exact oracle for the L2 error of the
 * reconstruction; events (NAB anomaly windows, tsgen's labelled spikes
 * and shifts) raise the price of losing the details that draw them. The
 * oracle keeps the top k by imp_i. One model serves many output sizes,
 * so the target of detail i is the share of the budgets
 * k_r (r in the ratios, default 4, 8, 16, 32) at which the oracle keeps
 * it: a graded label in [0, 1] whose order is the oracle's ranking. The
 * loss is binary cross-entropy against these targets, averaged over the
 * tokens of a window and the windows of a batch.
 *
 * Shape letters as in model.h; T tokens of a window, F = TSD_FEAT_COUNT.
 */
#ifndef TSD_TRAIN_H
#define TSD_TRAIN_H

#include <stddef.h>
#include <stdint.h>

#include "adamw.h"
#include "coefwin.h"
#include "dwt.h"
#include "feature.h"
#include "model.h"
#include "wavelet.h"

#define TSD_TRAIN_MAXK 8 /* most budgets (ratios) per window */

/* Squared synthesis functions of the detail slots of one window shape
 * (n, J, wavelet, mode), computed once and reused while the shape stays. */
struct tsd_train_basis {
	size_t n, m, na, cap;
	unsigned J;
	const tsd_wavelet *w;
	enum tsd_mode mode;
	double *psi;     /* (m - na, n) psi_i(t) */
	size_t lens[TSD_COEFWIN_MAXJ + 1];
	double *work;    /* scratch for the reconstructions */
	size_t wcap;
};

void tsd_train_basis_init(struct tsd_train_basis *bs);
void tsd_train_basis_free(struct tsd_train_basis *bs);

/* imp (m - lens[0]) importance of each detail, layout order, for the
 * window's coefficients c (m) of n samples; wt (n) sample weights, NULL
 * for all 1. TSD_EINVAL on a bad argument or a negative or non-finite
 * weight, TSD_ENOMEM. */
int tsd_train_importance(double *imp, struct tsd_train_basis *bs,
			 const double *c, const double *wt, size_t n,
			 unsigned J, const tsd_wavelet *w, enum tsd_mode mode);
/* The same plus peak * c_i^2 max_t wt(t) psi_i(t)^2: the largest
 * pointwise error the loss of detail i causes (which favours details
 * concentrated in time: spikes). peak 0 is tsd_train_importance(). */
int tsd_train_importance_peak(double *imp, struct tsd_train_basis *bs,
			      const double *c, const double *wt, size_t n,
			      unsigned J, const tsd_wavelet *w,
			      enum tsd_mode mode, double peak);

/* The greedy oracle over what merge writes: starting from the
 * approximation alone, add one detail at a time, the one (among the pool
 * of largest imp) whose addition leaves the smallest weighted squared
 * error (wt, NULL = 1) between the reduced series (tsd_reduce's points,
 * read by linear interpolation) and the window's samples; kmax steps.
 * rank (m - lens[0]): each detail's step, then the rest by imp. */
int tsd_train_greedy(size_t *rank, struct tsd_train_basis *bs,
		     const double *c, const double *wt, const double *imp,
		     size_t n, unsigned J, const tsd_wavelet *w,
		     enum tsd_mode mode, size_t kmax, size_t pool);

/* y (T) targets: the share of the nk budgets ks[] at which the top-ks[r]
 * of imp (T) hold token t (ties: the lower index first). tmp: T size_t of
 * scratch. */
int tsd_train_targets(float *y, size_t *tmp, const double *imp, size_t T,
		      const size_t *ks, int nk);

/* One window of the data set, in token order (lib/feature.h). */
struct tsd_train_win {
	uint32_t T;
	int nk;
	size_t ks[TSD_TRAIN_MAXK];  /* budgets, in the order of the ratios */
	float *x;                   /* (T, F) features */
	float *y;                   /* (T) targets */
	float *imp;                 /* (T) importance, for the figures */
	float *mag;                 /* (T) |c|, for the magnitude baseline */
};

struct tsd_train_data {
	struct tsd_train_win *w;    /* (n) */
	size_t n, cap;
	size_t tokens;              /* sum of T */
	double ratios[TSD_TRAIN_MAXK];
	int nk;                     /* ratios in use */
	double peak;                /* peak term of the importance, default 0 */
	double greedy;              /* share of the targets from
	                             * tsd_train_greedy(), the rest from the
	                             * top k of the importance; default 0 */
	size_t pool;                /* its candidate pool, default 64 */
	double cand;                /* K > 0: train on the scorer's
	                             * candidates (lib/scorer.h) instead of
	                             * whole windows: each window gives one
	                             * sequence per ratio, its K x budget
	                             * details of largest magnitude, with the
	                             * targets of that ratio among them
	                             * (every budget ks[] of the sequence is
	                             * that ratio's); 0 (default): off */
	/* private scratch */
	struct tsd_feature_ws fws;
	struct tsd_train_basis bs;
	double *imp;
	float *xs;
	uint32_t *tok;
	size_t *tmp;
	size_t *rank;
	double *tokimp;
	size_t scap;
};

/* ratios (nk of them, each >= 1): the output sizes n/ratio the targets
 * are built for (default when nk == 0: 4, 8, 16, 32). */
int tsd_train_data_init(struct tsd_train_data *d, const double *ratios, int nk);
void tsd_train_data_free(struct tsd_train_data *d);
/* Add one window: its coefficients c in the layout for n samples, J
 * levels, w and mode, and the sample weights wt (n, NULL = 1). Returns 0,
 * TSD_EINVAL (NaN or infinity in c, bad weights), TSD_ENOMEM. A window
 * without details is skipped. */
int tsd_train_data_add(struct tsd_train_data *d, const double *c,
		       const double *wt, size_t n, unsigned J,
		       const tsd_wavelet *w, enum tsd_mode mode);

/* Set m->norm to the mean and 1/sd of each feature over d's tokens (sd
 * floored at 1e-6). */
int tsd_train_set_norm(struct tsd_model *m, const struct tsd_train_data *d);

struct tsd_train_opts {
	int epochs;          /* default 30 */
	int batch;           /* windows per step, default 8 */
	double lr;           /* peak learning rate, default 3e-3 */
	double lr_min;       /* final learning rate as a share of lr, 0.05 */
	int warmup;          /* steps of linear warm-up, default 50 */
	double weight_decay; /* AdamW's, default 0.01 */
	double clip;         /* gradient norm clip, default 1; 0 = none */
	uint64_t seed;       /* shuffling, default 1 */
};

void tsd_train_opts_default(struct tsd_train_opts *o);

/* Figures of a model on a data set: loss, the mean BCE per token; and
 * for the budget ks[kidx] of each window, the share of the oracle's
 * importance that the model's top k (cap) and the k largest magnitudes
 * (cap_mag) hold: sum imp over the chosen / sum imp over the oracle's. */
struct tsd_train_eval {
	double loss, cap, cap_mag;
};

struct tsd_train_progress {
	int epoch, epochs;       /* epoch just finished, from 1 */
	long step, steps;        /* optimizer steps so far, in all */
	double loss;             /* mean training loss of the epoch */
	struct tsd_train_eval val; /* on the validation set (0 when none) */
	int have_val;
};

/* Nonzero from the callback stops training after that epoch; its value
 * is returned. */
typedef int (*tsd_train_cb)(const struct tsd_train_progress *p, void *arg);

/* Scratch for forward and backward passes of windows up to maxT tokens. */
struct tsd_train_ws {
	size_t alen;
	float *acts, *dacts, *logits, *dlogits, *scores;
	size_t *idx;
	int maxT;
};

int tsd_train_ws_init(struct tsd_train_ws *ws, const struct tsd_model_config *cfg, int maxT);
void tsd_train_ws_free(struct tsd_train_ws *ws);

int tsd_train_evaluate(struct tsd_train_eval *ev, struct tsd_train_ws *ws,
		       const struct tsd_model *m,
		       const struct tsd_train_data *d, int kidx);

/* The gradient of one batch: m's gradient (zeroed first) becomes the mean
 * over the nw windows d->w[ids[i]] of each window's mean binary
 * cross-entropy gradient, so it does not grow with the batch size.
 * loss_sum += each window's mean loss x its tokens; tokens += its tokens. */
int tsd_train_batch_grad(double *loss_sum, size_t *tokens, struct tsd_train_ws *ws,
			 struct tsd_model *m, const struct tsd_train_data *d,
			 const size_t *ids, size_t nw);

/* Train from epoch start (0 for a fresh run; a checkpoint's epoch to
 * resume) to o->epochs. opt's moments and step count continue; its
 * hyperparameters are set from o each step (cosine schedule after a
 * linear warm-up). The shuffle of epoch e depends on (seed, e) only, so
 * a resumed run repeats an uninterrupted one exactly. val may be NULL.
 * Returns 0, the callback's nonzero value, or a negative code. */
int tsd_train_run(struct tsd_model *m, struct tsd_adamw *opt, int start,
		  const struct tsd_train_data *tr,
		  const struct tsd_train_data *val, int kidx,
		  const struct tsd_train_opts *o, tsd_train_cb cb, void *arg);

/* Checkpoints: the model, the optimizer's moments and step count, the
 * epoch reached and the training options (format in man/tstrain.1).
 * Errors as tsd_model_load(), with messages naming the file. */
#define TSD_CKPT_MAGIC "TSDC"
#define TSD_CKPT_VERSION 1u
#define TSD_CKPT_HEADER_SIZE 128u

int tsd_train_ckpt_save(const char *path, const struct tsd_model *m,
			const struct tsd_adamw *opt, int epoch,
			const struct tsd_train_opts *o,
			char *errbuf, size_t errlen);
int tsd_train_ckpt_load(struct tsd_model *m, struct tsd_adamw *opt,
			int *epoch, struct tsd_train_opts *o,
			const char *path, char *errbuf, size_t errlen);

#endif
