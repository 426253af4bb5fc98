/* coefloop.c: complete coefficient windows per series, for tools. */
#include "coefloop.h"
#include "winloop.h"

#include <stdlib.h>
#include <string.h>

static size_t opt_max_window = TSD_WINDOW_MAX_DEFAULT, opt_max_mb = 1024;

int tool_coefloop_option(int opt, const char *arg)
{
	switch (opt) {
	case 1101:
		opt_max_window = tool_max_window_arg(arg, TSD_COEFWIN_MAXN);
		return 1;
	case 1102:
		opt_max_mb = (size_t)tool_long("--max-memory", arg, 1, 1L << 20);
		return 1;
	}
	return 0;
}

void tool_coefloop_init(tool_coefloop *cl, tool_io *io)
{
	memset(cl, 0, sizeof *cl);
	cl->io = io;
	cl->max_window = opt_max_window;
	cl->max_bytes = opt_max_mb << 20;
}

/* Small buffers stay with their series for the next window; large ones
 * go as soon as the tool is done with the window. */
#define KEEP_BYTES (256u << 10)

void tool_coefloop_free(tool_coefloop *cl)
{
	for (size_t i = 0; i < cl->nwin; i++)
		tsd_coefwin_free(&cl->win[i]);
	free(cl->win);
	cl->win = NULL;
	cl->nwin = 0;
}

static size_t open_count(const tool_coefloop *cl)
{
	size_t k = 0;

	for (size_t i = 0; i < cl->nwin; i++)
		k += cl->win[i].open;
	return k;
}

static tsd_coefwin *series_win(tool_coefloop *cl, uint32_t s)
{
	if (s >= cl->nwin) {
		size_t nn = cl->nwin ? cl->nwin : 16;
		while (nn <= s)
			nn *= 2;
		tsd_coefwin *n2 = realloc(cl->win, nn * sizeof *n2);
		if (!n2)
			tool_die(EXIT_DATA, "out of memory");
		for (size_t i = cl->nwin; i < nn; i++)
			tsd_coefwin_init(&n2[i]);
		cl->win = n2;
		cl->nwin = nn;
	}
	return &cl->win[s];
}

