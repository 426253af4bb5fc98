/* plotdraw.h: tsplot's drawing side, run by its main loop alone: the
 * gnuplot child (lib/gnuplot.h) and the commands of each refresh, the
 * data-block files gnuplot loads, and the chart file copied to --output
 * once gnuplot has drawn it. It reads the shared state (tool/plotstate.h)
 * under its lock. Errors end the run: gnuplot's last words on stderr, the
 * private files removed, then "tsplot: message" and exit 1. */
#ifndef TOOL_PLOTDRAW_H
#define TOOL_PLOTDRAW_H

#include <stdint.h>

#include "gnuplot.h"
#include "plotstate.h"

typedef struct {
	tool_plotstate *st;
	/* the chart: options, set before tool_plotdraw_start */
	const char *term;          /* -T as given, or NULL: a default */
	char tname[32];            /* the terminal's name: first word of term */
	const char *topts;         /* the rest of term: vetted options or "" */
	int interactive;           /* qt, x11, wxt: a window */
	const char *output;        /* --output, or NULL */
	const char *title, *yrange, *gnuplot;
	const char *labels[TOOL_PLOT_INPUTS_MAX]; /* the inputs' names in the key */
	int w, h, size_given;      /* chart size (0: the terminal's default); --size */
	int panels, persist;
	/* gnuplot */
	tsd_gnuplot *gp;
	int cur_w, cur_h;          /* the terminal's size now */
	int nokey;                 /* one chart of many series: key off */
	uint32_t nokey_n;          /* ... for this many series */
	int tty_dumb;              /* text chart on a terminal: cleared each time */
	int64_t plot_sync;         /* sync after the last plot */
	long refreshes;
	/* files: gnuplot's in a private folder, the chart copied to --output */
	char tmpdir[4096];         /* (mkdtemp) */
	char tmp[4200];            /* gnuplot's output file, in tmpdir */
	int file_out;              /* gnuplot draws into tmp */
	int64_t rename_sync;       /* publish tmp as the output once synced */
	struct { long id; int64_t sync; } blk[16]; /* data block files in flight */
	int nblk;
	long blk_seq;
	/* scratch: t, v for tsd_plotbuf_points; one series' data block */
	int64_t *pt;
	double *pv;
	char *scratch;             /* (nscratch) */
	size_t nscratch;
} tool_plotdraw;

/* Take -T (or a default): a terminal name and vetted options only; a
 * usage error otherwise. */
void tool_plotdraw_term(tool_plotdraw *d, const char *spec);

/* The private folder, then gnuplot with the terminal and the fixed parts
 * of the chart. */
void tool_plotdraw_start(tool_plotdraw *d);
/* The per-column store (d->st->pb) of `columns` columns across span ns
 * (0: all of the input), and its scratch. */
void tool_plotdraw_alloc(tool_plotdraw *d, int columns, int64_t span);

/* Show what gnuplot said, check our output; die when gnuplot has ended. */
void tool_plotdraw_drain(tool_plotdraw *d);
/* Whether gnuplot is still drawing the last chart. */
int tool_plotdraw_busy(const tool_plotdraw *d);
/* One refresh: data of the changed series, then the plot. */
void tool_plotdraw_refresh(tool_plotdraw *d);
/* The chart of an empty input: axes and "no data". */
void tool_plotdraw_empty(tool_plotdraw *d);
/* Copy the last chart to --output once gnuplot has drawn it. */
void tool_plotdraw_publish_ready(tool_plotdraw *d);
/* Wait until gnuplot has drawn the last plot, showing what it says, and
 * publish it. */
void tool_plotdraw_wait(tool_plotdraw *d);
/* A write error on our stdout (gnuplot's text chart passes through it):
 * EPIPE ends quietly with exit 1, others die. */
void tool_plotdraw_check_out(tool_plotdraw *d);
/* End gnuplot and remove the private files: tsd_gnuplot_close's code,
 * with errno and *status as it left them. */
int tool_plotdraw_close(tool_plotdraw *d, int *status);

/* Die with a message (a format ending in ':' gets strerror(errno)) after
 * ending gnuplot, showing what it said and removing the files. */
_Noreturn void tool_plotdraw_die(tool_plotdraw *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* gnuplot's messages on stderr, one "tsplot: gnuplot: " line each. */
void tool_plotdraw_show(const char *msg);

#endif
