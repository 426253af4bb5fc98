/* coefwin.c: levels, layout, times and run assembly of one coefficient
 * window (see coefwin.h). */
#include "coefwin.h"
#include "tsd.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int tsd_coefwin_level_ok(size_t n, unsigned J, unsigned F)
{
	if (n == 0 || J == 0 || J > TSD_COEFWIN_MAXJ)
		return 0;
	return J == 1 || J <= tsd_dwt_max_level(n, F);
}

int tsd_coefwin_levels(unsigned *out, size_t n, unsigned J, unsigned F, int partial)
{
	unsigned top;

	if (!out || n == 0 || J == 0 || J > TSD_COEFWIN_MAXJ || F < 2)
		return TSD_EINVAL;
	top = tsd_dwt_max_level(n, F);
	if (J <= top) {
		*out = J;
		return 0;
	}
	if (!partial)
		return TSD_ERANGE;
	*out = top ? top : 1;
	return 0;
}

/* one level past the deepest that tsd_wavedec accepts */
static int single_past_max(size_t n, unsigned J, const tsd_wavelet *w)
{
	return J == 1 && w && tsd_dwt_max_level(n, w->len) == 0;
}

int tsd_coefwin_lengths(size_t *lens, size_t n, unsigned J, const tsd_wavelet *w, enum tsd_mode mode)
{
	if (!lens || !w)
		return TSD_EINVAL;
	if (single_past_max(n, J, w)) {
		size_t nc = tsd_dwt_len(n, w->len, mode);
		if (!nc)
			return TSD_EINVAL;
		lens[0] = lens[1] = nc;
		return 0;
	}
	return tsd_wavedec_lengths(lens, n, J, w, mode);
}

size_t tsd_coefwin_total(size_t n, unsigned J, const tsd_wavelet *w, enum tsd_mode mode)
{
	if (single_past_max(n, J, w)) {
		size_t nc = tsd_dwt_len(n, w->len, mode);
		return nc > SIZE_MAX / 2 ? 0 : 2 * nc;
	}
	return tsd_wavedec_total(n, J, w, mode);
}

size_t tsd_coefwin_work_len(size_t n, unsigned J, const tsd_wavelet *w, enum tsd_mode mode)
{
	if (single_past_max(n, J, w))
		return tsd_idwt_len(tsd_dwt_len(n, w->len, mode), w->len, mode);
	return tsd_wavedec_work_len(n, J, w, mode);
}

int tsd_coefwin_decompose(double *coeffs, double *work, const double *x, size_t n,
			  unsigned J, const tsd_wavelet *w, enum tsd_mode mode)
{
	if (single_past_max(n, J, w)) {
		size_t nc = tsd_dwt_len(n, w->len, mode);
		if (!coeffs || !nc)
			return TSD_EINVAL;
		return tsd_dwt_forward(coeffs, coeffs + nc, x, n, w, mode);
	}
	return tsd_wavedec(coeffs, work, x, n, J, w, mode);
}

int tsd_coefwin_reconstruct(double *x, size_t n, const double *coeffs, double *work,
			    unsigned J, const tsd_wavelet *w, enum tsd_mode mode)
{
	if (single_past_max(n, J, w)) {
		size_t nc = tsd_dwt_len(n, w->len, mode);
		size_t nx = tsd_idwt_len(nc, w->len, mode);
		int rc;
		if (!x || !coeffs || !work || !nc || nx < n)
			return TSD_EINVAL;
		if ((rc = tsd_idwt(work, coeffs, coeffs + nc, nc, w, mode)) < 0)
			return rc;
		memcpy(x, work, n * sizeof *x);
		return 0;
	}
	return tsd_waverec(x, n, coeffs, work, J, w, mode);
}

int tsd_coefwin_orthonormal(size_t n, unsigned J, const tsd_wavelet *w, enum tsd_mode mode)
{
	return n > 0 && tsd_coefwin_total(n, J, w, mode) == n;
}

typedef uint64_t v4u __attribute__((vector_size(32)));

