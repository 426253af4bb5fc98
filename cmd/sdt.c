/* sdt: swinging door trending (PI's compression test) on each window. */
#include <stdlib.h>

#include "downsample.h"
#include "dstool.h"

#include <string.h>

static const char usage[] =
"usage: sdt [options] [FILE...]\n"
"Swinging door trending, the compression test of OSIsoft PI: keep a sample\n"
"only when the straight line from the last kept sample can no longer pass\n"
"within CompDev of every sample in between. With -n or -r, CompDev is\n"
"searched per window for the most points not above the asked number (a\n"
"grid of values, then bisection; the count is not monotone in CompDev),\n"
"and the samples farthest from the line are added until the count is met.\n"
"Differences equal to CompDev within 8 ulps count as equal.\n"
"\n"
"      --compdev X        compression deviation, in units of the values\n"
"      --compmin DUR      never keep a sample closer than DUR after the\n"
"                         last kept one (default 0: no minimum)\n"
"      --compmax DUR      keep a sample at least every DUR (default 0: none)\n"
DSTOOL_HELP
TOOL_COMMON_HELP
"\nWith --compmin 0 the line between kept samples is within CompDev of every\n"
"input sample. Each window keeps its first and last sample.\n"
"\nExit status: 0 success, 1 bad input or write error, 2 usage error.\n";

enum { OPT_DEV = 4001, OPT_MIN = 4002, OPT_MAX = 4003 };

static struct tsd_ds_arch arch;
static int have_dev;
static size_t forced;

static const struct option lopts[] = {
	{ "compdev", required_argument, 0, OPT_DEV },
	{ "compmin", required_argument, 0, OPT_MIN },
	{ "compmax", required_argument, 0, OPT_MAX },
	{ 0, 0, 0, 0 },
};

static int option(int opt, const char *arg)
{
	switch (opt) {
	case OPT_DEV:
		arch.dev = tool_double("--compdev", arg);
		if (!(arch.dev >= 0) || arch.dev > 1e300)
			tool_usage_error("--compdev: '%s' must be a finite number >= 0", arg);
		have_dev = 1;
		return 1;
	case OPT_MIN: arch.tmin = tool_duration("--compmin", arg); return 1;
	case OPT_MAX: arch.tmax = tool_duration("--compmax", arg); return 1;
	}
	return 0;
}

static void check(int have_count)
{
	if (have_count && have_dev)
		tool_usage_error("--compdev and -n/-r: give one of them");
	if (!have_count && !have_dev)
		tool_usage_error("give --compdev X, -n POINTS or -r RATIO");
}

static ptrdiff_t select_sdt(size_t *idx, size_t cap, const dstool_call *c)
{
	struct tsd_ds_arch o = arch;

	if (!have_dev) {
		ptrdiff_t k = tsd_ds_sdt_fit(&o, c->w->t, c->w->v, c->w->n, c->n_out);
		if (k == TSD_ERANGE && !forced++)
			tool_warn("series '%s' window %lld: --compmax keeps more than %zu points",
				  c->series, (long long)c->w->index, c->n_out);
		else if (k < 0 && k != TSD_ERANGE)
			return k;
	}
	ptrdiff_t k = tsd_ds_sdt(idx, cap, c->w->t, c->w->v, c->w->n, &o);
	/* the count: no deviation may give it exactly; top up */
	if (k >= 0 && !have_dev)
		k = tsd_ds_topup(idx, (size_t)k, cap, c->w->t, c->w->v, c->w->n, c->n_out);
	return k;
}

int main(int argc, char **argv)
{
	static const dstool_method m = {
		.name = "sdt", .usage = usage, .longopts = lopts,
		.granule = 1, .min_out = 2, .count_optional = 1,
		.option = option, .check = check, .select = select_sdt,
	};
	/* a fresh state when main runs again in one process (fuzzing) */
	memset(&arch, 0, sizeof arch);
	have_dev = 0;
	forced = 0;
	return dstool_main(&m, argc, argv);
}
