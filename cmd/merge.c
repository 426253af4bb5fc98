/* merge: inverse wavelet transform of a coefficient stream, window by
 * window, into the reduced series (default) or the full-rate series. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "carry.h"
#include "coefwin.h"
#include "frame.h"
#include "reduce.h"
#include "select.h"
#include "coefloop.h"
#include "tool.h"

static const char usage[] =
"usage: merge [options] [FILE...]\n"
"Invert the wavelet transform of each window of a coefficient stream (dwt,\n"
"thresh or tscore output). By default write the reduced series: one point\n"
"per 2^J samples, plus one per kept detail coefficient, placed where the\n"
"reconstruction departs most from the line through the others; with\n"
"--full, the reconstruction at every original time. Every value stays within\n"
"the range of its window's original samples (dwt sends it with the window).\n"
"\n"
"  -F, --full             full-rate reconstruction at the original times\n"
"      --values V         values of the reduced series' points: fit (default),\n"
"                         least squares: the straight lines between the points\n"
"                         follow the reconstruction with the least squared\n"
"                         error, joined across windows, each value within the\n"
"                         range of the samples it stands for; or sample, the\n"
"                         reconstruction at each point's time\n"
"      --no-clamp         leave the reconstruction unclamped (the exact inverse\n"
"                         transform, e.g. to check Parseval with --full)\n"
"      --score S          in windows that carry scores and were not through\n"
"                         thresh, keep details scored S or more (default 0.5)\n"
TOOL_COEFLOOP_HELP
TOOL_COMMON_HELP
"\nThe output has the shape of dwt's input: time,value for one series, long\n"
"(series,time,value) for several; binary when the input is binary (-o csv).\n"
"Deprecated, for this release only: -s for --score (see tsdown(7)).\n"
"\nExit status: 0 success, 1 bad input or write error, 2 usage error.\n";

/* What a series carries from one window to the next for the fit: its
 * last point written and the reconstruction's samples after it. */
typedef struct {
	int have;
	int64_t tl;
	double vl;
	size_t nt, cap;
	int64_t *t;
	double *y;
} fitstate;

/* The fit states by series, saved before positions and loaded after a seek
 * (tool/carry.h). */
typedef struct {
	fitstate *fs;
	size_t n;
} fittab;

static fitstate *fit_of(fittab *ft, uint32_t s)
{
	if (s >= ft->n && tsd_grow(&ft->fs, &ft->n, (size_t)s + 1, sizeof *ft->fs) < 0)
		tool_die(EXIT_DATA, "out of memory");
	return &ft->fs[s];
}

static void fit_room(fitstate *st, size_t n)
{
	if (n <= st->cap)
		return;
	int64_t *t = realloc(st->t, n * sizeof *t);
	double *y = t ? realloc(st->y, n * sizeof *y) : NULL;
	if (t)
		st->t = t;
	if (!t || !y)
		tool_die(EXIT_DATA, "out of memory");
	st->y = y;
	st->cap = n;
}

static int fit_save(uint32_t s, char *buf, size_t cap, void *arg)
{
	fitstate *st = fit_of(arg, s);
	return tsd_reduce_carry_save(buf, cap, st->have, st->tl, st->vl, st->have ? st->nt : 0, st->t, st->y);
}

static int fit_load(uint32_t s, const char *text, size_t n, void *arg)
{
	fitstate *st = fit_of(arg, s);
	fit_room(st, n / 4 + 1);
	return tsd_reduce_carry_load(text, n, &st->have, &st->tl, &st->vl, &st->nt, st->t, st->y, st->cap) < 0 ? -1 : 0;
}

