/* winloop.c: windows and held-back source positions for windowing tools. */
#include "winloop.h"

#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static struct {
	int64_t gap;          /* > 0 fixed, 0 auto, < 0 off */
	int64_t lateness;
	const char *late;
} wopt;

int tool_winloop_option(int opt, const char *arg)
{
	switch (opt) {
	case WINOPT_GAP:
		if (!strcmp(arg, "off"))
			wopt.gap = -1;
		else if (!strcmp(arg, "auto"))
			wopt.gap = 0;
		else
			wopt.gap = tool_duration("--gap", arg);
		return 1;
	case WINOPT_LATENESS:
		wopt.lateness = tool_duration("--lateness", arg);
		return 1;
	case WINOPT_LATE:
		if (!*arg)
			tool_usage_error("--late: empty file name");
		wopt.late = arg;
		return 1;
	}
	return 0;
}

static void *grow_ring(void *buf, size_t *cap, size_t *head, size_t len, size_t sz)
{
	size_t nc = *cap ? *cap * 2 : 16;
	unsigned char *nb = malloc(nc * sz), *ob = buf;

	if (!nb)
		tool_die(EXIT_DATA, "out of memory");
	for (size_t i = 0; i < len; i++)
		memcpy(nb + i * sz, ob + ((*head + i) % *cap) * sz, sz);
	free(buf);
	*cap = nc;
	*head = 0;
	return nb;
}

