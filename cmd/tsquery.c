/* tsquery: read series back from a database that tsstore wrote, as a
 * record stream (CSV or binary), optionally following new rows. */
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store.h"
#include "tool.h"

static const char usage[] =
"usage: tsquery [options] DB\n"
"Write the samples stored in DB (see tsstore) as a record stream: series by\n"
"series, each in time order, in long CSV (series,timestamp,value) or binary.\n"
"DB is sqlite:PATH or a PostgreSQL connection string, as for tsstore.\n"
"\n"
"  -s, --series GLOB      series whose names match GLOB (*, ?, [...];\n"
"                         repeatable; default: all)\n"
"      --since DUR        samples of the last DUR (e.g. 24h, 7d) before now\n"
"      --from TIME        samples at or after TIME (ISO-8601 or epoch)\n"
"      --to TIME          samples before TIME\n"
"  -f, --follow           after the stored samples, wait for new ones and\n"
"                         write them as they come (until SIGINT or SIGTERM)\n"
"      --interval DUR     with -f: how often to look (default 1s)\n"
"      --busy-timeout DUR SQLite: wait this long for a lock (default 30s)\n"
"  -o, --output-format F  csv (default) or bin\n"
"  -t, --time-format S    output times as iso, iso-t, s, ms, us, ns or sf\n"
"                         (default iso)\n"
"      --precision N      significant digits of CSV values (default: exact)\n"
"      --no-header        no CSV header line\n"
"  -h, --help             this help;  -V, --version  the version\n"
"\nExit status: 0 success (with -f: stopped by a signal), 1 a database error\n"
"or a write error, 2 usage error.\n";

static volatile sig_atomic_t stop;
static void on_signal(int sig) { (void)sig; stop = 1; }

static int64_t parse_time(const char *opt, const char *s)
{
	tsd_tstyle st = { 0 };
	int64_t ns;

	if (tsd_time_parse(&ns, &st, s, strlen(s)) < 0)
		tool_usage_error("%s: '%s' is not a time (ISO-8601 such as 2024-01-01T00:00:00Z, or epoch)", opt, s);
	return ns;
}

typedef struct {
	char *name;
	uint32_t id;
	int64_t last;   /* time of the last sample written, for --follow */
	int any;
} qseries;

static qseries *ser;
static size_t nser;
static tool_io io;
static tsd_store *st;
static const char *dbname;

static void db_die(void)
{
	tool_die(EXIT_DATA, "%s: %s", dbname, tsd_store_errmsg(st));
}

/* The series matching the globs, added to ser[] when new. */
static void list_series(char **globs, size_t nglobs)
{
	for (size_t g = 0; g < (nglobs ? nglobs : 1); g++) {
		char **names;
		size_t n;
		if (tsd_store_series(st, nglobs ? globs[g] : NULL, &names, &n) < 0)
			db_die();
		for (size_t i = 0; i < n; i++) {
			size_t k;
			for (k = 0; k < nser && strcmp(ser[k].name, names[i]); k++)
				;
			if (k < nser)
				continue;
			qseries *ns = realloc(ser, (nser + 1) * sizeof *ns);
			if (!ns)
				tool_die(EXIT_DATA, "out of memory");
			ser = ns;
			memset(&ser[nser], 0, sizeof ser[nser]);
			if (!(ser[nser].name = strdup(names[i])) ||
			    tsd_series_intern(&ser[nser].id, io.tab, names[i], strlen(names[i])) < 0)
				tool_die(EXIT_DATA, "out of memory");
			nser++;
		}
		tsd_store_names_free(names, n);
	}
}

/* Write the samples of series k in [from, to). */
static void dump(qseries *q, int64_t from, int64_t to)
{
	int64_t t;
	double v;
	int rc;

	if (tsd_store_query(st, q->name, from, to) < 0)
		db_die();
	while ((rc = tsd_store_next(st, &t, &v)) == 1) {
		tool_sample(&io, q->id, t, v);
		q->last = t;
		q->any = 1;
	}
	if (rc < 0)
		db_die();
}

