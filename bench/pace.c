/* pace.c: a paced feed for bench/tsplot.sh. Writes N series at RATE
 * points/s of wall-clock time for SECONDS, in chunks every 2 ms (all the
 * points due by then, then a flush), so that the feed costs little and
 * never limits what it measures. Event time runs at one step per N
 * points, one step = 1/(RATE/N) s, starting at 2024-01-01.
 *
 *   pace N RATE SECONDS [feed]
 *
 * Lines "sNAME,TIME,VALUE" (tsplot's long CSV), or with "feed" "TIME sNAME
 * VALUE" (feedgnuplot --domain --dataid). Exit 0, or 1 on a write error
 * (the reader went away early: a plotter that gave up). */
#define _GNU_SOURCE
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int fmt_u(char *p, uint64_t u)
{
	char tmp[24];
	int k = 0, n = 0;

	do
		tmp[k++] = (char)('0' + u % 10), u /= 10;
	while (u);
	while (k)
		p[n++] = tmp[--k];
	return n;
}

/* u / 10^dec with dec decimals */
static int fmt_fixed(char *p, uint64_t u, int dec)
{
	uint64_t d = 1;
	int n, i;

	for (i = 0; i < dec; i++)
		d *= 10;
	n = fmt_u(p, u / d);
	p[n++] = '.';
	uint64_t f = u % d;
	for (i = dec - 1; i >= 0; i--)
		p[n + i] = (char)('0' + f % 10), f /= 10;
	return n + dec;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: pace N RATE SECONDS [feed]\n");
		return 2;
	}
	long n = atol(argv[1]);
	double rate = atof(argv[2]), secs = atof(argv[3]);
	int feed = argc > 4 && !strcmp(argv[4], "feed");
	if (n < 1 || rate < n || secs <= 0)
		return 2;
	uint64_t total = (uint64_t)(rate * secs), sent = 0;
	double step = (double)n / rate, t0 = now();
	static char buf[1 << 16];
	setvbuf(stdout, buf, _IOFBF, sizeof buf);
	while (sent < total) {
		double el = now() - t0;
		uint64_t due = (uint64_t)(el * rate);
		if (due > total)
			due = total;
		for (; sent < due; sent++) {
			uint64_t k = sent / (uint64_t)n;
			long sn = (long)(sent % (uint64_t)n) + 1;
			/* times in us, values in 1e-5: integer formatting, fast
			 * enough never to be what limits the rate */
			uint64_t tus = 1704067200000000ull + (uint64_t)((double)k * step * 1e6);
			int64_t v = 1000000 + (int64_t)(100000 * sin((double)k * 0.01 + sn)) +
				    (int64_t)((sent * 2654435761u) % 10000);
			char line[96], *p = line, num[32];
			int m;
			if (feed) {
				m = fmt_fixed(num, tus, 6);
				memcpy(p, num, (size_t)m), p += m;
				*p++ = ' ', *p++ = 's';
				p += fmt_u(p, (uint64_t)sn);
				*p++ = ' ';
			} else {
				*p++ = 's';
				p += fmt_u(p, (uint64_t)sn);
				*p++ = ',';
				m = fmt_fixed(num, tus, 6);
				memcpy(p, num, (size_t)m), p += m;
				*p++ = ',';
			}
			m = fmt_fixed(num, (uint64_t)v, 5);
			memcpy(p, num, (size_t)m), p += m;
			*p++ = '\n';
			fwrite_unlocked(line, 1, (size_t)(p - line), stdout);
		}
		if (fflush(stdout) == EOF)
			return 1;
		struct timespec ts = { 0, 2000000 };
		nanosleep(&ts, NULL);
	}
	return fflush(stdout) == EOF ? 1 : 0;
}
