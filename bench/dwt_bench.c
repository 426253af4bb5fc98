/* dwt_bench.c: throughput of tsd_wavedec over a long signal cut into
 * windows, in samples per second; bench/pywt_bench.py measures
 * pywt.wavedec on the same work.
 *
 * Usage: dwt_bench [window [total [wavelet [J [mode]]]]]
 * Defaults: window 1024, total 1e7 samples, db4, J 5, symmetric. A window
 * of 0 transforms the whole signal at once. Best of 3 runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tsd.h"
#include "dwt.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int arg_long(long *v, const char *s, long min, long max)
{
	if (tsd_parse_long(v, s, min, max)) {
		fprintf(stderr, "dwt_bench: bad number '%s'\n", s);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	long window = 1024, total = 10000000, J = 5;
	const char *wname = argc > 3 ? argv[3] : "db4";
	const char *mname = argc > 5 ? argv[5] : "symmetric";
	const tsd_wavelet *w = tsd_wavelet_find(wname);
	int mode = tsd_mode_parse(mname);
	double *x = NULL, *coeffs = NULL, *work = NULL, best = 0, sink = 0;
	size_t nc, nw, i;
	int run, err, rc = 1;

	if ((argc > 1 && arg_long(&window, argv[1], 0, 1L << 30)) ||
	    (argc > 2 && arg_long(&total, argv[2], 1, 1L << 30)) ||
	    (argc > 4 && arg_long(&J, argv[4], 0, 64)))
		return 2;
	if (!w || mode < 0) {
		fprintf(stderr, "dwt_bench: unknown wavelet or mode\n");
		return 2;
	}
	if (window == 0 || window > total)
		window = total;
	total -= total % window;   /* whole windows only */
	nc = tsd_wavedec_total((size_t)window, (unsigned)J, w, mode);
	nw = tsd_wavedec_work_len((size_t)window, (unsigned)J, w, mode);
	if (nc == 0) {
		fprintf(stderr, "dwt_bench: J %ld too deep for window %ld\n",
			J, window);
		return 2;
	}
	x = malloc((size_t)total * sizeof(*x));
	coeffs = malloc(nc * sizeof(*coeffs));
	work = malloc((nw ? nw : 1) * sizeof(*work));
	if (!x || !coeffs || !work) {
		fprintf(stderr, "dwt_bench: out of memory\n");
		goto cleanup;
	}
	for (i = 0; i < (size_t)total; i++)
		x[i] = (double)((i * 2654435761u) % 1000) / 100.0;

	for (run = 0; run < 3; run++) {
		double t0 = now(), dt;
		size_t off;

		for (off = 0; off < (size_t)total; off += (size_t)window) {
			err = tsd_wavedec(coeffs, work, x + off,
					  (size_t)window, (unsigned)J, w,
					  mode);
			if (err) {
				fprintf(stderr, "dwt_bench: %s\n",
					tsd_strerror(err));
				goto cleanup;
			}
			sink += coeffs[0];
		}
		dt = now() - t0;
		if ((double)total / dt > best)
			best = (double)total / dt;
	}
	printf("tsd_wavedec %s J=%ld %s window=%ld total=%ld: %.4g samples/s"
	       " (checksum %g)\n", w->name, J, tsd_mode_name(mode), window,
	       total, best, sink);
	rc = 0;
cleanup:
	free(work);
	free(coeffs);
	free(x);
	return rc;
}
