/* scorer.c: one window's detail coefficients scored by the model. */
#include "scorer.h"
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
	free(s->ord);
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
		uint32_t *ord = realloc(s->ord, T * sizeof *ord);
		if (ord)
			s->ord = ord;
		if (!x || !tok || !ts || !ord)
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

/* thread-safe qsort by |key| descending: the key travels in the
 * element (pairs of magnitude and token) */
struct mt { double a; uint32_t t; };

static int by_mag(const void *pa, const void *pb)
{
	const struct mt *a = pa, *b = pb;

	if (a->a != b->a)
		return a->a < b->a ? 1 : -1;
	return a->t < b->t ? -1 : a->t > b->t;
}

/* Keep the K * b largest details as the only tokens (in token order);
 * the rest get their magnitude-ranked low score in sc. Returns the
 * token count left. */
static size_t candidates(float *sc, struct tsd_scorer *s, const double *c,
			 const size_t *lens, size_t n, size_t T)
{
	double b = nearbyint((double)n / s->ratio) - (double)lens[0], want, maxa = 0;
	size_t k, keep = 0;
	struct mt *mt;

	if (b < 1)
		b = 1;
	want = ceil(s->cand * b);
	if (want >= (double)T)
		return T;
	k = (size_t)want;
	if (!(mt = malloc(T * sizeof *mt)))
		return T;	/* no room: score everything, as without --candidates */
	for (size_t t = 0; t < T; t++) {
		mt[t].a = fabs(c[s->tok[t]]);
		mt[t].t = (uint32_t)t;
	}
	qsort(mt, T, sizeof *mt, by_mag);
	for (size_t t = 0; t < T; t++)
		s->ord[t] = 0;
	for (size_t i = 0; i < k; i++)
		s->ord[mt[i].t] = 1;
	if (k < T)
		maxa = mt[k].a;
	free(mt);
	for (size_t t = 0; t < T; t++) {
		if (s->ord[t]) {
			if (keep != t) {
				memmove(s->x + keep * TSD_FEAT_COUNT, s->x + t * TSD_FEAT_COUNT,
					TSD_FEAT_COUNT * sizeof *s->x);
				s->tok[keep] = s->tok[t];
			}
			keep++;
		} else {
			sc[s->tok[t]] = maxa > 0 ? (float)(0.49 * fabs(c[s->tok[t]]) / maxa) : 0.0f;
		}
	}
	return keep;
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
	rc = tsd_feature_window(s->x, s->tok, &s->fws, c, lens, J, n, w, mode);
	if (rc < 0)
		return rc;
	int cand = s->ratio > 0 && s->cand > 0;
	if (cand) {
		for (size_t t = 0; t < T; t++)
			if (s->tok[t] >= m)
				return TSD_ESIZE;
		T = candidates(sc, s, c, lens, n, T);
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