int tool_coefloop_next(tool_coefloop *cl, tsd_coefwin **out)
{
	tool_io *io = cl->io;
	char err[256];
	tsd_rec r;

	if (cl->last) {
		size_t before = tsd_coefwin_bytes(cl->last);
		tsd_coefwin_trim(cl->last, KEEP_BYTES);
		cl->held -= before - tsd_coefwin_bytes(cl->last);
		cl->last = NULL;
	}
	while (tool_next(io, &r)) {
		tsd_coefwin *cw;
		uint32_t s;
		int64_t wno;
		int rc;

		switch (r.kind) {
		case TSD_REC_CONTROL:
			if (cl->ctl)
				cl->ctl(&r, cl->ctl_arg);
			else
				tool_put(io, &r);
			continue;
		case TSD_REC_SAMPLE:
		case TSD_REC_SAMPLES:
			tool_die(EXIT_DATA, "%s: expected wavelet coefficients (dwt output), found samples",
				 tool_where(io));
		case TSD_REC_WINDOW: s = r.w.series; wno = r.w.window; break;
		case TSD_REC_TIMES: s = r.ts.series; wno = r.ts.window; break;
		case TSD_REC_COEF: s = r.c.series; wno = r.c.window; break;
		default: s = r.e.series; wno = r.e.window; break;
		}
		cw = series_win(cl, s);
		if (r.kind == TSD_REC_WINDOW && r.w.n > cl->max_window)
			tool_die(EXIT_DATA, "%s: series '%s' window %lld: %u samples, more than --max-window %zu",
				 tool_where(io), tsd_series_name(io->tab, s), (long long)wno, r.w.n, cl->max_window);
		size_t before = tsd_coefwin_bytes(cw);
		if (r.kind == TSD_REC_END && cw->open &&
		    cl->held - before + cw->m * (sizeof *cw->c + sizeof *cw->score + 1) + cw->n * sizeof *cw->t > cl->max_bytes)
			tool_die(EXIT_DATA, "%s: series '%s' window %lld: %zu samples need more than --max-memory %zu MB",
				 tool_where(io), tsd_series_name(io->tab, s), (long long)wno, cw->n, cl->max_bytes >> 20);
		rc = r.kind == TSD_REC_WINDOW ? tsd_coefwin_begin(cw, &r.w, err, sizeof err) :
		     r.kind == TSD_REC_TIMES ? tsd_coefwin_times(cw, &r.ts, err, sizeof err) :
		     r.kind == TSD_REC_COEF ? tsd_coefwin_add(cw, &r.c, err, sizeof err) :
		     tsd_coefwin_end(cw, err, sizeof err);
		if (rc < 0)
			tool_die(EXIT_DATA, "%s: series '%s' window %lld: %s", tool_where(io),
				 tsd_series_name(io->tab, s), (long long)wno, err);
		cl->held += tsd_coefwin_bytes(cw) - before;
		if (cl->held > cl->max_bytes)
			tool_die(EXIT_DATA, "%s: series '%s' window %lld: the open windows of %zu series hold "
				 "more than --max-memory %zu MB", tool_where(io), tsd_series_name(io->tab, s),
				 (long long)wno, open_count(cl), cl->max_bytes >> 20);
		if (r.kind == TSD_REC_END) {
			/* the range of the window's samples arrives with its END */
			cw->hdr.has_range = r.e.has_range;
			cw->hdr.lo = r.e.lo;
			cw->hdr.hi = r.e.hi;
			*out = cl->last = cw;
			return 1;
		}
	}
	for (size_t i = 0; i < cl->nwin; i++)
		if (cl->win[i].open)
			tool_die(EXIT_DATA, "%s: series '%s' window %lld: input ends inside the window (no END)",
				 strcmp(io->files[io->nfiles - 1], "-") ? io->files[io->nfiles - 1] : "<stdin>",
				 tsd_series_name(io->tab, (uint32_t)i), (long long)cl->win[i].hdr.window);
	return 0;
}

void tool_put_coefs(tool_io *io, const tsd_window *hdr, const int64_t *t, const double *c,
		    const float *sc, const unsigned char *keep, const size_t *off, unsigned J,
		    unsigned cflags)
{
	tsd_rec o;

	memset(&o, 0, sizeof o);
	o.kind = TSD_REC_WINDOW;
	o.w = *hdr;
	tool_put(io, &o);
	if (hdr->flags & TSD_WIN_IRREGULAR) {
		memset(&o, 0, sizeof o);
		o.kind = TSD_REC_TIMES;
		o.ts.series = hdr->series;
		o.ts.window = hdr->window;
		o.ts.count = hdr->n;
		o.ts.t = t;
		tool_put(io, &o);
	}
	for (unsigned b = 0; b <= J; b++) {
		size_t i = off[b], e = off[b + 1], j;
		while (i < e) {
			if (keep && !keep[i]) {
				i++;
				continue;
			}
			if (!keep)
				j = e;
			else
				for (j = i + 1; j < e && keep[j]; j++)
					;
			memset(&o, 0, sizeof o);
			o.kind = TSD_REC_COEF;
			o.c.series = hdr->series;
			o.c.window = hdr->window;
			o.c.kind = b ? TSD_COEF_D : TSD_COEF_A;
			o.c.level = (uint8_t)(b ? J + 1 - b : J);
			o.c.flags = (uint8_t)cflags;
			o.c.start = (uint32_t)(i - off[b]);
			o.c.count = (uint32_t)(j - i);
			o.c.v = c + i;
			o.c.score = sc ? sc + i : NULL;
			tool_put(io, &o);
			i = j;
		}
	}
	memset(&o, 0, sizeof o);
	o.kind = TSD_REC_END;
	o.e.series = hdr->series;
	o.e.window = hdr->window;
	o.e.has_range = hdr->has_range;
	o.e.lo = hdr->lo;
	o.e.hi = hdr->hi;
	tool_put(io, &o);
}
