/* tseval: fidelity of a reduced stream to its original, per series and
 * overall: compression ratios, errors of the interpolated reduced series,
 * errors inside event windows, peak retention, and when asked (--charts)
 * pixel and DSSIM chart comparison. A batch tool: both streams are held in memory. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csvcodec.h"
#include "events.h"
#include "metrics.h"
#include "raster.h"
#include "tool.h"

static const char usage[] =
"usage: tseval [options] ORIGINAL REDUCED\n"
"Compare a reduced (downsampled) stream with its original, series by\n"
"series (matched by name). The reduced series is read as a consumer reads\n"
"it: by straight-line interpolation at the original's timestamps, holding\n"
"its first and last value outside its own time range. One row per series\n"
"and a last row '(all)' over every sample of every series.\n"
"\n"
"  -e, --events FILE      event windows: NAB's JSON {\"name.csv\": [[start,\n"
"                         end], ...]} or CSV series,start,end; series are\n"
"                         looked up by name, with or without '.csv'\n"
"      --tol X            a peak is kept when the reduced series is within\n"
"                         X of it; X% is X percent of the series' range\n"
"                         (default 1%; the peak_tol column says what was used)\n"
"      --charts           fill the pixels and dssim columns: draw two charts\n"
"                         per series (about 10 ms a series at 800x200);\n"
"                         without it those columns are empty\n"
"      --width W          chart width in pixels (default 800; implies --charts)\n"
"      --height H         chart height in pixels (default 200; implies --charts)\n"
"      --no-charts        no charts (the default; cancels an earlier --charts)\n"
"  -o, --output-format F  table (default) or csv\n"
"  -N, --name NAME        name of the series of single-series inputs\n"
"      --name-from-file   name single-series inputs after ORIGINAL's file\n"
"                         name without its extension (as the event keys)\n"
"  -d, --delimiter C      input field delimiter (default: detect)\n"
"      --time-unit U      unit of integer input times: s, ms, us, ns\n"
"      --order O          ORIGINAL samples not later than the one before:\n"
"                         drop (default, counted on stderr), strict, dupok\n"
"                         or any; REDUCED must never go back in time\n"
"  -h, --help             this help;  -V, --version  the version\n"
"\n"
"Columns: n and m points; ratio n/m; bytes ratio of the two inputs (per\n"
"series only when each input holds one series); nrmse = RMSE / range of\n"
"the original; maxabs, the largest absolute error, and its time; the same\n"
"inside event windows (win_n samples); peaks kept of the windows' extremes;\n"
"with --charts, pixels differing between 1-bit line charts of both (0 =\n"
"an error-free chart, Jugel et al. 2014) and DSSIM = (1 - SSIM) / 2 of\n"
"anti-aliased charts; the '(all)' row sums pixels and averages DSSIM;\n"
"range of the original; noise, its white-noise floor: the median absolute\n"
"first difference x 1.4826 / sqrt 2, over the range (no reduced series\n"
"read by straight lines gets far below it where noise dominates; pooled\n"
"as nrmse in (all); an estimate: a fast-moving signal raises it), and\n"
"excess = nrmse - noise; peak_tol, the tolerance used for peaks.\n"
"Deprecated, for this release only: -f and --format for -o (see tsdown(7)).\n"
"\nExit status: 0 success, 1 bad or mismatched input, 2 usage error.\n";

/* one series as read: (n) times and values */
typedef struct {
	int64_t *t;
	double *v;
	size_t n, cap;
} sbuf;

typedef struct {
	const char *path;
	tsd_series_tab *tab;
	sbuf *s;               /* (ns), indexed by series id */
	size_t ns;
	uint64_t bytes;
	tsd_tstyle tstyle;
} input;

typedef struct {
	const char *name;
	struct tsd_metrics mt;
	int have_win;          /* the series has event windows */
	size_t pixels;
	double dssim;
} row;

