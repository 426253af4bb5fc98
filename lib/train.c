/* train.c: oracle labels, the data set, the training loop and checkpoints
 * of the importance scorer; see train.h for the objective. */
#include "train.h"
#include "scorer.h"
#include "select.h"
#include "coefwin.h"
#include "reduce.h"
#include "bytes.h"
#include "tsd.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define F TSD_FEAT_COUNT

/* ------------------------------------------------------------------ */
/* labels */

void tsd_train_basis_init(struct tsd_train_basis *bs)
{
	memset(bs, 0, sizeof *bs);
}

void tsd_train_basis_free(struct tsd_train_basis *bs)
{
	if (!bs)
		return;
	free(bs->psi);
	free(bs->work);
	memset(bs, 0, sizeof *bs);
}

/* Make bs hold the squared synthesis functions of the shape. */
static int basis_make(struct tsd_train_basis *bs, size_t n, unsigned J,
		      const tsd_wavelet *w, enum tsd_mode mode)
{
	size_t lens[TSD_COEFWIN_MAXJ + 1], m, na, nd, need, wl;
	double *c = NULL, *y = NULL;
	int err;

	if (bs->psi && bs->n == n && bs->J == J && bs->w == w && bs->mode == mode)
		return 0;
	if (J < 1 || J > TSD_COEFWIN_MAXJ)
		return TSD_ERANGE;
	if ((err = tsd_coefwin_lengths(lens, n, J, w, mode)) < 0)
		return err;
	m = tsd_coefwin_total(n, J, w, mode);
	na = lens[0];
	nd = m - na;
	if (tsd_mul_size(&need, nd, n))
		return TSD_ERANGE;
	wl = tsd_coefwin_work_len(n, J, w, mode);
	bs->n = 0;
	if (need > bs->cap) {
		double *b = realloc(bs->psi, need * sizeof *b);
		if (!b)
			return TSD_ENOMEM;
		bs->psi = b;
		bs->cap = need;
	}
	if (wl + 1 > bs->wcap) {
		double *b = realloc(bs->work, (wl + 1) * sizeof *b);
		if (!b)
			return TSD_ENOMEM;
		bs->work = b;
		bs->wcap = wl + 1;
	}
	c = calloc(m, sizeof *c);
	y = malloc(n * sizeof *y);
	if (!c || !y) {
		err = TSD_ENOMEM;
		goto cleanup;
	}
	for (size_t i = 0; i < nd; i++) {
		c[na + i] = 1;
		if ((err = tsd_coefwin_reconstruct(y, n, c, bs->work, J, w, mode)) < 0)
			goto cleanup;
		c[na + i] = 0;
		for (size_t t = 0; t < n; t++)
			bs->psi[i * n + t] = y[t];
	}
	memcpy(bs->lens, lens, (J + 1) * sizeof *lens);
	bs->n = n;
	bs->m = m;
	bs->na = na;
	bs->J = J;
	bs->w = w;
	bs->mode = mode;
	err = 0;
cleanup:
	free(c);
	free(y);
	return err;
}

/* idx sorted by key decreasing, ties by lower index: a stable merge sort
 * (qsort has no context argument in C11). */
static void sort_desc(size_t *idx, size_t *tmp, const double *key, size_t n)
{
	for (size_t i = 0; i < n; i++)
		idx[i] = i;
	for (size_t wdt = 1; wdt < n; wdt *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * wdt) {
			size_t mid = lo + wdt < n ? lo + wdt : n;
			size_t hi = lo + 2 * wdt < n ? lo + 2 * wdt : n;
			size_t a = lo, b = mid, k = lo;
			while (a < mid && b < hi)
				tmp[k++] = key[idx[b]] > key[idx[a]] ? idx[b++] : idx[a++];
			while (a < mid)
				tmp[k++] = idx[a++];
			while (b < hi)
				tmp[k++] = idx[b++];
		}
		memcpy(idx, tmp, n * sizeof *idx);
	}
}

/* Squared error, weighted by wt (NULL: 1), of the line through the points
 * idx (np, increasing) of y against ref, held flat outside them. */
static double line_error(const size_t *idx, size_t np, const double *y,
			 const double *ref, const double *wt, size_t n)
{
	double e = 0;
	size_t p = 0;

	for (size_t t = 0; t < n; t++) {
		double u, d;
		while (p + 1 < np && idx[p + 1] <= t)
			p++;
		if (t <= idx[0])
			u = y[idx[0]];
		else if (p + 1 >= np)
			u = y[idx[np - 1]];
		else
			u = y[idx[p]] + (y[idx[p + 1]] - y[idx[p]]) *
			    (double)(t - idx[p]) / (double)(idx[p + 1] - idx[p]);
		d = u - ref[t];
		e += wt ? wt[t] * d * d : d * d;
	}
	return e;
}

int tsd_train_greedy(size_t *rank, struct tsd_train_basis *bs,
		     const double *c, const double *wt, const double *imp,
		     size_t n, unsigned J, const tsd_wavelet *w,
		     enum tsd_mode mode, size_t kmax, size_t pool)
{
	double *yfull = NULL, *ycur = NULL, *ytry = NULL, *cz = NULL;
	unsigned char *keep = NULL, *mark = NULL;
	size_t *idx = NULL, *cand = NULL, *tmp = NULL, nd, na, m;
	int err;