TSD_HOT int tsd_coefwin_regular(const int64_t *t, size_t n)
{
	int64_t step;
	size_t i;

	if (n < 2)
		return 1;
	if (t[n - 1] < t[0])
		return 0;
	/* t[n-1] - t[0] may overflow for wild inputs: compare in unsigned */
	uint64_t span = (uint64_t)t[n - 1] - (uint64_t)t[0];
	if (span % (n - 1))
		return 0;
	step = (int64_t)(span / (n - 1));
	/* every interval, four at a time, without an exit per sample: the
	 * differences from the step are or-ed together */
	const v4u S = { (uint64_t)step, (uint64_t)step, (uint64_t)step, (uint64_t)step };
	v4u off = { 0, 0, 0, 0 }, a, b;
	uint64_t rest = 0;
	for (i = 1; i + 4 <= n; i += 4) {
		memcpy(&a, t + i, sizeof a);
		memcpy(&b, t + i - 1, sizeof b);
		off |= (a - b) ^ S;
	}
	for (; i < n; i++)
		rest |= ((uint64_t)t[i] - (uint64_t)t[i - 1]) ^ (uint64_t)step;
	return !(rest | off[0] | off[1] | off[2] | off[3]);
}

int64_t tsd_coefwin_time(int64_t t_first, int64_t t_last, size_t n, size_t i)
{
	if (n < 2 || i == 0)
		return t_first;
	if (i >= n - 1)
		return t_last;
	__int128 d = (__int128)t_last - t_first;
	__int128 q = d * (__int128)i;
	__int128 den = (__int128)(n - 1);
	/* round half away from zero */
	q = q >= 0 ? (q + den / 2) / den : -((-q + den / 2) / den);
	return (int64_t)(t_first + q);
}

/* t[i] = tsd_coefwin_time(t_first, t_last, n, i) for every i: when the
 * span divides evenly (a regular window, the usual case) by stepping,
 * with no 128-bit division per sample; the values are the same. */
int tsd_coefwin_step(int64_t t_first, int64_t t_last, size_t n, int64_t *step)
{
	__int128 d = (__int128)t_last - t_first;

	if (n < 2 || d < 0 || d > INT64_MAX || d % (__int128)(n - 1))
		return 0;
	*step = (int64_t)(d / (__int128)(n - 1));
	return 1;
}

static void fill_times(int64_t *t, int64_t t_first, int64_t t_last, size_t n)
{
	int64_t step;
	size_t i;

	if (tsd_coefwin_step(t_first, t_last, n, &step)) {
		for (i = 0; i < n; i++)
			t[i] = t_first + (int64_t)i * step;
		return;
	}
	for (i = 0; i < n; i++)
		t[i] = tsd_coefwin_time(t_first, t_last, n, i);
}

void tsd_coefwin_init(tsd_coefwin *cw)
{
	memset(cw, 0, sizeof *cw);
}

void tsd_coefwin_free(tsd_coefwin *cw)
{
	if (!cw)
		return;
	free(cw->c);
	free(cw->score);
	free(cw->have);
	free(cw->t);
	free(cw->tpos);
	free(cw->tv);
	free(cw->ts);
	tsd_coefwin_init(cw);
}

size_t tsd_coefwin_bytes(const tsd_coefwin *cw)
{
	return cw->mcap * (sizeof *cw->c + sizeof *cw->score + 1) + cw->ncap * sizeof *cw->t +
	       cw->tcap * (sizeof *cw->tpos + sizeof *cw->tv + sizeof *cw->ts);
}

void tsd_coefwin_trim(tsd_coefwin *cw, size_t keep)
{
	if (cw->open || tsd_coefwin_bytes(cw) <= keep)
		return;
	free(cw->c);
	free(cw->score);
	free(cw->have);
	free(cw->t);
	free(cw->tpos);
	free(cw->tv);
	free(cw->ts);
	cw->c = NULL;
	cw->score = NULL;
	cw->have = NULL;
	cw->t = NULL;
	cw->tpos = NULL;
	cw->tv = NULL;
	cw->ts = NULL;
	cw->mcap = cw->ncap = cw->tcap = 0;
}

/* Grow a buffer geometrically to hold want elements, never past most. */
static int grow(void **p, size_t *cap, size_t want, size_t most, size_t size)
{
	size_t nc;
	void *q;

	if (want <= *cap)
		return 0;
	nc = *cap < 64 ? 64 : *cap * 2;
	if (nc < want)
		nc = want;
	if (nc > most)
		nc = most;
	if (!(q = realloc(*p, nc * size)))
		return TSD_ENOMEM;
	*p = q;
	*cap = nc;
	return 0;
}