int main(int argc, char **argv)
{
	enum { O_SINCE = 3000, O_FROM, O_TO, O_INTERVAL, O_BUSY };
	static const struct option lopts[] = {
		{ "series", required_argument, 0, 's' }, { "since", required_argument, 0, O_SINCE },
		{ "from", required_argument, 0, O_FROM }, { "to", required_argument, 0, O_TO },
		{ "follow", no_argument, 0, 'f' }, { "interval", required_argument, 0, O_INTERVAL },
		{ "busy-timeout", required_argument, 0, O_BUSY },
		{ "output-format", required_argument, 0, 'o' }, { "time-format", required_argument, 0, 't' },
		{ "precision", required_argument, 0, 1004 }, { "no-header", no_argument, 0, 1005 },
		{ "help", no_argument, 0, 'h' }, { "version", no_argument, 0, 'V' }, { 0, 0, 0, 0 },
	};
	char **globs = NULL, err[600];
	size_t nglobs = 0;
	int64_t from = INT64_MIN, to = INT64_MAX, interval_ms = 1000;
	int c, rc, follow = 0, have_from = 0;
	tsd_store_opts so;

	tool_name = "tsquery";
	tool_io_init(&io);
	io.out_shape = TSD_SHAPE_LONG;
	tsd_store_defaults(&so);
	while ((c = getopt_long(argc, argv, "s:fo:t:hV", lopts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (!(globs = realloc(globs, (nglobs + 1) * sizeof *globs)))
				tool_die(EXIT_DATA, "out of memory");
			globs[nglobs++] = optarg;
			break;
		case O_SINCE: {
			struct timespec ts;
			int64_t d = tool_duration("--since", optarg);
			clock_gettime(CLOCK_REALTIME, &ts);
			from = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec - d;
			have_from++;
			break;
		}
		case O_FROM: from = parse_time("--from", optarg); have_from++; break;
		case O_TO: to = parse_time("--to", optarg); break;
		case 'f': follow = 1; break;
		case O_INTERVAL: interval_ms = tool_duration("--interval", optarg) / 1000000; break;
		case O_BUSY: so.busy_ms = tool_duration("--busy-timeout", optarg) / 1000000; break;
		case 'h': tool_help(usage);
		default:
			if (tool_io_option(&io, c, optarg))
				break;
			fprintf(stderr, "Try 'tsquery --help' for more information.\n");
			return EXIT_USAGE;
		}
	}
	if (have_from > 1)
		tool_usage_error("--since and --from: give one start");
	if (optind + 1 != argc)
		tool_usage_error(optind >= argc ? "no database (sqlite:PATH or a PostgreSQL connection string)"
						: "one database only");
	if (from >= to)
		tool_usage_error("--from/--since is not before --to");
	dbname = argv[optind];
	if ((rc = tsd_store_open(&st, dbname, &so, err, sizeof err)) < 0) {
		if (rc == TSD_EINVAL)
			tool_usage_error("%s", err);
		tool_die(EXIT_DATA, "%s", err);
	}
	if (follow) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_signal;
		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGINT, &sa, NULL);
	}
	list_series(globs, nglobs);
	for (size_t k = 0; k < nser; k++)
		dump(&ser[k], from, to);
	tool_open_output(&io);
	while (follow && !stop) {
		if (tsd_writer_flush(io.w) < 0 || fflush(stdout) == EOF)
			tool_die(EXIT_DATA, "write error:");
		struct timespec ts = { interval_ms / 1000, (long)(interval_ms % 1000) * 1000000 };
		nanosleep(&ts, NULL);
		if (stop)
			break;
		list_series(globs, nglobs);
		/* new samples: later than the last one written of each series */
		for (size_t k = 0; k < nser; k++)
			dump(&ser[k], ser[k].any && ser[k].last >= from ? ser[k].last + 1 : from, to);
	}
	tsd_store_close(st);
	tool_finish(&io);
	for (size_t k = 0; k < nser; k++)
		free(ser[k].name);
	free(ser);
	free(globs);
	return 0;
}
