/* deadband: PI's exception test (report by exception) on each window. */
#include <stdlib.h>

#include "downsample.h"
#include "dstool.h"

static const char usage[] =
"usage: deadband [options] [FILE...]\n"
"The exception test of OSIsoft PI: keep a sample whose value differs from\n"
"the last kept value by more than ExcDev, and the sample just before it,\n"
"so a flat stretch stays flat and the change shows where it happened.\n"
"With -n or -r, ExcDev is searched per window for the most points not\n"
"above the asked number (a grid of values, then bisection; the count is\n"
"not monotone in ExcDev), and the samples farthest from the line are added\n"
"until the count is met. Differences equal to ExcDev within 8 ulps count\n"
"as equal (0.068 - 0.066 is not above 0.002).\n"
"\n"
"      --excdev X         exception deviation, in units of the values\n"
"      --excmax DUR       keep a sample at least every DUR (default 0: none)\n"
DSTOOL_HELP
TOOL_COMMON_HELP
"\nThe line between kept samples is within 2*ExcDev of every input sample.\n"
"Each window keeps its first and last sample.\n"
"\nExit status: 0 success, 1 bad input or write error, 2 usage error.\n";

enum { OPT_DEV = 4001, OPT_MAX = 4003 };

static struct tsd_ds_arch arch;
static int have_dev;
static size_t forced;

static const struct option lopts[] = {
	{ "excdev", required_argument, 0, OPT_DEV },
	{ "excmax", required_argument, 0, OPT_MAX },
	{ 0, 0, 0, 0 },
};

static int option(int opt, const char *arg)
{
	switch (opt) {
	case OPT_DEV:
		arch.dev = tool_double("--excdev", arg);
		if (!(arch.dev >= 0) || arch.dev > 1e300)
			tool_usage_error("--excdev: '%s' must be a finite number >= 0", arg);
		have_dev = 1;
		return 1;
	case OPT_MAX: arch.tmax = tool_duration("--excmax", arg); return 1;
	}
	return 0;
}

static void check(int have_count)
{
	if (have_count && have_dev)
		tool_usage_error("--excdev and -n/-r: give one of them");
	if (!have_count && !have_dev)
		tool_usage_error("give --excdev X, -n POINTS or -r RATIO");
}

static ptrdiff_t select_deadband(size_t *idx, size_t cap, const dstool_call *c)
{
	struct tsd_ds_arch o = arch;

	if (!have_dev) {
		ptrdiff_t k = tsd_ds_deadband_fit(&o, c->w->t, c->w->v, c->w->n, c->n_out);
		if (k == TSD_ERANGE && !forced++)
			tool_warn("series '%s' window %lld: --excmax keeps more than %zu points",
				  c->series, (long long)c->w->index, c->n_out);
		else if (k < 0 && k != TSD_ERANGE)
			return k;
	}
	ptrdiff_t k = tsd_ds_deadband(idx, cap, c->w->t, c->w->v, c->w->n, &o);
	/* the count: no deviation may give it exactly; top up */
	if (k >= 0 && !have_dev)
		k = tsd_ds_topup(idx, (size_t)k, cap, c->w->t, c->w->v, c->w->n, c->n_out);
	return k;
}

int main(int argc, char **argv)
{
	static const dstool_method m = {
		.name = "deadband", .usage = usage, .longopts = lopts,
		.granule = 1, .min_out = 2, .count_optional = 1,
		.option = option, .check = check, .select = select_deadband,
	};
	return dstool_main(&m, argc, argv);
}
