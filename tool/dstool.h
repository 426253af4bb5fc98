/* dstool.h: the loop shared by the point-selecting downsampler tools
 * (nth, minmax, m4, lttb, minmaxlttb, sdt, deadband).
 *
 * Each series is cut into windows (lib/window.h: a sample count, a span of
 * event time, or the whole series with -w 0 / --whole); in each window the
 * tool's method picks the indices of the points to keep and the loop
 * writes those original points. Common options, handled here:
 *   -n, --points N   output points per window
 *   -r, --ratio R    input points per output point (n_out = floor(n / R))
 *   -w, --window W   samples per window, a duration, or 0 (whole series)
 *   --whole, --max-window N, and the TOOL_COMMON ones.
 * A tool file gives a dstool_method and calls dstool_main().
 */
#ifndef TSD_DSTOOL_H
#define TSD_DSTOOL_H

#include <getopt.h>
#include <stddef.h>

#include "tool.h"
#include "winloop.h"

/* The options and help lines every downsampler has. */
#define DSTOOL_HELP \
"  -n, --points N         output points per window\n" \
"  -r, --ratio R          input points per output point (R >= 1): a series\n" \
"                         of n samples keeps round(n / R) points (halves up)\n" \
"                         whatever its windows: each window takes what the\n" \
"                         series is due after it, never fewer than the\n" \
"                         method's minimum (the next window makes up)\n" \
"  -w, --window W         samples per window (default 4096), a span of\n" \
"                         event time aligned on the epoch (5m, 1h, 1d), or\n" \
"                         0 for the whole series (same as --whole)\n" \
"      --whole            buffer each series whole: memory O(points)\n" \
"      --max-window N     most samples a time window may hold (default 1048576)\n" \
WINLOOP_HELP

/* What the loop hands to a method for one window. */
typedef struct {
	const tsd_win *w;      /* the window: series, index, n, t, v */
	const double *x;       /* (n) seconds since the epoch, when needs_x */
	size_t n_out;          /* points asked for; 0 when neither -n nor -r */
	const char *series;    /* its name, for messages */
} dstool_call;

typedef struct {
	const char *name;
	const char *usage;            /* the whole --help text */
	const char *shortopts;        /* the method's own short options */
	const struct option *longopts;/* its own long options, zero-terminated */
	unsigned granule;             /* n_out is a multiple of this (1, 2, 4) */
	size_t min_out;               /* and at least this (2 or 4) */
	int count_optional;           /* -n/-r may be left out (sdt, deadband) */
	int needs_x;                  /* fill dstool_call.x */
	/* Handle one of the method's options: 1 if it was one. */
	int (*option)(int opt, const char *arg);
	/* After parsing; have_count says whether -n or -r was given. */
	void (*check)(int have_count);
	/* Write the kept indices (increasing) into idx (cap >= w->n); return
	 * their count or a negative TSD_E* code. */
	ptrdiff_t (*select)(size_t *idx, size_t cap, const dstool_call *c);
} dstool_method;

int dstool_main(const dstool_method *m, int argc, char **argv);

#endif
