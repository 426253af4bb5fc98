/* fuzz_reader.c: libFuzzer target for the stream reader (CSV through
 * the general CSV path and the fast path, binary frames), record by record and in runs.
 * The first byte picks the options; the rest is the input. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "fuzz.h"
#include "series.h"
#include "stream.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tsd_reader_opts o = { .name = "fuzz" };
	tsd_reader *r;
	tsd_rec rec;
	int fd, rc;
	uint8_t opt;

	if (size < 1)
		return 0;
	opt = data[0];
	data++, size--;
	if ((fd = fuzz_fd(data, size)) < 0)
		return 0;
	o.tab = tsd_series_new();
	o.order = opt % 4;
	o.time_unit = (opt >> 4) & 1 ? TSD_T_MS : 0;
	o.delim = (opt >> 5) & 1 ? ';' : 0;
	o.runs = (opt >> 2) & 1;
	o.slow_csv = (opt >> 3) & 1;
	if (tsd_reader_open(&r, fd, &o) == 0) {
		for (int i = 0; i < 100000 && (rc = tsd_reader_next(r, &rec)) == 1; i++) {
			size_t len;
			int hs;
			const char *l = tsd_reader_line(r, &len, &hs);
			if (l && len)
				(void)l[len - 1]; /* in bounds (ASan checks) */
		}
		tsd_reader_close(r);
	}
	tsd_series_free(o.tab);
	close(fd);
	return 0;
}
