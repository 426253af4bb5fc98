/* dwt: multilevel discrete wavelet transform of every series, window by
 * window, into a stream of coefficient records (WINDOW, TIMES, COEF, END). */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "coefwin.h"
#include "coefloop.h"
#include "reduce.h"
#include "tool.h"
#include "winloop.h"

static const char usage[] =
"usage: dwt [options] [FILE...]\n"
"Cut each series into windows and replace each window by its multilevel\n"
"discrete wavelet transform: the approximation at level J and the details\n"
"of levels J..1, as PyWavelets' wavedec computes them.\n"
"\n"
"  -W, --wavelet NAME     haar, db1-db20, sym2-sym20, coif1-coif5 (default db4)\n"
"  -m, --mode MODE        boundary extension: symmetric (default), periodization,\n"
"                         zero, constant, reflect, periodic, smooth,\n"
"                         antisymmetric, antireflect\n"
"  -J, --levels J         decomposition levels (default 4; see -r)\n"
"  -r, --ratio R          without -J: the levels for a reduction by R\n"
"                         (thresh --ratio R | merge): each window gets the\n"
"                         deepest level its length allows, so the coarse\n"
"                         grid (a point per 2^J samples) leaves the details\n"
"                         room; said on stderr when 2^J is not above R\n"
"  -w, --window W         samples per window (256; with -r and no -J, 1024 or\n"
"                         enough for 2^J >= 2R), or a span of event time\n"
"                         aligned on the epoch: 5m, 1h, 1d\n"
"      --max-window N     most samples a time window may hold (default 1048576)\n"
"      --list             list the wavelets and modes, and exit\n"
WINLOOP_HELP
TOOL_COMMON_HELP
"\nExit status: 0 success, 1 bad input or write error, 2 usage error.\n";

