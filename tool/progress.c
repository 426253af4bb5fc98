/* progress.c: records read, rate and elapsed time on a terminal's stderr
 * (progress.h). */
#include "progress.h"

#include <stdio.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

extern const char *tool_name;

uint64_t tool_progress_n;
static int mode = TOOL_PROGRESS_AUTO, on = -1, shown;
static double t0, last;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void tool_progress_mode(int m)
{
	mode = m;
	on = -1;
	t0 = last = now();
}

static int decide(void)
{
	struct stat st;

	if (mode != TOOL_PROGRESS_AUTO)
		return mode == TOOL_PROGRESS_ON;
	if (!isatty(STDERR_FILENO))
		return 0;
	/* stdout a pipe: a stage before the last; the last one speaks */
	return !(fstat(STDOUT_FILENO, &st) == 0 && S_ISFIFO(st.st_mode));
}

/* 1234567 -> "1.23 M", 999 -> "999" */
static void human(char *b, size_t n, double x)
{
	if (x >= 1e9)
		snprintf(b, n, "%.2f G", x / 1e9);
	else if (x >= 1e6)
		snprintf(b, n, "%.2f M", x / 1e6);
	else if (x >= 1e3)
		snprintf(b, n, "%.1f k", x / 1e3);
	else
		snprintf(b, n, "%.0f", x);
}

static void show(double t, const char *end)
{
	char a[32], r[32];
	double el = t - t0;
	long s = (long)el;

	human(a, sizeof a, (double)tool_progress_n);
	human(r, sizeof r, el > 0 ? (double)tool_progress_n / el : 0);
	fprintf(stderr, "\r%s: %s records, %s records/s, %ld:%02ld:%02ld\033[K%s", tool_name, a, r, s / 3600,
		s / 60 % 60, s % 60, end);
	fflush(stderr);
	shown = 1;
}

void tool_progress_check(void)
{
	double t;

	if (on < 0) {
		on = decide();
		if (t0 == 0)
			t0 = last = now();
	}
	if (!on)
		return;
	t = now();
	if (t - last >= 1.0) {
		last = t;
		show(t, "");
	}
}

void tool_progress_clear(void)
{
	if (shown) {
		fputs("\r\033[K", stderr);
		shown = 0;
		last = 0; /* redraw at the next check */
	}
}

void tool_progress_end(void)
{
	if (shown)
		show(now(), "\n");
	shown = 0;
	on = 0;
}
