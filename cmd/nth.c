/* nth: plain decimation, every k-th point of each window plus its last. */
#include "downsample.h"
#include "dstool.h"

static const char usage[] =
"usage: nth [options] [FILE...]\n"
"Keep every k-th sample of each window of each series, from the first,\n"
"and the window's last sample. With -n or -r, k is the smallest stride\n"
"that keeps at most the asked number of points.\n"
"\n"
"  -k, --stride K         keep every K-th sample\n"
DSTOOL_HELP
TOOL_COMMON_HELP
"\nExit status: 0 success, 1 bad input or write error, 2 usage error.\n";

static size_t stride;

static const struct option lopts[] = {
	{ "stride", required_argument, 0, 'k' }, { 0, 0, 0, 0 },
};

static int option(int opt, const char *arg)
{
	if (opt != 'k')
		return 0;
	stride = (size_t)tool_long("-k", arg, 1, 1L << 40);
	return 1;
}

static void check(int have_count)
{
	if (have_count && stride)
		tool_usage_error("-k and -n/-r: give one of them");
	if (!have_count && !stride)
		tool_usage_error("give the output size: -k STRIDE, -n POINTS or -r RATIO");
}

static ptrdiff_t select_nth(size_t *idx, size_t cap, const dstool_call *c)
{
	size_t k = stride ? stride : tsd_ds_nth_stride(c->w->n, c->n_out);

	return tsd_ds_nth(idx, cap, c->w->n, k);
}

int main(int argc, char **argv)
{
	static const dstool_method m = {
		.name = "nth", .usage = usage, .shortopts = "k:", .longopts = lopts,
		.granule = 1, .min_out = 2, .count_optional = 1,
		.option = option, .check = check, .select = select_nth,
	};
	return dstool_main(&m, argc, argv);
}