/* c/score/have hold at least want positions. */
static int grow_layout(tsd_coefwin *cw, size_t want)
{
	size_t cap = cw->mcap;
	void *p;

	if (want <= cap)
		return 0;
	p = cw->c;
	if (grow(&p, &cap, want, cw->m, sizeof *cw->c))
		return TSD_ENOMEM;
	cw->c = p;
	cap = cw->mcap;
	p = cw->score;
	if (grow(&p, &cap, want, cw->m, sizeof *cw->score))
		return TSD_ENOMEM;
	cw->score = p;
	cap = cw->mcap;
	p = cw->have;
	if (grow(&p, &cap, want, cw->m, 1))
		return TSD_ENOMEM;
	cw->have = p;
	cw->mcap = cap;
	return 0;
}

static int fail(char *err, size_t errlen, int rc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(char *err, size_t errlen, int rc, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return rc;
}

static void band_name(char *buf, size_t len, const tsd_coefwin *cw, unsigned b)
{
	if (b == 0)
		snprintf(buf, len, "approximation (level %u)", cw->J);
	else
		snprintf(buf, len, "detail level %u", cw->J + 1 - b);
}

int tsd_coefwin_begin(tsd_coefwin *cw, const tsd_window *hdr, char *err, size_t errlen)
{
	char name[TSD_MODE_NAME + 1];
	int mode;
	unsigned b;

	if (cw->open)
		return fail(err, errlen, TSD_EORDER, "window %lld starts before the end of window %lld",
			    (long long)hdr->window, (long long)cw->hdr.window);
	cw->hdr = *hdr;
	cw->hdr.has_range = 0; /* known at the END */
	cw->hdr.lo = cw->hdr.hi = 0;
	cw->open = 0;
	memcpy(name, hdr->wavelet, TSD_WAVELET_NAME);
	name[TSD_WAVELET_NAME] = 0;
	if (!(cw->w = tsd_wavelet_find(name)))
		return fail(err, errlen, TSD_ENOTFOUND, "unknown wavelet '%s'", name);
	memcpy(name, hdr->mode, TSD_MODE_NAME);
	name[TSD_MODE_NAME] = 0;
	if ((mode = tsd_mode_parse(name)) < 0)
		return fail(err, errlen, TSD_ENOTFOUND, "unknown mode '%s'", name);
	cw->mode = (enum tsd_mode)mode;
	cw->n = hdr->n;
	cw->J = hdr->levels;
	if (cw->n == 0 || cw->n > TSD_COEFWIN_MAXN)
		return fail(err, errlen, TSD_ERANGE, "%zu samples (want 1..%u)", cw->n, TSD_COEFWIN_MAXN);
	if (!tsd_coefwin_level_ok(cw->n, cw->J, cw->w->len))
		return fail(err, errlen, TSD_ERANGE, "%u levels of %s do not fit %zu samples",
			    cw->J, cw->w->name, cw->n);
	if (tsd_coefwin_lengths(cw->lens, cw->n, cw->J, cw->w, cw->mode) < 0)
		return fail(err, errlen, TSD_ERANGE, "bad window header");
	cw->off[0] = 0;
	for (b = 0; b <= cw->J; b++)
		cw->off[b + 1] = cw->off[b] + cw->lens[b];
	cw->m = cw->off[cw->J + 1];
	if (cw->hdr.t_last < cw->hdr.t_first)
		return fail(err, errlen, TSD_EORDER, "the window ends before it starts");
	/* nothing is allocated for what the header declares: buffers grow
	 * as coefficients and times arrive (a 100-byte header may say 2^30) */
	cw->dense = 0;
	cw->ntail = 0;
	cw->band = 0;
	cw->next = 0;
	cw->nt = 0;
	cw->nruns = 0;
	cw->scored = 1;
	cw->open = 1;
	return 0;
}

int tsd_coefwin_times(tsd_coefwin *cw, const tsd_times *ts, char *err, size_t errlen)
{
	if (!cw->open || ts->window != cw->hdr.window)
		return fail(err, errlen, TSD_EORDER, "sample times outside their window");
	if (!(cw->hdr.flags & TSD_WIN_IRREGULAR))
		return fail(err, errlen, TSD_EORDER, "sample times in a window not marked irregular");
	if (ts->count > cw->n - cw->nt)
		return fail(err, errlen, TSD_ERANGE, "more than %zu sample times", cw->n);
	void *p = cw->t;
	if (grow(&p, &cw->ncap, cw->nt + ts->count, cw->n, sizeof *cw->t))
		return fail(err, errlen, TSD_ENOMEM, "out of memory");
	cw->t = p;
	memcpy(cw->t + cw->nt, ts->t, ts->count * sizeof *ts->t);
	cw->nt += ts->count;
	return 0;
}

int tsd_coefwin_add(tsd_coefwin *cw, const tsd_coefs *c, char *err, size_t errlen)
{
	char what[48], prev[48];
	unsigned b;
	size_t i;

	if (!cw->open || c->window != cw->hdr.window)
		return fail(err, errlen, TSD_EORDER, "coefficients of window %lld outside a WINDOW .. END",
			    (long long)c->window);
	if (c->kind == TSD_COEF_A) {
		if (c->level != cw->J)
			return fail(err, errlen, TSD_ERANGE, "approximation at level %u in a window of %u levels",
				    c->level, cw->J);
		b = 0;
	} else {
		if (c->level < 1 || c->level > cw->J)
			return fail(err, errlen, TSD_ERANGE, "detail level %u in a window of %u levels",
				    c->level, cw->J);
		b = cw->J + 1 - c->level;
	}
	if (b < cw->band) {
		band_name(what, sizeof what, cw, b); /* only for a message: snprintf per record is dear */
		band_name(prev, sizeof prev, cw, cw->band);
		return fail(err, errlen, TSD_EORDER, "%s after %s (out of order)", what, prev);
	}
	if (b > cw->band) {
		/* the bands passed over must be complete, or may be dropped */
		for (unsigned k = cw->band; k < b; k++) {
			size_t got = k == cw->band ? cw->next : 0;
			if (got < cw->lens[k] && (k == 0 || !(cw->hdr.flags & TSD_WIN_SELECTED))) {
				band_name(prev, sizeof prev, cw, k);
				band_name(what, sizeof what, cw, b);
				if (got)
					return fail(err, errlen, TSD_EORDER, "%s incomplete (%zu of %zu coefficients) before %s",
						    prev, got, cw->lens[k], what);
				return fail(err, errlen, TSD_EORDER, "%s missing before %s", prev, what);
			}
		}
		cw->band = b;
		cw->next = 0;
	}
	if (c->start < cw->next) {
		band_name(what, sizeof what, cw, b);
		return fail(err, errlen, TSD_EORDER, "%s index %u after index %zu (out of order)",
			    what, c->start, cw->next - 1);
	}
	if (c->start > cw->next && (b == 0 || !(cw->hdr.flags & TSD_WIN_SELECTED))) {
		band_name(what, sizeof what, cw, b);
		return fail(err, errlen, TSD_EORDER, "%s index %u where %zu was due (missing or out of order)",
			    what, c->start, cw->next);
	}
	if (c->count > cw->lens[b] || c->start > cw->lens[b] - c->count) {
		band_name(what, sizeof what, cw, b);
		return fail(err, errlen, TSD_ERANGE, "%s index %llu past the band's %zu coefficients",
			    what, (unsigned long long)c->start + c->count - 1, cw->lens[b]);
	}
	size_t pos = cw->off[b] + c->start;
	int scored = c->score && (c->flags & TSD_COEF_SCORED);
	if (!scored)
		cw->scored = 0;
	if (!cw->ntail && pos == cw->dense) {
		/* no gap so far: straight into the layout */
		if (grow_layout(cw, pos + c->count))
			return fail(err, errlen, TSD_ENOMEM, "out of memory");
		memcpy(cw->c + pos, c->v, c->count * sizeof *c->v);
		memset(cw->have + pos, 1, c->count);
		if (scored)
			memcpy(cw->score + pos, c->score, c->count * sizeof *c->score);
		else
			memset(cw->score + pos, 0, c->count * sizeof *cw->score); /* 0.0f: all bits zero */
		cw->dense = pos + c->count;
	} else {
		size_t cap = cw->tcap, want = cw->ntail + c->count;
		void *p = cw->tpos;
		if (grow(&p, &cap, want, cw->m, sizeof *cw->tpos))
			return fail(err, errlen, TSD_ENOMEM, "out of memory");
		cw->tpos = p;
		cap = cw->tcap;
		p = cw->tv;
		if (grow(&p, &cap, want, cw->m, sizeof *cw->tv))
			return fail(err, errlen, TSD_ENOMEM, "out of memory");
		cw->tv = p;
		cap = cw->tcap;
		p = cw->ts;
		if (grow(&p, &cap, want, cw->m, sizeof *cw->ts))
			return fail(err, errlen, TSD_ENOMEM, "out of memory");
		cw->ts = p;
		cw->tcap = cap;
		for (i = 0; i < c->count; i++) {
			cw->tpos[cw->ntail + i] = (uint32_t)(pos + i);
			cw->tv[cw->ntail + i] = c->v[i];
			cw->ts[cw->ntail + i] = scored ? c->score[i] : 0;
		}
		cw->ntail = want;
	}
	cw->next = c->start + c->count;
	cw->nruns++;
	return 0;
}

int tsd_coefwin_end(tsd_coefwin *cw, char *err, size_t errlen)
{
	char what[48];
	unsigned k;
	size_t i;

	if (!cw->open)
		return fail(err, errlen, TSD_EORDER, "END outside a window");
	cw->open = 0; /* closed, complete or not */
	for (k = cw->band; k <= cw->J; k++) {
		size_t got = k == cw->band ? cw->next : 0;
		if (got < cw->lens[k] && (k == 0 || !(cw->hdr.flags & TSD_WIN_SELECTED))) {
			band_name(what, sizeof what, cw, k);
			if (got)
				return fail(err, errlen, TSD_EORDER, "%s incomplete (%zu of %zu coefficients)",
					    what, got, cw->lens[k]);
			return fail(err, errlen, TSD_EORDER, "%s missing", what);
		}
	}
	/* the window is complete: now the full layout */
	if (grow_layout(cw, cw->m))
		return fail(err, errlen, TSD_ENOMEM, "out of memory");
	memset(cw->c + cw->dense, 0, (cw->m - cw->dense) * sizeof *cw->c);
	memset(cw->score + cw->dense, 0, (cw->m - cw->dense) * sizeof *cw->score);
	memset(cw->have + cw->dense, 0, cw->m - cw->dense);
	for (i = 0; i < cw->ntail; i++) {
		cw->c[cw->tpos[i]] = cw->tv[i];
		cw->score[cw->tpos[i]] = cw->ts[i];
		cw->have[cw->tpos[i]] = 1;
	}
	cw->dense = cw->m;
	cw->ntail = 0;
	if (cw->hdr.flags & TSD_WIN_IRREGULAR) {
		if (cw->nt != cw->n)
			return fail(err, errlen, TSD_EORDER, "%zu of %zu sample times", cw->nt, cw->n);
	} else {
		void *p = cw->t;
		if (grow(&p, &cw->ncap, cw->n, cw->n, sizeof *cw->t))
			return fail(err, errlen, TSD_ENOMEM, "out of memory");
		cw->t = p;
		fill_times(cw->t, cw->hdr.t_first, cw->hdr.t_last, cw->n);
	}
	if (!cw->nruns)
		cw->scored = 0;
	return 0;
}

unsigned tsd_coefwin_band(const tsd_coefwin *cw, size_t i)
{
	unsigned b = 0;

	while (b < cw->J && i >= cw->off[b + 1])
		b++;
	return b;
}

void tsd_coef_place_set(tsd_coef_place *p, const tsd_window *w)
{
	p->t_first = w->t_first;
	p->t_last = w->t_last;
	p->n = w->n;
	p->wav = tsd_wavelet_find(w->wavelet);
	p->mode = tsd_mode_parse(w->mode);
	if (p->mode < 0)
		p->wav = NULL;
}

void tsd_coef_place_span(int64_t *t0, int64_t *t1, const tsd_coef_place *p,
			 unsigned level, size_t k)
{
	size_t i0 = 0, i1 = p->n ? p->n - 1 : 0;

	if (p->wav && p->n)
		tsd_dwt_support(&i0, &i1, p->n, level, k, p->wav, (enum tsd_mode)p->mode);
	/* the span may pass the int64 range (times 292 years apart) */
	*t0 = p->n <= 1 ? p->t_first : tsd_coefwin_time(p->t_first, p->t_last, p->n, i0);
	*t1 = p->n <= 1 ? p->t_first : tsd_coefwin_time(p->t_first, p->t_last, p->n, i1);
}