	if (!rank || !bs || !c || !imp || !w || !n)
		return TSD_EINVAL;
	if ((err = basis_make(bs, n, J, w, mode)))
		return err;
	m = bs->m;
	na = bs->na;
	nd = m - na;
	if (pool > nd)
		pool = nd;
	if (kmax > pool)
		kmax = pool;
	yfull = malloc(n * sizeof *yfull);
	ycur = malloc(n * sizeof *ycur);
	ytry = malloc(n * sizeof *ytry);
	cz = calloc(m, sizeof *cz);
	keep = calloc(m, 1);
	mark = malloc(n);
	idx = malloc(n * sizeof *idx);
	cand = malloc(2 * (nd ? nd : 1) * sizeof *cand);
	tmp = malloc(2 * (nd ? nd : 1) * sizeof *tmp);
	if (!yfull || !ycur || !ytry || !cz || !keep || !mark || !idx || !cand || !tmp) {
		err = TSD_ENOMEM;
		goto cleanup;
	}
	/* the full reconstruction, and the approximation alone */
	memcpy(cz, c, m * sizeof *cz);
	if ((err = tsd_coefwin_reconstruct(yfull, n, cz, bs->work, J, w, mode)) < 0)
		goto cleanup;
	memset(cz + na, 0, nd * sizeof *cz);
	if ((err = tsd_coefwin_reconstruct(ycur, n, cz, bs->work, J, w, mode)) < 0)
		goto cleanup;
	memset(keep, 1, na);
	/* the pool: the largest importances; after the greedy picks, the
	 * rest rank by importance */
	sort_desc(cand, tmp, imp, nd);
	for (size_t i = 0; i < nd; i++)
		rank[i] = SIZE_MAX;
	for (size_t step = 0; step < kmax; step++) {
		double best = INFINITY;
		size_t bi = SIZE_MAX;
		for (size_t q = 0; q < pool; q++) {
			size_t i = cand[q];
			const double *ps = bs->psi + i * n;
			double ci = c[na + i], e;
			int np;
			if (rank[i] != SIZE_MAX || ci == 0)
				continue;
			for (size_t t = 0; t < n; t++)
				ytry[t] = ycur[t] + ci * ps[t];
			keep[na + i] = 1;
			np = tsd_reduce(idx, mark, ytry, n, keep, bs->lens, J, w, mode);
			keep[na + i] = 0;
			if (np < 0) {
				err = np;
				goto cleanup;
			}
			e = line_error(idx, (size_t)np, ytry, yfull, wt, n);
			if (e < best) {
				best = e;
				bi = i;
			}
		}
		if (bi == SIZE_MAX)
			break;
		rank[bi] = step;
		keep[na + bi] = 1;
		for (size_t t = 0; t < n; t++)
			ycur[t] += c[na + bi] * bs->psi[bi * n + t];
	}
	{
		size_t next = 0;
		for (size_t i = 0; i < nd; i++)
			if (rank[i] != SIZE_MAX && rank[i] + 1 > next)
				next = rank[i] + 1;
		for (size_t q = 0; q < nd; q++)
			if (rank[cand[q]] == SIZE_MAX)
				rank[cand[q]] = next++;
	}
	err = 0;
cleanup:
	free(yfull);
	free(ycur);
	free(ytry);
	free(cz);
	free(keep);
	free(mark);
	free(idx);
	free(cand);
	free(tmp);
	return err;
}

int tsd_train_importance(double *imp, struct tsd_train_basis *bs,
			 const double *c, const double *wt, size_t n,
			 unsigned J, const tsd_wavelet *w, enum tsd_mode mode)
{
	return tsd_train_importance_peak(imp, bs, c, wt, n, J, w, mode, 0);
}

int tsd_train_importance_peak(double *imp, struct tsd_train_basis *bs,
			      const double *c, const double *wt, size_t n,
			      unsigned J, const tsd_wavelet *w,
			      enum tsd_mode mode, double peak)
{
	int err;

	if (!imp || !bs || !c || !w || !n || !(peak >= 0) || !isfinite(peak))
		return TSD_EINVAL;
	if (wt)
		for (size_t t = 0; t < n; t++)
			if (!(wt[t] >= 0) || !isfinite(wt[t]))
				return TSD_EINVAL;
	if ((err = basis_make(bs, n, J, w, mode)))
		return err;
	for (size_t i = 0; i < bs->m - bs->na; i++) {
		const double *b = bs->psi + i * n;
		double s = 0, mx = 0, ci = c[bs->na + i];
		if (!isfinite(ci))
			return TSD_EINVAL;
		for (size_t t = 0; t < n; t++) {
			double v = wt ? wt[t] * b[t] * b[t] : b[t] * b[t];
			s += v;
			if (v > mx)
				mx = v;
		}
		imp[i] = ci * ci * (s + peak * mx);
	}
	return 0;
}

