/* adamw.c: the AdamW optimizer over flat parameter blocks. */
#include "adamw.h"
#include "tsd.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int tsd_adamw_init(struct tsd_adamw *opt, size_t n)
{
	if (!opt || !n)
		return TSD_EINVAL;
	memset(opt, 0, sizeof *opt);
	opt->lr = 1e-3f;
	opt->beta1 = 0.9f;
	opt->beta2 = 0.999f;
	opt->eps = 1e-8f;
	opt->weight_decay = 0.01f;
	opt->m = calloc(n, sizeof(float));
	opt->v = calloc(n, sizeof(float));
	if (!opt->m || !opt->v) {
		tsd_adamw_free(opt);
		return TSD_ENOMEM;
	}
	opt->n = n;
	return 0;
}

void tsd_adamw_free(struct tsd_adamw *opt)
{
	if (!opt)
		return;
	free(opt->m);
	free(opt->v);
	opt->m = opt->v = NULL;
	opt->n = 0;
}

int tsd_adamw_step(float *params, struct tsd_adamw *opt, const float *grads,
		   const float *decay, size_t n)
{
	float b1, b2, lr, wd, eps, c1, c2;

	if (!params || !opt || !grads || !opt->m || !opt->v)
		return TSD_EINVAL;
	if (n != opt->n)
		return TSD_ESIZE;
	b1 = opt->beta1, b2 = opt->beta2, lr = opt->lr;
	wd = opt->weight_decay, eps = opt->eps;
	if (!(b1 >= 0.0f && b1 < 1.0f) || !(b2 >= 0.0f && b2 < 1.0f) ||
	    !(lr >= 0.0f) || !(wd >= 0.0f) || !(eps > 0.0f) ||
	    !isfinite(lr) || !isfinite(wd))
		return TSD_EINVAL;
	opt->t++;
	/* bias corrections 1 - beta^t, in double for large t */
	c1 = (float)(1.0 - pow(b1, (double)opt->t));
	c2 = (float)(1.0 - pow(b2, (double)opt->t));
	for (size_t i = 0; i < n; i++) {
		float g = grads[i];
		float m = b1 * opt->m[i] + (1.0f - b1) * g;
		float v = b2 * opt->v[i] + (1.0f - b2) * g * g;
		float p = params[i];

		opt->m[i] = m;
		opt->v[i] = v;
		p -= lr * wd * (decay ? decay[i] : 1.0f) * p;
		p -= lr * (m / c1) / (sqrtf(v / c2) + eps);
		params[i] = p;
	}
	return 0;
}

double tsd_adamw_clip(float *grads, size_t n, double maxnorm)
{
	double s = 0.0, norm;

	for (size_t i = 0; i < n; i++)
		s += (double)grads[i] * grads[i];
	norm = sqrt(s);
	if (maxnorm > 0.0 && norm > maxnorm) {
		float k = (float)(maxnorm / norm);
		for (size_t i = 0; i < n; i++)
			grads[i] *= k;
	}
	return norm;
}