static void list(void)
{
	size_t i;

	for (i = 0; i < tsd_wavelet_count(); i++) {
		const tsd_wavelet *w = tsd_wavelet_at(i);
		printf("wavelet %s %u\n", w->name, w->len);
	}
	for (i = 0; i < TSD_MODE_COUNT; i++)
		printf("mode %s\n", tsd_mode_name((enum tsd_mode)i));
	if (fclose(stdout))
		tool_die(EXIT_DATA, "write error:");
	exit(0);
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "wavelet", required_argument, 0, 'W' }, { "mode", required_argument, 0, 'm' },
		{ "levels", required_argument, 0, 'J' }, { "window", required_argument, 0, 'w' },
		{ "ratio", required_argument, 0, 'r' },
		{ "max-window", required_argument, 0, 2000 }, { "list", no_argument, 0, 2001 },
		WINLOOP_LONG, TOOL_COMMON_LONG, { 0, 0, 0, 0 },
	};
	size_t count = 256, max = TSD_WINDOW_MAX_DEFAULT, ccap = 0, wcap = 0;
	int64_t span = 0;
	unsigned J = 4;
	int J_set = 0, w_set = 0;
	double ratio = 0;
	size_t cramped = 0, cramped_n = 0;
	unsigned cramped_J = 0;
	unsigned long long nshort = 0; /* windows given fewer levels than J */
	uint32_t short_series = 0;
	int64_t short_index = 0;
	size_t short_n = 0;
	int c, rc, partial, mode = TSD_MODE_SYMMETRIC;
	const tsd_wavelet *wav = tsd_wavelet_find("db4");
	double *coef = NULL, *work = NULL;
	tool_io io;
	tool_winloop wl;
	tsd_win win;

	tool_name = "dwt";
	tool_io_init(&io);
	while ((c = getopt_long(argc, argv, "W:m:J:w:r:hV" TOOL_COMMON_SHORT, lopts, NULL)) != -1) {
		if (tool_io_option(&io, c, optarg) || tool_winloop_option(c, optarg))
			continue;
		switch (c) {
		case 'W':
			if (!(wav = tsd_wavelet_find(optarg)))
				tool_usage_error("-W: unknown wavelet '%s' (see dwt --list)", optarg);
			break;
		case 'm':
			if ((mode = tsd_mode_parse(optarg)) < 0)
				tool_usage_error("-m: unknown mode '%s' (see dwt --list)", optarg);
			break;
		case 'J': J = (unsigned)tool_long("-J", optarg, 1, TSD_COEFWIN_MAXJ); J_set = 1; break;
		case 'r':
			ratio = tool_double("-r", optarg);
			if (!(ratio >= 1 && ratio <= 1e9))
				tool_usage_error("-r: ratio '%s' out of range 1..1e9", optarg);
			break;
		case 'w':
			tool_window_arg(&count, &span, optarg);
			if (count == 0 && span == 0)
				tool_usage_error("-w: '%s' is neither a sample count nor a duration with its unit (e.g. 256, 90s, 5m, 1.5h)", optarg);
			w_set = 1;
			break;
		case 2000: max = tool_max_window_arg(optarg, TSD_COEFWIN_MAXN); break;
		case 2001: list(); break;
		case 'h':
			tool_help(usage);
		default:
			tool_bad_option();
		}
	}
	if (count > TSD_COEFWIN_MAXN)
		tool_usage_error("-w: window of %zu samples is too large (at most %u)", count, TSD_COEFWIN_MAXN);
	if (ratio > 0 && !J_set && !w_set) {
		/* windows deep enough for 2^J >= 2R, and at least 1024 samples */
		double need = ldexp((double)wav->len - 1, (int)ceil(log2(ratio * 2)));
		count = need > 1024 ? (need < TSD_COEFWIN_MAXN ? (size_t)need : TSD_COEFWIN_MAXN) : 1024;
	}
	tool_io_files(&io, argc - optind, argv + optind);
	tool_winloop_init(&wl, &io, count, span, max);
	while (tool_winloop_next(&wl, &win, &partial)) {
		/* the window's levels: the last window of a series may be short,
		 * and so may the first of time windows (they align on the epoch) */
		unsigned Jw;
		const char *sname = tsd_series_name(io.tab, win.series);
		if (span)
			partial |= win.first;
		if (ratio > 0 && !J_set) {
			/* the deepest level the window allows */
			Jw = tsd_dwt_max_level(win.n, wav->len);
			if (Jw < 1)
				Jw = 1;
			if (Jw > TSD_COEFWIN_MAXJ)
				Jw = TSD_COEFWIN_MAXJ;
			if (!partial && ldexp(1, (int)Jw) <= ratio && !cramped++)
				cramped_n = win.n, cramped_J = Jw;
		} else {
			/* a window short of samples gets the levels they allow, never
			 * an exit. Time windows vary (outages, irregular sampling), and
			 * so do the last count window of a series and one cut by a gap;
			 * other count windows too short for J are counted and said once */
			if (tsd_coefwin_levels(&Jw, win.n, J, wav->len, 1) < 0)
				tool_die(EXIT_DATA, "%s: series '%s' window %lld: %zu samples: no transform",
					 tool_where(&io), sname, (long long)win.index, win.n);
			if (Jw < J && !span && !partial && !win.gap && !nshort++) {
				short_series = win.series;
				short_index = win.index;
				short_n = win.n;
			}
		}
		size_t lens[TSD_COEFWIN_MAXJ + 1], m = tsd_coefwin_total(win.n, Jw, wav, mode);
		size_t wlen = tsd_coefwin_work_len(win.n, Jw, wav, mode);
		coef = tool_grow(coef, &ccap, m ? m : 1, sizeof *coef);
		work = tool_grow(work, &wcap, wlen ? wlen : 1, sizeof *work);
		if (!m || tsd_coefwin_lengths(lens, win.n, Jw, wav, mode) < 0 ||
		    (rc = tsd_coefwin_decompose(coef, work, win.v, win.n, Jw, wav, mode)) < 0)
			tool_die(EXIT_DATA, "%s: series '%s' window %lld: transform failed", tool_where(&io),
				 sname, (long long)win.index);

		const char *mname = tsd_mode_name((enum tsd_mode)mode);
		tsd_window hdr;
		size_t off[TSD_COEFWIN_MAXJ + 2];
		memset(&hdr, 0, sizeof hdr);
		hdr.series = win.series;
		hdr.n = (uint32_t)win.n;
		hdr.window = win.index;
		hdr.t_first = win.t[0];
		hdr.t_last = win.t[win.n - 1];
		hdr.levels = (uint8_t)Jw;
		hdr.flags = tsd_coefwin_regular(win.t, win.n) ? 0 : TSD_WIN_IRREGULAR;
		if (win.gap)
			hdr.flags |= TSD_WIN_GAP;
		/* the range of the samples: merge keeps the reduced series in it */
		hdr.has_range = 1;
		tsd_reduce_range(win.v, win.n, &hdr.lo, &hdr.hi);
		memcpy(hdr.wavelet, wav->name, strnlen(wav->name, TSD_WAVELET_NAME - 1));
		memcpy(hdr.mode, mname, strnlen(mname, TSD_MODE_NAME - 1));
		off[0] = 0;
		for (unsigned b = 0; b <= Jw; b++)
			off[b + 1] = off[b] + lens[b];
		tool_put_coefs(&io, &hdr, win.t, coef, NULL, NULL, off, Jw, 0);
		tool_winloop_done(&wl);
	}
	tool_winloop_free(&wl);
	if (nshort)
		tool_warn("%llu window%s held too few samples for %u levels of %s and got fewer (the first: "
			  "series '%s' window %lld, %zu samples; %u levels need %zu)", nshort, nshort == 1 ? "" : "s",
			  J, wav->name, tsd_series_name(io.tab, short_series), (long long)short_index, short_n,
			  J, ((size_t)wav->len - 1) << J);
	if (cramped)
		tool_warn("-r %g: %zu window%s of %zu samples allow%s only %u levels, a coarse point per "
			  "%u samples, so thresh --ratio %g keeps no detail there; use a window of at least "
			  "%.0f samples", ratio, cramped, cramped == 1 ? "" : "s", cramped_n,
			  cramped == 1 ? "s" : "", cramped_J, 1u << cramped_J, ratio,
			  ldexp((double)wav->len - 1, (int)ceil(log2(ratio * 2))));
	free(coef);
	free(work);
	tool_finish(&io);
	return 0;
}
