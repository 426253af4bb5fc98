/* thresh: keep the approximation and a selection of the detail
 * coefficients of each window of a coefficient stream. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "carry.h"
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
"      --score S          keep details scored S or more (0..1)\n"
"  -x, --threshold X      keep details whose magnitude is X or more\n"
"  -u, --universal        keep details whose magnitude reaches the universal\n"
"                         threshold sigma*sqrt(2 ln n), sigma = MAD/0.6745 of\n"
"                         the finest details, n the window's samples\n"
"      --keep F           keep the fraction F (0..1) of the details, largest\n"
"                         magnitudes first\n"
"  -b, --budget P         keep the largest details so that merge writes P\n"
"                         points per window (at least ceil(n/2^J))\n"
"  -r, --ratio R          a compression ratio R of the reduced series over\n"
"                         each whole series: round(n/R) points for n samples\n"
"                         (halves up), windows sharing the budget in turn\n"
"      --exact            with --keep, -b or -r: the least-squares reference; rank\n"
"                         by magnitude whatever the scores. On an orthonormal\n"
"                         transform (periodization, or haar; a window of a\n"
"                         multiple of 2^J) no other choice of as many details\n"
"                         reconstructs the window (merge --full) with less\n"
"                         squared error. Other modes are refused; a window of\n"
"                         another length is kept by magnitude and counted.\n"
"      --exact-reduced    with --keep, -b or -r: try every choice of that many\n"
"                         details and keep the one whose reduced series (merge)\n"
"                         has the least squared error: exact for the reduced\n"
"                         series, any transform, windows of at most 20 details\n"
"--keep, -b and -r rank the details of scored windows (tscore) by score.\n"
TOOL_COEFLOOP_HELP
TOOL_COMMON_HELP
"Deprecated, for this release only (one meaning per letter, see tsdown(7)):\n"
"-s for --score, -k for --keep, -e for --exact.\n"
"\nExit status: 0 success, 1 bad input or write error, 2 usage error.\n";


/* --ratio's running budgets, by series, saved before positions and loaded
 * after a seek (tool/carry.h) */
typedef struct {
	tsd_select_run *runs;
	size_t n;
} runtab;

static tsd_select_run *run_of(runtab *rt, uint32_t s)
{
	if (s >= rt->n && tsd_grow(&rt->runs, &rt->n, (size_t)s + 1, sizeof *rt->runs) < 0)
		tool_die(EXIT_DATA, "out of memory");
	return &rt->runs[s];
}

static int run_save(uint32_t s, char *buf, size_t cap, void *arg)
{
	return tsd_select_run_save(buf, cap, run_of(arg, s));
}

static int run_load(uint32_t s, const char *text, size_t n, void *arg)
{
	return tsd_select_run_load(run_of(arg, s), text, n) < 0 ? -1 : 0;
}

static void run_reset(void *arg)
{
	runtab *rt = arg;
	if (rt->n)
		memset(rt->runs, 0, rt->n * sizeof *rt->runs);
}

