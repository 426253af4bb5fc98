/* lttb: Largest-Triangle-Three-Buckets on each window of each series. */
#include "downsample.h"
#include "dstool.h"

static const char usage[] =
"usage: lttb [options] [FILE...]\n"
"Largest-Triangle-Three-Buckets (Steinarsson 2013): keep N samples of\n"
"each window of each series, the first, the last, and from each of N-2\n"
"buckets of equal count the one spanning the largest triangle with the\n"
"point kept before it and the mean of the next bucket. Areas use the\n"
"times in seconds, so irregular spacing counts.\n"
"\n"
DSTOOL_HELP
TOOL_COMMON_HELP
"\nExit status: 0 success, 1 bad input or write error, 2 usage error.\n";

static ptrdiff_t select_lttb(size_t *idx, size_t cap, const dstool_call *c)
{
	return tsd_ds_lttb(idx, cap, c->x, c->w->v, c->w->n, c->n_out);
}

int main(int argc, char **argv)
{
	static const dstool_method m = {
		.name = "lttb", .usage = usage, .granule = 1, .min_out = 2,
		.needs_x = 1, .select = select_lttb,
	};
	return dstool_main(&m, argc, argv);
}
