/* model_bench.c: tokens per second of the scorer's inference pass (B=1,
 * one core), at the default size and a few others. Not a test; build by
 * hand:
 *   cc -O2 -Ilib bench/model_bench.c build/rel/libtsd.a -lm
 * An argument n runs the first n sizes only.
 * Exit status 1 if the default size scores fewer than 1e6 tokens/s. */
#define _POSIX_C_SOURCE 200809L
#include "model.h"
#include "tsd.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define TARGET 1e6

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Tokens per second scoring windows of T tokens, for at least 1 s. */
static double bench(const struct tsd_model_config *cfg, int T)
{
	struct tsd_model m;
	size_t alen = tsd_model_acts_len(cfg, 1, T);
	float *x = malloc(sizeof(float) * (size_t)T * cfg->nfeat);
	float *s = malloc(sizeof(float) * (size_t)T);
	float *acts = malloc(sizeof(float) * alen);
	double t0, t1, rate = -1.0, sink = 0.0;
	long windows = 0;

	if (!alen || !x || !s || !acts || tsd_model_init(&m, cfg, 1))
		goto out;
	for (size_t i = 0; i < (size_t)T * cfg->nfeat; i++)
		x[i] = (float)((i * 2654435761u) % 1000) / 500.0f - 1.0f;
	tsd_model_forward(s, NULL, acts, alen, &m, x, 1, T); /* warm up */
	t0 = now();
	do {
		for (int k = 0; k < 16; k++, windows++) {
			if (tsd_model_forward(s, NULL, acts, alen, &m, x, 1, T))
				goto out_model;
			sink += s[windows % T];
		}
		t1 = now();
	} while (t1 - t0 < 1.0);
	rate = (double)windows * T / (t1 - t0);
	if (sink < 0.0)
		rate = -1.0;
out_model:
	tsd_model_free(&m);
out:
	free(x);
	free(s);
	free(acts);
	return rate;
}

int main(int argc, char **argv)
{
	static const struct {
		int C, NH, L, H, R, T;
	} runs[] = {
		{ 32, 4, 2, 64, 16, 256 }, /* the default: checked */
		{ 32, 4, 2, 64, 16, 512 },
		{ 32, 4, 2, 64, 8, 256 },
		{ 32, 4, 2, 64, 0, 256 },
		{ 32, 4, 2, 64, 0, 512 },
		{ 64, 4, 2, 256, 16, 256 },
	};
	size_t nruns = sizeof runs / sizeof runs[0];
	int F = 8, fail = 0;

	if (argc > 1 && atoi(argv[1]) > 0)
		nruns = (size_t)atoi(argv[1]); /* the first few runs only */

	printf("%-4s %-3s %-2s %-4s %-3s %-4s %14s\n", "C", "NH", "L", "H",
	       "R", "T", "tokens/s");
	for (size_t i = 0; i < nruns && i < sizeof runs / sizeof runs[0]; i++) {
		struct tsd_model_config cfg;
		double r;

		tsd_model_config_default(&cfg, F);
		cfg.width = runs[i].C;
		cfg.heads = runs[i].NH;
		cfg.layers = runs[i].L;
		cfg.hidden = runs[i].H;
		cfg.radius = runs[i].R;
		r = bench(&cfg, runs[i].T);
		printf("%-4d %-3d %-2d %-4d %-3d %-4d %14.0f%s\n", cfg.width,
		       cfg.heads, cfg.layers, cfg.hidden, cfg.radius,
		       runs[i].T, r, i == 0 ? (r >= TARGET ? "  ok" : "  SLOW") : "");
		if (i == 0 && r < TARGET)
			fail = 1;
	}
	return fail;
}
