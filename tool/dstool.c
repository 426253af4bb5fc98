/* dstool.c: option parsing and the window-select-write loop of the
 * downsampler tools; the methods themselves live in lib/downsample.c. */
#include "dstool.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "select.h"

enum { OPT_WHOLE = 3001, OPT_MAXWIN = 3002 };

static const struct option ds_long[] = {
	{ "points", required_argument, 0, 'n' },
	{ "ratio", required_argument, 0, 'r' },
	{ "window", required_argument, 0, 'w' },
	{ "whole", no_argument, 0, OPT_WHOLE },
	{ "max-window", required_argument, 0, OPT_MAXWIN },
};
static const struct option common_long[] = { WINLOOP_LONG, TOOL_COMMON_LONG };

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* getopt_long's table: ours, the method's, the common ones, a zero end.
 * Static storage, so that an exit during parsing leaks nothing. */
static struct option *long_table(const dstool_method *m)
{
	static struct option lo[64];
	size_t nm = 0, k = 0, i;

	while (m->longopts && m->longopts[nm].name)
		nm++;
	if (NELEM(ds_long) + nm + NELEM(common_long) + 1 > NELEM(lo))
		tool_die(EXIT_DATA, "%s: too many options", m->name);
	for (i = 0; i < NELEM(ds_long); i++)
		lo[k++] = ds_long[i];
	for (i = 0; i < nm; i++)
		lo[k++] = m->longopts[i];
	for (i = 0; i < NELEM(common_long); i++)
		lo[k++] = common_long[i];
	return lo;
}

/* Points to ask for in a window of n samples: -n per window; -r from the
 * series' running budget (select.h: round(n / R) over the whole series,
 * the rule thresh --ratio follows), in the method's granule, at least its
 * minimum. */
static size_t target(const dstool_method *m, size_t n, size_t points, double ratio,
		     const tsd_select_run *run)
{
	size_t k;

	if (points)
		return points;
	if (ratio <= 0)
		return 0;
	k = tsd_select_run_next(run, n, ratio);
	k -= k % m->granule;
	return k < m->min_out ? m->min_out : k;
}

static double seconds(int64_t t)
{
	/* exact for whole seconds, which (double)t / 1e9 is not beyond 2^53 ns */
	return (double)(t / 1000000000) + (double)(t % 1000000000) * 1e-9;
}

int dstool_main(const dstool_method *m, int argc, char **argv)
{
	struct option *lo = long_table(m);
	char shortopts[128];
	size_t count = 4096, max = TSD_WINDOW_MAX_DEFAULT, points = 0, cap = 0, i;
	int64_t span = 0;
	double ratio = 0;
	int c, partial;
	static tool_io io;     /* static: reachable at any exit() */
	tool_winloop wl;
	tsd_win win;
	size_t *idx = NULL, nruns = 0;
	double *x = NULL;
	tsd_select_run *runs = NULL; /* (nruns) by series id */

	tool_name = m->name;
	tool_io_init(&io);
	snprintf(shortopts, sizeof shortopts, "n:r:w:hV%s%s", TOOL_COMMON_SHORT,
		 m->shortopts ? m->shortopts : "");
	while ((c = getopt_long(argc, argv, shortopts, lo, NULL)) != -1) {
		if (tool_io_option(&io, c, optarg) || tool_winloop_option(c, optarg))
			continue;
		if (m->option && m->option(c, optarg))
			continue;
		switch (c) {
		case 'n':
			points = (size_t)tool_long("-n", optarg, (long)m->min_out, 1L << 30);
			if (points % m->granule)
				tool_usage_error("-n: %s needs a multiple of %u points, not %zu",
						 m->name, m->granule, points);
			break;
		case 'r':
			ratio = tool_double("-r", optarg);
			if (!(ratio >= 1) || ratio > 1e15)
				tool_usage_error("-r: ratio '%s' must be at least 1", optarg);
			break;
		case 'w':
			if (!strcmp(optarg, "0"))
				count = SIZE_MAX, span = 0;
			else
				tool_window_arg(&count, &span, optarg);
			break;
		case OPT_WHOLE: count = SIZE_MAX, span = 0; break;
		case OPT_MAXWIN: max = tool_max_window_arg(optarg, TSD_WINDOW_MAX_LIMIT); break;
		case 'h':
			tool_help(m->usage);
		default:
			tool_bad_option();
		}
	}
	if (points && ratio > 0)
		tool_usage_error("-n and -r: give one of them");
	if (!points && !(ratio > 0) && !m->count_optional)
		tool_usage_error("give the output size: -n POINTS or -r RATIO");
	if (m->check)
		m->check(points || ratio > 0);
	tool_io_files(&io, argc - optind, argv + optind);
	tool_winloop_init(&wl, &io, count, span, max);
	while (tool_winloop_next(&wl, &win, &partial)) {
		if (win.n > cap) {
			size_t nc = cap ? cap : 256;
			while (nc < win.n)
				nc *= 2;
			free(idx);
			free(x);
			idx = malloc(nc * sizeof *idx);
			x = m->needs_x ? malloc(nc * sizeof *x) : NULL;
			if (!idx || (m->needs_x && !x))
				tool_die(EXIT_DATA, "out of memory");
			cap = nc;
		}
		if (m->needs_x)
			for (i = 0; i < win.n; i++)
				x[i] = seconds(win.t[i]);
		if (win.series >= nruns) {
			size_t nn = (size_t)win.series + 1;
			tsd_select_run *g = realloc(runs, nn * sizeof *runs);
			if (!g)
				tool_die(EXIT_DATA, "out of memory");
			memset(g + nruns, 0, (nn - nruns) * sizeof *g);
			runs = g;
			nruns = nn;
		}
		dstool_call call = {
			.w = &win, .x = x,
			.n_out = target(m, win.n, points, ratio, &runs[win.series]),
			.series = tsd_series_name(io.tab, win.series),
		};
		ptrdiff_t k = m->select(idx, cap, &call);
		if (k == TSD_EORDER)
			tool_die(EXIT_DATA, "%s: series '%s' window %lld: times must increase strictly "
				 "(read with --order drop or strict)", tool_where(&io), call.series, (long long)win.index);
		if (k < 0)
			tool_die(EXIT_DATA, "%s: series '%s' window %lld: %s", tool_where(&io), call.series,
				 (long long)win.index, tool_data_error((int)k));
		tsd_select_run_add(&runs[win.series], win.n, (size_t)k);
		for (i = 0; i < (size_t)k; i++)
			tool_sample(&io, win.series, win.t[idx[i]], win.v[idx[i]]);
		if (win.gap)
			tool_gap(&io, win.series, win.t[win.n - 1], win.gap_to, 0);
		tool_winloop_done(&wl);
	}
	tool_winloop_free(&wl);
	free(idx);
	free(x);
	free(runs);
	tool_finish(&io);
	return 0;
}
