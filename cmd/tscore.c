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
#include "tool.h"

/* The default model, embedded at build time: models/default.inc holds the
 * bytes of models/default.tsdm (scripts/train-model.sh writes both). */
static const unsigned char default_model[] = {
#include "../models/default.inc"
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
"                         built into tscore (models/default.tsdm)\n"
"      --info             describe the model and exit\n"
TOOL_COEFLOOP_HELP
TOOL_COMMON_HELP
"\nExit status: 0 success, 1 bad input, bad model or write error, 2 usage error.\n";

/* Write the window with scores sc (m) on the coefficients it has. */
static void put_window(tool_io *io, const tsd_coefwin *cw, const float *sc)
{
	tsd_rec o;

	memset(&o, 0, sizeof o);
	o.kind = TSD_REC_WINDOW;
	o.w = cw->hdr;
	tool_put(io, &o);
	if (cw->hdr.flags & TSD_WIN_IRREGULAR) {
		memset(&o, 0, sizeof o);
		o.kind = TSD_REC_TIMES;
		o.ts.series = cw->hdr.series;
		o.ts.window = cw->hdr.window;
		o.ts.count = (uint32_t)cw->n;
		o.ts.t = cw->t;
		tool_put(io, &o);
	}
	for (unsigned b = 0; b <= cw->J; b++) {
		size_t i = cw->off[b], e = cw->off[b + 1], j;
		while (i < e) {
			if (!cw->have[i]) {
				i++;
				continue;
			}
			for (j = i; j < e && cw->have[j]; j++)
				;
			memset(&o, 0, sizeof o);
			o.kind = TSD_REC_COEF;
			o.c.series = cw->hdr.series;
			o.c.window = cw->hdr.window;
			o.c.kind = b ? TSD_COEF_D : TSD_COEF_A;
			o.c.level = (uint8_t)tsd_coefwin_band_level(cw, b);
			o.c.flags = TSD_COEF_SCORED |
				    (cw->hdr.flags & TSD_WIN_SELECTED ? TSD_COEF_SELECTED : 0);
			o.c.start = (uint32_t)(i - cw->off[b]);
			o.c.count = (uint32_t)(j - i);
			o.c.v = cw->c + i;
			o.c.score = sc + i;
			tool_put(io, &o);
			i = j;
		}
	}
	memset(&o, 0, sizeof o);
	o.kind = TSD_REC_END;
	o.e.series = cw->hdr.series;
	o.e.window = cw->hdr.window;
	tool_put(io, &o);
}

static void load_model(struct tsd_model *m, const char *path)
{
	char err[512];
	FILE *f;

	if (path) {
		if (tsd_model_load(m, path, err, sizeof err) < 0)
			tool_die(EXIT_DATA, "%s", err);
	} else {
		if (!(f = fmemopen((void *)(uintptr_t)default_model, sizeof default_model, "rb")))
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

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "model", required_argument, 0, 'M' }, { "info", no_argument, 0, 2000 },
		TOOL_COMMON_LONG, TOOL_COEFLOOP_LONG, { 0, 0, 0, 0 },
	};
	const char *mpath = NULL;
	int c, rc, info = 0;
	float *x = NULL, *sc = NULL, *ts = NULL, *acts = NULL;
	uint32_t *tok = NULL;
	size_t xcap = 0, scap = 0, tcap = 0, kcap = 0, acap = 0;
	struct tsd_feature_ws fws;
	struct tsd_model m;
	tool_coefloop cl;
	tsd_coefwin *cw;
	tool_io io;

	tool_name = "tscore";
	tool_io_init(&io);
	while ((c = getopt_long(argc, argv, "M:hV" TOOL_COMMON_SHORT, lopts, NULL)) != -1) {
		if (tool_io_option(&io, c, optarg) || tool_coefloop_option(c, optarg))
			continue;
		switch (c) {
		case 'M': mpath = optarg; break;
		case 2000: info = 1; break;
		case 'h':
			fputs(usage, stdout);
			return fclose(stdout) ? EXIT_DATA : 0;
		default:
			fprintf(stderr, "Try 'tscore --help' for more information.\n");
			return EXIT_USAGE;
		}
	}
	load_model(&m, mpath);
	if (info) {
		printf("model %s\nfeatures %d\nwidth %d\nheads %d\nlayers %d\nhidden %d\n"
		       "radius %d\nmax_tokens %d\nparameters %zu\n", mpath ? mpath : "built-in",
		       m.cfg.nfeat, m.cfg.width, m.cfg.heads, m.cfg.layers, m.cfg.hidden,
		       m.cfg.radius, m.cfg.max_tokens, m.nparams);
		tsd_model_free(&m);
		return fclose(stdout) ? EXIT_DATA : 0;
	}
	tsd_feature_ws_init(&fws);
	tool_io_files(&io, argc - optind, argv + optind);

	tool_coefloop_init(&cl, &io);
	while (tool_coefloop_next(&cl, &cw)) {
		uint32_t s = cw->hdr.series;
		int64_t wno = cw->hdr.window;


		size_t m_ = cw->m, T = tsd_feature_tokens(cw->lens, cw->J);
		sc = tool_grow(sc, &scap, m_, sizeof *sc);
		for (size_t i = 0; i < m_; i++)
			sc[i] = 1.0f;
		if (T) {
			if (T > (size_t)m.cfg.max_tokens)
				tool_die(EXIT_DATA, "%s: series '%s' window %lld: %zu detail coefficients, "
					 "the model takes at most %d; use a shorter dwt -w", tool_where(&io),
					 tsd_series_name(io.tab, s), (long long)wno, T, m.cfg.max_tokens);
			x = tool_grow(x, &xcap, T * TSD_FEAT_COUNT, sizeof *x);
			tok = tool_grow(tok, &kcap, T, sizeof *tok);
			ts = tool_grow(ts, &tcap, T, sizeof *ts);
			size_t al = tsd_model_acts_len(&m.cfg, 1, (int)T);
			acts = tool_grow(acts, &acap, al, sizeof *acts);
			rc = tsd_feature_window(x, tok, &fws, cw->c, cw->lens, cw->J, cw->n, cw->w, cw->mode);
			if (rc == TSD_EINVAL)
				tool_die(EXIT_DATA, "%s: series '%s' window %lld: a coefficient is NaN or "
					 "infinite; the model scores finite values only", tool_where(&io),
					 tsd_series_name(io.tab, s), (long long)wno);
			if (rc >= 0)
				rc = tsd_model_forward(ts, NULL, acts, al, &m, x, 1, (int)T);
			if (rc < 0)
				tool_die(EXIT_DATA, "%s: series '%s' window %lld: %s", tool_where(&io),
					 tsd_series_name(io.tab, s), (long long)wno, tsd_strerror(rc));
			for (size_t t = 0; t < T; t++)
				sc[tok[t]] = ts[t];
		}
		put_window(&io, cw, sc);
	}
	tool_coefloop_free(&cl);
	free(x);
	free(sc);
	free(ts);
	free(tok);
	free(acts);
	tsd_feature_ws_free(&fws);
	tsd_model_free(&m);
	tool_finish(&io);
	return 0;
}
