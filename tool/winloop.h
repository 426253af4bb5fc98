/* winloop.h: the read loop of a windowing tool (paa, sax, dwt, the
 * downsamplers): samples, one at a time or in binary runs, go into
 * per-series windows; complete windows come out; source positions
 * (CONTROL records) are held back until every sample read before them
 * has left its window, then written in order (see lib/ctlq.h). A
 * revocation of a source partition discards the open windows and held
 * positions of its series and goes on downstream. */
#ifndef TSD_WINLOOP_H
#define TSD_WINLOOP_H

#include "ctlq.h"
#include "reorder.h"
#include "tool.h"
#include "window.h"

/* Options of every windowing tool (handled by tool_winloop_option):
 *   --gap DURATION|auto|off   what interval is an outage (default auto)
 *   --lateness DURATION       hold samples back this much event time and
 *                             sort them per series (a watermark)
 *   --late FILE               write samples later than that to FILE */
enum { WINOPT_GAP = 1101, WINOPT_LATENESS, WINOPT_LATE };
#define WINLOOP_LONG \
	{ "gap", required_argument, 0, WINOPT_GAP }, \
	{ "lateness", required_argument, 0, WINOPT_LATENESS }, \
	{ "late", required_argument, 0, WINOPT_LATE }
#define WINLOOP_HELP \
"      --gap G            an interval longer than G is an outage: the window\n" \
"                         closes there and the output shows a gap (default\n" \
"                         auto: 10x the median interval of the window; off)\n" \
"      --lateness D       hold samples back D of event time and sort them per\n" \
"                         series (out-of-order input, unkeyed Kafka topics)\n" \
"      --late FILE        write samples later than that to FILE (they are\n" \
"                         counted on stderr either way)\n"

/* 1 when opt was one of WINLOOP_LONG (exits 2 on a bad value). */
int tool_winloop_option(int opt, const char *arg);

/* a position waiting for the samples read before it to leave the
 * lateness buffer */
typedef struct {
	uint64_t epoch;       /* samples read before it have epochs <= this */
	tsd_control k;        /* topic points to the copy below */
	char *topic;
} tool_heldpos;

typedef struct {
	tool_io *io;
	tsd_winbuf *wb;
	tsd_ctlq *cq;
	size_t count, max;
	int64_t span;
	int ended;            /* input is over: flushing partial windows */
	tsd_rec run;          /* a sample run being fed in */
	size_t run_used;
	size_t run_end;       /* the next gap marker (NaN) of the run, or its end */
	int in_run;
	tsd_rec one;          /* storage for a single sample as a run */
	uint32_t last_series; /* series of the record that failed, for messages */
	/* bounded lateness (--lateness, --late) */
	tsd_reorder *ro;      /* NULL: samples go straight into windows */
	int releasing;        /* giving out held samples of series rel */
	uint32_t rel;
	uint64_t epoch;       /* positions read so far */
	uint64_t base;        /* epochs below this have no sample held */
	uint64_t *pend;       /* ring: samples held per epoch base..epoch */
	size_t pcap, phead;
	tool_heldpos *pq;     /* ring of positions not yet passed on */
	size_t qcap, qhead, qlen;
	int pos_seen, end_seen;
	tsd_writer *late;     /* --late FILE */
	uint64_t *nlate;      /* (nlate_n) late samples per series */
	size_t nlate_n;
	uint64_t late_total;
	uint32_t *keys;       /* (kcap) series of a revoked partition */
	size_t kcap;
	uint64_t revoked;     /* samples discarded with their partition's windows */
} tool_winloop;

/* -w ARG of a windowing tool: a sample count ("256") or a duration
 * ("5m"); a usage error naming -w otherwise. */
void tool_window_arg(size_t *count, int64_t *span, const char *arg);
/* --max-window ARG: 1 to hi samples (TSD_WINDOW_MAX_LIMIT, or a transform's
 * own smaller limit); a usage error otherwise. */
size_t tool_max_window_arg(const char *arg, size_t hi);

/* Windows of count samples, or of span ns of event time; a time window
 * holds at most max samples. Asks the reader for whole binary runs. */
void tool_winloop_init(tool_winloop *wl, tool_io *io, size_t count, int64_t span, size_t max);
/* 1: a window is in *win (*partial is 1 for windows flushed at the end of
 * input, cut short); 0: no more windows. Dies on bad input. */
int tool_winloop_next(tool_winloop *wl, tsd_win *win, int *partial);
/* The caller has written the output of the window last returned: write
 * the positions it released. */
void tool_winloop_done(tool_winloop *wl);
void tool_winloop_free(tool_winloop *wl);

#endif
