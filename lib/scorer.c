/* scorer.c: one window's detail coefficients scored by the model. */
#include "scorer.h"
#include "reduce.h"
#include "select.h"
#include "tsd.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void tsd_scorer_init(struct tsd_scorer *s, const struct tsd_model *m)
{
	memset(s, 0, sizeof *s);
	s->m = m;
	tsd_feature_ws_init(&s->fws);
}

void tsd_scorer_free(struct tsd_scorer *s)
{
	tsd_feature_ws_free(&s->fws);
	free(s->x);
	free(s->tok);
	free(s->ts);
	free(s->acts);
	memset(s, 0, sizeof *s);
}

/* Room for T tokens and their activations. */
static int reserve(struct tsd_scorer *s, size_t T, size_t alen)
{
	if (T > s->tcap) {
		float *x = realloc(s->x, T * TSD_FEAT_COUNT * sizeof *x);
		if (x)
			s->x = x;
		uint32_t *tok = realloc(s->tok, T * sizeof *tok);
		if (tok)
			s->tok = tok;
		float *ts = realloc(s->ts, T * sizeof *ts);
		if (ts)
			s->ts = ts;
		if (!x || !tok || !ts)
			return TSD_ENOMEM;
		s->tcap = T;
	}
	if (alen > s->acap) {
		float *a = realloc(s->acts, alen * sizeof *a);
		if (!a)
			return TSD_ENOMEM;
		s->acts = a;
		s->acap = alen;
	}
	return 0;
}

/* With candidates: the K * b details of largest magnitude, b the
 * budget of a window of n samples less its approximation; T when that
 * covers every token. */
size_t tsd_scorer_candidates(double ratio, double cand, unsigned J, size_t n, size_t T)
{
	/* b: what thresh --ratio keeps of the window's details (its points
	 * less merge's coarse grid), so that K = 1 leaves no choice and
	 * K > 1 always some */
	double b = (double)tsd_select_budget(tsd_select_ratio_points(n, ratio), tsd_reduce_coarse(n, J), T), want;

	if (b < 1)
		b = 1;
	want = ceil(cand * b);
	return want >= (double)T ? T : (size_t)want;
}

int tsd_scorer_window(float *sc, struct tsd_scorer *s, const double *c, size_t m,
		      const size_t *lens, unsigned J, size_t n,
		      const tsd_wavelet *w, enum tsd_mode mode)
{
	size_t T = tsd_feature_tokens(lens, J), alen;
	int rc;

	if (!sc || !s || !s->m || !c || !lens)
		return TSD_EINVAL;
	for (size_t i = 0; i < m; i++)
		sc[i] = 1.0f;
	if (!T)
		return 0;
	if (T > (size_t)s->m->cfg.max_tokens)
		return TSD_ERANGE;
	alen = tsd_model_acts_len(&s->m->cfg, 1, (int)T);
	if (!alen)
		return TSD_ERANGE;
	if ((rc = reserve(s, T, alen)) < 0)
		return rc;
	size_t keep = T, lo = lens[0];
	double cut = 0;
	int cand = s->ratio > 0 && s->cand > 0;
	if (cand)
		keep = tsd_scorer_candidates(s->ratio, s->cand, J, n, T);
	if (lo + T > m)
		return TSD_ESIZE;
	rc = tsd_feature_top(s->x, s->tok, &cut, &s->fws, c, lens, J, n, w, mode, keep);
	if (rc < 0)
		return rc;
	if (keep < T) {
		/* the others rank below every candidate, by magnitude */
		for (size_t i = lo; i < lo + T; i++)
			sc[i] = cut > 0 ? (float)(0.49 * fabs(c[i]) / cut) : 0.0f;
		T = (size_t)rc;
		alen = tsd_model_acts_len(&s->m->cfg, 1, (int)T);
	}
	if ((rc = tsd_model_forward(s->ts, NULL, s->acts, alen, s->m, s->x, 1, (int)T)) < 0)
		return rc;
	for (size_t t = 0; t < T; t++) {
		if (s->tok[t] >= m)
			return TSD_ESIZE;
		sc[s->tok[t]] = cand ? 0.5f + 0.5f * s->ts[t] : s->ts[t];
	}
	return 0;
}
