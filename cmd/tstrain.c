/* tstrain: train the importance scorer (lib/model.h) on series files and
 * write a model file for tscore. The algorithm is in lib/train.c. */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "coefwin.h"
#include "events.h"
#include "feature.h"
#include "tool.h"
#include "train.h"
#include "window.h"

static const char usage[] =
"usage: tstrain -M MODEL [options] FILE...\n"
"Train the transformer that scores wavelet detail coefficients (tscore) on\n"
"the series in FILEs (CSV or binary samples) and write it to MODEL. Each\n"
"window is transformed as dwt does; the targets come from an oracle that\n"
"ranks details by the reconstruction error their loss adds, weighted up\n"
"inside event windows (see tstrain(1)).\n"
"\n"
"  -M, --model FILE       write the trained model to FILE (required)\n"
"  -e, --events FILE      event windows: NAB JSON or CSV series,start,end\n"
"      --event-weight X   weight of an error inside an event (default 20)\n"
"      --peak X           weight of the largest pointwise error a detail's\n"
"                         loss causes, beside its squared error (default 0)\n"
"      --greedy G         share 0..1 of the targets from the greedy oracle\n"
"                         (details picked one by one for the smallest error\n"
"                         of merge's reduced series), the rest from the\n"
"                         energy oracle (default 0)\n"
"      --candidates K     train on what tscore --ratio R --candidates K shows\n"
"                         the model (each window's K x budget details of\n"
"                         largest magnitude, one sequence per ratio), for\n"
"                         a model scored that way (default: whole windows)\n"
"      --val FILE         validation series (repeatable; not trained on)\n"
"  -E, --epochs N         passes over the data (default 30)\n"
"  -B, --batch N          windows per optimizer step (default 8)\n"
"      --lr X             peak learning rate (default 0.003)\n"
"  -S, --seed N           initialisation and shuffling seed (default 1)\n"
"  -c, --checkpoint FILE  write model and optimizer state after each epoch\n"
"      --resume FILE      continue a run from its checkpoint\n"
"      --stop-after N     stop after epoch N (checkpoint and model written;\n"
"                         --resume continues the run)\n"
"  -W, --wavelet NAME     as dwt (default db4)\n"
"  -m, --mode MODE        as dwt (default symmetric)\n"
"  -J, --levels LIST      levels, one or several: 4,5 (default 4,5)\n"
"  -w, --window N         samples per window (default 256)\n"
"      --ratios LIST      output sizes n/R the targets are built for\n"
"                         (default 4,8,16,32; the second is reported)\n"
"      --width C --heads NH --layers L --hidden H --radius R\n"
"                         model size (default 16, 2, 2, 32, 8)\n"
"  -q, --quiet            no progress on stderr\n"
"      --order O          samples not later than the one before: drop\n"
"                         (default), strict, dupok or any\n"
"      --time-unit U      unit of integer input times: s, ms, us, ns\n"
"  -h, --help             this help;  -V, --version  the version\n"
"Deprecated, for this release only: -s for -S (see tsdown(7)).\n"
"\nExit status: 0 success, 1 bad input or write error, 2 usage error.\n";

struct ctx {
	const struct tsd_events *ev;
	double lambda;
	const tsd_wavelet *w;
	enum tsd_mode mode;
	unsigned Js[8];
	int nJ;
	size_t count;
	double *coef, *work, *wt;
	size_t ccap, wcap, tcap;
	size_t windows;
};

