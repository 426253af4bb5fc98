/* paa: Piecewise Aggregate Approximation of every series, window by window. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "ctlq.h"
#include "paa.h"
#include "tool.h"
#include "window.h"

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
TOOL_COMMON_HELP
"\nExit status: 0 success, 1 bad input or write error, 2 usage error.\n";

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "window", required_argument, 0, 'w' }, { "group", required_argument, 0, 'g' },
		{ "no-znorm", no_argument, 0, 'Z' }, { "max-window", required_argument, 0, 2000 },
		TOOL_COMMON_LONG, { 0, 0, 0, 0 },
	};
	size_t count = 256, group = 8, max = 1u << 20, cap = 0;
	int64_t span = 0;
	int znorm = 1, c, rc;
	tool_io io;
	tsd_winbuf *wb;
	tsd_ctlq *cq;
	tsd_win win;
	tsd_rec r;
	double *out = NULL;

	tool_name = "paa";
	tool_io_init(&io);
	while ((c = getopt_long(argc, argv, "w:g:ZhV" TOOL_COMMON_SHORT, lopts, NULL)) != -1) {
		if (tool_io_option(&io, c, optarg))
			continue;
		switch (c) {
		case 'w':
			if (tsd_window_parse(&count, &span, optarg))
				tool_usage_error("-w: '%s' is neither a sample count nor a duration", optarg);
			break;
		case 'g': group = (size_t)tool_long("-g", optarg, 1, 1L << 30); break;
		case 'Z': znorm = 0; break;
		case 2000: max = (size_t)tool_long("--max-window", optarg, 1, 1L << 30); break;
		case 'h':
			fputs(usage, stdout);
			return fclose(stdout) ? EXIT_DATA : 0;
		default:
			fprintf(stderr, "Try 'paa --help' for more information.\n");
			return EXIT_USAGE;
		}
	}
	if (count && group > count)
		tool_usage_error("-g: group %zu is larger than the window %zu", group, count);
	tool_io_files(&io, argc - optind, argv + optind);
	if ((rc = tsd_winbuf_new(&wb, count, span, max)) < 0 || (rc = tsd_ctlq_new(&cq)) < 0)
		tool_die(EXIT_DATA, "%s", tsd_strerror(rc));

	for (;;) {
		int more = tool_next(&io, &r);
		if (more && r.kind != TSD_REC_SAMPLE) {
			if (r.kind == TSD_REC_CONTROL) {
				/* held until the windows of the samples before it are out */
				if ((rc = tsd_ctlq_control(cq, &r.k)) < 0)
					tool_die(EXIT_DATA, "%s", tsd_strerror(rc));
				while (tsd_ctlq_next(cq, &r) == 1)
					tool_put(&io, &r);
			} else
				tool_die(EXIT_DATA, "%s: expected samples, found wavelet coefficients", tool_where(&io));
			continue;
		}
		if (!more && tsd_ctlq_broken(cq))
			tool_die(EXIT_DATA, "the input carried source positions but ended without the source's "
				 "end mark (did the source fail?): open windows not flushed");
		rc = more ? tsd_winbuf_push(wb, &win, r.s.series, r.s.t, r.s.v) : tsd_winbuf_flush(wb, &win);
		if (rc == TSD_ERANGE)
			tool_die(EXIT_DATA, "%s: a window of series '%s' holds more than %zu samples; "
				 "use a shorter -w or raise --max-window", tool_where(&io),
				 tsd_series_name(io.tab, r.s.series), max);
		if (rc < 0)
			tool_die(EXIT_DATA, "%s", tsd_strerror(rc));
		/* positions wait for the windows of the samples before them: a
		 * count window includes the sample that completed it, a time
		 * window is closed by a sample that opens the next one */
		if (more) {
			int hr;
			if (rc == 1 && span)
				tsd_ctlq_done(cq, win.series);
			if ((hr = tsd_ctlq_hold(cq, r.s.series)) < 0)
				tool_die(EXIT_DATA, "%s", tsd_strerror(hr));
			if (rc == 1 && !span)
				tsd_ctlq_done(cq, win.series);
		} else if (rc == 1) {
			tsd_ctlq_done(cq, win.series);
		}
		if (rc == 0) {
			if (!more) {
				while (tsd_ctlq_next(cq, &r) == 1)
					tool_put(&io, &r);
				break;
			}
			continue;
		}
		size_t m = tsd_paa_len(win.n, group);
		if (m > cap) {
			cap = m;
			if (!(out = realloc(out, cap * sizeof *out)))
				tool_die(EXIT_DATA, "out of memory");
		}
		if ((rc = tsd_paa(out, win.v, win.n, group, znorm)) < 0)
			tool_die(EXIT_DATA, "series '%s' window %lld: %s", tsd_series_name(io.tab, win.series),
				 (long long)win.index, tsd_strerror(rc));
		for (size_t i = 0; i < m; i++) {
			size_t a = i * group, b = a + group - 1 < win.n - 1 ? a + group - 1 : win.n - 1;
			int64_t tc = win.t[a] + (win.t[b] - win.t[a]) / 2;
			tool_sample(&io, win.series, tc, out[i]);
		}
		while (tsd_ctlq_next(cq, &r) == 1)
			tool_put(&io, &r);
	}
	tsd_winbuf_free(wb);
	tsd_ctlq_free(cq);
	free(out);
	tool_finish(&io);
	return 0;
}
