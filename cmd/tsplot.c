/* tsplot: draw streams of series with one gnuplot kept fed through a pipe:
 * live (a rolling span refreshed at a steady rate), into files rewritten
 * at each refresh, in the terminal, or on a small web page. */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "gnuplot.h"
#include "plotbuf.h"
#include "plotcmd.h"
#include "plothist.h"
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

#define MAX_INPUTS 16
#define BATCH 512
#define MSGLEN 8192

typedef struct {
	uint32_t id;
	int64_t t;
	double v;
} sample;

typedef struct {
	int index;
	const char *path, *label;
	tsd_reader_opts opts;
	tsd_series_tab *tab;
	int32_t *map;              /* (nmap) local id -> plot id, -1 not shown, -2 unknown */
	size_t nmap;
	sample batch[BATCH];
	size_t nb;
	char err[1024];
	uint64_t samples;
} input;

typedef struct {
	char *name;                /* as read */
	int input;
	uint32_t group;            /* name index: colour and panel */
	int64_t last_t;
	int sent;                  /* data block $dN holds points */
	int64_t sent_last;         /* last point time sent */
} pseries;

static struct {
	/* options */
	char **pats;
	int npats;
	long *matched;
	int64_t span, refresh;
	int once, panels, verbose, persist;
	const char *term, *output, *title, *yrange, *bind, *gnuplot;
	char tname[32];            /* the terminal's name: first word of term */
	const char *topts;         /* the rest of term: vetted options or "" */
	int interactive;           /* qt, x11, wxt: a window */
	char *labels[MAX_INPUTS];
	int w, h, columns, port;
	int size_given, cur_w, cur_h;  /* --size; the terminal's size now */
	int nokey;                 /* one chart of many series: key off */
	uint32_t nokey_n;          /* ... for this many series */
	int tty_dumb;
	/* shared with reader threads (lock) */
	pthread_mutex_t lock;
	tsd_plotbuf *pb;
	pseries *ps;
	uint32_t nps, cps;
	tsd_series_tab *groups;
	int layout_changed;
	int notify[2];
	/* main */
	tsd_gnuplot *gp;
	int64_t plot_sync;         /* sync after the last plot */
	int64_t rename_sync;       /* publish tmp as the output once synced */
	char tmp[4200];            /* gnuplot's output file, in tmpdir */
	int file_out;              /* gnuplot draws into tmp */
	const char *user_output;   /* --output, where each chart is copied */
	long refreshes, late;
	int gp_failed;
	/* t, v scratch for tsd_plotbuf_points */
	int64_t *pt;
	double *pv;
	tool_plotweb *web;         /* --serve */
	tsd_plothist *hist;        /* --serve: the samples the page is drawn from */
	size_t history;            /* --history: samples kept per series */
	int gp_on;                 /* gnuplot draws (not only the page) */
	char tmpdir[4096];         /* private folder (mkdtemp) for gnuplot's files */
	struct { long id; int64_t sync; } blk[16]; /* data block files in flight */
	int nblk;
	long blk_seq;
	char *scratch;             /* (nscratch) one series' data block */
	size_t nscratch;
} g = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void die_gp(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void set_term(const char *spec);
static void cleanup_files(void);

/* ------------------------------------------------------------ messages */

static void show_gnuplot(const char *msg)
{
	const char *s = msg;

	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		size_t k = 0;
		while (k < n && (s[k] == ' ' || s[k] == '\t'))
			k++;
		if (k < n)
			fprintf(stderr, "tsplot: gnuplot: %.*s\n", (int)n, s);
		s += n + (nl != NULL);
	}
}

static void check_out(void)
{
	int e = g.gp ? tsd_gnuplot_out_error(g.gp) : 0;

	if (e == EPIPE) {
		/* the reader of our output has gone (| head): end quietly */
		cleanup_files();
		exit(EXIT_DATA);
	}
	if (e) {
		errno = e;
		die_gp("write error:");
	}
}

static void drain_gnuplot(void)
{
	char msg[MSGLEN];
	size_t got;
	int rc;

	do {
		rc = tsd_gnuplot_read(g.gp, msg, sizeof msg, &got);
		if (got)
			show_gnuplot(msg);
	} while (got);
	check_out();
	if (rc == 1)
		die_gp("gnuplot has exited");
	if (rc < 0)
		die_gp("reading gnuplot's messages:");
}

static void drop_blocks(int all);

static void cleanup_files(void)
{
	drop_blocks(1);
	if (g.tmp[0])
		unlink(g.tmp);
	if (g.tmpdir[0])
		rmdir(g.tmpdir);
}

