/* tsplot: draw streams of series with one gnuplot kept fed through a pipe:
 * live (a rolling span refreshed at a steady rate), into files rewritten
 * at each refresh, in the terminal, or on a small web page. The readers
 * and the state they share are tool/plotstate.c; gnuplot, its files and
 * the chart are tool/plotdraw.c; the page is tool/plotweb.c. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "plotcmd.h"
#include "plotdraw.h"
#include "plotstate.h"
#include "plotweb.h"
#include "tool.h"

static const char usage[] =
"usage: tsplot [options] [FILE...]\n"
"Plot the series of the input with gnuplot as they arrive. Several FILEs\n"
"are read at the same time (e.g. an original and a downsampled stream)\n"
"and drawn over each other: a series of the same name has one hue, the\n"
"first input thin lighter lines, the others lines with points.\n"
"\n"
"  -s, --series PAT       plot the series whose name matches the shell\n"
"                         pattern PAT (repeatable; default all)\n"
"      --span DUR         rolling window of event time: 15m, 1h... (default:\n"
"                         all of the input)\n"
"      --refresh DUR      redraw period (default 1s)\n"
"      --once             draw once, at the end of the input\n"
"  -T, --terminal T       gnuplot terminal: qt, x11, wxt, dumb, sixelgd,\n"
"                         pngcairo, png, svg (default: from --output, else\n"
"                         qt or x11 when $DISPLAY is set, else dumb)\n"
"      --output FILE      write the chart to FILE (rewritten at each\n"
"                         refresh; .png, .svg or .txt pick the terminal;\n"
"                         not -o, the output format of the other tools)\n"
"      --size WxH         chart size in pixels (dumb: characters)\n"
"      --columns N        buckets across the chart (default: its width)\n"
"      --panels           one panel per series name, in name order (the\n"
"                         default beyond 10 names)\n"
"      --yrange LO:HI     fixed value range; * or empty for automatic\n"
"      --title TEXT       chart title\n"
"      --labels A,B,...   names of the inputs in the key (default: file names)\n"
"      --serve PORT       serve an interactive page on PORT (zoom, pan, hover;\n"
"                         kept on after the end of the input until SIGINT)\n"
"      --history N        samples per series the page can zoom into\n"
"                         (default 1000000; memory up to 16 bytes each)\n"
"      --bind ADDR        address to serve on (default 127.0.0.1)\n"
"      --persist          keep an interactive window open after the end\n"
"      --gnuplot PROG     gnuplot program (default gnuplot)\n"
"  -v, --verbose          counts on stderr at the end\n"
"  -d, --delimiter C      input field delimiter (default: detect)\n"
"  -N, --name NAME        name of the series of single-series input\n"
"      --time-unit U      unit of integer input times: s, ms, us, ns\n"
"      --order O          drop (default), strict, dupok or any\n"
"  -h, --help             this help;  -V, --version  the version\n"
"Deprecated, for this release only: -r for --refresh (see tsdown(7)).\n"
"\nExit status: 0 success (also on SIGINT), 1 bad input, gnuplot failure or\n"
"a port in use, 2 usage error.\n";

static void parse_size(tool_plotdraw *d, const char *s)
{
	char *e;
	long w = strtol(s, &e, 10), h;

	if (e == s || (*e != 'x' && *e != ','))
		tool_usage_error("--size: '%s' is not WxH", s);
	h = strtol(e + 1, &e, 10);
	if (*e || w < 10 || h < 5 || w > 20000 || h > 20000)
		tool_usage_error("--size: '%s' is not WxH (10x5 to 20000x20000)", s);
	d->w = (int)w;
	d->h = (int)h;
	d->size_given = 1;
}

static void check_yrange(const char *s)
{
	const char *c = strchr(s, ':');
	char a[64], b[64];
	double v;

	if (!c || strchr(c + 1, ':') || (size_t)(c - s) >= sizeof a || strlen(c + 1) >= sizeof b)
		tool_usage_error("--yrange: '%s' is not LO:HI", s);
	memcpy(a, s, (size_t)(c - s));
	a[c - s] = 0;
	strcpy(b, c + 1);
	if ((a[0] && strcmp(a, "*") && tsd_parse_double(&v, a)) ||
	    (b[0] && strcmp(b, "*") && tsd_parse_double(&v, b)))
		tool_usage_error("--yrange: '%s' is not LO:HI (numbers, * or empty)", s);
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	enum { O_SPAN = 2000, O_ONCE, O_OUTPUT, O_SIZE, O_COLUMNS, O_PANELS, O_YRANGE, O_TITLE,
	       O_LABELS, O_SERVE, O_BIND, O_PERSIST, O_GNUPLOT, O_HISTORY, O_REFRESH };
	static const struct option lopts[] = {
		{ "series", required_argument, 0, 's' }, { "span", required_argument, 0, O_SPAN },
		{ "refresh", required_argument, 0, O_REFRESH }, { "once", no_argument, 0, O_ONCE },
		{ "terminal", required_argument, 0, 'T' }, { "output", required_argument, 0, O_OUTPUT },
		{ "size", required_argument, 0, O_SIZE }, { "columns", required_argument, 0, O_COLUMNS },
		{ "panels", no_argument, 0, O_PANELS }, { "yrange", required_argument, 0, O_YRANGE },
		{ "title", required_argument, 0, O_TITLE }, { "labels", required_argument, 0, O_LABELS },
		{ "serve", required_argument, 0, O_SERVE }, { "bind", required_argument, 0, O_BIND },
		{ "persist", no_argument, 0, O_PERSIST }, { "gnuplot", required_argument, 0, O_GNUPLOT },
		{ "history", required_argument, 0, O_HISTORY },
		{ "verbose", no_argument, 0, 'v' },
		{ "delimiter", required_argument, 0, 'd' }, { "name", required_argument, 0, 'N' },
		{ "time-unit", required_argument, 0, 1001 }, { "order", required_argument, 0, 1003 },
		{ "help", no_argument, 0, 'h' }, { "version", no_argument, 0, 'V' },
		{ 0, 0, 0, 0 },
	};
	/* the readers' state, shared under st.lock; the drawing side */
	static tool_plotstate st;
	static tool_plotdraw d = { .st = &st };
	static tool_plot_input inputs[TOOL_PLOT_INPUTS_MAX];
	static char *dash[] = { "-" };
	pthread_t th[TOOL_PLOT_INPUTS_MAX];
	char **files, **pats = NULL;
	int nfiles, npats = 0, c, i, rc, ndone = 0, sfd, stop = 0;
	int64_t span = 0, refresh = 1000000000;
	int once = 0, verbose = 0, columns = 0, port = 0, gp_on;
	const char *bind = "127.0.0.1";
	size_t history = 1000000;
	long late = 0;             /* refreshes skipped: gnuplot still drawing */
	tool_plotweb *web = NULL;  /* --serve */
	char *labels = NULL;
	tool_io io;
	sigset_t sigs;
	int64_t next;

	tool_name = "tsplot";
	tool_io_init(&io);
	io.in.gaps = 1; /* gap markers break the lines */
	while ((c = getopt_long(argc, argv, "s:r:o:T:vd:N:hV", lopts, NULL)) != -1) {
		if (c == 'r') {
			tool_deprecated("-r", "--refresh");
			c = O_REFRESH;
		}
		if (c == 'o')
			tool_usage_error("-o is the output format (csv or bin) in tsdown; "
					 "write the chart to a file with --output %s", optarg);
		if (c != 'h' && tool_io_option(&io, c, optarg))
			continue;
		switch (c) {
		case 's':
			if (!(pats = realloc(pats, (size_t)(npats + 1) * sizeof *pats)))
				tool_die(EXIT_DATA, "out of memory");
			pats[npats++] = optarg;
			break;
		case O_SPAN: span = tool_duration("--span", optarg); break;
		case O_REFRESH: refresh = tool_duration("--refresh", optarg); break;
		case O_ONCE: once = 1; break;
		case 'T': tool_plotdraw_term(&d, optarg); break;
		case O_OUTPUT: d.output = optarg; break;
		case O_SIZE: parse_size(&d, optarg); break;
		case O_COLUMNS: columns = (int)tool_long("--columns", optarg, 1, TSD_PLOTBUF_COLUMNS_MAX); break;
		case O_PANELS: d.panels = 1; break;
		case O_YRANGE: check_yrange(optarg); d.yrange = optarg; break;
		case O_TITLE: d.title = optarg; break;
		case O_LABELS: labels = optarg; break;
		case O_SERVE: port = (int)tool_long("--serve", optarg, 1, 65535); break;
		case O_BIND: bind = optarg; break;
		case O_HISTORY: history = (size_t)tool_long("--history", optarg, 2, 1000000000); break;
		case O_PERSIST: d.persist = 1; break;
		case O_GNUPLOT: d.gnuplot = optarg; break;
		case 'v': verbose = 1; break;
		case 'h':
			tool_help(usage);
		default:
			tool_bad_option();
		}
	}
	tsd_series_free(io.tab); /* each input has its own table */
	io.tab = io.in.tab = NULL;
	nfiles = argc - optind;
	files = argv + optind;
	if (!nfiles)
		files = dash, nfiles = 1;
	if (nfiles > TOOL_PLOT_INPUTS_MAX)
		tool_usage_error("at most %d inputs", TOOL_PLOT_INPUTS_MAX);
	if (nfiles > 1 && io.in.rename)
		tool_usage_error("-N: one name for several inputs");
	for (i = 0; i < nfiles; i++)
		for (int j = 0; j < i; j++)
			if (!strcmp(files[i], "-") && !strcmp(files[j], "-"))
				tool_usage_error("stdin given twice");
	/* labels of the inputs */
	for (i = 0; i < nfiles; i++) {
		char *l = NULL;
		if (labels) {
			l = strsep(&labels, ",");
			if (!l || !*l)
				tool_usage_error("--labels: one non-empty label per input");
		} else if (nfiles > 1) {
			const char *b = strrchr(files[i], '/');
			l = strdup(!strcmp(files[i], "-") ? "stdin" : b ? b + 1 : files[i]);
			if (!l)
				tool_die(EXIT_DATA, "out of memory");
		}
		d.labels[i] = l ? l : "";
	}
	if (labels)
		tool_usage_error("--labels: more labels than inputs");
	if (d.output) {
		char q[8];
		if (tsd_plot_quote_path(q, sizeof q, d.output) == TSD_EINVAL)
			tool_usage_error("--output: a file name with a control character");
		if (strlen(d.output) > 3000)
			tool_usage_error("--output: a file name of more than 3000 bytes");
	}
	if (d.output && !d.term) {
		const char *t = tsd_plot_term_of(d.output);
		if (!t)
			tool_usage_error("--output: say the terminal with -T (no .png, .svg or .txt ending)");
		tool_plotdraw_term(&d, t);
	}
	if (d.term && d.interactive && d.output)
		tool_usage_error("-T %s: an interactive window has no --output", d.tname);
	/* the page draws for itself; gnuplot only when asked for too (with
	 * --output, -T is set) */
	gp_on = !port || d.term;
	if (tool_plotstate_init(&st, pats, npats) < 0)
		tool_die(EXIT_DATA, "out of memory");

	/* signals: SIGINT and SIGTERM arrive on a signalfd in the main loop */
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	if ((sfd = signalfd(-1, &sigs, SFD_CLOEXEC)) < 0 || pipe2(st.notify, O_CLOEXEC) < 0)
		tool_die(EXIT_DATA, "signalfd:");

	if (gp_on)
		tool_plotdraw_start(&d);
	if (port) {
		char err[300];
		static tool_plotweb_src src;
		src = (tool_plotweb_src){ .lock = &st.lock, .arg = &st, .count = tool_plotstate_count,
			.series = tool_plotstate_series, .title = d.title, .labels = d.labels,
			.nlabels = nfiles, .span = span, .refresh_ms = (long)(refresh / 1000000) };
		if ((rc = tsd_plothist_new(&st.hist, history)) < 0)
			tool_plotdraw_die(&d, "%s", tsd_strerror(rc));
		src.hist = st.hist;
		rc = tool_plotweb_start(&web, bind, port, &src, err, sizeof err);
		int e = errno;
		if (rc == -2)
			tool_usage_error("%s", err);
		if (rc < 0 && err[0] && err[strlen(err) - 1] == ':')
			tool_plotdraw_die(&d, "%s %s", err, strerror(e));
		if (rc < 0)
			tool_plotdraw_die(&d, "%s", err);
		fprintf(stderr, "tsplot: serving on http://%s:%d/\n", bind, port);
	}
	if (gp_on)
		tool_plotdraw_alloc(&d, columns ? columns : d.w, span);
	for (i = 0; i < nfiles; i++) {
		tool_plot_input *in = &inputs[i];
		in->st = &st;
		in->index = i;
		in->path = files[i];
		in->opts = io.in;
		if (!(in->tab = tsd_series_new()))
			tool_plotdraw_die(&d, "out of memory");
		if ((rc = pthread_create(&th[i], NULL, tool_plot_reader, in)) != 0) {
			errno = rc;
			tool_plotdraw_die(&d, "pthread_create:");
		}
	}

	next = now_ns() + refresh;
	while (!stop) {
		struct pollfd p[4] = {
			{ .fd = sfd, .events = POLLIN },
			{ .fd = st.notify[0], .events = POLLIN },
			{ .fd = d.gp ? tsd_gnuplot_fd(d.gp) : -1, .events = POLLIN },
			{ .fd = d.gp ? tsd_gnuplot_out_fd(d.gp) : -1, .events = POLLIN },
		};
		int64_t left = next - now_ns();
		int timeout = once || !d.gp ? -1 : left <= 0 ? 0 : (int)((left + 999999) / 1000000);
		if (poll(p, 4, timeout) < 0 && errno != EINTR)
			tool_plotdraw_die(&d, "poll:");
		if (p[0].revents) {
			struct signalfd_siginfo si;
			if (read(sfd, &si, sizeof si) > 0)
				stop = 2;
		}
		if (p[1].revents) {
			char b[16];
			ssize_t n = read(st.notify[0], b, sizeof b);
			if (n > 0)
				ndone += (int)n;
			for (i = 0; i < nfiles; i++)
				if (inputs[i].err[0])
					tool_plotdraw_die(&d, "%s", inputs[i].err);
			/* the page is served on after the end of the input,
			 * until a signal */
			if (ndone >= nfiles && !web)
				stop = 1;
		}
		if (p[2].revents || p[3].revents)
			tool_plotdraw_drain(&d);
		if (!d.gp)
			continue;
		tool_plotdraw_publish_ready(&d);
		if (!once && now_ns() >= next) {
			if (tool_plotdraw_busy(&d))
				late++;
			else
				tool_plotdraw_refresh(&d);
			next += refresh;
			if (next < now_ns())
				next = now_ns() + refresh;
		}
	}

	/* the last chart: wait for the one being drawn, draw, wait */
	uint64_t nsamples = 0;
	for (i = 0; i < nfiles; i++)
		nsamples += inputs[i].samples;
	for (i = 0; i < npats && nsamples; i++)
		if (!st.matched[i]) {
			if (stop == 1)
				tool_plotdraw_die(&d, "no series matches '%s'", pats[i]);
			tool_warn("no series matches '%s'", pats[i]);
		}
	if (!d.gp) {
		tool_plotweb_stop(web);
		web = NULL;
		if (verbose)
			fprintf(stderr, "tsplot: %" PRIu64 " samples, %u series\n", nsamples, st.nps);
	} else {
		int status;
		tool_plotdraw_wait(&d);
		if (!nsamples)
			tool_plotdraw_empty(&d);
		else
			tool_plotdraw_refresh(&d);
		tool_plotdraw_wait(&d);
		tool_plotdraw_check_out(&d);
		tool_plotweb_stop(web);
		web = NULL;
		rc = tool_plotdraw_close(&d, &status);
		int e = errno;
		if (verbose)
			fprintf(stderr, "tsplot: %" PRIu64 " samples, %u series, %ld refreshes, %ld late\n",
				nsamples, st.nps, d.refreshes, late);
		if (rc < 0 && WIFEXITED(status) && !WEXITSTATUS(status)) {
			if (e == EPIPE)
				exit(EXIT_DATA);
			errno = e;
			tool_die(EXIT_DATA, "write error:");
		}
		if (rc < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
			if (WIFSIGNALED(status))
				tool_die(EXIT_DATA, "gnuplot was killed by signal %d", WTERMSIG(status));
			tool_die(EXIT_DATA, "gnuplot reported errors (status %d)", WEXITSTATUS(status));
		}
	}
	if (fflush(stdout) == EOF || ferror(stdout))
		tool_die(EXIT_DATA, "write error:");
	/* reader threads still blocked on input (after SIGINT) end with us */
	return 0;
}
