/* tscore: score every detail coefficient of a coefficient stream with the
 * learned importance scorer (lib/model.h, lib/feature.h). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coefwin.h"
#include "feature.h"
#include "model.h"
#include "coefloop.h"
#include "pool.h"
#include "scorer.h"
#include "tool.h"

/* The built-in models, embedded at build time: models/NAME.inc holds the
 * bytes of models/NAME.tsdm (scripts/train-model.sh writes both). default
 * was trained on whole windows; candidates on what --ratio R
 * --candidates 4 shows the model (tstrain --candidates 4), and scores
 * with --ratio. */
static const unsigned char default_model[] = {
#include "../models/default.inc"
};
static const unsigned char candidates_model[] = {
#include "../models/candidates.inc"
};

static const char usage[] =
"usage: tscore [options] [FILE...]\n"
"Score every detail coefficient of a coefficient stream (dwt output) with\n"
"a trained transformer: a relevance in [0,1] per detail, written with the\n"
"stream. Approximation coefficients pass through with score 1. thresh and\n"
"merge then keep details by score (thresh --ratio/--budget: the top\n"
"scored ones).\n"
"\n"
"  -M, --model FILE       the model (tstrain output); default: the model\n"
"                         built into tscore (models/default.tsdm; with\n"
"                         --ratio, models/candidates.tsdm, trained on\n"
"                         4 x budget candidates)\n"
"  -j, --jobs N           score on N threads (default 1); the output is the\n"
"                         same, record for record\n"
"      --ratio R          score only candidates: the details a magnitude rule\n"
"                         puts near the budget of thresh --ratio R; the\n"
"                         candidates rank above every other detail\n"
"      --candidates K     with --ratio: K x each window's detail budget\n"
"                         (default 4)\n"
"      --info             describe the model and exit (and the kernels the\n"
"                         forward pass runs on this machine)\n"
TOOL_COEFLOOP_HELP
TOOL_COMMON_HELP
"\nExit status: 0 success, 1 bad input, bad model or write error, 2 usage error.\n";

/* Write the window with scores sc (m) on the coefficients it has. */
static void put_window(tool_io *io, const tsd_coefwin *cw, const float *sc)
{
	tool_put_coefs(io, &cw->hdr, cw->t, cw->c, sc, cw->have, cw->off, cw->J,
		       TSD_COEF_SCORED | (cw->hdr.flags & TSD_WIN_SELECTED ? TSD_COEF_SELECTED : 0));
}

static int tscore_max_tokens; /* for the message about too long windows */

static void load_model(struct tsd_model *m, const char *path, int cand)
{
	const unsigned char *bytes = cand ? candidates_model : default_model;
	size_t len = cand ? sizeof candidates_model : sizeof default_model;
	char err[512];
	FILE *f;

	if (path) {
		if (tsd_model_load(m, path, err, sizeof err) < 0)
			tool_die(EXIT_DATA, "%s", err);
	} else {
		if (!(f = fmemopen((void *)(uintptr_t)bytes, len, "rb")))
			tool_die(EXIT_DATA, "built-in model:");
		if (tsd_model_load_file(m, f, "built-in model", err, sizeof err) < 0)
			tool_die(EXIT_DATA, "%s (rebuild tscore after make model)", err);
		fclose(f);
	}
	if (m->cfg.nfeat != TSD_FEAT_COUNT)
		tool_die(EXIT_DATA, "%s: the model takes %d features per token, tscore makes %d; "
			 "retrain it with this tstrain", path ? path : "built-in model",
			 m->cfg.nfeat, TSD_FEAT_COUNT);
}

/* One item in flight: a complete window and its scores, or a control
 * record (with its own copy of the topic) that must stay behind the
 * windows read before it. */
struct item {
	int is_ctl;
	tsd_coefwin win;
	float *sc;
	size_t sccap;
	tsd_rec ctl;
	char *topic;
	size_t topcap;
	char where[256];     /* the input position of the window's END */
};

struct job {
	struct item *it;      /* (nslots) */
	tool_io *io;
	tool_pool *pool;
};

static int score_item(void *ws, size_t slot, void *arg)
{
	struct job *jb = arg;
	struct item *it = &jb->it[slot];
	tsd_coefwin *cw = &it->win;

	return tsd_scorer_window(it->sc, ws, cw->c, cw->m, cw->lens, cw->J, cw->n, cw->w, cw->mode);
}

static void emit_item(size_t slot, int rc, void *arg)
{
	struct job *jb = arg;
	struct item *it = &jb->it[slot];
	tool_io *io = jb->io;
	const tsd_coefwin *cw = &it->win;

	if (it->is_ctl) {
		tool_put(io, &it->ctl);
		return;
	}
	if (rc == TSD_ERANGE)
		tool_die(EXIT_DATA, "%s: series '%s' window %lld: %zu detail coefficients, "
			 "the model takes at most %d; use a shorter dwt -w", it->where,
			 tsd_series_name(io->tab, cw->hdr.series), (long long)cw->hdr.window,
			 tsd_feature_tokens(cw->lens, cw->J), tscore_max_tokens);
	if (rc == TSD_EINVAL)
		tool_die(EXIT_DATA, "%s: series '%s' window %lld: a coefficient is NaN or "
			 "infinite; the model scores finite values only", it->where,
			 tsd_series_name(io->tab, cw->hdr.series), (long long)cw->hdr.window);
	if (rc < 0)
		tool_die(EXIT_DATA, "%s: series '%s' window %lld: %s", it->where,
			 tsd_series_name(io->tab, cw->hdr.series), (long long)cw->hdr.window,
			 tsd_strerror(rc));
	put_window(io, cw, it->sc);
}

