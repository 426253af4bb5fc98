/* minmaxlttb: MinMax preselection, then LTTB, on each window. */
#include "downsample.h"
#include "dstool.h"

static const char usage[] =
"usage: minmaxlttb [options] [FILE...]\n"
"MinMaxLTTB (Van Der Donckt et al. 2023): when a window holds more than\n"
"P*N samples, MinMax first keeps P*N of them, then LTTB keeps N; else\n"
"plain LTTB. Areas use the times in seconds.\n"
"\n"
"  -p, --preselect P      preselection ratio P >= 2 (default 4)\n"
DSTOOL_HELP
TOOL_COMMON_HELP
"\nExit status: 0 success, 1 bad input or write error, 2 usage error.\n";

static unsigned presel = TSD_DS_MINMAXLTTB_RATIO;

static const struct option lopts[] = {
	{ "preselect", required_argument, 0, 'p' }, { 0, 0, 0, 0 },
};

static int option(int opt, const char *arg)
{
	if (opt != 'p')
		return 0;
	presel = (unsigned)tool_long("-p", arg, 2, 1L << 20);
	return 1;
}

static ptrdiff_t select_mmlttb(size_t *idx, size_t cap, const dstool_call *c)
{
	return tsd_ds_minmaxlttb(idx, cap, c->x, c->w->v, c->w->n, c->n_out, presel);
}

int main(int argc, char **argv)
{
	static const dstool_method m = {
		.name = "minmaxlttb", .usage = usage, .shortopts = "p:", .longopts = lopts,
		.granule = 1, .min_out = 2, .needs_x = 1,
		.option = option, .select = select_mmlttb,
	};
	return dstool_main(&m, argc, argv);
}