int tsd_train_targets(float *y, size_t *tmp, const double *imp, size_t T,
		      const size_t *ks, int nk)
{
	size_t *idx;

	if (!y || !tmp || !imp || !ks || nk < 1 || nk > TSD_TRAIN_MAXK)
		return TSD_EINVAL;
	idx = tmp + T;
	sort_desc(idx, tmp, imp, T);
	for (size_t i = 0; i < T; i++)
		y[i] = 0;
	for (int r = 0; r < nk; r++) {
		size_t k = ks[r] < T ? ks[r] : T;
		for (size_t i = 0; i < k; i++)
			y[idx[i]] += 1.0f;
	}
	for (size_t i = 0; i < T; i++)
		y[i] /= (float)nk;
	return 0;
}

/* ------------------------------------------------------------------ */
/* data set */

int tsd_train_data_init(struct tsd_train_data *d, const double *ratios, int nk)
{
	static const double def[] = { 4, 8, 16, 32 };

	if (!d || nk < 0 || nk > TSD_TRAIN_MAXK || (nk && !ratios))
		return TSD_EINVAL;
	memset(d, 0, sizeof *d);
	if (!nk) {
		ratios = def;
		nk = 4;
	}
	for (int i = 0; i < nk; i++) {
		if (!(ratios[i] >= 1 && ratios[i] <= 1e9))
			return TSD_EINVAL;
		d->ratios[i] = ratios[i];
	}
	d->nk = nk;
	d->pool = 64;
	tsd_feature_ws_init(&d->fws);
	tsd_train_basis_init(&d->bs);
	return 0;
}

static void win_free(struct tsd_train_win *w)
{
	free(w->x);
	free(w->y);
	free(w->imp);
	free(w->mag);
}

void tsd_train_data_free(struct tsd_train_data *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++)
		win_free(&d->w[i]);
	free(d->w);
	tsd_feature_ws_free(&d->fws);
	tsd_train_basis_free(&d->bs);
	free(d->imp);
	free(d->xs);
	free(d->tok);
	free(d->tmp);
	free(d->rank);
	free(d->tokimp);
	memset(d, 0, sizeof *d);
}

/* A window of T tokens, its arrays allocated (contents unset, budgets 0):
 * 0 or TSD_ENOMEM (nothing left allocated). */
static int win_alloc(struct tsd_train_win *w, size_t T, int nk)
{
	memset(w, 0, sizeof *w);
	w->T = (uint32_t)T;
	w->nk = nk;
	w->x = malloc(T * F * sizeof *w->x);
	w->y = malloc(T * sizeof *w->y);
	w->imp = malloc(T * sizeof *w->imp);
	w->mag = malloc(T * sizeof *w->mag);
	if (!w->x || !w->y || !w->imp || !w->mag) {
		win_free(w);
		return TSD_ENOMEM;
	}
	return 0;
}

static int push_win(struct tsd_train_data *d, const struct tsd_train_win *win)
{
	if (d->n == d->cap) {
		size_t nc = d->cap ? 2 * d->cap : 64;
		struct tsd_train_win *nw = realloc(d->w, nc * sizeof *nw);
		if (!nw)
			return TSD_ENOMEM;
		d->w = nw;
		d->cap = nc;
	}
	d->w[d->n++] = *win;
	d->tokens += win->T;
	return 0;
}

/* The window full (its T tokens: importance impn, and with greedy targets
 * d->rank, as tsd_train_data_add leaves them) as the scorer sees it with
 * candidates: for each ratio, the candidates' features exactly as
 * tsd_feature_top gives them at scoring time, in its order, and targets
 * for that ratio's budget among them. */
static int add_candidates(struct tsd_train_data *d, const struct tsd_train_win *full, const float *impn,
			  const double *c, const size_t *lens, unsigned J, size_t n,
			  const tsd_wavelet *w, enum tsd_mode mode)
{
	size_t T = full->T, na = lens[0], *inv = NULL, *tmp = NULL;
	double *key = NULL;
	float *yg = NULL, *xs = NULL;
	uint32_t *tok = NULL;
	int err = TSD_ENOMEM;

	inv = malloc(T * sizeof *inv);
	tmp = malloc(2 * T * sizeof *tmp);
	key = malloc(T * sizeof *key);
	yg = malloc(T * sizeof *yg);
	xs = malloc(T * F * sizeof *xs);
	tok = malloc(T * sizeof *tok);
	if (!inv || !tmp || !key || !yg || !xs || !tok)
		goto out;
	for (size_t t = 0; t < T; t++)
		inv[d->tok[t] - na] = t;
	for (int r = 0; r < d->nk; r++) {
		size_t want = tsd_scorer_candidates(d->ratios[r], d->cand, J, n, T), k = full->ks[r];
		struct tsd_train_win sub;
		int got = tsd_feature_top(xs, tok, NULL, &d->fws, c, lens, J, n, w, mode, want);
		if (got < 0) {
			err = got;
			goto out;
		}
		size_t S = (size_t)got;
		if ((err = win_alloc(&sub, S, d->nk)))
			goto out;
		for (int j = 0; j < d->nk; j++)
			sub.ks[j] = k;
		memcpy(sub.x, xs, S * F * sizeof *sub.x);
		for (size_t i = 0; i < S; i++) {
			size_t t = inv[tok[i] - na];
			sub.imp[i] = impn[t];
			sub.mag[i] = (float)fabs(c[tok[i]]);
			key[i] = impn[t];
		}
		if ((err = tsd_train_targets(sub.y, tmp, key, S, &k, 1))) {
			win_free(&sub);
			goto out;
		}
		if (d->greedy > 0) {
			float g = (float)d->greedy;
			for (size_t i = 0; i < S; i++)
				key[i] = -(double)d->rank[tok[i] - na];
			if ((err = tsd_train_targets(yg, tmp, key, S, &k, 1))) {
				win_free(&sub);
				goto out;
			}
			for (size_t i = 0; i < S; i++) {
				sub.y[i] = (1 - g) * sub.y[i] + g * yg[i];
				sub.imp[i] = sub.y[i] + 1e-3f * sub.imp[i];
			}
		}
		if ((err = push_win(d, &sub))) {
			win_free(&sub);
			goto out;
		}
	}
	err = 0;
out:
	free(inv);
	free(tmp);
	free(key);
	free(yg);
	free(xs);
	free(tok);
	return err;
}

