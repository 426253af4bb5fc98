/* tsconv: convert record streams between CSV and binary frames, select
 * series, keep the first samples of each, or summarise a stream. */
#include <fnmatch.h>
#include <limits.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

static const char usage[] =
"usage: tsconv [options] [FILE...]\n"
"Copy a record stream (CSV or binary, detected) to stdout, converting its\n"
"format; optionally select series and keep only the first samples.\n"
"\n"
"  -s, --series GLOB      keep only series whose name matches (repeatable)\n"
"  -n, --points N         keep the first N points (samples) of each series\n"
"  -i, --info             print a summary per series instead of the records\n"
"      --strip-control    drop control records (Kafka positions, revocations,\n"
"                         carried state): a final CSV for other programs\n"
"tsconv keeps every record (--order any) unless told otherwise.\n"
TOOL_COMMON_HELP
"Deprecated, for this release only: --head for --points (see tsdown(7)).\n"
"\nExit status: 0 success, 1 bad input or write error, 2 usage error.\n";

typedef struct {
	uint64_t n;
	int64_t t0, t1;
	double lo, hi, sum;
	int8_t sel;          /* -1 unknown, 0 dropped, 1 kept */
} series_state;

static series_state *st;
static size_t nst;

static series_state *state(uint32_t s)
{
	if (s >= nst) {
		size_t nn = nst ? nst * 2 : 64;
		while (nn <= s)
			nn *= 2;
		series_state *n2 = realloc(st, nn * sizeof *n2);
		if (!n2)
			tool_die(EXIT_DATA, "out of memory");
		for (size_t i = nst; i < nn; i++)
			memset(&n2[i], 0, sizeof n2[i]), n2[i].sel = -1;
		st = n2;
		nst = nn;
	}
	return &st[s];
}

static uint32_t rec_series(const tsd_rec *r)
{
	switch (r->kind) {
	case TSD_REC_SAMPLE: return r->s.series;
	case TSD_REC_SAMPLES: return r->r.series;
	case TSD_REC_WINDOW: return r->w.series;
	case TSD_REC_TIMES: return r->ts.series;
	case TSD_REC_COEF: return r->c.series;
	case TSD_REC_END: return r->e.series;
	}
	return UINT32_MAX;
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "series", required_argument, 0, 's' },
		{ "points", required_argument, 0, 'n' },
		{ "head", required_argument, 0, 2000 },
		{ "info", no_argument, 0, 'i' },
		{ "strip-control", no_argument, 0, 2001 },
		TOOL_COMMON_LONG,
		{ 0, 0, 0, 0 },
	};
	const char **globs = NULL;
	int nglobs = 0, info = 0, strip = 0, c;
	long head = -1;
	tool_io io;
	tsd_rec r;

	tool_name = "tsconv";
	st = NULL; /* a fresh state when main runs again in one process (fuzzing) */
	nst = 0;
	tool_io_init(&io);
	io.in.order = TSD_ORDER_ANY; /* a converter keeps every record */
	io.in.gaps = 1;              /* gap markers too */
	while ((c = getopt_long(argc, argv, "s:n:ihV" TOOL_COMMON_SHORT, lopts, NULL)) != -1) {
		if (tool_io_option(&io, c, optarg))
			continue;
		switch (c) {
		case 's':
			globs = realloc(globs, (size_t)(nglobs + 1) * sizeof *globs);
			if (!globs)
				tool_die(EXIT_DATA, "out of memory");
			globs[nglobs++] = optarg;
			break;
		case 2000:
			tool_deprecated("--head", "--points");
			/* fallthrough */
		case 'n':
			head = tool_long("-n", optarg, 0, LONG_MAX);
			break;
		case 'i':
			info = 1;
			break;
		case 2001:
			strip = 1;
			break;
		case 'h':
			tool_help(usage);
		default:
			tool_bad_option();
		}
	}
	/* copying: binary runs of samples pass whole (checked for order by
	 * the reader), not sample by sample */
	if (!info && head < 0)
		io.in.runs = 1;
	tool_io_files(&io, argc - optind, argv + optind);

	while (tool_next(&io, &r)) {
		uint32_t s = rec_series(&r);
		series_state *ss;
		if (s == UINT32_MAX) {
			if (!info && !(strip && r.kind == TSD_REC_CONTROL))
				tool_put(&io, &r);
			continue;
		}
		ss = state(s);
		if (ss->sel < 0) {
			ss->sel = nglobs == 0;
			for (int i = 0; i < nglobs && !ss->sel; i++)
				ss->sel = fnmatch(globs[i], tsd_series_name(io.tab, s), 0) == 0;
		}
		if (!ss->sel)
			continue;
		if (r.kind == TSD_REC_SAMPLE && (info || head >= 0)) {
			if (head >= 0 && ss->n >= (uint64_t)head)
				continue;
			if (!ss->n) {
				ss->t0 = r.s.t;
				ss->lo = ss->hi = r.s.v;
			}
			ss->n++;
			ss->t1 = r.s.t;
			ss->lo = r.s.v < ss->lo ? r.s.v : ss->lo;
			ss->hi = r.s.v > ss->hi ? r.s.v : ss->hi;
			ss->sum += r.s.v;
		}
		if (!info)
			tool_put(&io, &r);
	}
	if (info) {
		tsd_tstyle ts = { .kind = TSD_T_ISO, .sep = ' ' };
		printf("%-32s %10s  %-19s  %-19s  %12s %12s %12s\n", "series", "samples", "first", "last",
		       "min", "max", "mean");
		for (uint32_t s = 0; s < nst && s < tsd_series_count(io.tab); s++) {
			char a[TSD_TIME_MAX], b[TSD_TIME_MAX];
			if (st[s].sel != 1)
				continue;
			if (!st[s].n) {
				printf("%-32s %10d\n", tsd_series_name(io.tab, s), 0);
				continue;
			}
			tsd_time_format(a, st[s].t0, &ts);
			tsd_time_format(b, st[s].t1, &ts);
			printf("%-32s %10llu  %-19s  %-19s  %12.6g %12.6g %12.6g\n", tsd_series_name(io.tab, s),
			       (unsigned long long)st[s].n, a, b, st[s].lo, st[s].hi, st[s].sum / (double)st[s].n);
		}
		if (fflush(stdout) || ferror(stdout) || fclose(stdout))
			tool_die(EXIT_DATA, "write error:");
		return 0;
	}
	tool_finish(&io);
	free(globs);
	free(st);
	return 0;
}
