/* tsdown: the front command. The tools live in a directory of their own
 * ($PREFIX/lib/tsdown/bin) so that merge and m4 never replace or shadow
 * RCS's merge and GNU m4; `tsdown TOOL ARGS` runs one of them, and
 * `tsdown --path` prints the directory for PATH=$(tsdown --path):$PATH. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tool.h"

static const struct {
	const char *name, *what;
} tools[] = {
	{ "tsconv", "convert CSV <-> binary, select series, summarise" },
	{ "tsgen", "deterministic synthetic series with labelled events" },
	{ "paa", "piecewise aggregate approximation per window" },
	{ "sax", "SAX words per window, their decoding, MINDIST" },
	{ "dwt", "multilevel discrete wavelet transform per window" },
	{ "thresh", "keep the approximation and the important details" },
	{ "merge", "inverse transform: the reduced or full-rate series" },
	{ "tscore", "score detail coefficients with the transformer model" },
	{ "tstrain", "train the scorer model" },
	{ "nth", "every k-th sample of each window" },
	{ "minmax", "smallest and largest sample of each bucket" },
	{ "m4", "first, smallest, largest and last sample of each bucket" },
	{ "lttb", "Largest-Triangle-Three-Buckets" },
	{ "minmaxlttb", "MinMax preselection, then LTTB" },
	{ "sdt", "swinging door trending" },
	{ "deadband", "report by exception" },
	{ "tseval", "fidelity of a reduced stream to its original" },
	{ "tsplot", "live gnuplot charts: terminal, files, a web page" },
	{ "tsconsume", "Kafka source with positions" },
	{ "tsproduce", "Kafka sink that commits positions after its output" },
	{ "tsbroker", "mock Kafka cluster on loopback" },
	{ "tsdown-pipeline", "run a pipeline line as a service (tsdown-pipeline@.service)" },
};

static const char usage[] =
"usage: tsdown TOOL [ARGS...]\n"
"       tsdown --path | --help | --version\n"
"Run a tsdown tool. The tools are installed in a directory of their own,\n"
"not on PATH, so that their names (merge, m4, ...) never replace or shadow\n"
"a system command; for bare pipelines put it first on PATH:\n"
"    PATH=$(tsdown --path):$PATH\n"
"\n"
"      --path             print the directory holding the tools\n"
"  -h, --help             this help, with the list of tools\n"
"  -V, --version          the version\n"
"\nExit status: that of the tool; 2 usage error or unknown tool, 1 when the\n"
"tool cannot be run.\n"
"\nTools (tsdown TOOL --help, man tsdown-TOOL):\n";

static char dir[PATH_MAX];

/* The tools' directory: $PREFIX/lib/tsdown/bin beside our own
 * $PREFIX/bin, or our own directory in a build tree. */
static void find_dir(void)
{
	char self[PATH_MAX], probe[PATH_MAX + 64];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	char *slash;

	if (n <= 0)
		tool_die(EXIT_DATA, "/proc/self/exe:");
	self[n] = 0;
	if (!(slash = strrchr(self, '/')))
		tool_die(EXIT_DATA, "%s: not an absolute path", self);
	*slash = 0;
	snprintf(probe, sizeof probe, "%s/../lib/tsdown/bin/tsconv", self);
	if (access(probe, X_OK) == 0) {
		snprintf(probe, sizeof probe, "%s/../lib/tsdown/bin", self);
		if (!realpath(probe, dir))
			tool_die(EXIT_DATA, "%s:", probe);
		return;
	}
	snprintf(dir, sizeof dir, "%s", self);
}

static void help(void)
{
	char path[PATH_MAX + 64];
	size_t i;

	fputs(usage, stdout);
	for (i = 0; i < sizeof tools / sizeof tools[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, tools[i].name);
		if (access(path, X_OK) == 0)
			printf("  %-16s %s\n", tools[i].name, tools[i].what);
	}
	tool_help("");
}

int main(int argc, char **argv)
{
	char path[PATH_MAX + 64];
	const char *t;

	tool_name = "tsdown";
	if (argc < 2)
		tool_usage_error("no tool named (tsdown --help lists them)");
	t = argv[1];
	find_dir();
	if (!strcmp(t, "--path")) {
		if (argc > 2)
			tool_usage_error("--path takes no argument");
		printf("%s\n", dir);
		tool_help("");
	}
	if (!strcmp(t, "--help") || !strcmp(t, "-h"))
		help();
	if (!strcmp(t, "--version") || !strcmp(t, "-V"))
		tool_version();
	if (t[0] == '-')
		tool_usage_error("unknown option '%s'", t);
	if (!*t || strchr(t, '/') || t[0] == '.' || !strcmp(t, "tsdown"))
		tool_usage_error("'%s' is not a tsdown tool (tsdown --help lists them)", t);
	snprintf(path, sizeof path, "%s/%s", dir, t);
	if (access(path, X_OK) != 0)
		tool_usage_error("'%s' is not a tsdown tool (tsdown --help lists them)", t);
	/* the tool and what it starts find the other tools first */
	const char *old = getenv("PATH");
	size_t len = strlen(dir) + (old ? strlen(old) : 0) + 2;
	char *np = malloc(len);
	if (!np)
		tool_die(EXIT_DATA, "out of memory");
	snprintf(np, len, "%s%s%s", dir, old && *old ? ":" : "", old ? old : "");
	if (setenv("PATH", np, 1))
		tool_die(EXIT_DATA, "setenv:");
	free(np);
	execv(path, argv + 1);
	tool_die(EXIT_DATA, "%s:", path);
}
