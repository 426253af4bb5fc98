/* adamw.h: the AdamW optimizer (Loshchilov & Hutter, "Decoupled Weight
 * Decay Regularization") over flat float blocks.
 *
 * The moments m and v are flat blocks of n floats with the layout of the
 * parameters they follow (for the scorer: struct tsd_model_params order).
 * One step t (counted from 1) with gradient g, for each i:
 *
 *   p -= lr * wd * decay[i] * p                 (decoupled decay)
 *   m  = beta1 m + (1 - beta1) g
 *   v  = beta2 v + (1 - beta2) g^2
 *   p -= lr * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + eps)
 *
 * which is PyTorch's torch.optim.AdamW.
 */
#ifndef TSD_ADAMW_H
#define TSD_ADAMW_H

#include <stddef.h>

struct tsd_adamw {
	float lr;           /* learning rate, default 1e-3 */
	float beta1;        /* default 0.9 */
	float beta2;        /* default 0.999 */
	float eps;          /* default 1e-8 */
	float weight_decay; /* default 0.01 */
	long t;             /* steps taken */
	size_t n;           /* floats in each block */
	float *m;           /* (n) first moment */
	float *v;           /* (n) second moment */
};

/* Allocate zero moments for n parameters and set the defaults. */
int tsd_adamw_init(struct tsd_adamw *opt, size_t n);
void tsd_adamw_free(struct tsd_adamw *opt);

/* One step over params (n) with grads (n). decay (n) scales the weight
 * decay per parameter (tsd_model_decay_mask(): 1 for matrices, 0 for
 * biases and norms); NULL decays every parameter. TSD_ESIZE if n is not
 * the n of init, TSD_EINVAL on a bad hyperparameter. */
int tsd_adamw_step(float *params, struct tsd_adamw *opt, const float *grads,
		   const float *decay, size_t n);

/* Scale grads (n) so that their L2 norm is at most maxnorm (maxnorm <= 0:
 * leave them); returns the norm before scaling. */
double tsd_adamw_clip(float *grads, size_t n, double maxnorm);

#endif
