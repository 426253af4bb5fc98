/* plotstate.h: what tsplot's reader threads share with its main loop.
 * One reader thread per input (tool_plot_reader) reads samples, maps its
 * series to plot ids and pushes them, a batch at a time, under one lock,
 * into the series table, the per-column store gnuplot draws from and the
 * samples the web page zooms into. The main loop reads the same state
 * under the same lock (tool/plotdraw.h, tool/plotweb.h) and learns from
 * the notify pipe that a reader has ended. */
#ifndef TOOL_PLOTSTATE_H
#define TOOL_PLOTSTATE_H

#include <pthread.h>
#include <stdint.h>

#include "plotbuf.h"
#include "plothist.h"
#include "series.h"
#include "stream.h"

#define TOOL_PLOT_INPUTS_MAX 16
#define TOOL_PLOT_BATCH 512

/* One series drawn: an input's series that a --series pattern matched. */
typedef struct {
	char *name;                /* as read */
	int input;
	uint32_t group;            /* name index: colour and panel */
	int64_t last_t;
	/* the drawing side's (tool/plotdraw.c) */
	int sent;                  /* data block $dN holds points */
	int64_t sent_last;         /* last point time sent */
} tool_plot_series;

typedef struct {
	/* set before the readers start, read-only after */
	char **pats;               /* (npats) --series patterns; none: all */
	int npats;
	/* under lock */
	pthread_mutex_t lock;
	long *matched;             /* (npats) series each pattern matched */
	tsd_plotbuf *pb;           /* what gnuplot draws, or NULL */
	tsd_plothist *hist;        /* what the page draws (--serve), or NULL */
	tool_plot_series *ps;      /* (nps) by plot id */
	uint32_t nps;
	size_t cps;
	tsd_series_tab *groups;    /* the names of the series */
	/* each reader writes a byte into notify[1] when it ends */
	int notify[2];
} tool_plotstate;

/* One input, read by its own thread. The main loop sets the first
 * fields and reads err and samples once the reader has ended. */
typedef struct {
	tool_plotstate *st;
	int index;
	const char *path;          /* "-": stdin */
	tsd_reader_opts opts;
	tsd_series_tab *tab;       /* the input's own series names */
	int32_t *map;              /* (nmap) local id -> plot id, -1 not shown, -2 unknown */
	size_t nmap;
	struct { uint32_t id; int64_t t; double v; } batch[TOOL_PLOT_BATCH];
	size_t nb;
	char err[1024];            /* why the reader stopped early, or "" */
	uint64_t samples;
} tool_plot_input;

/* Patterns, the lock and the group table; the stores (pb, hist) and the
 * notify pipe are the caller's to set. 0 or TSD_ENOMEM. */
int tool_plotstate_init(tool_plotstate *st, char **pats, int npats);

/* Under the lock: *id gets the plot id of a new series name of input
 * `input`, or -1 when no pattern matches it. 0 or TSD_ENOMEM. */
int tool_plotstate_add_series(tool_plotstate *st, int32_t *id, const char *name, int input);

/* Take the lock and add the input's batch of samples, new series first;
 * the batch is empty after. 0, or < 0 with in->err set. */
int tool_plotstate_add_batch(tool_plot_input *in);

/* The reader thread (pthread_create): arg is a tool_plot_input. */
void *tool_plot_reader(void *arg);

/* tool_plotweb_src's callbacks (arg: the tool_plotstate), under the lock. */
uint32_t tool_plotstate_count(void *arg);
const char *tool_plotstate_series(void *arg, uint32_t id, int *input, uint32_t *group);

#endif
