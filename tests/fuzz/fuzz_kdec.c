/* fuzz_kdec.c: libFuzzer target for the Kafka payload decoder (CSV lines
 * and binary frames in one message). */
#include <stddef.h>
#include <stdint.h>

#include "kafka.h"
#include "series.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tsd_series_tab *tab = tsd_series_new();
	tsd_kdec *d;
	tsd_rec r;

	if (tab && tsd_kdec_new(&d, tab, 0) == 0) {
		if (tsd_kdec_open(d, data, size, "key", 3) == 0)
			for (int i = 0; i < 100000 && tsd_kdec_next(d, &r) == 1; i++) {
				size_t len;
				int keyed;
				const char *l = tsd_kdec_raw(d, &len, &keyed);
				if (l && len)
					(void)l[len - 1];
			}
		tsd_kdec_free(d);
	}
	tsd_series_free(tab);
	return 0;
}