/* Write the window with only the coefficients marked in keep. */
static void put_window(tool_io *io, const tsd_coefwin *cw, const unsigned char *keep)
{
	tsd_window hdr = cw->hdr;

	hdr.flags |= TSD_WIN_SELECTED;
	tool_put_coefs(io, &hdr, cw->t, cw->c, cw->scored ? cw->score : NULL, keep, cw->off, cw->J,
		       TSD_COEF_SELECTED | (cw->scored ? TSD_COEF_SCORED : 0));
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "score", required_argument, 0, 2002 }, { "threshold", required_argument, 0, 'x' },
		{ "universal", no_argument, 0, 'u' }, { "keep", required_argument, 0, 2003 },
		{ "budget", required_argument, 0, 'b' }, { "ratio", required_argument, 0, 'r' },
		{ "exact", no_argument, 0, 2004 }, { "exact-reduced", no_argument, 0, 2001 },
		TOOL_COMMON_LONG, TOOL_COEFLOOP_LONG, { 0, 0, 0, 0 },
	};
	int c, rule = TSD_SEL_DEFAULT, exact = 0;
	double arg = 0, *work = NULL;
	unsigned char *keep = NULL;
	size_t kcap = 0, wcap = 0;
	runtab rt = { 0 };
	tool_carry cy;
	tool_coefloop cl;
	tsd_coefwin *cw;
	tool_io io;

	tool_name = "thresh";
	tool_io_init(&io);
	while ((c = getopt_long(argc, argv, "s:x:uk:b:r:ehV" TOOL_COMMON_SHORT, lopts, NULL)) != -1) {
		if (tool_io_option(&io, c, optarg) || tool_coefloop_option(c, optarg))
			continue;
		int nr = TSD_SEL_DEFAULT;
		switch (c) { /* the old spellings */
		case 's': tool_deprecated("-s", "--score"); c = 2002; break;
		case 'k': tool_deprecated("-k", "--keep"); c = 2003; break;
		case 'e': tool_deprecated("-e", "--exact"); c = 2004; break;
		}
		switch (c) {
		case 2002:
			nr = TSD_SEL_SCORE;
			arg = tool_double("--score", optarg);
			if (!(arg >= 0 && arg <= 1))
				tool_usage_error("--score: '%s' out of range 0..1", optarg);
			break;
		case 'x':
			nr = TSD_SEL_ABS;
			arg = tool_double("-x", optarg);
			if (!(arg >= 0))
				tool_usage_error("-x: threshold '%s' is negative", optarg);
			break;
		case 'u': nr = TSD_SEL_UNIVERSAL; break;
		case 2003:
			nr = TSD_SEL_KEEP;
			arg = tool_double("--keep", optarg);
			if (!(arg >= 0 && arg <= 1))
				tool_usage_error("--keep: fraction '%s' out of range 0..1", optarg);
			break;
		case 'b': nr = TSD_SEL_BUDGET; arg = (double)tool_long("-b", optarg, 1, TSD_COEFWIN_MAXN); break;
		case 'r':
			nr = TSD_SEL_RATIO;
			arg = tool_double("-r", optarg);
			if (!(arg >= 1 && arg <= 1e9))
				tool_usage_error("-r: ratio '%s' out of range 1..1e9", optarg);
			break;
		case 2004:
			if (exact == TSD_SEL_EXACT_REDUCED)
				tool_usage_error("--exact and --exact-reduced: one at most");
			exact = TSD_SEL_EXACT;
			continue;
		case 2001:
			if (exact == TSD_SEL_EXACT)
				tool_usage_error("--exact and --exact-reduced: one at most");
			exact = TSD_SEL_EXACT_REDUCED;
			continue;
		case 'h':
			tool_help(usage);
		default:
			tool_bad_option();
		}
		if (rule != TSD_SEL_DEFAULT && rule != nr)
			tool_usage_error("one rule at most: --score, -x, -u, --keep, -b or -r");
		rule = nr;
	}
	if (exact && rule != TSD_SEL_KEEP && rule != TSD_SEL_BUDGET && rule != TSD_SEL_RATIO)
		tool_usage_error("%s: says how to choose, not how many: give --keep, -b or -r too",
				 exact == TSD_SEL_EXACT ? "--exact" : "--exact-reduced");
	tool_io_files(&io, argc - optind, argv + optind);

	tsd_select_opts so = { .rule = rule, .arg = arg, .exact = exact };
	tsd_select_stats st = { 0 };
	tool_coefloop_init(&cl, &io);
	if (rule == TSD_SEL_RATIO) {
		tool_carry_init(&cy, &io, "thresh", run_save, run_load, run_reset, &rt);
		cl.ctl = tool_carry_ctl;
		cl.ctl_arg = &cy;
	}
	while (tool_coefloop_next(&cl, &cw)) {
		keep = tool_grow(keep, &kcap, cw->m, 1);
		work = tool_grow(work, &wcap, tsd_select_work_len(cw), sizeof *work);
		tsd_select_run *run = NULL;
		if (rule == TSD_SEL_RATIO) {
			/* a replay of what the loaded state covers: written already */
			if (tool_carry_skip(&cy, cw->hdr.series, cw->hdr.t_first))
				continue;
			/* the series' running budget: round(n / R) over the whole series */
			run = run_of(&rt, cw->hdr.series);
			tool_carry_touch(&cy, cw->hdr.series, cw->hdr.t_last);
		}
		int rc = tsd_select_window(keep, &st, work, cw, &so, run);
		if (rc == TSD_ERANGE && exact == TSD_SEL_EXACT_REDUCED)
			tool_die(EXIT_DATA, "%s: series '%s' window %lld: --exact-reduced tries every "
				 "choice of details, and this window has %zu (at most %d: use a "
				 "shorter -w or fewer levels)", tool_where(&io),
				 tsd_series_name(io.tab, cw->hdr.series), (long long)cw->hdr.window,
				 st.details, TSD_EXACT_MAXD);
		if (rc == TSD_EUNSUP)
			tool_die(EXIT_DATA, "%s: series '%s' window %lld: --exact needs an orthonormal "
				 "transform, and %s in mode %s has more coefficients than samples "
				 "(use dwt -m periodization, or -W haar)", tool_where(&io),
				 tsd_series_name(io.tab, cw->hdr.series), (long long)cw->hdr.window, cw->w->name,
				 tsd_mode_name(cw->mode));
		if (rc < 0)
			tool_die(EXIT_DATA, "%s", tsd_strerror(rc));
		put_window(&io, cw, keep);
	}
	/* most windows, not just the short last one of a series */
	if (2 * st.starved > st.budgeted)
		tool_warn("%zu window%s kept no detail: the budget (%zu points in the first) is no more than "
			  "the coarse grid (%zu points); raise -J or the window (see thresh(1))", st.starved,
			  st.starved == 1 ? "" : "s", st.starved_pts, st.starved_coarse);
	if (st.nonortho)
		tool_warn("%zu window%s of a length not a multiple of 2^J: kept by magnitude, not proven "
			  "least-squares", st.nonortho, st.nonortho == 1 ? "" : "s");
	tool_coefloop_free(&cl);
	free(keep);
	free(work);
	free(rt.runs);
	if (rule == TSD_SEL_RATIO)
		tool_carry_free(&cy);
	tool_finish(&io);
	return 0;
}