static void fit_reset(void *arg)
{
	fittab *ft = arg;
	for (size_t i = 0; i < ft->n; i++)
		ft->fs[i].have = 0, ft->fs[i].nt = 0;
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "full", no_argument, 0, 'F' }, { "score", required_argument, 0, 2002 },
		{ "no-clamp", no_argument, 0, 2003 },
		{ "values", required_argument, 0, 2001 }, TOOL_COMMON_LONG, TOOL_COEFLOOP_LONG, { 0, 0, 0, 0 },
	};
	int c, rc, full = 0, fit = 1, noclamp = 0;
	fittab ft = { 0 };
	tool_carry cy;
	size_t tcap = 0, vcap = 0, fwcap = 0;
	int64_t *tt = NULL;
	double *yy = NULL, *vals = NULL, *fwork = NULL;
	double sthr = 0.5;
	double *cbuf = NULL, *y = NULL, *work = NULL;
	unsigned char *keep = NULL, *mark = NULL;
	size_t *idx = NULL, ycap2 = 0, ccap = 0, ycap = 0, wcap = 0, kcap = 0, mcap = 0, icap = 0;
	tool_coefloop cl;
	tsd_coefwin *cw;
	tool_io io;

	tool_name = "merge";
	tool_io_init(&io);
	while ((c = getopt_long(argc, argv, "Fs:hV" TOOL_COMMON_SHORT, lopts, NULL)) != -1) {
		if (tool_io_option(&io, c, optarg) || tool_coefloop_option(c, optarg))
			continue;
		switch (c) {
		case 'F': full = 1; break;
		case 2003: noclamp = 1; break;
		case 's':
			tool_deprecated("-s", "--score");
			/* fallthrough */
		case 2002:
			sthr = tool_double("--score", optarg);
			if (!(sthr >= 0 && sthr <= 1))
				tool_usage_error("--score: '%s' out of range 0..1", optarg);
			break;
		case 2001:
			if (!strcmp(optarg, "fit"))
				fit = 1;
			else if (!strcmp(optarg, "sample"))
				fit = 0;
			else
				tool_usage_error("--values: '%s' is not fit or sample", optarg);
			break;
		case 'h':
			tool_help(usage);
		default:
			tool_bad_option();
		}
	}
	tool_io_files(&io, argc - optind, argv + optind);

	tool_coefloop_init(&cl, &io);
	if (fit && !full) {
		tool_carry_init(&cy, &io, "merge", fit_save, fit_load, fit_reset, &ft);
		cl.ctl = tool_carry_ctl;
		cl.ctl_arg = &cy;
	}
	while (tool_coefloop_next(&cl, &cw)) {
		uint32_t s = cw->hdr.series;
		int64_t wno = cw->hdr.window;
		int gap = cw->hdr.flags & TSD_WIN_GAP; /* an outage after this window */
		/* where the next sample was due: one mean sampling step on */
		int64_t step = cw->n > 1 ? (int64_t)(((uint64_t)cw->t[cw->n - 1] - (uint64_t)cw->t[0]) /
						     (uint64_t)(cw->n - 1)) : 0; /* times increase: no overflow */

		/* which coefficients take part */
		size_t m = cw->m, n = cw->n, kept = 0, i;
		const double *coefs = cw->c;
		keep = tool_grow(keep, &kcap, m, 1);
		if (cw->hdr.flags & TSD_WIN_SELECTED)
			memcpy(keep, cw->have, m);
		else if (cw->scored)
			tsd_select_score(keep, cw->score, NULL, m, sthr);
		else
			memset(keep, 1, m);
		memset(keep, 1, cw->lens[0]);
		if ((cw->hdr.flags & TSD_WIN_SELECTED) || cw->scored) {
			cbuf = tool_grow(cbuf, &ccap, m, sizeof *cbuf);
			for (i = 0; i < m; i++) {
				cbuf[i] = keep[i] ? cw->c[i] : 0;
				kept += keep[i];
			}
			kept -= cw->lens[0];
			coefs = cbuf;
		} else {
			kept = m - cw->lens[0]; /* every one: the window as it came */
		}
		size_t wl = tsd_coefwin_work_len(n, cw->J, cw->w, cw->mode);
		work = tool_grow(work, &wcap, wl ? wl : 1, sizeof *work);
		y = tool_grow(y, &ycap, n, sizeof *y);
		if ((rc = tsd_coefwin_reconstruct(y, n, coefs, work, cw->J, cw->w, cw->mode)) < 0)
			tool_die(EXIT_DATA, "%s: series '%s' window %lld: %s", tool_where(&io),
				 tsd_series_name(io.tab, s), (long long)wno, tsd_strerror(rc));
		if (cw->hdr.has_range && !noclamp) /* never outside the samples' range */
			tsd_reduce_clamp(y, n, cw->hdr.lo, cw->hdr.hi);
		if (full) {
			tsd_rec out = { .kind = TSD_REC_SAMPLES };
			out.r.series = s;
			out.r.count = (uint32_t)n;
			out.r.t = cw->t;
			out.r.v = y;
			/* evenly spaced times go as t0 and dt: the writer need not
			 * find that out again (it would from three samples on, in
			 * runs of at most TSD_FRAME_MAXRUN: the same frames) */
			if (!(cw->hdr.flags & TSD_WIN_IRREGULAR) && n >= 3 && n <= TSD_FRAME_MAXRUN &&
			    tsd_coefwin_step(cw->hdr.t_first, cw->hdr.t_last, n, &out.r.dt)) {
				out.r.t = NULL;
				out.r.t0 = cw->hdr.t_first;
			}
			tool_put(&io, &out);
			if (gap)
				tool_gap(&io, s, cw->t[n - 1], 0, step);
			continue;
		}
		idx = tool_grow(idx, &icap, tsd_reduce_len(n, cw->J, kept), sizeof *idx);
		mark = tool_grow(mark, &mcap, n, 1);
		rc = tsd_reduce(idx, mark, y, n, keep, cw->lens, cw->J, cw->w, cw->mode);
		if (rc < 0)
			tool_die(EXIT_DATA, "%s: series '%s' window %lld: %s", tool_where(&io),
				 tsd_series_name(io.tab, s), (long long)wno, tsd_strerror(rc));
		size_t p = (size_t)rc;
		if (!fit) {
			for (i = 0; i < p; i++)
				tool_sample(&io, s, cw->t[idx[i]], y[idx[i]]);
			if (gap)
				tool_gap(&io, s, cw->t[n - 1], 0, step);
			continue;
		}
		/* the fit: the samples after the series' last point, then this window */
		if (tool_carry_skip(&cy, s, cw->hdr.t_first))
			continue; /* a replay of what the loaded state covers: written already */
		fitstate *st = fit_of(&ft, s);
		tool_carry_touch(&cy, s, cw->hdr.t_last);
		if (st->have && (st->nt ? st->t[st->nt - 1] : st->tl) >= cw->t[0])
			st->have = 0, st->nt = 0; /* not after the last window: start afresh */
		size_t nt = st->have ? st->nt : 0, N = nt + n;
		tt = tool_grow(tt, &tcap, N, sizeof *tt);
		yy = tool_grow(yy, &ycap2, N, sizeof *yy);
		if (nt) { /* st->t is NULL before a series' first window */
			memcpy(tt, st->t, nt * sizeof *tt);
			memcpy(yy, st->y, nt * sizeof *yy);
		}
		memcpy(tt + nt, cw->t, n * sizeof *tt);
		memcpy(yy + nt, y, n * sizeof *yy);
		for (i = 0; i < p; i++)
			idx[i] += nt;
		vals = tool_grow(vals, &vcap, p, sizeof *vals);
		fwork = tool_grow(fwork, &fwcap, 3 * p, sizeof *fwork);
		rc = tsd_reduce_fit(vals, fwork, tt, yy, N, idx, p, st->have, st->tl, st->vl);
		if (rc < 0)
			tool_die(EXIT_DATA, "%s: series '%s' window %lld: %s", tool_where(&io),
				 tsd_series_name(io.tab, s), (long long)wno, tsd_strerror(rc));
		for (i = 0; i < p; i++)
			tool_sample(&io, s, tt[idx[i]], vals[i]);
		/* carry the last point and the samples after it */
		size_t last = idx[p - 1], rest = N - last - 1;
		st->have = 1;
		st->tl = tt[last];
		st->vl = vals[p - 1];
		fit_room(st, rest);
		if (rest) {
			memcpy(st->t, tt + last + 1, rest * sizeof *tt);
			memcpy(st->y, yy + last + 1, rest * sizeof *yy);
		}
		st->nt = rest;
		if (gap) {
			/* no line across the outage: the next window starts afresh */
			st->have = 0, st->nt = 0;
			tool_gap(&io, s, cw->t[n - 1], 0, step);
		}
	}
	tool_coefloop_free(&cl);
	free(cbuf);
	free(y);
	free(work);
	free(keep);
	free(mark);
	free(idx);
	for (size_t k = 0; k < ft.n; k++) {
		free(ft.fs[k].t);
		free(ft.fs[k].y);
	}
	free(ft.fs);
	if (fit && !full)
		tool_carry_free(&cy);
	free(tt);
	free(yy);
	free(vals);
	free(fwork);
	tool_finish(&io);
	return 0;
}
