/* paa: Piecewise Aggregate Approximation of every series, window by window. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "paa.h"
#include "tool.h"
#include "winloop.h"

static const char usage[] =
"usage: paa [options] [FILE...]\n"
"Cut each series into windows, z-normalise each window (unless -Z), and\n"
"replace each group of samples by its mean, timed at the group's centre.\n"
"\n"
"  -w, --window W         samples per window (256), or a span of event time\n"
"                         aligned on the epoch: 5m, 1h, 1d\n"
"  -g, --group N          samples per output point (default 8)\n"
"  -Z, --no-znorm         average the raw values (keep the input's units)\n"
"      --max-window N     most samples a time window may hold (default 1048576)\n"
WINLOOP_HELP
TOOL_COMMON_HELP
"\nExit status: 0 success, 1 bad input or write error, 2 usage error.\n";

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "window", required_argument, 0, 'w' }, { "group", required_argument, 0, 'g' },
		{ "no-znorm", no_argument, 0, 'Z' }, { "max-window", required_argument, 0, 2000 },
		WINLOOP_LONG, TOOL_COMMON_LONG, { 0, 0, 0, 0 },
	};
	size_t count = 256, group = 8, max = TSD_WINDOW_MAX_DEFAULT, cap = 0;
	int64_t span = 0;
	int znorm = 1, c, rc, partial;
	tool_io io;
	tool_winloop wl;
	tsd_win win;
	double *out = NULL;

	tool_name = "paa";
	tool_io_init(&io);
	while ((c = getopt_long(argc, argv, "w:g:ZhV" TOOL_COMMON_SHORT, lopts, NULL)) != -1) {
		if (tool_io_option(&io, c, optarg) || tool_winloop_option(c, optarg))
			continue;
		switch (c) {
		case 'w':
			tool_window_arg(&count, &span, optarg);
			break;
		case 'g': group = (size_t)tool_long("-g", optarg, 1, 1L << 30); break;
		case 'Z': znorm = 0; break;
		case 2000: max = tool_max_window_arg(optarg, TSD_WINDOW_MAX_LIMIT); break;
		case 'h':
			tool_help(usage);
		default:
			tool_bad_option();
		}
	}
	if (count && group > count)
		tool_usage_error("-g: group %zu is larger than the window %zu", group, count);
	tool_io_files(&io, argc - optind, argv + optind);
	tool_winloop_init(&wl, &io, count, span, max);
	while (tool_winloop_next(&wl, &win, &partial)) {
		size_t m = tsd_paa_len(win.n, group);
		if (m > cap) {
			cap = m;
			if (!(out = realloc(out, cap * sizeof *out)))
				tool_die(EXIT_DATA, "out of memory");
		}
		if ((rc = tsd_paa(out, win.v, win.n, group, znorm)) < 0)
			tool_die(EXIT_DATA, "%s: series '%s' window %lld: %s", tool_where(&io),
				 tsd_series_name(io.tab, win.series), (long long)win.index, tool_data_error(rc));
		for (size_t i = 0; i < m; i++) {
			size_t a = i * group, b = a + group - 1 < win.n - 1 ? a + group - 1 : win.n - 1;
			int64_t tc = win.t[a] + (int64_t)(((uint64_t)win.t[b] - (uint64_t)win.t[a]) / 2); /* no overflow: t[b] >= t[a] */
			tool_sample(&io, win.series, tc, out[i]);
		}
		if (win.gap)
			tool_gap(&io, win.series, win.t[win.n - 1], win.gap_to, 0);
		tool_winloop_done(&wl);
	}
	tool_winloop_free(&wl);
	free(out);
	tool_finish(&io);
	return 0;
}
