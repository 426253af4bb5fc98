/* thresh: keep the approximation and a selection of the detail
 * coefficients of each window of a coefficient stream. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "coefwin.h"
#include "exact.h"
#include "reduce.h"
#include "select.h"
#include "coefloop.h"
#include "tool.h"

static const char usage[] =
"usage: thresh [rule] [options] [FILE...]\n"
"Keep every approximation coefficient of each window of a coefficient\n"
"stream and those detail coefficients that the rule keeps; drop the rest.\n"
"\n"
"Rules (one at most; default: --score 0.5 for windows that carry scores,\n"
"--universal for the others):\n"
"  -s, --score S          keep details scored S or more (0..1)\n"
"  -x, --threshold X      keep details whose magnitude is X or more\n"
"  -u, --universal        keep details whose magnitude reaches the universal\n"
"                         threshold sigma*sqrt(2 ln n), sigma = MAD/0.6745 of\n"
"                         the finest details, n the window's samples\n"
"  -k, --keep F           keep the fraction F (0..1) of the details, largest\n"
"                         magnitudes first\n"
"  -b, --budget P         keep the largest details so that merge writes P\n"
"                         points per window (at least ceil(n/2^J))\n"
"  -r, --ratio R          a compression ratio R of the reduced series over\n"
"                         each whole series: round(n/R) points for n samples\n"
"                         (halves up), windows sharing the budget in turn\n""  -e, --exact            with -k, -b or -r: the least-squares reference; rank\n"
"                         by magnitude whatever the scores. On an orthonormal\n"
"                         transform (periodization, or haar; a window of a\n"
"                         multiple of 2^J) no other choice of as many details\n"
"                         reconstructs the window (merge --full) with less\n"
"                         squared error. Other modes are refused; a window of\n"
"                         another length is kept by magnitude and counted.\n"
"      --exact-reduced    with -k, -b or -r: try every choice of that many\n"
"                         details and keep the one whose reduced series (merge)\n"
"                         has the least squared error: exact for the reduced\n"
"                         series, any transform, windows of at most 20 details\n"
"-k, -b and -r rank the details of scored windows (tscore) by score.\n"
TOOL_COEFLOOP_HELP
TOOL_COMMON_HELP
"\nExit status: 0 success, 1 bad input or write error, 2 usage error.\n";

enum rule { R_DEFAULT, R_SCORE, R_ABS, R_UNIVERSAL, R_KEEP, R_BUDGET, R_RATIO };

/* Write the window with only the coefficients marked in keep. */
static void put_window(tool_io *io, const tsd_coefwin *cw, const unsigned char *keep)
{
	tsd_rec o;
	unsigned b;

	memset(&o, 0, sizeof o);
	o.kind = TSD_REC_WINDOW;
	o.w = cw->hdr;
	o.w.flags |= TSD_WIN_SELECTED;
	tool_put(io, &o);
	if (cw->hdr.flags & TSD_WIN_IRREGULAR) {
		memset(&o, 0, sizeof o);
		o.kind = TSD_REC_TIMES;
		o.ts.series = cw->hdr.series;
		o.ts.window = cw->hdr.window;
		o.ts.count = (uint32_t)cw->n;
		o.ts.t = cw->t;
		tool_put(io, &o);
	}
	for (b = 0; b <= cw->J; b++) {
		size_t i = cw->off[b], e = cw->off[b + 1];
		while (i < e) {
			size_t j;
			if (!keep[i]) {
				i++;
				continue;
			}
			for (j = i; j < e && keep[j]; j++)
				;
			memset(&o, 0, sizeof o);
			o.kind = TSD_REC_COEF;
			o.c.series = cw->hdr.series;
			o.c.window = cw->hdr.window;
			o.c.kind = b ? TSD_COEF_D : TSD_COEF_A;
			o.c.level = (uint8_t)tsd_coefwin_band_level(cw, b);
			o.c.flags = TSD_COEF_SELECTED | (cw->scored ? TSD_COEF_SCORED : 0);
			o.c.start = (uint32_t)(i - cw->off[b]);
			o.c.count = (uint32_t)(j - i);
			o.c.v = cw->c + i;
			o.c.score = cw->scored ? cw->score + i : NULL;
			tool_put(io, &o);
			i = j;
		}
	}
	memset(&o, 0, sizeof o);
	o.kind = TSD_REC_END;
	o.e.series = cw->hdr.series;
	o.e.window = cw->hdr.window;
	tool_put(io, &o);
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "score", required_argument, 0, 's' }, { "threshold", required_argument, 0, 'x' },
		{ "universal", no_argument, 0, 'u' }, { "keep", required_argument, 0, 'k' },
		{ "budget", required_argument, 0, 'b' }, { "ratio", required_argument, 0, 'r' },
		{ "exact", no_argument, 0, 'e' }, { "exact-reduced", no_argument, 0, 2001 },
		TOOL_COMMON_LONG, TOOL_COEFLOOP_LONG, { 0, 0, 0, 0 },
	};
	int c, rule = R_DEFAULT, exact = 0;
	size_t nonortho = 0, starved = 0, starved_pts = 0, starved_coarse = 0, budgeted = 0;
	double arg = 0, *work = NULL;
	unsigned char *keep = NULL;
	size_t kcap = 0, wcap = 0, nruns = 0;
	tsd_select_run *runs = NULL;
	tool_coefloop cl;
	tsd_coefwin *cw;
	tool_io io;

	tool_name = "thresh";
	tool_io_init(&io);
	while ((c = getopt_long(argc, argv, "s:x:uk:b:r:ehV" TOOL_COMMON_SHORT, lopts, NULL)) != -1) {
		if (tool_io_option(&io, c, optarg) || tool_coefloop_option(c, optarg))
			continue;
		int nr = R_DEFAULT;
		switch (c) {
		case 's':
			nr = R_SCORE;
			arg = tool_double("-s", optarg);
			if (!(arg >= 0 && arg <= 1))
				tool_usage_error("-s: score '%s' out of range 0..1", optarg);
			break;
		case 'x':
			nr = R_ABS;
			arg = tool_double("-x", optarg);
			if (!(arg >= 0))
				tool_usage_error("-x: threshold '%s' is negative", optarg);
			break;
		case 'u': nr = R_UNIVERSAL; break;
		case 'k':
			nr = R_KEEP;
			arg = tool_double("-k", optarg);
			if (!(arg >= 0 && arg <= 1))
				tool_usage_error("-k: fraction '%s' out of range 0..1", optarg);
			break;
		case 'b': nr = R_BUDGET; arg = (double)tool_long("-b", optarg, 1, TSD_COEFWIN_MAXN); break;
		case 'r':
			nr = R_RATIO;
			arg = tool_double("-r", optarg);
			if (!(arg >= 1 && arg <= 1e9))
				tool_usage_error("-r: ratio '%s' out of range 1..1e9", optarg);
			break;
		case 'e':
			if (exact == 2)
				tool_usage_error("--exact and --exact-reduced: one at most");
			exact = 1;
			continue;
		case 2001:
			if (exact == 1)
				tool_usage_error("--exact and --exact-reduced: one at most");
			exact = 2;
			continue;
		case 'h':
			fputs(usage, stdout);
			return tool_stdout_done();
		default:
			fprintf(stderr, "Try 'thresh --help' for more information.\n");
			return EXIT_USAGE;
		}
		if (rule != R_DEFAULT && rule != nr)
			tool_usage_error("one rule at most: -s, -x, -u, -k, -b or -r");
		rule = nr;
	}
	if (exact && rule != R_KEEP && rule != R_BUDGET && rule != R_RATIO)
		tool_usage_error("%s: says how to choose, not how many: give -k, -b or -r too",
				 exact == 1 ? "-e" : "--exact-reduced");
	tool_io_files(&io, argc - optind, argv + optind);

	tool_coefloop_init(&cl, &io);
	while (tool_coefloop_next(&cl, &cw)) {

		/* the details: [a, m) of the layout; the approximation stays */
		size_t a = cw->lens[0], m = cw->m, nd = m - a, k;
		const unsigned char *elig = cw->have + a;
		unsigned char *kd;
		keep = tool_grow(keep, &kcap, m, 1);
		work = tool_grow(work, &wcap, 2 * nd + 1, sizeof *work); /* universal: values and scratch */
		memcpy(keep, cw->have, a);
		kd = keep + a;
		int ru = rule;
		if (ru == R_DEFAULT)
			ru = cw->scored ? R_SCORE : R_UNIVERSAL;
		switch (ru) {
		case R_SCORE:
			tsd_select_score(kd, cw->score + a, elig, nd, rule == R_DEFAULT ? 0.5 : arg);
			break;
		case R_ABS:
			tsd_select_abs(kd, cw->c + a, elig, nd, arg);
			break;
		case R_UNIVERSAL: {
			/* sigma from the finest details present */
			size_t f0 = cw->off[cw->J], f1 = cw->off[cw->J + 1], nf = 0;
			double sigma;
			for (size_t i = f0; i < f1; i++)
				if (cw->have[i])
					work[nf++] = cw->c[i];
			tsd_select_sigma(&sigma, work + nf, work, nf);
			tsd_select_abs(kd, cw->c + a, elig, nd, tsd_select_universal(sigma, cw->n));
			break;
		}
		case R_KEEP:
		case R_BUDGET:
		case R_RATIO: {
			size_t ne = 0;
			for (size_t i = 0; i < nd; i++)
				ne += elig[i];
			if (ru == R_KEEP)
				k = tsd_select_fraction(ne, arg);
			else {
				tsd_select_run *run = NULL;
				if (ru == R_RATIO) {
					/* the series' running budget: round(n / R) over the whole series */
					uint32_t sid = cw->hdr.series;
					if (sid >= nruns) {
						size_t nn = (size_t)sid + 1;
						tsd_select_run *g = realloc(runs, nn * sizeof *runs);
						if (!g)
							tool_die(EXIT_DATA, "out of memory");
						memset(g + nruns, 0, (nn - nruns) * sizeof *g);
						runs = g;
						nruns = nn;
					}
					run = &runs[sid];
				}
				size_t pts = ru == R_BUDGET ? (size_t)arg : tsd_select_run_next(run, cw->n, arg);
				size_t coarse = tsd_reduce_coarse(cw->n, cw->J);
				k = tsd_select_budget(pts, coarse, ne);
				if (run)
					tsd_select_run_add(run, cw->n, coarse + k < cw->n ? coarse + k : cw->n);
				budgeted++;
				/* a budget the coarse grid takes whole keeps no detail */
				if (!k && ne && pts < cw->n) {
					if (!starved++)
						starved_pts = pts, starved_coarse = coarse;
				}
			}
			if (exact == 2) {
				double sse;
				int rc = tsd_exact_reduced(keep, &sse, cw, k);
				if (rc == TSD_ERANGE)
					tool_die(EXIT_DATA, "%s: series '%s' window %lld: --exact-reduced tries every "
						 "choice of details, and this window has %zu (at most %d: use a "
						 "shorter -w or fewer levels)", tool_where(&io),
						 tsd_series_name(io.tab, cw->hdr.series), (long long)cw->hdr.window,
						 ne, TSD_EXACT_MAXD);
				if (rc < 0)
					tool_die(EXIT_DATA, "%s", tsd_strerror(rc));
				break;
			}
			if (exact && !tsd_coefwin_orthonormal(cw->n, cw->J, cw->w, cw->mode)) {
				/* only the length can be wrong when haar or periodization */
				if (cw->mode != TSD_MODE_PERIODIZATION && cw->w->len != 2)
					tool_die(EXIT_DATA, "%s: series '%s' window %lld: --exact needs an orthonormal "
						 "transform, and %s in mode %s has more coefficients than samples "
						 "(use dwt -m periodization, or -W haar)", tool_where(&io),
						 tsd_series_name(io.tab, cw->hdr.series), (long long)cw->hdr.window, cw->w->name,
						 tsd_mode_name(cw->mode));
				nonortho++;
			}
			if (cw->scored && !exact) {
				/* scored (tscore): the top k by score, not magnitude */
				double *sv = work + nd + 1;
				for (size_t i = 0; i < nd; i++)
					sv[i] = cw->score[a + i];
				tsd_select_top(kd, work, sv, elig, nd, k);
			} else {
				tsd_select_top(kd, work, cw->c + a, elig, nd, k);
			}
			break;
		}
		}
		put_window(&io, cw, keep);
	}
	/* most windows, not just the short last one of a series */
	if (2 * starved > budgeted)
		tool_warn("%zu window%s kept no detail: the budget (%zu points in the first) is no more than "
			  "the coarse grid (%zu points); raise -J or the window (see thresh(1))", starved,
			  starved == 1 ? "" : "s", starved_pts, starved_coarse);
	if (nonortho)
		tool_warn("%zu window%s of a length not a multiple of 2^J: kept by magnitude, not proven "
			  "least-squares", nonortho, nonortho == 1 ? "" : "s");
	tool_coefloop_free(&cl);
	free(keep);
	free(work);
	free(runs);
	tool_finish(&io);
	return 0;
}