/* Parse "4,6" into at most max numbers in [lo, hi]. */
static int parse_list(double *out, int max, const char *opt, const char *s, double lo, double hi)
{
	char buf[256], *p, *save = NULL;
	int n = 0;

	if (strlen(s) >= sizeof buf)
		tool_usage_error("%s: list '%s' too long", opt, s);
	strcpy(buf, s);
	for (p = strtok_r(buf, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		double v = tool_double(opt, p);
		if (n == max || !(v >= lo && v <= hi))
			tool_usage_error("%s: '%s': want at most %d values in %g..%g", opt, s, max, lo, hi);
		out[n++] = v;
	}
	if (!n)
		tool_usage_error("%s: empty list", opt);
	return n;
}

static void add_window(struct ctx *x, struct tsd_train_data *d, const tsd_win *win,
		       const char *sname, int partial, const char *where)
{
	const struct tsd_event_series *es = x->ev ? tsd_events_find(x->ev, sname) : NULL;
	int rc;

	x->wt = tool_grow(x->wt, &x->tcap, win->n, sizeof *x->wt);
	for (size_t i = 0; i < win->n; i++) {
		int in = 0;
		for (size_t k = 0; es && k < es->nw && !in; k++)
			in = win->t[i] >= es->w[k].start && win->t[i] <= es->w[k].end;
		x->wt[i] = in ? 1 + x->lambda : 1;
	}
	for (int j = 0; j < x->nJ; j++) {
		unsigned J;
		if (tsd_coefwin_levels(&J, win->n, x->Js[j], x->w->len, partial) < 0 || win->n < x->w->len)
			continue; /* too short for this wavelet: not trained on */
		size_t m = tsd_coefwin_total(win->n, J, x->w, x->mode);
		size_t wl = tsd_coefwin_work_len(win->n, J, x->w, x->mode);
		x->coef = tool_grow(x->coef, &x->ccap, m ? m : 1, sizeof *x->coef);
		x->work = tool_grow(x->work, &x->wcap, wl ? wl : 1, sizeof *x->work);
		if (!m || tsd_coefwin_decompose(x->coef, x->work, win->v, win->n, J, x->w, x->mode) < 0)
			tool_die(EXIT_DATA, "%s: series '%s' window %lld: transform failed", where, sname,
				 (long long)win->index);
		if ((rc = tsd_train_data_add(d, x->coef, x->wt, win->n, J, x->w, x->mode)) < 0)
			tool_die(EXIT_DATA, "%s: series '%s' window %lld: %s", where, sname, (long long)win->index,
				 rc == TSD_EINVAL ? "value not finite" : tsd_strerror(rc));
		x->windows++;
	}
}

/* Read the series of files into d, window by window. */
static void load(struct ctx *x, struct tsd_train_data *d, char **files, int nfiles,
		 const tsd_reader_opts *in)
{
	tool_io io;
	tsd_winbuf *wb;
	tsd_win win;
	tsd_rec r;
	int rc;

	tool_io_init(&io);
	io.in.order = in->order;
	io.in.time_unit = in->time_unit;
	if (nfiles == 1 && strcmp(files[0], "-")) {
		/* name a single file's series after the file, as the event keys */
		const char *b = strrchr(files[0], '/');
		b = b ? b + 1 : files[0];
		snprintf(io.base, sizeof io.base, "%s", b);
		char *dot = strrchr(io.base, '.');
		if (dot && dot != io.base)
			*dot = 0;
		io.in.rename = io.base;
	}
	tool_io_files(&io, nfiles, files);
	if ((rc = tsd_winbuf_new(&wb, x->count, 0, x->count)) < 0)
		tool_die(EXIT_DATA, "%s", tsd_strerror(rc));
	for (;;) {
		int more = tool_next(&io, &r);
		if (more && r.kind != TSD_REC_SAMPLE) {
			if (r.kind == TSD_REC_CONTROL)
				continue;
			tool_die(EXIT_DATA, "%s: expected samples, found wavelet coefficients",
				 tool_where(&io));
		}
		if (more && !isfinite(r.s.v))
			tool_die(EXIT_DATA, "%s: value not finite", tool_where(&io));
		rc = more ? tsd_winbuf_push(wb, &win, r.s.series, r.s.t, r.s.v) : tsd_winbuf_flush(wb, &win);
		if (rc < 0)
			tool_die(EXIT_DATA, "%s", tsd_strerror(rc));
		if (rc == 0) {
			if (!more)
				break;
			continue;
		}
		add_window(x, d, &win, tsd_series_name(io.tab, win.series), !more, tool_where(&io));
	}
	tsd_winbuf_free(wb);
	/* io's reader and table are freed at exit; tool_io has no close */
}

struct prog {
	double t0;
	int quiet, start, stop;
	const char *ckpt;
	struct tsd_model *m;
	struct tsd_adamw *opt;
	const struct tsd_train_opts *o;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void fmt_time(char *buf, size_t len, double s)
{
	long t = (long)(s + 0.5);

	if (t >= 3600)
		snprintf(buf, len, "%ldh%02ldm", t / 3600, t / 60 % 60);
	else if (t >= 60)
		snprintf(buf, len, "%ldm%02lds", t / 60, t % 60);
	else
		snprintf(buf, len, "%lds", t);
}

static int progress(const struct tsd_train_progress *p, void *arg)
{
	struct prog *g = arg;
	char err[512], el[32], left[32];
	double dt = now() - g->t0;
	int done = p->epoch - g->start;

	if (g->ckpt && tsd_train_ckpt_save(g->ckpt, g->m, g->opt, p->epoch, g->o, err, sizeof err))
		tool_die(EXIT_DATA, "%s", err);
	if (g->quiet)
		return p->epoch == g->stop;
	fmt_time(el, sizeof el, dt);
	fmt_time(left, sizeof left, done > 0 ? dt / done * (p->epochs - p->epoch) : 0);
	if (p->have_val)
		fprintf(stderr, "tstrain: epoch %d/%d loss %.4f val loss %.4f capture %.4f "
			"(magnitude %.4f) %s, %s left\n", p->epoch, p->epochs, p->loss,
			p->val.loss, p->val.cap, p->val.cap_mag, el, left);
	else
		fprintf(stderr, "tstrain: epoch %d/%d loss %.4f %s, %s left\n", p->epoch,
			p->epochs, p->loss, el, left);
	return p->epoch == g->stop;
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "model", required_argument, 0, 'M' }, { "events", required_argument, 0, 'e' },
		{ "event-weight", required_argument, 0, 3000 }, { "val", required_argument, 0, 3001 },
		{ "epochs", required_argument, 0, 'E' }, { "batch", required_argument, 0, 'B' },
		{ "lr", required_argument, 0, 3002 }, { "seed", required_argument, 0, 'S' },
		{ "checkpoint", required_argument, 0, 'c' }, { "resume", required_argument, 0, 3003 },
		{ "wavelet", required_argument, 0, 'W' }, { "mode", required_argument, 0, 'm' },
		{ "levels", required_argument, 0, 'J' }, { "window", required_argument, 0, 'w' },
		{ "ratios", required_argument, 0, 3004 }, { "width", required_argument, 0, 3005 },
		{ "heads", required_argument, 0, 3006 }, { "layers", required_argument, 0, 3007 },
		{ "hidden", required_argument, 0, 3008 }, { "radius", required_argument, 0, 3009 },
		{ "quiet", no_argument, 0, 'q' }, { "order", required_argument, 0, 1003 },
		{ "time-unit", required_argument, 0, 1001 }, { "stop-after", required_argument, 0, 3010 }, { "peak", required_argument, 0, 3011 }, { "greedy", required_argument, 0, 3012 }, { "candidates", required_argument, 0, 3013 }, { "help", no_argument, 0, 'h' },
		{ "version", no_argument, 0, 'V' }, { 0, 0, 0, 0 },
	};
	const char *model_path = NULL, *events_path = NULL, *ckpt = NULL, *resume = NULL;
	char **vfiles = NULL, err[512];
	int nv = 0, c, rc, nratios = 0, start = 0, quiet = 0, stop = 0;
	double ratios[TSD_TRAIN_MAXK], list[8], peak = 0, greedy = 0, cand = 0;
	struct tsd_train_opts o;
	struct tsd_model_config cfg;
	struct tsd_events ev;
	struct tsd_train_data tr, va;
	struct tsd_model m;
	struct tsd_adamw opt;
	struct ctx x;
	struct prog g;
	tool_io io; /* for the common input options only */
	int seen_size = 0;

	tool_name = "tstrain";
	tool_io_init(&io);
	tsd_train_opts_default(&o);
	tsd_model_config_default(&cfg, TSD_FEAT_COUNT);
	cfg.width = 16;
	cfg.heads = 2;
	cfg.layers = 2;
	cfg.hidden = 32;
	cfg.radius = 8;
	cfg.max_tokens = 4096;
	memset(&x, 0, sizeof x);
	x.lambda = 20;
	x.w = tsd_wavelet_find("db4");
	x.mode = TSD_MODE_SYMMETRIC;
	x.Js[0] = 4, x.Js[1] = 5, x.nJ = 2;
	x.count = 256;
	if (!(vfiles = calloc((size_t)argc, sizeof *vfiles)))
		tool_die(EXIT_DATA, "out of memory");
	while ((c = getopt_long(argc, argv, "M:e:E:B:s:S:c:W:m:J:w:qhV", lopts, NULL)) != -1) {
		switch (c) {
		case 'M': model_path = optarg; break;
		case 'e': events_path = optarg; break;
		case 3000:
			x.lambda = tool_double("--event-weight", optarg);
			if (!(x.lambda >= 0 && x.lambda <= 1e6))
				tool_usage_error("--event-weight: '%s' out of range 0..1e6", optarg);
			break;
		case 3001: vfiles[nv++] = optarg; break;
		case 'E': o.epochs = (int)tool_long("-E", optarg, 1, 100000); break;
		case 'B': o.batch = (int)tool_long("-B", optarg, 1, 100000); break;
		case 3002:
			o.lr = tool_double("--lr", optarg);
			if (!(o.lr > 0 && o.lr < 10))
				tool_usage_error("--lr: '%s' out of range (0, 10)", optarg);
			break;
		case 's':
			tool_deprecated("-s", "-S");
			/* fallthrough */
		case 'S': o.seed = (uint64_t)tool_long("-S", optarg, 0, INT64_MAX); break;
		case 'c': ckpt = optarg; break;
		case 3003: resume = optarg; break;
		case 'W':
			if (!(x.w = tsd_wavelet_find(optarg)))
				tool_usage_error("-W: unknown wavelet '%s' (see dwt --list)", optarg);
			break;
		case 'm':
			if ((rc = tsd_mode_parse(optarg)) < 0)
				tool_usage_error("-m: unknown mode '%s' (see dwt --list)", optarg);
			x.mode = (enum tsd_mode)rc;
			break;
		case 'J':
			x.nJ = parse_list(list, 8, "-J", optarg, 1, TSD_COEFWIN_MAXJ);
			for (int i = 0; i < x.nJ; i++) {
				if (list[i] != floor(list[i]))
					tool_usage_error("-J: '%s': levels are whole numbers", optarg);
				x.Js[i] = (unsigned)list[i];
			}
			break;
		case 'w': x.count = (size_t)tool_long("-w", optarg, 2, 65536); break;
		case 3004: nratios = parse_list(ratios, TSD_TRAIN_MAXK, "--ratios", optarg, 1, 1e9); break;
		case 3005: cfg.width = (int)tool_long("--width", optarg, 1, TSD_MODEL_MAX_WIDTH); seen_size = 1; break;
		case 3006: cfg.heads = (int)tool_long("--heads", optarg, 1, TSD_MODEL_MAX_WIDTH); seen_size = 1; break;
		case 3007: cfg.layers = (int)tool_long("--layers", optarg, 1, TSD_MODEL_MAX_LAYERS); seen_size = 1; break;
		case 3008: cfg.hidden = (int)tool_long("--hidden", optarg, 1, TSD_MODEL_MAX_HIDDEN); seen_size = 1; break;
		case 3009: cfg.radius = (int)tool_long("--radius", optarg, 0, 65536); seen_size = 1; break;
		case 'q': quiet = 1; break;
		case 3011:
			peak = tool_double("--peak", optarg);
			if (!(peak >= 0 && peak <= 1e6))
				tool_usage_error("--peak: '%s' out of range 0..1e6", optarg);
			break;
		case 3012:
			greedy = tool_double("--greedy", optarg);
			if (!(greedy >= 0 && greedy <= 1))
				tool_usage_error("--greedy: '%s' out of range 0..1", optarg);
			break;
		case 3013:
			cand = tool_double("--candidates", optarg);
			if (!(cand > 0 && cand <= 1e6))
				tool_usage_error("--candidates: '%s' out of range (above 0)", optarg);
			break;
		case 3010: stop = (int)tool_long("--stop-after", optarg, 1, 100000); break;
		case 1001: case 1003:
			tool_io_option(&io, c, optarg);
			break;
		case 'h':
			tool_help(usage);
		case 'V':
			tool_version();
		default:
			tool_bad_option();
		}
	}
	if (!model_path)
		tool_usage_error("no model file: name one with -M");
	if (optind >= argc)
		tool_usage_error("no training files");
	if (tsd_model_config_check(&cfg, err, sizeof err))
		tool_usage_error("model size: %s", err);
	if (resume && seen_size)
		tool_usage_error("--resume takes the model size from the checkpoint");

	memset(&ev, 0, sizeof ev);
	if (events_path && (rc = tsd_events_load(&ev, events_path, err, sizeof err)) < 0)
		tool_die(EXIT_DATA, "%s", err);
	x.ev = events_path ? &ev : NULL;
	if (tsd_train_data_init(&tr, ratios, nratios) || tsd_train_data_init(&va, ratios, nratios))
		tool_die(EXIT_DATA, "bad ratios");
	tr.peak = va.peak = peak;
	tr.greedy = va.greedy = greedy;
	tr.cand = va.cand = cand;
	load(&x, &tr, argv + optind, argc - optind, &io.in);
	if (nv)
		load(&x, &va, vfiles, nv, &io.in);
	if (!tr.n)
		tool_die(EXIT_DATA, "no window of the training files is long enough to train on");

	if (resume) {
		if ((rc = tsd_train_ckpt_load(&m, &opt, &start, &o, resume, err, sizeof err)) < 0)
			tool_die(EXIT_DATA, "%s", err);
		if (m.cfg.nfeat != TSD_FEAT_COUNT)
			tool_die(EXIT_DATA, "%s: model has %d features per token, this tstrain makes %d; "
				 "train from scratch", resume, m.cfg.nfeat, TSD_FEAT_COUNT);
	} else {
		if ((rc = tsd_model_init(&m, &cfg, o.seed)) < 0 || (rc = tsd_adamw_init(&opt, m.nparams)) < 0 ||
		    (rc = tsd_train_set_norm(&m, &tr)) < 0)
			tool_die(EXIT_DATA, "%s", tsd_strerror(rc));
	}
	if (!quiet)
		fprintf(stderr, "tstrain: %zu training windows (%zu tokens), %zu validation windows; "
			"%zu parameters; epochs %d..%d\n", tr.n, tr.tokens, va.n, m.nparams,
			start + 1, o.epochs);
	memset(&g, 0, sizeof g);
	g.t0 = now();
	g.quiet = quiet;
	g.start = start;
	g.ckpt = ckpt;
	g.stop = stop;
	g.m = &m;
	g.opt = &opt;
	g.o = &o;
	rc = tsd_train_run(&m, &opt, start, &tr, va.n ? &va : NULL, tr.nk > 1 ? 1 : 0, &o, progress, &g);
	if (rc == TSD_ERANGE)
		tool_die(EXIT_DATA, "training diverged (a weight is not finite); try a lower --lr");
	if (rc < 0)
		tool_die(EXIT_DATA, "training failed: %s", tsd_strerror(rc));
	if (rc > 0 && !quiet)
		fprintf(stderr, "tstrain: stopped after epoch %d\n", stop);
	if ((rc = tsd_model_save(model_path, &m, err, sizeof err)) < 0)
		tool_die(EXIT_DATA, "%s", err);
	tsd_train_data_free(&tr);
	tsd_train_data_free(&va);
	tsd_events_free(&ev);
	tsd_model_free(&m);
	tsd_adamw_free(&opt);
	free(x.coef);
	free(x.work);
	free(x.wt);
	free(vfiles);
	return 0;
}
