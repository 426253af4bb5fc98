/* fmt_bench.c: shortest round-trip formatting and strict parsing of
 * doubles (lib/csvcodec.c) beside printf("%.17g") and strtod on the same
 * values. Run by bench/codec.sh. */
#include "csvcodec.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NV 1000000

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(void)
{
	double *v = malloc(NV * sizeof *v);
	char *txt = malloc((size_t)NV * 32);
	uint64_t s = 88172645463325252ULL;
	size_t sink = 0;

	if (!v || !txt)
		return 1;
	for (int kind = 0; kind < 2; kind++) {
		for (int i = 0; i < NV; i++) {
			s ^= s << 13, s ^= s >> 7, s ^= s << 17;
			/* sensor-like values: full 17-digit noise, or 6 decimals */
			double x = 10 + (double)(s >> 11) * 0x1p-53;
			v[i] = kind ? (double)(int64_t)(x * 1e6) / 1e6 : x;
		}
		double t0 = now();
		for (int i = 0; i < NV; i++)
			sink += (size_t)tsd_format_double(txt + 32 * (size_t)i, v[i], 0);
		double t1 = now();
		char b[40];
		for (int i = 0; i < NV; i++)
			sink += (size_t)snprintf(b, sizeof b, "%.17g", v[i]);
		double t2 = now();
		for (int i = 0; i < NV; i++) {
			double y;
			if (tsd_scan_double(&y, txt + 32 * (size_t)i, strlen(txt + 32 * (size_t)i)) || y != v[i])
				return fprintf(stderr, "fmt_bench: %s does not read back\n", txt + 32 * (size_t)i), 1;
		}
		double t3 = now();
		for (int i = 0; i < NV; i++)
			sink += strtod(txt + 32 * (size_t)i, NULL) == v[i];
		double t4 = now();
		printf("%-40s %7.1f ns/value | printf %%.17g %7.1f ns | %.2fx\n",
		       kind ? "format shortest, 6-decimal values" : "format shortest, 17-digit values",
		       (t1 - t0) * 1e9 / NV, (t2 - t1) * 1e9 / NV, (t2 - t1) / (t1 - t0));
		printf("%-40s %7.1f ns/value | strtod       %7.1f ns | %.2fx\n",
		       kind ? "scan, 6-decimal values" : "scan, 17-digit values",
		       (t3 - t2) * 1e9 / NV, (t4 - t3) * 1e9 / NV, (t4 - t3) / (t3 - t2));
	}
	free(v);
	free(txt);
	return sink == 0;
}
