/* minmax: the minimum and maximum of equal-count buckets of each window. */
#include "downsample.h"
#include "dstool.h"

static const char usage[] =
"usage: minmax [options] [FILE...]\n"
"Keep, in each window of each series, its first and last sample and the\n"
"smallest and largest sample of each of (N-2)/2 buckets of equal count\n"
"(N even; ties: the first occurrence).\n"
"\n"
DSTOOL_HELP
TOOL_COMMON_HELP
"\nExit status: 0 success, 1 bad input or write error, 2 usage error.\n";

static ptrdiff_t select_minmax(size_t *idx, size_t cap, const dstool_call *c)
{
	return tsd_ds_minmax(idx, cap, c->w->v, c->w->n, c->n_out);
}

int main(int argc, char **argv)
{
	static const dstool_method m = {
		.name = "minmax", .usage = usage, .granule = 2, .min_out = 2,
		.select = select_minmax,
	};
	return dstool_main(&m, argc, argv);
}
