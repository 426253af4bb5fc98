/* winloop.c: windows and held-back source positions for windowing tools. */
#include "winloop.h"

#include <stdlib.h>
#include <string.h>

void tool_winloop_init(tool_winloop *wl, tool_io *io, size_t count, int64_t span, size_t max)
{
	int rc;

	memset(wl, 0, sizeof *wl);
	wl->io = io;
	wl->count = count;
	wl->span = span;
	wl->max = max;
	io->in.runs = 1;
	if ((rc = tsd_winbuf_new(&wl->wb, count, span, max)) < 0 || (rc = tsd_ctlq_new(&wl->cq)) < 0)
		tool_die(EXIT_DATA, "%s", tsd_strerror(rc));
}

void tool_winloop_free(tool_winloop *wl)
{
	free(wl->keys);
	tsd_winbuf_free(wl->wb);
	tsd_ctlq_free(wl->cq);
}

static void release(tool_winloop *wl)
{
	tsd_rec r;

	while (tsd_ctlq_next(wl->cq, &r) == 1)
		tool_put(wl->io, &r);
}

void tool_winloop_done(tool_winloop *wl)
{
	release(wl);
}

static void check(tool_winloop *wl, int rc)
{
	if (rc == TSD_ERANGE)
		tool_die(EXIT_DATA, "%s: a window of series '%s' holds more than %zu samples; "
			 "use a shorter -w or raise --max-window", tool_where(wl->io),
			 tsd_series_name(wl->io->tab, wl->last_series), wl->max);
	if (rc < 0)
		tool_die(EXIT_DATA, "%s", tsd_strerror(rc));
}

static void hold(tool_winloop *wl, uint32_t series, size_t n)
{
	check(wl, tsd_ctlq_hold_n(wl->cq, series, n));
}

/* A source partition went away: the open windows of its series and its
 * held positions go (whoever reads it next starts from its committed
 * offset and rebuilds them), their order checks start afresh (the replay
 * repeats times already seen), and the revocation goes on downstream. */
static void revoke(tool_winloop *wl, const tsd_control *k)
{
	size_t cap = tsd_ctlq_nkeys(wl->cq);
	int n;

	if (cap > wl->kcap) {
		uint32_t *nk = realloc(wl->keys, cap * sizeof *nk);
		if (!nk)
			tool_die(EXIT_DATA, "out of memory");
		wl->keys = nk;
		wl->kcap = cap;
	}
	n = tsd_ctlq_revoke(wl->cq, k, wl->keys, wl->kcap);
	check(wl, n);
	for (int i = 0; i < n; i++) {
		wl->revoked += tsd_winbuf_drop(wl->wb, wl->keys[i]);
		if (wl->io->r)
			tsd_reader_forget(wl->io->r, wl->keys[i]);
	}
	release(wl);
	tsd_rec r;
	memset(&r, 0, sizeof r);
	r.kind = TSD_REC_CONTROL;
	r.k = *k;
	tool_put(wl->io, &r);
}

int tool_winloop_next(tool_winloop *wl, tsd_win *win, int *partial)
{
	*partial = 0;
	for (;;) {
		if (wl->in_run) {
			/* feed the run until it completes or closes a window */
			const tsd_samples *s = &wl->run.r;
			size_t used;
			int rc = tsd_winbuf_push_run(wl->wb, win, &used, s->series,
						     s->t ? s->t + wl->run_used : NULL,
						     s->t0 + (int64_t)wl->run_used * s->dt, s->dt,
						     s->v + wl->run_used, s->count - wl->run_used);
			wl->last_series = s->series;
			check(wl, rc);
			/* a time window closed by the run's first sample is out
			 * before that sample (which opens the next one) is held;
			 * a count window holds the samples that completed it */
			if (rc == 1 && wl->span)
				tsd_ctlq_done(wl->cq, win->series);
			hold(wl, s->series, used);
			if (rc == 1 && !wl->span)
				tsd_ctlq_done(wl->cq, win->series);
			wl->run_used += used;
			if (wl->run_used == s->count)
				wl->in_run = 0;
			if (rc == 1)
				return 1;
			continue;
		}
		if (wl->ended) {
			int rc = tsd_winbuf_flush(wl->wb, win);
			check(wl, rc);
			if (rc == 0) {
				release(wl);
				return 0;
			}
			tsd_ctlq_done(wl->cq, win->series);
			*partial = 1;
			return 1;
		}
		tsd_rec *r = &wl->run;
		if (!tool_next(wl->io, r)) {
			if (tsd_ctlq_broken(wl->cq))
				tool_die(EXIT_DATA, "the input carried source positions but ended without the "
					 "source's end mark (did the source fail?): open windows not flushed");
			wl->ended = 1;
			continue;
		}
		switch (r->kind) {
		case TSD_REC_SAMPLES:
			wl->in_run = 1;
			wl->run_used = 0;
			break;
		case TSD_REC_SAMPLE: {
			/* one sample: a run of one */
			tsd_rec one = *r;
			r->kind = TSD_REC_SAMPLES;
			r->r.series = one.s.series;
			r->r.count = 1;
			r->r.t = NULL;
			r->r.t0 = one.s.t;
			r->r.dt = 0;
			wl->one.s.v = one.s.v;
			r->r.v = &wl->one.s.v;
			wl->in_run = 1;
			wl->run_used = 0;
			break;
		}
		case TSD_REC_CONTROL:
			if (r->k.what == TSD_CTL_REVOKE) {
				revoke(wl, &r->k);
				break;
			}
			if (r->k.what != TSD_CTL_POSITION) {
				tool_put(wl->io, r); /* not ours: on it goes */
				break;
			}
			check(wl, tsd_ctlq_control(wl->cq, &r->k));
			release(wl);
			break;
		default:
			tool_die(EXIT_DATA, "%s: expected samples, found wavelet coefficients", tool_where(wl->io));
		}
	}
}

void tool_window_arg(size_t *count, int64_t *span, const char *arg)
{
	if (tsd_window_parse(count, span, arg))
		tool_usage_error("-w: '%s' is neither a sample count nor a duration with its unit (e.g. 256, 90s, 5m, 1.5h)", arg);
}

size_t tool_max_window_arg(const char *arg, size_t hi)
{
	return (size_t)tool_long("--max-window", arg, 1, (long)hi);
}