/* Die with a message after ending gnuplot and showing what it said. */
static void die_gp(const char *fmt, ...)
{
	va_list ap;
	int e = errno;
	char msg[MSGLEN];
	size_t got = 0;
	int st = 0;

	if (g.gp) {
		tsd_gnuplot_close(g.gp, &st, msg, sizeof msg, &got);
		g.gp = NULL;
		if (got)
			show_gnuplot(msg);
	}
	cleanup_files();
	errno = e;
	fprintf(stderr, "tsplot: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (fmt[strlen(fmt) - 1] == ':')
		fprintf(stderr, " %s", strerror(e));
	if (WIFSIGNALED(st))
		fprintf(stderr, " (killed by signal %d)", WTERMSIG(st));
	else if (WIFEXITED(st) && WEXITSTATUS(st))
		fprintf(stderr, " (status %d)", WEXITSTATUS(st));
	fputc('\n', stderr);
	exit(EXIT_DATA);
}

/* ------------------------------------------------------------- readers */

static int match(const char *name)
{
	int i, any = 0;

	if (!g.npats)
		return 1;
	for (i = 0; i < g.npats; i++)
		if (fnmatch(g.pats[i], name, 0) == 0)
			g.matched[i]++, any = 1;
	return any;
}

/* Under the lock: the plot id of a new series of input `in`, or -1. */
static int32_t add_series(input *in, uint32_t local)
{
	const char *name = tsd_series_name(in->tab, local);
	pseries *p;
	uint32_t grp;

	if (!match(name))
		return -1;
	if (g.nps == g.cps) {
		uint32_t nc = g.cps ? g.cps * 2 : 64;
		pseries *np = realloc(g.ps, nc * sizeof *np);
		if (!np)
			return -3;
		g.ps = np;
		g.cps = nc;
	}
	if (tsd_series_intern(&grp, g.groups, name, strlen(name)) < 0)
		return -3;
	p = &g.ps[g.nps];
	memset(p, 0, sizeof *p);
	if (!(p->name = strdup(name)))
		return -3;
	p->input = in->index;
	p->group = grp;
	p->last_t = INT64_MIN;
	g.layout_changed = 1;
	return (int32_t)g.nps++;
}

static int flush_batch(input *in)
{
	size_t i;
	int rc = 0;

	if (!in->nb)
		return 0;
	pthread_mutex_lock(&g.lock);
	for (i = 0; i < in->nb && rc >= 0; i++) {
		sample *s = &in->batch[i];
		if (s->id >= in->nmap) {
			size_t nn = in->nmap ? in->nmap * 2 : 64, j;
			while (nn <= s->id)
				nn *= 2;
			int32_t *nm = realloc(in->map, nn * sizeof *nm);
			if (!nm) {
				rc = TSD_ENOMEM;
				break;
			}
			for (j = in->nmap; j < nn; j++)
				nm[j] = -2;
			in->map = nm;
			in->nmap = nn;
		}
		if (in->map[s->id] == -2 && (in->map[s->id] = add_series(in, s->id)) == -3)
			rc = TSD_ENOMEM;
		int32_t id = in->map[s->id];
		if (id < 0)
			continue;
		if (g.pb)
			rc = tsd_plotbuf_push(g.pb, (uint32_t)id, s->t, s->v);
		if (rc >= 0 && g.hist)
			rc = tsd_plothist_push(g.hist, (uint32_t)id, s->t, s->v);
		if (rc >= 0 && s->t > g.ps[id].last_t)
			g.ps[id].last_t = s->t;
	}
	pthread_mutex_unlock(&g.lock);
	in->nb = 0;
	if (rc < 0)
		snprintf(in->err, sizeof in->err, "%s", tsd_strerror(rc));
	return rc < 0 ? rc : 0;
}

static int on_idle(void *arg)
{
	return flush_batch(arg) < 0 ? 0 : 0;
}

static void *reader_main(void *arg)
{
	input *in = arg;
	tsd_reader *r = NULL;
	tsd_rec rec;
	int fd = 0, rc;
	char c = 1;

	if (strcmp(in->path, "-") != 0 && (fd = open(in->path, O_RDONLY | O_CLOEXEC)) < 0) {
		snprintf(in->err, sizeof in->err, "%s: %s", in->path, strerror(errno));
		goto done;
	}
	in->opts.tab = in->tab;
	in->opts.name = in->path;
	if ((rc = tsd_reader_open(&r, fd, &in->opts)) < 0) {
		snprintf(in->err, sizeof in->err, "%s", tsd_strerror(rc));
		goto done;
	}
	tsd_reader_on_idle(r, on_idle, in);
	while ((rc = tsd_reader_next(r, &rec)) > 0) {
		if (rec.kind == TSD_REC_CONTROL)
			continue;
		if (rec.kind != TSD_REC_SAMPLE) {
			snprintf(in->err, sizeof in->err, "%s: expected samples, found wavelet coefficients",
				 tsd_reader_where(r));
			goto done;
		}
		in->batch[in->nb++] = (sample){ rec.s.series, rec.s.t, rec.s.v };
		in->samples++;
		if (in->nb == BATCH && flush_batch(in) < 0)
			goto done;
	}
	if (rc < 0) {
		snprintf(in->err, sizeof in->err, "%s", tsd_reader_errmsg(r));
		goto done;
	}
	flush_batch(in);
	long first;
	uint64_t nd = tsd_reader_dropped(r, &first);
	if (nd)
		fprintf(stderr, "tsplot: %s: %llu sample%s not later than the one before dropped (first at line %ld; see --order)\n",
			strcmp(in->path, "-") ? in->path : "<stdin>", (unsigned long long)nd, nd == 1 ? "" : "s", first);
done:
	if (r)
		tsd_reader_close(r);
	if (fd > 0)
		close(fd);
	while (write(g.notify[1], &c, 1) < 0 && errno == EINTR)
		;
	return NULL;
}

/* ------------------------------------------------------------- drawing */

/* The data blocks of a refresh go to gnuplot through a file it loads,
 * not through its stdin: gnuplot reads commands from a pipe one byte per
 * read(2), which at 1000 series (megabytes of points a refresh) was what
 * held tsplot back; a loaded file is read through stdio's buffer. Files
 * are removed once gnuplot has passed the sync that follows them. */
static void block_path(char *buf, size_t len, long id)
{
	snprintf(buf, len, "%s/blocks-%ld.gp", g.tmpdir, id);
}

static void drop_blocks(int all)
{
	int64_t synced = g.gp ? tsd_gnuplot_synced(g.gp) : INT64_MAX;
	int k = 0;

	for (int i = 0; i < g.nblk; i++) {
		if (all || g.blk[i].sync <= synced) {
			char p[sizeof g.tmpdir + 40];
			block_path(p, sizeof p, g.blk[i].id);
			unlink(p);
		} else {
			g.blk[k++] = g.blk[i];
		}
	}
	g.nblk = k;
}

/* Under the lock: data blocks of the changed series into a new file and
 * a command to load it. Returns the file's id (> 0), 0 when no series
 * changed, or < 0. */
static long send_data(void)
{
	size_t cap = tsd_plotbuf_points_len(g.pb);
	uint32_t i;
	char path[sizeof g.tmpdir + 40], q[sizeof path * 2 + 3];
	FILE *f = NULL;
	long id = ++g.blk_seq;

	block_path(path, sizeof path, id);
	for (i = 0; i < g.nps; i++) {
		long n;
		size_t need;
		if (!tsd_plotbuf_changed(g.pb, i))
			continue;
		n = tsd_plotbuf_points(g.pt, g.pv, g.pb, i, cap);
		if (n < 0)
			goto failed;
		tsd_plotbuf_clear_changed(g.pb, i);
		need = tsd_plot_data_size((size_t)n);
		if (need > g.nscratch) {
			char *nb = realloc(g.scratch, need);
			if (!nb)
				goto failed;
			g.scratch = nb;
			g.nscratch = need;
		}
		if (!f && !(f = fopen(path, "we")))
			goto failed;
		size_t len = tsd_plot_data(g.scratch, i, g.pt, g.pv, (size_t)n);
		if (fwrite(g.scratch, 1, len, f) != len)
			goto failed;
		g.ps[i].sent = n > 0;
		if (n > 0)
			g.ps[i].sent_last = g.pt[n - 1];
	}
	if (!f)
		return 0;
	if (fclose(f) != 0) {
		f = NULL;
		goto failed;
	}
	if (tsd_plot_quote_path(q, sizeof q, path) < 0 || tsd_gnuplot_printf(g.gp, "load %s\n", q) < 0)
		return TSD_ENOMEM;
	return id;
failed:
	if (f)
		fclose(f);
	unlink(path);
	return TSD_EIO;
}

/* One hue per series name (ten distinct ones, then steps of the golden
 * angle); the first input of an overlay, the original, in a lighter tint
 * of the same hue under the others. */
static void colour(char *buf, size_t len, uint32_t group, int light)
{
	static const unsigned pal[10] = { 0x1f77b4, 0xd62728, 0x2ca02c, 0xff7f0e, 0x9467bd,
					  0x8c564b, 0xe377c2, 0x17becf, 0xbcbd22, 0x7f7f7f };
	unsigned rgb, c[3];

	if (group < 10) {
		rgb = pal[group];
	} else {
		/* hsv(h, 0.75, 0.75) */
		double h = fmod(group * 137.508, 360.0) / 60.0, v = 0.75, sat = 0.75;
		double f = h - floor(h), p = v * (1 - sat), q = v * (1 - sat * f), t = v * (1 - sat * (1 - f));
		double r, gg, b;
		switch ((int)h) {
		case 0: r = v, gg = t, b = p; break;
		case 1: r = q, gg = v, b = p; break;
		case 2: r = p, gg = v, b = t; break;
		case 3: r = p, gg = q, b = v; break;
		case 4: r = t, gg = p, b = v; break;
		default: r = v, gg = p, b = q; break;
		}
		rgb = (unsigned)(r * 255) << 16 | (unsigned)(gg * 255) << 8 | (unsigned)(b * 255);
	}
	c[0] = rgb >> 16 & 255, c[1] = rgb >> 8 & 255, c[2] = rgb & 255;
	if (light)
		for (int k = 0; k < 3; k++)
			c[k] = c[k] + (255 - c[k]) * 55 / 100;
	snprintf(buf, len, "rgb '#%02x%02x%02x'", c[0], c[1], c[2]);
}

/* The key title of series i: its name, with the input's label when there
 * are several inputs; in a panel (titled with the name) the label only. */
static void curve_title(char *buf, size_t len, uint32_t i, int in_panel)
{
	const pseries *p = &g.ps[i];
	int several = g.labels[1] || p->input > 0;

	if (in_panel)
		snprintf(buf, len, "%s", several ? g.labels[p->input] : "");
	else if (several)
		snprintf(buf, len, "%s %s", p->name, g.labels[p->input]);
	else
		snprintf(buf, len, "%s", p->name);
}

static int curve(uint32_t i, int first, int in_panel)
{
	char q[600], title[1100], lc[40];
	const pseries *p = &g.ps[i];

	curve_title(title, sizeof title, i, in_panel);
	colour(lc, sizeof lc, p->group, p->input == 0 && g.labels[1]);
	return tsd_gnuplot_printf(g.gp, "%s$d%" PRIu32 " using 1:2 with %s lc %s %s%s",
				  first ? "plot " : ", ", i,
				  p->input == 0 ? "lines lw 1" : "linespoints lw 1.5 pt 7 ps 0.4", lc,
				  *title ? "title " : "notitle",
				  *title ? tsd_plot_quote(q, sizeof q, title) : "");
}

static int group_order_cmp(const void *a, const void *b)
{
	const char *x = tsd_series_name(g.groups, *(const uint32_t *)a);
	const char *y = tsd_series_name(g.groups, *(const uint32_t *)b);

	return strverscmp(x, y);
}

/* Under the lock: whether series i is drawn in [t0, ...]. */
static int shown(uint32_t i, int64_t t0)
{
	return g.ps[i].sent && g.ps[i].sent_last >= t0;
}

/* Under the lock: the plot command(s) for what is shown in [t0, t1]. One
 * chart with the key outside on the right, or one panel per series name
 * (--panels, or beyond TSPLOT_PANELS_AUTO names: a key of 50 names covers
 * the plot), panels in name order (s2 before s10). */
#define TSPLOT_PANELS_AUTO 10
#define TSPLOT_PANELS_MAX 100
static int send_plot(int64_t t0, int64_t t1, int *ncurves)
{
	char a[40], b[40], xt[200];
	uint32_t ngroups = tsd_series_count(g.groups), gi, i, nshown = 0, *order = NULL;
	int rc = 0, any, panels, cols = 1, rows = 1, keych = 0, chars, pw = g.w, ph = g.h;
	int text = !strcmp(g.tname, "dumb");

	*ncurves = 0;
	a[tsd_plot_time(a, t0)] = 0;
	b[tsd_plot_time(b, t1 > t0 ? t1 : t0 + 1000000000)] = 0;
	if (ngroups && !(order = malloc(ngroups * sizeof *order)))
		return TSD_ENOMEM;
	/* the names shown, in name order */
	for (gi = 0; gi < ngroups; gi++)
		for (i = 0; i < g.nps; i++)
			if (g.ps[i].group == gi && shown(i, t0)) {
				order[nshown++] = gi;
				break;
			}
	qsort(order, nshown, sizeof *order, group_order_cmp);
	/* automatic panels while each can still be read: up to
	 * TSPLOT_PANELS_MAX in a file or window, as many as leave 8 lines
	 * each in a text terminal; beyond, one chart without a key (its
	 * title says how many series) */
	int pmax = text ? g.h / 8 : TSPLOT_PANELS_MAX;
	panels = g.panels || (nshown > TSPLOT_PANELS_AUTO && (int)nshown <= pmax);
	int nokey = !panels && nshown > TSPLOT_PANELS_AUTO;
	if (panels && nshown > 16 && !text)
		cols = (int)((nshown + 15) / 16) > 4 ? 4 : (int)((nshown + 15) / 16);
	rows = panels ? (int)((nshown + (uint32_t)cols - 1) / (uint32_t)cols) : 1;
	/* a file chart of many panels grows to keep each readable, unless
	 * --size was given */
	if (panels && !text && !g.interactive && !g.size_given && nshown > 0) {
		pw = cols * 450 > 900 ? cols * 450 : 900;
		ph = rows * 180 + 40;
		if (ph < 500)
			ph = 500;
		if (pw != g.cur_w || ph != g.cur_h) {
			rc |= tsd_gnuplot_printf(g.gp, "set terminal %s%s%s size %d,%d\n", g.tname,
						 *g.topts ? " " : "", g.topts, pw, ph);
			g.cur_w = pw, g.cur_h = ph;
		}
	}
	/* x tics that fit the width of one plot area, in label characters:
	 * the terminal's characters, or about 9 px each; less the y labels
	 * and the key */
	for (i = 0; i < g.nps; i++) {
		char title[1100];
		if (!shown(i, t0))
			continue;
		curve_title(title, sizeof title, i, panels);
		int n = (int)strlen(title);
		if (n > keych)
			keych = n > 40 ? 40 : n;
	}
	chars = (text ? pw : pw / 9) / cols - 12 - (keych && !nokey ? keych + 8 : 0);
	if (chars < 10)
		chars = 10;
	if (tsd_plot_xtics(xt, sizeof xt, t0, t1 > t0 ? t1 : t0 + 1000000000, chars) < 0)
		xt[0] = 0;
	rc |= tsd_gnuplot_printf(g.gp, "set xrange [%s:%s]\n%s", a, b, xt);
	if (g.tty_dumb)
		rc |= tsd_gnuplot_printf(g.gp, "print \"\\033[H\\033[2J\"\n");
	if (g.file_out) {
		char qp[sizeof g.tmp * 2 + 3];
		if (tsd_plot_quote_path(qp, sizeof qp, g.tmp) < 0) {
			free(order);
			return TSD_EINVAL; /* checked when tmp was made */
		}
		rc |= tsd_gnuplot_printf(g.gp, "set output %s\n", qp);
	}
	if (panels) {
		if (!nshown) {
			free(order);
			return rc;
		}
		if (g.title) {
			char q[600];
			rc |= tsd_gnuplot_printf(g.gp, "unset title\nset multiplot layout %d,%d title %s\n", rows, cols,
						 tsd_plot_quote(q, sizeof q, g.title));
		} else {
			rc |= tsd_gnuplot_printf(g.gp, "set multiplot layout %d,%d\n", rows, cols);
		}
		/* panels of one input have their title and no key; margins in
		 * characters, the same in every panel */
		if (!g.labels[1])
			rc |= tsd_gnuplot_printf(g.gp, "unset key\n");
		rc |= tsd_gnuplot_printf(g.gp, "set tmargin 1.5\nset bmargin %d\n",
					 strstr(xt, "\\n") ? 3 : 2);
		for (uint32_t k = 0; k < nshown; k++) {
			char q[600];
			gi = order[k];
			any = 0;
			rc |= tsd_gnuplot_printf(g.gp, "set title %s offset 0,-0.5\n",
						 tsd_plot_quote(q, sizeof q, tsd_series_name(g.groups, gi)));
			for (i = 0; i < g.nps; i++) {
				if (g.ps[i].group != gi || !shown(i, t0))
					continue;
				rc |= curve(i, !any, 1);
				any = 1;
				++*ncurves;
			}
			if (any)
				rc |= tsd_gnuplot_printf(g.gp, "\n");
		}
		rc |= tsd_gnuplot_printf(g.gp, "unset multiplot\nunset title\nset key outside right top\n"
					 "unset tmargin\nunset bmargin\n");
		if (g.title) {
			char q[600];
			rc |= tsd_gnuplot_printf(g.gp, "set title %s\n", tsd_plot_quote(q, sizeof q, g.title));
		}
	} else {
		any = 0;
		if (nokey != g.nokey || (nokey && nshown != g.nokey_n)) {
			char q[600], t[700];
			snprintf(t, sizeof t, "%s%s%u series (no key beyond %d)", g.title ? g.title : "",
				 g.title ? ": " : "", nshown, TSPLOT_PANELS_AUTO);
			rc |= tsd_gnuplot_printf(g.gp, nokey ? "unset key\nset title %s\n" : "set key outside right top\n%s",
						 nokey ? tsd_plot_quote(q, sizeof q, t) : "");
			if (!nokey) {
				if (g.title)
					rc |= tsd_gnuplot_printf(g.gp, "set title %s\n", tsd_plot_quote(q, sizeof q, g.title));
				else
					rc |= tsd_gnuplot_printf(g.gp, "unset title\n");
			}
			g.nokey = nokey;
			g.nokey_n = nshown;
		}
		for (uint32_t k = 0; k < nshown; k++)
			for (i = 0; i < g.nps; i++) {
				if (g.ps[i].group != order[k] || !shown(i, t0))
					continue;
				rc |= curve(i, !any, 0);
				any = 1;
				++*ncurves;
			}
		if (any)
			rc |= tsd_gnuplot_printf(g.gp, "\n");
	}
	if (g.file_out)
		rc |= tsd_gnuplot_printf(g.gp, "unset output\n");
	free(order);
	return rc < 0 ? TSD_ENOMEM : 0;
}

/* Once gnuplot has written the chart into the private folder: copy it to
 * the output, a regular file replaced whole (a fresh mkstemp file in the
 * output's folder, renamed over it) or anything else (a device, a FIFO)
 * written in place; every write checked. */
static void publish(void)
{
	char *buf = NULL, *tmp = NULL;
	size_t n = 0;
	struct stat st;
	int fd = -1, e;

	if (!g.user_output)
		return;
	{
		int in = open(g.tmp, O_RDONLY | O_CLOEXEC);
		if (in < 0 || fstat(in, &st) < 0)
			die_gp("%s:", g.tmp);
		if (!(buf = malloc((size_t)st.st_size + 1)))
			die_gp("out of memory");
		while (n < (size_t)st.st_size) {
			ssize_t r = read(in, buf + n, (size_t)st.st_size - n);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				die_gp("%s:", g.tmp);
			n += (size_t)r;
		}
		close(in);
	}
	if (stat(g.output, &st) == 0 && !S_ISREG(st.st_mode)) {
		if ((fd = open(g.output, O_WRONLY | O_TRUNC | O_CLOEXEC)) < 0)
			die_gp("%s:", g.output);
	} else {
		const char *sl = strrchr(g.output, '/');
		size_t dl = sl ? (size_t)(sl - g.output) + 1 : 0;
		mode_t um = umask(0);
		umask(um);
		if (asprintf(&tmp, "%.*s.%s.XXXXXX", (int)dl, g.output, sl ? sl + 1 : g.output) < 0)
			die_gp("out of memory");
		if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0) {
			e = errno;
			free(tmp);
			errno = e;
			die_gp("%s:", g.output);
		}
		fchmod(fd, 0666 & ~um);
	}
	for (size_t off = 0; off < n;) {
		ssize_t w = write(fd, buf + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto failed;
		off += (size_t)w;
	}
	if (close(fd) < 0) {
		fd = -1;
		goto failed;
	}
	fd = -1;
	if (tmp && rename(tmp, g.output) < 0)
		goto failed;
	free(tmp);
	free(buf);
	return;
failed:
	e = errno ? errno : EIO;
	if (fd >= 0)
		close(fd);
	if (tmp)
		unlink(tmp);
	free(tmp);
	free(buf);
	errno = e;
	die_gp("%s:", g.output);
}

static void check_rename(void)
{
	if (!g.rename_sync || tsd_gnuplot_synced(g.gp) < g.rename_sync)
		return;
	g.rename_sync = 0;
	publish();
}

/* One refresh: data of the changed series, then the plot. */
static void refresh(void)
{
	int64_t t0, t1, s;
	int rc, n = 0;

	pthread_mutex_lock(&g.lock);
	if (tsd_plotbuf_range(&t0, &t1, g.pb) < 0) {
		pthread_mutex_unlock(&g.lock);
		return;
	}
	drop_blocks(0);
	long blk = send_data();
	rc = blk < 0 ? (int)blk : 0;
	if (rc >= 0)
		rc = send_plot(t0, t1, &n);
	pthread_mutex_unlock(&g.lock);
	if (rc == TSD_EIO)
		die_gp("%s:", g.tmpdir);
	if (rc < 0)
		die_gp("%s", tsd_strerror(rc));
	if ((s = tsd_gnuplot_sync(g.gp)) < 0)
		die_gp("%s", tsd_strerror((int)s));
	if (blk > 0) {
		if (g.nblk == (int)(sizeof g.blk / sizeof g.blk[0]))
			drop_blocks(1); /* never: a refresh waits for the last one */
		g.blk[g.nblk].id = blk;
		g.blk[g.nblk++].sync = s;
	}
	if (tsd_gnuplot_send(g.gp) < 0)
		die_gp("gnuplot has exited");
	if (!n)
		return; /* nothing to draw: the data blocks only */
	g.plot_sync = s;
	if (g.file_out)
		g.rename_sync = s;
	g.refreshes++;
}

/* The chart of an empty input: axes and "no data" (a cron job over a quiet
 * hour draws this, exit 0). */
static void draw_empty(void)
{
	int64_t s;
	int rc = 0;

	if (g.file_out) {
		char qp[sizeof g.tmp * 2 + 3];
		if (tsd_plot_quote_path(qp, sizeof qp, g.tmp) < 0)
			die_gp("%s", tsd_strerror(TSD_EINVAL));
		rc |= tsd_gnuplot_printf(g.gp, "set output %s\n", qp);
	}
	rc |= tsd_gnuplot_printf(g.gp, "set label 1 'no data' at graph 0.5, 0.5 center\n"
				 "set format x ''\nset xrange [0:1]\nset yrange [0:1]\nplot 2 notitle\n"
				 "unset label 1\n");
	if (g.file_out)
		rc |= tsd_gnuplot_printf(g.gp, "unset output\n");
	if (rc < 0 || (s = tsd_gnuplot_sync(g.gp)) < 0)
		die_gp("%s", tsd_strerror(TSD_ENOMEM));
	if (tsd_gnuplot_send(g.gp) < 0)
		die_gp("gnuplot has exited");
	g.plot_sync = s;
	if (g.file_out)
		g.rename_sync = s;
}

/* For the page, under the lock: the series shown. */
static uint32_t web_count(void *arg)
{
	(void)arg;
	return g.nps;
}

static const char *web_series(void *arg, uint32_t id, int *in, uint32_t *group)
{
	(void)arg;
	*in = g.ps[id].input;
	*group = g.ps[id].group;
	return g.ps[id].name;
}

static int busy(void)
{
	return tsd_gnuplot_synced(g.gp) < g.plot_sync;
}

/* ---------------------------------------------------------------- setup */

static void start_gnuplot(void)
{
	char err[512], terms[4096], *argv[3];
	char msg[MSGLEN];
	size_t got;
	int rc, n = 0;
	int64_t s;

	argv[n++] = (char *)(uintptr_t)(g.gnuplot ? g.gnuplot : "gnuplot");
	if (g.persist)
		argv[n++] = (char *)(uintptr_t)"-persist";
	argv[n] = NULL;
	/* a text chart on our stdout passes through us, so that a write
	 * error there is seen; a window's gnuplot may leave a child holding
	 * its stdout open (-persist), so it keeps ours */
	if (tsd_gnuplot_open(&g.gp, argv, g.interactive ? -1 : 1, err, sizeof err) < 0)
		die_gp("%s%s", err, g.gnuplot ? "" : " (Debian: install gnuplot-nox or gnuplot-qt)");
	rc = tsd_gnuplot_query(g.gp, terms, sizeof terms, "GPVAL_TERMINALS", 20000);
	if (rc != 0) {
		if (rc == 2)
			die_gp("'%s' did not answer within 20 s", argv[0]);
		if (rc == 1 || rc == TSD_EIO)
			die_gp("'%s' exited at start", argv[0]);
		die_gp("'%s' does not answer as gnuplot 5 does", argv[0]);
	}
	if (!g.term) {
		const char *disp = getenv("DISPLAY");
		if (disp && *disp && tsd_plot_has_term(terms, "qt"))
			set_term("qt");
		else if (disp && *disp && tsd_plot_has_term(terms, "x11"))
			set_term("x11");
		else
			set_term("dumb");
	}
	if (!tsd_plot_has_term(terms, g.tname))
		die_gp("this gnuplot has no '%s' terminal%s", g.tname, tsd_plot_term_package(g.tname));
	/* the terminal and the fixed parts of the chart */
	if (!strcmp(g.tname, "dumb")) {
		if (!g.w) {
			struct winsize ws;
			if (!g.output && isatty(1) && ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20 && ws.ws_row > 8)
				g.w = ws.ws_col - 1, g.h = ws.ws_row - 1;
			else
				g.w = 100, g.h = 30;
		}
		tsd_gnuplot_printf(g.gp, "set terminal dumb%s%s size %d,%d mono\n", *g.topts ? " " : "",
				   g.topts, g.w, g.h);
		g.tty_dumb = !g.output && isatty(1);
		if (g.tty_dumb)
			tsd_gnuplot_printf(g.gp, "set print \"-\"\n");
	} else if (g.interactive) {
		if (!g.w)
			g.w = 1000, g.h = 500;
		tsd_gnuplot_printf(g.gp, "set terminal %s%s%s size %d,%d noraise title 'tsplot'\n",
				   g.tname, *g.topts ? " " : "", g.topts, g.w, g.h);
	} else {
		if (!g.w)
			g.w = 900, g.h = g.panels ? 800 : 500;
		tsd_gnuplot_printf(g.gp, "set terminal %s%s%s size %d,%d\n", g.tname, *g.topts ? " " : "",
				   g.topts, g.w, g.h);
	}
	tsd_gnuplot_printf(g.gp, "set termoption noenhanced\nset xdata time\nset timefmt \"%%s\"\n"
			   "set grid\nset key outside right top\nset datafile separator whitespace\n");
	if (g.yrange)
		tsd_gnuplot_printf(g.gp, "set yrange [%s]\n", g.yrange);
	/* the same left margin in every panel, so their time axes line up */
	tsd_gnuplot_printf(g.gp, "set lmargin 10\n");
	g.cur_w = g.w, g.cur_h = g.h;
	if (g.title) {
		char q[600];
		tsd_gnuplot_printf(g.gp, "set title %s\n", tsd_plot_quote(q, sizeof q, g.title));
	}
	if ((s = tsd_gnuplot_sync(g.gp)) < 0 || tsd_gnuplot_send(g.gp) < 0)
		die_gp("gnuplot has exited");
	rc = tsd_gnuplot_wait(g.gp, s, 20000, msg, sizeof msg, &got);
	if (got) {
		show_gnuplot(msg);
		die_gp("gnuplot refused the chart settings");
	}
	if (rc)
		die_gp("gnuplot has exited");
}

/* Take -T (or a default): a terminal name and vetted options only. */
static void set_term(const char *spec)
{
	size_t n;

	if (tsd_plot_term_check(spec, &n) < 0 || n >= sizeof g.tname)
		tool_usage_error("-T: '%s' is not a terminal name followed by options (words of letters, "
				 "digits and _.,:+- after single spaces)", spec);
	g.term = spec;
	memcpy(g.tname, spec, n);
	g.tname[n] = 0;
	g.topts = spec[n] ? spec + n + 1 : "";
	g.interactive = !strcmp(g.tname, "qt") || !strcmp(g.tname, "x11") || !strcmp(g.tname, "wxt");
}

static void parse_size(const char *s)
{
	char *e;
	long w = strtol(s, &e, 10), h;

	if (e == s || (*e != 'x' && *e != ','))
		tool_usage_error("--size: '%s' is not WxH", s);
	h = strtol(e + 1, &e, 10);
	if (*e || w < 10 || h < 5 || w > 20000 || h > 20000)
		tool_usage_error("--size: '%s' is not WxH (10x5 to 20000x20000)", s);
	g.w = (int)w;
	g.h = (int)h;
	g.size_given = 1;
}

static void check_yrange(const char *s)
{
	const char *c = strchr(s, ':');
	char a[64], b[64];
	double d;

	if (!c || strchr(c + 1, ':') || (size_t)(c - s) >= sizeof a || strlen(c + 1) >= sizeof b)
		tool_usage_error("--yrange: '%s' is not LO:HI", s);
	memcpy(a, s, (size_t)(c - s));
	a[c - s] = 0;
	strcpy(b, c + 1);
	if ((a[0] && strcmp(a, "*") && tsd_parse_double(&d, a)) ||
	    (b[0] && strcmp(b, "*") && tsd_parse_double(&d, b)))
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
	static input inputs[MAX_INPUTS];
	static char *dash[] = { "-" };
	pthread_t th[MAX_INPUTS];
	char **files;
	int nfiles, c, i, rc, ndone = 0, sfd, stop = 0;
	char *labels = NULL;
	tool_io io;
	sigset_t sigs;
	int64_t next;

	tool_name = "tsplot";
	tool_io_init(&io);
	io.in.gaps = 1; /* gap markers break the lines */
	g.refresh = 1000000000;
	g.bind = "127.0.0.1";
	g.history = 1000000;
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
			if (!(g.pats = realloc(g.pats, (size_t)(g.npats + 1) * sizeof *g.pats)))
				tool_die(EXIT_DATA, "out of memory");
			g.pats[g.npats++] = optarg;
			break;
		case O_SPAN: g.span = tool_duration("--span", optarg); break;
		case O_REFRESH: g.refresh = tool_duration("--refresh", optarg); break;
		case O_ONCE: g.once = 1; break;
		case 'T': set_term(optarg); break;
		case O_OUTPUT: g.output = optarg; break;
		case O_SIZE: parse_size(optarg); break;
		case O_COLUMNS: g.columns = (int)tool_long("--columns", optarg, 1, TSD_PLOTBUF_COLUMNS_MAX); break;
		case O_PANELS: g.panels = 1; break;
		case O_YRANGE: check_yrange(optarg); g.yrange = optarg; break;
		case O_TITLE: g.title = optarg; break;
		case O_LABELS: labels = optarg; break;
		case O_SERVE: g.port = (int)tool_long("--serve", optarg, 1, 65535); break;
		case O_BIND: g.bind = optarg; break;
		case O_HISTORY: g.history = (size_t)tool_long("--history", optarg, 2, 1000000000); break;
		case O_PERSIST: g.persist = 1; break;
		case O_GNUPLOT: g.gnuplot = optarg; break;
		case 'v': g.verbose = 1; break;
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
	if (nfiles > MAX_INPUTS)
		tool_usage_error("at most %d inputs", MAX_INPUTS);
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
		} else {
			l = (char *)(uintptr_t)"";
		}
		g.labels[i] = l;
	}
	if (labels)
		tool_usage_error("--labels: more labels than inputs");
	if (g.output) {
		char q[8];
		if (tsd_plot_quote_path(q, sizeof q, g.output) == TSD_EINVAL)
			tool_usage_error("--output: a file name with a control character");
		if (strlen(g.output) > 3000)
			tool_usage_error("--output: a file name of more than 3000 bytes");
	}
	if (g.output && !g.term) {
		const char *t = tsd_plot_term_of(g.output);
		if (!t)
			tool_usage_error("--output: say the terminal with -T (no .png, .svg or .txt ending)");
		set_term(t);
	}
	if (g.term && g.interactive && g.output)
		tool_usage_error("-T %s: an interactive window has no --output", g.tname);
	/* the page draws for itself; gnuplot only when asked for too */
	g.gp_on = !g.port || g.term;
	if (!(g.matched = calloc((size_t)g.npats + 1, sizeof *g.matched)) || !(g.groups = tsd_series_new()))
		tool_die(EXIT_DATA, "out of memory");

	/* signals: SIGINT and SIGTERM arrive on a signalfd in the main loop */
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	if ((sfd = signalfd(-1, &sigs, SFD_CLOEXEC)) < 0 || pipe2(g.notify, O_CLOEXEC) < 0)
		tool_die(EXIT_DATA, "signalfd:");

	/* gnuplot reads data and draws files in a private folder; each chart
	 * is then copied to --output (see publish) */
	if (g.gp_on) {
		const char *td = getenv("TMPDIR");
		char q[8];
		if (!td || !*td)
			td = "/tmp";
		if (strlen(td) > 3000 || tsd_plot_quote_path(q, sizeof q, td) == TSD_EINVAL)
			tool_die(EXIT_DATA, "TMPDIR: a folder name with a control character or too long");
		snprintf(g.tmpdir, sizeof g.tmpdir, "%s/tsplot-XXXXXX", td);
		if (!mkdtemp(g.tmpdir)) {
			g.tmpdir[0] = 0;
			tool_die(EXIT_DATA, "%s:", td);
		}
	}
	if (g.output) {
		snprintf(g.tmp, sizeof g.tmp, "%s/chart.%s", g.tmpdir, strcmp(g.tname, "svg") ? "png" : "svg");
		g.file_out = 1;
		g.user_output = g.output;
	}
	if (g.gp_on)
		start_gnuplot();
	if (g.port) {
		char err[300];
		static tool_plotweb_src src;
		src = (tool_plotweb_src){ .lock = &g.lock, .arg = NULL, .count = web_count,
			.series = web_series, .title = g.title, .labels = (const char *const *)g.labels,
			.nlabels = nfiles, .span = g.span, .refresh_ms = (long)(g.refresh / 1000000) };
		if ((rc = tsd_plothist_new(&g.hist, g.history)) < 0)
			die_gp("%s", tsd_strerror(rc));
		src.hist = g.hist;
		rc = tool_plotweb_start(&g.web, g.bind, g.port, &src, err, sizeof err);
		int e = errno;
		if (rc == -2)
			tool_usage_error("%s", err);
		if (rc < 0 && err[0] && err[strlen(err) - 1] == ':')
			die_gp("%s %s", err, strerror(e));
		if (rc < 0)
			die_gp("%s", err);
		fprintf(stderr, "tsplot: serving on http://%s:%d/\n", g.bind, g.port);
	}
	if (g.gp_on) {
		int cols = g.columns ? g.columns : g.w;
		if ((rc = tsd_plotbuf_new(&g.pb, (size_t)cols, g.span)) < 0)
			die_gp("%s", tsd_strerror(rc));
		size_t cap = tsd_plotbuf_points_len(g.pb);
		if (!(g.pt = malloc(cap * sizeof *g.pt)) || !(g.pv = malloc(cap * sizeof *g.pv)))
			die_gp("out of memory");
	}
	for (i = 0; i < nfiles; i++) {
		input *in = &inputs[i];
		in->index = i;
		in->path = files[i];
		in->label = g.labels[i];
		in->opts = io.in;
		if (!(in->tab = tsd_series_new()))
			die_gp("out of memory");
		if ((rc = pthread_create(&th[i], NULL, reader_main, in)) != 0) {
			errno = rc;
			die_gp("pthread_create:");
		}
	}

	next = now_ns() + g.refresh;
	while (!stop) {
		struct pollfd p[4] = {
			{ .fd = sfd, .events = POLLIN },
			{ .fd = g.notify[0], .events = POLLIN },
			{ .fd = g.gp ? tsd_gnuplot_fd(g.gp) : -1, .events = POLLIN },
			{ .fd = g.gp ? tsd_gnuplot_out_fd(g.gp) : -1, .events = POLLIN },
		};
		int64_t left = next - now_ns();
		int timeout = g.once || !g.gp ? -1 : left <= 0 ? 0 : (int)((left + 999999) / 1000000);
		if (poll(p, 4, timeout) < 0 && errno != EINTR)
			die_gp("poll:");
		if (p[0].revents) {
			struct signalfd_siginfo si;
			if (read(sfd, &si, sizeof si) > 0)
				stop = 2;
		}
		if (p[1].revents) {
			char b[16];
			ssize_t n = read(g.notify[0], b, sizeof b);
			if (n > 0)
				ndone += (int)n;
			for (i = 0; i < nfiles; i++)
				if (inputs[i].err[0])
					die_gp("%s", inputs[i].err);
			/* the page is served on after the end of the input,
			 * until a signal */
			if (ndone >= nfiles && !g.web)
				stop = 1;
		}
		if (p[2].revents || p[3].revents)
			drain_gnuplot();
		if (!g.gp)
			continue;
		check_rename();
		if (!g.once && now_ns() >= next) {
			if (busy())
				g.late++;
			else
				refresh();
			next += g.refresh;
			if (next < now_ns())
				next = now_ns() + g.refresh;
		}
	}

	/* the last chart: wait for the one being drawn, draw, wait */
	uint64_t nsamples = 0;
	for (i = 0; i < nfiles; i++)
		nsamples += inputs[i].samples;
	for (i = 0; i < g.npats && nsamples; i++)
		if (!g.matched[i]) {
			if (stop == 1)
				die_gp("no series matches '%s'", g.pats[i]);
			tool_warn("no series matches '%s'", g.pats[i]);
		}
	if (!g.gp) {
		tool_plotweb_stop(g.web);
		g.web = NULL;
		if (g.verbose)
			fprintf(stderr, "tsplot: %" PRIu64 " samples, %u series\n", nsamples, g.nps);
	} else {
		char msg[MSGLEN];
		size_t got;
		int st;
		rc = tsd_gnuplot_wait(g.gp, g.plot_sync, -1, msg, sizeof msg, &got);
		if (got)
			show_gnuplot(msg);
		if (rc == 1)
			die_gp("gnuplot has exited");
		check_rename();
		if (!nsamples)
			draw_empty();
		else
			refresh();
		rc = tsd_gnuplot_wait(g.gp, g.plot_sync, -1, msg, sizeof msg, &got);
		if (got)
			show_gnuplot(msg);
		if (rc == 1)
			die_gp("gnuplot has exited");
		check_rename();
		check_out();
		tool_plotweb_stop(g.web);
		g.web = NULL;
		rc = tsd_gnuplot_close(g.gp, &st, msg, sizeof msg, &got);
		int e = errno;
		g.gp = NULL;
		if (got)
			show_gnuplot(msg);
		if (g.tmpdir[0])
			cleanup_files();
		if (g.verbose)
			fprintf(stderr, "tsplot: %" PRIu64 " samples, %u series, %ld refreshes, %ld late\n",
				nsamples, g.nps, g.refreshes, g.late);
		if (rc < 0 && WIFEXITED(st) && !WEXITSTATUS(st)) {
			if (e == EPIPE)
				exit(EXIT_DATA);
			errno = e;
			tool_die(EXIT_DATA, "write error:");
		}
		if (rc < 0 || !WIFEXITED(st) || WEXITSTATUS(st)) {
			if (WIFSIGNALED(st))
				tool_die(EXIT_DATA, "gnuplot was killed by signal %d", WTERMSIG(st));
			tool_die(EXIT_DATA, "gnuplot reported errors (status %d)", WEXITSTATUS(st));
		}
	}
	if (fflush(stdout) == EOF || ferror(stdout))
		tool_die(EXIT_DATA, "write error:");
	/* reader threads still blocked on input (after SIGINT) end with us */
	return 0;
}