/* A control record read between windows: queued in order. */
static void queue_ctl(const tsd_rec *r, void *arg)
{
	struct job *jb = arg;
	size_t slot = tool_pool_acquire(jb->pool);
	struct item *it = &jb->it[slot];

	it->is_ctl = 1;
	it->ctl = *r;
	if (r->kind == TSD_REC_CONTROL && r->k.topic_len) {
		it->topic = tool_grow(it->topic, &it->topcap, r->k.topic_len, 1);
		memcpy(it->topic, r->k.topic, r->k.topic_len);
		it->ctl.k.topic = it->topic;
	}
	tool_pool_submit(jb->pool, slot, 0);
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "model", required_argument, 0, 'M' }, { "info", no_argument, 0, 2000 },
		{ "jobs", required_argument, 0, 'j' }, { "ratio", required_argument, 0, 2001 },
		{ "candidates", required_argument, 0, 2002 },
		TOOL_COMMON_LONG, TOOL_COEFLOOP_LONG, { 0, 0, 0, 0 },
	};
	const char *mpath = NULL;
	int c, info = 0, nthreads = 0;
	double ratio = 0, kcand = 4;
	size_t nslots;
	struct tsd_model m;
	struct tsd_scorer *scorers;
	void **ws;
	struct job jb;
	tool_coefloop cl;
	tsd_coefwin *cw;
	tool_io io;

	tool_name = "tscore";
	tool_io_init(&io);
	while ((c = getopt_long(argc, argv, "M:j:hV" TOOL_COMMON_SHORT, lopts, NULL)) != -1) {
		if (tool_io_option(&io, c, optarg) || tool_coefloop_option(c, optarg))
			continue;
		switch (c) {
		case 'M': mpath = optarg; break;
		case 'j': nthreads = (int)tool_long("-j", optarg, 1, 256); break;
		case 2000: info = 1; break;
		case 2001:
			ratio = tool_double("--ratio", optarg);
			if (!(ratio >= 1))
				tool_usage_error("--ratio: must be at least 1");
			break;
		case 2002:
			kcand = tool_double("--candidates", optarg);
			if (!(kcand > 0))
				tool_usage_error("--candidates: must be above 0");
			break;
		case 'h':
			tool_help(usage);
		default:
			tool_bad_option();
		}
	}
	load_model(&m, mpath, ratio > 0);
	tscore_max_tokens = m.cfg.max_tokens;
	if (info) {
		printf("model %s\nfeatures %d\nwidth %d\nheads %d\nlayers %d\nhidden %d\n"
		       "radius %d\nmax_tokens %d\nparameters %zu\nkernels %s\n",
		       mpath ? mpath : ratio > 0 ? "built-in, trained on candidates (4 x budget)" : "built-in",
		       m.cfg.nfeat, m.cfg.width, m.cfg.heads, m.cfg.layers, m.cfg.hidden,
		       m.cfg.radius, m.cfg.max_tokens, m.nparams, tsd_model_kernels());
		tsd_model_free(&m);
		return tool_stdout_done();
	}
	tool_io_files(&io, argc - optind, argv + optind);

	/* -j 1 (the default) scores on the reading thread; -j N > 1 on N
	 * workers, with 4 windows in flight per worker */
	if (nthreads == 1)
		nthreads = 0;
	nslots = nthreads ? 4 * (size_t)nthreads : 1;
	scorers = calloc(nthreads ? (size_t)nthreads : 1, sizeof *scorers);
	ws = calloc(nthreads ? (size_t)nthreads : 1, sizeof *ws);
	jb.it = calloc(nslots, sizeof *jb.it);
	if (!scorers || !ws || !jb.it)
		tool_die(EXIT_DATA, "out of memory");
	for (int i = 0; i < (nthreads ? nthreads : 1); i++) {
		tsd_scorer_init(&scorers[i], &m);
		scorers[i].ratio = ratio;
		scorers[i].cand = kcand;
		ws[i] = &scorers[i];
	}
	for (size_t i = 0; i < nslots; i++)
		tsd_coefwin_init(&jb.it[i].win);
	jb.io = &io;
	jb.pool = tool_pool_new(nthreads, nslots, ws, score_item, emit_item, &jb);

	tool_coefloop_init(&cl, &io);
	cl.ctl = queue_ctl;
	cl.ctl_arg = &jb;
	while (tool_coefloop_next(&cl, &cw)) {
		size_t slot = tool_pool_acquire(jb.pool);
		struct item *it = &jb.it[slot];
		/* take the window whole: the loop gets the slot's old buffers */
		tsd_coefwin t = it->win;
		it->win = *cw;
		*cw = t;
		it->is_ctl = 0;
		snprintf(it->where, sizeof it->where, "%s", tool_where(&io));
		it->sc = tool_grow(it->sc, &it->sccap, it->win.m, sizeof *it->sc);
		tool_pool_submit(jb.pool, slot, 1);
	}
	tool_pool_drain(jb.pool);
	tool_pool_free(jb.pool);
	tool_coefloop_free(&cl);
	for (size_t i = 0; i < nslots; i++) {
		tsd_coefwin_free(&jb.it[i].win);
		free(jb.it[i].sc);
		free(jb.it[i].topic);
	}
	for (int i = 0; i < (nthreads ? nthreads : 1); i++)
		tsd_scorer_free(&scorers[i]);
	free(jb.it);
	free(scorers);
	free(ws);
	tsd_model_free(&m);
	tool_finish(&io);
	return 0;
}