void tool_winloop_init(tool_winloop *wl, tool_io *io, size_t count, int64_t span, size_t max)
{
	int rc;

	memset(wl, 0, sizeof *wl);
	wl->io = io;
	wl->count = count;
	wl->span = span;
	wl->max = max;
	io->in.runs = 1;
	io->in.gaps = 1; /* a gap marker in the input closes the open window */
	if ((rc = tsd_winbuf_new(&wl->wb, count, span, max)) < 0 || (rc = tsd_ctlq_new(&wl->cq)) < 0)
		tool_die(EXIT_DATA, "%s", tsd_strerror(rc));
	tsd_winbuf_set_gap(wl->wb, wopt.gap);
	if (wopt.lateness || wopt.late) {
		/* the lateness buffer sorts: the reader keeps every sample */
		io->in.order = TSD_ORDER_ANY;
		if ((rc = tsd_reorder_new(&wl->ro, wopt.lateness)) < 0)
			tool_die(EXIT_DATA, "%s", tsd_strerror(rc));
		wl->pcap = 16;
		if (!(wl->pend = calloc(wl->pcap, sizeof *wl->pend)))
			tool_die(EXIT_DATA, "out of memory");
	}
	if (wopt.late) {
		tsd_writer_opts o;
		int fd = open(wopt.late, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
		if (fd < 0)
			tool_die(EXIT_DATA, "%s:", wopt.late);
		tsd_writer_defaults(&o);
		o.style.shape = TSD_SHAPE_LONG;
		o.tab = io->tab;
		if ((rc = tsd_writer_open(&wl->late, fd, &o)) < 0)
			tool_die(EXIT_DATA, "%s", tsd_strerror(rc));
	}
}

static void close_late(tool_winloop *wl)
{
	char list[512];
	size_t k = 0, shown = 0;

	if (wl->late) {
		if (tsd_writer_flush(wl->late) < 0)
			tool_die(EXIT_DATA, "%s: %s", wopt.late, tsd_writer_errmsg(wl->late));
		if (tsd_writer_close(wl->late) < 0)
			tool_die(EXIT_DATA, "%s: write error", wopt.late);
		wl->late = NULL;
	}
	if (!wl->late_total)
		return;
	list[0] = 0;
	for (size_t i = 0; i < wl->nlate_n && k < sizeof list - 80; i++) {
		if (!wl->nlate[i])
			continue;
		if (shown++ == 8) {
			k += (size_t)snprintf(list + k, sizeof list - k, ", ...");
			break;
		}
		k += (size_t)snprintf(list + k, sizeof list - k, "%s'%.40s' %llu", k ? ", " : "",
				      tsd_series_name(wl->io->tab, (uint32_t)i), (unsigned long long)wl->nlate[i]);
	}
	tool_warn("%llu sample%s later than the lateness bound (per series: %s)%s%s",
		  (unsigned long long)wl->late_total, wl->late_total == 1 ? "" : "s", list,
		  wopt.late ? " written to " : " dropped (see --late)", wopt.late ? wopt.late : "");
}

void tool_winloop_free(tool_winloop *wl)
{
	close_late(wl);
	free(wl->keys);
	tsd_winbuf_free(wl->wb);
	tsd_ctlq_free(wl->cq);
	tsd_reorder_free(wl->ro);
	free(wl->pend);
	for (size_t i = 0; i < wl->qlen; i++)
		free(wl->pq[(wl->qhead + i) % wl->qcap].topic);
	free(wl->pq);
	free(wl->nlate);
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

/* The first gap marker (NaN value) of a run from i, or its end. */
static size_t next_gap(const tsd_samples *s, size_t i)
{
	return i + tsd_first_nan(s->v + i, s->count - i);
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

/* A sample later than the bound: counted, and written to --late FILE. */
static void late(tool_winloop *wl, uint32_t series, int64_t t, double v)
{
	if (isnan(v))
		return; /* a late gap marker says nothing */
	if (series >= wl->nlate_n && tsd_grow(&wl->nlate, &wl->nlate_n, (size_t)series + 1, sizeof *wl->nlate) < 0)
		tool_die(EXIT_DATA, "out of memory");
	wl->nlate[series]++;
	wl->late_total++;
	if (wl->late && tsd_writer_sample(wl->late, series, t, v) < 0)
		tool_die(EXIT_DATA, "%s: %s", wopt.late, tsd_writer_errmsg(wl->late));
}

/* Positions whose samples have all left the lateness buffer go on to the
 * position queue (all: every one, at the end of input). */
static void pass_positions(tool_winloop *wl, int all)
{
	while (wl->qlen) {
		tool_heldpos *p = &wl->pq[wl->qhead];
		if (!all && p->epoch >= wl->base)
			break;
		if (p->k.what == TSD_CTL_REVOKE)
			revoke(wl, &p->k);
		else
			check(wl, tsd_ctlq_control(wl->cq, &p->k));
		free(p->topic);
		wl->qhead = (wl->qhead + 1) % wl->qcap;
		wl->qlen--;
	}
	release(wl);
}

static void drained_none(tool_winloop *wl)
{
	while (wl->base < wl->epoch && wl->pend[wl->phead] == 0) {
		wl->phead = (wl->phead + 1) % wl->pcap;
		wl->base++;
	}
	pass_positions(wl, 0);
}

/* A sample of epoch tag left the lateness buffer. */
static void drained(tool_winloop *wl, uint64_t tag)
{
	wl->pend[(wl->phead + (tag - wl->base)) % wl->pcap]--;
	drained_none(wl);
}

/* Into the lateness buffer: a run of samples just read. */
static void hold_back(tool_winloop *wl, const tsd_samples *s)
{
	uint64_t n = 0;

	for (uint32_t i = 0; i < s->count; i++) {
		int64_t t = s->t ? s->t[i] : s->t0 + (int64_t)i * s->dt;
		int rc = tsd_reorder_push(wl->ro, s->series, t, s->v[i], wl->epoch);
		check(wl, rc);
		if (rc == 1)
			late(wl, s->series, t, s->v[i]);
		else
			n++;
	}
	wl->pend[(wl->phead + (wl->epoch - wl->base)) % wl->pcap] += n;
	wl->rel = s->series;
	wl->releasing = 1;
}

/* A position read: it waits until the samples read before it have left
 * the lateness buffer. */
static void hold_position(tool_winloop *wl, const tsd_control *k)
{
	tool_heldpos *p;
	char *topic = malloc((size_t)k->topic_len + 1);

	if (!topic)
		tool_die(EXIT_DATA, "out of memory");
	memcpy(topic, k->topic, k->topic_len);
	topic[k->topic_len] = 0;
	wl->pos_seen = 1;
	wl->end_seen |= tsd_ctl_is_end(k);
	if (wl->qlen == wl->qcap)
		wl->pq = grow_ring(wl->pq, &wl->qcap, &wl->qhead, wl->qlen, sizeof *wl->pq);
	p = &wl->pq[(wl->qhead + wl->qlen++) % wl->qcap];
	p->epoch = wl->epoch;
	p->k = *k;
	p->k.topic = topic;
	p->topic = topic;
	/* a new epoch: samples read from now on come after this position */
	if (wl->epoch - wl->base + 1 == wl->pcap)
		wl->pend = grow_ring(wl->pend, &wl->pcap, &wl->phead, (size_t)(wl->epoch - wl->base + 1), sizeof *wl->pend);
	wl->epoch++;
	wl->pend[(wl->phead + (wl->epoch - wl->base)) % wl->pcap] = 0;
	drained_none(wl);
}

int tool_winloop_next(tool_winloop *wl, tsd_win *win, int *partial)
{
	*partial = 0;
	for (;;) {
		if (wl->in_run && wl->run_used == wl->run_end) {
			/* a gap marker: the series' open window closes */
			const tsd_samples *s = &wl->run.r;
			if (wl->run_used == s->count) {
				wl->in_run = 0;
				continue;
			}
			int64_t t = s->t ? s->t[wl->run_used] : s->t0 + (int64_t)wl->run_used * s->dt;
			wl->run_used++;
			wl->run_end = next_gap(s, wl->run_used);
			int rc = tsd_winbuf_break(wl->wb, win, s->series, t);
			check(wl, rc);
			if (rc == 1) {
				tsd_ctlq_done(wl->cq, win->series);
				return 1;
			}
			continue;
		}
		if (wl->in_run) {
			/* feed the run until it completes or closes a window */
			const tsd_samples *s = &wl->run.r;
			size_t used;
			int rc = tsd_winbuf_push_run(wl->wb, win, &used, s->series,
						     s->t ? s->t + wl->run_used : NULL,
						     s->t0 + (int64_t)wl->run_used * s->dt, s->dt,
						     s->v + wl->run_used, wl->run_end - wl->run_used);
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
			if (rc == 1)
				return 1;
			continue;
		}
		if (wl->releasing) {
			/* held samples whose time has come, one at a time, each as
			 * a run of one (a gap marker: an empty run) */
			int64_t t;
			double v;
			uint64_t tag;
			int rc = tsd_reorder_pop(wl->ro, wl->rel, wl->ended, &t, &v, &tag);
			if (rc == 0) {
				wl->releasing = 0;
				if (wl->ended) {
					/* the end of input: every series, in turn */
					if (++wl->rel < tsd_reorder_nseries(wl->ro))
						wl->releasing = 1;
					else
						pass_positions(wl, 1);
				}
				continue;
			}
			drained(wl, tag);
			if (rc == 2) {
				late(wl, wl->rel, t, v);
				continue;
			}
			tsd_rec *r = &wl->run;
			r->kind = TSD_REC_SAMPLES;
			r->r.series = wl->rel;
			r->r.count = 1;
			r->r.t = NULL;
			r->r.t0 = t;
			r->r.dt = 0;
			wl->one.s.v = v;
			r->r.v = &wl->one.s.v;
			wl->in_run = 1;
			wl->run_used = 0;
			wl->run_end = next_gap(&r->r, 0);
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
			if (wl->ro ? wl->pos_seen && !wl->end_seen : tsd_ctlq_broken(wl->cq))
				tool_die(EXIT_DATA, "the input carried source positions but ended without the "
					 "source's end mark (did the source fail?): open windows not flushed");
			wl->ended = 1;
			if (wl->ro) {
				wl->rel = 0;
				wl->releasing = tsd_reorder_nseries(wl->ro) > 0;
				if (!wl->releasing)
					pass_positions(wl, 1);
			}
			continue;
		}
		if (wl->ro && (r->kind == TSD_REC_SAMPLES || r->kind == TSD_REC_SAMPLE)) {
			if (r->kind == TSD_REC_SAMPLE) {
				tsd_samples one = { .series = r->s.series, .count = 1, .t0 = r->s.t, .v = &r->s.v };
				hold_back(wl, &one);
			} else {
				hold_back(wl, &r->r);
			}
			continue;
		}
		if (wl->ro && r->kind == TSD_REC_CONTROL &&
		    (r->k.what == TSD_CTL_POSITION || r->k.what == TSD_CTL_REVOKE)) {
			hold_position(wl, &r->k);
			continue;
		}
		switch (r->kind) {
		case TSD_REC_SAMPLES:
			wl->in_run = 1;
			wl->run_used = 0;
			wl->run_end = next_gap(&r->r, 0);
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
			wl->run_end = next_gap(&r->r, 0);
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