static void push(sbuf *b, int64_t t, double v)
{
	if (b->n == b->cap) {
		size_t nc = b->cap ? b->cap * 2 : 4; /* 100,000 series of a few points are common */
		int64_t *nt = realloc(b->t, nc * sizeof *nt);
		if (!nt)
			tool_die(EXIT_DATA, "out of memory");
		b->t = nt;
		double *nv = realloc(b->v, nc * sizeof *nv);
		if (!nv)
			tool_die(EXIT_DATA, "out of memory");
		b->v = nv;
		b->cap = nc;
	}
	b->t[b->n] = t;
	b->v[b->n++] = v;
}

/* A file descriptor for path whose size is known: regular files as they
 * are, pipes and terminals copied into a memory file first. */
static int open_sized(const char *path, uint64_t *bytes)
{
	struct stat st;
	int fd = 0, mfd;
	char buf[65536];
	ssize_t k;

	if (strcmp(path, "-") != 0 && (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		tool_die(EXIT_DATA, "%s:", path);
	if (fstat(fd, &st) < 0)
		tool_die(EXIT_DATA, "%s:", path);
	if (S_ISREG(st.st_mode)) {
		*bytes = (uint64_t)st.st_size;
		return fd;
	}
	if ((mfd = memfd_create("tseval", MFD_CLOEXEC)) < 0)
		tool_die(EXIT_DATA, "memfd_create:");
	*bytes = 0;
	while ((k = read(fd, buf, sizeof buf)) != 0) {
		if (k < 0) {
			if (errno == EINTR)
				continue;
			tool_die(EXIT_DATA, "%s:", path);
		}
		if (write(mfd, buf, (size_t)k) != k)
			tool_die(EXIT_DATA, "%s: copying to memory:", path);
		*bytes += (uint64_t)k;
	}
	if (fd)
		close(fd);
	if (lseek(mfd, 0, SEEK_SET) < 0)
		tool_die(EXIT_DATA, "%s:", path);
	return mfd;
}

static void read_input(input *in, const tsd_reader_opts *base, int order)
{
	tsd_reader_opts o = *base;
	tsd_reader *r;
	tsd_rec rec;
	int rc, fd = open_sized(in->path, &in->bytes);

	if (!(in->tab = tsd_series_new()))
		tool_die(EXIT_DATA, "out of memory");
	o.name = in->path;
	o.tab = in->tab;
	o.order = order;
	if ((rc = tsd_reader_open(&r, fd, &o)) < 0)
		tool_die(EXIT_DATA, "%s: %s", in->path, tsd_strerror(rc));
	while ((rc = tsd_reader_next(r, &rec)) > 0) {
		if (rec.kind == TSD_REC_CONTROL)
			continue;
		if (rec.kind != TSD_REC_SAMPLE)
			tool_die(EXIT_DATA, "%s: expected samples, found wavelet coefficients "
				 "(merge them back into samples first)", tsd_reader_where(r));
		if (rec.s.series >= in->ns) {
			if (tsd_grow(&in->s, &in->ns, (size_t)rec.s.series + 1, sizeof *in->s) < 0)
				tool_die(EXIT_DATA, "out of memory");
		}
		push(&in->s[rec.s.series], rec.s.t, rec.s.v);
	}
	if (rc < 0)
		tool_die(EXIT_DATA, "%s", tsd_reader_errmsg(r));
	long first;
	uint64_t nd = tsd_reader_dropped(r, &first);
	if (nd)
		tool_warn("%s: %llu sample%s not later than the one before dropped (first at line %ld; see --order)",
			  in->path, (unsigned long long)nd, nd == 1 ? "" : "s", first);
	in->tstyle = tsd_reader_style(r)->tstyle;
	if (!in->tstyle.kind)
		in->tstyle.kind = TSD_T_ISO, in->tstyle.sep = ' ';
	tsd_reader_close(r);
	if (fd)
		close(fd);
}

/* number of series with at least one sample */
static size_t count_series(const input *in)
{
	size_t i, k = 0;

	for (i = 0; i < in->ns; i++)
		k += in->s[i].n > 0;
	return k;
}

static const sbuf *find(const input *in, const char *name)
{
	uint32_t id;

	if (tsd_series_find(&id, in->tab, name, strlen(name)) < 0 || id >= in->ns ||
	    !in->s[id].n)
		return NULL;
	return &in->s[id];
}

static void chart(row *rw, const sbuf *o, const sbuf *red, size_t w, size_t h,
		  unsigned char *a, unsigned char *b)
{
	struct tsd_raster_view view;
	int rc;

	if ((rc = tsd_raster_view(&view, o->t, o->v, o->n)) < 0 ||
	    (rc = tsd_raster_draw(a, o->t, o->v, o->n, w, h, &view, TSD_RASTER_BIT)) < 0 ||
	    (rc = tsd_raster_draw(b, red->t, red->v, red->n, w, h, &view, TSD_RASTER_BIT)) < 0 ||
	    (rc = tsd_raster_diff_pixels(&rw->pixels, a, b, w, h)) < 0 ||
	    (rc = tsd_raster_draw(a, o->t, o->v, o->n, w, h, &view, TSD_RASTER_AA)) < 0 ||
	    (rc = tsd_raster_draw(b, red->t, red->v, red->n, w, h, &view, TSD_RASTER_AA)) < 0 ||
	    (rc = tsd_raster_dssim(&rw->dssim, a, b, w, h)) < 0)
		tool_die(EXIT_DATA, "series '%s': chart: %s", rw->name, tsd_strerror(rc));
}

/* ---- output ---- */

enum { NCOL = 19 };
static const char *const head[NCOL] = {
	"series", "n", "m", "ratio", "bytes_ratio", "nrmse", "maxabs", "maxabs_time",
	"win_n", "win_nrmse", "win_maxabs", "peaks_kept", "peaks", "pixels", "dssim",
	"range", "noise", "excess", "peak_tol",
};

/* the peak tolerance as given (default 1% of each series' range) */
static double tol = 0.01;
static int tol_rel = 1;

static int charts;  /* draw the charts of the pixels and dssim columns (--charts) */

static char *num(double x)
{
	char *s;

	if (asprintf(&s, "%.6g", x) < 0)
		tool_die(EXIT_DATA, "out of memory");
	return s;
}

static char *unum(size_t x)
{
	char *s;

	if (asprintf(&s, "%zu", x) < 0)
		tool_die(EXIT_DATA, "out of memory");
	return s;
}

static void cells(char **c, const row *rw, const tsd_tstyle *ts, int events, int all)
{
	const struct tsd_metrics *mt = &rw->mt;
	char tb[TSD_TIME_MAX];
	size_t k = 0;

	c[k++] = strdup(rw->name);
	c[k++] = unum(mt->n);
	c[k++] = unum(mt->m);
	c[k++] = num(mt->ratio_points);
	c[k++] = mt->ratio_bytes > 0 ? num(mt->ratio_bytes) : strdup("");
	c[k++] = num(mt->nrmse);
	c[k++] = num(mt->maxabs);
	tsd_time_format(tb, mt->maxabs_t, ts);
	c[k++] = strdup(all ? "" : tb);
	if (events && rw->have_win) {
		c[k++] = unum(mt->win_n);
		c[k++] = mt->win_n ? num(mt->win_nrmse) : strdup("");
		c[k++] = mt->win_n ? num(mt->win_maxabs) : strdup("");
		c[k++] = unum(mt->peaks_kept);
		c[k++] = unum(mt->peaks_total);
	} else {
		for (int i = 0; i < 5; i++)
			c[k++] = strdup("");
	}
	c[k++] = charts ? unum(rw->pixels) : strdup("");
	c[k++] = charts ? num(rw->dssim) : strdup("");
	/* a range beyond DBL_MAX (values near +-DBL_MAX) has no figure */
	double ptol = tol_rel ? tol * (mt->range > 0 ? mt->range : 1) : tol;
	c[k++] = all || !isfinite(mt->range) ? strdup("") : num(mt->range);
	c[k++] = num(mt->noise);
	c[k++] = num(mt->nrmse - mt->noise);
	if (tol_rel && all) {
		if (asprintf(&c[k++], "%g%%", tol * 100) < 0)
			tool_die(EXIT_DATA, "out of memory");
	} else {
		c[k++] = isfinite(ptol) ? num(ptol) : strdup("");
	}
	for (k = 0; k < NCOL; k++)
		if (!c[k])
			tool_die(EXIT_DATA, "out of memory");
}

static void csv_field(const char *s)
{
	size_t n = strlen(s);
	char *q = malloc(2 * n + 2);

	if (!q)
		tool_die(EXIT_DATA, "out of memory");
	fwrite(q, 1, tsd_csv_field(q, s, n, ','), stdout);
	free(q);
}

/* Two passes over the rows, the cells of one row at a time (all the
 * cells of 100,000 series at once would take more memory than the data):
 * the column widths, then the table. */
static void print(const row *rows, size_t nrows, const tsd_tstyle *ts, int events, int csv)
{
	size_t wd[NCOL] = { 0 }, i, k;
	char *c[NCOL];

	for (k = 0; k < NCOL; k++)
		wd[k] = strlen(head[k]);
	for (i = 0; i < nrows && !csv; i++) {
		cells(c, &rows[i], ts, events, i + 1 == nrows);
		for (k = 0; k < NCOL; k++) {
			size_t l = strlen(c[k]);
			wd[k] = l > wd[k] ? l : wd[k];
			free(c[k]);
		}
	}
	for (i = 0; i <= nrows; i++) {
		if (i)
			cells(c, &rows[i - 1], ts, events, i == nrows);
		for (k = 0; k < NCOL; k++) {
			const char *s = i ? c[k] : head[k];
			if (csv) {
				if (k)
					putchar(',');
				csv_field(s);
			} else if (k == 0) {
				printf("%-*s", (int)wd[k], s);
			} else {
				printf("  %*s", (int)wd[k], *s ? s : "-");
			}
		}
		putchar('\n');
		for (k = 0; k < NCOL && i; k++)
			free(c[k]);
	}
}

/* ---- main ---- */

enum { OPT_TOL = 5001, OPT_W, OPT_H, OPT_NFF, OPT_NOCHARTS, OPT_CHARTS, OPT_TUNIT = 1001, OPT_ORDER = 1003 };

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "events", required_argument, 0, 'e' }, { "tol", required_argument, 0, OPT_TOL },
		{ "width", required_argument, 0, OPT_W }, { "height", required_argument, 0, OPT_H },
		{ "output-format", required_argument, 0, 'o' }, { "format", required_argument, 0, 5100 }, { "name", required_argument, 0, 'N' },
		{ "name-from-file", no_argument, 0, OPT_NFF },
		{ "charts", no_argument, 0, OPT_CHARTS },
		{ "no-charts", no_argument, 0, OPT_NOCHARTS },
		{ "delimiter", required_argument, 0, 'd' },
		{ "time-unit", required_argument, 0, OPT_TUNIT },
		{ "order", required_argument, 0, OPT_ORDER },
		{ "help", no_argument, 0, 'h' }, { "version", no_argument, 0, 'V' },
		{ 0, 0, 0, 0 },
	};
	const char *evpath = NULL;
	size_t width = 800, height = 200, len, nrows = 0, i, nsel = 0;
	size_t bad = 0, evmatched = 0, evwin = 0, evused = 0, nseries;
	int csv = 0, name_from_file = 0, c, rc;
	struct tsd_metrics_opts mo = { .peak_tol = 0.01, .peak_tol_rel = 1 };
	double *nwork = NULL, q;
	size_t nwcap = 0;
	struct tsd_events ev = { 0 };
	struct tsd_metrics all;
	input in[2] = { 0 };
	static tool_io io;     /* only for its option parsers; static: reachable at exit() */
	char base[256], err[512];
	unsigned char *pa, *pb;
	row *rows;
	double dssim_sum = 0;
	size_t pixels_sum = 0;

	tool_name = "tseval";
	tool_io_init(&io);
	while ((c = getopt_long(argc, argv, "e:o:f:N:d:hV", lopts, NULL)) != -1) {
		switch (c) {
		case 'e': evpath = optarg; break;
		case OPT_TOL: {
			char *s = strdup(optarg);
			size_t l = strlen(optarg);
			if (!s)
				tool_die(EXIT_DATA, "out of memory");
			mo.peak_tol_rel = 0;
			if (l && s[l - 1] == '%') {
				s[l - 1] = 0;
				mo.peak_tol_rel = 1;
			}
			mo.peak_tol = tool_double("--tol", s);
			if (!(mo.peak_tol >= 0) || isinf(mo.peak_tol))
				tool_usage_error("--tol: '%s' must be a finite number >= 0", optarg);
			if (mo.peak_tol_rel)
				mo.peak_tol /= 100;
			tol = mo.peak_tol;
			tol_rel = mo.peak_tol_rel;
			free(s);
			break;
		}
		case OPT_W: width = (size_t)tool_long("--width", optarg, 11, 100000); charts = 1; break;
		case OPT_H: height = (size_t)tool_long("--height", optarg, 11, 100000); charts = 1; break;
		case OPT_CHARTS: charts = 1; break;
		case OPT_NOCHARTS: charts = 0; break;
		case 'f':
		case 5100:
			tool_deprecated(c == 'f' ? "-f" : "--format", "-o");
			/* fallthrough */
		case 'o':
			if (!strcmp(optarg, "csv"))
				csv = 1;
			else if (!strcmp(optarg, "table"))
				csv = 0;
			else
				tool_usage_error("-o: unknown output format '%s' (table or csv)", optarg);
			break;
		case OPT_NFF: name_from_file = 1; break;
		case 'N': case 'd': case OPT_TUNIT: case OPT_ORDER: case 'V':
			tool_io_option(&io, c, optarg);
			break;
		case 'h':
			tool_help(usage);
		default:
			tool_bad_option();
		}
	}
	if (argc - optind != 2)
		tool_usage_error("need two inputs: ORIGINAL REDUCED");
	in[0].path = argv[optind];
	in[1].path = argv[optind + 1];
	if (!strcmp(in[0].path, "-") && !strcmp(in[1].path, "-"))
		tool_usage_error("only one input may be '-' (stdin)");
	if (name_from_file && io.in.rename)
		tool_usage_error("-N and --name-from-file: give one of them");
	if (name_from_file) {
		const char *b = strrchr(in[0].path, '/');
		b = b ? b + 1 : in[0].path;
		snprintf(base, sizeof base, "%s", b);
		char *dot = strrchr(base, '.');
		if (dot && dot != base)
			*dot = 0;
		io.in.rename = base;
	}
	if (evpath && (rc = tsd_events_load(&ev, evpath, err, sizeof err)) < 0)
		tool_die(EXIT_DATA, "%s", err);

	read_input(&in[0], &io.in, io.in.order);
	read_input(&in[1], &io.in, TSD_ORDER_DUPOK);

	/* the two streams must hold the same series */
	nseries = count_series(&in[0]);
	if (!nseries)
		tool_die(EXIT_DATA, "%s: no samples", in[0].path);
	for (i = 0; i < in[1].ns; i++) {
		const char *nm = tsd_series_name(in[1].tab, (uint32_t)i);
		if (in[1].s[i].n && !find(&in[0], nm)) {
			tool_warn("series '%s' of %s is not in %s", nm, in[1].path, in[0].path);
			bad++;
		}
	}
	for (i = 0; i < in[0].ns; i++) {
		const char *nm = tsd_series_name(in[0].tab, (uint32_t)i);
		if (in[0].s[i].n && !find(&in[1], nm)) {
			tool_warn("series '%s' of %s is not in %s", nm, in[0].path, in[1].path);
			bad++;
		}
	}
	if (bad)
		tool_die(EXIT_DATA, "the two inputs hold different series (name them with -N or --name-from-file)");

	if (tsd_raster_length(&len, width, height) < 0)
		tool_usage_error("--width, --height: chart too large");
	pa = charts ? malloc(len) : NULL;
	pb = charts ? malloc(len) : NULL;
	rows = calloc(nseries + 1, sizeof *rows);
	if ((charts && (!pa || !pb)) || !rows)
		tool_die(EXIT_DATA, "out of memory");
	tsd_metrics_init(&all);
	for (i = 0; i < in[0].ns; i++) {
		const sbuf *o = &in[0].s[i], *red;
		const struct tsd_event_series *es = NULL;
		row *rw = &rows[nrows];
		char t0[TSD_TIME_MAX], t1[TSD_TIME_MAX];

		if (!o->n)
			continue;
		rw->name = tsd_series_name(in[0].tab, (uint32_t)i);
		red = find(&in[1], rw->name);
		if (red->n > o->n)
			tool_die(EXIT_DATA, "%s: series '%s': the reduced series has more points (%zu) than "
				 "the original (%zu); are the inputs swapped?", in[1].path, rw->name, red->n, o->n);
		if (red->t[0] < o->t[0] || red->t[red->n - 1] > o->t[o->n - 1]) {
			tsd_time_format(t0, o->t[0], &in[0].tstyle);
			tsd_time_format(t1, o->t[o->n - 1], &in[0].tstyle);
			tool_die(EXIT_DATA, "%s: series '%s': the reduced series has points outside the "
				 "original's time range %s .. %s", in[1].path, rw->name, t0, t1);
		}
		if (ev.ns && (es = tsd_events_find(&ev, rw->name))) {
			evmatched++;
			rw->have_win = 1;
		}
		if (nseries == 1 && count_series(&in[1]) == 1) {
			mo.bytes_orig = in[0].bytes;
			mo.bytes_red = in[1].bytes;
		}
		rc = tsd_metrics_series(&rw->mt, o->t, o->v, o->n, red->t, red->v, red->n,
					es ? es->w : NULL, es ? es->nw : 0, &mo);
		if (rc < 0)
			tool_die(EXIT_DATA, "series '%s': %s", rw->name, tsd_strerror(rc));
		if (o->n > nwcap) {
			free(nwork);
			if (!(nwork = malloc(o->n * sizeof *nwork)))
				tool_die(EXIT_DATA, "out of memory");
			nwcap = o->n;
		}
		if ((rc = tsd_metrics_noise(&q, nwork, o->v, o->n)) < 0)
			tool_die(EXIT_DATA, "series '%s': %s", rw->name, tsd_strerror(rc));
		tsd_metrics_set_noise(&rw->mt, q);
		if (es && es->nw) {
			evwin += es->nw;
			evused += es->nw - rw->mt.windows_empty;
			if (rw->mt.windows_empty)
				tool_warn("series '%s': %zu of %zu event windows hold no sample of it",
					  rw->name, rw->mt.windows_empty, es->nw);
		}
		if (charts)
			chart(rw, o, red, width, height, pa, pb);
		tsd_metrics_merge(&all, &rw->mt);
		pixels_sum += rw->pixels;
		dssim_sum += rw->dssim;
		nrows++;
		nsel++;
	}
	if (evpath && !evmatched)
		tool_die(EXIT_DATA, "%s: names none of the series of %s (name them with -N or "
			 "--name-from-file)", evpath, in[0].path);
	if (evpath && evwin && !evused)
		tool_die(EXIT_DATA, "%s: no event window holds a sample of the data "
			 "(times in another zone or unit?)", evpath);

	/* the overall row */
	all.bytes_orig = in[0].bytes;
	all.bytes_red = in[1].bytes;
	all.ratio_bytes = all.bytes_red ? (double)all.bytes_orig / (double)all.bytes_red : 0;
	rows[nrows].name = "(all)";
	rows[nrows].mt = all;
	rows[nrows].have_win = evmatched > 0;
	rows[nrows].pixels = pixels_sum;
	rows[nrows].dssim = dssim_sum / (double)nsel;
	nrows++;

	print(rows, nrows, &in[0].tstyle, evpath != NULL, csv);
	free(rows);
	free(nwork);
	free(pa);
	free(pb);
	for (int k = 0; k < 2; k++) {
		for (i = 0; i < in[k].ns; i++) {
			free(in[k].s[i].t);
			free(in[k].s[i].v);
		}
		free(in[k].s);
		tsd_series_free(in[k].tab);
	}
	tsd_events_free(&ev);
	tsd_series_free(io.tab);
	if (fflush(stdout) == EOF || ferror(stdout) || fclose(stdout) == EOF)
		tool_die(EXIT_DATA, "write error:");
	return 0;
}