int tsd_train_data_add(struct tsd_train_data *d, const double *c,
		       const double *wt, size_t n, unsigned J,
		       const tsd_wavelet *w, enum tsd_mode mode)
{
	size_t lens[TSD_COEFWIN_MAXJ + 1], T, na, coarse;
	struct tsd_train_win win;
	int err, got;

	if (!d || !c || !w || !n || J < 1 || J > TSD_COEFWIN_MAXJ)
		return TSD_EINVAL;
	if ((err = tsd_coefwin_lengths(lens, n, J, w, mode)) < 0)
		return err;
	na = lens[0];
	T = tsd_feature_tokens(lens, J);
	if (!T)
		return 0;
	if (T > (size_t)TSD_MODEL_MAX_TOKENS)
		return TSD_ERANGE;
	if (T > d->scap) {
		double *imp = realloc(d->imp, T * sizeof *imp);
		if (imp)
			d->imp = imp;
		float *xs = realloc(d->xs, T * F * sizeof *xs);
		if (xs)
			d->xs = xs;
		uint32_t *tok = realloc(d->tok, T * sizeof *tok);
		if (tok)
			d->tok = tok;
		size_t *tmp = realloc(d->tmp, 2 * T * sizeof *tmp);
		if (tmp)
			d->tmp = tmp;
		size_t *rank = realloc(d->rank, T * sizeof *rank);
		if (rank)
			d->rank = rank;
		double *ti = realloc(d->tokimp, T * sizeof *ti);
		if (ti)
			d->tokimp = ti;
		if (!imp || !xs || !tok || !tmp || !rank || !ti)
			return TSD_ENOMEM;
		d->scap = T;
	}
	got = tsd_feature_window(d->xs, d->tok, &d->fws, c, lens, J, n, w, mode);
	if (got < 0)
		return got;
	if ((err = tsd_train_importance_peak(d->imp, &d->bs, c, wt, n, J, w, mode, d->peak)))
		return err;

	if ((err = win_alloc(&win, T, d->nk)))
		return err;
	/* the details thresh --ratio keeps at each ratio: the same calls */
	coarse = tsd_reduce_coarse(n, J);
	for (int r = 0; r < d->nk; r++)
		win.ks[r] = tsd_select_budget(tsd_select_ratio_points(n, d->ratios[r]), coarse, T);
	memcpy(win.x, d->xs, T * F * sizeof *win.x);
	/* importance and magnitude in token order; imp is relative to the
	 * window's largest so that floats hold any scale */
	double top = 0, *ti = d->tokimp; /* doubles, later floats */
	for (size_t t = 0; t < T; t++) {
		ti[t] = d->imp[d->tok[t] - na];
		if (ti[t] > top)
			top = ti[t];
	}
	for (size_t t = 0; t < T; t++) {
		win.imp[t] = top > 0 ? (float)(ti[t] / top) : 0.0f;
		win.mag[t] = (float)fabs(c[d->tok[t]]);
	}
	for (size_t t = 0; t < T; t++)
		d->imp[t] = win.imp[t];
	if ((err = tsd_train_targets(win.y, d->tmp, d->imp, T, win.ks, win.nk))) {
		win_free(&win);
		return err;
	}
	float *impn = NULL; /* the importance in token order, for candidates */
	if (d->cand > 0) {
		if (!(impn = malloc(T * sizeof *impn))) {
			win_free(&win);
			return TSD_ENOMEM;
		}
		memcpy(impn, win.imp, T * sizeof *impn);
	}
	if (d->greedy > 0) {
		size_t kmax = 0;
		float g = (float)d->greedy, *yg = (float *)d->tokimp; /* T floats fit */
		for (int r = 0; r < win.nk; r++)
			if (win.ks[r] > kmax)
				kmax = win.ks[r];
		/* imp in layout order again, for the pool */
		if ((err = tsd_train_importance_peak(d->imp, &d->bs, c, wt, n, J, w, mode, d->peak)) ||
		    (err = tsd_train_greedy(d->rank, &d->bs, c, wt, d->imp, n, J, w, mode,
					    kmax, d->pool))) {
			win_free(&win);
			free(impn);
			return err;
		}
		/* the ranking key: earlier picks first */
		for (size_t t = 0; t < T; t++)
			d->imp[t] = -(double)d->rank[d->tok[t] - na];
		if ((err = tsd_train_targets(yg, d->tmp, d->imp, T, win.ks, win.nk))) {
			win_free(&win);
			free(impn);
			return err;
		}
		for (size_t t = 0; t < T; t++) {
			win.y[t] = (1 - g) * win.y[t] + g * yg[t];
			/* the figures' value of a token: its target */
			win.imp[t] = win.y[t] + 1e-3f * win.imp[t];
		}
	}
	if (d->cand > 0) {
		err = add_candidates(d, &win, impn, c, lens, J, n, w, mode);
		win_free(&win);
		free(impn);
		return err;
	}
	if ((err = push_win(d, &win)))
		win_free(&win);
	return err;
}

