/* fuzz_coefwin.c: libFuzzer target for coefficient streams as thresh and
 * merge take them: records from the reader assembled into windows
 * (lib/coefwin), each complete window reconstructed, reduced to merge's
 * points, and searched exactly when small. The first byte picks the
 * options; the rest is the input. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "coefwin.h"
#include "exact.h"
#include "reduce.h"
#include "fuzz.h"
#include "series.h"
#include "stream.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void window(const tsd_coefwin *cw, unsigned k)
{
	size_t n = cw->n, m = cw->m, wl;
	double *y, *cb, *work;
	unsigned char *mark, *keep;
	size_t *idx;

	if (n > 4096 || m > 8192)
		return;
	wl = tsd_coefwin_work_len(n, cw->J, cw->w, cw->mode);
	y = malloc(n * sizeof *y);
	cb = malloc(m * sizeof *cb);
	work = malloc((wl ? wl : 1) * sizeof *work);
	mark = malloc(n);
	keep = malloc(m);
	idx = malloc(n * sizeof *idx);
	if (y && cb && work && mark && keep && idx) {
		for (size_t i = 0; i < m; i++)
			cb[i] = cw->have[i] ? cw->c[i] : 0;
		if (tsd_coefwin_reconstruct(y, n, cb, work, cw->J, cw->w, cw->mode) == 0) {
			int np = tsd_reduce(idx, mark, y, n, cw->have, cw->lens, cw->J, cw->w, cw->mode);
			if (np > 0)
				(void)tsd_reduce_sse(y, y, cw->t, n, idx, (size_t)np);
			double sse;
			if (m - cw->lens[0] <= 12)
				(void)tsd_exact_reduced(keep, &sse, cw, k);
		}
	}
	free(y);
	free(cb);
	free(work);
	free(mark);
	free(keep);
	free(idx);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tsd_reader_opts o = { .name = "fuzz", .order = TSD_ORDER_ANY };
	tsd_reader *r;
	tsd_coefwin cw;
	tsd_rec rec;
	char err[256];
	int fd, rc = 0;

	if (size < 1)
		return 0;
	unsigned k = data[0] & 15;
	data++, size--;
	if ((fd = fuzz_fd(data, size)) < 0)
		return 0;
	o.tab = tsd_series_new();
	tsd_coefwin_init(&cw);
	if (tsd_reader_open(&r, fd, &o) == 0) {
		for (int i = 0; i < 100000 && tsd_reader_next(r, &rec) == 1 && rc >= 0; i++) {
			switch (rec.kind) {
			case TSD_REC_WINDOW:
				/* the tools take windows of up to 2^30 samples and
				 * allocate for what a header declares; past 2^16 the
				 * fuzzer would only measure that */
				if (rec.w.n > 65536)
					goto done;
				rc = tsd_coefwin_begin(&cw, &rec.w, err, sizeof err);
				break;
			case TSD_REC_TIMES: rc = tsd_coefwin_times(&cw, &rec.ts, err, sizeof err); break;
			case TSD_REC_COEF: rc = tsd_coefwin_add(&cw, &rec.c, err, sizeof err); break;
			case TSD_REC_END:
				rc = tsd_coefwin_end(&cw, err, sizeof err);
				if (rc == 0)
					window(&cw, k);
				break;
			default: break;
			}
		}
done:
		tsd_reader_close(r);
	}
	tsd_coefwin_free(&cw);
	tsd_series_free(o.tab);
	close(fd);
	return 0;
}
