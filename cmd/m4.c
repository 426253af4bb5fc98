/* m4: first, minimum, maximum and last sample of equal-count buckets. */
#include "downsample.h"
#include "dstool.h"

static const char usage[] =
"usage: m4 [options] [FILE...]\n"
"M4 (Jugel et al., VLDB 2014): cut each window of each series into N/4\n"
"buckets of equal count and keep the first, smallest, largest and last\n"
"sample of each (N a multiple of 4; a sample that is two of these is\n"
"kept once, so a window may give fewer than N points).\n"
"\n"
DSTOOL_HELP
TOOL_COMMON_HELP
"\nExit status: 0 success, 1 bad input or write error, 2 usage error.\n";

static ptrdiff_t select_m4(size_t *idx, size_t cap, const dstool_call *c)
{
	return tsd_ds_m4(idx, cap, c->w->v, c->w->n, c->n_out);
}

int main(int argc, char **argv)
{
	static const dstool_method m = {
		.name = "m4", .usage = usage, .granule = 4, .min_out = 4,
		.select = select_m4,
	};
	return dstool_main(&m, argc, argv);
}