int tsd_train_set_norm(struct tsd_model *m, const struct tsd_train_data *d)
{
	double sum[F], sq[F];
	size_t N = 0;

	if (!m || !m->norm || !d || m->cfg.nfeat != F)
		return TSD_EINVAL;
	memset(sum, 0, sizeof sum);
	memset(sq, 0, sizeof sq);
	for (size_t i = 0; i < d->n; i++) {
		const struct tsd_train_win *w = &d->w[i];
		for (size_t t = 0; t < w->T; t++)
			for (int f = 0; f < F; f++) {
				double v = w->x[t * F + f];
				sum[f] += v;
				sq[f] += v * v;
			}
		N += w->T;
	}
	for (int f = 0; f < F; f++) {
		double mean = N ? sum[f] / (double)N : 0;
		double var = N ? sq[f] / (double)N - mean * mean : 1;
		double sd = var > 1e-12 ? sqrt(var) : 1e-6;
		m->norm[f] = (float)mean;
		m->norm[F + f] = (float)(1.0 / sd);
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* training */

void tsd_train_opts_default(struct tsd_train_opts *o)
{
	memset(o, 0, sizeof *o);
	o->epochs = 30;
	o->batch = 8;
	o->lr = 3e-3;
	o->lr_min = 0.05;
	o->warmup = 50;
	o->weight_decay = 0.01;
	o->clip = 1.0;
	o->seed = 1;
}

static int opts_check(const struct tsd_train_opts *o)
{
	if (o->epochs < 1 || o->batch < 1 || !(o->lr > 0 && o->lr < 10) ||
	    !(o->lr_min >= 0 && o->lr_min <= 1) || o->warmup < 0 ||
	    !(o->weight_decay >= 0 && o->weight_decay < 10) || !(o->clip >= 0))
		return TSD_EINVAL;
	return 0;
}

void tsd_train_ws_free(struct tsd_train_ws *ws)
{
	if (!ws)
		return;
	free(ws->acts);
	free(ws->dacts);
	free(ws->logits);
	free(ws->dlogits);
	free(ws->scores);
	free(ws->idx);
	memset(ws, 0, sizeof *ws);
}

int tsd_train_ws_init(struct tsd_train_ws *ws, const struct tsd_model_config *cfg, int maxT)
{
	if (!ws || !cfg || maxT < 1)
		return TSD_EINVAL;
	memset(ws, 0, sizeof *ws);
	ws->alen = tsd_model_acts_len(cfg, 1, maxT);
	if (!ws->alen)
		return TSD_ERANGE;
	ws->acts = malloc(ws->alen * sizeof(float));
	ws->dacts = malloc(ws->alen * sizeof(float));
	ws->logits = malloc((size_t)maxT * sizeof(float));
	ws->dlogits = malloc((size_t)maxT * sizeof(float));
	ws->scores = malloc((size_t)maxT * sizeof(float));
	ws->idx = malloc(2 * (size_t)maxT * sizeof(size_t));
	if (!ws->acts || !ws->dacts || !ws->logits || !ws->dlogits ||
	    !ws->scores || !ws->idx) {
		tsd_train_ws_free(ws);
		return TSD_ENOMEM;
	}
	ws->maxT = maxT;
	return 0;
}

/* sum of imp over the top k of key (ties: lower token) */
static double top_capture(size_t *idx, const float *key, const float *imp,
			  size_t T, size_t k, double *kd)
{
	double s = 0;

	for (size_t i = 0; i < T; i++)
		kd[i] = key[i];
	sort_desc(idx, idx + T, kd, T);
	for (size_t i = 0; i < k && i < T; i++)
		s += imp[idx[i]];
	return s;
}

int tsd_train_evaluate(struct tsd_train_eval *ev, struct tsd_train_ws *ws,
		       const struct tsd_model *m,
		       const struct tsd_train_data *d, int kidx)
{
	double loss = 0, cap = 0, capm = 0, capo = 0, *kd = NULL;
	size_t tokens = 0, maxT = 0;
	int err = 0;

	if (!ev || !ws || !m || !d || kidx < 0 || kidx >= d->nk)
		return TSD_EINVAL;
	memset(ev, 0, sizeof *ev);
	for (size_t i = 0; i < d->n; i++)
		if (d->w[i].T > maxT)
			maxT = d->w[i].T;
	if (maxT > (size_t)ws->maxT)
		return TSD_ESIZE;
	if (!(kd = malloc((maxT ? maxT : 1) * sizeof *kd)))
		return TSD_ENOMEM;
	for (size_t i = 0; i < d->n; i++) {
		const struct tsd_train_win *w = &d->w[i];
		float l;
		size_t k = w->ks[kidx];
		if ((err = tsd_model_forward(ws->scores, ws->logits, ws->acts, ws->alen,
					     m, w->x, 1, (int)w->T)))
			goto cleanup;
		if ((err = tsd_model_bce(&l, NULL, ws->logits, w->y, NULL, w->T)))
			goto cleanup;
		loss += (double)l * w->T;
		tokens += w->T;
		cap += top_capture(ws->idx, ws->logits, w->imp, w->T, k, kd);
		capm += top_capture(ws->idx, w->mag, w->imp, w->T, k, kd);
		capo += top_capture(ws->idx, w->imp, w->imp, w->T, k, kd);
	}
	ev->loss = tokens ? loss / (double)tokens : 0;
	ev->cap = capo > 0 ? cap / capo : 1;
	ev->cap_mag = capo > 0 ? capm / capo : 1;
cleanup:
	free(kd);
	return err;
}

static double lr_at(const struct tsd_train_opts *o, long step, long steps)
{
	double lr = o->lr, p;

	if (o->warmup > 0 && step < o->warmup)
		return lr * (double)(step + 1) / (double)o->warmup;
	p = steps > o->warmup ? (double)(step - o->warmup) / (double)(steps - o->warmup) : 1;
	if (p > 1)
		p = 1;
	return lr * (o->lr_min + (1 - o->lr_min) * 0.5 * (1 + cos(3.14159265358979323846 * p)));
}

int tsd_train_batch_grad(double *loss_sum, size_t *tokens, struct tsd_train_ws *ws,
			 struct tsd_model *m, const struct tsd_train_data *d,
			 const size_t *ids, size_t nw)
{
	int err;

	if (!loss_sum || !tokens || !ws || !m || !d || !ids || !nw)
		return TSD_EINVAL;
	tsd_model_zero_grad(m);
	for (size_t i = 0; i < nw; i++) {
		const struct tsd_train_win *w;
		float l;
		if (ids[i] >= d->n)
			return TSD_EINVAL;
		w = &d->w[ids[i]];
		if (w->T > (size_t)ws->maxT)
			return TSD_ESIZE;
		if ((err = tsd_model_forward(ws->scores, ws->logits, ws->acts, ws->alen,
					     m, w->x, 1, (int)w->T)))
			return err;
		if ((err = tsd_model_bce(&l, ws->dlogits, ws->logits, w->y, NULL, w->T)))
			return err;
		/* each window's loss is a mean over its tokens; the batch's is
		 * the mean over its windows */
		for (size_t t = 0; t < w->T; t++)
			ws->dlogits[t] /= (float)nw;
		if ((err = tsd_model_backward(m, ws->dacts, ws->alen, ws->acts, NULL,
					      ws->dlogits, 1, (int)w->T)))
			return err;
		*loss_sum += (double)l * (double)w->T;
		*tokens += w->T;
	}
	return 0;
}

int tsd_train_run(struct tsd_model *m, struct tsd_adamw *opt, int start,
		  const struct tsd_train_data *tr,
		  const struct tsd_train_data *val, int kidx,
		  const struct tsd_train_opts *o, tsd_train_cb cb, void *arg)
{
	struct tsd_train_ws ws;
	size_t *order = NULL, maxT = 0;
	float *decay = NULL;
	long nb, steps;
	int err;

	if (!m || !opt || !tr || !o || start < 0 || !tr->n || kidx < 0 ||
	    kidx >= tr->nk || (val && kidx >= val->nk))
		return TSD_EINVAL;
	if ((err = opts_check(o)))
		return err;
	if (opt->n != m->nparams)
		return TSD_ESIZE;
	for (size_t i = 0; i < tr->n; i++)
		if (tr->w[i].T > maxT)
			maxT = tr->w[i].T;
	for (size_t i = 0; val && i < val->n; i++)
		if (val->w[i].T > maxT)
			maxT = val->w[i].T;
	if (maxT > (size_t)m->cfg.max_tokens)
		return TSD_ERANGE;
	memset(&ws, 0, sizeof ws);
	if ((err = tsd_train_ws_init(&ws, &m->cfg, (int)maxT)))
		return err;
	order = malloc(tr->n * sizeof *order);
	decay = malloc(m->nparams * sizeof *decay);
	if (!order || !decay) {
		err = TSD_ENOMEM;
		goto cleanup;
	}
	tsd_model_decay_mask(decay, m);
	nb = (long)((tr->n + (size_t)o->batch - 1) / (size_t)o->batch);
	steps = nb * o->epochs;

	for (int e = start; e < o->epochs; e++) {
		struct tsd_train_progress pr;
		uint64_t rs = o->seed * 0x2545f4914f6cdd1dull + (uint64_t)e;
		double esum = 0;
		size_t etok = 0;

		for (size_t i = 0; i < tr->n; i++)
			order[i] = i;
		for (size_t i = tr->n - 1; i > 0; i--) {
			size_t j = (size_t)(tsd_rng_next(&rs) % (i + 1)), t = order[i];
			order[i] = order[j];
			order[j] = t;
		}
		for (long b = 0; b < nb; b++) {
			size_t lo = (size_t)b * (size_t)o->batch, hi = lo + (size_t)o->batch;
			long step = (long)e * nb + b;
			if (hi > tr->n)
				hi = tr->n;
			if ((err = tsd_train_batch_grad(&esum, &etok, &ws, m, tr, order + lo, hi - lo)))
				goto cleanup;
			if (o->clip > 0)
				tsd_adamw_clip(m->grad_mem, m->nparams, o->clip);
			opt->lr = (float)lr_at(o, step, steps);
			opt->weight_decay = (float)o->weight_decay;
			if ((err = tsd_adamw_step(m->param_mem, opt, m->grad_mem, decay, m->nparams)))
				goto cleanup;
		}
		memset(&pr, 0, sizeof pr);
		pr.epoch = e + 1;
		pr.epochs = o->epochs;
		pr.step = (long)(e + 1) * nb;
		pr.steps = steps;
		pr.loss = etok ? esum / (double)etok : 0;
		if (val && val->n) {
			if ((err = tsd_train_evaluate(&pr.val, &ws, m, val, kidx)))
				goto cleanup;
			pr.have_val = 1;
		}
		for (size_t i = 0; i < m->nparams; i++)
			if (!isfinite(m->param_mem[i])) {
				err = TSD_ERANGE; /* diverged */
				goto cleanup;
			}
		if (cb && (err = cb(&pr, arg)))
			goto cleanup;
	}
	err = 0;
cleanup:
	tsd_train_ws_free(&ws);
	free(order);
	free(decay);
	return err;
}

/* ------------------------------------------------------------------ */
/* checkpoints: see man/man1/tstrain.1 */

enum {
	C_MAGIC = 0, C_VERSION = 4, C_HSIZE = 8, C_EPOCH = 12, C_STEP = 16,
	C_N = 24, C_SEED = 32, C_EPOCHS = 40, C_BATCH = 44, C_WARMUP = 48,
	C_CRC = 52, C_LR = 56, C_LRMIN = 64, C_WD = 72, C_CLIP = 80,
	C_BETA1 = 88, C_BETA2 = 92, C_EPS = 96,
};

#define CHINT "resume from another checkpoint or train from scratch"

int tsd_train_ckpt_save(const char *path, const struct tsd_model *m,
			const struct tsd_adamw *opt, int epoch,
			const struct tsd_train_opts *o,
			char *errbuf, size_t errlen)
{
	unsigned char h[TSD_CKPT_HEADER_SIZE], *mv = NULL;
	size_t n, nb;
	FILE *f = NULL;
	int err;

	if (!path || !m || !m->param_mem || !opt || !o || epoch < 0 ||
	    opt->n != m->nparams) {
		tsd_seterr(errbuf, errlen, "%s: nothing to checkpoint", path ? path : "checkpoint");
		return TSD_EINVAL;
	}
	n = opt->n;
	nb = 8 * n;
	if (!(mv = malloc(nb))) {
		tsd_seterr(errbuf, errlen, "%s: out of memory", path);
		return TSD_ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		tsd_put_f32(mv + 4 * i, opt->m[i]);
		tsd_put_f32(mv + 4 * (n + i), opt->v[i]);
	}
	memset(h, 0, sizeof h);
	memcpy(h + C_MAGIC, TSD_CKPT_MAGIC, 4);
	tsd_put_u32(h + C_VERSION, TSD_CKPT_VERSION);
	tsd_put_u32(h + C_HSIZE, TSD_CKPT_HEADER_SIZE);
	tsd_put_u32(h + C_EPOCH, (uint32_t)epoch);
	tsd_put_u64(h + C_STEP, (uint64_t)opt->t);
	tsd_put_u64(h + C_N, (uint64_t)n);
	tsd_put_u64(h + C_SEED, o->seed);
	tsd_put_u32(h + C_EPOCHS, (uint32_t)o->epochs);
	tsd_put_u32(h + C_BATCH, (uint32_t)o->batch);
	tsd_put_u32(h + C_WARMUP, (uint32_t)o->warmup);
	tsd_put_u32(h + C_CRC, tsd_crc32(0, mv, nb));
	tsd_put_f64(h + C_LR, o->lr);
	tsd_put_f64(h + C_LRMIN, o->lr_min);
	tsd_put_f64(h + C_WD, o->weight_decay);
	tsd_put_f64(h + C_CLIP, o->clip);
	tsd_put_f32(h + C_BETA1, opt->beta1);
	tsd_put_f32(h + C_BETA2, opt->beta2);
	tsd_put_f32(h + C_EPS, opt->eps);
	if (!(f = fopen(path, "wb"))) {
		tsd_seterr(errbuf, errlen, "%s: cannot create: %s", path, strerror(errno));
		err = TSD_EIO;
		goto cleanup;
	}
	if (fwrite(h, 1, sizeof h, f) != sizeof h || fwrite(mv, 1, nb, f) != nb) {
		tsd_seterr(errbuf, errlen, "%s: write error: %s", path, strerror(errno));
		err = TSD_EIO;
		goto cleanup;
	}
	if ((err = tsd_model_save_file(f, m, path, errbuf, errlen)))
		goto cleanup;
	err = 0;
cleanup:
	if (f && fclose(f) && !err) {
		tsd_seterr(errbuf, errlen, "%s: write error: %s", path, strerror(errno));
		err = TSD_EIO;
	}
	free(mv);
	return err;
}

int tsd_train_ckpt_load(struct tsd_model *m, struct tsd_adamw *opt,
			int *epoch, struct tsd_train_opts *o,
			const char *path, char *errbuf, size_t errlen)
{
	unsigned char h[TSD_CKPT_HEADER_SIZE], *mv = NULL;
	size_t got, nb;
	uint64_t n;
	uint32_t v;
	FILE *f;
	int err;

	if (m)
		memset(m, 0, sizeof *m);
	if (opt)
		memset(opt, 0, sizeof *opt);
	if (!m || !opt || !epoch || !o || !path) {
		tsd_seterr(errbuf, errlen, "no checkpoint file name");
		return TSD_EINVAL;
	}
	if (!(f = fopen(path, "rb"))) {
		tsd_seterr(errbuf, errlen, "%s: cannot open: %s", path, strerror(errno));
		return TSD_EIO;
	}
	got = fread(h, 1, sizeof h, f);
	if (got >= 4 && memcmp(h, TSD_CKPT_MAGIC, 4)) {
		tsd_seterr(errbuf, errlen, "%s: not a tsdown checkpoint (magic is not "
		       "\"TSDC\"); pass a file that tstrain --checkpoint wrote", path);
		err = TSD_EFORMAT;
		goto cleanup;
	}
	if (got < sizeof h) {
		tsd_seterr(errbuf, errlen, "%s: truncated: %zu of %u header bytes; " CHINT,
		       path, got, TSD_CKPT_HEADER_SIZE);
		err = TSD_ETRUNC;
		goto cleanup;
	}
	if ((v = tsd_get_u32(h + C_VERSION)) != TSD_CKPT_VERSION) {
		tsd_seterr(errbuf, errlen, "%s: checkpoint format version %u, this build "
		       "reads version %u; " CHINT, path, v, TSD_CKPT_VERSION);
		err = TSD_EVERSION;
		goto cleanup;
	}
	n = tsd_get_u64(h + C_N);
	if (tsd_get_u32(h + C_HSIZE) != TSD_CKPT_HEADER_SIZE || n == 0 ||
	    n > ((uint64_t)1 << 34)) {
		tsd_seterr(errbuf, errlen, "%s: corrupt checkpoint header; " CHINT, path);
		err = TSD_EFORMAT;
		goto cleanup;
	}
	nb = 8 * (size_t)n;
	if (!(mv = malloc(nb))) {
		tsd_seterr(errbuf, errlen, "%s: out of memory", path);
		err = TSD_ENOMEM;
		goto cleanup;
	}
	if ((got = fread(mv, 1, nb, f)) != nb) {
		tsd_seterr(errbuf, errlen, "%s: truncated: %zu of %zu optimizer bytes; " CHINT,
		       path, got, nb);
		err = TSD_ETRUNC;
		goto cleanup;
	}
	if (tsd_crc32(0, mv, nb) != tsd_get_u32(h + C_CRC)) {
		tsd_seterr(errbuf, errlen, "%s: checksum mismatch in the optimizer state: "
		       "the file is corrupt; " CHINT, path);
		err = TSD_EFORMAT;
		goto cleanup;
	}
	if ((err = tsd_model_load_file(m, f, path, errbuf, errlen)))
		goto cleanup;
	if (m->nparams != n) {
		tsd_seterr(errbuf, errlen, "%s: optimizer state for %llu parameters, the "
		       "model has %zu; " CHINT, path, (unsigned long long)n, m->nparams);
		err = TSD_ESIZE;
		goto cleanup;
	}
	if ((err = tsd_adamw_init(opt, (size_t)n))) {
		tsd_seterr(errbuf, errlen, "%s: out of memory", path);
		goto cleanup;
	}
	for (size_t i = 0; i < n; i++) {
		opt->m[i] = tsd_get_f32(mv + 4 * i);
		opt->v[i] = tsd_get_f32(mv + 4 * (n + i));
	}
	opt->t = (long)tsd_get_u64(h + C_STEP);
	opt->beta1 = tsd_get_f32(h + C_BETA1);
	opt->beta2 = tsd_get_f32(h + C_BETA2);
	opt->eps = tsd_get_f32(h + C_EPS);
	tsd_train_opts_default(o);
	o->seed = tsd_get_u64(h + C_SEED);
	o->epochs = (int)tsd_get_u32(h + C_EPOCHS);
	o->batch = (int)tsd_get_u32(h + C_BATCH);
	o->warmup = (int)tsd_get_u32(h + C_WARMUP);
	o->lr = tsd_get_f64(h + C_LR);
	o->lr_min = tsd_get_f64(h + C_LRMIN);
	o->weight_decay = tsd_get_f64(h + C_WD);
	o->clip = tsd_get_f64(h + C_CLIP);
	*epoch = (int)tsd_get_u32(h + C_EPOCH);
	if (opts_check(o) || *epoch > o->epochs) {
		tsd_seterr(errbuf, errlen, "%s: corrupt training options in the header; " CHINT, path);
		err = TSD_EFORMAT;
		goto cleanup;
	}
	err = 0;
cleanup:
	fclose(f);
	free(mv);
	if (err) {
		tsd_model_free(m);
		tsd_adamw_free(opt);
	}
	return err;
}
