/* ds_bench.c: throughput of MinMax, M4 and LTTB on 1e8 float64 samples,
 * beside a memcpy of the same 800 MB measured in the same run and beside
 * the published tsdownsample single-thread figures.
 *
 * build: cc -O3 -march=native -Ilib bench/ds_bench.c build/rel/libtsd.a -lm
 * usage: ./a.out [n [n_out]]     (default 100000000 1000)
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "downsample.h"
#include "tsd.h"

/* published tsdownsample single-thread throughput (points/s), for scale */
#define TSDS_MINMAX_PUBLISHED 1.2e9
#define TSDS_LTTB_PUBLISHED 0.5e9
#define REPS 3

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double parse(const char *s, double def)
{
	double d;

	return s && !tsd_parse_double(&d, s) && d >= 1 ? d : def;
}

int main(int argc, char **argv)
{
	size_t n = (size_t)parse(argc > 1 ? argv[1] : NULL, 1e8);
	size_t n_out = (size_t)parse(argc > 2 ? argv[2] : NULL, 1000);
	double *v = malloc(n * sizeof(*v)), *dst = malloc(n * sizeof(*dst));
	size_t *idx = malloc(n_out * sizeof(*idx));
	double best_copy = 1e30, bw, x = 0, sink = 0;
	uint64_t s = 88172645463325252u;
	size_t i;
	int r, k;
	static const struct {
		const char *name;
		int method;
		double goal; /* points/s; 0: half the copy bandwidth */
		double published;
	} m[] = {
		{ "minmax", 0, 0, TSDS_MINMAX_PUBLISHED },
		{ "m4", 1, 0, 0 },
		{ "lttb", 2, 3e8, TSDS_LTTB_PUBLISHED },
	};
	int fails = 0;

	n_out &= ~(size_t)3;
	if (!v || !dst || !idx || n <= n_out || n_out < 4) {
		fprintf(stderr, "ds_bench: cannot allocate or bad sizes\n");
		return 1;
	}
	/* a random walk; touching dst makes the copy time page faults free */
	for (i = 0; i < n; i++) {
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		x += (double)(s >> 11) * 0x1p-53 - 0.5;
		v[i] = x;
	}
	memset(dst, 0, n * sizeof(*dst));
	for (r = 0; r < REPS; r++) {
		double t0 = now();

		memcpy(dst, v, n * sizeof(*v));
		t0 = now() - t0;
		best_copy = t0 < best_copy ? t0 : best_copy;
		sink += dst[n / 2 + (size_t)r];
	}
	bw = (double)n * sizeof(*v) / best_copy;
	printf("n %zu, n_out %zu, best of %d runs\n", n, n_out, REPS);
	printf("%-8s %8.1f ms  %6.2f GB/s copied (%.2e points/s)\n", "memcpy",
	       best_copy * 1e3, bw / 1e9, bw / 8);
	for (k = 0; k < 3; k++) {
		double best = 1e30, pps, goal;
		ptrdiff_t c = 0;

		for (r = 0; r < REPS; r++) {
			double t0 = now();

			switch (m[k].method) {
			case 0: c = tsd_ds_minmax(idx, n_out, v, n, n_out); break;
			case 1: c = tsd_ds_m4(idx, n_out, v, n, n_out); break;
			default: c = tsd_ds_lttb(idx, n_out, NULL, v, n, n_out); break;
			}
			t0 = now() - t0;
			best = t0 < best ? t0 : best;
			if (c < 2) {
				fprintf(stderr, "ds_bench: %s: %s\n", m[k].name,
					tsd_strerror((int)c));
				return 1;
			}
			sink += (double)idx[c / 2];
		}
		pps = (double)n / best;
		goal = m[k].goal ? m[k].goal : bw / 8 / 2;
		printf("%-8s %8.1f ms  %.2e points/s = %6.2f GB/s = %.2f x copy;"
		       " goal %.2e %s", m[k].name, best * 1e3, pps, pps * 8 / 1e9,
		       pps * 8 / bw, goal, pps >= goal ? "met" : "MISSED");
		if (m[k].published)
			printf("; tsdownsample published %.1e", m[k].published);
		printf("\n");
		fails += pps < goal;
	}
	printf("(checksum %g)\n", sink);
	free(v);
	free(dst);
	free(idx);
	return fails ? 1 : 0;
}
